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
import { readBlock, writeBlock, writeBlockData } from './store';
import { blockOf, blockStateOf } from './subsystem';
import { BLOCK_BYTES, type Backing, type BlockStore, type FsImage, type FsInode, type MountEntry } from './types';

export type FsError = 'ENOENT' | 'EEXIST' | 'ENOTDIR' | 'EISDIR' | 'ENOTEMPTY' | 'ENOSPC' | 'EINVAL';
export type FsResult<T> = { ok: true; value: T } | { ok: false; errno: FsError };

const ok = <T>(value: T): FsResult<T> => ({ ok: true, value });
const fail = <T>(errno: FsError): FsResult<T> => ({ ok: false, errno });

/** ext4's root directory inode and its first ordinary inode (lost+found) */
export const ROOT_INO = 2;
const LOST_FOUND_INO = 11;
/** mke2fs's default inode_ratio: one inode per 16 KiB */
const INODE_RATIO = 16_384;
const EXT4_SUPER_MAGIC = 0xef53;
/** where ext4's superblock starts in block 0, and where this filesystem's own header follows it */
const SB = 1024;
const HEADER = 2048;
const HEADER_MAGIC = 'GRIMOIRE-FS-META';

function utf8(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return Uint8Array.from(out);
}

function fromUtf8(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    let cp: number;
    if (c < 0x80) (cp = c), (i += 1);
    else if (c < 0xe0) (cp = ((c & 0x1f) << 6) | (b[i + 1] & 0x3f)), (i += 2);
    else if (c < 0xf0) (cp = ((c & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f)), (i += 3);
    else (cp = ((c & 0x07) << 18) | ((b[i + 1] & 0x3f) << 12) | ((b[i + 2] & 0x3f) << 6) | (b[i + 3] & 0x3f)), (i += 4);
    s += String.fromCodePoint(cp);
  }
  return s;
}

/** FNV-1a over a string: a stable stand-in for mkfs's random UUID (the engine draws no randomness here) */
function fnv(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}

function uuidFor(label: string, sizeBytes: number, t: number): string {
  const hex = [1, 2, 3, 4].map((i) => fnv(`${label}/${sizeBytes}/${t}`, 2166136261 + i).toString(16).padStart(8, '0')).join('');
  // version 4, RFC 4122 variant, as libuuid's random UUIDs are
  const v = hex.slice(0, 12) + '4' + hex.slice(13, 16) + ((parseInt(hex[16], 16) & 3) | 8).toString(16) + hex.slice(17);
  return `${v.slice(0, 8)}-${v.slice(8, 12)}-${v.slice(12, 16)}-${v.slice(16, 20)}-${v.slice(20, 32)}`;
}

function metaBlocksFor(blockCount: number): number {
  return Math.min(4096, Math.max(64, Math.floor(blockCount / 512)));
}

function usedBlocks(img: FsImage): number {
  let n = img.metaBlocks;
  for (const key in img.inodes) for (const [, len] of img.inodes[key].extents) n += len;
  return n;
}

