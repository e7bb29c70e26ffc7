/**
 * A replica set as a secondary sees it: a simulated primary writes operations at a rate the
 * scenario sets (a quiet day, a heavy night import), into a capped oplog that keeps the last
 * `oplogBytes / opBytes` of them; the secondary's background sync fetches them into a buffer
 * and its applier applies them unless writes are locked (fsyncLock). Lag is the primary's last
 * optime minus the applied one. When the next operation the secondary needs has already rolled
 * off the primary's oplog, it is too stale to catch up (2.6's RS102) and stays RECOVERING until
 * it is resynced.
 *
 * Operations are numbered from 0; the rate is piecewise constant, so how many the primary has
 * written by any instant, and when the k-th was written, are exact sums over the steps: nothing
 * is stored per operation.
 */

export interface RateStep {
  /** virtual ms from which this rate holds (until the next step) */
  fromMs: number;
  /** operations per second the primary writes */
  opsPerSec: number;
}

export interface PrimaryModel {
  /** how the set names it, e.g. 'db-1:27017' */
  host: string;
  setName: string;
  /** its _id in the set's config */
  memberId: number;
  startedAt: number;
  /** when it was elected */
  electedAt: number;
  /** the write rate over time, steps in time order; operations are counted from the first step */
  schedule: RateStep[];
  /** the capped oplog's size (2.6's default: 5% of free disk, at least 990 MB on 64-bit Linux) */
  oplogBytes: number;
  /** the average size of one oplog entry */
  opBytes: number;
}

export type MemberStateStr = 'STARTUP2' | 'SECONDARY' | 'RECOVERING';

export interface SecondarySync {
  /** the next operation's number to apply (= operations applied so far) */
  applied: number;
  /** the set's name for this member, e.g. 'mongo-b:27017' */
  me: string;
  memberId: number;
  state: MemberStateStr;
  /** fell off the primary's oplog (RS102): nothing is applied until a resync */
  stale: boolean;
  /** virtual ms of the last heartbeat exchange with the primary (every 2 s) */
  lastHeartbeat: number;
  /** operations the applier can apply per second at most */
  applyPerSec: number;
  /** the background sync's buffer (2.6: 256 MB), as operations it holds */
  bufferOps: number;
}

/** operations the primary has written by virtual time t (a fraction: the next one is under way) */
export function opsBy(p: PrimaryModel, t: number): number {
  let n = 0;
  const s = p.schedule;
  for (let i = 0; i < s.length; i++) {
    const from = s[i]!.fromMs;
    if (t <= from) break;
    const to = i + 1 < s.length ? Math.min(s[i + 1]!.fromMs, t) : t;
    n += ((to - from) / 1000) * s[i]!.opsPerSec;
  }
  return n;
}

/** whole operations written by t */
export function opsWritten(p: PrimaryModel, t: number): number {
  return Math.floor(opsBy(p, t) + 1e-9);
}

/** the virtual ms at which operation k (0-based) was written */
export function opTimeMs(p: PrimaryModel, k: number): number {
  let n = 0;
  const s = p.schedule;
  const target = k + 1;
  for (let i = 0; i < s.length; i++) {
    const from = s[i]!.fromMs;
    const rate = s[i]!.opsPerSec;
    const end = i + 1 < s.length ? s[i + 1]!.fromMs : Infinity;
    const here = end === Infinity ? Infinity : ((end - from) / 1000) * rate;
    if (rate > 0 && n + here >= target - 1e-9) return from + ((target - n) / rate) * 1000;
    n += here;
  }
  return Infinity;
}

/** operation k's optime as the oplog stamps it: seconds, and its place among that second's operations */
export function opTimestamp(p: PrimaryModel, k: number): { t: number; i: number } {
  const ms = opTimeMs(p, k);
  const secs = Math.floor(ms / 1000);
  const first = Math.max(0, Math.ceil(opsBy(p, secs * 1000) - 1e-9));
  return { t: secs, i: Math.max(1, k - first + 1) };
}

/** how many operations the capped oplog holds */
export function oplogCapacity(p: PrimaryModel): number {
  return Math.max(1, Math.floor(p.oplogBytes / Math.max(1, p.opBytes)));
}

/** the oldest operation still in the primary's oplog at t */
export function oldestOp(p: PrimaryModel, t: number): number {
  return Math.max(0, opsWritten(p, t) - oplogCapacity(p));
}

/** the primary's optime at t: its last operation's, or its election's before it wrote any */
export function lastOptimeMs(p: PrimaryModel, t: number): number {
  const n = opsWritten(p, t);
  return n === 0 ? p.electedAt : opTimeMs(p, n - 1);
}

/** the secondary's optime: the last operation it applied */
export function appliedOptimeMs(p: PrimaryModel, s: SecondarySync): number {
  return s.applied === 0 ? p.electedAt : opTimeMs(p, s.applied - 1);
}

/** replication lag in ms: the primary's last optime minus the applied one */
export function lagMs(p: PrimaryModel, s: SecondarySync, t: number): number {
  return Math.max(0, lastOptimeMs(p, t) - appliedOptimeMs(p, s));
}

/**
 * The oplog window at t: the time between its first and last entries (what printReplicationInfo
 * calls "log length start to end"); before the oplog has filled, the time since writes began.
 */
export function oplogWindowMs(p: PrimaryModel, t: number): number {
  const n = opsWritten(p, t);
  if (n === 0) return 0;
  return opTimeMs(p, n - 1) - opTimeMs(p, oldestOp(p, t));
}

/**
 * The background sync falls behind the primary's oplog: the next operation it must fetch (after
 * what the applier has and what its buffer holds) is older than the oldest the primary keeps.
 */
export function isTooStale(p: PrimaryModel, s: SecondarySync, t: number): boolean {
  return s.applied + s.bufferOps < oldestOp(p, t);
}

/** how many operations the applier takes from `from` to `to` while writes are not locked */
export function applicable(p: PrimaryModel, s: SecondarySync, from: number, to: number): number {
  const pending = opsWritten(p, to) - s.applied;
  const cap = Math.floor(((to - from) / 1000) * s.applyPerSec) + 1;
  return Math.max(0, Math.min(pending, cap));
}
