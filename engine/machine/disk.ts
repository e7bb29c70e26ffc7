/**
 * The box's filesystems as df shows them: the root volume, an 8 GB EBS disk (/dev/xvda1), and the
 * memory-backed ones every Ubuntu 14.04 EC2 instance mounts. What is used on them is derived, never
 * kept as a running total: the system's own files (a fixed amount, w.machine.diskSystemKb), the
 * swap files made with fallocate or dd, and every file the game stores, each rounded up to 4 KiB
 * blocks. Writes past the free space fail with ENOSPC; root may use the 5% ext4 keeps for it.
 */
import type { VfsDisk } from '../vfs/vfs';
import { normalizePath } from '../vfs/path';
import { StoreMeter, type StoreMeasure } from '../vfs/space';
import type { MachineWorld } from './world';
import { blockStateOf, fs as blockFs } from '../kernel/block';

export interface Filesystem {
  source: string;
  type: string;
  target: string;
  totalKb: number;
  usedKb: number;
  /** what a user other than root may still use */
  availKb: number;
  /** blocks reserved for root (ext4's reserved-blocks-percentage, 5) */
  reservedKb: number;
  inodes: { total: number; used: number; free: number };
}

/** trusty's /etc/mtab order: the root volume, then what mountall and upstart mount */
const MOUNTS: ReadonlyArray<{ source: string; type: string; target: string }> = [
  { source: '/dev/xvda1', type: 'ext4', target: '/' },
  { source: 'none', type: 'tmpfs', target: '/sys/fs/cgroup' },
  { source: 'udev', type: 'devtmpfs', target: '/dev' },
  { source: 'tmpfs', type: 'tmpfs', target: '/run' },
  { source: 'none', type: 'tmpfs', target: '/run/lock' },
  { source: 'none', type: 'tmpfs', target: '/run/shm' },
  { source: 'none', type: 'tmpfs', target: '/run/user' },
];

/** trusty's compatibility links into /run */
const LINKS: ReadonlyArray<[string, string]> = [
  ['/var/run', '/run'],
  ['/var/lock', '/run/lock'],
  ['/dev/shm', '/run/shm'],
];

/** what the system keeps in /run and /dev before anything the game stores (utmp, udev's database) */
const RUN_BASE_KB = 356;
const DEV_BASE_KB = 12;
/**
 * inodes mkfs gave the root volume: one per 16 KiB of the volume, which for the 8 GiB EBS volume
 * is 524288 where df counts 8123812 1K blocks (the rest is the journal and metadata); and what a
 * trusty server's own files use
 */
const ROOT_INODES_PER_KB = 524_288 / 8_123_812;
const SYSTEM_INODES = 76_503;
/** inodes the memory filesystems' own entries use, before anything the game stores */
const BASE_INODES: Record<string, number> = { '/sys/fs/cgroup': 11, '/dev': 408, '/run': 512, '/run/lock': 3, '/run/shm': 1, '/run/user': 2 };

/** The mount point whose filesystem holds path. */
export function mountOf(path: string): string {
  let p = normalizePath(path);
  for (const [link, to] of LINKS) if (p === link || p.startsWith(link + '/')) p = to + p.slice(link.length);
  let best = '/';
  for (const m of MOUNTS) {
    if ((p === m.target || p.startsWith(m.target + '/')) && m.target.length > best.length) best = m.target;
  }
  return best;
}

const down4 = (kb: number): number => Math.floor(kb / 4) * 4;

