/**
 * /proc/vmstat, /proc/zoneinfo and /proc/buddyinfo from the simulation, all three from one reading
 * of the memory picture, so they agree with /proc/meminfo read at the same instant:
 *
 * - The gauges (nr_free_pages, nr_slab_unreclaimable...) are meminfo's figures in pages, split
 *   over the zones so the zones add back up to the global counters exactly.
 * - The event counters are derived from what the state already counts since boot: forks (the
 *   task list's birth count), CPU time (the load books), the clock, the page cache's growth, and
 *   what reclaim did (kernel/vmevents.ts). Each input only grows during a boot, so every counter
 *   only grows; a new boot starts them all again.
 * - The buddy lists are a function of the zone's free pages and of how fragmented it is, which
 *   grows with unmovable slab and with memory pressure: in an OOM storm the high orders empty.
 *
 * Compaction and page migration are not simulated: their counters stay at zero, as they do on a
 * box where compaction is skipped because free memory sits below the watermarks.
 */
import { blockStateOf } from '../kernel/block/subsystem';
import { meminfoFrom, memSnapshot } from '../kernel/memory';
import { directStolenPages, vmEventsOf } from '../kernel/vmevents';
import { totalReservePages, zoneTuning, type ZoneTuning } from '../kernel/zones';
import type { MeminfoView } from '../formats/types';
import { ZONE_STAT_ITEMS } from '../formats/vmstatFile';
import type { ZoneinfoView } from '../formats/zoneinfo';
import { MAX_ORDER, type BuddyZoneView } from '../formats/buddyinfo';
import { loadBooksAt } from './load';
import type { MachineWorld } from './world';

const HOUR = 3_600_000;
/** minor faults a forked child takes touching its copy-on-write stack, heap and data */
const FAULTS_PER_FORK = 160;
/** minor faults per ms of user CPU (buffers, heap churn) */
const FAULTS_PER_USER_MS = 3;
/** pages a fork takes for itself: its order-2 kernel stack, page directory, task and mm */
const FORK_KERNEL_PAGES = 8;
/** slab pages the kernel fills per ms of its own work (copying anon_vma chains at fork) */
const SLAB_PAGES_PER_SYSTEM_MS = 2;
/** the DMA zone, fenced off by lowmem_reserve, keeps all but the few pages boot took (as the OOM report's DMA line) */
const DMA_BOOT_PAGES = 8;
/** vm.dirty_ratio and vm.dirty_background_ratio at their defaults */
const DIRTY_RATIO = 20;
const DIRTY_BACKGROUND_RATIO = 10;
/** meminfo's Dirty climbs 24 kB a second and is written back every 37 s (kernel/memory.ts) */
const DIRTY_PAGES_PER_S = 6;
const FLUSH_S = 37;

export interface ZoneState {
  tuning: ZoneTuning;
  stats: Record<string, number>;
  scanned: number;
  allUnreclaimable: boolean;
  /** per-cpu list pages, one per online CPU */
  pcpCounts: number[];
  buddy: number[];
}

export interface VmPicture {
  meminfo: MeminfoView;
  /** every /proc/vmstat counter, by name */
  counters: Record<string, number>;
  zones: ZoneState[];
}

/** floor-split of a total over two weights: each share only grows as the total grows */
function split2(total: number, a: number, b: number): [number, number] {
  if (b <= 0) return [total, 0];
  if (a <= 0) return [0, total];
  const first = Math.floor((total * a) / (a + b));
  return [first, total - first];
}

/** a global counter over the zones: DMA gets `dma`, DMA32 and Normal share the rest by size */
function overZones(zones: readonly ZoneTuning[], total: number, dma = 0): number[] {
  const d = Math.min(dma, total);
  const [a, b] = split2(total - d, zones[1]?.managedPages ?? 0, zones[2]?.managedPages ?? 0);
  return zones.map((z) => (z.name === 'DMA' ? d : z.name === 'DMA32' ? a : b));
}

/**
 * Free blocks per order, summing to `pages`. Calm, a zone keeps most of its free memory in large
 * blocks; unmovable slab scattered over the pageblocks and reclaim under pressure break them up,
 * and at `frag` 1 nothing above order 3 is left.
 */
