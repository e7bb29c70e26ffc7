import { formatTop, parseTopArgs, type TopOptions } from '../../../engine/formats/top';
import type { SystemSummaryView } from '../../../engine/formats/types';
import { NOW, meminfo, proc } from './fixtures';

const summary: SystemSummaryView = {
  now: NOW,
  uptimeMs: (3 * 86400 + 4 * 3600 + 5 * 60) * 1000,
  users: 1,
  loadavg: [0.52, 0.61, 0.58],
  tasks: { total: 123, running: 1, sleeping: 122, stopped: 0, zombie: 0 },
  cpu: { us: 0.3, sy: 0.2, ni: 0, id: 99.4, wa: 0.1, hi: 0, si: 0, st: 0 },
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
];

function opts(argv: string[]): TopOptions {
  const p = parseTopArgs(argv);
  if (!p.ok) throw new Error(p.stderr);
  return p.options;
}

describe('top -b -n 1', () => {
  const lines = formatTop(summary, procs, opts(['-b', '-n', '1'])).split('\n');

  it('prints the five summary lines of procps-ng 3.3.10', () => {
    expect(lines[0]).toBe('top - 03:12:01 up 3 days,  4:05,  1 user,  load average: 0.52, 0.61, 0.58');
    expect(lines[1]).toBe('Tasks: 123 total,   1 running, 122 sleeping,   0 stopped,   0 zombie');
    expect(lines[2]).toBe('%Cpu(s):  0.3 us,  0.2 sy,  0.0 ni, 99.4 id,  0.1 wa,  0.0 hi,  0.0 si,  0.0 st');
    // used = total - free - (buffers + cached + SReclaimable)
    expect(lines[3]).toBe('KiB Mem :  2048036 total,    61232 free,  1948664 used,    38140 buff/cache');
    expect(lines[4]).toBe('KiB Swap:        0 total,        0 free,        0 used.    52344 avail Mem');
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

  it('ends the frame with a blank line', () => {
    // idle tasks keep pid order after the busy ones
    expect(formatTop(summary, procs, opts(['-b'])).endsWith(' dbus-daemon\n\n')).toBe(true);
  });

  it('sorts with -o and shows full command lines with -c', () => {
    const byMem = formatTop(summary, procs, opts(['-b', '-o', '%MEM'])).split('\n');
    expect(byMem[7].trim().startsWith('1234 ')).toBe(true);
    const full = formatTop(summary, procs, opts(['-bc', '-p', '2,1234'])).split('\n');
    expect(full.slice(7, 9).map((l) => l.slice(68))).toEqual(['/usr/sbin/nsd', '[kthreadd]']);
  });

  it('reports bad options like top', () => {
    const bad = parseTopArgs(['-z']);
    expect(!bad.ok && bad.stderr).toBe(
      "top: unknown option 'z'\n  procps-ng version 3.3.10\nUsage:\n  top -hv | -bcHiOSs -d secs -n max -u|U user -p pid(s) -o field -w [cols]\n",
    );
    const field = parseTopArgs(['-o', 'FOO']);
    expect(!field.ok && field.stderr.startsWith("top: unrecognized field name 'FOO'\n")).toBe(true);
  });
});
