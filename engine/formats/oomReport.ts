/**
 * The OOM killer's report as a 3.16 kernel prints it: dump_header() (trigger line, cpuset,
 * dump_stack()), show_mem() with show_free_areas(), dump_tasks(), then the kill lines from
 * oom_kill_process(). Every number comes from the view: zone figures are the view's totals split
 * across DMA / DMA32 / Normal so that they add back up exactly, and the buddy lists sum to each
 * zone's free kB. Only code and stack addresses, which the view cannot know, are synthesised,
 * consistently for the one kernel build.
 */
import type { KernelLogLevel, KernelLogRecord, OomReportView } from './types';
import { rpad } from './printf';

interface OomReportOptions {
  /** online CPUs, for the per-cpu pageset lines (default: the trigger's CPU + 1) */
  cpus?: number;
  /**
   * The allocation that failed. Default: a user page fault when the gfp mask has __GFP_HIGHMEM
   * and __GFP_MOVABLE (0x200da), otherwise a slab allocation under fork (GFP_KERNEL, 0xd0).
   */
  path?: 'fork' | 'pagefault';
}

/** One printk'd line: continuation lines of a multi-line printk share their record's stamp. */
interface OomLine {
  text: string;
  level: KernelLogLevel;
  /** true for the " active_file:..." lines that belong to the preceding record */
  continuation: boolean;
}

const KERN_ERR = 3;
const KERN_WARNING = 4;
const KERN_INFO = 6;
/** printk without a level uses default_message_loglevel, 4 */
const KERN_DEFAULT = 4;

/* ---------- the kernel image: symbol addresses of this 3.16.0-30 build ---------- */

interface Sym {
  name: string;
  start: number;
  size: number;
}

const SYMS: Readonly<Record<string, Sym>> = Object.fromEntries(
  (
    [
      ['dump_stack', 0x8176497b, 0x56],
      ['dump_header', 0x8175f227, 0x1f1],
      ['oom_kill_process', 0x8115a570, 0x330],
      ['security_capable_noaudit', 0x812ef890, 0x20],
      ['out_of_memory', 0x8115aa60, 0x450],
      ['__alloc_pages_nodemask', 0x81160270, 0xb20],
      ['alloc_pages_current', 0x811a1940, 0x170],
      ['alloc_pages_vma', 0x811a3a70, 0x140],
      ['new_slab', 0x811ab020, 0x320],
      ['__slab_alloc', 0x8175cd2c, 0x459],
      ['kmem_cache_alloc', 0x811ad480, 0x1d0],
      ['anon_vma_clone', 0x81186a30, 0x1e0],
      ['anon_vma_fork', 0x81186c10, 0x140],
      ['copy_process.part.27', 0x8106a280, 0x1a00],
      ['do_fork', 0x8106bd60, 0x350],
      ['SyS_clone', 0x8106c120, 0x20],
      ['stub_clone', 0x8176cc70, 0x90],
      ['system_call_fastpath', 0x8176c973, 0x1f],
      ['handle_mm_fault', 0x81181c40, 0xf10],
      ['__do_page_fault', 0x8176ff60, 0x560],
      ['do_page_fault', 0x817704e0, 0x70],
      ['page_fault', 0x8176d5e0, 0x30],
    ] as const
  ).map(([name, start, size]) => [name, { name, start, size }]),
);

/** [symbol, offset, is-a-guess] for each frame; '?' frames are stale return addresses. */
const FORK_TRACE: ReadonlyArray<[string, number, boolean]> = [
  ['dump_stack', 0x45, false],
  ['dump_header', 0x7f, false],
  ['oom_kill_process', 0x1ce, false],
  ['security_capable_noaudit', 0x15, true],
  ['out_of_memory', 0x414, false],
  ['__alloc_pages_nodemask', 0xa87, false],
  ['alloc_pages_current', 0xaa, false],
  ['new_slab', 0x295, false],
  ['__slab_alloc', 0x2a8, false],
  ['anon_vma_clone', 0x5f, true],
  ['kmem_cache_alloc', 0x1bb, false],
  ['anon_vma_clone', 0x5f, false],
  ['anon_vma_fork', 0x3a, false],
  ['copy_process.part.27', 0x173a, false],
  ['do_fork', 0xd5, false],
  ['SyS_clone', 0x16, false],
  ['stub_clone', 0x69, false],
  ['system_call_fastpath', 0x1a, true],
];