/** the image as stored: superblock fields where ext4 has them, then the JSON record */
function writeImage(store: BlockStore, img: FsImage): void {
  const { dirty: _dirty, ...stored } = img;
  const json = utf8(JSON.stringify(stored));
  const room = (img.metaBlocks - 1) * BLOCK_BYTES;
  if (json.length > room) throw new RangeError(`the filesystem's inode table is full (${json.length} bytes of ${room})`);
  const sb = new Uint8Array(BLOCK_BYTES);
  const dv = new DataView(sb.buffer);
  const used = usedBlocks(img);
  const inodesUsed = Object.keys(img.inodes).length;
  dv.setUint32(SB + 0, img.inodeCount, true); // s_inodes_count
  dv.setUint32(SB + 4, img.blockCount, true); // s_blocks_count_lo
  dv.setUint32(SB + 8, Math.floor(img.blockCount * 0.05), true); // s_r_blocks_count_lo
  dv.setUint32(SB + 12, img.blockCount - used, true); // s_free_blocks_count_lo
  dv.setUint32(SB + 16, img.inodeCount - inodesUsed, true); // s_free_inodes_count
  dv.setUint32(SB + 24, 2, true); // s_log_block_size: 1024 << 2
  dv.setUint16(SB + 56, EXT4_SUPER_MAGIC, true);
  const uuid = img.uuid.replace(/-/g, '');
  for (let i = 0; i < 16; i++) sb[SB + 104 + i] = parseInt(uuid.slice(i * 2, i * 2 + 2), 16);
  sb.set(utf8(img.label).subarray(0, 16), SB + 120);
  sb.set(utf8(HEADER_MAGIC), HEADER);
  dv.setUint32(HEADER + 16, json.length, true);
  dv.setUint32(HEADER + 20, img.metaBlocks, true);
  writeBlock(store, 0, sb);
  for (let n = 1; n < img.metaBlocks; n++) {
    const from = (n - 1) * BLOCK_BYTES;
    if (from >= json.length) {
      writeBlockData(store, n, undefined);
      continue;
    }
    const block = new Uint8Array(BLOCK_BYTES);
    block.set(json.subarray(from, Math.min(json.length, from + BLOCK_BYTES)));
    writeBlock(store, n, block);
  }
}

export function readImage(store: BlockStore): FsImage | null {
  if (store.sizeBytes < BLOCK_BYTES) return null;
  const sb = readBlock(store, 0);
  const dv = new DataView(sb.buffer);
  if (dv.getUint16(SB + 56, true) !== EXT4_SUPER_MAGIC) return null;
  if (fromUtf8(sb.subarray(HEADER, HEADER + 16)) !== HEADER_MAGIC) return null;
  const len = dv.getUint32(HEADER + 16, true);
  const metaBlocks = dv.getUint32(HEADER + 20, true);
  if (len > (metaBlocks - 1) * BLOCK_BYTES) return null;
  const json = new Uint8Array(len);
  for (let n = 1; (n - 1) * BLOCK_BYTES < len; n++) {
    const from = (n - 1) * BLOCK_BYTES;
    json.set(readBlock(store, n).subarray(0, Math.min(BLOCK_BYTES, len - from)), from);
  }
  try {
    return JSON.parse(fromUtf8(json)) as FsImage;
  } catch {
    return null;
  }
}

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

// ---- the mounted filesystems

function imageOf(k: KernelState, dev: string): FsImage | undefined {
  return blockStateOf(k)?.fs[dev];
}

function storeOf(k: KernelState, dev: string, backing: Backing): BlockStore {
  const d = deviceOf(k, dev);
  if (!d) throw new RangeError(`no block device ${dev}`);
  return backing(d.backingId);
}

/** a metadata change, written through at once (the journal's stand-in) */
function commit(k: KernelState, dev: string, backing: Backing): void {
  const img = imageOf(k, dev)!;
  writeImage(storeOf(k, dev, backing), img);
  delete img.dirty;
}

