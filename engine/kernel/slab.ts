/**
 * SLUB caches as /proc/slabinfo shows them. Object counts come from what exists (tasks, VMAs,
 * anon_vmas, chains) plus what the kernel allocated at boot; meminfo's Slab, SReclaimable and
 * SUnreclaim are sums over these caches, so the two views can never disagree.
 */
import type { SlabCacheView } from '../formats/types';

export interface SlabInputs {
  /** every task, kernel threads included */
  tasks: number;
  /** tasks with a user address space */
  user: number;
  threads: number;
  vmas: number;
  anonVma: number;
  avc: number;
  /** what the reclaimable caches (dentries, inodes, buffer heads...) hold, in kB */
  reclKb: number;
}

interface Spec {
  name: string;
  size: number;
  perSlab: number;
  pages: number;
  recl: boolean;
  base: number;
  perTask?: number;
  perUser?: number;
  perVma?: number;
  from?: 'anonVma' | 'avc';
  /** share of the reclaimable pool, for reclaimable caches */
  weight?: number;
}

// objsize / objs per slab / pages per slab as a 3.16 x86_64 SLUB kernel reports them
const SPECS: readonly Spec[] = [
  { name: 'ext4_groupinfo_4k', size: 136, perSlab: 30, pages: 1, recl: false, base: 512 },
  { name: 'ip6-frags', size: 216, perSlab: 18, pages: 1, recl: false, base: 0 },
  { name: 'UDPv6', size: 1088, perSlab: 30, pages: 8, recl: false, base: 8 },
  { name: 'TCPv6', size: 1984, perSlab: 16, pages: 8, recl: false, base: 12 },
  { name: 'kcopyd_job', size: 3312, perSlab: 9, pages: 8, recl: false, base: 0 },
  { name: 'cfq_queue', size: 232, perSlab: 17, pages: 1, recl: false, base: 40 },
  { name: 'mqueue_inode_cache', size: 944, perSlab: 34, pages: 8, recl: false, base: 1 },
  { name: 'ext4_extent_status', size: 40, perSlab: 102, pages: 1, recl: true, base: 0, weight: 0.03 },
  { name: 'jbd2_journal_head', size: 112, perSlab: 36, pages: 1, recl: true, base: 0, weight: 0.01 },
  { name: 'ext4_inode_cache', size: 1040, perSlab: 31, pages: 8, recl: true, base: 0, weight: 0.27 },
  { name: 'ext4_free_data', size: 64, perSlab: 64, pages: 1, recl: false, base: 64 },
  { name: 'ext4_io_end', size: 72, perSlab: 56, pages: 1, recl: false, base: 112 },
  { name: 'fsnotify_mark', size: 120, perSlab: 34, pages: 1, recl: false, base: 60 },
  { name: 'dnotify_struct', size: 32, perSlab: 128, pages: 1, recl: false, base: 0 },
  { name: 'UDP', size: 896, perSlab: 36, pages: 8, recl: false, base: 20, perUser: 0.2 },
  { name: 'TCP', size: 1856, perSlab: 17, pages: 8, recl: false, base: 20, perUser: 0.2 },
  { name: 'blkdev_requests', size: 376, perSlab: 21, pages: 2, recl: false, base: 84 },
  { name: 'blkdev_ioc', size: 104, perSlab: 39, pages: 1, recl: false, base: 40 },
  { name: 'bio-0', size: 192, perSlab: 21, pages: 1, recl: false, base: 210 },
  { name: 'sock_inode_cache', size: 640, perSlab: 25, pages: 4, recl: true, base: 0, weight: 0.01 },
  { name: 'skbuff_fclone_cache', size: 512, perSlab: 32, pages: 4, recl: false, base: 64 },
  { name: 'skbuff_head_cache', size: 256, perSlab: 16, pages: 1, recl: false, base: 720 },
  { name: 'shmem_inode_cache', size: 648, perSlab: 25, pages: 4, recl: false, base: 1400 },
  { name: 'proc_inode_cache', size: 648, perSlab: 25, pages: 4, recl: true, base: 0, weight: 0.03 },
  { name: 'sigqueue', size: 160, perSlab: 25, pages: 1, recl: false, base: 50 },
  { name: 'bdev_cache', size: 832, perSlab: 39, pages: 8, recl: false, base: 30 },
  { name: 'kernfs_node_cache', size: 120, perSlab: 34, pages: 1, recl: false, base: 23800 },
  { name: 'mnt_cache', size: 320, perSlab: 25, pages: 2, recl: false, base: 110 },
  { name: 'filp', size: 256, perSlab: 16, pages: 1, recl: false, base: 900, perUser: 16 },
  { name: 'inode_cache', size: 592, perSlab: 27, pages: 4, recl: true, base: 0, weight: 0.06 },
  { name: 'dentry', size: 192, perSlab: 21, pages: 1, recl: true, base: 0, weight: 0.29 },
  { name: 'names_cache', size: 4096, perSlab: 8, pages: 8, recl: false, base: 16 },
  { name: 'buffer_head', size: 104, perSlab: 39, pages: 1, recl: true, base: 0, weight: 0.13 },
  { name: 'vm_area_struct', size: 184, perSlab: 22, pages: 1, recl: false, base: 120, perVma: 1 },
  { name: 'mm_struct', size: 896, perSlab: 36, pages: 8, recl: false, base: 4, perUser: 1 },
  { name: 'files_cache', size: 704, perSlab: 23, pages: 4, recl: false, base: 4, perUser: 1 },
  { name: 'signal_cache', size: 1088, perSlab: 30, pages: 8, recl: false, base: 4, perTask: 1 },
  { name: 'sighand_cache', size: 2112, perSlab: 15, pages: 8, recl: false, base: 4, perTask: 1 },
  { name: 'task_xstate', size: 832, perSlab: 39, pages: 8, recl: false, base: 4, perTask: 1 },
  { name: 'task_struct', size: 6016, perSlab: 5, pages: 8, recl: false, base: 2, perTask: 1 },
  { name: 'cred_jar', size: 192, perSlab: 21, pages: 1, recl: false, base: 40, perTask: 2 },
  { name: 'pid', size: 128, perSlab: 32, pages: 1, recl: false, base: 8, perTask: 1 },
  { name: 'anon_vma', size: 80, perSlab: 51, pages: 1, recl: false, base: 0, from: 'anonVma' },
  { name: 'anon_vma_chain', size: 64, perSlab: 64, pages: 1, recl: false, base: 0, from: 'avc' },
  { name: 'radix_tree_node', size: 576, perSlab: 28, pages: 4, recl: true, base: 0, weight: 0.12 },
  { name: 'idr_layer_cache', size: 2096, perSlab: 15, pages: 8, recl: false, base: 315 },
  { name: 'ftrace_event_field', size: 48, perSlab: 85, pages: 1, recl: false, base: 2890 },
  { name: 'kmalloc-8192', size: 8192, perSlab: 4, pages: 8, recl: false, base: 132 },
  { name: 'kmalloc-4096', size: 4096, perSlab: 8, pages: 8, recl: false, base: 660, perUser: 2 },
  { name: 'kmalloc-2048', size: 2048, perSlab: 16, pages: 8, recl: false, base: 940, perTask: 1 },
  { name: 'kmalloc-1024', size: 1024, perSlab: 32, pages: 8, recl: false, base: 1720, perUser: 3 },
  { name: 'kmalloc-512', size: 512, perSlab: 32, pages: 4, recl: false, base: 2980, perUser: 4 },
  { name: 'kmalloc-256', size: 256, perSlab: 32, pages: 2, recl: false, base: 4100, perUser: 6 },
  { name: 'kmalloc-192', size: 192, perSlab: 21, pages: 1, recl: false, base: 6300, perUser: 4 },
  { name: 'kmalloc-128', size: 128, perSlab: 32, pages: 1, recl: false, base: 4800, perUser: 4 },
  { name: 'kmalloc-96', size: 96, perSlab: 42, pages: 1, recl: false, base: 3150 },
  { name: 'kmalloc-64', size: 64, perSlab: 64, pages: 1, recl: false, base: 36100, perUser: 20 },
  { name: 'kmalloc-32', size: 32, perSlab: 128, pages: 1, recl: false, base: 11300, perUser: 10 },
  { name: 'kmalloc-16', size: 16, perSlab: 256, pages: 1, recl: false, base: 9700 },
  { name: 'kmalloc-8', size: 8, perSlab: 512, pages: 1, recl: false, base: 7600 },
  { name: 'kmem_cache_node', size: 64, perSlab: 64, pages: 1, recl: false, base: 192 },
  { name: 'kmem_cache', size: 256, perSlab: 16, pages: 1, recl: false, base: 176 },
];

