/**
 * Running a player's action against the world: bulk reloads are settled first, the action gets
 * its own burst of time (it cannot start before a reload that is still running has finished), and
 * whatever died in the meantime is handed to its parent before control returns.
 */
import { afterStep } from './advance';
import { materialize } from './batch';
import { deliverDeaths } from './nsd';
import { mainDepth, newStep, tick, type StepCtx } from './step';
import { noteOomKills } from './stats';
import type { Ch1World } from './world';

export function withStep<T>(w: Ch1World, fn: (ctx: StepCtx) => T): T {
  materialize(w);
  w.batch.epoch++;
  // the player acts now; a reload still finishing in the background simply finishes first
  const ctx = newStep(w, w.now, mainDepth(w));
  tick(ctx);
  const out = fn(ctx);
  deliverDeaths(ctx);
  tick(ctx);
  noteOomKills(w, ctx.t0, ctx.oomKills);
  w.xfr.busyUntil = ctx.t;
  w.batch.last = null;
  afterStep(w, ctx);
  w.batch.epoch++;
  return out;
}
