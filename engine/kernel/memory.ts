/**
 * Physical memory accounting. Everything that cannot be reclaimed (anonymous pages, page tables,
 * kernel stacks, unreclaimable slab, percpu/vmalloc) is the demand; the page cache and the
 * reclaimable slab fill what is left and give it back under pressure down to a working set; anon
 * pages go to swap when there is some. An allocation fits only while the headroom stays >= 0.
 */
import type { MeminfoView } from '../formats/types';
import { anonVmaObjects } from './anonvma';
import { reclSlabKb, unreclSlabKb, type SlabInputs } from './slab';
import type { KernelState, MemState, Pool } from './types';
import { noteReclaim } from './vmevents';
import { blockStateOf } from './block/subsystem';
import { zoneTuning } from './zones';

const KERNEL_STACK_KB = 16;
const HOUR = 3_600_000;

interface MemCounts {
  /** distinct anonymous pages: each family's shared pages once, plus every private copy */
  anonKb: number;
  /** resident file pages of all processes */
  mappedKb: number;
  ptes: number;
  threads: number;
  user: number;
  vmas: number;
  anonVma: number;
  avc: number;
  commitKb: number;
}

export function countMem(k: KernelState): MemCounts {
  const c: MemCounts = { anonKb: 0, mappedKb: 0, ptes: 0, threads: 0, user: 0, vmas: 0, anonVma: 0, avc: 0, commitKb: 0 };
  for (let ix = 0, xs = k.procs; ix < xs.length; ix++) {
    const p = xs[ix]!;
    c.threads += p.threads;
    const mm = p.mm;
    if (!mm) continue;
    c.user++;
    c.vmas += mm.vmas;
    c.ptes += mm.ptes;
    c.mappedKb += mm.fileKb;
    c.anonKb += mm.privKb;
    c.commitKb += mm.commitKb;
    c.avc += mm.depth * mm.anonVmas;
  }
  c.anonKb += k.av.sharedKb;
  c.anonVma = anonVmaObjects(k.av);
  return c;
}

export function slabInputs(c: MemCounts, reclKb: number): SlabInputs {
  return { tasks: c.threads, user: c.user, threads: c.threads, vmas: c.vmas, anonVma: c.anonVma, avc: c.avc, reclKb };
}

export function watermarks(k: KernelState): { min: number; low: number; high: number } {
  const min = k.sysctl.minFreeKbytes;
  return { min, low: min + (min >> 2), high: min + (min >> 1) };
}

function poolWant(p: Pool, t: number): number {
  let want = Math.min(p.maxKb, p.baseKb + (p.growKbPerH * Math.max(0, t - p.since)) / HOUR);
  if (p.clipAt >= 0) want = Math.min(want, p.clipKb + (p.growKbPerH * Math.max(0, t - p.clipAt)) / HOUR);
  return Math.max(p.floorKb, Math.floor(want));
}

function swapTotalKb(m: MemState): number {
  let s = 0;
  for (const d of m.swaps) if (d.active) s += d.sizeKb;
  return s;
}

/** Idle daemons fault their swapped pages back in slowly; half of them return within this time. */
const SWAP_HELD_HALF_LIFE_MS = 12 * 3_600_000;

function heldSwapKb(m: KernelState['mem'], t: number): number {
  if (m.swapHeldKb <= 0) return 0;
  return Math.floor(m.swapHeldKb * Math.pow(0.5, Math.max(0, t - m.swapHeldAt) / SWAP_HELD_HALF_LIFE_MS));
}

export interface MemSnap {
  counts: MemCounts;
  unreclKb: number;
  /** every kB that cannot be reclaimed, anon counted as if all resident */
  demandKb: number;
  cacheKb: number;
  reclKb: number;
  /** what the reclaimable caches were asked to hold (their objects come from this) */
  reclTargetKb: number;
  swappedKb: number;
  swapCachedKb: number;
  swapTotalKb: number;
  freeKb: number;
  /** what further allocations may take before the OOM killer has to act */
  headroomKb: number;
  /** the free memory the overcommit heuristic sees (before the admin reserve) */
  guessFreeKb: number;
  totalreserveKb: number;
}

/**
 * The quick answer to "does this fit?": headroom from demand alone, and whether reclaim had to
 * squeeze the pools (then the full picture is needed to remember how far).
 */
interface QuickMem {
  headroomKb: number;
  squeezed: boolean;
  guessFreeKb: number;
  swapTotalKb: number;
  committedAsKb: number;
}