/** A fill ratio in per mille for every cache: partly used slabs, seeded once per boot. */
export function seedFill(pick: (lo: number, hi: number) => number): Record<string, number> {
  const fill: Record<string, number> = {};
  for (const s of SPECS) {
    if (s.from) fill[s.name] = pick(990, 999);
    else if (s.recl) fill[s.name] = pick(900, 990);
    else fill[s.name] = pick(780, 980);
  }
  return fill;
}

function activeObjs(s: Spec, inp: SlabInputs): number {
  if (s.from === 'anonVma') return inp.anonVma;
  if (s.from === 'avc') return inp.avc;
  if (s.recl && s.weight) return Math.floor((s.weight * inp.reclKb * 1024) / s.size);
  return Math.round(s.base + (s.perTask ?? 0) * inp.threads + (s.perUser ?? 0) * inp.user + (s.perVma ?? 0) * inp.vmas);
}

function numSlabs(s: Spec, active: number, fill: Record<string, number>): number {
  if (active <= 0) return 0;
  const f = fill[s.name] ?? 1000;
  return Math.ceil((active * 1000) / f / s.perSlab);
}

const reclMemo = new WeakMap<Record<string, number>, Map<number, number>>();

/** kB the reclaimable caches hold when asked to hold `reclKb` (rounded up to whole slabs). */
export function reclSlabKb(reclKb: number, fill: Record<string, number>): number {
  let memo = reclMemo.get(fill);
  if (!memo) {
    memo = new Map();
    reclMemo.set(fill, memo);
  }
  const hit = memo.get(reclKb);
  if (hit !== undefined) return hit;
  const kb = reclSlabKbUncached(reclKb, fill);
  if (memo.size > 4096) memo.clear();
  memo.set(reclKb, kb);
  return kb;
}

