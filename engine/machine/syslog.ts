/**
 * /var/log as the box's daemons write it: their lines (through the same records the kernel's
 * messages reach via imklog), the compact ring a busy daemon writes, runs of OOM kills applied in
 * bulk, and logrotate's turns (syslog daily, kern.log and auth.log weekly, as Ubuntu 14.04's
 * /etc/logrotate.d/rsyslog says).
 */
import { holdReport, klogRun, kmsgRunGrew, pushSyslog, release } from '../kernel/logs';
import { nthFreePid } from '../kernel/pid';
import { COMPACT_FIELDS, type LogState, type OomRun, type SyslogEntry } from '../kernel/types';
import { DIGIT_VALUE, DigitWriter, gapDigits } from '../kernel/gapDigits';

/** lines of the compact ring kept for the current file and, after a rotation, for syslog.1 */
export const COMPACT_MAX_LINES = 4000;
export const COMPACT1_MAX_LINES = 1500;

const DAY_MS = 86_400_000;
/** syslog: rotate 7; kern.log, auth.log and the rest: weekly, rotate 4 */
export const SYSLOG_ROTATE = 7;
export const WEEKLY_ROTATE = 4;

/** a daemon's line: `tag[pid]: text` */
export function slog(logs: LogState, t: number, tag: string, pid: number, text: string): void {
  pushSyslog(logs, { kind: 'line', time: t, tag, pid, text });
}

/** The rotations a save made before the log store kept them, read the way the files were then. */
export function rotationsOf(logs: LogState): { daily: number[]; weekly: number[]; records: SyslogEntry[] } {
  const daily = logs.rotations ?? [];
  const weekly = logs.weekly ?? [];
  if (logs.syslog1.length === 0) return { daily, weekly, records: logs.syslog };
  // an old save: the tail of syslog.1 first, the file turned over where the current one begins
  const start = logs.syslog.length > 0 ? Math.min(...logs.syslog.map((e) => e.time)) : Infinity;
  return { daily: daily.length > 0 ? daily : Number.isFinite(start) ? [start] : [], weekly, records: [...logs.syslog1, ...logs.syslog] };
}

/**
 * logrotate's daily run at `t`: syslog turns over every day (notifempty: not when nothing was
 * written since the last turn), kern.log and auth.log once a week has passed since theirs.
 * Records no file holds any more are dropped.
 */
export function rotateLogs(logs: LogState): void {
  rotateAt(logs, logs.syslog.length > 0 ? logs.syslog[logs.syslog.length - 1]!.time : 0);
}

export function rotateAt(logs: LogState, t: number): void {
  settleCompact(logs);
  const old = rotationsOf(logs);
  logs.syslog = old.records;
  logs.syslog1 = [];
  const daily = old.daily.slice();
  const weekly = old.weekly.slice();
  const lastDaily = daily.length > 0 ? daily[daily.length - 1]! : -Infinity;
  if (logs.syslog.some((e) => e.time >= lastDaily && e.time < t)) daily.push(t);
  if (logs.since === undefined) logs.since = logs.syslog.length > 0 ? Math.min(...logs.syslog.map((e) => e.time)) : t;
  const weekFrom = weekly.length > 0 ? weekly[weekly.length - 1]! : logs.since;
  if (t - weekFrom >= 7 * DAY_MS - 3_600_000) weekly.push(t);
  while (daily.length > SYSLOG_ROTATE + 1) daily.shift();
  while (weekly.length > WEEKLY_ROTATE + 1) weekly.shift();
  logs.rotations = daily;
  logs.weekly = weekly;
  // the oldest rotated file either kind keeps begins at its turn; anything earlier is gone
  const keepDaily = daily.length > SYSLOG_ROTATE ? daily[0]! : -Infinity;
  const keepWeekly = weekly.length > WEEKLY_ROTATE ? weekly[0]! : -Infinity;
  const cut = Math.min(keepDaily, keepWeekly);
  if (cut > -Infinity) {
    const kept: SyslogEntry[] = [];
    for (const e of logs.syslog) {
      if (endOf(logs, e) < cut) release(logs, e);
      else kept.push(e);
    }
    logs.syslog = kept;
  }
  logs.syslogLines = logs.syslog.length;
  // the compact ring keeps the tail of the day that ended for syslog.1
  const keepFrom = Math.max(0, logs.compact.length - COMPACT1_MAX_LINES * COMPACT_FIELDS);
  const c = logs.compact;
  // only the tail is copied: a copy of the whole ring is an allocation of its own, outside the young heap
  logs.compact1 = c.slice(keepFrom);
  if (logs.compact1.length > 0) logs.compact1[0] = 0;
  logs.compact1T0 = timeAt(c, logs.compactT0, keepFrom);
  logs.compact = [];
}

