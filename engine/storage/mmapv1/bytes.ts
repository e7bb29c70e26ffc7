/** Little-endian field access and the DiskLoc encoding shared by every on-disk structure. */
import type { DataFileIO, DiskLoc, Write } from './types';

export const NULL_LOC: DiskLoc = { file: -1, offset: 0 };
/** Record::nextOfs/prevOfs when there is no neighbour (DiskLoc::NullOfs) */
export const NULL_OFS = -1;

export const isNull = (l: DiskLoc): boolean => l.file === -1;
export const sameLoc = (a: DiskLoc, b: DiskLoc): boolean => a.file === b.file && a.offset === b.offset;
/** DiskLoc::toString: "null" or "<file>:<offset in hex>" */
export const locString = (l: DiskLoc): string => (isNull(l) ? 'null' : `${l.file}:${(l.offset >>> 0).toString(16)}`);

export function i32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) | 0;
}
export function u16(b: Uint8Array, at: number): number {
  return b[at]! | (b[at + 1]! << 8);
}
export function putI32(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
  b[at + 2] = (v >>> 16) & 0xff;
  b[at + 3] = (v >>> 24) & 0xff;
}
export function putU16(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
}
/** 64-bit integers as JS numbers: every count and size here stays far below 2^53 */
export function i64(b: Uint8Array, at: number): number {
  const lo = i32(b, at) >>> 0;
  const hi = i32(b, at + 4);
  return hi * 0x100000000 + lo;
}
export function putI64(b: Uint8Array, at: number, v: number): void {
  const lo = v % 0x100000000;
  const loU = lo < 0 ? lo + 0x100000000 : lo;
  putI32(b, at, loU >>> 0);
  putI32(b, at + 4, Math.floor(v / 0x100000000));
}
export function f64(b: Uint8Array, at: number): number {
  return new DataView(b.buffer, b.byteOffset + at, 8).getFloat64(0, true);
}
export function putF64(b: Uint8Array, at: number, v: number): void {
  new DataView(b.buffer, b.byteOffset + at, 8).setFloat64(0, v, true);
}
export function loc(b: Uint8Array, at: number): DiskLoc {
  return { file: i32(b, at), offset: i32(b, at + 4) };
}
export function putLoc(b: Uint8Array, at: number, l: DiskLoc): void {
  putI32(b, at, l.file);
  putI32(b, at + 4, l.offset);
}
export const locBytes = (l: DiskLoc): Uint8Array => {
  const b = new Uint8Array(8);
  putLoc(b, 0, l);
  return b;
};
export const i32Bytes = (v: number): Uint8Array => {
  const b = new Uint8Array(4);
  putI32(b, 0, v);
  return b;
};
export function i64Bytes(v: number): Uint8Array {
  const b = new Uint8Array(8);
  putI64(b, 0, v);
  return b;
}
export function cstring(b: Uint8Array, at: number, max: number): string {
  let end = at;
  while (end < at + max && end < b.length && b[end] !== 0) end++;
  return latin1(b.subarray(at, end));
}
export function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}
export function asciiBytes(s: string, len: number): Uint8Array {
  const b = new Uint8Array(len);
  for (let i = 0; i < s.length && i < len; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

/**
 * What mongod cannot survive: a write through a pointer that lands outside its mapped files, a
 * btree it cannot walk. A real mongod crashes there (a segmentation fault, a fatal assertion); the
 * writes made before the fault stay where they landed, as they would in the mapped files.
 */
export class StoreFault extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreFault';
  }
}

/**
 * One logical operation's writes: each goes to the IO at once (mongod writes through its mapped
 * view) and is recorded in order, which is what the journal and the page cache see.
 */
export class Tx {
  readonly writes: Write[] = [];
  constructor(readonly io: DataFileIO) {}
  read(file: string, offset: number, len: number): Uint8Array {
    return this.io.read(file, offset, len);
  }
  write(file: string, offset: number, bytes: Uint8Array): void {
    const size = this.io.size(file);
    if (offset < 0 || offset + bytes.length > size) {
      throw new StoreFault(`write of ${bytes.length} bytes at ${offset} is outside ${file} (${size} bytes)`);
    }
    const copy = bytes.slice();
    this.io.write(file, offset, copy);
    this.writes.push({ file, offset, bytes: copy });
  }
  /**
   * write only the spans that differ between what is there and `next` (mongod declares each region
   * it changes: a bucket's header, its key nodes, the new key's bytes); spans closer than 64 bytes
   * are one write
   */
  writeChanged(file: string, offset: number, next: Uint8Array): void {
    const old = this.io.read(file, offset, next.length);
    let i = 0;
    while (i < next.length) {
      while (i < next.length && old[i] === next[i]) i++;
      if (i === next.length) return;
      const a = i;
      let z = i;
      let same = 0;
      for (i = a; i < next.length && same < 64; i++) {
        if (old[i] === next[i]) same++;
        else {
          same = 0;
          z = i;
        }
      }
      this.write(file, offset + a, next.subarray(a, z + 1));
      i = z + 1;
    }
  }
  i32(file: string, offset: number): number {
    return i32(this.io.read(file, offset, 4), 0);
  }
  loc(file: string, offset: number): DiskLoc {
    return loc(this.io.read(file, offset, 8), 0);
  }
  putI32(file: string, offset: number, v: number): void {
    this.write(file, offset, i32Bytes(v));
  }
  putLoc(file: string, offset: number, l: DiskLoc): void {
    this.write(file, offset, locBytes(l));
  }
}
