import type { ChapterInjection } from '../../chapter';
import { mongoOf, type RateStep } from '../../machine/mongo';
import type { Json } from '../../types';
import { IMPORT_RATE } from './sim/params';
import type { Ch3World } from './sim/world';

/**
 * What a facilitator can make happen on chapter 3's box: the primary starts an unscheduled import
 * now, so writes arrive by replication at the nightly import's rate for a while. A backup taken by
 * hand during it runs against the load the nightly one meets (the race, or a lock that makes the
 * lag grow), instead of waiting for three in the morning.
 */
export const BURST_MS = 10 * 60_000;

/** the primary's schedule with `rate` from `from` to `to`, the steps around it kept (later nights' imports included) */
export function withBurst(schedule: readonly RateStep[], from: number, to: number, rate: number): RateStep[] {
  const rateAt = (t: number): number => {
    let r = 0;
    for (const s of schedule) if (s.fromMs <= t) r = s.opsPerSec;
    return r;
  };
  // what held at `to` holds again after the burst; a step that began inside the burst begins at its end
  const after = rateAt(to);
  const kept = schedule.filter((s) => s.fromMs < from || s.fromMs > to);
  return [...kept, { fromMs: from, opsPerSec: rate }, { fromMs: to, opsPerSec: after }].sort((a, b) => a.fromMs - b.fromMs);
}

export const CH3_INJECTIONS: readonly ChapterInjection[] = [
  {
    id: 'import-burst',
    label: `the primary runs an unscheduled import now: ${IMPORT_RATE} writes a second for ${BURST_MS / 60_000} minutes, replicated to this box`,
    apply: (world: Json, ctx) => {
      const w = world as unknown as Ch3World;
      const p = mongoOf(w).primary;
      if (!p) return 'this box replicates from no primary: nothing happened.';
      const now = ctx.now();
      p.schedule = withBurst(p.schedule, now, now + BURST_MS, IMPORT_RATE);
      const until = new Date(now + BURST_MS).toISOString().slice(11, 16);
      return `The primary writes ${IMPORT_RATE} operations a second until ${until} UTC; this secondary applies them as they come.`;
    },
  },
];
