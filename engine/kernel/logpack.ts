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
import { COMPACT_FIELDS, type LogState } from './types';
import { DIGIT_VALUE, DigitWriter, gapDigits } from './gapDigits';

type Obj = { [key: string]: Json };
type Row = Record<string, unknown>;

/** marks a packed log store; bumped if the layout below changes */
export const LOGPACK_VERSION = 1;
const MARK = 'packed';
const COMPACT_WIDTH = COMPACT_FIELDS;

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
  if (xs.length > 0 && allStrings(xs)) return wordsOf(xs as string[]);
  // written as intsText digits in the same pass: no array of differences in between
  let prev = 0;
  for (let i = 0; i < xs.length; i++) {
    const s = unitsOf(xs[i], scale);
    if (s === null) {
      digits.clear();
      return { raw: xs.slice() as Json[] };
    }
    const d = s - prev;
    // too big to zigzag exactly: the differences are kept as numbers
    if (Math.abs(d) > 2 ** 51) {
      digits.clear();
      return deltasAsNumbers(xs, scale);
    }
    digits.int(d);
    prev = s;
  }
  const d = digits.take();
  return scale === 1 ? d : { scale, d };
}

/** deltas as they were first written: the differences in an array, then as digits if they all can be */
function deltasAsNumbers(xs: readonly unknown[], scale: number): Json {
  const out: number[] = new Array(xs.length);
  let prev = 0;
  for (let i = 0; i < xs.length; i++) {
    const s = unitsOf(xs[i], scale);
    if (s === null) return { raw: xs.slice() as Json[] };
    out[i] = s - prev;
    prev = s;
  }
  const d = intsText(out) ?? out;
  return scale === 1 ? d : { scale, d };
}

/** x as a whole number of `scale` units, or null when it is not one exactly (or not a number) */
function unitsOf(x: unknown, scale: number): number | null {
  if (typeof x !== 'number') return null;
  const s = x * scale;
  return Number.isSafeInteger(s) && s / scale === x && !Object.is(x, -0) ? s : null;
}

function allStrings(xs: readonly unknown[]): boolean {
  for (let i = 0; i < xs.length; i++) if (typeof xs[i] !== 'string') return false;
  return true;
}

function undeltas(col: Json): number[] {
  if (typeof col === 'string') return textSums(col, 1);
  if (Array.isArray(col)) return sums(col as number[], 1);
  const c = col as Obj;
  if (Array.isArray(c.words)) return unwords(c) as unknown as number[];
  if (Array.isArray(c.raw)) return JSON.parse(JSON.stringify(c.raw)) as number[];
  return typeof c.d === 'string' ? textSums(c.d, c.scale as number) : sums(c.d as number[], c.scale as number);
}

/** a column of strings as its distinct strings and, for each entry, which (as intsText) */
function wordsOf(xs: readonly string[]): Json {
  const words: string[] = [];
  const index = new Map<string, number>();
  const at = xs.map((x) => {
    let i = index.get(x);
    if (i === undefined) {
      i = words.push(x) - 1;
      index.set(x, i);
    }
    return i;
  });
  return { words, at: intsText(at) ?? at };
}

function unwords(c: Obj): string[] {
  const words = c.words as string[];
  const at = typeof c.at === 'string' ? textInts(c.at) : (c.at as number[]);
  return at.map((i) => words[i]!);
}

/**
 * Integers as text: each one zigzagged (0, -1, 1, -2... as 0, 1, 2, 3...) and written in base-32
 * digits, lowest first, the upper half of the alphabet marking a digit with more to follow. A
 * column of differences is mostly 0s, one "A" each: half the JSON of "0," and quicker to read.
 * Null when a number is too big to zigzag exactly.
 */
function intsText(xs: readonly number[]): string | null {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (Math.abs(x) > 2 ** 51) {
      digits.clear();
      return null;
    }
    digits.int(x);
  }
  return digits.take();
}

/** the digits of the column being written: one buffer for every column, made a string once per column */
const digits = new DigitWriter();

function textInts(text: string): number[] {
  return decodeInts(text, false, 1);
}

/**
 * sums(textInts(text), scale) in one pass and one array of the right length: a loaded save's
 * columns are thousands long, and both lists were garbage but the last
 */
function textSums(text: string, scale: number): number[] {
  return decodeInts(text, true, scale);
}