/** Every filesystem, in df's order, with the store measured as `stored` (measured now when absent). */
export function filesystems(w: MachineWorld, stored: StoreMeasure = new StoreMeter(mountOf).measure(w.files)): Filesystem[] {
  const ram = w.k.mem.totalKb > 0 ? w.k.mem.totalKb : w.p.memTotalKb;
  const swapKb: Record<string, number> = {};
  for (const d of w.k.mem.swaps) swapKb[mountOf(d.path)] = (swapKb[mountOf(d.path)] ?? 0) + d.sizeKb;
  // tmpfs gives half the RAM's pages as inodes
  const tmpfsInodes = Math.floor(ram / 8);
  const base = MOUNTS.map((m) => {
    const files = (stored.blocksKb[m.target] ?? 0) + (swapKb[m.target] ?? 0);
    // a swap file made by fallocate is also a stored (empty) file: its inode is already counted
    const nodes = stored.files[m.target] ?? 0;
    if (m.target === '/') {
      const total = w.machine.diskTotalKb;
      const reserved = down4(total * 0.05);
      const used = Math.min(total, w.machine.diskSystemKb + files);
      const inodes = Math.floor(total * ROOT_INODES_PER_KB);
      const iused = Math.min(inodes, SYSTEM_INODES + nodes);
      return { ...m, totalKb: total, usedKb: used, availKb: Math.max(0, total - used - reserved), reservedKb: reserved, inodes: { total: inodes, used: iused, free: inodes - iused } };
    }
    // tmpfs sizes are the kernel's defaults for a box with this much memory
    const total = m.target === '/sys/fs/cgroup' ? 4 : m.target === '/dev' ? down4(ram / 2) : m.target === '/run' ? down4(ram / 10) : m.target === '/run/lock' ? 5120 : m.target === '/run/shm' ? down4(ram / 2) : 102_400;
    const base = m.target === '/run' ? RUN_BASE_KB : m.target === '/dev' ? DEV_BASE_KB : 0;
    const used = Math.min(total, base + files);
    const iused = Math.min(tmpfsInodes, (BASE_INODES[m.target] ?? 0) + nodes);
    return { ...m, totalKb: total, usedKb: used, availKb: total - used, reservedKb: 0, inodes: { total: tmpfsInodes, used: iused, free: tmpfsInodes - iused } };
  });
  return blockStateOf(w.k) ? [...base, ...blockFilesystems(w)] : base;
}

/**
 * Filesystems mounted from the block layer's devices, in mount order, with what their own
 * metadata says: ext4's statfs leaves its metadata out of the size (df's Size), and keeps 5 % of
 * the blocks for root.
 */
function blockFilesystems(w: MachineWorld): Filesystem[] {
  const out: Filesystem[] = [];
  for (const m of blockStateOf(w.k)?.mounts ?? []) {
    const u = blockFs.usage(w.k, m.dev);
    const img = blockStateOf(w.k)?.fs[m.dev];
    if (!u || !img) continue;
    const reserved = Math.floor(u.blocks * 0.05);
    const totalKb = (u.blocks - img.metaBlocks) * 4;
    const usedKb = (u.blocks - img.metaBlocks - u.free) * 4;
    out.push({
      source: `/dev/${m.dev}`,
      type: m.fstype,
      target: m.dir,
      totalKb,
      usedKb,
      availKb: Math.max(0, u.free - reserved) * 4,
      reservedKb: reserved * 4,
      inodes: { total: u.inodes, used: u.inodesUsed, free: u.inodes - u.inodesUsed },
    });
  }
  return out;
}

/** The mount point whose filesystem holds path, the block layer's mounts included (mountOf knows only the box's own). */
export function mountOfIn(w: MachineWorld, path: string): string {
  const p = normalizePath(path);
  let best = mountOf(p);
  for (const m of blockStateOf(w.k)?.mounts ?? []) {
    if ((p === m.dir || p.startsWith(m.dir + '/')) && m.dir.length > best.length) best = m.dir;
  }
  return best;
}

/** 1K blocks the filesystem at `mount` still has for `user`. */
export function roomKb(fs: Filesystem, user: string): number {
  return user === 'root' ? Math.max(0, fs.totalKb - fs.usedKb) : fs.availKb;
}

/** The box's disks as the VFS asks about them before a write grows a stored file. */
export function vfsDisk(w: MachineWorld, meter: StoreMeter): VfsDisk {
  return {
    meter,
    mountOf,
    filesystemOf: (path) => (/^\/(proc|sys)(\/|$)/.test(path) ? `/${path.split('/')[1]}` : mountOfIn(w, path)),
    availableKb: (mount, user, stored) => {
      const fs = filesystems(w, stored).find((f) => f.target === mount);
      return fs ? roomKb(fs, user) : Infinity;
    },
  };
}
