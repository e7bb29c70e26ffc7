import * as sim from '../../../../engine/chapters/ch1/sim';
import { currentFix, verdicts } from '../../../../engine/chapters/ch1/judge';
import { noteOomKills } from '../../../../engine/chapters/ch1/sim/stats';
import { blocksToPlainText } from '../../../../src/text/plain';
import { arrival, HOUR, installMainline, run } from './sim/helpers';
import { newGame, play } from './walkthrough.helpers';

/** The judge reads the machine's books right: how many kills, since when, and from the fix on. */

describe('chapter 1: the judge', () => {
  it('counts the OOM kills of the last day, not the entries of its record', () => {
    const g = newGame(1234);
    // Kwame counts the kills since the player arrived, from the world's own counter
    const kwame = play(g, ['sleep 1h'])[0]!;
    const status = blocksToPlainText(g.step('status'));
    const inDay = Number(/\((\d+) OOM kills in the last 24h\)/.exec(status)?.[1]);
    const state = g.snapshot().state as { world: { stats: { oomKillCount: number } } };
    expect(inDay).toBeGreaterThan(0);
    // an hour of the storm since arrival is part of the last day; the world has killed no more than its total
    const sinceArrival = Number(/That's (\d+) since you picked this up/.exec(kwame)?.[1]);
    expect(sinceArrival).toBeGreaterThan(0);
    expect(inDay).toBeGreaterThanOrEqual(sinceArrival);
    expect(inDay).toBeLessThanOrEqual(state.world.stats.oomKillCount);
  });

  it('an OOM kill after the fix breaks the no-OOM streak', () => {
    const g = arrival(1234);
    expect(installMainline(g).run.unconfigured).toEqual([]);
    expect(sim.reboot(g.w, g.streams, 'root').ok).toBe(true);
    run(g, 2 * HOUR);
    const fix = currentFix(g.w);
    expect(fix.kind).toBe('kernel');
    expect(verdicts(g.w, []).no_oom).toMatchObject({ status: 'holding' });
    // the OOM killer strikes once more, well after the fix
    noteOomKills(g.w, g.w.now - 60_000, 1);
    const v = verdicts(g.w, []).no_oom!;
    expect(v.status).toBe('failing');
    expect(v.detail).toMatch(/the OOM killer struck 1m 0s ago|the OOM killer struck 1m ago/);
  });

  it('judges SUnreclaim from the fix on: the leak before it does not count against it', () => {
    const g = arrival(1234);
    run(g, 3 * HOUR);
    // the slab grew all along before the fix
    const before = sim.meminfo(g.w).SUnreclaim;
    installMainline(g);
    expect(sim.reboot(g.w, g.streams, 'root').ok).toBe(true);
    run(g, 2 * HOUR);
    expect(sim.meminfo(g.w).SUnreclaim).toBeLessThan(before / 4);
    expect(verdicts(g.w, []).flat!.status).not.toBe('failing');
    expect(verdicts(g.w, []).flat!.detail).not.toMatch(/climbing/);
  });
});