const FAULT_TRACE: ReadonlyArray<[string, number, boolean]> = [
  ['dump_stack', 0x45, false],
  ['dump_header', 0x7f, false],
  ['oom_kill_process', 0x1ce, false],
  ['security_capable_noaudit', 0x15, true],
  ['out_of_memory', 0x414, false],
  ['__alloc_pages_nodemask', 0xa87, false],
  ['alloc_pages_vma', 0x9a, false],
  ['handle_mm_fault', 0xb2b, false],
  ['__do_page_fault', 0x184, false],
  ['do_page_fault', 0x1a, false],
  ['page_fault', 0x28, false],
];

const HEX_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** %08x: a bulk run prints a stack dump per kill, so this is by table rather than toString(16) */
function hex8(x: number): string {
  return HEX_BYTE[x >>> 24]! + HEX_BYTE[(x >>> 16) & 0xff]! + HEX_BYTE[(x >>> 8) & 0xff]! + HEX_BYTE[x & 0xff]!;
}

function hex16(hi: number, lo: number): string {
  return hex8(hi >>> 0) + hex8(lo >>> 0);
}

function textAddr(sym: string, off: number): string {
  return hex16(0xffffffff, SYMS[sym].start + off);
}

function traceLine(sym: string, off: number, guess: boolean): string {
  const s = SYMS[sym];
  return ` [<${textAddr(sym, off)}>] ${guess ? '? ' : ''}${s.name}+0x${off.toString(16)}/0x${s.size.toString(16)}`;
}

/** A small integer hash so the same task always shows the same stack and task_struct addresses. */
function mix(n: number): number {
  let x = (n ^ 0x9e3779b9) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** show_stack() on x86_64: 3 lines of 4 words from the top of the stack. */
function stackWords(pid: number, trace: ReadonlyArray<[string, number, boolean]>): string[] {
  const h = mix(pid);
  // kernel stacks are 16 KiB aligned in the direct map; the dump starts near the top
  const stackBase = (0x00004000 + ((h & 0x0fff_c000) >>> 0)) >>> 0;
  const sp = (off: number) => hex16(0xffff8800, stackBase + off);
  const task = hex16(0xffff8800, ((mix(pid + 1) & 0x0fff_f000) | 0x800) >>> 0);
  const [d0, d1] = [trace[0], trace[1]];
  return [
    ` 0000000000000000 ${sp(0x3a90)} ${textAddr(d0[0], d0[1])} ${task}`,
    ` ${sp(0x3b18)} ${textAddr(d1[0], d1[1])} 0000000000000000 0000000000000000`,
    ` ${sp(0x3b60)} ${sp(0x3b70)} ${textAddr('security_capable_noaudit', 0x15)} 0000000000000001`,
  ];
}

/* ---------- splitting the view across zones ---------- */

interface Zone {
  name: 'DMA' | 'DMA32' | 'Normal';
  presentPages: number;
  managedPages: number;
}

/** DMA spans the first 16 MiB; BIOS areas leave 3998 pages present, 3977 managed. */
const DMA_PRESENT = 3998;
const DMA_MANAGED = 3977;

function layoutZones(v: OomReportView): Zone[] {
  const totalPages = v.mem.totalRamPages;
  const mainPresent = Math.floor(v.mem.presentKb / 4);
  const mainManaged = Math.floor(v.mem.managedKb / 4);
  const reserved = v.mem.reservedPages;
  let otherPresent = totalPages - mainPresent;
  let otherReserved = reserved - (mainPresent - mainManaged);
  if (otherPresent <= 0) {
    // the view described the whole machine rather than its last zone
    otherPresent = Math.min(DMA_PRESENT, totalPages);
    otherReserved = Math.min(DMA_PRESENT - DMA_MANAGED, reserved);
    const zones: Zone[] = [
      { name: 'DMA', presentPages: otherPresent, managedPages: otherPresent - otherReserved },
      { name: 'DMA32', presentPages: totalPages - otherPresent, managedPages: totalPages - otherPresent - (reserved - otherReserved) },
    ];
    return zones;
  }
  const dmaPresent = Math.min(DMA_PRESENT, otherPresent);
  const dmaReserved = Math.max(0, Math.min(DMA_PRESENT - DMA_MANAGED, otherReserved, dmaPresent));
  const zones: Zone[] = [{ name: 'DMA', presentPages: dmaPresent, managedPages: dmaPresent - dmaReserved }];
  const dma32Present = otherPresent - dmaPresent;
  if (dma32Present > 0) {
    zones.push({ name: 'DMA32', presentPages: dma32Present, managedPages: dma32Present - Math.max(0, otherReserved - dmaReserved) });
    zones.push({ name: 'Normal', presentPages: mainPresent, managedPages: mainManaged });
  } else {
    zones.push({ name: 'DMA32', presentPages: mainPresent, managedPages: mainManaged });
  }
  return zones;
}

/** Splits total into integer shares proportional to weights, by largest remainder. */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || total <= 0) return weights.map(() => 0);
  const raw = weights.map((w) => (total * w) / sum);
  const out = raw.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => ({ i, frac: r - Math.floor(r) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k].i]++;
  return out;
}

