/**
 * The judge reads a restored volume's files by decoding only the blocks the store holds, straight
 * into place: what it reads is what the device holds through the file's extents, byte for byte.
 */
import { directoryIO, fileBytes } from '../../../../../engine/chapters/ch3/sim/restoreCheck';
import { emptyStore, readStore, writeBlock } from '../../../../../engine/kernel/block';
import type { FsImage, FsInode } from '../../../../../engine/kernel/block/types';

const B = 4096;

function inode(size: number, extents: Array<[number, number]>): FsInode {
  return { ino: 20, kind: 'f', perm: 0o644, uid: 0, gid: 0, size, mtime: 0, ctime: 0, extents, nlink: 1 };
}

/** the file read the plain way: each extent's bytes from the device, up to the file's size */
function throughExtents(store: ReturnType<typeof emptyStore>, ino: FsInode): number[] {
  const out: number[] = [];
  for (const [first, count] of ino.extents) {
    const want = Math.min(count * B, ino.size - out.length);
    if (want <= 0) break;
    const got = readStore(store, first * B, want);
    out.push(...got, ...new Array<number>(want - got.length).fill(0));
  }
  return out;
}

describe('fileBytes', () => {
  const store = emptyStore(64 * B);
  for (const n of [3, 4, 9, 10, 30, 63]) writeBlock(store, n, Uint8Array.from({ length: B }, (_, i) => (i * 7 + n) & 255 || 1));

  it('reads stored blocks, holes and a last block cut at the size, in extent order', () => {
    const ino = inode(5 * B + 100, [[9, 2], [2, 3], [30, 1]]);
    const got = fileBytes(store, ino);
    expect(got.length).toBe(5 * B + 100);
    expect([...got]).toEqual(throughExtents(store, ino));
    // block 2 was never written: the file's third page is zeros
    expect(got.subarray(2 * B, 3 * B).every((x) => x === 0)).toBe(true);
    expect(got[0]).toBe(9);
  });

  it('stops at the size even when the extents go on, and reads zeros past the device', () => {
    const short = inode(B + 10, [[3, 4]]);
    expect([...fileBytes(store, short)]).toEqual(throughExtents(store, short));
    const pastEnd = inode(3 * B, [[63, 3]]);
    const got = fileBytes(store, pastEnd);
    expect([...got]).toEqual(throughExtents(store, pastEnd));
    expect(got.subarray(B).every((x) => x === 0)).toBe(true);
  });
});

describe('directoryIO', () => {
  const store = emptyStore(64 * B);
  for (const n of [3, 4, 9, 10, 30, 63]) writeBlock(store, n, Uint8Array.from({ length: B }, (_, i) => (i * 7 + n) & 255 || 1));
  const file = inode(5 * B + 100, [[9, 2], [2, 3], [30, 1]]);
  const dir: FsInode = { ino: 2, kind: 'd', perm: 0o755, uid: 0, gid: 0, size: B, mtime: 0, ctime: 0, extents: [], nlink: 2, entries: { 'events.0': 20 } };
  const img = { inodes: { '2': dir, '20': file } } as unknown as FsImage;

  it('reads what fileBytes reads, at any offset, and zeros past the size', () => {
    const io = directoryIO(store, img, dir);
    const whole = fileBytes(store, file);
    expect(io.size('events.0')).toBe(5 * B + 100);
    for (const [at, len] of [[0, 10], [B - 3, 7], [2 * B + 5, 3 * B], [5 * B + 90, 40]] as const) {
      const want = new Uint8Array(len);
      want.set(whole.subarray(at, Math.min(whole.length, at + len)));
      expect([...io.read('events.0', at, len)]).toEqual([...want]);
    }
  });

  it('keeps writes in the copy, grows the file with zeros, and makes files the volume lacks', () => {
    const io = directoryIO(store, img, dir);
    io.write('events.0', 5 * B + 200, Uint8Array.of(5, 6));
    expect(io.size('events.0')).toBe(5 * B + 202);
    // between the old size and the write: zeros, not what block 30 holds there
    expect(io.read('events.0', 5 * B + 100, 100).every((x) => x === 0)).toBe(true);
    expect([...io.read('events.0', 5 * B + 199, 4)]).toEqual([0, 5, 6, 0]);
    // the volume itself is untouched: a new reader sees the file as it was
    expect(directoryIO(store, img, dir).size('events.0')).toBe(5 * B + 100);
    expect(io.size('events.1')).toBe(0);
    io.write('events.1', 10, Uint8Array.of(1));
    expect([...io.read('events.1', 9, 3)]).toEqual([0, 1, 0]);
  });
});
