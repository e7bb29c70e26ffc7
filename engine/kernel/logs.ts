/**
 * The kernel ring buffer, bounded in bytes like the real log_buf (CONFIG_LOG_BUF_SHIFT=18), so a
 * run of OOM reports pushes older ones out just as it would; and the records rsyslog's imklog
 * feeds kernel messages into, kept until logrotate drops the file they are in. What userland does
 * with syslog (daemons' lines, logrotate, /var/log) is engine/machine/syslog.ts.
 */
import type { KernelLogLevel, OomReportView } from '../formats/types';
import { TASK_FIELDS, type CompactReport, type KmsgEntry, type LogState, type StoredReport, type SyslogEntry, type TaskRow } from './types';

const KMSG_BYTES = 1 << 18;

export function emptyLogs(nextRotate: number): LogState {
  return {
    syslogUp: true,
    reports: {},
    nextReport: 1,
    kmsg: [],
    kmsgBytes: 0,
    syslog: [],
    syslogLines: 0,
    syslog1: [],
    compact: [],
    compactT0: 0,
    compactLast: 0,
    compact1: [],
    compact1T0: 0,
    nextRotate,
    runs: {},
    nextRun: 1,
    openRun: -1,
    pattern: null,
    rotations: [],
    weekly: [],
  };
}

function taskCount(logs: LogState, id: number): number {
  const r = logs.reports[id];
  return r ? (r.rows ? r.rows.length : r.names?.length ?? 0) : 0;
}

function reportBytes(logs: LogState, id: number): number {
  return 2400 + 64 * taskCount(logs, id);
}

function kmsgSize(logs: LogState, e: KmsgEntry): number {
  if (e.kind === 'line') return e.text.length + 24;
  if (e.kind === 'oomrun') {
    const run = logs.runs?.[e.run];
    if (!run) return 0;
    const K = run.reports.length;
    let bytes = 0;
    for (let j = 0; j < K; j++) {
      // kills j, j+K, j+2K... of the run, those not yet pushed out
      const left = run.n - Math.ceil(Math.max(0, e.skip - j) / K);
      bytes += Math.max(0, left) * reportBytes(logs, run.reports[j]!);
    }
    return bytes;
  }
  return reportBytes(logs, e.id);
}

/** lines a syslog entry prints as */
export function syslogSize(logs: LogState, e: SyslogEntry): number {
  if (e.kind === 'oom') return 30 + taskCount(logs, e.id);
  if (e.kind === 'oomrun') {
    const run = logs.runs?.[e.run];
    if (!run) return 0;
    let per = 0;
    for (const id of run.reports) per += 30 + taskCount(logs, id);
    return per * run.n;
  }
  return 1;
}

/**
 * The live rows by a hash of their numbers and name, rebuilt from the saved rows when a game is
 * loaded. A report lists every task, a week of them hundreds of reports: a row is found by
 * comparing the few rows with its hash, not by a text key built for each task, nor among every
 * row of its pid (a task whose numbers change has one per report).
 */
const rowsByHash = new WeakMap<Record<string, TaskRow>, Map<number, number[]>>();

function hashIndex(rows: Record<string, TaskRow>): Map<number, number[]> {
  let index = rowsByHash.get(rows);
  if (!index) {
    index = new Map();
    // integer keys come in ascending order: each list stays oldest first
    for (const id in rows) indexRow(index, rowHash(rows[id]!.v, 0, rows[id]!.name), Number(id));
    rowsByHash.set(rows, index);
  }
  return index;
}

/** FNV-1a over a row's numbers (both halves of each) and its name; rows with one hash are told apart by comparing them */
function rowHash(tasks: readonly number[], at: number, name: string): number {
  let h = 0x811c9dc5 | 0;
  for (let j = at; j < at + TASK_FIELDS; j++) {
    const x = tasks[j]!;
    h = Math.imul(h ^ (x | 0), 16777619);
    h = Math.imul(h ^ ((x / 4294967296) | 0), 16777619);
  }
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h;
}