/** zone_batchsize() and pageset_set_batch() from mm/page_alloc.c */
function pcpBatch(managedPages: number): { high: number; batch: number } {
  let batch = Math.floor(managedPages / 1024);
  if (batch * 4096 > 512 * 1024) batch = (512 * 1024) / 4096;
  batch = Math.floor(batch / 4);
  if (batch < 1) batch = 1;
  const x = batch + Math.floor(batch / 2);
  batch = 2 ** Math.floor(Math.log2(x)) - 1;
  return { high: 6 * batch, batch: Math.max(1, batch) };
}

/**
 * Free pages by order; sums to `pages`. A zone under pressure holds mostly small blocks; DMA,
 * fenced off by lowmem_reserve, keeps the large blocks it booted with.
 */
export function buddySplit(pages: number, intact = false): number[] {
  const pressured = [0, 0.22, 0.16, 0.11, 0.08, 0.05, 0.03, 0.02, 0.015, 0.01, 0.005];
  const share = intact ? [0, 0.005, 0.01, 0.015, 0.02, 0.03, 0.05, 0.08, 0.11, 0.16, 0.5] : pressured;
  const nr = new Array<number>(11).fill(0);
  let left = pages;
  for (let order = 10; order >= 1; order--) {
    nr[order] = Math.floor((pages * share[order]) / 2 ** order);
    left -= nr[order] * 2 ** order;
  }
  nr[0] = left;
  return nr;
}

const MIGRATE_TYPES = ['UEM', 'UEM', 'UEM', 'UEM', 'UEM', 'UM', 'UM', 'M', 'M', 'R', 'M'] as const;

function buddyLine(zone: string, pages: number): string {
  const nr = buddySplit(pages, zone === 'DMA');
  const parts = nr.map((n, order) => `${n}*${4 << order}kB ${n ? `(${MIGRATE_TYPES[order]}) ` : ''}`);
  return `Node 0 ${zone}: ${parts.join('')}= ${pages * 4}kB`;
}

/* ---------- the report ---------- */

function defaultPath(gfp: number): 'fork' | 'pagefault' {
  return (gfp & 0x02) !== 0 && (gfp & 0x08) !== 0 ? 'pagefault' : 'fork';
}

/**
 * show_mem()'s part of the report, which depends on the memory figures alone: kept per figures
 * object, so a run of kills with the same figures prints it from memory.
 */
const memInfoCache = new WeakMap<OomReportView['mem'], Map<number, OomLine[]>>();

