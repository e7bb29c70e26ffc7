/**
 * A small filesystem on a block device, shown to the player as ext4. Files are extents of device
 * blocks; the superblock and the inode table (directories included) are stored in the device's
 * own first blocks, so whatever holds the device's blocks (a snapshot restored to a new volume)
 * holds the same files.
 *
 * Simplifications nobody sees from the shell: the superblock carries ext4's magic, block count,
 * UUID and label where ext4 has them, but the inode table and directories are one JSON record in
 * the blocks after it (ext4 keeps inode tables and directory blocks in block groups); files have no
 * holes (writing past a file's blocks allocates every block up to the write); new blocks read as
 * zeros (as ext4's unwritten extents do).
 *
 * Metadata changes (create, grow, rename, unlink, symlink, mkdir) are written to the device at
 * once, bypassing the page cache and the device queue: this stands for ext4's journal, which
 * makes them durable and consistent on their own. An mtime change waits for the next fsync, sync,
 * write-back or umount. File data always goes through the page cache (cache.ts).
 *
 * Paths are relative to the filesystem's root: 'db/events.0'; '' or '/' is the root.
 */
import type { KernelState } from '../types';
import { cacheWrite, dropInode, syncDevice } from './cache';
import { deviceOf } from './devices';
import { allocate, commit, imageOf, LOST_FOUND_INO, metaBlocksFor, readImage, ROOT_INO, storeOf, usedBlocks, utf8, uuidFor, writeImage } from './meta';
import { blockOf, blockStateOf } from './subsystem';
import { BLOCK_BYTES, type Backing, type BlockStore, type FsImage, type FsInode, type MountEntry } from './types';

export { bmap, flushMeta, growFile, readImage, ROOT_INO, sizeOf, stat } from './meta';

export type FsError = 'ENOENT' | 'EEXIST' | 'ENOTDIR' | 'EISDIR' | 'ENOTEMPTY' | 'ENOSPC' | 'EINVAL' | 'ELOOP';
export type FsResult<T> = { ok: true; value: T } | { ok: false; errno: FsError };

const ok = <T>(value: T): FsResult<T> => ({ ok: true, value });
const fail = <T>(errno: FsError): FsResult<T> => ({ ok: false, errno });

/** mke2fs's default inode_ratio: one inode per 16 KiB */
const INODE_RATIO = 16_384;

export function mkfs(store: BlockStore, label: string, t = 0, opts: { uuid?: string } = {}): void {
  const blockCount = Math.floor(store.sizeBytes / BLOCK_BYTES);
  const metaBlocks = metaBlocksFor(blockCount);
  if (blockCount <= metaBlocks + 16) throw new RangeError('device too small for a filesystem');
  store.blocks = {};
  const dir = (ino: number, perm: number, entries: Record<string, number>): FsInode => ({ ino, kind: 'd', perm, uid: 0, gid: 0, size: BLOCK_BYTES, mtime: t, ctime: t, extents: [], entries, nlink: 2, });
  const img: FsImage = {
    label: label.slice(0, 16),
    uuid: opts.uuid ?? uuidFor(label, store.sizeBytes, t),
    blockCount,
    metaBlocks,
    inodeCount: Math.floor((blockCount * BLOCK_BYTES) / INODE_RATIO),
    nextIno: LOST_FOUND_INO + 1,
    inodes: {
      [ROOT_INO]: dir(ROOT_INO, 0o755, { 'lost+found': LOST_FOUND_INO }),
      [LOST_FOUND_INO]: { ...dir(LOST_FOUND_INO, 0o700, {}), size: 16_384 },
    },
    createdAt: t,
  };
  img.inodes[ROOT_INO].nlink = 3;
  writeImage(store, img);
}

export function mount(
  k: KernelState,
  dev: string,
  dir: string,
  options: string[],
  t: number,
  backing: Backing,
): { ok: true; entry: MountEntry } | { ok: false; errno: 'ENODEV' | 'EINVAL' | 'EBUSY' } {
  const b = blockOf(k);
  const d = deviceOf(k, dev);
  if (!d) return { ok: false, errno: 'ENODEV' };
  if (b.mounts.some((m) => m.dev === d.name || m.dir === dir)) return { ok: false, errno: 'EBUSY' };
  const img = readImage(backing(d.backingId));
  if (!img) return { ok: false, errno: 'EINVAL' };
  b.fs[d.name] = img;
  const entry: MountEntry = { dev: d.name, dir, fstype: 'ext4', options: [...options], mountedAt: t };
  b.mounts.push(entry);
  return { ok: true, entry };
}

