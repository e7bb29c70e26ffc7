/**
 * The log store as a save holds it: the same records, laid out by column instead of as objects.
 * A week of kills is tens of thousands of records with the same few keys; by column, with times
 * and ids as differences from the one before, a save is a fraction of the size and brotli finds
 * the repeats. The live LogState (kernel/types.ts) keeps its shape: packLogs runs when a game is
 * saved, unpackLogs when it is loaded, and unpackLogs(packLogs(x)) is x, key order and every bit
 * of every float included. A record this layout does not know (an older save's shape, a field
 * added since) makes its whole list stay as it was, so nothing is ever lost by packing.
 */
import type { Json } from '../types';
import type { LogState } from './types';

type Obj = { [key: string]: Json };
type Row = Record<string, unknown>;

/** marks a packed log store; bumped if the layout below changes */
export const LOGPACK_VERSION = 1;
const MARK = 'packed';

const isObj = (v: unknown): v is Row => typeof v === 'object' && v !== null && !Array.isArray(v);
const keysAre = (o: Row, keys: string): boolean => Object.keys(o).join(',') === keys;

// ---- numbers ----------------------------------------------------------------------------------

/**
 * A column of numbers as differences from the previous one. Virtual times are whole ms plus the
 * binary fraction float arithmetic leaves (1/4096 ms at today's epoch), so they are counted in
 * units of `scale` and the differences are exact integers; a column with any value that is not a
 * whole number of units stays as it is.
 */
function deltas(xs: readonly unknown[], scale = 1): Json {
  const out: number[] = new Array(xs.length);
  let prev = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (typeof x !== 'number') return { raw: xs.slice() as Json[] };
    const s = x * scale;
    if (!Number.isSafeInteger(s) || s / scale !== x || Object.is(x, -0)) return { raw: xs.slice() as Json[] };
    out[i] = s - prev;
    prev = s;
  }
  return scale === 1 ? out : { scale, d: out };
}

function undeltas(col: Json): number[] {
  if (Array.isArray(col)) return sums(col as number[], 1);
  const c = col as Obj;
  if (Array.isArray(c.raw)) return c.raw as number[];
  return sums(c.d as number[], c.scale as number);
}

function sums(d: readonly number[], scale: number): number[] {
  const out: number[] = new Array(d.length);
  let acc = 0;
  for (let i = 0; i < d.length; i++) {
    acc += d[i]!;
    out[i] = scale === 1 ? acc : acc / scale;
  }
  return out;
}

/** 2^12: the spacing of doubles between 2^40 and 2^41 ms (2004 to 2039) */
const TIME_SCALE = 4096;
const times = (xs: readonly unknown[]): Json => deltas(xs, TIME_SCALE);

/** a list of ids, mostly runs of consecutive ones, as [first, length] pairs */
function ranges(ids: readonly number[]): number[] | null {
  const out: number[] = [];
  for (let i = 0; i < ids.length; ) {
    const first = ids[i]!;
    if (!Number.isSafeInteger(first)) return null;
    let j = i + 1;
    while (j < ids.length && ids[j] === first + (j - i)) j++;
    out.push(first, j - i);
    i = j;
  }
  return out;
}

function unranges(r: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < r.length; i += 2) for (let k = 0; k < r[i + 1]!; k++) out.push(r[i]! + k);
  return out;
}

const intList = (xs: unknown): xs is number[] => Array.isArray(xs) && xs.every((x) => Number.isSafeInteger(x) && !Object.is(x, -0));

// ---- records by id (reports, task rows, runs) ---------------------------------------------------

/** a Record keyed by ascending integer ids, as their ids and the values in that order */
function byId(rec: Record<string, unknown>): { ids: number[]; values: Row[] } | null {
  const ids: number[] = [];
  const values: Row[] = [];
  for (const [k, v] of Object.entries(rec)) {
    const id = Number(k);
    if (!Number.isSafeInteger(id) || id < 0 || String(id) !== k || !isObj(v)) return null;
    ids.push(id);
    values.push(v);
  }
  return { ids, values };
}

function fromIds<T>(ids: readonly number[], values: readonly T[]): Record<string, T> {
  const out: Record<string, T> = {};
  ids.forEach((id, i) => (out[id] = values[i]!));
  return out;
}

