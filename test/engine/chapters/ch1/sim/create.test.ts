import { RngStreams } from '../../../../../engine/rng';
import { createCh1World } from '../../../../../engine/chapters/ch1/sim/create';
import { drawParams, firstOomEstimateMs } from '../../../../../engine/chapters/ch1/sim/params';

const HOUR = 3_600_000;

describe('the history before the player arrives', () => {
  it.each([3, 8, 21])('seed %i: one run from boot reaches the first OOM kill, and the player logs in at the seeded night hour', (seed) => {
    const p = drawParams(new RngStreams(seed).stream('params'));
    const w = createCh1World(new RngStreams(seed));
    expect(w.stats.firstOom).toBeGreaterThan(0);
    // the storm has been going on for at least an hour when the player is paged
    expect(w.now - w.stats.firstOom).toBeGreaterThanOrEqual(HOUR);
    expect(w.now).toBe(p.arrivalTarget);
    // the kill came when the simulation said, near where the plan put it
    const planned = p.arrivalTarget - p.lateMs;
    const est = firstOomEstimateMs(p);
    expect(Math.abs(w.stats.firstOom - planned)).toBeLessThan(0.08 * est);
  });

  it('is the same world for the same seed', () => {
    const a = JSON.stringify(createCh1World(new RngStreams(12)));
    const b = JSON.stringify(createCh1World(new RngStreams(12)));
    expect(a).toBe(b);
  });
});
