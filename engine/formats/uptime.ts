/** uptime from procps-ng 3.3.9, and the sprint_uptime() line top shares (uptime.c and proc/whattime.c as in 3.3.10). */
import type { SystemSummaryView } from './types';
import { rpad } from './printf';
import { clock, strftime } from './time';
import { exitWith, type ParsedArgs } from './args';
import { getopt } from '../shell/getopt';
import { procpsVersion, USAGE_HEADER, USAGE_HELP, USAGE_OPTIONS, USAGE_VERSION, usageManTail } from './procps';

interface UptimeOptions {
  pretty: boolean;
  since: boolean;
}

function uptimeUsage(): string {
  return (
    USAGE_HEADER +
    ' uptime [options]\n' +
    USAGE_OPTIONS +
    ' -p, --pretty   show uptime in pretty format\n' +
    USAGE_HELP +
    ' -s, --since    system up since\n' +
    USAGE_VERSION +
    usageManTail('uptime(1)')
  );
}

export function parseUptimeArgs(argv: readonly string[]): ParsedArgs<UptimeOptions> {
  const options: UptimeOptions = { pretty: false, since: false };
  const p = getopt('uptime', argv, [
    { short: 'p', long: 'pretty', key: 'p' },
    { short: 's', long: 'since', key: 's' },
    { short: 'h', long: 'help', key: 'h' },
    { short: 'V', long: 'version', key: 'V' },
  ]);
  for (const e of p.opts) {
    if (e.key === 'p') options.pretty = true;
    if (e.key === 's') options.since = true;
    if (e.key === 'h') return exitWith(uptimeUsage(), '', 0);
    if (e.key === 'V') return exitWith(procpsVersion('uptime'), '', 0);
  }
  if (p.error !== undefined) return exitWith('', `${p.error}\n${uptimeUsage()}`, 1);
  return { ok: true, options };
}

/**
 * The kernel adds FIXED_1/200 before printing /proc/loadavg, i.e. rounds half up to two places;
 * uptime and top then print that already-rounded number.
 */
export function loadavgText(v: number): string {
  const hundredths = Math.floor(v * 100 + 0.5 + 1e-9);
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}

/** " 03:12:01 up 3 days,  4:05,  1 user,  load average: 0.52, 0.61, 0.58" (leading space included). */
export function sprintUptime(s: Pick<SystemSummaryView, 'now' | 'uptimeMs' | 'users' | 'loadavg'>): string {
  const secs = Math.floor(s.uptimeMs / 1000);
  const days = Math.floor(secs / 86400);
  const minutes = Math.floor(secs / 60);
  const hours = Math.floor(minutes / 60) % 24;
  let out = ` ${clock(s.now)} up `;
  if (days) out += `${days} day${days !== 1 ? 's' : ''}, `;
  out += hours ? `${rpad(hours, 2)}:${String(minutes % 60).padStart(2, '0')}, ` : `${minutes % 60} min, `;
  out += `${rpad(s.users, 2)} user${s.users === 1 ? '' : 's'}, `;
  out += ` load average: ${s.loadavg.map(loadavgText).join(', ')}`;
  return out;
}

/** uptime -p: "up 3 days, 4 hours, 5 minutes" (weeks and years split out as procps does). */
export function sprintUptimePretty(uptimeMs: number): string {
  const secs = Math.floor(uptimeMs / 1000);
  const parts: Array<[number, string, string]> = [
    [Math.floor(secs / (86400 * 365 * 10)), 'decade', 'decades'],
    [Math.floor(secs / (86400 * 365)) % 10, 'year', 'years'],
    [Math.floor(secs / (86400 * 7)) % 52, 'week', 'weeks'],
    [Math.floor(secs / 86400) % 7, 'day', 'days'],
    [Math.floor(secs / 3600) % 24, 'hour', 'hours'],
    [Math.floor(secs / 60) % 60, 'minute', 'minutes'],
  ];
  return 'up ' + parts.filter(([n]) => n).map(([n, one, many]) => `${n} ${n > 1 ? many : one}`).join(', ');
}

export function formatUptime(s: SystemSummaryView, o: UptimeOptions = { pretty: false, since: false }): string {
  if (o.since) return `${strftime('%Y-%m-%d %H:%M:%S', s.now - s.uptimeMs)}\n`;
  if (o.pretty) return `${sprintUptimePretty(s.uptimeMs)}\n`;
  return `${sprintUptime(s)}\n`;
}