/** the n-th value of every array, as a column: differences when they all are integers, else as they are */
function columns(arrays: ReadonlyArray<readonly unknown[]>, width: number): Json[] {
  const cols: Json[] = [];
  for (let c = 0; c < width; c++) cols.push(deltas(arrays.map((a) => a[c])));
  return cols;
}

function uncolumns(cols: readonly Json[], n: number): unknown[][] {
  const vals = cols.map(undeltas);
  return Array.from({ length: n }, (_, i) => vals.map((col) => col[i]));
}

/** StoredReport as kernel/logs.ts storeReport writes it: refs, the packed fields, the row ids */
function packReports(rec: Record<string, unknown>): Json | null {
  const r = byId(rec);
  if (!r || r.values.length === 0) return null;
  const width = (r.values[0]!.p as unknown[] | undefined)?.length ?? -1;
  for (const v of r.values) {
    if (!keysAre(v, 'refs,p,rows') || !Array.isArray(v.p) || v.p.length !== width || !intList(v.rows)) return null;
    if (!(v.p as unknown[]).every((x) => typeof x === 'string' || typeof x === 'number')) return null;
  }
  const rows = r.values.map((v) => ranges(v.rows as number[]));
  if (rows.some((x) => x === null)) return null;
  return {
    ids: deltas(r.ids),
    refs: r.values.map((v) => v.refs as Json),
    p: columns(
      r.values.map((v) => v.p as unknown[]),
      width,
    ),
    rows: rows as number[][],
  };
}

function unpackReports(p: Obj): Record<string, unknown> {
  const ids = undeltas(p.ids!);
  const refs = p.refs as Json[];
  const fields = uncolumns(p.p as Json[], ids.length);
  const rows = p.rows as number[][];
  return fromIds(
    ids,
    ids.map((_, i) => ({ refs: refs[i], p: fields[i], rows: unranges(rows[i]!) })),
  );
}

/** TaskRow: a dump_tasks row's numbers, its name, the reports that list it */
function packRows(rec: Record<string, unknown>): Json | null {
  const r = byId(rec);
  if (!r || r.values.length === 0) return null;
  const width = (r.values[0]!.v as unknown[] | undefined)?.length ?? -1;
  for (const v of r.values) {
    if (!keysAre(v, 'v,name,refs') || !intList(v.v) || v.v.length !== width || typeof v.name !== 'string') return null;
  }
  return {
    ids: deltas(r.ids),
    v: columns(
      r.values.map((v) => v.v as number[]),
      width,
    ),
    name: r.values.map((v) => v.name as string),
    refs: r.values.map((v) => v.refs as Json),
  };
}

function unpackRows(p: Obj): Record<string, unknown> {
  const ids = undeltas(p.ids!);
  const v = uncolumns(p.v as Json[], ids.length);
  const names = p.name as string[];
  const refs = p.refs as Json[];
  return fromIds(
    ids,
    ids.map((_, i) => ({ v: v[i], name: names[i], refs: refs[i] })),
  );
}

const RUN_KEYS = 'reports,offsets,bootTime,t0,gaps,n,last,forks,fixed,pidMax,refs';
const RUN_NUMBERS = ['bootTime', 't0', 'n', 'last', 'forks', 'pidMax', 'refs'] as const;

/** OomRun (kernel/types.ts): the run's own numbers by column, its lists one per run */
function packRuns(rec: Record<string, unknown>): Json | null {
  const r = byId(rec);
  if (!r || r.values.length === 0) return null;
  for (const v of r.values) {
    if (!keysAre(v, RUN_KEYS) || typeof v.gaps !== 'string' || !intList(v.reports) || !intList(v.fixed)) return null;
    if (!Array.isArray(v.offsets) || !v.offsets.every((x) => typeof x === 'number')) return null;
  }
  const out: Obj = { ids: deltas(r.ids) };
  for (const k of RUN_NUMBERS) out[k] = deltas(r.values.map((v) => v[k]));
  out.reports = r.values.map((v) => ranges(v.reports as number[]) as number[]);
  out.offsets = r.values.map((v) => (v.offsets as number[]).slice());
  out.fixed = r.values.map((v) => ranges(v.fixed as number[]) as number[]);
  out.gaps = r.values.map((v) => v.gaps as string);
  return out;
}

