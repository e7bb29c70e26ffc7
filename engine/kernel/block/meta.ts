/**
 * The on-device filesystem's metadata (fs.ts): its format on the device and the in-core copy of a
 * mounted one, with what the page cache needs of it (where a file's pages live, growing a file).
 * Kept apart from fs.ts so the page cache can use it without a cycle.
 */
import type { KernelState } from '../types';
import { deviceOf } from './devices';
import { readBlock, writeBlock, writeBlockData } from './store';
import { blockStateOf } from './subsystem';
import { BLOCK_BYTES, type Backing, type BlockStore, type FsImage, type FsInode } from './types';

/** ext4's root directory inode and its first ordinary inode (lost+found) */
export const ROOT_INO = 2;
export const LOST_FOUND_INO = 11;
const EXT4_SUPER_MAGIC = 0xef53;
/** where ext4's superblock starts in block 0, and where this filesystem's own header follows it */
const SB = 1024;
const HEADER = 2048;
const HEADER_MAGIC = 'GRIMOIRE-FS-META';

/** a string of ASCII only: its bytes are its char codes (the metadata record nearly always is) */
const NOT_ASCII = /[^\x00-\x7f]/;

export function utf8(s: string): Uint8Array {
  if (!NOT_ASCII.test(s)) {
    const ascii = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) ascii[i] = s.charCodeAt(i);
    return ascii;
  }
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

const CHUNK = 8192;

function fromUtf8(b: Uint8Array): string {
  let ascii = true;
  for (let i = 0; i < b.length && ascii; i++) ascii = b[i] < 0x80;
  if (ascii) {
    let out = '';
    for (let i = 0; i < b.length; i += CHUNK) out += String.fromCharCode.apply(null, b.subarray(i, i + CHUNK) as unknown as number[]);
    return out;
  }
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

export function uuidFor(label: string, sizeBytes: number, t: number): string {
  const hex = [1, 2, 3, 4].map((i) => fnv(`${label}/${sizeBytes}/${t}`, 2166136261 + i).toString(16).padStart(8, '0')).join('');
  // version 4, RFC 4122 variant, as libuuid's random UUIDs are
  const v = hex.slice(0, 12) + '4' + hex.slice(13, 16) + ((parseInt(hex[16], 16) & 3) | 8).toString(16) + hex.slice(17);
  return `${v.slice(0, 8)}-${v.slice(8, 12)}-${v.slice(12, 16)}-${v.slice(16, 20)}-${v.slice(20, 32)}`;
}

export function metaBlocksFor(blockCount: number): number {
  return Math.min(4096, Math.max(64, Math.floor(blockCount / 512)));
}

export function usedBlocks(img: FsImage): number {
  let n = img.metaBlocks;
  for (const key in img.inodes) for (const [, len] of img.inodes[key].extents) n += len;
  return n;
}

/** the image as stored: superblock fields where ext4 has them, then the JSON record */
export function writeImage(store: BlockStore, img: FsImage): void {
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
  // the blocks past the record are zeros already, beyond what the previous record took: clearing
  // only those keeps a commit's cost to the record's size, not the whole inode table's
  const prev = storedRecordLength(store);
  writeBlock(store, 0, sb);
  for (let n = 1; n < img.metaBlocks; n++) {
    const from = (n - 1) * BLOCK_BYTES;
    if (from >= json.length) {
      if (from >= prev) break;
      writeBlockData(store, n, undefined);
      continue;
    }
    const block = new Uint8Array(BLOCK_BYTES);
    block.set(json.subarray(from, Math.min(json.length, from + BLOCK_BYTES)));
    writeBlock(store, n, block);
  }
}

/** the length of the metadata record the store holds now (Infinity when block 0 is not one of ours: clear everything) */
function storedRecordLength(store: BlockStore): number {
  if (store.blocks['0'] === undefined) return Infinity;
  const sb = readBlock(store, 0);
  if (fromUtf8(sb.subarray(HEADER, HEADER + 16)) !== HEADER_MAGIC) return Infinity;
  return new DataView(sb.buffer).getUint32(HEADER + 16, true);
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

// ---- the mounted filesystems

export function imageOf(k: KernelState, dev: string): FsImage | undefined {
  return blockStateOf(k)?.fs[dev];
}

export function storeOf(k: KernelState, dev: string, backing: Backing): BlockStore {
  const d = deviceOf(k, dev);
  if (!d) throw new RangeError(`no block device ${dev}`);
  return backing(d.backingId);
}

/** a metadata change, written through at once (the journal's stand-in) */
export function commit(k: KernelState, dev: string, backing: Backing): void {
  const img = imageOf(k, dev)!;
  writeImage(storeOf(k, dev, backing), img);
  delete img.dirty;
}

/** writes the in-core inodes if an mtime changed since they were last written */
export function flushMeta(k: KernelState, dev: string, backing: Backing): void {
  const img = imageOf(k, dev);
  if (img?.dirty) commit(k, dev, backing);
}


export function stat(k: KernelState, dev: string, ino: number): FsInode | undefined {
  return imageOf(k, dev)?.inodes[String(ino)];
}

export function sizeOf(k: KernelState, dev: string, ino: number): number {
  const i = stat(k, dev, ino);
  if (!i) throw new RangeError(`no inode ${ino} on ${dev}`);
  return i.size;
}

export function freeRuns(img: FsImage): Array<[number, number]> {
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
export function allocate(img: FsImage, inode: FsInode, n: number, store: BlockStore): boolean {
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

export function allocated(inode: FsInode): number {
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
