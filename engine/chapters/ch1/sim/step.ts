/**
 * One burst of activity that starts at an event (a reload, a restart, a kill): the allocation
 * context plus a local clock. Forks take longer the deeper the anon_vma chain (anon_vma_clone walks
 * every chain entry) and each OOM kill costs reclaim time and the victim's teardown, so a reload
 * at the edge of memory can take seconds, and DNS can go quiet in the middle of it.
 */
import { newAllocCtx, type DecisionLog } from '../../../kernel/alloc';
import { slog } from '../../../machine/syslog';
import { findProc } from '../../../kernel/procs';
import type { Proc } from '../../../kernel/types';
import { withStep } from '../../../machine/act';
import type { Burst } from '../../../machine/scenario';
import { noteDns, settleDns } from './stats';
import type { Ch1World } from './world';

export interface StepCtx extends Burst {
  w: Ch1World;
  /** serve-child restarts so far in this burst; NSD would keep trying, time would pass */
  restarts: number;
  /** the cap cut a restart loop short: the main still owes its empty slots a fork */
  restartOwed: boolean;
  /** the 4.0 reload process while one is running */
  reloadPid: number;
  /** when the burst started; ctx.t runs ahead of it */
  t0: number;
  /** ns elapsed since t0, kept whole so bulk reloads can reproduce it exactly */
  ns: number;
  /** cost of one fork and of one OOM kill in this burst, from the chain depth when it began */
  forkNs: number;
  killNs: number;
  forks: number;
  /** (forks, kills) done when each process created in this burst started */
  opsAt: Map<Proc, [number, number]>;
  /** DNS going down (0) or coming back (1) inside the burst, with the (forks, kills) done then */
  outageMarks: number[];
  /** memory ran out and has not been found again: queries are dropped meanwhile */
  stalled: boolean;
}

/** ns for one fork of a process whose chain is `depth` levels deep */
export function forkCostNs(w: Ch1World, depth: number): number {
  return 250_000 + w.p.anonVmas * depth * w.p.forkNsPerAvc;
}

/** ns for reclaim to give up, the OOM kill, and the victim tearing down its chains */
export function killCostNs(w: Ch1World, depth: number): number {
  // unlink_anon_vmas() walks and frees every chain link the victim had, about as slowly as fork copied them
  return 140_000_000 + w.p.anonVmas * depth * w.p.forkNsPerAvc;
}

export function setClock(ctx: StepCtx, ns: number): void {
  ctx.ns = ns;
  ctx.t = ctx.t0 + ns / 1e6;
}

/** DNS bookkeeping at the burst's current time; `relieved` when a reclaim stall just ended */
export function tick(ctx: StepCtx, relieved = false): void {
  const { w } = ctx;
  const wasDown = w.stats.downSince >= 0;
  settleDns(w, ctx.t, ctx.stalled, relieved ? ctx.t : -1);
  const cameBack = wasDown && w.stats.downSince < 0;
  if (cameBack) {
    const ready = readyMark(ctx);
    const readyNs = ready[0]! * ctx.forkNs + ready[1]! * ctx.killNs;
    ctx.outageMarks.push(1, ...(relieved && readyNs < ctx.ns ? [ctx.forks, ctx.oomKills] : ready));
  }
  noteDns(w, ctx.t, ctx.stalled);
  if ((cameBack || !wasDown) && w.stats.downSince >= 0) ctx.outageMarks.push(0, ctx.forks, ctx.oomKills);
}

/** the (forks, kills) at which the first serve child that is up now became ready */
function readyMark(ctx: StepCtx): number[] {
  let best: [number, number] | null = null;
  let bestAt = Infinity;
  for (const [p, at] of ctx.opsAt) {
    if (p.role === 'nsd-child' && p.start <= ctx.t && p.start < bestAt) {
      bestAt = p.start;
      best = [at[0] + 1, at[1]];
    }
  }
  return best ?? [ctx.forks, ctx.oomKills];
}

export function newStep(w: Ch1World, t: number, depth: number, decisions?: DecisionLog): StepCtx {
  const base = newAllocCtx(w.k, w.logs, t, w.hardware, decisions);
  const ctx: StepCtx = {
    k: base.k,
    logs: base.logs,
    t,
    hardware: base.hardware,
    hidden: base.hidden,
    died: base.died,
    oomKills: 0,
    panicked: false,
    decisions,
    w,
    restarts: 0,
    restartOwed: false,
    reloadPid: 0,
    t0: t,
    ns: 0,
    forkNs: forkCostNs(w, depth),
    killNs: killCostNs(w, depth),
    forks: 0,
    opsAt: new Map(),
    outageMarks: [],
    stalled: false,
  };
  ctx.onKill = () => {
    setClock(ctx, ctx.ns + ctx.killNs);
    tick(ctx);
  };
  ctx.onPressure = () => {
    if (ctx.stalled) return;
    ctx.stalled = true;
    tick(ctx);
  };
  ctx.onRelief = () => {
    if (!ctx.stalled) return;
    ctx.stalled = false;
    tick(ctx, true);
  };
  return ctx;
}

/** depth of the running NSD main, which sets what forks cost */
export function mainDepth(w: Ch1World): number {
  const run = w.nsd.running;
  if (!run) return 1;
  return findProc(w.k, run.mainPid)?.mm?.depth ?? 1;
}

export function nsdLog(ctx: StepCtx, pid: number, text: string): void {
  slog(ctx.w.logs, ctx.t, 'nsd', pid, text);
}

/** A player's action as a burst of NSD's kind (the machine opens it through this chapter's scenario). */
export function withNsdStep<T>(w: Ch1World, fn: (ctx: StepCtx) => T): T {
  return withStep(w, (ctx) => fn(ctx as StepCtx));
}
