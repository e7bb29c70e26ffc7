/**
 * The files of /var/log rendered from the log records, a record at a time: forwards for cat and
 * grep, backwards for tail, so neither holds a day's hundreds of MB at once. Which records a file
 * holds is decided by logrotate's turns (machine/syslog.ts); nothing stamped after now is shown.
 */
import { oomReportRecords, oomReportTemplate, type OomReportTemplate } from '../formats/oomReport';
import { formatSyslogLine, kernelLineTail, kernelLinesLeads, kernelLinesText, kernelToSyslog } from '../formats/syslog';
import type { OomReportView, SyslogRecord } from '../formats/types';
import { reportOf } from '../kernel/logs';
import type { LogState, OomRun, SyslogEntry } from '../kernel/types';
import type { TextChunk } from '../shell/types';
import { byteLength } from '../vfs/utf8';
import { scenarioOf } from './scenario';
import { compactEntries, rotationsOf, settleCompact, runPid, runStarts, SYSLOG_ROTATE, WEEKLY_ROTATE } from './syslog';
import type { MachineWorld } from './world';

export type LogStream = 'syslog' | 'kern.log';

export interface LogFileName {
  stream: LogStream;
  /** 0 the live file, 1 the uncompressed last one, 2.. the .gz ones */
  gen: number;
  name: string;
}

/** One thing the file holds: a line, or an OOM report that prints as many. */
export type LogEvent =
  | { kind: 'line'; time: number; record: SyslogRecord }
  | { kind: 'oom'; time: number; sinceBootMs: number; report: OomReportView };

