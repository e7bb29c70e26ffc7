import { formatUptime, parseUptimeArgs, sprintUptime, sprintUptimePretty } from '../../../engine/formats/uptime';
import { formatLoadavg, formatProcUptime } from '../../../engine/formats/procPidStatus';
import type { SystemSummaryView } from '../../../engine/formats/types';
import { NOW, meminfo } from './fixtures';

const s = (uptimeSec: number, users = 1): SystemSummaryView => ({
  now: NOW,
  uptimeMs: uptimeSec * 1000,
  users,
  loadavg: [0.52, 0.61, 0.58],
  tasks: { total: 1, running: 1, sleeping: 0, stopped: 0, zombie: 0 },
  cpu: { user: 0, nice: 0, system: 0, idle: 100, iowait: 0, irq: 0, softirq: 0, steal: 0 },
  meminfo: meminfo(),
});

describe('uptime', () => {
  it('prints days, %2d:%02d hours, %2d users and two-decimal load averages', () => {
    expect(formatUptime(s(3 * 86400 + 4 * 3600 + 5 * 60))).toBe(' 03:12:01 up 3 days,  4:05,  1 user,  load average: 0.52, 0.61, 0.58\n');
  });
  it('uses "day" for one day, "min" under an hour and plural users', () => {
    expect(sprintUptime(s(86400 + 11 * 3600 + 30 * 60, 3))).toBe(' 03:12:01 up 1 day, 11:30,  3 users,  load average: 0.52, 0.61, 0.58');
    expect(sprintUptime(s(7 * 60, 0))).toBe(' 03:12:01 up 7 min,  0 users,  load average: 0.52, 0.61, 0.58');
  });
  it('prints the pretty and since forms', () => {
    expect(sprintUptimePretty((3 * 86400 + 4 * 3600 + 5 * 60) * 1000)).toBe('up 3 days, 4 hours, 5 minutes');
    expect(sprintUptimePretty((10 * 86400 + 3600 + 60) * 1000)).toBe('up 1 week, 3 days, 1 hour, 1 minute');
    expect(formatUptime(s(3600), { pretty: false, since: true })).toBe('2015-03-14 02:12:01\n');
  });
  it('parses -p, -s, -V', () => {
    const p = parseUptimeArgs(['-p']);
    expect(p.ok && p.options).toEqual({ pretty: true, since: false });
    const v = parseUptimeArgs(['-V']);
    expect(!v.ok && v.stdout).toBe('uptime from procps-ng 3.3.9\n');
    const bad = parseUptimeArgs(['-x']);
    expect(!bad.ok && bad.stderr.startsWith("uptime: invalid option -- 'x'\n\nUsage:\n uptime [options]\n")).toBe(true);
  });
  it('prints /proc/uptime and /proc/loadavg', () => {
    expect(formatProcUptime(273900123, 540000999)).toBe('273900.12 540000.99\n');
    expect(formatLoadavg([0.52, 0.61, 0.58], 1, 123, 4567)).toBe('0.52 0.61 0.58 1/123 4567\n');
    expect(formatLoadavg([1.005, 0, 12.349], 2, 90, 3)).toBe('1.01 0.00 12.35 2/90 3\n');
  });
});
