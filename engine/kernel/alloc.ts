/**
 * The page allocator's slow path, reduced to its outcome: after an allocation the state either
 * fits (reclaim and swap can make room) or the OOM killer runs, once per victim, until it fits,
 * until the allocating task itself is shot, or until nothing is left to kill and the kernel panics.
 */
import type { LogState } from './types';
import { klogOom, klogPanic } from './logs';
import { memCommit, memSnapshot, quickHeadroom, type MemSnap } from './memory';
import { allocatingTaskChoice, chooseVictim, oomReport, type OomTrigger } from './oom';
import { exitProc, type Exited } from './procs';
import type { KernelState, Proc } from './types';

/** Notes every memory decision, so a caller can tell whether a repeated step would decide the same. */
export interface DecisionLog {
  /** headroom in kB at each check (>= 0 means the allocation fitted) */
  margins: number[];
  /** what happened, in order, with processes named by role rather than pid */
  events: string[];
}

export interface AllocCtx {
  k: KernelState;
  logs: LogState;
  t: number;
  hardware: string;
  /** tasks being created: not on the task list yet, so neither candidates nor listed */
  hidden: Set<number>;
  /** exits the caller must deliver to parents once the current step is done */
  died: Exited[];
  oomKills: number;
  panicked: boolean;
  decisions?: DecisionLog;
  /** called after each kill: the caller's clock and bookkeeping move on */
  onKill?: (victim: Proc) => void;
  /** memory ran out: everything that allocates now stalls in reclaim until relief */
  onPressure?: () => void;
  onRelief?: () => void;
}

export function newAllocCtx(k: KernelState, logs: LogState, t: number, hardware: string, decisions?: DecisionLog): AllocCtx {
  return { k, logs, t, hardware, hidden: new Set(), died: [], oomKills: 0, panicked: false, decisions };
}

type FitResult = 'ok' | 'current-killed' | 'panic';

function roleName(p: Proc): string {
  return p.role === '' ? `pid${p.pid}` : `${p.role}#${p.slot}`;
}

/** A process killed by SIGKILL: its memory goes at once, its parent reaps status 9 later. */
export function sigkill(ctx: AllocCtx, p: Proc): void {
  ctx.died.push(exitProc(ctx.k, p, 9));
}

/**
 * Called after an allocation by `current` has been applied to the state. Returns 'ok' once it fits.
 */
export function ensureFits(ctx: AllocCtx, current: Proc, gfpMask: number, order: number): FitResult {
  const { k } = ctx;
  for (let round = 0; round < 64; round++) {
    const quick = quickHeadroom(k, ctx.t);
    ctx.decisions?.margins.push(quick.headroomKb);
    if (quick.headroomKb >= 0) {
      if (quick.squeezed) memCommit(k, ctx.t);
      if (round > 0) ctx.onRelief?.();
      return 'ok';
    }
    if (round === 0) ctx.onPressure?.();
    const snap: MemSnap = memSnapshot(k, ctx.t);
    const trigger: OomTrigger = { comm: current.comm, pid: current.pid, gfpMask, order, oomScoreAdj: current.adj };
    if (k.sysctl.panicOnOom > 0) {
      const report = oomReport(k, snap, ctx.t, trigger, null, ctx.hidden, ctx.hardware);
      klogPanic(ctx.logs, k.bootTime, ctx.t, report, 'Out of memory: system-wide panic_on_oom is enabled');
      ctx.panicked = true;
      ctx.decisions?.events.push('panic');
      ctx.onRelief?.();
      return 'panic';
    }
    const allocating = allocatingTaskChoice(k, snap, current, ctx.hidden);
    const choice = allocating ?? chooseVictim(k, snap, ctx.hidden);
    const report = oomReport(k, snap, ctx.t, trigger, choice, ctx.hidden, ctx.hardware, allocating !== null);
    if (!choice) {
      klogPanic(ctx.logs, k.bootTime, ctx.t, report, 'Out of memory and no killable processes...');
      ctx.panicked = true;
      ctx.decisions?.events.push('panic');
      ctx.onRelief?.();
      return 'panic';
    }
    klogOom(ctx.logs, k.bootTime, ctx.t, report);
    ctx.oomKills++;
    ctx.decisions?.events.push(`oom:${roleName(choice.chosen)}>${roleName(choice.victim)}`);
    const victim = choice.victim;
    sigkill(ctx, victim);
    ctx.onKill?.(victim);
    if (victim === current) {
      ctx.onRelief?.();
      return 'current-killed';
    }
  }
  ctx.onRelief?.();
  return 'current-killed';
}