/** intsText's numbers back, as they are or `summed` (a running total, over `scale`) */
function decodeInts(text: string, summed: boolean, scale: number): number[] {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (!(DIGIT_VALUE[text.charCodeAt(i)]! >= 32)) n++;
  const out: number[] = new Array(n);
  let acc = 0;
  let v = 0;
  let mul = 1;
  let k = 0;
  for (let i = 0; i < text.length; i++) {
    const d = DIGIT_VALUE[text.charCodeAt(i)]!;
    if (d >= 32) {
      v += (d - 32) * mul;
      mul *= 32;
      continue;
    }
    v += d * mul;
    const x = v % 2 === 0 ? v / 2 : -(v + 1) / 2;
    if (summed) {
      acc += x;
      out[k++] = scale === 1 ? acc : acc / scale;
    } else out[k++] = x;
    v = 0;
    mul = 1;
  }
  return out;
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

/** A column of virtual times (or any numbers) as exact differences; packColumn's form back with unpackColumn. */
export const packColumn = times;
export const unpackColumn = (col: Json): number[] => undeltas(col);

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
  const out: unknown[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const row: unknown[] = new Array(vals.length);
    for (let c = 0; c < vals.length; c++) row[c] = vals[c]![i];
    out[i] = row;
  }
  return out;
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

/**
 * What a save knows elsewhere about when a run's reloads could start: the times of the events
 * that set them off (a chapter's timer, e.g. the primary's updates), oldest first, from `from` on.
 * Given at packing and at unpacking alike; the same save must give the same list both times.
 */
export interface RunTriggers {
  /** names the way the list is made, so a save packed with one way is never read with another */
  model: string;
  times(from: number): readonly number[];
  /**
   * The same object for every RunTriggers of one game (its live world): its successive lists drop
   * older triggers and gain newer ones, so their index is carried over (checked, not believed).
   */
  lineage?: object;
}

/**
 * gapDigits of each number, one after the other. Written into intsText's buffer and made a string
 * once: a month of reloads appended gap by gap left tens of megabytes of partial strings to the
 * collector at every load. A number gapDigits has no digits for is written by it, as it always was.
 */
function gapsText(xs: readonly number[]): string {
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i]!;
    if (!(Number.isSafeInteger(v) && v >= 0)) {
      digits.clear();
      return xs.map(gapDigits).join('');
    }
    digits.digits(v);
  }
  return digits.take();
}

/** the gaps back as numbers, or null when the text is not exactly what gapDigits writes */
function readGaps(text: string): number[] | null {
  const out: number[] = [];
  let v = 0;
  let mul = 1;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const d = DIGIT_VALUE[text.charCodeAt(i)] ?? -1;
    if (d < 0) return null;
    if (d >= 32) {
      v += (d - 32) * mul;
      mul *= 32;
      continue;
    }
    // gapDigits never ends a number with a 0 digit after others: such text is not its own
    if (d === 0 && mul > 1) return null;
    v += d * mul;
    out.push(v);
    v = 0;
    mul = 1;
    start = i + 1;
  }
  return start === text.length ? out : null;
}

/**
 * For each spacing between two triggers in a row, every place it occurs, oldest first: chains
 * through the places, numbered from the first list the index was made for (a place's number is
 * its index in the list plus `base`). A later list of the same lineage that only dropped older
 * triggers and gained newer ones extends the index instead of building it again; a bot saving
 * many games after every step would otherwise index days of triggers for every save.
 */
class ChainIndex {
  readonly heads = new Map<number, number>();
  private readonly tails = new Map<number, number>();
  /** next[n - origin]: the next place with the same spacing, or -1 */
  private next = new Int32Array(0);
  private origin = 0;

  constructor(
    public times: readonly number[],
    /** the number of times[0] */
    public base: number,
  ) {
    this.origin = base;
    this.append(1);
  }

  /** indexes times[from...] (the places a list newer than the index added) */
  append(from: number): void {
    const t = this.times;
    const need = this.base + t.length - this.origin;
    if (need > this.next.length) {
      const grown = new Int32Array(Math.max(need, this.next.length * 2, 64)).fill(-1);
      grown.set(this.next);
      this.next = grown;
    }
    for (let m = Math.max(1, from); m < t.length; m++) {
      const g = t[m]! - t[m - 1]!;
      const n = this.base + m;
      const tail = this.tails.get(g);
      if (tail === undefined) this.heads.set(g, n);
      else this.next[tail - this.origin] = n;
      this.tails.set(g, n);
    }
  }

  /** the same index for `times`, which is this list from `dropped` on and then `times.length - kept` newer ones */
  moveTo(times: readonly number[], dropped: number): void {
    const kept = this.times.length - dropped;
    this.times = times;
    this.base += dropped;
    this.append(kept);
  }

  /** the places (list indices) where times[m] - times[m - 1] === gap, oldest first, at most `max` */
  spacedBy(gap: number, max: number): number[] {
    const out: number[] = [];
    let n = this.heads.get(gap) ?? -1;
    // places dropped from the front of the list are at the front of every chain: skip them for good
    while (n >= 0 && n - this.base < 1) n = this.next[n - this.origin]!;
    if (n >= 0) this.heads.set(gap, n);
    else this.heads.delete(gap);
    for (; n >= 0 && out.length < max; n = this.next[n - this.origin]!) out.push(n - this.base);
    return out;
  }

