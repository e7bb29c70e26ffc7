import { arrival, DAY, fresh, run } from './helpers';

/**
 * How long one simulated week takes. Nothing is asserted about the time (machines differ): the
 * figures go to the report. `lastWeekMs` is kept so a debugger can look at it.
 */
export const lastWeekMs: Record<string, number> = {};

function time(label: string, f: () => void): void {
  const t0 = process.hrtime.bigint();
  f();
  lastWeekMs[label] = Number(process.hrtime.bigint() - t0) / 1e6;
}

describe('a simulated week', () => {
  it('runs from a fresh boot through the first OOM kills', () => {
    const g = fresh(31);
    time('fresh', () => run(g, 7 * DAY));
    expect(g.w.stats.reloads).toBeGreaterThan(40_000);
    expect(g.w.stats.oomKillCount).toBeGreaterThan(0);
  });

  it('runs from the scenario (the OOM storm already going)', () => {
    const g = arrival(7);
    time('arrival', () => run(g, 7 * DAY));
    expect(g.w.stats.reloads).toBeGreaterThan(0);
  });
});
