/**
 * The kernel's block devices and page cache (linux 3.13's behaviour, simplified where nobody can
 * see the difference), pure and deterministic. State: BlockState in KernelState.subsys.block
 * (BLOCK_SUBSYSTEM boots it). Device contents: a BlockStore behind each device, reached through
 * the `Backing` the caller passes.
 *
 * - write() only dirties pages (cacheWrite); the flusher (nextWritebackAt / runWriteback) writes
 *   back inodes dirty longer than vm.dirty_expire_centisecs every vm.dirty_writeback_centisecs,
 *   oldest inode first, each inode's pages by page index: the kernel's order, not the program's.
 * - a submitted page reaches the store only when the device completes its request (latency plus
 *   transfer time); until then meminfo counts it under Writeback.
 * - fsyncFile / syncAll submit and return the virtual ms at which the device has completed them.
 */
import type { KernelState } from '../types';
import type { Backing, BlockDevice, BlockStore, DeviceTiming, DiskStats, MountEntry } from './types';

export * from './types';

const later = (): never => {
  throw new Error('engine/kernel/block: not built yet');
};

/** the block layer inside a kernel's state; undefined when the kernel was built without it */
export function blockStateOf(k: KernelState): import('./types').BlockState | undefined {
  return k.subsys?.block as unknown as import('./types').BlockState | undefined;
}

/**
 * A new disk appears (a Xen blkfront device, major 202): its contents are what `backing` resolves
 * backingId to. Minor numbers follow blkfront's (xvda 0, xvdb 16, ..., xvdf 80). timing defaults
 * to an EBS volume of 2015.
 */
export function attachDevice(
  k: KernelState,
  spec: { name: string; backingId: string; sizeBytes: number; timing?: Partial<DeviceTiming> },
  t: number,
): BlockDevice {
  return later();
}

/** The disk goes away; refused while it is mounted or has writes in flight. */
export function detachDevice(k: KernelState, name: string, t: number): { ok: true } | { ok: false; reason: 'busy' | 'nodev' } {
  return later();
}

/** a device by its guest name ('xvdf', or '/dev/xvdf') */
export function deviceOf(k: KernelState, name: string): BlockDevice | undefined {
  return later();
}

/** one device block as the device holds it now (never the page cache) */
export function readBlock(store: BlockStore, n: number): Uint8Array {
  return later();
}

/** bytes of the raw device as it holds them now (never the page cache): what a snapshot or dd of the device sees */
export function readDevice(k: KernelState, dev: string, offset: number, len: number, backing: Backing): Uint8Array {
  return later();
}

/**
 * write(2) into a file's pages at `offset`: the pages become dirty (a partial page is read in
 * first); past the end of a file of a mounted filesystem, the file grows (its metadata written
 * through). ino 0 is the raw device. Returns the virtual ms at which the write returns: t, or
 * later when the writer is throttled past vm.dirty_ratio.
 */
export function cacheWrite(k: KernelState, dev: string, ino: number, offset: number, bytes: Uint8Array, t: number, backing: Backing): number {
  return later();
}

/** read(2): each page from the cache when it holds it, else from the device */
export function cacheRead(k: KernelState, dev: string, ino: number, offset: number, len: number, backing: Backing): Uint8Array {
  return later();
}

/**
 * fsync(2): submits the file's dirty pages (by page index) and returns the virtual ms at which the
 * device has completed them and every write of the file already in flight. Later writes dirty the
 * pages again: nothing here stops them.
 */
export function fsyncFile(k: KernelState, dev: string, ino: number, t: number, backing: Backing): number {
  return later();
}

/** sync(2): submits every dirty page of every device and returns the virtual ms at which all are complete */
export function syncAll(k: KernelState, t: number, backing: Backing): number {
  return later();
}

/** when the block layer next has something to do: a request completing or the flusher waking; Infinity when idle */
export function nextWritebackAt(k: KernelState): number {
  return later();
}

/**
 * Brings the block layer to t: completes the requests due by t (their pages reach the store), and
 * if the flusher is due, writes back what has expired (or, past the background threshold, the
 * oldest inodes until under it).
 */
export function runWriteback(k: KernelState, t: number, backing: Backing): void {
  return later();
}

/** pages dirty and pages under write-back, for /proc/meminfo's Dirty and Writeback and /proc/vmstat */
export function pageCounts(k: KernelState): { dirty: number; writeback: number } {
  return later();
}

/** the device's /proc/diskstats counters as of t (time counters include requests still in flight) */
export function diskStatsAt(k: KernelState, dev: string, t: number): DiskStats {
  return later();
}

/** the mount table, in mount order */
export function mountTable(k: KernelState): MountEntry[] {
  return later();
}
