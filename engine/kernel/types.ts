/**
 * The simulated kernel's state. Everything here is plain JSON: the game saves it as is and a
 * reloaded copy must carry on exactly as the original would have.
 */
import type { KernelLogLevel, OomReportView, ProcState } from '../formats/types';
import type { Json } from '../types';

/** A process's address space, reduced to what memory accounting and the OOM killer read. */
export interface Mm {
  vszKb: number;
  /** how much of its family's shared anonymous pages this process still maps */
  shareKb: number;
  /** anonymous pages only this process holds (its own copy-on-write copies, its own heap growth) */
  privKb: number;
  /** resident file-backed pages (libraries, mapped databases) */
  fileKb: number;
  /** page-table pages */
  ptes: number;
  /** every mapping, as /proc/PID/maps would list them */
  vmas: number;
  /** private writable memory charged to the overcommit accounting */
  commitKb: number;
  /** the largest accountable mapping: fork checks each one against the overcommit heuristic */
  maxVmaKb: number;
  /** anon_vma family (one per exec'd image); the family's shared pages live there */
  fam: number;
  /** anonymous VMAs of this image: each one carries its own copy of the chain */
  anonVmas: number;
  /** the anon_vma this process's VMAs own */
  own: number;
  /** anon_vma nodes this process's VMAs are chained to, root first */
  chain: number[];
  /** Σ levels over chain: anon_vma_chain objects per anonymous VMA */
  depth: number;
}

export interface Proc {
  pid: number;
  ppid: number;
  uid: number;
  user: string;
  comm: string;
  args: string;
  state: ProcState;
  /** virtual ms since the epoch */
  start: number;
  /** CPU ms accumulated up to cpuAt */
  cpuMs: number;
  /** CPU ms consumed per wall second from cpuAt on */
  cpuRate: number;
  cpuAt: number;
  kthread: boolean;
  tty: string;
  nice: number;
  threads: number;
  adj: number;
  /** holds CAP_SYS_ADMIN (root) */
  admin: boolean;
  mm: Mm | null;
  /** the job its owner (a service, cron, the login) gave it; '' for bystanders */
  role: string;
  /** its index among its owner's workers, -1 if none */
  slot: number;
  /** creation sequence number: the task list is in this order */
  born: number;
}

/** One node of the anon_vma forest. A node may stand for a run of `levels` identical dead levels. */
export interface AvNode {
  id: number;
  fam: number;
  /** -1 for a root */
  parent: number;
  levels: number;
  /** processes whose VMAs own this anon_vma */
  own: number;
  /** live child nodes */
  kids: number;
  /** processes chained to this node */
  links: number;
}

export interface AvFamily {
  id: number;
  /** anonymous VMAs per process of this family */
  vmas: number;
  /** anonymous pages shared copy-on-write by every member */
  sharedKb: number;
  members: number;
}

export interface AvState {
  nodes: Record<string, AvNode>;
  fams: Record<string, AvFamily>;
  nextId: number;
  /** anon_vma objects alive (levels x anonymous VMAs, over every node) */
  objects: number;
  /** shared anonymous kB over every live family */
  sharedKb: number;
}

/** A reclaimable pool (page cache or reclaimable slab) that grows with use and shrinks under pressure. */
export interface Pool {
  /** the pool wants baseKb at `since`, growing by growKbPerH, up to maxKb */
  baseKb: number;
  since: number;
  growKbPerH: number;
  maxKb: number;
  /** reclaim never takes it below this working set */
  floorKb: number;
  /** after reclaim it regrows from clipKb at clipAt; clipAt < 0 when never clipped */
  clipKb: number;
  clipAt: number;
}

export interface SwapDev {
  path: string;
  sizeKb: number;
  /** mkswap has run on it */
  formatted: boolean;
  active: boolean;
  priority: number;
}

export interface MemState {
  totalKb: number;
  /** percpu areas, vmalloc, page_ext...: used but in no meminfo bucket of ours */
  kernelOtherKb: number;
  cache: Pool;
  recl: Pool;
  shmemKb: number;
  /** share of the page cache that is block-device buffers */
  buffersPct: number;
  swaps: SwapDev[];
  /** pages pushed out in the last squeeze stay out until touched again: that amount and when */
  swapHeldKb: number;
  swapHeldAt: number;
  /** per slab cache: the share of allocated objects in use, in per mille */
  fill: Record<string, number>;
  /** the remaining physical layout, for the OOM report and DirectMap lines */
  totalRamPages: number;
  directMap4kKb: number;
  vmallocUsedKb: number;
}

interface SysctlState {
  overcommitMemory: number;
  overcommitRatio: number;
  minFreeKbytes: number;
  swappiness: number;
  pidMax: number;
  panic: number;
  panicOnOom: number;
  /** vm.oom_dump_tasks (1 at boot; absent in saves from before it existed) */
  oomDumpTasks?: number;
  /** vm.oom_kill_allocating_task (0 at boot) */
  oomKillAllocatingTask?: number;
  dropCaches: number;
}

/**
 * An OOM report as stored: the task table flattened to numbers (pid, uid, total_vm, rss, nr_ptes,
 * swapents, oom_score_adj per task) and shared by the ring buffer and syslog, which both print it.
 */
export interface CompactReport extends Omit<OomReportView, 'tasks'> {
  tasks: number[];
  names: string[];
}

