import { formatStrace, straceSummary, type StraceEvent } from '../../../engine/formats/strace';

const CLONE = 'child_stack=0, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f3e1c59d0';

const reload: StraceEvent[] = [
  { t: 1, pid: 1234, kind: 'call', name: 'read', args: '5, "\\1\\0\\0\\0", 4', ret: '4', us: 6 },
  { t: 1, pid: 1234, kind: 'call', name: 'clone', args: CLONE, ret: '5678', us: 1500 },
  { t: 2, pid: 1234, kind: 'call', name: 'exit_group', args: '0', ret: '?' },
  { t: 2, pid: 1234, kind: 'exit', status: 0 },
];

describe('strace 4.8 output', () => {
  it('pads each call to column 40 before "= result", and ends with the exit line', () => {
    expect(formatStrace({ attached: [1234], events: reload, follow: false, count: false, toFile: false })).toEqual({
      stdout: '',
      stderr:
        'Process 1234 attached\n' +
        'read(5, "\\1\\0\\0\\0", 4)                  = 4\n' +
        `clone(${CLONE}) = 5678\n` +
        'exit_group(0)                           = ?\n' +
        '+++ exited with 0 +++\n',
      code: 0,
      file: '',
    });
  });

  it('leaves a blocked call <detached ...> and says it let go', () => {
    const idle: StraceEvent[] = [{ t: 5, pid: 42, kind: 'unfinished', name: 'pselect6', args: '8, [5 6 7], NULL, NULL, {60, 0}, {[], 8}' }];
    expect(formatStrace({ attached: [42], events: idle, follow: false, count: false, toFile: false }).stderr).toBe(
      'Process 42 attached\npselect6(8, [5 6 7], NULL, NULL, {60, 0}, {[], 8} <detached ...>\nProcess 42 detached\n',
    );
  });

  it('with -f announces a forked child and puts "[pid N] " before every line from then on', () => {
    const ev: StraceEvent[] = [
      { t: 1, pid: 10, kind: 'call', name: 'clone', args: CLONE, ret: '11', us: 100 },
      { t: 1, pid: 11, kind: 'attach' },
      { t: 1, pid: 11, kind: 'call', name: 'close', args: '8', ret: '0', us: 4 },
      { t: 2, pid: 10, kind: 'call', name: 'close', args: '9', ret: '0', us: 4 },
      { t: 3, pid: 11, kind: 'unfinished', name: 'pselect6', args: '6, [5], NULL, NULL, {60, 0}, {[], 8}' },
      { t: 3, pid: 10, kind: 'unfinished', name: 'pselect6', args: '6, [5], NULL, NULL, {60, 0}, {[], 8}' },
    ];
    expect(formatStrace({ attached: [10], events: ev, follow: true, count: false, toFile: false }).stderr).toBe(
      'Process 10 attached\n' +
        `clone(${CLONE}) = 11\n` +
        'Process 11 attached\n' +
        '[pid    11] close(8)                    = 0\n' +
        '[pid    10] close(9)                    = 0\n' +
        '[pid    11] pselect6(6, [5], NULL, NULL, {60, 0}, {[], 8} <detached ...>\n' +
        '[pid    10] pselect6(6, [5], NULL, NULL, {60, 0}, {[], 8} <detached ...>\n' +
        'Process 10 detached\n' +
        'Process 11 detached\n',
    );
  });

  it('-e trace= keeps only the named calls', () => {
    const out = formatStrace({ attached: [1234], events: reload, follow: false, count: false, only: new Set(['clone']), toFile: false }).stderr;
    expect(out).toBe(`Process 1234 attached\nclone(${CLONE}) = 5678\n+++ exited with 0 +++\n`);
  });

  it('-o sends the trace to the file and keeps only the attach and detach notes on stderr', () => {
    const idle: StraceEvent[] = [
      { t: 1, pid: 42, kind: 'call', name: 'close', args: '3', ret: '0', us: 4 },
      { t: 5, pid: 42, kind: 'unfinished', name: 'pselect6', args: '4, [3], NULL, NULL, {60, 0}, {[], 8}' },
    ];
    expect(formatStrace({ attached: [42], events: idle, follow: false, count: false, toFile: true })).toEqual({
      stdout: '',
      stderr: 'Process 42 attached\nProcess 42 detached\n',
      code: 0,
      file: 'close(3)                                = 0\npselect6(4, [3], NULL, NULL, {60, 0}, {[], 8} <detached ...>\n',
    });
  });

  it('-c prints count.c\'s table by time, without the call that never returned', () => {
    expect(straceSummary(reload)).toBe(
      '% time     seconds  usecs/call     calls    errors syscall\n' +
        '------ ----------- ----------- --------- --------- ----------------\n' +
        ' 99.60    0.001500        1500         1           clone\n' +
        '  0.40    0.000006           6         1           read\n' +
        '------ ----------- ----------- --------- --------- ----------------\n' +
        '100.00    0.001506                     2           total\n',
    );
    // the table comes after the detach notes, as cleanup() runs before call_summary()
    const idle: StraceEvent[] = [...reload.slice(0, 2), { t: 5, pid: 1234, kind: 'unfinished', name: 'pselect6', args: '4, [3], NULL, NULL, {60, 0}, {[], 8}' }];
    const out = formatStrace({ attached: [1234], events: idle, follow: false, count: true, toFile: false }).stderr;
    expect(out.split('\n').slice(0, 3)).toEqual(['Process 1234 attached', 'Process 1234 detached', '% time     seconds  usecs/call     calls    errors syscall']);
  });
});