  /** numbers kept for places long dropped: an index made afresh would be this much smaller */
  stale(): number {
    return this.base - this.origin;
  }
}

/**
 * Where `times` continues `prev`: how many of prev's oldest it dropped, or -1 when it is not prev
 * with older triggers dropped and newer ones added (every value it shares with prev compared).
 */
function continuation(prev: readonly number[], times: readonly number[]): number {
  if (times.length === 0 || prev.length === 0) return -1;
  const first = times[0]!;
  const d = lowerBound(prev, first);
  if (d >= prev.length || prev[d] !== first) return -1;
  const kept = prev.length - d;
  if (kept > times.length) return -1;
  for (let i = 0; i < kept; i++) if (prev[d + i] !== times[i]) return -1;
  return d;
}

/** The triggers of one save, and where in them each spacing between two in a row occurs. */
class Triggers {
  private index: ChainIndex | null = null;

  constructor(
    readonly times: readonly number[],
    /** an index of an earlier list of the same lineage, which this one may extend */
    private earlier: ChainIndex | null = null,
  ) {}

  /** the index, built now or taken over from the earlier list's */
  chains(): ChainIndex {
    if (this.index && this.index.times === this.times) return this.index;
    const e = this.earlier;
    this.earlier = null;
    const d = e ? continuation(e.times, this.times) : -1;
    if (e && d >= 0 && e.stale() <= this.times.length) {
      e.moveTo(this.times, d);
      this.index = e;
    } else {
      this.index = new ChainIndex(this.times, 0);
    }
    return this.index;
  }

  /** the index to hand on to a newer list: this list's, or the one it was given and never needed */
  builtIndex(): ChainIndex | null {
    return this.index && this.index.times === this.times ? this.index : this.earlier;
  }

  /** every m with times[m] - times[m - 1] === gap, oldest first (at most 64) */
  spacedBy(gap: number): number[] {
    return this.chains().spacedBy(gap, 64);
  }
}

/** one Triggers (and its index, once built) per list of times: a list walked once serves a save and its load */
const triggersByTimes = new WeakMap<readonly number[], Triggers>();
/** the newest Triggers of each lineage (RunTriggers.lineage) */
const newestOfLineage = new WeakMap<object, Triggers>();

function triggersOf(times: readonly number[], lineage?: object): Triggers {
  let t = triggersByTimes.get(times);
  if (!t) {
    const prev = lineage ? newestOfLineage.get(lineage) : undefined;
    // the earlier list's index moves over only once it has one; an unused one is not built for it
    t = new Triggers(times, prev ? prev.builtIndex() : null);
    triggersByTimes.set(times, t);
  }
  if (lineage) newestOfLineage.set(lineage, t);
  return t;
}

/** the gap most reloads of a run took (the first such when several tie) */
function commonGap(gaps: readonly number[]): number {
  const count = new Map<number, number>();
  let best = 0;
  let bestN = 0;
  for (const g of gaps) {
    const n = (count.get(g) ?? 0) + 1;
    count.set(g, n);
    if (n > bestN) {
      best = g;
      bestN = n;
    }
  }
  return best;
}

/**
 * Walks a run's reloads alongside the triggers. The next reload is expected when the one that
 * started at `s` ends (`busy` ms on, the length of the last reload that ran into a trigger, as
 * reloads grow slowly) if a trigger came while it ran, else at the first trigger after it. The
 * triggers may all be off by `shift` ms: a trigger handled late starts the chain of the later
 * ones from the moment it was handled, so the ones before it are where the chain says, moved.
 */
class RunWalk {
  private i: number;
  private wasBusy = false;

  constructor(
    private readonly times: readonly number[],
    private s: number,
    private busy: number,
    private readonly shift: number,
  ) {
    this.i = lowerBound(times, s - shift);
  }

  expected(): number {
    const t = this.times;
    while (this.i < t.length && t[this.i]! + this.shift <= this.s) this.i++;
    const first = this.i < t.length ? t[this.i]! + this.shift : undefined;
    this.wasBusy = first === undefined || first < this.s + this.busy;
    return this.wasBusy ? this.busy : Math.round(first!) - this.s;
  }

  /** the index of the trigger the walk looked at last (the length of the list when it ran past the end) */
  get at(): number {
    return this.i;
  }

  /** the reload's actual gap, once known */
  took(gap: number): void {
    if (this.wasBusy) this.busy = gap;
    this.s += gap;
  }
}

/**
 * A run's gaps as differences from what the walk expects, how many of them are not 0, and the
 * triggers the walk looked at (from `lo` to `hi`, both included).
 */