function memInfoLines(v: OomReportView, cpusWanted: number): OomLine[] {
  let byCpus = memInfoCache.get(v.mem);
  const hit = byCpus?.get(cpusWanted);
  if (hit) return hit;
  const out: OomLine[] = [];
  const add = (text: string, level: KernelLogLevel, continuation = false) => out.push({ text, level, continuation });
  const m = v.mem;
  add('Mem-Info:', KERN_DEFAULT);
  const zones = layoutZones(v);
  const cpus = cpusWanted;
  const lruZones = zones.map((z) => (z.name === 'DMA' ? 0 : z.managedPages));
  const split = (total: number) => apportion(total, lruZones);

  const dmaFree = Math.min(m.free, Math.max(0, zones[0].managedPages - 8));
  const restFree = apportion(m.free - dmaFree, zones.slice(1).map((z) => z.managedPages));
  const free = [dmaFree, ...restFree];

  for (const [zi, z] of zones.entries()) {
    add(`Node 0 ${z.name} per-cpu:`, KERN_DEFAULT);
    const { high, batch } = pcpBatch(z.managedPages);
    for (let cpu = 0; cpu < cpus; cpu++) {
      const used = high === 0 ? 0 : (free[zi] + cpu * 31) % (batch + 1);
      add(`CPU ${rpad(cpu, 4)}: hi:${rpad(high, 5)}, btch:${rpad(batch, 4)} usd:${rpad(used, 4)}`, KERN_DEFAULT);
    }
  }

  add(`active_anon:${m.activeAnon} inactive_anon:${m.inactiveAnon} isolated_anon:0`, KERN_DEFAULT);
  add(` active_file:${m.activeFile} inactive_file:${m.inactiveFile} isolated_file:0`, KERN_DEFAULT, true);
  add(` unevictable:${m.unevictable} dirty:${m.dirty} writeback:${m.writeback} unstable:0`, KERN_DEFAULT, true);
  add(` free:${m.free} slab_reclaimable:${m.slabReclaimable} slab_unreclaimable:${m.slabUnreclaimable}`, KERN_DEFAULT, true);
  add(` mapped:${m.mapped} shmem:${m.shmem} pagetables:${m.pagetables} bounce:0`, KERN_DEFAULT, true);
  add(' free_cma:0', KERN_DEFAULT, true);

  const per = {
    activeAnon: split(m.activeAnon),
    inactiveAnon: split(m.inactiveAnon),
    activeFile: split(m.activeFile),
    inactiveFile: split(m.inactiveFile),
    unevictable: split(m.unevictable),
    dirty: split(m.dirty),
    writeback: split(m.writeback),
    mapped: split(m.mapped),
    shmem: split(m.shmem),
    slabReclaimable: split(m.slabReclaimable),
    slabUnreclaimable: split(m.slabUnreclaimable),
    pagetables: split(m.pagetables),
    // kernel stacks are 16 KiB each (four pages)
    kernelStackKb: apportion(Math.floor(m.kernelStackKb / 16), lruZones).map((n, i, a) =>
      n * 16 + (i === a.length - 1 ? m.kernelStackKb % 16 : 0),
    ),
  };
  const main = zones[zones.length - 1];
  const mainMin = Math.floor(m.minKb / 4);
  const ratio = [256, 256, 32];
  for (const [zi, z] of zones.entries()) {
    const isMain = zi === zones.length - 1;
    const minP = Math.floor((mainMin * z.managedPages) / Math.max(1, main.managedPages));
    const wm = isMain
      ? { min: m.minKb, low: m.lowKb, high: m.highKb }
      : { min: minP * 4, low: (minP + (minP >> 2)) * 4, high: (minP + (minP >> 1)) * 4 };
    const reclaimable = per.activeFile[zi] + per.inactiveFile[zi] + (m.swapTotalKb > 0 ? per.activeAnon[zi] + per.inactiveAnon[zi] : 0);
    add(
      `Node 0 ${z.name} free:${free[zi] * 4}kB min:${wm.min}kB low:${wm.low}kB high:${wm.high}kB` +
        ` active_anon:${per.activeAnon[zi] * 4}kB inactive_anon:${per.inactiveAnon[zi] * 4}kB` +
        ` active_file:${per.activeFile[zi] * 4}kB inactive_file:${per.inactiveFile[zi] * 4}kB` +
        ` unevictable:${per.unevictable[zi] * 4}kB isolated(anon):0kB isolated(file):0kB` +
        ` present:${z.presentPages * 4}kB managed:${z.managedPages * 4}kB mlocked:${per.unevictable[zi] * 4}kB` +
        ` dirty:${per.dirty[zi] * 4}kB writeback:${per.writeback[zi] * 4}kB mapped:${per.mapped[zi] * 4}kB` +
        ` shmem:${per.shmem[zi] * 4}kB slab_reclaimable:${per.slabReclaimable[zi] * 4}kB` +
        ` slab_unreclaimable:${per.slabUnreclaimable[zi] * 4}kB kernel_stack:${per.kernelStackKb[zi]}kB` +
        ` pagetables:${per.pagetables[zi] * 4}kB unstable:0kB bounce:0kB free_cma:0kB writeback_tmp:0kB` +
        // reclaim gave up once it had scanned six times what it could reclaim
        ` pages_scanned:${reclaimable * 6} all_unreclaimable? yes`,
      KERN_DEFAULT,
    );
    const reserve = [0, 0, 0, 0].map((_, j) => {
      if (j <= zi) return 0;
      const above = zones.slice(zi + 1).filter((_z, k) => zi + 1 + k <= Math.min(j, 2));
      return Math.floor(above.reduce((a, b) => a + b.managedPages, 0) / ratio[Math.min(zi, 2)]);
    });
    add(`lowmem_reserve[]: ${reserve.join(' ')}`, KERN_DEFAULT);
  }
  for (const [zi, z] of zones.entries()) add(buddyLine(z.name, free[zi]), KERN_DEFAULT);
  add('Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB', KERN_INFO);
  add(`${m.pageCachePages} total pagecache pages`, KERN_DEFAULT);
  add('0 pages in swap cache', KERN_DEFAULT);
  add('Swap cache stats: add 0, delete 0, find 0/0', KERN_DEFAULT);
  add(`Free swap  = ${m.swapFreeKb}kB`, KERN_DEFAULT);
  add(`Total swap = ${m.swapTotalKb}kB`, KERN_DEFAULT);
  add(`${m.totalRamPages} pages RAM`, KERN_DEFAULT);
  add('0 pages HighMem/MovableOnly', KERN_DEFAULT);
  add(`${m.reservedPages} pages reserved`, KERN_DEFAULT);
  if (!byCpus) {
    byCpus = new Map();
    memInfoCache.set(v.mem, byCpus);
  }
  byCpus.set(cpusWanted, out);
  return out;
}

