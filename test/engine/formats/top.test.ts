import { formatTop, joinTopFrames, parseTopArgs, type TopOptions } from '../../../engine/formats/top';
import type { SystemSummaryView } from '../../../engine/formats/types';
import { NOW, meminfo, proc } from './fixtures';

const summary: SystemSummaryView = {
  now: NOW,
  uptimeMs: (3 * 86400 + 4 * 3600 + 5 * 60) * 1000,
  users: 1,
  loadavg: [0.52, 0.61, 0.58],
  tasks: { total: 123, running: 1, sleeping: 122, stopped: 0, zombie: 0 },
  // ticks since boot: 0.3% user, 0.2% system, 0.1% iowait, the rest idle
  cpu: { user: 300, nice: 0, system: 200, idle: 99400, iowait: 100, irq: 0, softirq: 0, steal: 0 },
  meminfo: meminfo(),
};

const procs = [
  proc({ pid: 1, comm: 'init', args: '/sbin/init', startTime: NOW - summary.uptimeMs + 1000, cpuTimeMs: 1230, vszKb: 33640, rssKb: 2920, anonRssKb: 1452 }),
  proc({ pid: 2, comm: 'kthreadd', kernelThread: true }),
  proc({
    pid: 1234, ppid: 1, uid: 108, user: 'nsd', comm: 'nsd', args: '/usr/sbin/nsd', startTime: NOW - 3600e3,
    cpuTimeMs: 61000, vszKb: 493824, rssKb: 182112, anonRssKb: 180912,
  }),
  proc({ pid: 700, uid: 102, user: 'messagebus', comm: 'dbus-daemon', args: 'dbus-daemon --system', vszKb: 39228, rssKb: 1300, anonRssKb: 600 }),
  proc({ pid: 5000, ppid: 1, uid: 0, user: 'root', comm: 'cron', args: 'cron', state: 'T' }),
];

function opts(argv: string[]): TopOptions {
  const p = parseTopArgs(argv);
  if (!p.ok) throw new Error(p.stderr);
  return p.options;
}