function diffsOf(gaps: readonly number[], times: readonly number[], t0: number, busy: number, shift: number): { text: string; misses: number; lo: number; hi: number } {
  const walk = new RunWalk(times, t0, busy, shift);
  const lo = walk.at;
  const zigs: number[] = new Array(gaps.length);
  let misses = 0;
  for (let i = 0; i < gaps.length; i++) {
    const g = gaps[i]!;
    const d = g - walk.expected();
    if (d !== 0) misses++;
    zigs[i] = zig(d);
    walk.took(g);
  }
  return { text: gapsText(zigs), misses, lo, hi: walk.at };
}

/**
 * What packing found for one bulk run, kept beside the live run record: a run closed long ago is
 * packed the same way at every save, so a later save of the same game takes it from here. It is
 * used only for the gaps it was made from, and a walk only where the triggers it looked at are
 * where they were (the same first and last value, as many between: the list of one game's triggers
 * only grows at its newest end and loses its oldest). A walk that ran past the newest trigger, or
 * that needed the search for a shift, is never kept: either could come out otherwise later.
 */
interface RunMemo {
  gaps: string;
  read: number[];
  walk?: { t0: number; shift: number; busy: number; text: string; first: number; count: number; last: number };
  /** the gaps' step of the check: the hash before it and after */
  check?: [number, number];
}
const runMemos = new WeakMap<object, RunMemo>();

function runMemo(run: Row): RunMemo | null {
  const m = runMemos.get(run);
  if (m && m.gaps === run.gaps) return m;
  const read = typeof run.gaps === 'string' ? readGaps(run.gaps) : null;
  if (!read) return null;
  const fresh: RunMemo = { gaps: run.gaps as string, read };
  runMemos.set(run, fresh);
  return fresh;
}

function walkStillHolds(w: NonNullable<RunMemo['walk']>, times: readonly number[], t0: number, shift: number): boolean {
  if (w.t0 !== t0 || w.shift !== shift) return false;
  const lo = lowerBound(times, t0 - shift);
  const hi = lo + w.count - 1;
  return hi < times.length && times[lo] === w.first && times[hi] === w.last;
}

/**
 * The shift that lines the triggers up with a run the unshifted ones do not explain: three gaps in
 * a row that no trigger cut short are the spacing of three triggers in a row, which the chain has
 * once or a few times; each place it has them is tried.
 */
function findShift(gaps: readonly number[], trig: Triggers, t0: number, busy: number): number[] {
  const times = trig.times;
  const out: number[] = [];
  let s = t0;
  for (let k = 0; k + 2 < gaps.length && out.length < 8; k++) {
    const start = s + gaps[k]!;
    s = start;
    const g1 = gaps[k + 1]!;
    const g2 = gaps[k + 2]!;
    if (gaps[k]! <= busy || g1 <= busy || g2 <= busy) continue;
    for (const m of trig.spacedBy(g1)) {
      // times[m] - times[m-1] is g1: the trigger at m-1 started the reload at `start`
      if (m + 1 < times.length && times[m + 1]! - times[m]! === g2) out.push(start - times[m - 1]!);
    }
  }
  return out;
}

/** zigzag: 0, -1, 1, -2... as 0, 1, 2, 3... so a difference is a gapDigits number */
const zig = (d: number): number => (d >= 0 ? 2 * d : -2 * d - 1);
const unzig = (z: number): number => (z % 2 === 0 ? z / 2 : -(z + 1) / 2);

function fnv(text: string, h: number): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/**
 * Every run's gaps as differences from what the triggers make of them: a reload the triggers
 * explain costs one letter, "A". Null when a run's gaps are not gapDigits text. `check` is a hash
 * of the gaps themselves, so triggers made another way on loading are found out, not believed.
 */
function gapsByTriggers(runs: readonly Row[], trig: Triggers, read: ReadonlyArray<number[] | null>): Obj | null {
  const t0 = runs.map((r) => r.t0);
  if (!t0.every((t) => Number.isSafeInteger(t))) return null;
  const times = trig.times;
  const n = runs.length;
  const busy: number[] = new Array(n);
  const shifts: number[] = new Array(n);
  const diffs: string[] = new Array(n);
  // newest first: the chain is exact up to the present, and a shift found holds for older runs
  let shift = 0;
  for (let r = n - 1; r >= 0; r--) {
    const gaps = read[r];
    if (!gaps) return null;
    const start = t0[r] as number;
    const stored = runMemos.get(runs[r]!);
    const memo = stored && stored.gaps === runs[r]!.gaps ? stored : undefined;
    const kept = memo?.walk;
    if (kept && walkStillHolds(kept, times, start, shift)) {
      busy[r] = kept.busy;
      shifts[r] = shift;
      diffs[r] = kept.text;
      continue;
    }
    const b = commonGap(gaps);
    let best = diffsOf(gaps, times, start, b, shift);
    let searched = false;
    // a short run is not worth a search: its few gaps cost a few letters as they are
    if (best.misses > gaps.length / 4 && gaps.length >= 8) {
      searched = true;
      for (const cand of [0, ...findShift(gaps, trig, start, b)]) {
        if (cand === shift) continue;
        const tried = diffsOf(gaps, times, start, b, cand);
        if (tried.misses < best.misses) {
          best = tried;
          shift = cand;
        }
      }
    }
    if (memo && !searched && best.hi < times.length) {
      memo.walk = { t0: start, shift, busy: b, text: best.text, first: times[best.lo]!, count: best.hi - best.lo + 1, last: times[best.hi]! };
    }
    busy[r] = b;
    shifts[r] = shift;
    diffs[r] = best.text;
  }
  let check = 0x811c9dc5;
  for (const r of runs) {
    const stored = runMemos.get(r);
    const memo = stored && stored.gaps === r.gaps ? stored : undefined;
    if (memo?.check && memo.check[0] === check) {
      check = memo.check[1];
      continue;
    }
    const before = check;
    check = fnv(`${r.gaps as string},`, check);
    if (memo) memo.check = [before, check];
  }
  return { busy: deltas(busy), shift: shifts, diffs, check };
}

