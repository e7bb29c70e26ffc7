/**
 * /var/log/syslog as the box's daemons see it: their lines (through the same ring the kernel's
 * messages reach via imklog), the compact ring a busy daemon writes, logrotate's daily turn, and
 * the tail a reader of the file sees.
 */
import { pushSyslog, release, SYSLOG_MAX_LINES, syslogSize } from '../kernel/logs';
import { COMPACT_FIELDS, type LogState, type SyslogEntry } from '../kernel/types';

export const SYSLOG1_MAX_LINES = 1500;

/** a daemon's line: `tag[pid]: text` */
export function slog(logs: LogState, t: number, tag: string, pid: number, text: string): void {
  pushSyslog(logs, { kind: 'line', time: t, tag, pid, text });
}

/** logrotate's daily run: syslog becomes syslog.1 (its tail, at least). */
export function rotateSyslog(logs: LogState): void {
  for (const e of logs.syslog1) release(logs, e);
  let lines = 0;
  let i = logs.syslog.length;
  while (i > 0 && lines + syslogSize(logs, logs.syslog[i - 1]!) <= SYSLOG1_MAX_LINES) {
    i--;
    lines += syslogSize(logs, logs.syslog[i]!);
  }
  for (let j = 0; j < i; j++) release(logs, logs.syslog[j]!);
  logs.syslog1 = logs.syslog.slice(i);
  logs.syslog = [];
  logs.syslogLines = 0;
  const keepFrom = Math.max(0, logs.compact.length - SYSLOG1_MAX_LINES * COMPACT_FIELDS);
  logs.compact1 = logs.compact.slice();
  logs.compact1T0 = dropCompact(logs.compact1, logs.compactT0, keepFrom);
  logs.compact = [];
}

/** A line for the compact ring (time, pid and two numbers the owner prints from). */
export function pushCompact(logs: LogState, time: number, pid: number, a: number, b: number): void {
  if (!logs.syslogUp) return;
  const c = logs.compact;
  if (c.length === 0) {
    logs.compactT0 = time;
    logs.compactLast = time;
  }
  c.push(time - logs.compactLast, pid, a, b);
  logs.compactLast = time;
  const max = SYSLOG_MAX_LINES * COMPACT_FIELDS;
  if (c.length > max + max / 8) logs.compactT0 = dropCompact(c, logs.compactT0, c.length - max);
}

/** drops the first `n` numbers (whole entries) and returns the new first entry's time */
function dropCompact(c: number[], t0: number, n: number): number {
  let t = t0;
  for (let i = COMPACT_FIELDS; i <= n; i += COMPACT_FIELDS) t += c[i]!;
  c.splice(0, n);
  if (c.length > 0) c[0] = 0;
  return t;
}

/** the compact ring as (time, pid, a, b) tuples, oldest first */
export function compactEntries(c: number[], t0: number): Array<[number, number, number, number]> {
  const out: Array<[number, number, number, number]> = [];
  let t = t0;
  for (let i = 0; i + 3 < c.length; i += COMPACT_FIELDS) {
    t += c[i]!;
    out.push([t, c[i + 1]!, c[i + 2]!, c[i + 3]!]);
  }
  return out;
}

/** the entries /var/log/syslog shows: the ring trimmed to its nominal size */
export function syslogTail(logs: LogState): SyslogEntry[] {
  let lines = 0;
  let i = logs.syslog.length;
  while (i > 0 && lines + syslogSize(logs, logs.syslog[i - 1]!) <= SYSLOG_MAX_LINES) {
    i--;
    lines += syslogSize(logs, logs.syslog[i]!);
  }
  return logs.syslog.slice(i);
}
