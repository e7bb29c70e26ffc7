/**
 * Running a player's action against the world: the scenario brings its lazy work up to date and
 * opens a burst of time for the action (it cannot start before work still running has finished),
 * and whatever died meanwhile is handed to its parent before control returns.
 */
import { afterBurst } from './power';
import { scenarioOf, type Burst } from './scenario';
import type { MachineWorld } from './world';

export function withStep<T>(w: MachineWorld, fn: (ctx: Burst) => T): T {
  const s = scenarioOf(w);
  const ctx = s.actionStart(w);
  const out = fn(ctx);
  s.reap(ctx);
  s.actionDone(w, ctx);
  // the command returns once its work is done: the clock has moved with it
  w.now = Math.max(w.now, ctx.t);
  afterBurst(w, ctx);
  return out;
}