export interface StoredReport extends Partial<CompactReport> {
  /** ring entries that still point here */
  refs: number;
  /** every field but the task table, in PACKED_FIELDS order (engine/kernel/logs.ts), when packed */
  p?: Array<string | number>;
  /**
   * The task table as rows of LogState.rows (tasks and names are then empty): reports in a run of
   * kills list the same processes over and over, so each distinct row is stored once.
   */
  rows?: number[];
}

/** one dump_tasks row (pid, uid, total_vm, rss, nr_ptes, swapents, oom_score_adj) and its name */
export interface TaskRow {
  v: number[];
  name: string;
  /** reports that list it */
  refs: number;
}

export const TASK_FIELDS = 7;

export type KmsgEntry =
  | { kind: 'line'; t: number; lv: KernelLogLevel; text: string }
  | { kind: 'oom'; t: number; id: number }
  | { kind: 'panic'; t: number; id: number; message: string }
  /** the kills of a bulk run still in the ring: the first `skip` have been pushed out */
  | { kind: 'oomrun'; t: number; run: number; skip: number };

export type SyslogEntry =
  | { kind: 'line'; time: number; tag: string; pid: number; text: string }
  | { kind: 'oom'; time: number; sinceBootMs: number; id: number }
  /** a run of reloads that each killed as the last exact one did (see OomRun) */
  | { kind: 'oomrun'; time: number; run: number };

/**
 * OOM kills the machine applied in bulk: every reload of the run killed what the pattern's exact
 * reload killed, at the same offsets from its start, with pids moved on by the forks in between.
 * The memory figures and task table of each report are the pattern's.
 */
export interface OomRun {
  /** the pattern's reports, one per kill of a reload (the run holds a reference on each) */
  reports: number[];
  /** ms from a reload's start to each of its kills */
  offsets: number[];
  bootTime: number;
  /** start of the first reload, ms */
  t0: number;
  /** the starts of the following reloads: whole-ms gaps, packed (see machine/syslog.ts) */
  gaps: string;
  /** reloads in the run */
  n: number;
  /** the last reload's start, rounded as the gaps add up */
  last: number;
  /** forks per reload, the pids nothing in the run moves, and pid_max, to number each reload's tasks */
  forks: number;
  fixed: number[];
  pidMax: number;
  /** entries (syslog's and the ring buffer's) that still point here */
  refs: number;
}

/** numbers per entry of a compact line ring */
export const COMPACT_FIELDS = 4;

export interface LogState {
  /** the syslog daemon is running: without it nothing new reaches /var/log/syslog */
  syslogUp: boolean;
  reports: Record<string, StoredReport>;
  nextReport: number;
  kmsg: KmsgEntry[];
  kmsgBytes: number;
  /** what rsyslogd wrote, every file's worth, until logrotate drops the oldest file */
  syslog: SyslogEntry[];
  syslogLines: number;
  /** saves before the log store kept the tail of syslog.1 here; it is merged into syslog on load */
  syslog1: SyslogEntry[];
  /**
   * Lines a busy daemon writes every few seconds, kept as flat numbers (ms since the previous
   * entry, pid, a, b) rather than objects; the scenario that owns the daemon knows how to print
   * them. compactT0 / compact1T0 are the times of the first entries, compactLast of the newest.
   */
  compact: number[];
  compactT0: number;
  compactLast: number;
  compact1: number[];
  compact1T0: number;
  /** virtual ms of the next daily rotation */
  nextRotate: number;
  /** task rows shared by the stored reports, by id */
  rows?: Record<string, TaskRow>;
  nextRow?: number;
  /** bulk OOM runs by id, the id of the one still growing (-1: none) */
  runs?: Record<string, OomRun>;
  nextRun?: number;
  openRun?: number;
  /** the kills the last exact burst logged, a pattern for reloads applied in bulk */
  pattern?: { reports: number[]; offsets: number[] } | null;
  /** when logrotate turned syslog over (daily) and kern.log / auth.log (weekly), oldest first */
  rotations?: number[];
  weekly?: number[];
  /** the start of what the files hold: before it, the box's history is not simulated */
  since?: number;
}

/** reclaim's and drop_caches' work since boot (kernel/vmevents.ts); absent in older saves: none yet */
export interface VmEvents {
  /** kB reclaim took from the page cache, from the reclaimable slab, and wrote to swap */
  cacheKb: number;
  slabKb: number;
  swapOutKb: number;
  /** reclaim runs by kswapd and by allocating tasks (direct reclaim), and the kB kswapd took */
  kswapd: number;
  direct: number;
  kswapdKb: number;
  /**
   * kB direct reclaim took (page cache and swap), so pgsteal_direct only grows; absent in saves
   * from before it was kept (vmevents.ts directStolenPages works it out from the rest then)
   */
  directKb?: number;
  dropPagecache: number;
  dropSlab: number;
}

export interface KernelState {
  release: string;
  /** the part of uname -v after the release, e.g. '#40~14.04.1-Ubuntu SMP Thu Jan 15 17:43:14 UTC 2015' */
  version: string;
  /** carries "mm: prevent endless growth of anon_vma hierarchy" (7a3ef208, 3.19): fork reuses dead anon_vmas */
  anonVmaReuse: boolean;
  bootTime: number;
  lastPid: number;
  born: number;
  procs: Proc[];
  av: AvState;
  mem: MemState;
  sysctl: SysctlState;
  cpus: number;
  /** page reclaim's work since boot, for /proc/vmstat's event counters */
  vmev?: VmEvents;
  /** state of the subsystems a scenario builds this kernel with beyond the core, by subsystem name */
  subsys?: Record<string, Json>;
}
