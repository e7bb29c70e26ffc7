/**
 * A machine world as a save holds it, and back. The log store is most of a world's size (every
 * record rsyslog wrote and every OOM report until logrotate drops them), so a save keeps it by
 * column (kernel/logpack.ts); so are the long lists of records among the stats (auth.log's
 * messages, wtmp's logins: engine/recordColumns.ts). Everything else is stored as it is. A chapter
 * whose world extends the machine's hands these to the engine (ChapterModule.packWorld / unpackWorld).
 */
import { packLogs, unpackLogs, type RunTriggers } from '../kernel/logpack';
import type { LogState } from '../kernel/types';
import { packRecords, unpackRecords } from '../recordColumns';
import type { Json } from '../types';

type Obj = { [key: string]: Json };

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** lists shorter than this are left as they are: columns would not pay for their own keys */
const MIN_RECORDS = 32;
/**
 * Where the stats lists kept by column go: under this one key, beside the stats left as they
 * are, with the stats' key order (a list's own key then checks as absent, not as a list of
 * another shape).
 */
const MARK = 'byColumn';

/** the stats as saved, sharing nothing with the live ones: long lists by column, the rest copied */
function packStatsLists(stats: Json, except: readonly string[]): Json {
  if (!isObj(stats) || MARK in stats) return copy(stats);
  const out: Obj = {};
  const lists: Obj = {};
  for (const [k, v] of Object.entries(stats)) {
    const p = !except.includes(k) && Array.isArray(v) && v.length >= MIN_RECORDS ? packRecords(v) : null;
    if (p) lists[k] = p;
    else if (v !== undefined) out[k] = copy(v);
  }
  if (Object.keys(lists).length > 0) out[MARK] = { order: Object.keys(stats).filter((k) => stats[k] !== undefined), lists };
  return out;
}

const copy = (v: Json): Json => (typeof v === 'object' && v !== null ? (JSON.parse(JSON.stringify(v)) as Json) : v);

function unpackStatsLists(saved: Json): Json {
  if (!isObj(saved) || !isObj(saved[MARK])) return saved;
  const { order, lists } = saved[MARK] as { order: string[]; lists: Obj };
  const out: Obj = {};
  for (const k of order) out[k] = k in lists ? (unpackRecords(lists[k]!) as Json) : saved[k]!;
  return out;
}

/**
 * A JSON copy of `world` sharing nothing with it, its logs and long stats lists packed. `triggers`,
 * when the chapter knows them, lets the bulk runs' reload times be worked out again instead of
 * kept; `statsKept` names stats lists the chapter packs its own way.
 */
export function packMachineWorld(world: Json, triggers?: RunTriggers, statsKept: readonly string[] = []): Json {
  const w = world as Obj;
  if (!isObj(w) || !isObj(w.logs)) return JSON.parse(JSON.stringify(world)) as Json;
  // the logs' and the stats' places among the keys stay where they were; each is copied once, by its packer
  const out = JSON.parse(JSON.stringify({ ...w, logs: null, ...(w.stats !== undefined ? { stats: null } : {}) })) as Obj;
  out.logs = packLogs(w.logs as unknown as LogState, triggers);
  if (w.stats !== undefined) out.stats = packStatsLists(w.stats, statsKept);
  return out;
}

/**
 * The live world from packMachineWorld's form, sharing nothing with `saved`, which is left as it
 * was: the logs are built anew from their columns, the rest copied once.
 */
export function unpackMachineWorld(saved: Json, triggers?: RunTriggers): Json {
  if (!isObj(saved) || !isObj(saved.logs)) return copy(saved);
  const w = JSON.parse(JSON.stringify({ ...saved, logs: null })) as Obj;
  w.logs = unpackLogs(saved.logs, triggers) as unknown as Json;
  if (w.stats !== undefined) w.stats = unpackStatsLists(w.stats);
  return w;
}