function indexRow(index: Map<number, number[]>, hash: number, rid: number): void {
  const list = index.get(hash);
  if (list) list.push(rid);
  else index.set(hash, [rid]);
}

const sameNumber = (a: number, b: number): boolean => a === b || (a !== a && b !== b);

/** the live row with these numbers (tasks[at..]) and name, the newest if a save holds two; undefined if none */
function findRow(rows: Record<string, TaskRow>, list: readonly number[] | undefined, tasks: readonly number[], at: number, name: string): number | undefined {
  if (!list) return undefined;
  for (let i = list.length - 1; i >= 0; i--) {
    const rid = list[i]!;
    const row = rows[rid];
    if (!row || row.name !== name) continue;
    let j = 0;
    while (j < TASK_FIELDS && sameNumber(row.v[j]!, tasks[at + j]!)) j++;
    if (j === TASK_FIELDS) return rid;
  }
  return undefined;
}

function unindexRow(index: Map<number, number[]>, hash: number, rid: number): void {
  const list = index.get(hash);
  if (!list) return;
  const i = list.lastIndexOf(rid);
  if (i >= 0) list.splice(i, 1);
  if (list.length === 0) index.delete(hash);
}

/** a report's fields but the task table, as stored: positions instead of names, a tenth of the size */
const MEM_FIELDS = [
  'activeAnon', 'inactiveAnon', 'activeFile', 'inactiveFile', 'unevictable', 'dirty', 'writeback', 'free', 'slabReclaimable',
  'slabUnreclaimable', 'mapped', 'shmem', 'pagetables', 'kernelStackKb', 'minKb', 'lowKb', 'highKb', 'presentKb', 'managedKb',
  'swapTotalKb', 'swapFreeKb', 'pageCachePages', 'totalRamPages', 'reservedPages',
] as const satisfies ReadonlyArray<keyof OomReportView['mem']>;
const TOP_FIELDS = ['trigger', 'cpu', 'kernelRelease', 'kernelBuild', 'hardware', 'mem', 'chosen', 'killed', 'tasks', 'names'];

function pack(r: CompactReport): Array<string | number> | null {
  // anything this packing does not know about is stored as it is
  if (Object.keys(r).some((k) => !TOP_FIELDS.includes(k)) || Object.keys(r.mem).length !== MEM_FIELDS.length) return null;
  const t = r.trigger;
  const c = r.chosen;
  const k = r.killed;
  return [
    t.comm, t.pid, t.gfpMask, t.order, t.oomScoreAdj, r.cpu, r.kernelRelease, r.kernelBuild, r.hardware,
    ...MEM_FIELDS.map((f) => r.mem[f]),
    c.pid, c.comm, c.score, k.pid, k.comm, k.totalVmKb, k.anonRssKb, k.fileRssKb,
  ];
}

/** the packed fields back, with one figures object per stored report (show_mem's lines are kept per object) */
const unpacked = new WeakMap<StoredReport, Omit<CompactReport, 'tasks' | 'names'>>();

function unpack(r: StoredReport): Omit<CompactReport, 'tasks' | 'names'> {
  const hit = unpacked.get(r);
  if (hit) return hit;
  const p = r.p!;
  let i = 0;
  const n = (): number => p[i++] as number;
  const str = (): string => p[i++] as string;
  const trigger = { comm: str(), pid: n(), gfpMask: n(), order: n(), oomScoreAdj: n() };
  const cpu = n();
  const kernelRelease = str();
  const kernelBuild = str();
  const hardware = str();
  const mem = {} as OomReportView['mem'];
  for (const f of MEM_FIELDS) mem[f] = n();
  const chosen = { pid: n(), comm: str(), score: n() };
  const killed = { pid: n(), comm: str(), totalVmKb: n(), anonRssKb: n(), fileRssKb: n() };
  const out = { trigger, cpu, kernelRelease, kernelBuild, hardware, mem, chosen, killed };
  unpacked.set(r, out);
  return out;
}

