/**
 * Chapter 1's world as a save holds it (engine/chapters/ch1/savedWorld.ts): the primary's updates
 * walked back from the 'xfr' stream are the updates the game logged, the frozen spacing is the
 * simulation's, and the judge's figures come back exactly.
 */
import { createGame } from '../../../../engine/index';
import { packCh1World, unpackCh1World, updateGapMs, updateTimes } from '../../../../engine/chapters/ch1/savedWorld';
import { xfrGap } from '../../../../engine/chapters/ch1/sim/xfr';
import type { Ch1World } from '../../../../engine/chapters/ch1/sim/world';
import type { Rng } from '../../../../engine/rng';
import type { Json } from '../../../../engine/types';

type Saved = { world: Json; streams: { [name: string]: Json } };

function saved(lines: string[], seed = 42): Saved {
  const g = createGame('1', seed);
  g.start();
  for (const l of lines) g.step(l);
  return g.snapshot().state as unknown as Saved;
}

const liveWorld = (s: Saved): Ch1World => unpackCh1World(JSON.parse(JSON.stringify(s.world)) as Json, s.streams) as unknown as Ch1World;

describe('the update times', () => {
  const s = saved(['sleep 1d']);
  const w = liveWorld(s);

  it('are the times of the xfrd commit records the game logged, every one of them', () => {
    const logged: number[] = [];
    let t = w.logs.compactT0;
    for (let i = 0; i < w.logs.compact.length; i += 4) logged.push((t += w.logs.compact[i]!));
    expect(logged.length).toBeGreaterThan(1000);
    const times = new Set(updateTimes(w as unknown as Json, s.streams).times(logged[0]! - 1));
    expect(logged.filter((x) => !times.has(x))).toEqual([]);
  });

  it('end with the update still to come, and go back as far as asked', () => {
    const times = updateTimes(w as unknown as Json, s.streams).times(w.now - 3_600_000);
    expect(times[times.length - 1]).toBe(w.xfr.nextAt);
    expect(times[0]).toBeLessThanOrEqual(w.now - 3_600_000);
    expect(times[1]).toBeGreaterThan(w.now - 3_600_000);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(120);
  });

  it('are none when the save has no xfr stream (an engine 1 save, whose streams start again from the seed)', () => {
    expect(updateTimes(w as unknown as Json, {}).times(0)).toEqual([]);
  });
});

describe('the frozen spacing of updates', () => {
  it('is the simulation\'s (if this fails, give the new spacing a model of its own: saves written with this one must still be read with it)', () => {
    const w = liveWorld(saved([]));
    for (const u of [0, 1e-9, 0.01, 0.25, 0.5, 0.75, 0.99, 0.999999]) {
      const rng = { next: () => u } as unknown as Rng;
      expect(updateGapMs(w.p.xfrMeanMs, u)).toBe(xfrGap(w, rng));
    }
  });
});

describe('the judge\'s figures', () => {
  const s = saved(['sleep 7d', 'repeat 50 sudo nsd-control reload']);
  const w = liveWorld(s);

  it('are kept by column and come back exactly, key order included', () => {
    expect(w.stats.outages.length).toBeGreaterThan(10);
    expect(w.stats.series.length).toBeGreaterThan(10);
    const packed = packCh1World(w as unknown as Json, s.streams) as { stats: { packed: string[] } };
    expect(packed.stats.packed).toEqual(expect.arrayContaining(['outages', 'series', 'oomKills', 'oomHourly', 'sunreclaim']));
    const back = unpackCh1World(JSON.parse(JSON.stringify(packed)) as Json, s.streams);
    expect(JSON.stringify(back)).toBe(JSON.stringify(w));
  });

  it('leave a world with no stats, or stats of another shape, as they were', () => {
    const odd = JSON.parse(JSON.stringify(w)) as { stats: Record<string, unknown> };
    odd.stats.outages = [{ from: 1, to: 2, why: 'x' }];
    odd.stats.oomKills = [1, 2, 3];
    const packed = packCh1World(odd as unknown as Json, s.streams) as { stats: { packed: string[]; outages: unknown } };
    expect(packed.stats.packed).not.toContain('outages');
    expect(packed.stats.packed).not.toContain('oomKills');
    expect(JSON.stringify(unpackCh1World(JSON.parse(JSON.stringify(packed)) as Json, s.streams))).toBe(JSON.stringify(odd));
  });
});
