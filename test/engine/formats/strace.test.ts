import { formatStrace, straceQuote, straceSummary, type StraceEvent } from '../../../engine/formats/strace';

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

/** 2015-11-10 02:14:01 UTC, in the virtual clock's ms */
const AT = Date.UTC(2015, 10, 10, 2, 14, 1);
const HEAD = 'POST /pub?topic=events HTTP/1.1\r\nAccept-Encoding: gzip;q=1.0,deflate;q=0.6,identity;q=0.3\r\nAccept: */*\r\nUser-Agent: Ruby\r\nContent-Type: application/json\r\nHost: 127.0.0.1:4151\r\nContent-Length: 22\r\n\r\n';
const BODY = '{"id":42,"type":"ok"}\n';

const publish: StraceEvent[] = [
  { t: AT + 112.201, pid: 812, kind: 'call', name: 'write', parts: ['6, ', { bytes: HEAD }, `, ${HEAD.length}`], ret: String(HEAD.length), us: 24 },
  { t: AT + 112.26, pid: 812, kind: 'call', name: 'write', parts: ['6, ', { bytes: BODY }, ', 22'], ret: '22', us: 9 },
  { t: AT + 112.4, pid: 812, kind: 'call', name: 'read', args: '6, 0x7f3e1c59d000, 16384', ret: '-1 EAGAIN (Resource temporarily unavailable)', us: 6, error: true },
  { t: AT + 112.42, pid: 812, kind: 'call', name: 'select', args: '7, [6], NULL, NULL, {60, 0}', ret: '1 (in [6], left {59, 959683})', us: 40317 },
  { t: AT + 152.75, pid: 812, kind: 'call', name: 'close', args: '7', ret: '0', us: 5 },
  { t: AT + 1152.8, pid: 812, kind: 'unfinished', name: 'select', args: '7, [6], NULL, NULL, {60, 0}' },
];

describe('strace 4.8 stamps and times (printleader, -T)', () => {
  const run = (stamp: 't' | 'tt' | 'ttt' | 'r' | undefined, durations: boolean, events = publish) =>
    formatStrace({ attached: [812], events, follow: false, count: false, toFile: false, stamp, durations }).stderr;

  it('-tt -T: the entry time to the microsecond first, the time spent last; a blocked call has no time', () => {
    expect(run('tt', true)).toBe(
      'Process 812 attached\n' +
        '02:14:01.112201 write(6, "POST /pub?topic=events HTTP/1.1\\r"..., 198) = 198 <0.000024>\n' +
        '02:14:01.112260 write(6, "{\\"id\\":42,\\"type\\":\\"ok\\"}\\n", 22) = 22 <0.000009>\n' +
        '02:14:01.112400 read(6, 0x7f3e1c59d000, 16384) = -1 EAGAIN (Resource temporarily unavailable) <0.000006>\n' +
        '02:14:01.112420 select(7, [6], NULL, NULL, {60, 0}) = 1 (in [6], left {59, 959683}) <0.040317>\n' +
        '02:14:01.152750 close(7)                = 0 <0.000005>\n' +
        '02:14:02.152800 select(7, [6], NULL, NULL, {60, 0} <detached ...>\n' +
        'Process 812 detached\n',
    );
  });

  it('-t is to the second, and the stamp counts toward column 40', () => {
    expect(run('t', false).split('\n')[5]).toBe('02:14:01 close(7)                       = 0');
  });

  it('-ttt is seconds since the epoch', () => {
    expect(run('ttt', false).split('\n')[1]).toBe('1447121641.112201 write(6, "POST /pub?topic=events HTTP/1.1\\r"..., 198) = 198');
  });

  it('-r is the time since the line before, whichever process printed it, and 0 for the first', () => {
    const ev: StraceEvent[] = [
      { t: AT + 5, pid: 812, kind: 'call', name: 'close', args: '7', ret: '0', us: 4 },
      { t: AT + 5.059, pid: 813, kind: 'call', name: 'close', args: '8', ret: '0', us: 4 },
      { t: AT + 1045.2, pid: 812, kind: 'exit', status: 0 },
    ];
    expect(formatStrace({ attached: [812, 813], events: ev, follow: false, count: false, toFile: false, stamp: 'r' }).stderr).toBe(
      'Process 812 attached\n' +
        'Process 813 attached\n' +
        '[pid   812]      0.000000 close(7)      = 0\n' +
        '[pid   813]      0.000059 close(8)      = 0\n' +
        '[pid   812]      1.040141 +++ exited with 0 +++\n' +
        'Process 813 detached\n',
    );
  });

  it('without the options the lines are as before', () => {
    expect(run(undefined, false).split('\n')[5]).toBe('close(7)                                = 0');
  });

  it('-s cuts the byte strings of the call', () => {
    const out = formatStrace({ attached: [812], events: publish.slice(0, 2), follow: false, count: false, toFile: false, strsize: 8 }).stderr;
    expect(out).toBe('Process 812 attached\nwrite(6, "POST /pu"..., 198)            = 198\nwrite(6, "{\\"id\\":42"..., 22)           = 22\nProcess 812 detached\n');
  });
});

describe("strace's quoting of a buffer (string_quote)", () => {
  it('escapes quotes, backslashes and the C escapes, and writes other bytes in octal', () => {
    expect(straceQuote('a"b\\c\f\n\r\t\v')).toBe('"a\\"b\\\\c\\f\\n\\r\\t\\v"');
    expect(straceQuote('\x01\x00\x00\x00')).toBe('"\\1\\0\\0\\0"');
    // three digits when a digit follows, so the number cannot run into it
    expect(straceQuote('\x001\x1b[0m\xff')).toBe('"\\0001\\33[0m\\377"');
    // one char is one byte; text beyond a byte goes as its UTF-8
    expect(straceQuote('\xe9')).toBe('"\\351"');
    expect(straceQuote('€')).toBe('"\\342\\202\\254"');
  });

  it('shows 32 bytes by default and says when there was more', () => {
    expect(straceQuote('x'.repeat(32))).toBe(`"${'x'.repeat(32)}"`);
    expect(straceQuote('x'.repeat(33))).toBe(`"${'x'.repeat(32)}"...`);
    expect(straceQuote('abc', 0)).toBe('""...');
    expect(straceQuote('', 0)).toBe('""');
  });
});