/** the time of an entry's last line */
function endOf(logs: LogState, e: SyslogEntry): number {
  if (e.kind !== 'oomrun') return e.time;
  const run = logs.runs?.[e.run];
  return run ? run.last + Math.max(0, ...run.offsets) : e.time;
}

/** lines of the compact ring before a push cuts it back to COMPACT_MAX_LINES: no more survive a push */
const COMPACT_CUT_LINES = COMPACT_MAX_LINES + COMPACT_MAX_LINES / 8;

/**
 * The compact lines of one advance of the clock (85,000 in a simulated week), held back while it
 * runs and written into the ring as pushCompact one by one would have left it: each push past
 * the cut drops the ring's oldest lines, so only the newest COMPACT_CUT_LINES of them can
 * survive, and they wait here in a fixed buffer. The ring is cut once per settle instead of
 * copied every 500 lines. Lives outside the state: whatever reads the ring settles it first,
 * and an advance settles it before it returns.
 */
class HeldCompact {
  depth = 1;
  /** (gap since the push before, pid, a, b) of the newest pushes, a circular buffer; made at the first push */
  private buf = new Float64Array(0);
  /** the time of each push in buf */
  private times = new Float64Array(0);
  private count = 0;
  private last: number;

  constructor(private readonly logs: LogState) {
    this.last = logs.compactLast;
  }

  push(time: number, pid: number, a: number, b: number): void {
    if (!this.logs.syslogUp) return;
    const k = this.count % COMPACT_CUT_LINES;
    const i = k * COMPACT_FIELDS;
    if (this.times.length === 0) {
      this.buf = new Float64Array(COMPACT_CUT_LINES * COMPACT_FIELDS);
      this.times = new Float64Array(COMPACT_CUT_LINES);
    }
    const buf = this.buf;
    buf[i] = time - this.last;
    buf[i + 1] = pid;
    buf[i + 2] = a;
    buf[i + 3] = b;
    this.times[k] = time;
    this.last = time;
    this.count++;
  }

  settle(): void {
    const added = this.count;
    if (added === 0) return;
    this.count = 0;
    const logs = this.logs;
    const had = logs.compact.length / COMPACT_FIELDS;
    // pushCompact's cuts: the first push that takes the ring past COMPACT_CUT_LINES cuts it back to
    // COMPACT_MAX_LINES, and so does every (COMPACT_CUT_LINES + 1 - COMPACT_MAX_LINES)th push after it
    let lines = had + added;
    if (lines > COMPACT_CUT_LINES) {
      const afterFirstCut = added - (COMPACT_CUT_LINES + 1 - had);
      lines = COMPACT_MAX_LINES + (afterFirstCut % (COMPACT_CUT_LINES + 1 - COMPACT_MAX_LINES));
    }
    const dropped = had + added - lines;
    // the held pushes that stay: all of them while some of the ring's own lines do
    const first = Math.max(0, dropped - had);
    // the ring is rewritten in place: a ring this long lives outside the young heap, and a new one costs more than the copy
    const c = logs.compact;
    const F = COMPACT_FIELDS;
    let at = 0;
    if (dropped < had) {
      if (dropped > 0) {
        logs.compactT0 = timeAt(c, logs.compactT0, dropped * F);
        for (let i = dropped * F; i < c.length; i++) c[at++] = c[i]!;
        c[0] = 0;
      } else at = c.length;
    } else logs.compactT0 = this.times[first % COMPACT_CUT_LINES]!;
    // grown once to its new length, not step by step as appending would (fresh memory is slow to touch)
    if (c.length < lines * F) c.length = lines * F;
    const buf = this.buf;
    for (let k = first; k < added; k++) {
      const i = (k % COMPACT_CUT_LINES) * F;
      c[at] = at === 0 ? 0 : buf[i]!;
      c[at + 1] = buf[i + 1]!;
      c[at + 2] = buf[i + 2]!;
      c[at + 3] = buf[i + 3]!;
      at += F;
    }
    c.length = at;
    logs.compactLast = this.last;
  }
}