/**
 * The runs' gaps back from their differences along the triggers, and for each run what packing it
 * again would find (RunMemo), so that the first save after a load does not walk every run again:
 * a walk is kept only where packing would not have searched for a shift (a run whose shift is its
 * newer neighbour's, with few enough differences), and did not run past the newest trigger.
 */
function gapsFromTriggers(p: Obj, t0: readonly number[], trig: Triggers | null): { gaps: string[]; memos: RunMemo[] } {
  if (!trig) throw new RangeError(`the saved logs' reload times are kept against triggers this engine was not given`);
  const times = trig.times;
  const busy = undeltas(p.busy!);
  const shifts = p.shift as number[];
  const diffs = p.diffs as string[];
  let check = 0x811c9dc5;
  const memos: RunMemo[] = [];
  const out = diffs.map((text, r) => {
    const walk = new RunWalk(times, t0[r]!, busy[r]!, shifts[r]!);
    const lo = walk.at;
    const read: number[] = [];
    let misses = 0;
    for (const z of readGaps(text) ?? []) {
      const g = walk.expected() + unzig(z);
      if (z !== 0) misses++;
      read.push(g);
      walk.took(g);
    }
    const gaps = gapsText(read);
    const before = check;
    check = fnv(`${gaps},`, check);
    const memo: RunMemo = { gaps, read, check: [before, check] };
    const incoming = r + 1 < diffs.length ? shifts[r + 1] : 0;
    const searched = shifts[r] !== incoming || (misses > read.length / 4 && read.length >= 8);
    const hi = walk.at;
    if (!searched && hi < times.length) {
      memo.walk = { t0: t0[r]!, shift: shifts[r]!, busy: busy[r]!, text, first: times[lo]!, count: hi - lo + 1, last: times[hi]! };
    }
    memos.push(memo);
    return gaps;
  });
  if (check !== p.check) throw new RangeError(`the saved logs' reload times do not come back as they were saved (the triggers are not the ones they were saved with)`);
  return { gaps: out, memos };
}

/** the first index whose value is at least x */
function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const RUN_KEYS = 'reports,offsets,bootTime,t0,gaps,n,last,forks,fixed,pidMax,refs';
const RUN_NUMBERS = ['bootTime', 't0', 'n', 'last', 'forks', 'pidMax', 'refs'] as const;

/** OomRun (kernel/types.ts): the run's own numbers by column, its lists one per run */
function packRuns(rec: Record<string, unknown>, trig: Triggers | null): Json | null {
  const r = byId(rec);
  if (!r || r.values.length === 0) return null;
  for (const v of r.values) {
    if (!keysAre(v, RUN_KEYS) || typeof v.gaps !== 'string' || !intList(v.reports) || !intList(v.fixed)) return null;
    if (!Array.isArray(v.offsets) || !v.offsets.every((x) => typeof x === 'number')) return null;
  }
  const out: Obj = { ids: deltas(r.ids) };
  for (const k of RUN_NUMBERS) out[k] = deltas(r.values.map((v) => v[k]));
  // a run's count and its last start follow from its gaps: kept as what is left over (0)
  const read = r.values.map((v) => runMemo(v)?.read ?? null);
  if (read.every((g) => g !== null) && r.values.every((v) => Number.isSafeInteger(v.t0) && Number.isSafeInteger(v.last) && Number.isSafeInteger(v.n))) {
    const sum = (g: number[]): number => g.reduce((a, b) => a + b, 0);
    out.n = deltas(r.values.map((v, i) => (v.n as number) - read[i]!.length - 1));
    out.last = deltas(r.values.map((v, i) => (v.last as number) - (v.t0 as number) - sum(read[i]!)));
    out.fromGaps = true;
  }
  out.reports = r.values.map((v) => ranges(v.reports as number[]) as number[]);
  out.offsets = r.values.map((v) => (v.offsets as number[]).slice());
  out.fixed = r.values.map((v) => ranges(v.fixed as number[]) as number[]);
  const coded = trig ? gapsByTriggers(r.values, trig, read) : null;
  if (coded) out.byTriggers = coded;
  else out.gaps = r.values.map((v) => v.gaps as string);
  return out;
}

