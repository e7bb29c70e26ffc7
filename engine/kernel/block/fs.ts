/**
 * A small filesystem on a block device, shown to the player as ext4. Files are extents of device
 * blocks; the superblock and the inode table (directories included) are stored in the device's
 * own first blocks, so whatever holds the device's blocks (a snapshot restored to a new volume)
 * holds the same files. Paths are relative to the filesystem's root ('db/events.0', '/' is root).
 */
import type { KernelState } from '../types';
import type { Backing, BlockStore, FsImage, FsInode, MountEntry } from './types';

const later = (): never => {
  throw new Error('engine/kernel/block/fs: not built yet');
};

export type FsError = 'ENOENT' | 'EEXIST' | 'ENOTDIR' | 'EISDIR' | 'ENOTEMPTY' | 'ENOSPC' | 'EINVAL';
export type FsResult<T> = { ok: true; value: T } | { ok: false; errno: FsError };

/** makes an empty filesystem on the store (root directory and lost+found), as mkfs.ext4 would */
export function mkfs(store: BlockStore, label: string, t = 0): void {
  return later();
}

/** the filesystem's metadata read from the store alone; null when the store holds none */
export function readImage(store: BlockStore): FsImage | null {
  return later();
}

/**
 * mount(2): the device's filesystem at dir. Errors as the kernel returns them: ENODEV no such
 * device, EINVAL no filesystem on it, EBUSY already mounted.
 */
export function mount(
  k: KernelState,
  dev: string,
  dir: string,
  options: string[],
  t: number,
  backing: Backing,
): { ok: true; entry: MountEntry } | { ok: false; errno: 'ENODEV' | 'EINVAL' | 'EBUSY' } {
  return later();
}

/** umount(2) by mount point or device; the caller checks for open files first (EBUSY). Syncs the device's dirty pages. */
export function umount(k: KernelState, target: string, t: number, backing: Backing): { ok: true; doneAt: number } | { ok: false; errno: 'EINVAL' } {
  return later();
}

/** creates a regular file (its parent must exist); prealloc allocates its blocks up front (fallocate) */
export function create(
  k: KernelState,
  dev: string,
  path: string,
  size: number,
  opts: { prealloc?: boolean; perm?: number; uid?: number; gid?: number },
  t: number,
  backing: Backing,
): FsResult<FsInode> {
  return later();
}

export function mkdir(k: KernelState, dev: string, path: string, opts: { perm?: number; uid?: number; gid?: number }, t: number, backing: Backing): FsResult<FsInode> {
  return later();
}

/** the inode at path, symlinks not followed (lstat) */
export function lookup(k: KernelState, dev: string, path: string): FsInode | undefined {
  return later();
}

/** the inode by number */
export function stat(k: KernelState, dev: string, ino: number): FsInode | undefined {
  return later();
}

/** a directory's entries, sorted by name */
export function list(k: KernelState, dev: string, path: string): FsResult<Array<{ name: string; inode: FsInode }>> {
  return later();
}

export function unlink(k: KernelState, dev: string, path: string, t: number, backing: Backing): FsResult<null> {
  return later();
}

export function rename(k: KernelState, dev: string, from: string, to: string, t: number, backing: Backing): FsResult<null> {
  return later();
}

/** a symlink at path pointing to target (stored as given: '/journal') */
export function symlink(k: KernelState, dev: string, path: string, target: string, t: number, backing: Backing): FsResult<FsInode> {
  return later();
}

/** the device block holding page `index` of the file; -1 for a hole or past its extents */
export function bmap(k: KernelState, dev: string, ino: number, index: number): number {
  return later();
}

/** space for df: blocks in all, free, and inodes in use */
export function usage(k: KernelState, dev: string): { blocks: number; free: number; inodes: number; inodesUsed: number } | undefined {
  return later();
}
