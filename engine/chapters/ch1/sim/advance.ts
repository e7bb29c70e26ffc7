/**
 * The event loop. Nothing is polled: every source of change (the primary's next update, the
 * reload xfrd has scheduled, cron's next minute, running jobs, the hourly sample, the machine's
 * own power state) knows its next time, and the loop jumps from one to the next.
 */
import { klog } from '../../../kernel/logs';
import type { Rng } from '../../../rng';
import { bulkRun, materialize, reloadAt, withPendingLevels } from './batch';
import { bootMachine, BOOT_MS } from './boot';
import { cronFinish, cronFinishNext, cronNext, cronRebootJobs, cronTick, type AdvanceHooks } from './crond';
import { updateLoad } from './load';
import { noteDns, sampleHour, settleDns } from './stats';
import type { StepCtx } from './step';
import { xfrArrive } from './xfr';
import type { Ch1World } from './world';

/** reloads this close to the end of an advance run exactly, so the logs look right when read */
export const TAIL_MS = 2 * 60_000;

export interface AdvanceOptions {
  /** run every reload through the process table (for tests comparing against the bulk path) */
  exact?: boolean;
}

type Kind = 'boot' | 'panic' | 'cronEnd' | 'cron' | 'xfr' | 'reload' | 'sample';

const next = { t: Infinity, kind: 'sample' as Kind };

/** the earliest pending event; ties go to the one listed first (a shared object: no garbage per event) */
function nextEvent(w: Ch1World): { t: number; kind: Kind } {
  next.t = Infinity;
  next.kind = 'sample';
  const m = w.machine;
  if (!m.up) {
    if (m.bootAt >= 0 && m.bootAt < next.t) (next.t = m.bootAt), (next.kind = 'boot');
    if (m.panicRebootAt >= 0 && m.panicRebootAt < next.t) (next.t = m.panicRebootAt), (next.kind = 'panic');
  } else {
    const end = w.cron.running.length > 0 ? cronFinishNext(w) : Infinity;
    if (end < next.t) (next.t = end), (next.kind = 'cronEnd');
    if (w.cron.nextAt >= 0 && w.cron.nextAt < next.t) (next.t = w.cron.nextAt), (next.kind = 'cron');
  }
  if (w.xfr.nextAt >= 0 && w.xfr.nextAt < next.t) (next.t = w.xfr.nextAt), (next.kind = 'xfr');
  if (m.up && w.xfr.pendingAt >= 0 && w.xfr.pendingAt < next.t) (next.t = w.xfr.pendingAt), (next.kind = 'reload');
  if (w.stats.nextSample < next.t) (next.t = w.stats.nextSample), (next.kind = 'sample');
  return next;
}

function refreshCron(w: Ch1World, t: number): void {
  const next = w.machine.up ? cronNext(w, t) : Infinity;
  w.cron.nextAt = Number.isFinite(next) ? next : -1;
}

/** A kernel panic: everything stops; with kernel.panic > 0 the machine resets itself. */
export function panicMachine(w: Ch1World, t: number): void {
  const k = w.k;
  if (k.sysctl.panic > 0) klog(w.logs, k.bootTime, t, 0, `Rebooting in ${k.sysctl.panic} seconds..`, false);
  if (w.sessionPid > 0) w.stats.sessionLost.push(t);
  w.sessionPid = 0;
  w.machine.up = false;
  w.machine.bootAt = -1;
  w.machine.panicRebootAt = k.sysctl.panic > 0 ? t + k.sysctl.panic * 1000 : -1;
  w.stats.panics.push(t);
  w.xfr.pendingAt = -1;
  w.cron.running = [];
}

/** Whatever a step left behind that the loop must take care of. */
export function afterStep(w: Ch1World, ctx: StepCtx): void {
  if (ctx.panicked) panicMachine(w, ctx.t);
  else updateLoad(w, ctx.t);
}

/** The box comes up again after a reset or a reboot. */
function boot(w: Ch1World, rng: Rng, t: number, hooks: AdvanceHooks): void {
  const powerOn = t - BOOT_MS;
  bootMachine(w, rng, powerOn);
  w.machine.bootAt = -1;
  w.xfr.pendingAt = -1;
  w.xfr.lastReloadAt = 0;
  w.xfr.busyUntil = 0;
  w.batch.last = null;
  w.batch.template = null;
  w.stats.reboots.push(powerOn);
  refreshCron(w, t);
  cronRebootJobs(w, t, hooks);
  updateLoad(w, t);
}

/** the earliest event that is neither a transfer nor a reload */
function nextOther(w: Ch1World): number {
  let t = w.stats.nextSample;
  if (w.cron.running.length > 0) t = Math.min(t, cronFinishNext(w));
  if (w.cron.nextAt >= 0) t = Math.min(t, w.cron.nextAt);
  return t;
}

let depth = 0;

/** Runs the world up to virtual time toMs. Re-entrant: cron's commands may advance time themselves. */
export function advance(w: Ch1World, rng: Rng, toMs: number, hooks: AdvanceHooks = {}, opts: AdvanceOptions = {}): void {
  if (!(toMs > w.now)) return;
  depth++;
  try {
    refreshCron(w, w.now);
    for (;;) {
      const ev = nextEvent(w);
      if (ev.t > toMs) break;
      const t = Math.max(ev.t, w.now);
      const kind = ev.kind;
      // the hourly sample can look at a bulk run without settling it
      if (kind !== 'xfr' && kind !== 'reload' && kind !== 'sample') materialize(w);
      // a reload still running has already written the DNS timeline up to its end
      const td = Math.max(t, w.xfr.busyUntil);
      // reloads keep the DNS timeline themselves; arrivals do not touch it
      const books = kind !== 'xfr' && kind !== 'reload' && !(kind === 'sample' && w.batch.pending > 0);
      if (books) settleDns(w, td);
      w.now = t;
      switch (kind) {
        case 'boot':
          boot(w, rng, t, hooks);
          break;
        case 'panic':
          w.machine.panicRebootAt = -1;
          w.machine.bootAt = t + rng.int(18_000, 35_000) + BOOT_MS;
          break;
        case 'cronEnd':
          cronFinish(w, t);
          break;
        case 'cron':
          cronTick(w, rng, t, hooks);
          refreshCron(w, t);
          break;
        case 'xfr':
          xfrArrive(w, rng, t);
          break;
        case 'reload': {
          w.xfr.pendingAt = -1;
          w.xfr.lastReloadAt = t;
          if (!w.nsd.running) break;
          const r = reloadAt(w, t, { bulk: !opts.exact, lastBefore: t >= toMs - TAIL_MS });
          w.xfr.busyUntil = r.end;
          if (r.ctx) afterStep(w, r.ctx);
          // a bulk run goes on without the general loop until something else is due
          else bulkRun(w, rng, Math.min(toMs - TAIL_MS, nextOther(w)));
          break;
        }
        case 'sample':
          withPendingLevels(w, () => {
            sampleHour(w, t);
            updateLoad(w, t);
          });
          break;
      }
      if (books) noteDns(w, Math.max(t, w.xfr.busyUntil));
    }
    materialize(w);
    w.now = Math.max(w.now, toMs);
    if (w.xfr.busyUntil <= w.now) {
      settleDns(w, w.now);
      noteDns(w, w.now);
    }
  } finally {
    depth--;
  }
}

/** true while an advance is running (cron's commands run inside one) */
export function advancing(): boolean {
  return depth > 0;
}