function unpackRuns(p: Obj, trig: Triggers | null): Record<string, unknown> {
  const ids = undeltas(p.ids!);
  const num = Object.fromEntries(RUN_NUMBERS.map((k) => [k, undeltas(p[k]!)]));
  const reports = p.reports as number[][];
  const offsets = p.offsets as number[][];
  const fixed = p.fixed as number[][];
  const byTriggers = p.byTriggers !== undefined ? gapsFromTriggers(p.byTriggers as Obj, num.t0!, trig) : null;
  const gaps = byTriggers?.gaps ?? (p.gaps as string[]);
  if (p.fromGaps === true) {
    gaps.forEach((text, i) => {
      const g = byTriggers?.memos[i]!.read ?? readGaps(text) ?? [];
      num.n![i]! += g.length + 1;
      num.last![i]! += num.t0![i]! + g.reduce((a, b) => a + b, 0);
    });
  }
  const runs = ids.map((_, i) => ({
    reports: unranges(reports[i]!),
    offsets: offsets[i]!.slice(),
    bootTime: num.bootTime![i],
    t0: num.t0![i],
    gaps: gaps[i],
    n: num.n![i],
    last: num.last![i],
    forks: num.forks![i],
    fixed: unranges(fixed[i]!),
    pidMax: num.pidMax![i],
    refs: num.refs![i],
  }));
  if (byTriggers) runs.forEach((run, i) => runMemos.set(run, byTriggers.memos[i]!));
  return fromIds(ids, runs);
}

// ---- syslog records -----------------------------------------------------------------------------

/** where a number was taken out of a line's text */
const SLOT = '\u0000';
const NUMBER = /0|[1-9]\d{0,14}/g;

/**
 * Lines of text as their wording with the numbers taken out (each wording once) and the numbers,
 * each as the difference from the same number of the last line with that wording: "server 14093
 * died unexpectedly" is one wording and a pid one up from the last. Null if a line holds SLOT.
 */
function packTexts(texts: readonly string[]): Json | null {
  const words: string[] = [];
  const wordIndex = new Map<string, number>();
  const which: number[] = new Array(texts.length);
  const nums: number[] = [];
  const last = new Map<number, number[]>();
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i]!;
    if (text.includes(SLOT)) return null;
    const found: number[] = [];
    const wording = text.replace(NUMBER, (m) => (found.push(Number(m)), SLOT));
    let w = wordIndex.get(wording);
    if (w === undefined) {
      w = words.push(wording) - 1;
      wordIndex.set(wording, w);
    }
    which[i] = w;
    const before = last.get(w);
    found.forEach((n, k) => nums.push(n - (before?.[k] ?? 0)));
    last.set(w, found);
  }
  return { words, which, nums };
}

function unpackTexts(p: Obj): string[] {
  const words = (p.words as string[]).map((w) => w.split(SLOT));
  const which = p.which as number[];
  const nums = p.nums as number[];
  const last = new Map<number, number[]>();
  let q = 0;
  return which.map((w) => {
    const parts = words[w]!;
    const before = last.get(w);
    const found: number[] = [];
    let text = parts[0]!;
    for (let k = 1; k < parts.length; k++) {
      const n = nums[q++]! + (before?.[k - 1] ?? 0);
      found.push(n);
      text += String(n) + parts[k]!;
    }
    last.set(w, found);
    return text;
  });
}

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
    text: packTexts(texts) ?? texts,
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
  const text = Array.isArray(p.text) ? (p.text as string[]) : unpackTexts(p.text as Obj);
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

/**
 * A compact ring's gaps (ms since the entry before) as steps along the triggers, when the entries
 * are triggers' own moments (a daemon logging each one): 1 for the next trigger, 2 when one went
 * unlogged. An entry the triggers do not explain is kept as it is, with the trigger the next
 * entries follow on from (as an offset from the one nearest its time).
 */
