import { directStolenPages, noteReclaim, vmEventsOf } from '../../../engine/kernel/vmevents';
import type { VmEvents } from '../../../engine/kernel/types';
import { kernel } from './helpers';

describe("direct reclaim's pages (pgsteal_direct)", () => {
  it('only grow: kswapd reclaiming afterwards does not move them', () => {
    const k = kernel();
    const seen: number[] = [];
    noteReclaim(k, 6, 0, 0, true); // 6 kB: one page
    seen.push(directStolenPages(vmEventsOf(k)));
    noteReclaim(k, 2, 0, 0, false);
    seen.push(directStolenPages(vmEventsOf(k)));
    noteReclaim(k, 2, 0, 0, false);
    seen.push(directStolenPages(vmEventsOf(k)));
    noteReclaim(k, 1, 0, 3, true); // 6 + 1 + 3 kB: two pages
    seen.push(directStolenPages(vmEventsOf(k)));
    // the old difference, pages(cache) + pages(swap) - pages(kswapd's kB), gave 1, 2, 1, 1
    expect(seen).toEqual([1, 1, 1, 2]);
  });

  it('in books kept before they were counted, start from the figure those showed', () => {
    const k = kernel();
    const old: VmEvents = { cacheKb: 10, slabKb: 0, swapOutKb: 0, kswapd: 2, direct: 1, kswapdKb: 4, dropPagecache: 0, dropSlab: 0 };
    k.vmev = old;
    // pages(10) - pages(4) = 2 - 1
    expect(directStolenPages(old)).toBe(1);
    noteReclaim(k, 2, 0, 0, false);
    expect(k.vmev.directKb).toBe(4);
    expect(directStolenPages(k.vmev)).toBe(1);
    noteReclaim(k, 4, 0, 0, true);
    expect(directStolenPages(k.vmev)).toBe(2);
  });
});
