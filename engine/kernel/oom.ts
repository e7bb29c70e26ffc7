/**
 * The 3.16 OOM killer (mm/oom_kill.c): badness from resident memory, swap entries and page
 * tables; the first task with the highest badness in task-list order is chosen; then "or sacrifice
 * child": its child with a different mm and the highest badness dies instead. Slab is charged to
 * nobody, which is why a kernel leak ends with user processes being shot.
 */
import { zoneTuning } from './zones';
import { meminfoFrom, swapFraction, watermarks, type MemSnap } from './memory';
import type { CompactReport, KernelState, Proc } from './types';

export const OOM_SCORE_ADJ_MIN = -1000;
export const OOM_SCORE_ADJ_MAX = 1000;

interface RssPages {
  anon: number;
  file: number;
  swap: number;
}

/** Resident pages as get_mm_rss() and MM_SWAPENTS count them. */
export function rssPages(p: Proc, swapFrac: number): RssPages {
  const mm = p.mm;
  if (!mm) return { anon: 0, file: 0, swap: 0 };
  const anonKb = mm.shareKb + mm.privKb;
  const swappedKb = Math.floor(anonKb * swapFrac);
  return { anon: Math.floor((anonKb - swappedKb) / 4), file: Math.floor(mm.fileKb / 4), swap: Math.floor(swappedKb / 4) };
}

/** swap pages count towards totalpages, as in out_of_memory() */
export function totalPages(k: KernelState, snap: MemSnap): number {
  return Math.floor(k.mem.totalKb / 4) + Math.floor(snap.swapTotalKb / 4);
}

/** oom_badness(): 0 for tasks the killer may not touch. */
export function badness(p: Proc, total: number, swapFrac: number): number {
  if (p.pid === 1 || p.kthread || !p.mm) return 0;
  if (p.adj === OOM_SCORE_ADJ_MIN) return 0;
  // rssPages() added up in place: the killer scores every task on every kill
  const mm = p.mm;
  const anonKb = mm.shareKb + mm.privKb;
  const swappedKb = Math.floor(anonKb * swapFrac);
  let points = Math.floor((anonKb - swappedKb) / 4) + Math.floor(mm.fileKb / 4) + Math.floor(swappedKb / 4) + mm.ptes;
  if (p.admin) points -= Math.trunc((points * 3) / 100);
  points += p.adj * Math.trunc(total / 1000);
  return points > 0 ? points : 1;
}

/** /proc/PID/oom_score */
export function oomScore(k: KernelState, p: Proc, snap: MemSnap): number {
  const total = totalPages(k, snap);
  return Math.trunc((badness(p, total, swapFraction(snap)) * 1000) / total);
}

interface OomChoice {
  chosen: Proc;
  /** badness of the chosen task */
  points: number;
  victim: Proc;
}

/** select_bad_process() and the "sacrifice child" step of oom_kill_process(). */
export function chooseVictim(k: KernelState, snap: MemSnap, hidden: ReadonlySet<number>): OomChoice | null {
  const total = totalPages(k, snap);
  const f = swapFraction(snap);
  let chosen: Proc | null = null;
  let best = 0;
  for (let ix = 0, xs = k.procs; ix < xs.length; ix++) {
    const p = xs[ix]!;
    if (hidden.has(p.pid)) continue;
    const points = badness(p, total, f);
    if (points === 0 || points < best) continue;
    // equal scores keep the earlier task: single-threaded tasks are all group leaders
    if (points === best && chosen) continue;
    chosen = p;
    best = points;
  }
  if (!chosen) return null;
  return { chosen, points: best, victim: sacrificeChild(k, chosen, total, f, hidden) };
}

/** oom_kill_process(): the chosen task's child with its own mm and the highest badness dies in its place */
function sacrificeChild(k: KernelState, chosen: Proc, total: number, f: number, hidden: ReadonlySet<number>): Proc {
  let victim = chosen;
  let victimPoints = 0;
  for (let ix = 0, xs = k.procs; ix < xs.length; ix++) {
    const c = xs[ix]!;
    if (c.ppid !== chosen.pid || hidden.has(c.pid) || !c.mm) continue;
    const cp = badness(c, total, f);
    if (cp > victimPoints) {
      victim = c;
      victimPoints = cp;
    }
  }
  return victim;
}

/**
 * vm.oom_kill_allocating_task: out_of_memory() shoots the task whose allocation failed, without
 * scanning, when it may be killed at all (points 0, and still "or sacrifice child"). Null when the
 * knob is off or the allocating task is exempt, and the usual scan runs.
 */
export function allocatingTaskChoice(k: KernelState, snap: MemSnap, current: Proc, hidden: ReadonlySet<number>): OomChoice | null {
  if (!(k.sysctl.oomKillAllocatingTask ?? 0)) return null;
  if (!current.mm || current.pid === 1 || current.kthread || current.adj === OOM_SCORE_ADJ_MIN) return null;
  return { chosen: current, points: 0, victim: sacrificeChild(k, current, totalPages(k, snap), swapFraction(snap), hidden) };
}