export function umount(k: KernelState, target: string, t: number, backing: Backing): { ok: true; doneAt: number } | { ok: false; errno: 'EINVAL' } {
  const b = blockOf(k);
  const dev = target.startsWith('/dev/') ? target.slice(5) : null;
  const i = b.mounts.findIndex((m) => m.dir === target || m.dev === dev);
  if (i < 0) return { ok: false, errno: 'EINVAL' };
  const m = b.mounts[i];
  const doneAt = syncDevice(k, m.dev, t, backing);
  b.mounts.splice(i, 1);
  delete b.fs[m.dev];
  return { ok: true, doneAt };
}

export function mountTable(k: KernelState): MountEntry[] {
  return blockStateOf(k)?.mounts ?? [];
}

function parts(path: string): string[] {
  return path.split('/').filter((p) => p !== '' && p !== '.');
}

/**
 * Walks a path from the root, following no symlink: the inode it names, or the symlink met on the
 * way with what remains of the path after it (the caller resolves it: it may leave the filesystem).
 */
export function walk(k: KernelState, dev: string, path: string): { kind: 'found'; inode: FsInode } | { kind: 'link'; inode: FsInode; rest: string[]; at: string[] } | { kind: 'missing'; errno: 'ENOENT' | 'ENOTDIR' } {
  const img = imageOf(k, dev);
  if (!img) return { kind: 'missing', errno: 'ENOENT' };
  let cur = img.inodes[ROOT_INO];
  const ps = parts(path);
  for (let i = 0; i < ps.length; i++) {
    if (cur.kind === 'l') return { kind: 'link', inode: cur, rest: ps.slice(i), at: ps.slice(0, i) };
    if (cur.kind !== 'd') return { kind: 'missing', errno: 'ENOTDIR' };
    const next = cur.entries?.[ps[i]];
    if (next === undefined) return { kind: 'missing', errno: 'ENOENT' };
    cur = img.inodes[String(next)];
  }
  return { kind: 'found', inode: cur };
}

export function lookup(k: KernelState, dev: string, path: string): FsInode | undefined {
  const r = walk(k, dev, path);
  return r.kind === 'found' ? r.inode : undefined;
}



export function list(k: KernelState, dev: string, path: string): FsResult<Array<{ name: string; inode: FsInode }>> {
  const img = imageOf(k, dev);
  const r = walk(k, dev, path);
  if (!img || r.kind === 'missing') return fail(r.kind === 'missing' ? r.errno : 'ENOENT');
  if (r.kind === 'link' || r.inode.kind !== 'd') return fail('ENOTDIR');
  return ok(
    Object.keys(r.inode.entries ?? {})
      .sort()
      .map((name) => ({ name, inode: img.inodes[String(r.inode.entries![name])] })),
  );
}

/** the parent directory of path and the new entry's name */
function parentOf(k: KernelState, dev: string, path: string): FsResult<{ dir: FsInode; name: string }> {
  const ps = parts(path);
  if (ps.length === 0) return fail('EEXIST');
  const r = walk(k, dev, ps.slice(0, -1).join('/'));
  if (r.kind === 'missing') return fail(r.errno);
  if (r.kind === 'link' || r.inode.kind !== 'd') return fail('ENOTDIR');
  return ok({ dir: r.inode, name: ps[ps.length - 1] });
}






function newInode(img: FsImage, kind: FsInode['kind'], perm: number, uid: number, gid: number, t: number): FsInode {
  const ino = img.nextIno++;
  const inode: FsInode = { ino, kind, perm, uid, gid, size: 0, mtime: t, ctime: t, extents: [], nlink: kind === 'd' ? 2 : 1 };
  img.inodes[String(ino)] = inode;
  return inode;
}

function link(dir: FsInode, name: string, inode: FsInode, t: number): void {
  dir.entries = { ...dir.entries, [name]: inode.ino };
  dir.mtime = t;
  dir.ctime = t;
  if (inode.kind === 'd') dir.nlink++;
}

