import { commitFork, exitProc, forkProc } from '../../../engine/kernel/procs';
import { meminfoFrom, memSnapshot, slabInputs } from '../../../engine/kernel/memory';
import { rssPages } from '../../../engine/kernel/oom';
import { slabViews } from '../../../engine/kernel/slab';
import { dropCaches } from '../../../engine/kernel/sysctl';
import type { KernelState, Proc } from '../../../engine/kernel/types';
import { kernel, spawn, T0 } from './helpers';

function leak(k: KernelState, generations: number): Proc {
  let main = spawn(k, 'nsd', 180_000, { anonVmas: 200 });
  for (let i = 0; i < generations; i++) {
    const next = forkProc(k, main, T0);
    commitFork(k, next);
    // the old main goes the way NSD 4.0's does: its child carries on
    exitProc(k, main, 0);
    main = next;
  }
  return main;
}

function info(k: KernelState) {
  const s = memSnapshot(k, T0 + 3_600_000);
  return { s, mi: meminfoFrom(k, s, T0 + 3_600_000), slabs: slabViews(slabInputs(s.counts, s.reclTargetKb), k.mem.fill) };
}

describe('memory accounting', () => {
  it('slab caches add up to meminfo Slab, SReclaimable and SUnreclaim exactly', () => {
    const k = kernel();
    spawn(k, 'collectd', 90_000);
    leak(k, 5_000);
    const { mi, slabs } = info(k);
    const kb = (list: typeof slabs) => list.reduce((a, c) => a + c.numSlabs * c.pagesPerSlab * 4, 0);
    expect(kb(slabs)).toBe(mi.Slab);
    expect(kb(slabs.filter((c) => c.reclaimable))).toBe(mi.SReclaimable);
    expect(kb(slabs.filter((c) => !c.reclaimable))).toBe(mi.SUnreclaim);
    expect(mi.Slab).toBe(mi.SReclaimable + mi.SUnreclaim);
    for (const c of slabs) {
      expect(c.activeObjs).toBeLessThanOrEqual(c.numObjs);
      expect(c.numObjs).toBe(c.numSlabs * c.objPerSlab);
    }
    const avc = slabs.find((c) => c.name === 'anon_vma_chain')!;
    const av = slabs.find((c) => c.name === 'anon_vma')!;
    expect([avc.objSize, avc.objPerSlab, av.objSize, av.objPerSlab]).toEqual([64, 64, 80, 51]);
    expect(avc.reclaimable || av.reclaimable).toBe(false);
  });

  it('puts the leak in "used" while the processes\' RSS stays far below it', () => {
    const k = kernel();
    spawn(k, 'collectd', 90_000);
    const nsd = leak(k, 60_000);
    const { s, mi } = info(k);
    const used = mi.MemTotal - mi.MemFree - mi.Buffers - mi.Cached - mi.SReclaimable;
    let rss = 0;
    for (const p of k.procs) {
      const r = rssPages(p, 0);
      rss += (r.anon + r.file) * 4;
    }
    expect(nsd.mm!.depth).toBeGreaterThan(60_000);
    expect(mi.SUnreclaim).toBeGreaterThan(500_000);
    expect(used).toBeGreaterThan(2 * rss);
    // MemAvailable does not count SUnreclaim, so it falls with the leak
    expect(mi.MemAvailable).toBeLessThan(mi.MemTotal - mi.SUnreclaim);
    expect(mi.MemFree + mi.Cached + mi.Buffers + mi.SReclaimable + mi.SwapCached).toBeLessThanOrEqual(mi.MemTotal - s.demandKb + s.swappedKb);
  });

  it('drop_caches gives back page cache and dentries, never unreclaimable slab', () => {
    const k = kernel();
    leak(k, 20_000);
    const t = T0 + 3_600_000;
    const before = meminfoFrom(k, memSnapshot(k, t), t);
    dropCaches(k, 3, t);
    const after = meminfoFrom(k, memSnapshot(k, t), t);
    expect(after.SUnreclaim).toBe(before.SUnreclaim);
    expect(after.Cached).toBeLessThan(before.Cached);
    expect(after.SReclaimable).toBeLessThan(before.SReclaimable);
    expect(after.MemFree).toBeGreaterThan(before.MemFree);
  });

  it('squeezes the page cache to its floor, then swaps, before any allocation fails', () => {
    const k = kernel(1_000_000);
    leak(k, 50_000);
    const s0 = memSnapshot(k, T0);
    expect(s0.cacheKb).toBe(k.mem.cache.floorKb);
    expect(s0.headroomKb).toBeLessThan(0);
    k.mem.swaps.push({ path: '/swapfile', sizeKb: 1_000_000, formatted: true, active: true, priority: -1 });
    const s1 = memSnapshot(k, T0);
    expect(s1.swappedKb).toBeGreaterThan(0);
    expect(s1.headroomKb).toBeGreaterThan(s0.headroomKb);
  });
});