function stepsOf(dt: readonly number[], t0: number, trig: Triggers): Obj {
  const times = trig.times;
  const steps: number[] = new Array(dt.length);
  const kept: number[] = [];
  let T = t0;
  let j = -1;
  for (let i = 0; i < dt.length; i++) {
    const d = dt[i]!;
    let found = -1;
    if (i > 0 && j >= 0) {
      for (let k = j + 1; k < times.length && k - j <= 16; k++) {
        const diff = times[k]! - times[j]!;
        if (diff === d) found = k;
        if (diff >= d) break;
      }
    }
    T += d;
    if (found >= 0) {
      steps[i] = found - j;
      j = found;
      continue;
    }
    // where this entry sits: the trigger whose next spacings are the next entries' gaps
    const near = lowerBound(times, T);
    let at = near;
    const next = dt[i + 1];
    if (next !== undefined) {
      let best = Infinity;
      for (const m of trig.spacedBy(next)) {
        const follow = dt[i + 2];
        if (follow !== undefined && (m + 1 >= times.length || times[m + 1]! - times[m]! !== follow)) continue;
        if (Math.abs(m - 1 - near) < best) {
          best = Math.abs(m - 1 - near);
          at = m - 1;
        }
      }
    }
    steps[i] = 0;
    kept.push(d, at - near);
    j = at;
  }
  return { steps, kept };
}

function unsteps(p: Obj, t0: number, trig: Triggers | null): number[] {
  if (!trig) throw new RangeError(`the saved logs' compact records (a busy daemon's lines) are kept against triggers this engine was not given`);
  const times = trig.times;
  const steps = p.steps as number[];
  const kept = p.kept as number[];
  const out: number[] = new Array(steps.length);
  let T = t0;
  let j = -1;
  let q = 0;
  for (let i = 0; i < steps.length; i++) {
    const st = steps[i]!;
    if (st > 0) {
      out[i] = times[j + st]! - times[j]!;
      j += st;
      T += out[i]!;
      continue;
    }
    const d = kept[q++]!;
    T += d;
    out[i] = d;
    j = lowerBound(times, T) + kept[q++]!;
  }
  return out;
}

/** a field as the difference from the same field of the last entry with the same `key` field (a zone's serial) */
function byKey(values: readonly number[], keys: readonly number[]): number[] {
  const last = new Map<number, number>();
  return values.map((v, i) => {
    const d = v - (last.get(keys[i]!) ?? 0);
    last.set(keys[i]!, v);
    return d;
  });
}

function unbyKey(d: readonly number[], keys: readonly number[]): number[] {
  const last = new Map<number, number>();
  return d.map((x, i) => {
    const v = x + (last.get(keys[i]!) ?? 0);
    last.set(keys[i]!, v);
    return v;
  });
}

const intCol = (xs: readonly unknown[]): xs is number[] => xs.every((x) => Number.isSafeInteger(x) && !Object.is(x, -0));

/**
 * A compact line ring's flat (dt, pid, a, b) numbers, one column each: the gaps along the
 * triggers when there are any, pid as differences, b as the difference from the last entry with
 * the same a (the same zone's serial, one up per update).
 */
function packCompact(flat: unknown, t0: unknown, trig: Triggers | null): Json | null {
  if (!Array.isArray(flat) || flat.length === 0 || flat.length % COMPACT_WIDTH !== 0 || typeof t0 !== 'number') return null;
  const n = flat.length / COMPACT_WIDTH;
  const [dt, pid, a, b]: unknown[][] = [new Array(n), new Array(n), new Array(n), new Array(n)];
  for (let i = 0, j = 0; i < n; i++, j += COMPACT_WIDTH) {
    dt[i] = flat[j];
    pid[i] = flat[j + 1];
    a[i] = flat[j + 2];
    b[i] = flat[j + 3];
  }
  if (!dt.every((x) => typeof x === 'number' && Number.isFinite(x) && !Object.is(x, -0))) return null;
  const out: Obj = { n, t: trig ? stepsOf(dt as number[], t0, trig) : (dt as number[]), pid: deltas(pid) };
  if (intCol(a) && intCol(b)) {
    out.a = a;
    out.bByA = byKey(b, a);
  } else {
    out.a = { raw: a as Json[] };
    out.b = { raw: b as Json[] };
  }
  return out;
}

function unpackCompact(p: Obj, t0: number, trig: Triggers | null): number[] {
  const n = p.n as number;
  const dt = Array.isArray(p.t) ? (p.t as number[]) : unsteps(p.t as Obj, t0, trig);
  const pid = undeltas(p.pid!);
  const a = Array.isArray(p.a) ? (p.a as number[]) : ((p.a as Obj).raw as number[]);
  const b = p.bByA !== undefined ? unbyKey(p.bByA as number[], a) : ((p.b as Obj).raw as number[]);
  const out: number[] = new Array(n * COMPACT_WIDTH);
  for (let i = 0; i < n; i++) {
    out[i * COMPACT_WIDTH] = dt[i]!;
    out[i * COMPACT_WIDTH + 1] = pid[i]!;
    out[i * COMPACT_WIDTH + 2] = a[i]!;
    out[i * COMPACT_WIDTH + 3] = b[i]!;
  }
  return out;
}

