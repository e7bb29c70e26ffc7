/**
 * A machine world as a save holds it, and back. The log store is most of a world's size (every
 * record rsyslog wrote and every OOM report until logrotate drops them), so a save keeps it by
 * column (kernel/logpack.ts); everything else is stored as it is. A chapter whose world extends
 * the machine's hands these to the engine (ChapterModule.packWorld / unpackWorld).
 */
import { packLogs, unpackLogs, type RunTriggers } from '../kernel/logpack';
import type { LogState } from '../kernel/types';
import type { Json } from '../types';

type Obj = { [key: string]: Json };

/**
 * A JSON copy of `world` sharing nothing with it, its logs packed. `triggers`, when the chapter
 * knows them, lets the bulk runs' reload times be worked out again instead of kept.
 */
export function packMachineWorld(world: Json, triggers?: RunTriggers): Json {
  const w = world as Obj;
  if (typeof w !== 'object' || w === null || typeof w.logs !== 'object' || w.logs === null) return JSON.parse(JSON.stringify(world)) as Json;
  // the logs' place among the keys stays where it was
  const copy = JSON.parse(JSON.stringify({ ...w, logs: null })) as Obj;
  copy.logs = packLogs(w.logs as unknown as LogState, triggers);
  return copy;
}

/** The live world from packMachineWorld's form; `saved` is taken over (its logs are replaced in place). */
export function unpackMachineWorld(saved: Json, triggers?: RunTriggers): Json {
  const w = saved as Obj;
  if (typeof w === 'object' && w !== null && typeof w.logs === 'object' && w.logs !== null) w.logs = unpackLogs(w.logs, triggers) as unknown as Json;
  return saved;
}