const held = new WeakMap<LogState, HeldCompact>();

/** Compact lines pushed until the matching releaseCompact wait to be written together (calls nest). */
export function holdCompact(logs: LogState): void {
  const h = held.get(logs);
  if (h) h.depth++;
  else held.set(logs, new HeldCompact(logs));
}

export function releaseCompact(logs: LogState): void {
  const h = held.get(logs);
  if (!h) return;
  h.settle();
  if (--h.depth === 0) held.delete(logs);
}

/** Writes held compact lines into the ring: call before reading logs.compact or its times. */
export function settleCompact(logs: LogState): void {
  held.get(logs)?.settle();
}

/** pushCompact for a loop that pushes many: the held buffer, looked up once */
export function compactWriter(logs: LogState): (time: number, pid: number, a: number, b: number) => void {
  const h = held.get(logs);
  return h ? (time, pid, a, b) => h.push(time, pid, a, b) : (time, pid, a, b) => pushCompact(logs, time, pid, a, b);
}

/** A line for the compact ring (time, pid and two numbers the owner prints from). */
export function pushCompact(logs: LogState, time: number, pid: number, a: number, b: number): void {
  const h = held.get(logs);
  if (h) return h.push(time, pid, a, b);
  if (!logs.syslogUp) return;
  const c = logs.compact;
  if (c.length === 0) {
    logs.compactT0 = time;
    logs.compactLast = time;
  }
  c.push(time - logs.compactLast, pid, a, b);
  logs.compactLast = time;
  if (c.length > COMPACT_CUT_LINES * COMPACT_FIELDS) logs.compactT0 = dropCompact(c, logs.compactT0, c.length - COMPACT_MAX_LINES * COMPACT_FIELDS);
}

/** drops the first `n` numbers (whole entries) and returns the new first entry's time */
function dropCompact(c: number[], t0: number, n: number): number {
  const t = timeAt(c, t0, n);
  c.splice(0, n);
  if (c.length > 0) c[0] = 0;
  return t;
}

