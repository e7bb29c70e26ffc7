/**
 * The snapshots of the data volume, judged as they appear: what mongod's lock was at the instant
 * (read back from mongod's own log, where 2.6 writes every fsync lock and unlock with its time),
 * whether the journal travelled with the data, and whether the copy restores and reads clean.
 */
import { mongodStamp } from './stamps';
import type { ObjectId } from 'bson';
import { feedOp } from '../../../machine/mongo/feed';
import { opsWritten, opTimeMs } from '../../../machine/mongo/repl';
import { checkSnapshot } from './restoreCheck';
import type { Ch3World, NightRecord } from './world';

export const MONGOD_LOG = '/var/log/mongodb/mongod.log';
const NIGHTLY = /^db-2 nightly \d{4}-\d\d-\d\d$/;

/** the fsync locks the box's mongod (port 27017) held at t, from its log's lock and unlock lines */
export function locksAt(w: Ch3World, t: number): number {
  const log = w.files.files[MONGOD_LOG]?.content ?? '';
  let held = 0;
  for (const line of log.split('\n')) {
    const at = mongodStamp(line);
    if (at === null || at > t) continue;
    if (line.includes('db is now locked for snapshotting')) held++;
    else if (line.includes('] command: unlock requested') && held > 0) held--;
    else if (line.includes('] dbexit: really exiting now') || line.includes('Got signal: 11')) held = 0;
  }
  return held;
}

/** the _ids of the last inserts the primary wrote before t: what an app reads back first ("the latest events") */
export function recentIds(w: Ch3World, t: number, n = 40): ObjectId[] {
  const p = w.mongo.primary;
  const f = w.mongo.feed;
  if (!p || !f) return [];
  const out: ObjectId[] = [];
  for (let k = opsWritten(p, t) - 1; k >= 0 && out.length < n; k--) {
    const op = feedOp(f, k, (j) => opTimeMs(p, j));
    if (op.kind === 'insert') out.push(op.doc._id as ObjectId);
  }
  return out;
}

/** judges every data-volume snapshot not yet judged; returns the new records */
export function recordSnapshots(w: Ch3World): NightRecord[] {
  const out: NightRecord[] = [];
  const seen = new Set(w.ch3.nights.map((n) => n.snapshotId));
  for (const s of w.cloud.snapshots) {
    if (s.volumeId !== w.ch3.dataVolume || seen.has(s.id)) continue;
    const v = checkSnapshot(w.cloud, s.id, recentIds(w, s.startTime));
    const rec: NightRecord = {
      snapshotId: s.id,
      at: s.startTime,
      nightly: NIGHTLY.test(s.description),
      locked: locksAt(w, s.startTime),
      journalWithData: v?.journalWithData ?? false,
      clean: v?.clean ?? false,
      error: v?.error ?? '',
      badId: v?.badId ?? '',
    };
    w.ch3.nights.push(rec);
    out.push(rec);
  }
  return out;
}
