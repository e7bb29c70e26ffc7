import { newGame, play } from './walkthrough.helpers';

/**
 * The numbers the player reads must agree with each other, exactly as they would on a real box:
 * read through the spells, the way a player would check them.
 */
describe.each([7, 2024])('numbers agree (seed %i)', (seed) => {
  const g = newGame(seed);
  // one line, so every reading is taken at the same virtual instant
  const [all] = play(g, ['cat /proc/meminfo; echo ==; sudo cat /proc/slabinfo; echo ==; free; echo ==; ps -eo rss=']);
  const [meminfo, slabinfo, free, ps] = all!.split('\n==\n');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(meminfo!)![1]);

  it('the slab caches add up to Slab, and the reclaimable ones to SReclaimable', () => {
    const rows = slabinfo!.split('\n').slice(2).filter((l) => l.trim() !== '');
    let total = 0;
    for (const row of rows) {
      const cols = row.split(/\s+/);
      const pagesPerSlab = Number(cols[5]);
      const numSlabs = Number(cols[14]);
      total += numSlabs * pagesPerSlab * 4;
    }
    expect(total).toBe(field('Slab'));
    expect(field('Slab')).toBe(field('SReclaimable') + field('SUnreclaim'));
  });

  it('free agrees with /proc/meminfo (procps-ng 3.3.9 arithmetic)', () => {
    const mem = /^Mem:\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/m.exec(free!)!.slice(1).map(Number);
    const [total, used, freeKb, shared, buffers, cached] = mem as [number, number, number, number, number, number];
    expect(total).toBe(field('MemTotal'));
    expect(freeKb).toBe(field('MemFree'));
    expect(shared).toBe(field('Shmem'));
    expect(buffers).toBe(field('Buffers'));
    expect(cached).toBe(field('Cached'));
    expect(used).toBe(total - freeKb);
    const bc = /^-\/\+ buffers\/cache:\s+(\d+)\s+(\d+)$/m.exec(free!)!.slice(1).map(Number);
    expect(bc).toEqual([used - buffers - cached, freeKb + buffers + cached]);
  });

  it('the processes own far less than "used": the rest is the kernel', () => {
    const rss = ps!.split('\n').filter((l) => /^\s*\d+\s*$/.test(l)).reduce((a, l) => a + Number(l.trim()), 0);
    // what the -/+ buffers/cache line still calls used once the caches are taken away
    const used = Number(/^-\/\+ buffers\/cache:\s+(\d+)/m.exec(free!)![1]);
    expect(rss).toBeGreaterThan(0);
    expect(rss).toBeLessThan(used * 0.6);
    expect(field('SUnreclaim')).toBeGreaterThan(field('MemTotal') * 0.3);
  });
});
