/**
 * Chapter 1's world as a save holds it. The machine's log store is packed by column
 * (machine/savedWorld.ts); what is left of its size is the start of every reload the machine ran
 * in bulk, a few hundred thousand a month. Those follow from the primary's updates (an update
 * during a reload sets the next one off the moment it ends; with none, the next update does), and
 * the updates follow from the 'xfr' random stream, which the save holds: its present state is
 * walked back draw by draw (engine/rngRewind.ts) to give every update since the oldest run. The
 * save then keeps only where a reload did not start as the updates say (a player's own reload).
 */
import { packMachineWorld, unpackMachineWorld } from '../../machine/savedWorld';
import { packColumn, unpackColumn, type RunTriggers } from '../../kernel/logpack';
import { Rng } from '../../rng';
import { RngRewind } from '../../rngRewind';
import type { Json } from '../../types';

type Obj = { [key: string]: Json };

/**
 * The spacing of the primary's updates as saves of this layout know it: sim/xfr.ts xfrGap and
 * xfrArrive's two draws per update (the zone, then the gap), frozen here. If the simulation's
 * spacing changes, saves already written must still be read with this one: give the changed
 * spacing a model of its own beside this (test/engine/chapters/ch1/savedWorld.test.ts notices).
 */
export const UPDATES_MODEL = 'ch1 primary updates 1';
export const MIN_UPDATE_GAP_MS = 120;

export function updateGapMs(meanMs: number, u: number): number {
  return Math.max(MIN_UPDATE_GAP_MS, Math.round(-meanMs * Math.log(1 - u)));
}

/**
 * Each live world's last walk, kept: a save and its load (or two saves with no time between) walk
 * back the same way, and a later save walks only the updates since, forward from where the last
 * walk began. Kept per world, not once for the process: a bot holding many games saves them in
 * turn, and one shared walk would be walked back again, days of updates, for every save.
 */
interface Walk {
  state: readonly number[];
  nextAt: number;
  mean: number;
  from: number;
  times: number[];
}
const walks = new WeakMap<object, Walk>();

/** every update from `from` on, oldest first, the next one still to come included */
export function updateTimes(world: Json, streams: { [name: string]: Json }): RunTriggers {
  return {
    model: UPDATES_MODEL,
    lineage: isObj(world) ? world : undefined,
    times(from: number): number[] {
      const w = world as Obj;
      const state = streams.xfr;
      const mean = (w.p as Obj | undefined)?.xfrMeanMs;
      const next = (w.xfr as Obj | undefined)?.nextAt;
      if (!Array.isArray(state) || state.length !== 4 || typeof mean !== 'number' || typeof next !== 'number' || next < 0) return [];
      const walk = walkOn(walks.get(w) ?? null, state as number[], mean, next, from) ?? { state: [...(state as number[])], nextAt: next, mean, from, times: walkBack(state as number[], mean, next, from) };
      walks.set(w, walk);
      return walk.times;
    },
  };
}

/** a month of updates is about 400 000; the cap only guards against a nonsense `from` */
const MAX_UPDATES = 5_000_000;

function walkBack(state: readonly number[], mean: number, nextAt: number, from: number): number[] {
  const rng = new RngRewind(state);
  let next = nextAt;
  const out: number[] = [next];
  for (let i = 0; i < MAX_UPDATES && next > from; i++) {
    next -= updateGapMs(mean, rng.prev());
    rng.prevU32(); // the zone the update was for
    out.push(next);
  }
  return out.reverse();
}

/**
 * The walk for (state, nextAt, from) from an earlier one, or null when it cannot be had that way:
 * the stream's draws since the earlier state (sfc32's fourth word counts them) are taken forward
 * as the updates would take them, two draws each (the zone, then the gap), and must end at this
 * state and this next update; the updates older than `from` but the last are left out. The list is
 * exactly what walkBack gives, since walking back from here passes through the earlier state.
 */
function walkOn(prev: Walk | null, state: readonly number[], mean: number, nextAt: number, from: number): Walk | null {
  if (!prev || prev.mean !== mean || from < prev.from || prev.times.length === 0) return null;
  let times = prev.times;
  if (!sameState(prev.state, state) || prev.nextAt !== nextAt) {
    const draws = (state[3]! - prev.state[3]!) >>> 0;
    if (draws % 2 !== 0 || draws / 2 > MAX_UPDATES) return null;
    const rng = new Rng(prev.state as [number, number, number, number]);
    let next = prev.nextAt;
    const added: number[] = [];
    for (let i = 0; i < draws / 2; i++) {
      rng.nextU32(); // the zone
      next += updateGapMs(mean, rng.next());
      added.push(next);
    }
    if (!sameState(rng.getState(), state) || next !== nextAt) return null;
    times = times.concat(added);
  }
  if (from > prev.from) {
    // the last update at or before `from` is where walkBack stops
    let i = 0;
    while (i + 1 < times.length && times[i + 1]! <= from) i++;
    if (i > 0) times = times.slice(i);
  }
  return { state: [...state], nextAt, mean, from, times };
}

const sameState = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => x >>> 0 === (b[i] as number) >>> 0);