/** the CPU line of dump_stack(): the trigger's pid is the only part a bulk run's kills change */
function cpuLine(v: OomReportView, pid: number): string {
  return `CPU: ${v.cpu} PID: ${pid} Comm: ${v.trigger.comm.slice(0, 20)} Not tainted ${v.kernelRelease} ${v.kernelBuild.split(' ')[0]}`;
}

/** a dump_tasks() row split around its pid and tgid, the parts that move from kill to kill */
interface TaskRowParts {
  pid: number;
  tgid: number;
  /** what comes between the pid and the tgid */
  mid: string;
  /** what follows the tgid */
  tail: string;
}

function taskRowParts(task: OomReportView['tasks'][number]): TaskRowParts {
  return {
    pid: task.pid,
    tgid: task.tgid,
    mid: `] ${rpad(task.uid, 5)} `,
    tail: ` ${rpad(task.totalVm, 8)} ${rpad(task.rss, 8)} ${rpad(task.nrPtes, 7)} ${rpad(task.swapents, 8)}         ${rpad(task.oomScoreAdj, 5)} ${task.name}`,
  };
}

const taskRow = (r: TaskRowParts, pid: number, tgid: number): string => `[${rpad(pid, 5)}${r.mid}${rpad(tgid, 5)}${r.tail}`;

function chosenLine(v: OomReportView, pid: number): string {
  const why = v.reason === 'allocating' ? 'Out of memory (oom_kill_allocating_task)' : 'Out of memory';
  return `${why}: Kill process ${pid} (${v.chosen.comm}) score ${v.chosen.score} or sacrifice child`;
}

function killedLine(v: OomReportView, pid: number): string {
  return `Killed process ${pid} (${v.killed.comm}) total-vm:${v.killed.totalVmKb}kB, anon-rss:${v.killed.anonRssKb}kB, file-rss:${v.killed.fileRssKb}kB`;
}

/** where in the report each pid is printed */
interface PidPlaces {
  cpu: number;
  /** the first of stackWords()' lines */
  stack: number;
  /** the first task row */
  tasks: number;
  chosen: number;
  killed: number;
}

/** Every line of the report with its printk level, and where its pids are. */
function oomReportLayout(v: OomReportView, opts: OomReportOptions = {}): { lines: OomLine[]; at: PidPlaces; trace: ReadonlyArray<[string, number, boolean]> } {
  const out: OomLine[] = [];
  const add = (text: string, level: KernelLogLevel, continuation = false) => out.push({ text, level, continuation });
  const t = v.trigger;

  add(`${t.comm} invoked oom-killer: gfp_mask=0x${t.gfpMask.toString(16)}, order=${t.order}, oom_score_adj=${t.oomScoreAdj}`, KERN_WARNING);
  add(`${t.comm} cpuset=/ mems_allowed=0`, KERN_INFO);
  const cpu = out.length;
  add(cpuLine(v, t.pid), KERN_DEFAULT);
  add(`Hardware name: ${v.hardware}`, KERN_DEFAULT);
  const trace = (opts.path ?? defaultPath(t.gfpMask)) === 'fork' ? FORK_TRACE : FAULT_TRACE;
  const stack = out.length;
  for (const w of stackWords(t.pid, trace)) add(w, KERN_DEFAULT);
  add('Call Trace:', KERN_DEFAULT);
  for (const [sym, off, guess] of trace) add(traceLine(sym, off, guess), KERN_DEFAULT);

  const cpus = Math.max(1, opts.cpus ?? v.cpu + 1);
  for (const l of memInfoLines(v, cpus)) out.push(l);

  // with vm.oom_dump_tasks = 0 there is no table at all, not even its header
  if (v.tasks.length > 0) add('[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name', KERN_INFO);
  const tasks = out.length;
  for (const task of v.tasks) add(taskRow(taskRowParts(task), task.pid, task.tgid), KERN_INFO);
  const chosen = out.length;
  add(chosenLine(v, v.chosen.pid), KERN_ERR);
  const killed = out.length;
  add(killedLine(v, v.killed.pid), KERN_ERR);
  return { lines: out, at: { cpu, stack, tasks, chosen, killed }, trace };
}