describe('top -b -n 1', () => {
  const lines = formatTop(summary, procs, opts(['-b', '-n', '1'])).split('\n');

  it('prints the five summary lines of procps-ng 3.3.9', () => {
    expect(lines[0]).toBe('top - 03:12:01 up 3 days,  4:05,  1 user,  load average: 0.52, 0.61, 0.58');
    // counted from the tasks it was given, not from a number handed in
    expect(lines[1]).toBe('Tasks:   5 total,   0 running,   4 sleeping,   1 stopped,   0 zombie');
    expect(lines[2]).toBe('%Cpu(s):  0.3 us,  0.2 sy,  0.0 ni, 99.4 id,  0.1 wa,  0.0 hi,  0.0 si,  0.0 st');
    // 3.3.9: used = total - free; buffers and Cached alone, cached on the Swap line
    expect(lines[3]).toBe('KiB Mem:   2048036 total,  1986804 used,    61232 free,     1204 buffers');
    expect(lines[4]).toBe('KiB Swap:        0 total,        0 used,        0 free.    20536 cached Mem');
  });

  it('counts a running task, itself included, in the Tasks line', () => {
    const withSelf = [...procs, proc({ pid: 6000, comm: 'top', state: 'R' })];
    const frame = formatTop(summary, withSelf, opts(['-b']));
    expect(frame.split('\n')[1]).toBe('Tasks:   6 total,   1 running,   4 sleeping,   1 stopped,   0 zombie');
    expect(frame.split('\n').filter((l) => /^\s*\d+ /.test(l))).toHaveLength(6);
  });

  it('takes %Cpu(s) over the ticks since the previous frame when there is one', () => {
    const prev = { user: 100, nice: 0, system: 100, idle: 99000, iowait: 100, irq: 0, softirq: 0, steal: 0 };
    // since then: 200 user, 100 system, 400 idle of 700 ticks
    expect(formatTop(summary, procs, opts(['-b']), { prevCpu: prev }).split('\n')[2]).toBe(
      '%Cpu(s): 28.6 us, 14.3 sy,  0.0 ni, 57.1 id,  0.0 wa,  0.0 hi,  0.0 si,  0.0 st',
    );
  });

  it('marks a memory number too wide for its nine bytes with a plus (and prints it as a float)', () => {
    // 1234567890 is 1234567936 as a float; 1234506658 is 1234506624
    const big = formatTop({ ...summary, meminfo: meminfo({ MemTotal: 1234567890, MemFree: 61232 }) }, procs, opts(['-b'])).split('\n');
    expect(big[3]).toBe('KiB Mem:  12345679+total, 12345066+used,    61232 free,     1204 buffers');
  });

  it('leaves a blank message line before the column header', () => {
    expect(lines[5]).toBe('');
    expect(lines[6]).toBe('  PID USER      PR  NI    VIRT    RES    SHR S  %CPU %MEM     TIME+ COMMAND');
  });

  it('sorts by %CPU and lays out the task columns', () => {
    // SHR is the file-backed part of RES; %CPU 61 s over 3600 s; TIME+ is min:sec.hundredths
    expect(lines[7]).toBe(' 1234 nsd       20   0  493824 182112   1200 S   1.7  8.9   1:01.00 nsd');
    expect(lines[8]).toBe('    1 root      20   0   33640   2920   1468 S   0.0  0.1   0:01.23 init');
  });

  it('truncates long user names with a plus', () => {
    expect(lines.find((l) => l.includes('dbus-daemon'))).toBe(
      '  700 message+  20   0   39228   1300    700 S   0.0  0.1   0:00.00 dbus-daemon',
    );
  });

  it('ends a frame with its last task line; frames after the first start after a blank line', () => {
    // idle tasks keep pid order after the busy ones
    const one = formatTop(summary, procs, opts(['-b']));
    expect(one.endsWith(' cron\n')).toBe(true);
    expect(joinTopFrames([one, one])).toBe(`${one}\n${one}`);
    expect(joinTopFrames([one, one])).toContain(' cron\n\ntop - 03:12:01');
  });

  it('sorts with -o and shows full command lines with -c', () => {
    const byMem = formatTop(summary, procs, opts(['-b', '-o', '%MEM'])).split('\n');
    expect(byMem[7].trim().startsWith('1234 ')).toBe(true);
    const full = formatTop(summary, procs, opts(['-bc', '-p', '2,1234'])).split('\n');
    expect(full.slice(7, 9).map((l) => l.slice(68))).toEqual(['/usr/sbin/nsd', '[kthreadd]']);
  });

  it('reports bad options like top 3.3.9', () => {
    const bad = parseTopArgs(['-z']);
    expect(!bad.ok && bad.stderr).toBe("top: unknown option 'z'\nUsage:\n  top -hv | -bcHiOSs -d secs -n max -u|U user -p pid(s) -o field -w [cols]\n");
    // 3.3.9 has no -V: only -h and -v print the version
    const v = parseTopArgs(['-V']);
    expect(!v.ok && v.stderr).toBe("top: unknown option 'V'\nUsage:\n  top -hv | -bcHiOSs -d secs -n max -u|U user -p pid(s) -o field -w [cols]\n");
    const help = parseTopArgs(['-v']);
    expect(!help.ok && help.code === 0 && help.stdout).toBe('  procps-ng version 3.3.9\nUsage:\n  top -hv | -bcHiOSs -d secs -n max -u|U user -p pid(s) -o field -w [cols]\n');
    const n0 = parseTopArgs(['-b', '-n', '0']);
    expect(!n0.ok && n0.stderr).toBe("top: bad iterations argument '0'\n");
    const d = parseTopArgs(['-d', '-1']);
    expect(!d.ok && d.stderr).toBe('top: -d requires positive argument\n');
    const dx = parseTopArgs(['-d', 'x']);
    expect(!dx.ok && dx.stderr).toBe("top: bad delay interval 'x'\n");
    const w = parseTopArgs(['-w', '2']);
    expect(!w.ok && w.stderr).toBe("top: bad width arg '2', must > 2\n");
    const field = parseTopArgs(['-o', 'FOO']);
    expect(!field.ok && field.stderr.startsWith("top: unrecognized field name 'FOO'\n")).toBe(true);
  });
});
