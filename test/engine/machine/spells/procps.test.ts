import { createGame, type GameHandle, type OutputBlock } from '../../../../engine/index';

/** The procps spells on the simulated box: repeats move the clock, and the numbers agree with /proc. */
const out = (blocks: OutputBlock[]): string =>
  blocks.filter((b) => b.kind === 'spell-output').map((b) => ('text' in b ? b.text : '')).join('');
const err = (blocks: OutputBlock[]): string =>
  blocks.filter((b) => b.kind === 'error').map((b) => ('text' in b ? b.text : '')).join('');

function game(): GameHandle {
  const g = createGame('1', 4242);
  g.start();
  return g;
}

describe('procps spells', () => {
  const g = game();

  it('free -s 2 -c 3 prints three times, a blank line apart, and the clock moves 2 s between prints', () => {
    const text = out(g.step('date +%s; free -s 2 -c 3; date +%s'));
    const lines = text.split('\n');
    const t0 = Number(lines[0]);
    const frames = lines.slice(1, -2).join('\n').split('\n\n');
    expect(frames).toHaveLength(3);
    for (const f of frames) expect(f.split('\n')[0]).toBe('             total       used       free     shared    buffers     cached');
    expect(Number(lines[lines.length - 2]) - t0).toBe(4);
  });

  it('free -c 2 alone repeats after one second', () => {
    const text = out(g.step('date +%s; free -c 2 > /dev/null; date +%s'));
    const [a, b] = text.trim().split('\n').map(Number);
    expect(b! - a!).toBe(1);
  });

  it('refuses a repeat that would never end or could not fit in one line', () => {
    const endless = g.step('free -s 1');
    expect(out(endless)).toBe('');
    expect(err(endless)).toMatch(/^free: without -c COUNT this repeats until interrupted/);
    expect(err(g.step('free -c 20000'))).toMatch(/^free: 20000 prints are more than one line may make/);
    expect(err(g.step('free -w'))).toMatch(/^free: invalid option -- 'w'\n/);
  });

  it('top -b -n 3 -d 5 prints three frames 5 s apart, each Tasks line counting the rows below it', () => {
    const text = out(g.step('top -b -n 3 -d 5'));
    const frames = text.split('\n\ntop - ');
    expect(frames).toHaveLength(3);
    const times = [...text.matchAll(/^top - (\d\d):(\d\d):(\d\d) /gm)].map((m) => Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]));
    expect(times).toEqual([times[0], times[0]! + 5, times[0]! + 10]);
    for (const f of frames) {
      const lines = f.split('\n');
      const tasks = /Tasks:\s+(\d+) total,\s+(\d+) running,\s+(\d+) sleeping,\s+(\d+) stopped,\s+(\d+) zombie/.exec(f)!;
      const header = lines.findIndex((l) => l.startsWith('  PID USER'));
      const sCol = lines[header]!.indexOf(' S ') + 1;
      const rows = lines.slice(header + 1).filter((l) => l !== '');
      expect(Number(tasks[1])).toBe(rows.length);
      expect(Number(tasks[2])).toBe(rows.filter((r) => r[sCol] === 'R').length);
      expect(Number(tasks[2]) + Number(tasks[3]) + Number(tasks[4]) + Number(tasks[5])).toBe(rows.length);
      // top lists itself, running
      expect(rows.some((r) => / R .* top$/.test(r))).toBe(true);
      expect(f).toMatch(/\nKiB Mem:  .* total, .* used, .* free, .* buffers\nKiB Swap: .* total, .* used, .* free\. .* cached Mem\n/);
    }
    expect(text.endsWith('\n') && !text.endsWith('\n\n')).toBe(true);
  });

  it('vmstat 2 3 prints the two headers and three lines, the clock moving 2 s between them', () => {
    const text = out(g.step('date +%s; vmstat 2 3; date +%s'));
    const lines = text.trim().split('\n');
    expect(lines[1]).toBe('procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----');
    expect(lines[2]).toBe(' r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st');
    expect(lines.slice(3, 6).every((l) => /^( *\d+){17}$/.test(l))).toBe(true);
    expect(Number(lines[6]) - Number(lines[0])).toBe(4);
    expect(err(g.step('vmstat 1'))).toMatch(/^vmstat: without a COUNT after the DELAY/);
  });

  it('uptime, /proc/loadavg and top show the same three load averages', () => {
    const text = out(g.step('uptime; cat /proc/loadavg; top -b -n 1 | head -1'));
    const [up, loadavg, top] = text.trim().split('\n');
    const fromUptime = /load average: (\S+), (\S+), (\S+)$/.exec(up!)!.slice(1);
    const fields = loadavg!.split(' ');
    expect(fields).toHaveLength(5);
    expect(fields.slice(0, 3)).toEqual(fromUptime);
    expect(fields[3]).toMatch(/^\d+\/\d+$/);
    expect(top!.endsWith(`load average: ${fromUptime.join(', ')}`)).toBe(true);
  });

  it('/proc/stat: the cpu line is the sum of the per-CPU lines, and ticks add up to the time since boot', () => {
    const text = out(g.step('cat /proc/stat; cat /proc/uptime'));
    const lines = text.trim().split('\n');
    const nums = (l: string) => l.split(/\s+/).slice(1).map(Number);
    const all = nums(lines[0]!);
    const c0 = nums(lines[1]!);
    const c1 = nums(lines[2]!);
    expect(lines[0]!.startsWith('cpu  ')).toBe(true);
    expect(all).toEqual(all.map((_, i) => c0[i]! + c1[i]!));
    const upSecs = Number(lines[lines.length - 1]!.split(' ')[0]);
    const total = all.reduce((a, b) => a + b, 0);
    expect(Math.abs(total / 100 - 2 * upSecs)).toBeLessThan(0.1);
    expect(lines.slice(3, -1).map((l) => l.split(' ')[0])).toEqual(['intr', 'ctxt', 'btime', 'processes', 'procs_running', 'procs_blocked', 'softirq']);
  });

  it('ps -V and uptime -V name procps-ng 3.3.9', () => {
    expect(out(g.step('ps -V; uptime -V; free -V; vmstat -V'))).toBe(
      'procps-ng version 3.3.9\nuptime from procps-ng 3.3.9\nfree from procps-ng 3.3.9\nvmstat from procps-ng 3.3.9\n',
    );
  });

  it('VSZ and VmSize are whole pages', () => {
    const vsz = out(g.step('ps -eo vsz=')).trim().split('\n').map(Number);
    expect(vsz.length).toBeGreaterThan(20);
    expect(vsz.filter((v) => v % 4 !== 0)).toEqual([]);
    const sizes = out(g.step('grep -h VmSize /proc/[0-9]*/status')).trim().split('\n').map((l) => Number(/(\d+) kB/.exec(l)![1]));
    expect(sizes.filter((v) => v % 4 !== 0)).toEqual([]);
  });

  it('/proc/PID/status: gids from /etc/passwd and /etc/group, signal masks from what each daemon installs', () => {
    const status = (name: string) => out(g.step(`grep -E '^(Gid|Groups|SigIgn|SigCgt)' /proc/$(pidof -s ${name})/status`));
    // rsyslogd drops to syslog:syslog and initgroups() adds adm; it catches HUP ABRT SEGV TERM CHLD TTIN (+ NPTL's 32, 33)
    expect(status('rsyslogd')).toBe('Gid:\t104\t104\t104\t104\nGroups:\t4 104 \nSigIgn:\t0000000001001206\nSigCgt:\t0000000180114421\n');
    // the login shell: ops, in adm and sudo
    expect(out(g.step('for p in $(ps -o pid= -u ops); do grep Groups /proc/$p/status; done | sort -u'))).toBe('Groups:\t4 27 1000 \n');
    const gid = Number(/^nsd:x:(\d+):/m.exec(out(g.step('cat /etc/group')))![1]);
    // NSD 4.0.1: TERM HUP INT ILL USR1 ALRM CHLD caught, PIPE ignored; xfrd adds QUIT
    const masks = out(g.step('for p in $(pidof nsd); do grep -E "^(Gid|SigCgt)" /proc/$p/status | tr "\\n" " "; echo; done')).trim().split('\n');
    expect(masks.length).toBeGreaterThan(2);
    for (const m of masks) expect(m).toMatch(new RegExp(`^Gid:\\t${gid}\\t.* SigCgt:\\t00000000000162(0b|0f) ?$`));
    expect(masks.filter((m) => m.includes("1620f"))).toHaveLength(1);
  });

  it('STAT: daemons lead their sessions, but nsd processes stay in the one its first main made', () => {
    const stat = (args: string) => out(g.step(`ps -o stat= ${args}`)).trim().split('\n').map((l) => l.trim());
    expect(stat('-C cron')).toEqual(['Ss']);
    expect(stat('-C rsyslogd')).toEqual(['Ssl']);
    // a reload's new main and xfrd (whose parent, the first main, is gone) lead no session
    const nsd = stat('-C nsd');
    expect(nsd.length).toBeGreaterThan(2);
    expect(nsd.filter((s) => s.includes('s'))).toEqual([]);
    // the player's ps is in the foreground of the terminal
    expect(stat('')).toContain('R+');
  });
});
