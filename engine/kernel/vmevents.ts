/**
 * What page reclaim has done since boot, the part of /proc/vmstat's event counters the rest of the
 * state cannot tell afterwards: how much the page cache and the reclaimable slab gave back, how
 * much anonymous memory went to swap, and whether kswapd or the allocating task itself did it.
 * Everything else /proc/vmstat counts is derived from the state when read (machine/vmstat.ts).
 * A new boot starts a new kernel, so these start again from zero with it.
 */
import type { KernelState, VmEvents } from './types';

export function vmEventsOf(k: KernelState): VmEvents {
  return k.vmev ?? { cacheKb: 0, slabKb: 0, swapOutKb: 0, kswapd: 0, direct: 0, kswapdKb: 0, directKb: 0, dropPagecache: 0, dropSlab: 0 };
}

const pages = (kb: number): number => Math.floor(kb / 4);

/**
 * Pages direct reclaim took since boot: counted as they go, or, in books kept before that, what
 * the page cache and swap gave up that kswapd did not take (each rounded on its own, so that
 * difference could step back a page when kswapd reclaimed).
 */
export function directStolenPages(ev: VmEvents): number {
  if (ev.directKb !== undefined) return pages(ev.directKb);
  return Math.max(0, pages(ev.cacheKb) + pages(ev.swapOutKb) - pages(ev.kswapdKb));
}

function books(k: KernelState): VmEvents {
  return (k.vmev ??= vmEventsOf(k));
}

/**
 * One squeeze by reclaim: kB taken from the page cache, from the reclaimable slab and pushed to
 * swap. With free memory still above the low mark kswapd did it in the background; below it the
 * allocation stalled and reclaimed for itself (direct reclaim, an allocstall).
 */
export function noteReclaim(k: KernelState, cacheKb: number, slabKb: number, swapOutKb: number, direct: boolean): void {
  if (!(cacheKb > 0 || slabKb > 0 || swapOutKb > 0)) return;
  const ev = books(k);
  // older books start counting from the figure they showed
  if (ev.directKb === undefined) ev.directKb = 4 * directStolenPages(ev);
  ev.cacheKb += Math.max(0, Math.floor(cacheKb));
  ev.slabKb += Math.max(0, Math.floor(slabKb));
  ev.swapOutKb += Math.max(0, Math.floor(swapOutKb));
  if (direct) {
    ev.direct++;
    ev.directKb += Math.max(0, Math.floor(cacheKb)) + Math.max(0, Math.floor(swapOutKb));
  } else {
    ev.kswapd++;
    ev.kswapdKb += Math.max(0, Math.floor(cacheKb)) + Math.max(0, Math.floor(swapOutKb));
  }
}

/** echo N > /proc/sys/vm/drop_caches: drop_caches_sysctl_handler() counts each kind it drops */
export function noteDropCaches(k: KernelState, mode: number): void {
  const ev = books(k);
  if (mode & 1) ev.dropPagecache++;
  if (mode & 2) ev.dropSlab++;
}