// ---- the whole store ----------------------------------------------------------------------------

type Packer = { pack: (v: unknown, logs: Row, trig: Triggers | null) => Json | null; unpack: (p: Obj, logs: Obj, trig: Triggers | null) => unknown };

const PACKERS: Record<string, Packer> = {
  reports: { pack: (v) => (isObj(v) ? packReports(v) : null), unpack: unpackReports },
  rows: { pack: (v) => (isObj(v) ? packRows(v) : null), unpack: unpackRows },
  runs: { pack: (v, _l, trig) => (isObj(v) ? packRuns(v, trig) : null), unpack: (p, _l, trig) => unpackRuns(p, trig) },
  syslog: { pack: (v) => (Array.isArray(v) ? packSyslog(v) : null), unpack: unpackSyslog },
  syslog1: { pack: (v) => (Array.isArray(v) ? packSyslog(v) : null), unpack: unpackSyslog },
  compact: { pack: (v, l, trig) => packCompact(v, l.compactT0, trig), unpack: (p, l, trig) => unpackCompact(p, l.compactT0 as number, trig) },
  compact1: { pack: (v, l, trig) => packCompact(v, l.compact1T0, trig), unpack: (p, l, trig) => unpackCompact(p, l.compact1T0 as number, trig) },
};

/** the oldest moment the triggers are wanted for: the first bulk run's start, the compact rings' first entries */
function triggersFrom(logs: Row): number {
  let from = Infinity;
  if (isObj(logs.runs)) for (const r of Object.values(logs.runs)) if (isObj(r) && typeof r.t0 === 'number') from = Math.min(from, r.t0);
  if (Array.isArray(logs.compact) && logs.compact.length > 0 && typeof logs.compactT0 === 'number') from = Math.min(from, logs.compactT0);
  if (Array.isArray(logs.compact1) && logs.compact1.length > 0 && typeof logs.compact1T0 === 'number') from = Math.min(from, logs.compact1T0);
  // a little before, so the first entry has a trigger before it to step from
  return from - 60_000;
}

/**
 * The log store as saved: a copy sharing nothing with `logs`, its big lists by column. `packed`
 * names the fields that were packed (the others are as they were), in the store's own key order,
 * and the triggers the reload times were kept against, if any.
 */
export function packLogs(logs: LogState, triggers?: RunTriggers): Json {
  // a store packed already (a save's, handed on by a migration) is kept as it is
  if (isPackedLogs(logs)) return JSON.parse(JSON.stringify(logs)) as Json;
  const src = logs as unknown as Row;
  const from = triggers ? triggersFrom(src) : Infinity;
  const trig = triggers && Number.isFinite(from) ? triggersOf(triggers.times(from), triggers.lineage) : null;
  const out: Obj = {};
  const packed: string[] = [];
  for (const [k, v] of Object.entries(src)) {
    if (v === undefined) continue;
    const packer = PACKERS[k];
    const p = packer ? packer.pack(v, src, trig) : null;
    if (p !== null) {
      out[k] = p;
      packed.push(k);
    } else out[k] = JSON.parse(JSON.stringify(v)) as Json;
  }
  out[MARK] = { v: LOGPACK_VERSION, fields: packed, ...(trig ? { triggers: { model: triggers!.model, from } } : {}) };
  return out;
}

/** true for a log store packLogs wrote */
export function isPackedLogs(v: unknown): boolean {
  return isObj(v) && isObj(v[MARK]);
}

/**
 * The live log store back from packLogs's form (a store that was never packed is copied), sharing
 * nothing with `saved`, which is left as it was. `triggers` must be what they were when it was
 * packed, else this throws a RangeError.
 */
export function unpackLogs(saved: Json, triggers?: RunTriggers): LogState {
  if (!isPackedLogs(saved)) return JSON.parse(JSON.stringify(saved)) as LogState;
  const src = saved as Obj;
  const mark = src[MARK] as Obj;
  if (mark.v !== LOGPACK_VERSION) throw new RangeError(`the saved logs are packed in layout ${String(mark.v)}; this engine reads layout ${LOGPACK_VERSION}`);
  const used = mark.triggers as Obj | undefined;
  if (used && triggers?.model !== used.model) {
    throw new RangeError(`the saved logs' times are kept against ${String(used.model)}, which this engine cannot work out`);
  }
  const trig = used ? triggersOf(triggers!.times(used.from as number), triggers!.lineage) : null;
  const fields = new Set(mark.fields as string[]);
  const out: Row = {};
  for (const [k, v] of Object.entries(src)) {
    if (k === MARK) continue;
    out[k] = fields.has(k) ? PACKERS[k]!.unpack(v as Obj, src, trig) : typeof v === 'object' && v !== null ? JSON.parse(JSON.stringify(v)) : v;
  }
  return out as unknown as LogState;
}