function unpackRuns(p: Obj): Record<string, unknown> {
  const ids = undeltas(p.ids!);
  const num = Object.fromEntries(RUN_NUMBERS.map((k) => [k, undeltas(p[k]!)]));
    const reports = p.reports as number[][];
  const offsets = p.offsets as number[][];
  const fixed = p.fixed as number[][];
  const gaps = p.gaps as string[];
  return fromIds(
    ids,
    ids.map((_, i) => ({
      reports: unranges(reports[i]!),
      offsets: offsets[i],
      bootTime: num.bootTime![i],
      t0: num.t0![i],
      gaps: gaps[i],
      n: num.n![i],
      last: num.last![i],
      forks: num.forks![i],
      fixed: unranges(fixed[i]!),
      pidMax: num.pidMax![i],
      refs: num.refs![i],
    })),
  );
}

// ---- syslog records -----------------------------------------------------------------------------

const SYSLOG_KEYS: Record<string, string> = {
  line: 'kind,time,tag,pid,text',
  oom: 'kind,time,sinceBootMs,id',
  oomrun: 'kind,time,run',
};
const KIND_CODE: Record<string, string> = { line: 'l', oom: 'o', oomrun: 'r' };
const CODE_KIND: Record<string, string> = { l: 'line', o: 'oom', r: 'oomrun' };

/**
 * syslog's records: one letter per record for its kind, every record's time in one column, and
 * each kind's own fields in columns of their own. An OOM record's time since boot is kept as the
 * boot time it implies (the same number for every record of a boot) when that gives it back
 * exactly.
 */
function packSyslog(list: readonly unknown[]): Json | null {
  if (list.length === 0) return null;
  let kinds = '';
  const time: unknown[] = [];
  const tags: string[] = [];
  const tagIds: number[] = [];
  const pids: unknown[] = [];
  const texts: string[] = [];
  const boots: unknown[] = [];
  const since: unknown[] = [];
  const ooms: unknown[] = [];
  const runs: unknown[] = [];
  let bootsExact = true;
  for (const e of list) {
    if (!isObj(e) || typeof e.kind !== 'string' || !Object.hasOwn(SYSLOG_KEYS, e.kind) || !keysAre(e, SYSLOG_KEYS[e.kind]!)) return null;
    kinds += KIND_CODE[e.kind];
    time.push(e.time);
    if (e.kind === 'line') {
      if (typeof e.tag !== 'string' || typeof e.text !== 'string') return null;
      let t = tags.indexOf(e.tag);
      if (t < 0) t = tags.push(e.tag) - 1;
      tagIds.push(t);
      pids.push(e.pid);
      texts.push(e.text);
    } else if (e.kind === 'oom') {
      if (typeof e.time !== 'number' || typeof e.sinceBootMs !== 'number') return null;
      const boot = e.time - e.sinceBootMs;
      if (e.time - boot !== e.sinceBootMs) bootsExact = false;
      boots.push(boot);
      since.push(e.sinceBootMs);
      ooms.push(e.id);
    } else runs.push(e.run);
  }
  return {
    kinds,
    time: times(time),
    tags,
    tag: tagIds,
    pid: deltas(pids),
    text: texts,
    ...(bootsExact ? { boot: deltas(boots) } : { since: since as Json[] }),
    oom: deltas(ooms),
    run: deltas(runs),
  };
}

function unpackSyslog(p: Obj): unknown[] {
  const kinds = p.kinds as string;
  const time = undeltas(p.time!);
  const tags = p.tags as string[];
  const tag = p.tag as number[];
  const pid = undeltas(p.pid!);
  const text = p.text as string[];
  const boot = p.boot !== undefined ? undeltas(p.boot) : null;
  const since = (p.since as number[] | undefined) ?? [];
  const oom = undeltas(p.oom!);
  const run = undeltas(p.run!);
  const out: unknown[] = new Array(kinds.length);
  let li = 0;
  let oi = 0;
  let ri = 0;
  for (let i = 0; i < kinds.length; i++) {
    const kind = CODE_KIND[kinds[i]!]!;
    const t = time[i]!;
    if (kind === 'line') {
      out[i] = { kind, time: t, tag: tags[tag[li]!], pid: pid[li], text: text[li] };
      li++;
    } else if (kind === 'oom') {
      out[i] = { kind, time: t, sinceBootMs: boot ? t - boot[oi]! : since[oi], id: oom[oi] };
      oi++;
    } else out[i] = { kind, time: t, run: run[ri++] };
  }
  return out;
}