export interface OomTrigger {
  comm: string;
  pid: number;
  gfpMask: number;
  order: number;
  oomScoreAdj: number;
}

export const GFP_KERNEL = 0xd0;
/** THREADINFO_GFP on 3.16: the order-2 kernel stack of a new task */
export const GFP_THREADINFO = 0x2000d0;
/** GFP_HIGHUSER_MOVABLE: an anonymous page fault */
export const GFP_HIGHUSER_MOVABLE = 0x200da;

/** the DMA zone's ~15 MB that lowmem_reserve keeps from ordinary allocations: free even at OOM */
const DMA_FREE_KB = 15_360;

/**
 * The snapshot already holds the allocation that did not fit, so its free figure can overshoot
 * below zero; the kernel reports the moment before, with every other zone just under its min mark.
 */
function shownFreeKb(freeKb: number, minKb: number): number {
  return Math.min(Math.max(freeKb, minKb - (minKb >> 3)), minKb) + DMA_FREE_KB;
}

export function oomReport(
  k: KernelState,
  snap: MemSnap,
  t: number,
  trigger: OomTrigger,
  choice: OomChoice | null,
  hidden: ReadonlySet<number>,
  hardware: string,
  /** the allocating task was shot without a scan (vm.oom_kill_allocating_task) */
  allocating = false,
): CompactReport {
  const mi = meminfoFrom(k, snap, t);
  const wm = watermarks(k);
  const m = k.mem;
  // the report describes its last populated zone (Normal on 4 GB, DMA32 on 2 GB) as /proc/zoneinfo does
  const zones = zoneTuning(k);
  const main = zones[zones.length - 1]!;
  const f = swapFraction(snap);
  const total = totalPages(k, snap);
  // dump_tasks(): pid, uid, total_vm, rss, nr_ptes, swapents, oom_score_adj per task (tgid = pid here)
  const tasks: number[] = [];
  const names: string[] = [];
  // dump_header() lists the tasks only while vm.oom_dump_tasks is set
  const dump = (k.sysctl.oomDumpTasks ?? 1) !== 0;
  for (const p of dump ? k.procs : []) {
    const mm = p.mm;
    if (!mm || hidden.has(p.pid)) continue;
    const anonKb = mm.shareKb + mm.privKb;
    const swappedKb = Math.floor(anonKb * f);
    const rss = Math.floor((anonKb - swappedKb) / 4) + Math.floor(mm.fileKb / 4);
    tasks.push(p.pid, p.uid, Math.floor(mm.vszKb / 4), rss, mm.ptes, Math.floor(swappedKb / 4), p.adj);
    names.push(p.comm);
  }
  const victim = choice?.victim;
  const vr = victim ? rssPages(victim, f) : { anon: 0, file: 0, swap: 0 };
  return {
    trigger,
    cpu: trigger.pid % k.cpus,
    kernelRelease: k.release,
    kernelBuild: k.version.split(' ')[0] ?? k.version,
    hardware,
    mem: {
      activeAnon: Math.floor(mi['Active(anon)'] / 4),
      inactiveAnon: Math.floor(mi['Inactive(anon)'] / 4),
      activeFile: Math.floor(mi['Active(file)'] / 4),
      inactiveFile: Math.floor(mi['Inactive(file)'] / 4),
      unevictable: 0,
      dirty: Math.floor(mi.Dirty / 4),
      writeback: 0,
      free: Math.floor(shownFreeKb(snap.freeKb, wm.min) / 4),
      slabReclaimable: Math.floor(mi.SReclaimable / 4),
      slabUnreclaimable: Math.floor(mi.SUnreclaim / 4),
      mapped: Math.floor(mi.Mapped / 4),
      shmem: Math.floor(mi.Shmem / 4),
      pagetables: Math.floor(mi.PageTables / 4),
      kernelStackKb: mi.KernelStack,
      minKb: main.min * 4,
      lowKb: main.low * 4,
      highKb: main.high * 4,
      presentKb: main.presentPages * 4,
      managedKb: main.managedPages * 4,
      swapTotalKb: snap.swapTotalKb,
      swapFreeKb: snap.swapTotalKb - snap.swappedKb,
      pageCachePages: Math.floor((snap.cacheKb + snap.swapCachedKb) / 4),
      totalRamPages: m.totalRamPages,
      reservedPages: m.totalRamPages - Math.floor(m.totalKb / 4),
    },
    tasks,
    names,
    ...(allocating ? { reason: 'allocating' as const } : {}),
    chosen: choice
      ? { pid: choice.chosen.pid, comm: choice.chosen.comm, score: Math.trunc((choice.points * 1000) / total) }
      : { pid: 0, comm: '', score: 0 },
    killed: victim
      ? { pid: victim.pid, comm: victim.comm, totalVmKb: victim.mm ? victim.mm.vszKb : 0, anonRssKb: vr.anon * 4, fileRssKb: vr.file * 4 }
      : { pid: 0, comm: '', totalVmKb: 0, anonRssKb: 0, fileRssKb: 0 },
  };
}
