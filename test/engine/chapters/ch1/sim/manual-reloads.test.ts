import * as sim from '../../../../../engine/chapters/ch1/sim';
import { forkCostNs, mainDepth } from '../../../../../engine/chapters/ch1/sim/step';
import { arrival } from './helpers';

/**
 * NSD runs one reload at a time, and each one forks at the main's chain depth: two hundred
 * reloads by hand cost two hundred reloads' worth of kernel time, one after the other, not a
 * couple of seconds.
 */
describe('reloads forced by hand', () => {
  it.each([1234, 7])('take the time their forks cost, one after the other (seed %i)', (seed) => {
    const g = arrival(seed);
    const t0 = g.w.now;
    const oneFork = forkCostNs(g.w, mainDepth(g.w)) / 1e6;
    let ok = 0;
    for (let i = 0; i < 200; i++) if (sim.nsdControl(g.w, ['reload'], 'root').code === 0) ok++;
    expect(ok).toBeGreaterThan(0);
    // every accepted reload forked at least once at (no less than) the starting depth
    expect(g.w.now - t0).toBeGreaterThanOrEqual(ok * oneFork);
    // and the clock never ran behind the work: nothing is still being forked once they return
    expect(g.w.xfr.busyUntil).toBeLessThanOrEqual(g.w.now);
  });
});