function reclSlabKbUncached(reclKb: number, fill: Record<string, number>): number {
  let total = 0;
  for (const s of SPECS) {
    if (!s.recl) continue;
    total += numSlabs(s, activeObjs(s, { tasks: 0, user: 0, threads: 0, vmas: 0, anonVma: 0, avc: 0, reclKb }), fill) * s.pages * 4;
  }
  return total;
}

const baseMemo = new WeakMap<Record<string, number>, Map<number, number>>();
const ANON_VMA = SPECS.find((s) => s.from === 'anonVma')!;
const AVC = SPECS.find((s) => s.from === 'avc')!;

/** every unreclaimable cache but the two the anon_vma tree fills, which change on every fork */
function baseUnreclKb(inp: SlabInputs, fill: Record<string, number>): number {
  let memo = baseMemo.get(fill);
  if (!memo) {
    memo = new Map();
    baseMemo.set(fill, memo);
  }
  const key = (inp.threads * 4096 + inp.user) * 1_048_576 + inp.vmas;
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  let total = 0;
  for (const s of SPECS) {
    if (s.recl || s.from) continue;
    total += numSlabs(s, activeObjs(s, inp), fill) * s.pages * 4;
  }
  if (memo.size > 4096) memo.clear();
  memo.set(key, total);
  return total;
}

export function unreclSlabKb(inp: SlabInputs, fill: Record<string, number>): number {
  return (
    baseUnreclKb(inp, fill) +
    numSlabs(ANON_VMA, inp.anonVma, fill) * ANON_VMA.pages * 4 +
    numSlabs(AVC, inp.avc, fill) * AVC.pages * 4
  );
}

/** /proc/slabinfo's lines, in the kernel's list order (newest cache first). */
export function slabViews(inp: SlabInputs, fill: Record<string, number>): SlabCacheView[] {
  return SPECS.map((s) => {
    const active = activeObjs(s, inp);
    const slabs = numSlabs(s, active, fill);
    return {
      name: s.name,
      activeObjs: active,
      numObjs: slabs * s.perSlab,
      objSize: s.size,
      objPerSlab: s.perSlab,
      pagesPerSlab: s.pages,
      activeSlabs: slabs,
      numSlabs: slabs,
      reclaimable: s.recl,
    };
  });
}
