/**
 * The task list: fork, exec, exit and reparenting. Memory checks are the caller's business
 * (they decide whether an OOM kill or ENOMEM happens first); these functions only move state.
 */
import { avExec, avFold, avFork, avRelease, chainDepth } from './anonvma';
import { RESERVED_PIDS } from './pid';
import type { KernelState, Mm, Proc } from './types';

export function findProc(k: KernelState, pid: number): Proc | undefined {
  for (let ix = 0, xs = k.procs; ix < xs.length; ix++) {
    const p = xs[ix]!;
    if (p.pid === pid) return p;
  }
  return undefined;
}

function taken(k: KernelState, pid: number): boolean {
  return findProc(k, pid) !== undefined;
}

/** alloc_pid(): the next free pid after the last one, wrapping at pid_max; -1 when all are taken */
export function allocPid(k: KernelState): number {
  const max = k.sysctl.pidMax;
  let pid = k.lastPid + 1;
  if (pid >= max) pid = RESERVED_PIDS;
  for (let tries = 0; tries < max; tries++) {
    if (!taken(k, pid)) {
      k.lastPid = pid;
      return pid;
    }
    pid++;
    if (pid >= max) pid = RESERVED_PIDS;
  }
  return -1;
}

export interface ImageSpec {
  comm: string;
  args: string;
  vszKb: number;
  /** anonymous resident memory of the new image */
  anonKb: number;
  fileKb: number;
  ptes: number;
  vmas: number;
  anonVmas: number;
  commitKb: number;
  maxVmaKb: number;
}

export function newMm(k: KernelState, spec: ImageSpec): Mm {
  const links = avExec(k.av, spec.anonVmas, spec.anonKb);
  return {
    // an address space is made of whole pages
    vszKb: Math.ceil(spec.vszKb / 4) * 4,
    shareKb: spec.anonKb,
    privKb: 0,
    fileKb: spec.fileKb,
    ptes: spec.ptes,
    vmas: spec.vmas,
    commitKb: spec.commitKb,
    maxVmaKb: spec.maxVmaKb,
    ...links,
  };
}

interface SpawnSpec {
  pid?: number;
  ppid: number;
  uid: number;
  user: string;
  comm: string;
  args: string;
  start: number;
  kthread?: boolean;
  tty?: string;
  nice?: number;
  threads?: number;
  adj?: number;
  state?: Proc['state'];
  cpuRate?: number;
  role?: string;
  mm: Mm | null;
}

/** Puts a process in the table without a fork (boot-time daemons, kernel threads). */
export function addProc(k: KernelState, s: SpawnSpec): Proc {
  const pid = s.pid ?? allocPid(k);
  if (s.pid !== undefined && s.pid > k.lastPid) k.lastPid = s.pid;
  const p: Proc = {
    pid,
    ppid: s.ppid,
    uid: s.uid,
    user: s.user,
    comm: s.comm.slice(0, 15),
    args: s.args,
    state: s.state ?? 'S',
    start: s.start,
    cpuMs: 0,
    cpuRate: s.cpuRate ?? 0,
    cpuAt: s.start,
    kthread: s.kthread ?? false,
    tty: s.tty ?? '?',
    nice: s.nice ?? 0,
    threads: s.threads ?? 1,
    adj: s.adj ?? 0,
    admin: s.uid === 0,
    mm: s.mm,
    role: s.role ?? '',
    slot: -1,
    born: k.born++,
  };
  k.procs.push(p);
  return p;
}

/**
 * copy_process(): the child shares the parent's image copy-on-write. It gets its pid and its place
 * on the task list only from commitFork(), once its memory has been found.
 */
export function forkProc(k: KernelState, parent: Proc, t: number): Proc {
  const pm = parent.mm;
  const mm: Mm | null = pm
    ? {
        vszKb: pm.vszKb,
        shareKb: pm.shareKb,
        privKb: 0,
        fileKb: 0,
        ptes: pm.ptes,
        vmas: pm.vmas,
        commitKb: pm.commitKb,
        maxVmaKb: pm.maxVmaKb,
        ...avFork(k.av, pm, k.anonVmaReuse),
      }
    : null;
  const child: Proc = {
    pid: 0,
    ppid: parent.pid,
    uid: parent.uid,
    user: parent.user,
    comm: parent.comm,
    args: parent.args,
    state: 'S',
    start: t,
    cpuMs: 0,
    cpuRate: parent.cpuRate,
    cpuAt: t,
    kthread: parent.kthread,
    tty: parent.tty,
    nice: parent.nice,
    threads: 1,
    adj: parent.adj,
    admin: parent.admin,
    mm,
    role: parent.role,
    slot: -1,
    born: -1,
  };
  k.procs.push(child);
  return child;
}

/** alloc_pid() and the task list: false when the pid space is exhausted (fork gets EAGAIN). */
export function commitFork(k: KernelState, child: Proc): boolean {
  const pid = allocPid(k);
  if (pid < 0) return false;
  child.pid = pid;
  child.born = k.born++;
  return true;
}

function dropFromChains(k: KernelState, folded: number): void {
  for (let ix = 0, xs = k.procs; ix < xs.length; ix++) {
    const p = xs[ix]!;
    const mm = p.mm;
    if (!mm) continue;
    const i = mm.chain.indexOf(folded);
    if (i >= 0) mm.chain.splice(i, 1);
  }
}

function releaseMm(k: KernelState, mm: Mm): void {
  const candidates = avRelease(k.av, mm);
  if (k.anonVmaReuse) return;
  for (const id of candidates) {
    const f = avFold(k.av, id);
    if (f) dropFromChains(k, f.folded);
  }
}

/** execve(): the process keeps its pid but gets a new image and a new anon_vma family. */
export function execProc(k: KernelState, p: Proc, spec: ImageSpec): void {
  if (p.mm) releaseMm(k, p.mm);
  p.mm = newMm(k, spec);
  p.comm = spec.comm.slice(0, 15);
  p.args = spec.args;
}

export interface Exited {
  pid: number;
  ppid: number;
  role: string;
  slot: number;
  /** wait status as waitpid() reports it: signal number, or exit code << 8 */
  status: number;
}

/** do_exit(): frees the image, hands orphans to init, and reports the status the parent will reap. */
export function exitProc(k: KernelState, p: Proc, status: number): Exited {
  const i = k.procs.indexOf(p);
  if (i >= 0) k.procs.splice(i, 1);
  if (p.mm) releaseMm(k, p.mm);
  for (let ix = 0, xs = k.procs; ix < xs.length; ix++) {
    const c = xs[ix]!;
    if (c.ppid === p.pid) c.ppid = 1;
  }
  return { pid: p.pid, ppid: p.ppid, role: p.role, slot: p.slot, status };
}

/** A fork that found no memory: the half-built child vanishes without ever having had a pid. */
export function abortFork(k: KernelState, child: Proc): void {
  const i = k.procs.indexOf(child);
  if (i >= 0) k.procs.splice(i, 1);
  if (child.mm) releaseMm(k, child.mm);
}

/** Recomputes every depth after folds changed which nodes hold the levels. */
export function refreshDepths(k: KernelState): void {
  for (let ix = 0, xs = k.procs; ix < xs.length; ix++) {
    const p = xs[ix]!;
    if (p.mm) p.mm.depth = chainDepth(k.av, p.mm.chain);
  }
}

/** CPU ms consumed by a process up to virtual time t. */
export function cpuAt(p: Proc, t: number): number {
  return p.cpuMs + (p.cpuRate * Math.max(0, t - p.cpuAt)) / 1000;
}
