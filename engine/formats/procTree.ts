/**
 * Session, process-group and foreground-group facts that ps's STAT letters and some columns
 * need but ProcessView does not carry. Callers may supply them; otherwise they are inferred the
 * way a 2015 Ubuntu box arranges them: init and daemons (children of init) lead their own
 * sessions, a login shell leads the session of its terminal, and the newest job on a terminal
 * that is not its shell is in the foreground.
 */
import type { ProcessView } from './types';

/** Optional per-process facts; anything left out is inferred. */
export interface ProcessExtra {
  /** session id */
  sid?: number;
  /** process group id */
  pgid?: number;
  /** foreground process group of the controlling terminal, -1 when none */
  tpgid?: number;
  /** kB of locked memory (STAT 'L') */
  lockedKb?: number;
  /** CPU the task last ran on (PSR) */
  processor?: number;
  /** kernel function the task sleeps in (WCHAN) */
  wchan?: string;
}

export interface ProcRelations {
  sid: number;
  pgid: number;
  tpgid: number;
}

function inferLeader(p: ProcessView, byPid: ReadonlyMap<number, ProcessView>): boolean {
  if (p.pid === 1) return true;
  if (p.kernelThread) return false;
  if (p.ppid <= 1) return true;
  const parent = byPid.get(p.ppid);
  return p.tty !== '?' && (parent === undefined || parent.tty !== p.tty);
}

/** Works out sid, pgid and tpgid for every process. */
export function relations(
  procs: readonly ProcessView[],
  extras: Readonly<Record<number, ProcessExtra>> = {},
): Map<number, ProcRelations> {
  const byPid = new Map(procs.map((p) => [p.pid, p] as const));
  const out = new Map<number, ProcRelations>();
  const leader = (p: ProcessView) =>
    extras[p.pid]?.sid !== undefined ? extras[p.pid].sid === p.pid : inferLeader(p, byPid);

  const sidOf = (p: ProcessView, depth = 0): number => {
    const given = extras[p.pid]?.sid;
    if (given !== undefined) return given;
    if (p.kernelThread) return 0;
    if (leader(p)) return p.pid;
    const parent = byPid.get(p.ppid);
    return parent && depth < 64 ? sidOf(parent, depth + 1) : p.pid;
  };
  const pgidOf = (p: ProcessView, depth = 0): number => {
    const given = extras[p.pid]?.pgid;
    if (given !== undefined) return given;
    if (p.kernelThread) return 0;
    if (leader(p)) return p.pid;
    const parent = byPid.get(p.ppid);
    if (!parent) return p.pid;
    // a job started by an interactive shell gets its own group
    if (p.tty !== '?' && leader(parent) && parent.tty === p.tty) return p.pid;
    return depth < 64 ? pgidOf(parent, depth + 1) : p.pid;
  };

  const foreground = new Map<string, number>();
  for (const p of procs) {
    if (p.tty === '?') continue;
    const pg = pgidOf(p);
    const current = foreground.get(p.tty);
    const cur = current === undefined ? undefined : byPid.get(current);
    if (cur === undefined) {
      foreground.set(p.tty, pg);
      continue;
    }
    const pIsShell = leader(p);
    const curIsShell = leader(cur);
    if ((curIsShell && !pIsShell) || (pIsShell === curIsShell && p.startTime >= cur.startTime)) foreground.set(p.tty, pg);
  }

  for (const p of procs) {
    const given = extras[p.pid]?.tpgid;
    out.set(p.pid, {
      sid: sidOf(p),
      pgid: pgidOf(p),
      tpgid: given !== undefined ? given : p.tty === '?' ? -1 : (foreground.get(p.tty) ?? -1),
    });
  }
  return out;
}

/** 3.16 has no 'I' state: idle kernel threads report 'S'. */
export function kernelState(s: ProcessView['state']): string {
  return s === 'I' ? 'S' : s;
}

/** The BSD STAT column: state, then < N L s l + as fs/proc and procps compute them. */
export function statLetters(p: ProcessView, rel: ProcRelations, extra?: ProcessExtra): string {
  let s = kernelState(p.state);
  if (p.nice < 0) s += '<';
  if (p.nice > 0) s += 'N';
  if ((extra?.lockedKb ?? 0) > 0) s += 'L';
  if (rel.sid === p.pid) s += 's';
  if (p.threads > 1) s += 'l';
  if (rel.pgid === rel.tpgid) s += '+';
  return s;
}