export function quickHeadroom(k: KernelState, t: number): QuickMem {
  const m = k.mem;
  const counts = countMem(k);
  const demandKb =
    m.kernelOtherKb + KERNEL_STACK_KB * counts.threads + counts.ptes * 4 + unreclSlabKb(slabInputs(counts, 0), m.fill) + counts.anonKb + m.shmemKb;
  const wm = watermarks(k);
  const rFloorExact = reclSlabKb(m.recl.floorKb, m.fill);
  const swapTotal = m.swaps.length === 0 ? 0 : swapTotalKb(m);
  const swapMax = Math.min(swapTotal, Math.floor(counts.anonKb * 0.95));
  const headroomKb = m.totalKb - demandKb - m.cache.floorKb - rFloorExact - wm.min + swapMax;
  const room = m.totalKb - demandKb - wm.high;
  const squeezed = room < poolWant(m.cache, t) + reclSlabKb(poolWant(m.recl, t), m.fill);
  // free + cache + reclaimable slab + swap cache add up to what demand leaves, however reclaim split it
  const guessFreeKb = m.totalKb - demandKb - m.shmemKb + swapTotal - (wm.high + Math.floor(m.totalKb / 256));
  return { headroomKb, squeezed, guessFreeKb, swapTotalKb: swapTotal, committedAsKb: counts.commitKb + 94_000 };
}

/** The memory picture at time t, without changing anything. */
export function memSnapshot(k: KernelState, t: number): MemSnap {
  const m = k.mem;
  const counts = countMem(k);
  const unreclKb = unreclSlabKb(slabInputs(counts, 0), m.fill);
  const demandKb =
    m.kernelOtherKb + KERNEL_STACK_KB * counts.threads + counts.ptes * 4 + unreclKb + counts.anonKb + m.shmemKb;
  const wm = watermarks(k);
  const cWant = poolWant(m.cache, t);
  const rWant = poolWant(m.recl, t);
  const cFloor = m.cache.floorKb;
  const rFloorExact = reclSlabKb(m.recl.floorKb, m.fill);
  const rWantExact = reclSlabKb(rWant, m.fill);
  const room = m.totalKb - demandKb - wm.high;
  let cache = cWant;
  let reclTarget = rWant;
  if (room < cWant + rWantExact) {
    const shrinkC = cWant - cFloor;
    const shrinkR = rWantExact - rFloorExact;
    const excess = cWant + rWantExact - room;
    if (excess < shrinkC + shrinkR) {
      const frac = excess / (shrinkC + shrinkR);
      cache = Math.round(cWant - shrinkC * frac);
      reclTarget = Math.round(rWant - (rWant - m.recl.floorKb) * frac);
    } else {
      cache = cFloor;
      reclTarget = m.recl.floorKb;
    }
  }
  const reclKb = reclSlabKb(reclTarget, m.fill);
  const swapTotal = swapTotalKb(m);
  const swapMax = Math.min(swapTotal, Math.floor(counts.anonKb * 0.95));
  const pushedKb = demandKb + cache + reclKb + wm.low - m.totalKb;
  const swappedKb = Math.max(0, Math.min(swapMax, Math.max(pushedKb, heldSwapKb(m, t))));
  const swapCachedKb = Math.floor(swappedKb * 0.03);
  const freeKb = m.totalKb - (demandKb - swappedKb) - cache - reclKb - swapCachedKb;
  const headroomKb = m.totalKb - demandKb - cFloor - rFloorExact - wm.min + swapMax;
  const totalreserveKb = wm.high + Math.floor(m.totalKb / 256);
  const guessFreeKb = freeKb + cache + swapCachedKb - m.shmemKb + (swapTotal - swappedKb) + reclKb - totalreserveKb;
  return {
    counts,
    unreclKb,
    demandKb,
    cacheKb: cache,
    reclKb,
    reclTargetKb: reclTarget,
    swappedKb,
    swapCachedKb,
    swapTotalKb: swapTotal,
    freeKb,
    headroomKb,
    guessFreeKb,
    totalreserveKb,
  };
}

/** After reclaim squeezed the pools, they regrow from where reclaim left them, not instantly. */
export function memCommit(k: KernelState, t: number, snap: MemSnap = memSnapshot(k, t)): void {
  const m = k.mem;
  noteReclaim(
    k,
    poolWant(m.cache, t) - snap.cacheKb,
    reclSlabKb(poolWant(m.recl, t), m.fill) - snap.reclKb,
    snap.swappedKb - heldSwapKb(m, t),
    snap.freeKb < watermarks(k).low,
  );
  if (snap.cacheKb < poolWant(m.cache, t)) {
    m.cache.clipKb = snap.cacheKb;
    m.cache.clipAt = t;
  }
  if (snap.reclTargetKb < poolWant(m.recl, t)) {
    m.recl.clipKb = snap.reclTargetKb;
    m.recl.clipAt = t;
  }
  if (snap.swappedKb > heldSwapKb(m, t)) {
    m.swapHeldKb = snap.swappedKb;
    m.swapHeldAt = t;
  }
}