/** a compact line ring's flat (dt, pid, a, b) numbers, one column each */
function packCompact(flat: unknown, width: number): Json | null {
  if (!Array.isArray(flat) || flat.length === 0 || flat.length % width !== 0) return null;
  const n = flat.length / width;
  const cols: Json[] = [];
  for (let c = 0; c < width; c++) {
    const col = Array.from({ length: n }, (_, i) => flat[i * width + c]);
    cols.push(c === 0 ? (col as Json[]) : deltas(col));
  }
  return { n, cols };
}

function unpackCompact(p: Obj, width: number): number[] {
  const n = p.n as number;
  const cols = (p.cols as Json[]).map((c, i) => (i === 0 ? (c as number[]) : undeltas(c)));
  const out: number[] = new Array(n * width);
  for (let i = 0; i < n; i++) for (let c = 0; c < width; c++) out[i * width + c] = cols[c]![i]!;
  return out;
}

// ---- the whole store ----------------------------------------------------------------------------

const COMPACT_WIDTH = 4;

type Packer = { pack: (v: unknown) => Json | null; unpack: (p: Obj) => unknown };

const PACKERS: Record<string, Packer> = {
  reports: { pack: (v) => (isObj(v) ? packReports(v) : null), unpack: unpackReports },
  rows: { pack: (v) => (isObj(v) ? packRows(v) : null), unpack: unpackRows },
  runs: { pack: (v) => (isObj(v) ? packRuns(v) : null), unpack: unpackRuns },
  syslog: { pack: (v) => (Array.isArray(v) ? packSyslog(v) : null), unpack: unpackSyslog },
  syslog1: { pack: (v) => (Array.isArray(v) ? packSyslog(v) : null), unpack: unpackSyslog },
  compact: { pack: (v) => packCompact(v, COMPACT_WIDTH), unpack: (p) => unpackCompact(p, COMPACT_WIDTH) },
  compact1: { pack: (v) => packCompact(v, COMPACT_WIDTH), unpack: (p) => unpackCompact(p, COMPACT_WIDTH) },
};

/**
 * The log store as saved: a copy sharing nothing with `logs`, its big lists by column. `packed`
 * names the fields that were packed (the others are as they were), in the store's own key order.
 */
export function packLogs(logs: LogState): Json {
  const src = logs as unknown as Row;
  const out: Obj = {};
  const packed: string[] = [];
  for (const [k, v] of Object.entries(src)) {
    if (v === undefined) continue;
    const packer = PACKERS[k];
    const p = packer ? packer.pack(v) : null;
    if (p !== null) {
      out[k] = p;
      packed.push(k);
    } else out[k] = JSON.parse(JSON.stringify(v)) as Json;
  }
  out[MARK] = { v: LOGPACK_VERSION, fields: packed };
  return out;
}

/** true for a log store packLogs wrote */
export function isPackedLogs(v: unknown): boolean {
  return isObj(v) && isObj(v[MARK]);
}

/** The live log store back from packLogs's form (a store that was never packed is returned as it is). */
export function unpackLogs(saved: Json): LogState {
  if (!isPackedLogs(saved)) return saved as unknown as LogState;
  const src = saved as Obj;
  const mark = src[MARK] as Obj;
  if (mark.v !== LOGPACK_VERSION) throw new RangeError(`the saved logs are packed in layout ${String(mark.v)}; this engine reads layout ${LOGPACK_VERSION}`);
  const fields = new Set(mark.fields as string[]);
  const out: Row = {};
  for (const [k, v] of Object.entries(src)) {
    if (k === MARK) continue;
    out[k] = fields.has(k) ? PACKERS[k]!.unpack(v as Obj) : v;
  }
  return out as unknown as LogState;
}
