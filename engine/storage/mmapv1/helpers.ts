/** ObjectIds built from the caller's numbers, and an in-memory DataFileIO. */
import { ObjectId } from 'bson';
import type { DataFileIO } from './types';

/** 2015's ObjectId: seconds (big-endian), machine (3 bytes), pid (2), counter (3) */
export function objectIdAt(seconds: number, machine: number, pid: number, counter: number): ObjectId {
  const b = new Uint8Array(12);
  const put = (at: number, v: number, n: number) => {
    for (let i = n - 1; i >= 0; i--) {
      b[at + i] = v & 0xff;
      v = Math.floor(v / 256);
    }
  };
  put(0, seconds >>> 0, 4);
  put(4, machine >>> 0, 3);
  put(7, pid >>> 0, 2);
  put(9, counter >>> 0, 3);
  return new ObjectId(b);
}

/** files as growable buffers; sparse enough for tests (a 16 MiB .ns file is one allocation) */
export function memoryIO(files: Map<string, Uint8Array> = new Map()): DataFileIO & { files: Map<string, Uint8Array> } {
  const grow = (file: string, size: number): Uint8Array => {
    const cur = files.get(file) ?? new Uint8Array(0);
    if (cur.length >= size) return cur;
    const next = new Uint8Array(size);
    next.set(cur);
    files.set(file, next);
    return next;
  };
  return {
    files,
    read(file, offset, len) {
      const out = new Uint8Array(len);
      const cur = files.get(file);
      if (cur && offset < cur.length) out.set(cur.subarray(offset, Math.min(cur.length, offset + len)));
      return out;
    },
    write(file, offset, bytes) {
      grow(file, offset + bytes.length).set(bytes, offset);
    },
    size(file) {
      return files.get(file)?.length ?? 0;
    },
    allocate(file, size) {
      grow(file, size);
    },
  };
}