function roomForInode(img: FsImage): boolean {
  return Object.keys(img.inodes).length < img.inodeCount;
}

/** where a new name can go: the image, the parent directory and the name, or why it cannot (in mknod's order of checks) */
function newName(k: KernelState, dev: string, path: string, invalid = false): FsResult<{ img: FsImage; dir: FsInode; name: string }> {
  const img = imageOf(k, dev);
  if (!img) return fail('ENOENT');
  const p = parentOf(k, dev, path);
  if (!p.ok) return p;
  if (p.value.dir.entries?.[p.value.name] !== undefined) return fail('EEXIST');
  if (invalid) return fail('EINVAL');
  if (!roomForInode(img)) return fail('ENOSPC');
  return ok({ img, ...p.value });
}

export function create(
  k: KernelState,
  dev: string,
  path: string,
  size: number,
  opts: { prealloc?: boolean; perm?: number; uid?: number; gid?: number },
  t: number,
  backing: Backing,
): FsResult<FsInode> {
  const n = newName(k, dev, path, size < 0);
  if (!n.ok) return n;
  const { img } = n.value;
  const inode = newInode(img, 'f', opts.perm ?? 0o644, opts.uid ?? 0, opts.gid ?? 0, t);
  inode.size = size;
  if (opts.prealloc && !allocate(img, inode, Math.ceil(size / BLOCK_BYTES), storeOf(k, dev, backing))) {
    delete img.inodes[String(inode.ino)];
    img.nextIno--;
    return fail('ENOSPC');
  }
  link(n.value.dir, n.value.name, inode, t);
  commit(k, dev, backing);
  return ok(inode);
}

export function mkdir(k: KernelState, dev: string, path: string, opts: { perm?: number; uid?: number; gid?: number }, t: number, backing: Backing): FsResult<FsInode> {
  const n = newName(k, dev, path);
  if (!n.ok) return n;
  const { img } = n.value;
  const inode = newInode(img, 'd', opts.perm ?? 0o755, opts.uid ?? 0, opts.gid ?? 0, t);
  inode.size = BLOCK_BYTES;
  inode.entries = {};
  link(n.value.dir, n.value.name, inode, t);
  commit(k, dev, backing);
  return ok(inode);
}

export function symlink(k: KernelState, dev: string, path: string, target: string, t: number, backing: Backing, owner: { uid?: number; gid?: number } = {}): FsResult<FsInode> {
  const n = newName(k, dev, path);
  if (!n.ok) return n;
  const { img } = n.value;
  const inode = newInode(img, 'l', 0o777, owner.uid ?? 0, owner.gid ?? 0, t);
  inode.target = target;
  inode.size = utf8(target).length;
  link(n.value.dir, n.value.name, inode, t);
  commit(k, dev, backing);
  return ok(inode);
}

/** chown(2) of an inode (a symlink's own, for lchown): a metadata change, so its ctime moves */
export function chown(k: KernelState, dev: string, ino: number, uid: number, gid: number, t: number, backing: Backing): FsResult<null> {
  const img = imageOf(k, dev);
  const inode = img?.inodes[String(ino)];
  if (!img || !inode) return fail('ENOENT');
  inode.uid = uid;
  inode.gid = gid;
  inode.ctime = t;
  commit(k, dev, backing);
  return ok(null);
}

/** the inode loses a name; with none left its blocks are free and its cached pages dropped unwritten */
function release(k: KernelState, img: FsImage, dev: string, inode: FsInode): void {
  inode.nlink--;
  if (inode.nlink > 0) return;
  dropInode(k, dev, inode.ino);
  delete img.inodes[String(inode.ino)];
}

/** the entry a path names: its filesystem, its directory and name there, and its inode */
function entryAt(k: KernelState, dev: string, path: string): FsResult<{ img: FsImage; dir: FsInode; name: string; inode: FsInode }> {
  const img = imageOf(k, dev);
  if (!img) return fail('ENOENT');
  const p = parentOf(k, dev, path);
  if (!p.ok) return p;
  const ino = p.value.dir.entries?.[p.value.name];
  if (ino === undefined) return fail('ENOENT');
  return ok({ img, dir: p.value.dir, name: p.value.name, inode: img.inodes[String(ino)]! });
}

