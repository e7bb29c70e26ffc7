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
 * - fsyncFile / syncAll submit and return the virtual ms at which the device has completed them;
 *   the store changes when something brings the block layer to that time (runWriteback, or any
 *   call taking t, completes what is due first).
 * - fs: a small filesystem whose metadata lives in the device's own blocks (fs.ts).
 *
 * API (all exported here):
 *   BLOCK_SUBSYSTEM, blockStateOf(k), blockOf(k)
 *   attachDevice(k, {name, backingId, sizeBytes, timing?}, t), detachDevice(k, name, t), deviceOf(k, name)
 *   cacheWrite(k, dev, ino, offset, bytes, t, backing): number (when the write returns)
 *   cacheRead(k, dev, ino, offset, len, backing): Uint8Array
 *   fsyncFile(k, dev, ino, t, backing): number, syncDevice(k, dev, t, backing): number, syncAll(k, t, backing): number
 *   nextWritebackAt(k), runWriteback(k, t, backing), completeIo(k, t, backing)
 *   pageCounts(k), diskStatsAt(k, dev, t), readDevice(k, dev, offset, len, backing)
 *   readBlock(store, n), writeBlock(store, n, bytes), emptyStore(sizeBytes)
 *   fs.mkfs(store, label, t), fs.mount, fs.umount, fs.create, fs.mkdir, fs.lookup, fs.walk, fs.stat,
 *   fs.list, fs.unlink, fs.rename, fs.symlink, fs.truncate, fs.bmap, fs.usage, fs.identity, fs.readImage;
 *   mountTable(k)
 *
 * On the machine (engine/machine/blockfs.ts): registerBacking, machineBacking(w), BLOCK_TIMER_SOURCE,
 * path helpers (resolveBlockPath, blockCreate, blockWrite, blockFsync, blockSync, ...), registerBusyCheck,
 * blockShutdown and mountFstab.
 */
export * from './types';
export { BLOCK_SUBSYSTEM, BLOCK_SUBSYSTEM_NAME, BLOCK_KNOBS, DEFAULT_BLOCK_SYSCTL, blockOf, blockStateOf } from './subsystem';
export { attachDevice, detachDevice, deviceOf, devName, EBS_STANDARD_TIMING, ebsGp2Timing, XVD_MAJOR } from './devices';
export { readBlock, writeBlock, readStore, emptyStore } from './store';
export { toBase64, fromBase64 } from './bytes';
export { forEachPiece } from './pieces';
export {
  cacheRead,
  cacheWrite,
  completeIo,
  diskStatsAt,
  dirtyThresholds,
  fsyncFile,
  nextWritebackAt,
  pageCounts,
  readDevice,
  runWriteback,
  syncAll,
  syncDevice,
  MAX_REQUEST_PAGES,
  WRITEBACK_CHUNK_PAGES,
} from './cache';
export { mountTable, mkfs, mount, umount } from './fs';
export * as fs from './fs';