function storeReport(logs: LogState, r: CompactReport, refs: number): number {
  const id = logs.nextReport++;
  const packed = pack(r);
  const stored: StoredReport = packed ? { refs, p: packed } : { ...r, refs };
  const rows = (logs.rows ??= {});
  const index = hashIndex(rows);
  const ids: number[] = [];
  for (let i = 0, names = r.names; i < names.length; i++) {
    const name = names[i]!;
    const at = i * TASK_FIELDS;
    const hash = rowHash(r.tasks, at, name);
    let rid = findRow(rows, index.get(hash), r.tasks, at, name);
    if (rid === undefined) {
      rid = logs.nextRow ?? 1;
      logs.nextRow = rid + 1;
      rows[rid] = { v: r.tasks.slice(at, at + TASK_FIELDS), name, refs: 0 };
      indexRow(index, hash, rid);
    }
    rows[rid]!.refs++;
    ids.push(rid);
  }
  stored.rows = ids;
  delete stored.tasks;
  delete stored.names;
  logs.reports[id] = stored;
  return id;
}

/** an entry leaves a ring: the report it points to goes once nothing else points to it */
export function release(logs: LogState, e: KmsgEntry | SyslogEntry): void {
  if (e.kind === 'oomrun') {
    const run = logs.runs?.[e.run];
    if (!run || !logs.runs || --run.refs > 0) return;
    for (const id of run.reports) releaseReport(logs, id);
    delete logs.runs[e.run];
    if (logs.openRun === e.run) logs.openRun = -1;
    return;
  }
  if (e.kind !== 'oom' && e.kind !== 'panic') return;
  releaseReport(logs, e.id);
}

export function releaseReport(logs: LogState, id: number): void {
  const r = logs.reports[id];
  if (!r || --r.refs > 0) return;
  delete logs.reports[id];
  const rows = logs.rows;
  if (!r.rows || !rows) return;
  for (const rid of r.rows) {
    const row = rows[rid];
    if (!row || --row.refs > 0) continue;
    delete rows[rid];
    unindexRow(hashIndex(rows), rowHash(row.v, 0, row.name), rid);
  }
}

export function holdReport(logs: LogState, id: number): void {
  const r = logs.reports[id];
  if (r) r.refs++;
}

/** The report behind a ring entry, as the formatters want it. */
export function reportOf(logs: LogState, id: number): OomReportView | null {
  const r = logs.reports[id];
  return r ? expandReport(logs, r) : null;
}

const taskOf = (v: readonly number[], name: string): OomReportView['tasks'][number] => ({
  pid: v[0]!,
  uid: v[1]!,
  tgid: v[0]!,
  totalVm: v[2]!,
  rss: v[3]!,
  nrPtes: v[4]!,
  swapents: v[5]!,
  oomScoreAdj: v[6]!,
  name,
});

/** the formatters' shape of a stored report */
function expandReport(logs: LogState, r: StoredReport): OomReportView {
  const tasks: OomReportView['tasks'] = r.rows
    ? r.rows.flatMap((rid) => {
        const row = logs.rows?.[rid];
        return row ? [taskOf(row.v, row.name)] : [];
      })
    : (r.names ?? []).map((name, i) => taskOf((r.tasks ?? []).slice(i * TASK_FIELDS, (i + 1) * TASK_FIELDS), name));
  if (r.p) return { ...unpack(r), tasks };
  const { names: _names, tasks: _tasks, rows: _rows, refs: _refs, p: _p, ...rest } = r;
  return { ...(rest as Omit<CompactReport, 'tasks' | 'names'>), tasks };
}

function pushKmsg(logs: LogState, e: KmsgEntry): void {
  logs.kmsg.push(e);
  logs.kmsgBytes += kmsgSize(logs, e);
  trimKmsg(logs);
}