// ---- the judge's figures (sim/stats.ts) ------------------------------------------------------

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** lists of records with these number fields, in this order (sim/world.ts Outage, OutageSeries) */
const RECORD_LISTS: Record<string, readonly string[]> = { outages: ['from', 'to'], series: ['from', 'to', 'count', 'totalMs'] };
/** flat lists of (time, number) pairs, and lists of [time, number] pairs */
const FLAT_PAIRS = ['oomKills', 'oomHourly'];
const PAIR_LISTS = ['sunreclaim'];

/** an outage's end as its length when that gives it back exactly, else as it is */
function ends(from: readonly number[], to: readonly number[]): Json {
  return to.every((t, i) => from[i]! + (t - from[i]!) === t) ? { since: packColumn(to.map((t, i) => t - from[i]!)) } : packColumn(to);
}

function unends(col: Json, from: readonly number[]): number[] {
  return isObj(col) && col.since !== undefined ? unpackColumn(col.since).map((d, i) => from[i]! + d) : unpackColumn(col);
}

function packRecordList(list: Json, keys: readonly string[]): Json | null {
  if (!Array.isArray(list) || list.length === 0) return null;
  const order = keys.join(',');
  if (!list.every((o) => isObj(o) && Object.keys(o).join(',') === order && keys.every((k) => typeof o[k] === 'number'))) return null;
  const col = (k: string): number[] => list.map((o) => (o as Obj)[k] as number);
  const out: Obj = {};
  for (const k of keys) out[k] = k === 'to' && keys.includes('from') ? ends(col('from'), col('to')) : packColumn(col(k));
  return out;
}

function unpackRecordList(p: Obj, keys: readonly string[]): Obj[] {
  const cols: Record<string, number[]> = {};
  for (const k of keys) cols[k] = k === 'to' && keys.includes('from') ? unends(p[k]!, cols.from!) : unpackColumn(p[k]!);
  return cols[keys[0]!]!.map((_, i) => Object.fromEntries(keys.map((k) => [k, cols[k]![i]!])) as Obj);
}

function packPairs(list: Json, flat: boolean): Json | null {
  if (!Array.isArray(list) || list.length === 0) return null;
  const pairs = flat ? null : list;
  if (flat ? list.length % 2 !== 0 || !list.every((x) => typeof x === 'number') : !pairs!.every((x) => Array.isArray(x) && x.length === 2 && x.every((y) => typeof y === 'number'))) return null;
  const n = flat ? list.length / 2 : list.length;
  const at = (i: number, j: number): number => (flat ? (list[2 * i + j] as number) : ((list[i] as number[])[j] as number));
  return { t: packColumn(Array.from({ length: n }, (_, i) => at(i, 0))), v: packColumn(Array.from({ length: n }, (_, i) => at(i, 1))) };
}

function unpackPairs(p: Obj, flat: boolean): Json[] {
  const t = unpackColumn(p.t!);
  const v = unpackColumn(p.v!);
  return flat ? t.flatMap((x, i) => [x, v[i]!]) : t.map((x, i) => [x, v[i]!]);
}

/** the stats with their long lists by column; `packed` names the lists so kept */
function packStats(stats: Json): Json {
  if (!isObj(stats) || Array.isArray(stats.packed)) return stats;
  const out: Obj = {};
  const packed: string[] = [];
  for (const [k, v] of Object.entries(stats)) {
    const p = RECORD_LISTS[k] ? packRecordList(v, RECORD_LISTS[k]) : FLAT_PAIRS.includes(k) ? packPairs(v, true) : PAIR_LISTS.includes(k) ? packPairs(v, false) : null;
    out[k] = p ?? v;
    if (p) packed.push(k);
  }
  if (packed.length > 0) out.packed = packed;
  return out;
}

function unpackStats(saved: Json): Json {
  if (!isObj(saved) || !Array.isArray(saved.packed)) return saved;
  const packed = new Set(saved.packed as string[]);
  const out: Obj = {};
  for (const [k, v] of Object.entries(saved)) {
    if (k === 'packed') continue;
    out[k] = !packed.has(k) ? v : RECORD_LISTS[k] ? unpackRecordList(v as Obj, RECORD_LISTS[k]) : (unpackPairs(v as Obj, FLAT_PAIRS.includes(k)) as Json);
  }
  return out;
}

export function packCh1World(world: Json, streams: { [name: string]: Json }): Json {
  const out = packMachineWorld(world, updateTimes(world, streams), Object.keys(RECORD_LISTS)) as Obj;
  if (isObj(out) && out.stats !== undefined) out.stats = packStats(out.stats);
  return out;
}

/** the live world from packCh1World's form, sharing nothing with `saved`, which is left as it was */
export function unpackCh1World(saved: Json, streams: { [name: string]: Json }): Json {
  // the other way round from packing: the chapter's lists first, then the machine's (which copies what is left)
  const w = isObj(saved) && saved.stats !== undefined ? { ...saved, stats: unpackStats(saved.stats) } : saved;
  const live = unpackMachineWorld(w, updateTimes(w, streams));
  // the world's first save after this load walks on from the walk its load made
  const walk = isObj(w) ? walks.get(w) : undefined;
  if (walk && isObj(live)) walks.set(live, walk);
  return live;
}