/** __vm_enough_memory() with OVERCOMMIT_GUESS/ALWAYS/NEVER, for one mapping of `kb`. */
export function overcommitAllows(k: KernelState, snap: { guessFreeKb: number; swapTotalKb: number }, kb: number, admin: boolean, commitAfterKb: number): boolean {
  const mode = k.sysctl.overcommitMemory;
  if (mode === 1) return true;
  if (mode === 2) {
    const limit = snap.swapTotalKb + Math.floor((k.mem.totalKb * k.sysctl.overcommitRatio) / 100);
    const reserve = admin ? 0 : 8192;
    return commitAfterKb <= limit - reserve;
  }
  const free = snap.guessFreeKb - (admin ? 0 : 8192);
  return free > kb;
}

function committedAsKb(snap: MemSnap): number {
  return snap.counts.commitKb + 94_000;
}

/** /proc/meminfo from a snapshot. */
export function meminfoFrom(k: KernelState, s: MemSnap, t: number): MeminfoView {
  const m = k.mem;
  // the kernel counts pages: every figure below is a whole number of 4 kB pages, as /proc/vmstat's
  // counters times four (machine/vmstatView.ts)
  const page = (kb: number) => kb - (((kb % 4) + 4) % 4);
  const free = page(s.freeKb);
  const cacheKb = page(s.cacheKb);
  const shmem = page(m.shmemKb);
  const swapCached = page(s.swapCachedKb);
  const buffers = page(Math.floor(((cacheKb - shmem) * m.buffersPct) / 100));
  const cached = cacheKb - buffers;
  const fileLru = cacheKb - shmem;
  const activeFile = page(Math.floor(fileLru * 0.58));
  const inactiveFile = fileLru - activeFile;
  const anonRes = page(s.counts.anonKb - s.swappedKb);
  const anonLru = anonRes + shmem + swapCached;
  const activeAnon = page(Math.floor(anonLru * 0.86));
  const inactiveAnon = anonLru - activeAnon;
  // meminfo_proc_show(): in pages, against the zones' low watermarks added up
  const wmarkLow = zoneTuning(k).reduce((n, z) => n + z.low, 0);
  const filePages = fileLru / 4;
  const reclPages = Math.floor(s.reclKb / 4);
  let avail = free / 4 - wmarkLow;
  avail += filePages - Math.min(Math.floor(filePages / 2), wmarkLow);
  avail += reclPages - Math.min(Math.floor(reclPages / 2), wmarkLow);
  avail *= 4;
  const swapTotal = s.swapTotalKb;
  // a kernel with the block layer counts its page cache's dirty and writeback pages; without it, a
  // steady trickle of log writes stands for them
  const blk = blockStateOf(k);
  const dirty = blk ? blk.dirtyPages * 4 : 12 + (Math.floor(t / 1000) % 37) * 24;
  const directTotal = Math.ceil((m.totalRamPages * 4) / 2048) * 2048;
  return {
    MemTotal: m.totalKb,
    MemFree: free,
    MemAvailable: Math.max(0, avail),
    Buffers: buffers,
    Cached: cached,
    SwapCached: swapCached,
    Active: activeAnon + activeFile,
    Inactive: inactiveAnon + inactiveFile,
    'Active(anon)': activeAnon,
    'Inactive(anon)': inactiveAnon,
    'Active(file)': activeFile,
    'Inactive(file)': inactiveFile,
    Unevictable: 0,
    Mlocked: 0,
    SwapTotal: swapTotal,
    SwapFree: swapTotal - s.swappedKb,
    Dirty: dirty,
    Writeback: blk ? blk.writebackPages * 4 : 0,
    AnonPages: anonRes,
    Mapped: page(Math.min(s.counts.mappedKb, cached)),
    Shmem: shmem,
    Slab: s.unreclKb + s.reclKb,
    SReclaimable: s.reclKb,
    SUnreclaim: s.unreclKb,
    KernelStack: s.counts.threads * KERNEL_STACK_KB,
    PageTables: s.counts.ptes * 4,
    NFS_Unstable: 0,
    Bounce: 0,
    WritebackTmp: 0,
    CommitLimit: swapTotal + Math.floor((m.totalKb * k.sysctl.overcommitRatio) / 100),
    Committed_AS: committedAsKb(s),
    VmallocTotal: 34359738367,
    VmallocUsed: m.vmallocUsedKb,
    VmallocChunk: 34359738367 - m.vmallocUsedKb - 61440,
    HardwareCorrupted: 0,
    AnonHugePages: 0,
    HugePages_Total: 0,
    HugePages_Free: 0,
    HugePages_Rsvd: 0,
    HugePages_Surp: 0,
    Hugepagesize: 2048,
    DirectMap4k: m.directMap4kKb,
    DirectMap2M: directTotal - m.directMap4kKb,
  };
}

/** What fraction of every process's anonymous memory currently sits in swap. */
export function swapFraction(s: MemSnap): number {
  return s.counts.anonKb > 0 ? s.swappedKb / s.counts.anonKb : 0;
}