/** the oldest messages leave the ring until it fits; a bulk run leaves it a kill at a time */
function trimKmsg(logs: LogState): void {
  let drop = 0;
  while (logs.kmsgBytes > KMSG_BYTES && drop < logs.kmsg.length) {
    const old = logs.kmsg[drop]!;
    if (old.kind === 'oomrun') {
      const run = logs.runs?.[old.run];
      if (run && old.skip < run.n * run.reports.length - 1) {
        // whole rounds of the run's K reports at once (a bulk run adds thousands): each weighs
        // the same, and the ring stays over its size until the last kill of the last round
        const K = run.reports.length;
        let round = 0;
        for (const id of run.reports) round += reportBytes(logs, id);
        const rounds = Math.min(Math.floor((logs.kmsgBytes - KMSG_BYTES) / round), Math.floor((run.n * K - 1 - old.skip) / K));
        if (rounds > 0) {
          logs.kmsgBytes -= rounds * round;
          old.skip += rounds * K;
          continue;
        }
        logs.kmsgBytes -= reportBytes(logs, run.reports[old.skip % run.reports.length]!);
        old.skip++;
        continue;
      }
    }
    if (drop === logs.kmsg.length - 1) break;
    logs.kmsgBytes -= kmsgSize(logs, old);
    release(logs, old);
    drop++;
  }
  if (drop > 0) logs.kmsg.splice(0, drop);
}

/** A bulk run's first reload: its kills enter the ring buffer as one entry. */
export function klogRun(logs: LogState, bootTime: number, t: number, run: number): void {
  pushKmsg(logs, { kind: 'oomrun', t: t - bootTime, run, skip: 0 });
}

/**
 * A bulk run took `reloads` more reloads: the ring buffer holds their kills too. Trimming once
 * after all of them drops what trimming after each would have: the oldest kills, up to the
 * same total.
 */
export function kmsgRunGrew(logs: LogState, run: number, reloads = 1): void {
  const r = logs.runs?.[run];
  if (!r || reloads <= 0) return;
  // a run's reloads are all in the ring only while it is the newest thing there
  const lastEntry = logs.kmsg[logs.kmsg.length - 1];
  if (!lastEntry || lastEntry.kind !== 'oomrun' || lastEntry.run !== run) return;
  for (const id of r.reports) logs.kmsgBytes += reloads * reportBytes(logs, id);
  trimKmsg(logs);
}

/** Nothing is trimmed here: records stay until logrotate drops the last file that holds them. */
export function pushSyslog(logs: LogState, e: SyslogEntry): void {
  if (!logs.syslogUp) {
    release(logs, e);
    return;
  }
  logs.syslog.push(e);
  logs.syslogLines++;
}

/** printk's "[%5lu.%06lu] " prefix */
export function printkStamp(sinceBootMs: number): string {
  const secs = Math.floor(sinceBootMs / 1000);
  const micros = Math.floor((sinceBootMs - secs * 1000) * 1000);
  return `[${String(secs).padStart(5, ' ')}.${String(micros).padStart(6, '0')}] `;
}

/** A kernel message: into the ring buffer, and through rsyslog's imklog into syslog. */
export function klog(logs: LogState, bootTime: number, t: number, lv: KernelLogLevel, text: string, toSyslog = true): void {
  const since = t - bootTime;
  pushKmsg(logs, { kind: 'line', t: since, lv, text });
  if (toSyslog) pushSyslog(logs, { kind: 'line', time: t, tag: 'kernel', pid: 0, text: printkStamp(since) + text });
}

export function klogOom(logs: LogState, bootTime: number, t: number, report: CompactReport): void {
  const since = t - bootTime;
  const id = storeReport(logs, report, 2);
  pushKmsg(logs, { kind: 'oom', t: since, id });
  pushSyslog(logs, { kind: 'oom', time: t, sinceBootMs: since, id });
}

export function klogPanic(logs: LogState, bootTime: number, t: number, report: CompactReport, message: string): void {
  const since = t - bootTime;
  // a panicking kernel never gets the report to disk: only the console and the ring see it
  pushKmsg(logs, { kind: 'panic', t: since, id: storeReport(logs, report, 1), message });
}

/** A reboot empties the ring buffer; the files on disk stay. */
export function clearKmsg(logs: LogState): void {
  for (const e of logs.kmsg) release(logs, e);
  logs.kmsg = [];
  logs.kmsgBytes = 0;
}