/** the entry taken out of its directory, which changes then */
function removeEntry(dir: FsInode, name: string, t: number): void {
  const { [name]: _gone, ...rest } = dir.entries!;
  dir.entries = rest;
  dir.mtime = t;
}

export function unlink(k: KernelState, dev: string, path: string, t: number, backing: Backing): FsResult<null> {
  const e = entryAt(k, dev, path);
  if (!e.ok) return e;
  const { img, dir, name, inode } = e.value;
  if (inode.kind === 'd') return fail('EISDIR');
  removeEntry(dir, name, t);
  release(k, img, dev, inode);
  commit(k, dev, backing);
  return ok(null);
}

/** rmdir(2) of an empty directory (the root is EBUSY to the caller: it is a mount point) */
export function rmdir(k: KernelState, dev: string, path: string, t: number, backing: Backing): FsResult<null> {
  const e = entryAt(k, dev, path);
  if (!e.ok) return e;
  const { img, dir, name, inode } = e.value;
  if (inode.kind !== 'd') return fail('ENOTDIR');
  if (Object.keys(inode.entries ?? {}).length > 0) return fail('ENOTEMPTY');
  removeEntry(dir, name, t);
  dir.ctime = t;
  dir.nlink--;
  dropInode(k, dev, inode.ino);
  delete img.inodes[String(inode.ino)];
  commit(k, dev, backing);
  return ok(null);
}

/** rename(2) of a file or symlink (directories are not moved here); an existing target file is replaced */
export function rename(k: KernelState, dev: string, from: string, to: string, t: number, backing: Backing): FsResult<null> {
  const e = entryAt(k, dev, from);
  if (!e.ok) return e;
  const { img, dir, name, inode: moving } = e.value;
  if (moving.kind === 'd') return fail('EINVAL');
  const b = parentOf(k, dev, to);
  if (!b.ok) return b;
  const old = b.value.dir.entries?.[b.value.name];
  if (old === moving.ino) return ok(null);
  if (old !== undefined) {
    const target = img.inodes[String(old)];
    if (target.kind === 'd') return fail('EISDIR');
    release(k, img, dev, target);
  }
  removeEntry(dir, name, t);
  b.value.dir.entries = { ...b.value.dir.entries, [b.value.name]: moving.ino };
  b.value.dir.mtime = t;
  moving.ctime = t;
  commit(k, dev, backing);
  return ok(null);
}

/**
 * truncate(2): a shorter file loses the blocks past its new end (their cached pages dropped
 * unwritten) and the rest of its last page reads as zeros, as ext4 zeroes it; a longer one reads
 * zeros up to its new end.
 */
export function truncate(k: KernelState, dev: string, ino: number, size: number, t: number, backing: Backing): FsResult<null> {
  const img = imageOf(k, dev);
  const inode = img?.inodes[String(ino)];
  if (!img || !inode) return fail('ENOENT');
  if (inode.kind === 'd') return fail('EISDIR');
  if (size < 0) return fail('EINVAL');
  if (size < inode.size) {
    const pageEnd = Math.ceil(size / BLOCK_BYTES) * BLOCK_BYTES;
    const tail = Math.min(pageEnd, inode.size) - size;
    if (tail > 0) cacheWrite(k, dev, ino, size, new Uint8Array(tail), t, backing);
    const keep = pageEnd / BLOCK_BYTES;
    dropInode(k, dev, ino, keep);
    let left = keep;
    const kept: Array<[number, number]> = [];
    for (const [start, n] of inode.extents) {
      if (left <= 0) break;
      kept.push([start, Math.min(n, left)]);
      left -= n;
    }
    inode.extents = kept;
  }
  inode.size = size;
  inode.mtime = t;
  inode.ctime = t;
  commit(k, dev, backing);
  return ok(null);
}

export function usage(k: KernelState, dev: string): { blocks: number; free: number; inodes: number; inodesUsed: number } | undefined {
  const img = imageOf(k, dev);
  if (!img) return undefined;
  return { blocks: img.blockCount, free: img.blockCount - usedBlocks(img), inodes: img.inodeCount, inodesUsed: Object.keys(img.inodes).length };
}

/** the filesystem's label and UUID (blkid, lsblk -f) */
export function identity(k: KernelState, dev: string): { label: string; uuid: string } | undefined {
  const img = imageOf(k, dev);
  return img ? { label: img.label, uuid: img.uuid } : undefined;
}
