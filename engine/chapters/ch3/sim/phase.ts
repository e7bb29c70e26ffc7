/**
 * The incident night's one seeded choice: the phase of mongod's DataFileSync flush (it runs every
 * syncdelay = 60 s from a moment of its own; in 2.6 the thread sleeps a minute after each flush,
 * so its phase drifts with every flush's length). The night tears when that flush is still being
 * written to the data volume at the instant the backup's snapshot is requested: the flush wrote
 * some of a logical write's pages and not yet the others. Which phase does that is found by
 * running the last minutes before the snapshot on copies of the world (the same simulation, with
 * only the phase changed) and keeping one whose snapshot really restores torn; nothing of the
 * tear itself is chosen or written by the chapter.
 */
import { RngStreams } from '../../../rng';
import { mongoOf } from '../../../machine/mongo/server';
import { historyOf } from './history';
import { recordSnapshots } from './nights';
import type { Ch3World } from './world';

const SYNCDELAY_MS = 60_000;

interface Trial {
  /** when the snapshot was requested */
  at: number;
  torn: boolean;
  /** a collection scan of the restored copy stops with a BSON error (what a find meets), not only validate */
  readError: boolean;
  /** the read lands four bytes before a field name (the chapter's title): what the trials look for first */
  oints: boolean;
}

/** a copy of the world and its random streams, run to `to` with the flush due at `flushAt` (then every minute) */
function trial(w: Ch3World, streams: RngStreams, flushAt: number, to: number): Trial | null {
  const copy = JSON.parse(JSON.stringify(w)) as Ch3World;
  const s = copy.mongo.servers[0];
  if (!s) return null;
  s.flush.nextAt = flushAt - SYNCDELAY_MS;
  const h = historyOf(copy, new RngStreams(streams.seed, streams.getState()));
  h.advanceTo(to);
  const rec = recordSnapshots(copy).find((n) => n.nightly);
  return rec ? { at: rec.at, torn: !rec.clean, readError: rec.error.startsWith('BSONObj size'), oints: /First element: oints:/.test(rec.error) } : null;
}

/** what the chosen phase gives the night's restore: the shapes a reader can meet, best first */
export type NightShape = 'oints' | 'read' | 'torn' | 'none';

/**
 * Sets mongod's flush phase (from `w.now`, a couple of minutes before the backup) to one at which
 * the night's snapshot tears, trying the seeded offsets in order; returns what the kept phase
 * gives ('none': no offset tore, the phase is left as it was). Round 0 tries the offsets around
 * the flush a minute before the snapshot; each later round draws a further set from the same
 * stream (create.ts asks for one when a round gave no read error).
 */
export function chooseFlushPhase(w: Ch3World, streams: RngStreams, backupAt: number, round = 0): NightShape {
  const s = mongoOf(w).servers[0];
  if (!s) return 'none';
  const to = backupAt + 5_000;
  // where the snapshot falls with a flush about a minute before it (the dirty pages the fsync finds)
  const base = trial(w, streams, backupAt + 1_000, to);
  if (!base) return 'none';
  const rng = streams.stream('ch3-phase');
  // a read landing on a freed record's marker (the import was started for it: importStart.ts) is
  // kept first, any other read error next, then any tear
  const offsets = round === 0 ? [36, 24, 48, 60, 12, 72, 90, 120].map((x) => x + rng.int(0, 3)) : Array.from({ length: 8 }, () => rng.int(4, 125));
  let fallback = -1;
  let readable = -1;
  for (const before of offsets) {
    const flushAt = base.at - before;
    const t = trial(w, streams, flushAt, to);
    if (t?.oints) {
      s.flush.nextAt = flushAt - SYNCDELAY_MS;
      return 'oints';
    }
    if (t?.readError && readable < 0) readable = flushAt;
    if (t?.torn && fallback < 0) fallback = flushAt;
  }
  const kept = readable >= 0 ? readable : fallback;
  if (kept < 0) return 'none';
  s.flush.nextAt = kept - SYNCDELAY_MS;
  return readable >= 0 ? 'read' : 'torn';
}