/** the files /var/log has now, in ls order */
export function logFiles(w: MachineWorld): LogFileName[] {
  const { daily, weekly } = rotationsOf(w.logs);
  const out: LogFileName[] = [];
  const add = (stream: LogStream, turns: number, keep: number): void => {
    out.push({ stream, gen: 0, name: stream });
    for (let g = 1; g <= Math.min(turns, keep); g++) out.push({ stream, gen: g, name: g === 1 ? `${stream}.1` : `${stream}.${g}.gz` });
  };
  add('kern.log', weekly.length, WEEKLY_ROTATE);
  add('syslog', daily.length, SYSLOG_ROTATE);
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function findLogFile(w: MachineWorld, name: string): LogFileName | null {
  return logFiles(w).find((f) => f.name === name) ?? null;
}

/** [from, to) of the records a file holds */
export function windowOf(w: MachineWorld, f: LogFileName): [number, number] {
  const { daily, weekly } = rotationsOf(w.logs);
  const turns = f.stream === 'syslog' ? daily : weekly;
  const n = turns.length;
  const to = f.gen === 0 ? w.now + 1e-9 : turns[n - f.gen]!;
  const from = n - f.gen - 1 >= 0 ? turns[n - f.gen - 1]! : -Infinity;
  return [from, Math.min(to, w.now + 1e-9)];
}

/** when the file was last written: its newest record (a rotated file keeps that mtime) */
export function mtimeOf(w: MachineWorld, f: LogFileName): number {
  let last = -Infinity;
  for (const e of reverseEvents(w, f)) {
    last = e.time;
    break;
  }
  return Number.isFinite(last) ? Math.floor(last / 1000) * 1000 : windowOf(w, f)[0];
}

const kernelOnly = (f: LogFileName): boolean => f.stream === 'kern.log';

/** records outside bulk runs, in time order, and the runs that reach into the window */
function plainAndRuns(w: MachineWorld, f: LogFileName): { plain: LogEvent[]; runs: OomRun[] } {
  const L = w.logs;
  settleCompact(L);
  const [from, to] = windowOf(w, f);
  const host = w.p.hostname;
  const plain: LogEvent[] = [];
  const runs: OomRun[] = [];
  const inside = (t: number): boolean => t >= from && t < to;
  for (const e of rotationsOf(L).records) {
    if (e.kind === 'oomrun') {
      const run = L.runs?.[e.run];
      if (run && run.t0 < to && run.last + Math.max(0, ...run.offsets) >= from) runs.push(run);
      continue;
    }
    if (!inside(e.time)) continue;
    const ev = eventOf(L, e, host);
    if (!ev) continue;
    if (kernelOnly(f) && !(ev.kind === 'oom' || ev.record.tag === 'kernel')) continue;
    plain.push(ev);
  }
  const line = scenarioOf(w).compactLine;
  if (line && !kernelOnly(f) && f.gen <= 1) {
    const c = f.gen === 0 ? compactEntries(L.compact, L.compactT0) : compactEntries(L.compact1, L.compact1T0);
    for (const [t, pid, a, b] of c) if (inside(t)) plain.push({ kind: 'line', time: t, record: { time: t, host, pid, ...line(w, pid, a, b, t) } });
  }
  // records come from several rings and from bursts that ran their own clocks: order by time
  plain.sort((a, b) => a.time - b.time);
  return { plain, runs };
}

function eventOf(L: LogState, e: SyslogEntry, host: string): LogEvent | null {
  if (e.kind === 'line') {
    const record: SyslogRecord = { time: e.time, host, tag: e.tag, text: e.text };
    if (e.pid > 0) record.pid = e.pid;
    return { kind: 'line', time: e.time, record };
  }
  if (e.kind !== 'oom') return null;
  const report = reportOf(L, e.id);
  return report ? { kind: 'oom', time: e.time, sinceBootMs: e.sinceBootMs, report } : null;
}

/** kills of a run as (time, reload, kill) in order, or in reverse */
function* runKills(run: OomRun, from: number, to: number, reverse: boolean): Generator<[number, number, number]> {
  const starts = Array.from(runStarts(run));
  const K = run.offsets.length;
  if (!reverse) {
    for (let i = 0; i < starts.length; i++) for (let j = 0; j < K; j++) {
      const t = starts[i]! + run.offsets[j]!;
      if (t >= from && t < to) yield [t, i, j];
    }
  } else {
    for (let i = starts.length - 1; i >= 0; i--) for (let j = K - 1; j >= 0; j--) {
      const t = starts[i]! + run.offsets[j]!;
      if (t >= from && t < to) yield [t, i, j];
    }
  }
}

let reportsRendered = 0;
/** OOM reports expanded so far (tests check that tail does not expand a whole day) */
export function reportsRenderedForTest(): number {
  return reportsRendered;
}

/** the pattern's reports of a run, expanded once per reading */
const expanded = new WeakMap<OomRun, Map<number, OomReportView | null>>();

function patternReport(L: LogState, run: OomRun, j: number): OomReportView | null {
  let m = expanded.get(run);
  if (!m) {
    m = new Map();
    expanded.set(run, m);
  }
  let v = m.get(j);
  if (v === undefined) {
    v = reportOf(L, run.reports[j]!);
    m.set(j, v);
  }
  return v;
}

/** the report of kill j in reload i of a run, its pids as that reload had them */
function runReport(L: LogState, run: OomRun, i: number, j: number): OomReportView | null {
  const base = patternReport(L, run, j);
  if (!base) return null;
  const p = (pid: number): number => runPid(run, pid, i);
  return {
    ...base,
    trigger: { ...base.trigger, pid: p(base.trigger.pid) },
    chosen: { ...base.chosen, pid: p(base.chosen.pid) },
    killed: { ...base.killed, pid: p(base.killed.pid) },
    tasks: base.tasks.map((t) => ({ ...t, pid: p(t.pid), tgid: p(t.tgid) })),
  };
}

/** kill j of reload i of a bulk run, at `time` */
interface BulkKill {
  kind: 'kill';
  time: number;
  run: OomRun;
  i: number;
  j: number;
}

/** Every event of the file in time order (or newest first), bulk kills merged in as they happened. */
export function* fileEvents(w: MachineWorld, f: LogFileName, reverse = false): Generator<LogEvent> {
  for (const e of fileItems(w, f, reverse)) yield e.kind === 'kill' ? lazyKill(w.logs, e.run, e.time, e.i, e.j) : e;
}

function* fileItems(w: MachineWorld, f: LogFileName, reverse: boolean): Generator<LogEvent | BulkKill> {
  const { plain, runs } = plainAndRuns(w, f);
  const [from, to] = windowOf(w, f);
  const L = w.logs;
  const iters = runs.map((r) => ({ run: r, it: runKills(r, from, to, reverse), head: null as [number, number, number] | null }));
  for (const x of iters) x.head = next(x.it);
  let pi = reverse ? plain.length - 1 : 0;
  const before = (a: number, b: number): boolean => (reverse ? a > b : a <= b);
  for (;;) {
    let best = -1;
    for (let k = 0; k < iters.length; k++) {
      const h = iters[k]!.head;
      if (h && (best < 0 || before(h[0], iters[best]!.head![0]))) best = k;
    }
    const p = pi >= 0 && pi < plain.length ? plain[pi]! : null;
    if (p && (best < 0 || before(p.time, iters[best]!.head![0]))) {
      yield p;
      pi += reverse ? -1 : 1;
      continue;
    }
    if (best < 0) return;
    const x = iters[best]!;
    const [t, i, j] = x.head!;
    x.head = next(x.it);
    if (!patternReport(L, x.run, j)) continue;
    yield { kind: 'kill', time: t, run: x.run, i, j };
  }
}

/** a bulk kill whose report is worked out only when something reads it (most readers want its time) */
function lazyKill(L: LogState, run: OomRun, t: number, i: number, j: number): LogEvent {
  let report: OomReportView | null = null;
  const ev = { kind: 'oom', time: t, sinceBootMs: t - run.bootTime } as LogEvent & { kind: 'oom' };
  Object.defineProperty(ev, 'report', { enumerable: true, get: () => (report ??= runReport(L, run, i, j)!) });
  return ev;
}

function next<T>(it: Iterator<T>): T | null {
  const r = it.next();
  return r.done ? null : r.value;
}

export function reverseEvents(w: MachineWorld, f: LogFileName): Generator<LogEvent> {
  return fileEvents(w, f, true);
}

/** the lines an event prints as, without newlines */
export function eventLines(w: MachineWorld, e: LogEvent): string[] {
  if (e.kind === 'line') return [formatSyslogLine(e.record)];
  reportsRendered++;
  const boot = e.time - e.sinceBootMs;
  return oomReportRecords(e.report, e.sinceBootMs, { cpus: w.k.cpus }).map((rec) => formatSyslogLine(kernelToSyslog(rec, boot, w.p.hostname)));
}

/**
 * The file's lines, oldest first, each with its newline: every field of every line formatted on
 * its own. Readers take fileChunks(), which must print exactly this (the tests compare them).
 */
export function* fileLines(w: MachineWorld, f: LogFileName): Generator<string> {
  for (const e of fileEvents(w, f)) for (const l of eventLines(w, e)) yield `${l}\n`;
}

/** The file's lines, newest first, formatted one by one (what fileChunks(w, f, true) must print). */
export function* fileLinesReverse(w: MachineWorld, f: LogFileName): Generator<string> {
  for (const e of reverseEvents(w, f)) {
    const ls = eventLines(w, e);
    for (let i = ls.length - 1; i >= 0; i--) yield `${ls[i]}\n`;
  }
}

/**
 * The file a record at a time (a line, or a whole OOM report), oldest first or newest record
 * first. A bulk kill's report is stamped from its pattern's template with the reload's pids, and
 * only when its text is read: counting lines needs none of it.
 */
export function* fileChunks(w: MachineWorld, f: LogFileName, reverse = false): Generator<TextChunk> {
  const L = w.logs;
  const host = w.p.hostname;
  const cpus = w.k.cpus;
  for (const e of fileItems(w, f, reverse)) {
    if (e.kind === 'line') {
      const text = `${formatSyslogLine(e.record)}\n`;
      yield { text, newlines: newlinesIn(text) };
    } else if (e.kind === 'oom') {
      reportsRendered++;
      const tpl = oomReportTemplate(e.report, { cpus });
      const text = kernelLinesText(tpl.lines.map(kernelLineTail), tpl.stamps(e.sinceBootMs), e.time - e.sinceBootMs, host);
      yield { text, newlines: newlinesIn(text) };
    } else {
      const k = killTemplate(L, e.run, e.j, cpus);
      if (k) yield new KillChunk(k, e, host);
    }
  }
}

/** a bulk kill's report, worked out only as far as a reader asks */
class KillChunk implements TextChunk {
  private lines: { tails: string[]; changed: number[]; since: number[]; boot: number } | undefined;
  private rendered: string | undefined;

  constructor(
    private readonly k: KillTemplate,
    private readonly e: BulkKill,
    private readonly host: string,
  ) {}

  get newlines(): number {
    return this.k.newlines;
  }

  /** the lines after their stamps, with this reload's pids, and the stamps (boot as eventLines() works it out) */
  private stamped(): { tails: string[]; changed: number[]; since: number[]; boot: number } {
    if (this.lines) return this.lines;
    const { k, e } = this;
    const tails = k.tails.slice();
    const changed: number[] = [];
    for (const [at, text] of k.template.moved(pidsOfReload(e.run, e.i))) {
      tails[at] = kernelLineTail(text);
      changed.push(at);
    }
    const since = e.time - e.run.bootTime;
    this.lines = { tails, changed, since: k.template.stamps(since), boot: e.time - since };
    return this.lines;
  }

  get text(): string {
    if (this.rendered === undefined) {
      reportsRendered++;
      const { tails, since, boot } = this.stamped();
      this.rendered = kernelLinesText(tails, since, boot, this.host);
    }
    return this.rendered;
  }

  get parts(): TextChunk['parts'] {
    // a line holding a newline of its own would not be one line of the file
    if (this.k.newlines !== this.k.tails.length) return undefined;
    const { tails, changed, since, boot } = this.stamped();
    const leads = kernelLinesLeads(since, boot, this.host);
    const line = (k: number): string => kernelLinesText([tails[k]!], [since[k]!], boot, this.host);
    return leads ? { leads, digits: 6, tails, shared: { tails: this.k.tails, changed }, line } : undefined;
  }
}

function newlinesIn(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

interface KillTemplate {
  template: OomReportTemplate;
  /** the pattern's lines as kernelLinesText() takes them */
  tails: string[];
  newlines: number;
}

/** a run's pattern reports as templates, per CPU count (the per-cpu lines depend on it) */
const templates = new WeakMap<OomRun, Map<string, KillTemplate | null>>();

function killTemplate(L: LogState, run: OomRun, j: number, cpus: number): KillTemplate | null {
  let m = templates.get(run);
  if (!m) {
    m = new Map();
    templates.set(run, m);
  }
  const key = `${j}|${cpus}`;
  let k = m.get(key);
  if (k === undefined) {
    const report = patternReport(L, run, j);
    if (report) {
      const template = oomReportTemplate(report, { cpus });
      k = { template, tails: template.lines.map(kernelLineTail), newlines: template.lines.reduce((n, l) => n + 1 + newlinesIn(l), 0) };
    } else k = null;
    m.set(key, k);
  }
  return k;
}

/** the last reload's pids as runPid() moves them: a reload's kills come one after another */
let reloadPids: { run: OomRun; i: number; of: (pid: number) => number } | null = null;

function pidsOfReload(run: OomRun, i: number): (pid: number) => number {
  if (reloadPids && reloadPids.run === run && reloadPids.i === i) return reloadPids.of;
  const moved = new Map<number, number>();
  const of = (pid: number): number => {
    let p = moved.get(pid);
    if (p === undefined) {
      p = runPid(run, pid, i);
      moved.set(pid, p);
    }
    return p;
  };
  reloadPids = { run, i, of };
  return of;
}

/** what decides a file's bytes: its window and what the records reaching into it are */
function signature(w: MachineWorld, f: LogFileName): string {
  const [from, to] = windowOf(w, f);
  const L = w.logs;
  settleCompact(L);
  const open = L.openRun !== undefined && L.openRun >= 0 ? L.runs?.[L.openRun] : undefined;
  // a rotated file's window is closed, so only what is still being written can change it
  const live = f.gen === 0 ? `${to}|${L.syslog.length}|${L.compact.length}|${open ? open.n : 0}` : '';
  return `${f.name}|${from}|${f.gen === 0 ? '' : to}|${live}|${L.syslog.length > 0 ? L.syslog[0]!.time : 0}`;
}

const sizes = new WeakMap<LogState, Map<string, number>>();

/** bytes the file holds (what wc -c counts, what zcat prints of a .gz) */
export function sizeOf(w: MachineWorld, f: LogFileName): number {
  let cache = sizes.get(w.logs);
  if (!cache) {
    cache = new Map();
    sizes.set(w.logs, cache);
  }
  const key = signature(w, f);
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const n = countBytes(w, f);
  for (const k of cache.keys()) if (k.startsWith(`${f.name}|`)) cache.delete(k);
  cache.set(key, n);
  return n;
}

const digits = (n: number): number => String(n).length;
/** width of printk's "[%5lu.%06lu]" for a stamp in second `sec` */
const stampWidth = (sinceBootMs: number): number => 9 + Math.max(5, digits(Math.floor(sinceBootMs / 1000)));

interface KillShape {
  bytes: number;
  lines: number;
  /** ms from the report's first line to its last */
  span: number;
  trigger: number;
  chosen: number;
  killed: number;
  /** the stamp width of its first line */
  width: number;
}

/**
 * The file's bytes without printing it: lines outside bulk runs are printed and counted; a bulk
 * kill differs from its run's first only in the digits of three pids and the width of printk's
 * stamp, so each of those is rendered once and the rest counted from the difference.
 */
function countBytes(w: MachineWorld, f: LogFileName): number {
  const { plain, runs } = plainAndRuns(w, f);
  const [from, to] = windowOf(w, f);
  const L = w.logs;
  let n = 0;
  for (const e of plain) for (const l of eventLines(w, e)) n += byteLength(l) + 1;
  for (const run of runs) {
    const shapes: Array<KillShape | null> = run.offsets.map((off, j) => {
      const report = runReport(L, run, 0, j);
      if (!report) return null;
      const since = run.t0 + off - run.bootTime;
      const lines = eventLines(w, { kind: 'oom', time: run.t0 + off, sinceBootMs: since, report });
      const recs = oomReportRecords(report, since, { cpus: w.k.cpus });
      let bytes = 0;
      for (const l of lines) bytes += byteLength(l) + 1;
      // the pattern's own pids: each reload's are worked out from them
      const pat = patternReport(L, run, j)!;
      return {
        bytes,
        lines: lines.length,
        span: recs.length > 0 ? recs[recs.length - 1]!.sinceBootMs - since : 0,
        trigger: pat.trigger.pid,
        chosen: pat.chosen.pid,
        killed: pat.killed.pid,
        width: stampWidth(since),
      };
    });
    for (const [t, i, j] of runKills(run, from, to, false)) {
      const s = shapes[j];
      if (!s) continue;
      const since = t - run.bootTime;
      const width = stampWidth(since);
      if (width !== stampWidth(since + s.span)) {
        // a report across a power of ten of seconds: its lines differ in width, so print it
        const report = runReport(L, run, i, j);
        if (report) for (const l of eventLines(w, { kind: 'oom', time: t, sinceBootMs: since, report })) n += byteLength(l) + 1;
        continue;
      }
      n += s.bytes + s.lines * (width - s.width);
      for (const pid of [s.trigger, s.chosen, s.killed]) n += digits(runPid(run, pid, i)) - digits(runPid(run, pid, 0));
    }
  }
  return n;
}

/**
 * Not computed: an estimate. gzip -6 (logrotate's default compresscmd) shrinks these logs, made of
 * the same kernel report over and over, to about a tenth; the header and trailer are 18 bytes
 * (logrotate pipes the file through gzip, so no name is stored).
 */
export const GZIP_RATIO = 0.1;

export function gzipSizeOf(w: MachineWorld, f: LogFileName): number {
  const n = sizeOf(w, f);
  return n === 0 ? 20 : 18 + Math.ceil(n * GZIP_RATIO);
}

/** the kills of a run from the `skip`-th on, as the ring buffer holds them */
export function* runKillsFrom(L: LogState, run: OomRun, skip: number): Generator<{ time: number; report: OomReportView }> {
  const K = run.offsets.length;
  let k = 0;
  for (const start of runStarts(run)) {
    for (let j = 0; j < K; j++, k++) {
      if (k < skip) continue;
      const report = runReport(L, run, Math.floor(k / K), j);
      if (report) yield { time: start + run.offsets[j]!, report };
    }
  }
}