/** writes the in-core inodes if an mtime changed since they were last written */
export function flushMeta(k: KernelState, dev: string, backing: Backing): void {
  const img = imageOf(k, dev);
  if (img?.dirty) commit(k, dev, backing);
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

export function stat(k: KernelState, dev: string, ino: number): FsInode | undefined {
  return imageOf(k, dev)?.inodes[String(ino)];
}

export function sizeOf(k: KernelState, dev: string, ino: number): number {
  const i = stat(k, dev, ino);
  if (!i) throw new RangeError(`no inode ${ino} on ${dev}`);
  return i.size;
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

function freeRuns(img: FsImage): Array<[number, number]> {
  const used: Array<[number, number]> = [[0, img.metaBlocks]];
  for (const key in img.inodes) for (const e of img.inodes[key].extents) used.push(e);
  used.sort((a, b) => a[0] - b[0]);
  const free: Array<[number, number]> = [];
  let at = 0;
  for (const [s, n] of used) {
    if (s > at) free.push([at, s - at]);
    at = Math.max(at, s + n);
  }
  if (at < img.blockCount) free.push([at, img.blockCount - at]);
  return free;
}

/** gives the inode `n` more blocks, after its last extent when it can; false when the device is full */
function allocate(img: FsImage, inode: FsInode, n: number, store: BlockStore): boolean {
  if (n <= 0) return true;
  const free = freeRuns(img);
  if (free.reduce((s, [, len]) => s + len, 0) < n) return false;
  const grant = (start: number, len: number): void => {
    for (let b = start; b < start + len; b++) writeBlockData(store, b, undefined);
    const last = inode.extents[inode.extents.length - 1];
    if (last && last[0] + last[1] === start) last[1] += len;
    else inode.extents.push([start, len]);
  };
  const last = inode.extents[inode.extents.length - 1];
  const after = last ? free.find(([s]) => s === last[0] + last[1]) : undefined;
  let left = n;
  if (after) {
    const take = Math.min(after[1], left);
    grant(after[0], take);
    left -= take;
    after[0] += take;
    after[1] -= take;
  }
  if (left === 0) return true;
  const whole = free.find(([, len]) => len >= left);
  if (whole) {
    grant(whole[0], left);
    return true;
  }
  for (const run of free) {
    if (left === 0) break;
    const take = Math.min(run[1], left);
    if (take > 0) grant(run[0], take);
    left -= take;
  }
  return true;
}

function allocated(inode: FsInode): number {
  return inode.extents.reduce((s, [, n]) => s + n, 0);
}

export function bmap(k: KernelState, dev: string, ino: number, index: number): number {
  const inode = stat(k, dev, ino);
  if (!inode) return -1;
  let skip = index;
  for (const [start, n] of inode.extents) {
    if (skip < n) return start + skip;
    skip -= n;
  }
  return -1;
}

/**
 * A write reaching `end`: the file gets blocks up to it (written through) and grows; its mtime
 * changes in core. Throws ENOSPC as a RangeError: write(2) would fail, and the caller checks room first.
 */
export function growFile(k: KernelState, dev: string, ino: number, end: number, t: number, backing: Backing): void {
  const img = imageOf(k, dev);
  const inode = img?.inodes[String(ino)];
  if (!img || !inode) throw new RangeError(`no inode ${ino} on ${dev}`);
  inode.mtime = t;
  inode.ctime = t;
  img.dirty = true;
  const need = Math.ceil(end / BLOCK_BYTES) - allocated(inode);
  if (need <= 0 && end <= inode.size) return;
  if (need > 0 && !allocate(img, inode, need, storeOf(k, dev, backing))) throw new RangeError('ENOSPC: no space left on device');
  inode.size = Math.max(inode.size, end);
  commit(k, dev, backing);
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

export function create(
  k: KernelState,
  dev: string,
  path: string,
  size: number,
  opts: { prealloc?: boolean; perm?: number; uid?: number; gid?: number },
  t: number,
  backing: Backing,
): FsResult<FsInode> {
  const img = imageOf(k, dev);
  if (!img) return fail('ENOENT');
  const p = parentOf(k, dev, path);
  if (!p.ok) return p;
  if (p.value.dir.entries?.[p.value.name] !== undefined) return fail('EEXIST');
  if (size < 0) return fail('EINVAL');
  if (!roomForInode(img)) return fail('ENOSPC');
  const inode = newInode(img, 'f', opts.perm ?? 0o644, opts.uid ?? 0, opts.gid ?? 0, t);
  inode.size = size;
  if (opts.prealloc && !allocate(img, inode, Math.ceil(size / BLOCK_BYTES), storeOf(k, dev, backing))) {
    delete img.inodes[String(inode.ino)];
    img.nextIno--;
    return fail('ENOSPC');
  }
  link(p.value.dir, p.value.name, inode, t);
  commit(k, dev, backing);
  return ok(inode);
}

export function mkdir(k: KernelState, dev: string, path: string, opts: { perm?: number; uid?: number; gid?: number }, t: number, backing: Backing): FsResult<FsInode> {
  const img = imageOf(k, dev);
  if (!img) return fail('ENOENT');
  const p = parentOf(k, dev, path);
  if (!p.ok) return p;
  if (p.value.dir.entries?.[p.value.name] !== undefined) return fail('EEXIST');
  if (!roomForInode(img)) return fail('ENOSPC');
  const inode = newInode(img, 'd', opts.perm ?? 0o755, opts.uid ?? 0, opts.gid ?? 0, t);
  inode.size = BLOCK_BYTES;
  inode.entries = {};
  link(p.value.dir, p.value.name, inode, t);
  commit(k, dev, backing);
  return ok(inode);
}

export function symlink(k: KernelState, dev: string, path: string, target: string, t: number, backing: Backing): FsResult<FsInode> {
  const img = imageOf(k, dev);
  if (!img) return fail('ENOENT');
  const p = parentOf(k, dev, path);
  if (!p.ok) return p;
  if (p.value.dir.entries?.[p.value.name] !== undefined) return fail('EEXIST');
  if (!roomForInode(img)) return fail('ENOSPC');
  const inode = newInode(img, 'l', 0o777, 0, 0, t);
  inode.target = target;
  inode.size = utf8(target).length;
  link(p.value.dir, p.value.name, inode, t);
  commit(k, dev, backing);
  return ok(inode);
}

/** the inode loses a name; with none left its blocks are free and its cached pages dropped unwritten */
function release(k: KernelState, img: FsImage, dev: string, inode: FsInode): void {
  inode.nlink--;
  if (inode.nlink > 0) return;
  dropInode(k, dev, inode.ino);
  delete img.inodes[String(inode.ino)];
}

export function unlink(k: KernelState, dev: string, path: string, t: number, backing: Backing): FsResult<null> {
  const img = imageOf(k, dev);
  if (!img) return fail('ENOENT');
  const p = parentOf(k, dev, path);
  if (!p.ok) return p;
  const ino = p.value.dir.entries?.[p.value.name];
  if (ino === undefined) return fail('ENOENT');
  const inode = img.inodes[String(ino)];
  if (inode.kind === 'd') return fail('EISDIR');
  const { [p.value.name]: _gone, ...rest } = p.value.dir.entries!;
  p.value.dir.entries = rest;
  p.value.dir.mtime = t;
  release(k, img, dev, inode);
  commit(k, dev, backing);
  return ok(null);
}

/** rename(2) of a file or symlink (directories are not moved here); an existing target file is replaced */
export function rename(k: KernelState, dev: string, from: string, to: string, t: number, backing: Backing): FsResult<null> {
  const img = imageOf(k, dev);
  if (!img) return fail('ENOENT');
  const a = parentOf(k, dev, from);
  if (!a.ok) return a;
  const ino = a.value.dir.entries?.[a.value.name];
  if (ino === undefined) return fail('ENOENT');
  const moving = img.inodes[String(ino)];
  if (moving.kind === 'd') return fail('EINVAL');
  const b = parentOf(k, dev, to);
  if (!b.ok) return b;
  const old = b.value.dir.entries?.[b.value.name];
  if (old === ino) return ok(null);
  if (old !== undefined) {
    const target = img.inodes[String(old)];
    if (target.kind === 'd') return fail('EISDIR');
    release(k, img, dev, target);
  }
  const { [a.value.name]: _moved, ...rest } = a.value.dir.entries!;
  a.value.dir.entries = rest;
  a.value.dir.mtime = t;
  b.value.dir.entries = { ...b.value.dir.entries, [b.value.name]: ino };
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