/** the time of the entry that starts at number `n` of a ring whose first entry is at t0 */
function timeAt(c: readonly number[], t0: number, n: number): number {
  let t = t0;
  for (let i = COMPACT_FIELDS; i <= n; i += COMPACT_FIELDS) t += c[i]!;
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

/* ---------- OOM kills applied in bulk ---------- */

/** Before an exact burst: where its reports will start. */
export function burstMark(logs: LogState): number {
  return logs.nextReport;
}

/**
 * After an exact burst that started at `t0`: its kills become the pattern for reloads applied
 * in bulk after it (their reports and when each came after the burst's start).
 */
export function notePattern(logs: LogState, mark: number, t0: number): void {
  const reports: number[] = [];
  const offsets: number[] = [];
  for (let i = logs.syslog.length - 1; i >= 0; i--) {
    const e = logs.syslog[i]!;
    if (e.kind === 'oom' && e.id >= mark) {
      reports.push(e.id);
      offsets.push(e.time - t0);
    } else if (e.time < t0) break;
  }
  logs.pattern = { reports: reports.reverse(), offsets: offsets.reverse() };
}

/** a gap in whole ms, packed as base-32 digits (kernel/gapDigits.ts) */
export function packGap(n: number): string {
  return gapDigits(Math.max(0, Math.round(n)));
}

/** the starts of a run's reloads, oldest first */
export function* runStarts(run: OomRun): Generator<number> {
  let t = run.t0;
  yield t;
  let v = 0;
  let mul = 1;
  for (let i = 0; i < run.gaps.length; i++) {
    const d = DIGIT_VALUE[run.gaps.charCodeAt(i)] ?? -1;
    if (d >= 32) {
      v += (d - 32) * mul;
      mul *= 32;
      continue;
    }
    v += d * mul;
    t += v;
    yield t;
    v = 0;
    mul = 1;
  }
}

/** the open run's reports are the pattern's taken in turn for `kills` kills (checked on every bulk reload, so without allocating) */
function takesPattern(open: readonly number[], pat: readonly number[], kills: number): boolean {
  if (open.length !== kills) return false;
  for (let j = 0; j < kills; j++) if (open[j] !== pat[j % pat.length]) return false;
  return true;
}

/**
 * A reload applied in bulk at `t` killed `kills` processes, as the pattern did: counted into the
 * open run, or a new one. Without a pattern of that size the pattern's kills are taken in turn.
 */
export function logBulkKills(logs: LogState, t: number, kills: number, bootTime: number): boolean {
  const pat = logs.pattern;
  if (!logs.syslogUp || kills <= 0 || !pat || pat.reports.length === 0) return false;
  const runs = (logs.runs ??= {});
  const open = logs.openRun !== undefined && logs.openRun >= 0 ? runs[logs.openRun] : undefined;
  if (open && open.bootTime === bootTime && takesPattern(open.reports, pat.reports, kills)) {
    const at = Math.round(t);
    open.gaps += packGap(at - open.last);
    open.last = at;
    open.n++;
    kmsgRunGrew(logs, logs.openRun!);
    return true;
  }
  const reports = Array.from({ length: kills }, (_, j) => pat.reports[j % pat.reports.length]!);
  for (const id of reports) holdReport(logs, id);
  const id = logs.nextRun ?? 1;
  logs.nextRun = id + 1;
  const at = Math.round(t);
  runs[id] = {
    reports,
    offsets: Array.from({ length: kills }, (_, j) => pat.offsets[j % pat.offsets.length]!),
    bootTime,
    t0: at,
    gaps: '',
    n: 1,
    last: at,
    forks: 0,
    fixed: [],
    pidMax: 32768,
    refs: 2,
  };
  logs.openRun = id;
  pushSyslog(logs, { kind: 'oomrun', time: at, run: id });
  klogRun(logs, bootTime, at, id);
  return true;
}

/**
 * The kills of one stretch of bulk reloads (tens of thousands in a week), logged as
 * logBulkKills would log them one by one: a reload the open run takes is only noted here, and
 * the run gets their gaps, count and ring bytes in one piece at flush(). Nothing may read the
 * logs between the first log() and flush().
 */
export class BulkKills {
  /** the gaps of the reloads noted since the last flush, packed already, and how many */
  private gaps: DigitWriter | null = null;
  private noted = 0;
  private last = 0;
  private run = -1;
  private kills = 0;
  private bootTime = 0;
  private pattern: LogState['pattern'] = null;

  constructor(private readonly logs: LogState) {}

  log(t: number, kills: number, bootTime: number): void {
    const logs = this.logs;
    if (this.run >= 0 && logs.syslogUp && logs.openRun === this.run && kills === this.kills && bootTime === this.bootTime && logs.pattern === this.pattern) {
      const at = Math.round(t);
      (this.gaps ??= new DigitWriter()).digits(Math.max(0, at - this.last));
      this.last = at;
      this.noted++;
      return;
    }
    this.flush();
    // the open run took this reload's kills (or began with them): the next reload like it goes the same way
    if (logBulkKills(logs, t, kills, bootTime)) {
      this.run = logs.openRun!;
      this.kills = kills;
      this.bootTime = bootTime;
      this.pattern = logs.pattern;
      this.last = logs.runs![this.run]!.last;
    }
  }

  flush(): void {
    const run = this.run >= 0 ? this.logs.runs?.[this.run] : undefined;
    if (run && this.noted > 0) {
      run.gaps += this.gaps!.take();
      run.last = this.last;
      run.n += this.noted;
      kmsgRunGrew(this.logs, this.run, this.noted);
    }
    this.gaps?.clear();
    this.noted = 0;
    this.run = -1;
  }
}

/** The bulk reloads are settled: the run learns how its pids advance, and takes no more reloads. */
export function closeRun(logs: LogState, forks: number, fixed: readonly number[], pidMax: number): void {
  const id = logs.openRun ?? -1;
  const run = id >= 0 ? logs.runs?.[id] : undefined;
  logs.openRun = -1;
  if (!run) return;
  run.forks = forks;
  run.fixed = fixed.slice();
  run.pidMax = pidMax;
}

/** a pid of the pattern as the i-th reload of the run saw it (pids the run does not move stay) */
export function runPid(run: OomRun, pid: number, i: number): number {
  if (run.forks === 0 || pid <= 0 || binaryHas(run.fixed, pid)) return pid;
  const moved = nthFreePid(pid, (i + 1) * run.forks, run.fixed, run.pidMax);
  return moved < 0 ? pid : moved;
}

function binaryHas(sorted: readonly number[], x: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid]!;
    if (v === x) return true;
    if (v < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