function oomReportLines(v: OomReportView, opts: OomReportOptions = {}): OomLine[] {
  return oomReportLayout(v, opts).lines;
}

/**
 * A report formatted once, for printing again with other pids: a bulk run's kills repeat their
 * pattern's report with only the pids moved on by the forks in between (machine/syslog.ts).
 */
export interface OomReportTemplate {
  /** the lines as the view's own pids print them */
  readonly lines: readonly string[];
  /** the lines that change when every pid p of the view prints as pid(p): [index, text] of each */
  moved(pid: (p: number) => number): Array<[number, string]>;
  /** each line's stamp when the report starts at sinceBootMs: what oomReportRecords() stamps */
  stamps(sinceBootMs: number): number[];
}

export function oomReportTemplate(v: OomReportView, opts: OomReportOptions = {}): OomReportTemplate {
  const { lines: all, at, trace } = oomReportLayout(v, opts);
  const lines = all.map((l) => l.text);
  // the same expression as oomReportRecords() adds, so the sums come out bit for bit the same
  const steps = all.map((l, i) => (i > 0 && !l.continuation ? 0.002 + (mix(i) % 5) * 0.001 : 0));
  const rows = v.tasks.map(taskRowParts);
  const trigger = v.trigger.pid;
  // a reload's kills mostly share their trigger: its stack dump is kept for the next kill
  let stackOf = { pid: trigger, words: stackWords(trigger, trace) };
  return {
    lines,
    moved(pid) {
      const out: Array<[number, string]> = [];
      const tp = pid(trigger);
      if (tp !== trigger) {
        out.push([at.cpu, cpuLine(v, tp)]);
        if (stackOf.pid !== tp) stackOf = { pid: tp, words: stackWords(tp, trace) };
        stackOf.words.forEach((w, k) => out.push([at.stack + k, w]));
      }
      for (let k = 0; k < rows.length; k++) {
        const r = rows[k]!;
        const p = pid(r.pid);
        const g = r.tgid === r.pid ? p : pid(r.tgid);
        if (p !== r.pid || g !== r.tgid) out.push([at.tasks + k, taskRow(r, p, g)]);
      }
      const c = pid(v.chosen.pid);
      if (c !== v.chosen.pid) out.push([at.chosen, chosenLine(v, c)]);
      const k = pid(v.killed.pid);
      if (k !== v.killed.pid) out.push([at.killed, killedLine(v, k)]);
      return out;
    },
    stamps(sinceBootMs) {
      const out = new Array<number>(steps.length);
      let t = sinceBootMs;
      for (let i = 0; i < steps.length; i++) {
        if (steps[i] !== 0) t += steps[i]!;
        out[i] = Math.round(t * 1000) / 1000;
      }
      return out;
    },
  };
}

/** The report as text lines, one per line dmesg prints. */
export function formatOomReport(v: OomReportView, opts: OomReportOptions = {}): string[] {
  return oomReportLines(v, opts).map((l) => l.text);
}

/**
 * The report as ring-buffer records starting at `sinceBootMs`, a few microseconds apart as
 * printk stamps them; continuation lines repeat their record's stamp, as syslog(2) reads them.
 */
export function oomReportRecords(v: OomReportView, sinceBootMs: number, opts: OomReportOptions = {}): KernelLogRecord[] {
  let t = sinceBootMs;
  return oomReportLines(v, opts).map((l, i) => {
    if (i > 0 && !l.continuation) t += 0.002 + (mix(i) % 5) * 0.001;
    return { sinceBootMs: Math.round(t * 1000) / 1000, level: l.level, text: l.text };
  });
}