export function buddySplit(pages: number, frag: number): number[] {
  const intact = [0, 0.005, 0.01, 0.015, 0.02, 0.03, 0.05, 0.08, 0.11, 0.16, 0.5];
  const broken = [0, 0.22, 0.16, 0.11, 0.08, 0.05, 0.03, 0.02, 0.015, 0.01, 0.005];
  const top = MAX_ORDER - 1 - Math.round(frag * 7);
  const nr = new Array<number>(MAX_ORDER).fill(0);
  let left = pages;
  for (let order = top; order >= 1; order--) {
    const share = (1 - frag) * intact[order]! + frag * broken[order]!;
    nr[order] = Math.min(Math.floor(left / 2 ** order), Math.floor((pages * share) / 2 ** order));
    left -= nr[order]! * 2 ** order;
  }
  nr[0] = left;
  return nr;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** The memory picture at the world's clock. */
export function vmPicture(w: MachineWorld): VmPicture {
  const k = w.k;
  const t = w.now;
  const snap = memSnapshot(k, t);
  const mi = meminfoFrom(k, snap, t);
  const zones = zoneTuning(k);
  const ev = vmEventsOf(k);
  const books = loadBooksAt(w, t);
  const upMs = Math.max(0, t - k.bootTime);
  const pg = (kb: number) => Math.floor(kb / 4);

  // ---- events since boot ----
  const forks = k.born;
  const pswpout = pg(ev.swapOutKb);
  // what went out and is no longer out came back in (swapoff, or touched again)
  const pswpin = Math.max(0, pswpout - pg(snap.swappedKb));
  const cacheFills = pg((k.mem.cache.growKbPerH * upMs) / HOUR);
  const refault = Math.floor(pg(ev.cacheKb) / 3);
  const pgmajfault = Math.floor(cacheFills / 8) + pswpin;
  const pgfault = forks * FAULTS_PER_FORK + Math.floor(books.userMs * FAULTS_PER_USER_MS) + pgmajfault;
  const allocs = pgfault + forks * FORK_KERNEL_PAGES + cacheFills + Math.floor(books.systemMs * SLAB_PAGES_PER_SYSTEM_MS) + pswpin + refault;
  const managed = zones.reduce((n, z) => n + z.managedPages, 0);
  // boot handed every managed page to the buddy allocator (each one a pgfree); most of what was
  // allocated since has been freed again, some of it is still held
  const pgfree = managed + allocs - Math.min(Math.floor(allocs / 64), Math.floor(managed / 2));
  const windows = Math.floor(t / (FLUSH_S * 1000)) - Math.floor(k.bootTime / (FLUSH_S * 1000));
  const nrDirty = pg(mi.Dirty);
  // the block layer counts what it dirtied and wrote; without one, the steady trickle of log writes
  const blk = blockStateOf(k);
  const nrWritten = blk ? blk.nrWritten : Math.max(0, windows) * FLUSH_S * DIRTY_PAGES_PER_S;
  const stolenKswapd = pg(ev.kswapdKb);
  const stolenDirect = directStolenPages(ev);
  const scanKswapd = stolenKswapd + (stolenKswapd >> 1);
  const scanDirect = stolenDirect * 2;

  // ---- gauges, in pages, as meminfo has them ----
  const free = pg(mi.MemFree);
  const g: Record<string, number> = {
    nr_inactive_anon: pg(mi['Inactive(anon)']),
    nr_active_anon: pg(mi['Active(anon)']),
    nr_inactive_file: pg(mi['Inactive(file)']),
    nr_active_file: pg(mi['Active(file)']),
    nr_unevictable: pg(mi.Unevictable),
    nr_mlock: pg(mi.Mlocked),
    nr_anon_pages: pg(mi.AnonPages),
    nr_mapped: pg(mi.Mapped),
    nr_file_pages: pg(mi.Cached + mi.Buffers + mi.SwapCached),
    nr_dirty: nrDirty,
    nr_writeback: pg(mi.Writeback),
    nr_slab_reclaimable: pg(mi.SReclaimable),
    nr_slab_unreclaimable: pg(mi.SUnreclaim),
    nr_page_table_pages: pg(mi.PageTables),
    // NR_KERNEL_STACK counts stacks: meminfo multiplies it by THREAD_SIZE (16 KiB)
    nr_kernel_stack: Math.floor(mi.KernelStack / 16),
    nr_unstable: pg(mi.NFS_Unstable),
    nr_bounce: pg(mi.Bounce),
    nr_vmscan_write: pswpout,
    nr_vmscan_immediate_reclaim: 0,
    nr_writeback_temp: pg(mi.WritebackTmp),
    nr_isolated_anon: 0,
    nr_isolated_file: 0,
    nr_shmem: pg(mi.Shmem),
    nr_dirtied: blk ? blk.nrDirtied : nrWritten + nrDirty,
    nr_written: nrWritten,
    numa_miss: 0,
    numa_foreign: 0,
    numa_interleave: 0,
    numa_other: 0,
    workingset_refault: refault,
    workingset_activate: refault >> 1,
    workingset_nodereclaim: 0,
    nr_anon_transparent_hugepages: pg(mi.AnonHugePages) >> 9,
    nr_free_cma: 0,
  };

  // ---- over the zones ----
  const freeBy = overZones(zones, free, Math.max(0, zones[0]!.managedPages - DMA_BOOT_PAGES));
  const dmaAllocs = Math.max(0, zones[0]!.managedPages - freeBy[0]!);
  const allocBy = overZones(zones, allocs, dmaAllocs);
  // an order-2 kernel stack is one allocation of four pages: NUMA_HIT counts allocations
  const hitsBy = overZones(zones, allocs - 3 * forks, dmaAllocs);
  const stats = zones.map((): Record<string, number> => ({}));
  for (const [name, total] of Object.entries(g)) overZones(zones, total).forEach((v, i) => (stats[i]![name] = v));
  const swapOn = snap.swapTotalKb > 0;
  const unreclSlabShare = mi.MemTotal > 0 ? mi.SUnreclaim / mi.MemTotal : 0;
  const zoneStates: ZoneState[] = zones.map((z, i) => {
    const s = stats[i]!;
    s.nr_free_pages = freeBy[i]!;
    const span = z.high - z.low;
    s.nr_alloc_batch = span > 0 ? span - (allocBy[i]! % span) : 0;
    s.numa_hit = hitsBy[i]!;
    s.numa_local = hitsBy[i]!;
    const reclaimable = s.nr_active_file! + s.nr_inactive_file! + (swapOn ? s.nr_active_anon! + s.nr_inactive_anon! : 0);
    const zf = freeBy[i]!;
    // kswapd scans while a zone is under its low mark; at the min mark reclaim has given up on it
    let scanned = 0;
    if (zf <= z.min && z.name !== 'DMA') scanned = reclaimable * 6;
    else if (zf < z.low && z.name !== 'DMA') scanned = Math.floor((reclaimable * 6 * (z.low - zf)) / (z.low - z.min + 1));
    const pressure = z.name === 'DMA' ? 0 : clamp01((2 * z.high - zf) / Math.max(1, 2 * z.high - z.min));
    const frag = z.name === 'DMA' ? 0 : clamp01(0.1 + 0.8 * unreclSlabShare + 0.7 * pressure);
    const cpus = Math.max(1, k.cpus);
    return {
      tuning: z,
      stats: s,
      scanned,
      allUnreclaimable: reclaimable === 0 ? scanned > 0 : scanned >= reclaimable * 6,
      pcpCounts: Array.from({ length: cpus }, (_, c) => (z.pcpHigh === 0 ? 0 : (allocBy[i]! + c * 31) % (z.pcpBatch + 1))),
      buddy: buddySplit(zf, frag),
    };
  });
  const globalOf = (name: string) => zoneStates.reduce((n, z) => n + z.stats[name]!, 0);

  // ---- the global counters ----
  const counters: Record<string, number> = {};
  for (const item of ZONE_STAT_ITEMS) counters[item] = globalOf(item);
  // global_dirty_limits(): ratios of the dirtyable memory (free beyond the reserves, plus the file LRU)
  const reserve = totalReservePages(zones);
  const dirtyable = counters.nr_free_pages! - Math.min(counters.nr_free_pages!, reserve) + counters.nr_inactive_file! + counters.nr_active_file! + 1;
  const sc = blk?.sysctl;
  let dirty = sc && sc.dirtyBytes > 0 ? Math.ceil(sc.dirtyBytes / 4096) : Math.floor(((sc?.dirtyRatio ?? DIRTY_RATIO) * dirtyable) / 100);
  let background = sc && sc.dirtyBackgroundBytes > 0 ? Math.ceil(sc.dirtyBackgroundBytes / 4096) : Math.floor(((sc?.dirtyBackgroundRatio ?? DIRTY_BACKGROUND_RATIO) * dirtyable) / 100);
  if (background >= dirty) background = Math.floor(dirty / 2);
  counters.nr_dirty_threshold = dirty;
  counters.nr_dirty_background_threshold = background;
  counters.pgpgin = cacheFills * 4 + pswpin * 4;
  counters.pgpgout = nrWritten * 4 + pswpout * 4;
  counters.pswpin = pswpin;
  counters.pswpout = pswpout;
  const perZone = (name: string, v: number[]) => {
    const byName = Object.fromEntries(zones.map((z, i) => [z.name.toLowerCase(), v[i]!]));
    for (const zn of ['dma', 'dma32', 'normal', 'movable']) counters[`${name}_${zn}`] = byName[zn] ?? 0;
  };
  perZone('pgalloc', allocBy);
  counters.pgfree = pgfree;
  const refill = (scanKswapd + scanDirect) >> 1;
  counters.pgactivate = Math.floor(allocs / 9);
  counters.pgdeactivate = refill;
  counters.pgfault = pgfault;
  counters.pgmajfault = pgmajfault;
  perZone('pgrefill', overZones(zones, refill));
  perZone('pgsteal_kswapd', overZones(zones, stolenKswapd));
  perZone('pgsteal_direct', overZones(zones, stolenDirect));
  perZone('pgscan_kswapd', overZones(zones, scanKswapd));
  perZone('pgscan_direct', overZones(zones, scanDirect));
  counters.pgscan_direct_throttle = 0;
  counters.zone_reclaim_failed = 0;
  counters.pginodesteal = 0;
  // the shrinkers scan the reclaimable slab's objects (dentries and inodes, a few hundred bytes each)
  counters.slabs_scanned = ev.slabKb * 8;
  counters.kswapd_inodesteal = 0;
  counters.kswapd_low_wmark_hit_quickly = ev.kswapd;
  counters.kswapd_high_wmark_hit_quickly = 0;
  counters.pageoutrun = ev.kswapd;
  counters.allocstall = ev.direct;
  counters.pgrotated = 0;
  counters.drop_pagecache = ev.dropPagecache;
  counters.drop_slab = ev.dropSlab;
  for (const name of [
    'numa_pte_updates', 'numa_huge_pte_updates', 'numa_hint_faults', 'numa_hint_faults_local', 'numa_pages_migrated',
    'pgmigrate_success', 'pgmigrate_fail', 'compact_migrate_scanned', 'compact_free_scanned', 'compact_isolated',
    'compact_stall', 'compact_fail', 'compact_success', 'htlb_buddy_alloc_success', 'htlb_buddy_alloc_fail',
    'unevictable_pgs_culled', 'unevictable_pgs_scanned', 'unevictable_pgs_rescued', 'unevictable_pgs_mlocked',
    'unevictable_pgs_munlocked', 'unevictable_pgs_cleared', 'unevictable_pgs_stranded', 'thp_fault_alloc',
    'thp_fault_fallback', 'thp_collapse_alloc', 'thp_collapse_alloc_failed', 'thp_split', 'thp_zero_page_alloc',
    'thp_zero_page_alloc_failed',
  ]) counters[name] = 0;
  return { meminfo: mi, counters, zones: zoneStates };
}

export function zoneinfoViews(p: VmPicture): ZoneinfoView[] {
  return p.zones.map((z) => ({
    name: z.tuning.name,
    free: z.stats.nr_free_pages!,
    min: z.tuning.min,
    low: z.tuning.low,
    high: z.tuning.high,
    scanned: z.scanned,
    spanned: z.tuning.spannedPages,
    present: z.tuning.presentPages,
    managed: z.tuning.managedPages,
    stats: z.stats,
    protection: z.tuning.protection,
    pagesets: z.pcpCounts.map((count) => ({ count, high: z.tuning.pcpHigh, batch: z.tuning.pcpBatch, statThreshold: z.tuning.statThreshold })),
    allUnreclaimable: z.allUnreclaimable,
    startPfn: z.tuning.startPfn,
    inactiveRatio: z.tuning.inactiveRatio,
  }));
}

export function buddyViews(p: VmPicture): BuddyZoneView[] {
  return p.zones.map((z) => ({ name: z.tuning.name, blocks: z.buddy }));
}
