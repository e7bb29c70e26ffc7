/**
 * The state of the simulated block layer and page cache: plain JSON (no Maps, classes or
 * functions), so it lives in KernelState.subsys.block and survives a save. Times are virtual ms.
 *
 * A device's contents are not kernel state: they live behind the device (an EBS volume, a disk
 * image) and the kernel reaches them through a `Backing` the machine supplies, so a snapshot of a
 * volume sees exactly what the device has completed, never the page cache.
 */
import type { DiskStats as DiskStatsView } from '../../formats/storage';

/** the page and block size: every cached page and every device block is this many bytes */
export const BLOCK_BYTES = 4096;
/** the unit /proc/diskstats counts in */
export const SECTOR_BYTES = 512;

/** a device's contents: blocks ever written, by number, base64; an absent block reads as zeros */
export interface BlockStore {
  sizeBytes: number;
  blocks: Record<string, string>;
}

/** how the kernel reaches the contents behind a device (the machine maps a device to its EBS volume's store) */
export type Backing = (backingId: string) => BlockStore;

/** the per-device counters of /proc/diskstats, as the kernel keeps them */
export interface DiskStats extends DiskStatsView {
  /** virtual ms at which msIo and msWeighted were last brought up to date (part_round_stats' stamp) */
  stamp: number;
}

/** how fast the device completes requests (an EBS volume of 2015: see devices.ts for the figures) */
export interface DeviceTiming {
  /** ms from the moment a request reaches the device to its completion, beyond its transfer */
  latencyMs: number;
  /** sustained transfer rate in bytes per ms */
  bytesPerMs: number;
  /** requests per second the device sustains (its IOPS) */
  iops: number;
}

export interface BlockDevice {
  /** the guest's name, e.g. 'xvdf' */
  name: string;
  major: number;
  minor: number;
  /** what the machine's Backing resolves to this device's contents */
  backingId: string;
  sizeBytes: number;
  stats: DiskStats;
  timing: DeviceTiming;
  /** virtual ms at which the device has finished transferring everything submitted so far */
  busyUntil: number;
  attachedAt: number;
}

/** one cached page of a file (or of the raw device, inode 0) that is dirty or under write-back */
export interface CachedPage {
  /** the page's contents, base64 of BLOCK_BYTES bytes; '' for a page of zeros */
  data: string;
  /** written since it was last submitted */
  dirty: boolean;
  /** submitted to the device and not complete (PG_writeback) */
  writeback: boolean;
  /** how many requests in flight carry it (a sync may submit a page again while an earlier write of it is in flight) */
  inflight?: number;
}

/** a file with pages in the cache: the kernel's address_space and the inode's place on the dirty list */
export interface CachedInode {
  dev: string;
  ino: number;
  /** when the inode went from clean to dirty (dirtied_when); -1 while it has no dirty page */
  dirtiedWhen: number;
  /** its dirty or writeback pages by page index; clean pages are dropped (a read goes to the device) */
  pages: Record<string, CachedPage>;
  /** where the next cyclic write-back of it starts (mapping->writeback_index) */
  wbIndex?: number;
}

/** a write request in flight: contiguous device blocks, their data, when the device completes it */
export interface IoRequest {
  dev: string;
  /** first device block */
  block: number;
  /** the pages' contents in block order, base64 ('' for zeros) */
  data: string[];
  /** which cached pages it carries, [ino, page index], in block order */
  pages: Array<[number, number]>;
  submittedAt: number;
  /** when the device takes it and reads its pages (absent in saves from before it was kept: doneAt) */
  startAt?: number;
  doneAt: number;
  /** how many 4 KiB bios the elevator merged into it beyond the first */
  merged: number;
}

/** an entry of the mount table */
export interface MountEntry {
  /** the device's guest name ('xvdf'): /dev/xvdf */
  dev: string;
  dir: string;
  fstype: string;
  /** as given and defaulted, e.g. ['rw', 'noatime'] */
  options: string[];
  mountedAt: number;
}

/** vm.dirty_* (mm/page-writeback.c defaults) */
export interface BlockSysctl {
  dirtyExpireCentisecs: number;
  dirtyWritebackCentisecs: number;
  dirtyBackgroundRatio: number;
  dirtyRatio: number;
  dirtyBackgroundBytes: number;
  dirtyBytes: number;
}

/** an inode of the on-device filesystem (fs.ts), as stored on the device and held in core while mounted */
export interface FsInode {
  ino: number;
  /** 'f' regular file, 'd' directory, 'l' symlink */
  kind: 'f' | 'd' | 'l';
  /** permission bits, e.g. 0o644 */
  perm: number;
  uid: number;
  gid: number;
  size: number;
  /** virtual ms */
  mtime: number;
  ctime: number;
  /** [first device block, block count] pairs, in file order */
  extents: Array<[number, number]>;
  /** a directory's entries: name to inode number */
  entries?: Record<string, number>;
  /** a symlink's target */
  target?: string;
  nlink: number;
}

/** a mounted filesystem's metadata in core (read from the device at mount, written through on every change) */
export interface FsImage {
  label: string;
  uuid: string;
  blockCount: number;
  /** blocks the metadata occupies at the start of the device (superblock, inode table) */
  metaBlocks: number;
  /** the most inodes the table holds (df -i) */
  inodeCount: number;
  nextIno: number;
  inodes: Record<string, FsInode>;
  createdAt: number;
  /** in core only: an inode changed (an mtime) and is not yet written to the device */
  dirty?: boolean;
}

export interface BlockState {
  devices: BlockDevice[];
  /** inodes with dirty or writeback pages, in the order they were first dirtied (the b_dirty list) */
  inodes: CachedInode[];
  /** write requests submitted and not complete, in completion order (ties in submission order) */
  inflight: IoRequest[];
  mounts: MountEntry[];
  /** in-core metadata of each mounted device's filesystem, by device name */
  fs: Record<string, FsImage>;
  sysctl: BlockSysctl;
  /** when the flusher wakes next (the periodic kupdate-style write-back) */
  nextWakeAt: number;
  /** counters since boot for /proc/vmstat: pages dirtied and pages written back */
  nrDirtied: number;
  nrWritten: number;
  /** pages dirty now (NR_FILE_DIRTY) and under write-back now (NR_WRITEBACK); a page may be both */
  dirtyPages: number;
  writebackPages: number;
  /**
   * what the dirty thresholds are a ratio of (global_dirtyable_memory: free and file pages), as
   * the machine last measured it; the kernel's total pages until it does
   */
  dirtyablePages?: number;
}
