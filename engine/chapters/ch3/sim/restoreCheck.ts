/**
 * What the judge does with each nightly snapshot, by itself and without touching the live box: the
 * snapshot chain becomes a store, its filesystem is read from the store's own metadata, the
 * journal (when the snapshot carries one: /data/db/journal a directory on the same volume) is
 * replayed as mongod's recovery would, and the collection is validated and scanned with the
 * MMAPv1 readers. Pure: the snapshot's blocks in, a verdict out.
 */
import { forEachPiece, fromBase64, type BlockStore, BLOCK_BYTES } from '../../../kernel/block';
import { blockData } from '../../../kernel/block/store';
import { readImage } from '../../../kernel/block/fs';
import type { FsImage, FsInode } from '../../../kernel/block/types';
import { restoreStore, snapshotById } from '../../../machine/ebs/snapshots';
import type { CloudState } from '../../../machine/ebs/types';
import * as store from '../../../storage/mmapv1';
import type { DataFileIO } from '../../../storage/mmapv1';
import type { ObjectId } from 'bson';

export const DB = 'events';
export const COLL = 'events';

export interface RestoreVerdict {
  /** /data/db/journal was a directory in the snapshot */
  journalWithData: boolean;
  /** journal sections replayed */
  replayed: number;
  clean: boolean;
  /** the first error a read met (validate's or a scan's), '' when clean */
  error: string;
  /** documents the scan read before any error */
  docs: number;
  /** the first of the probed _ids whose lookup through the index meets a BSON error, as hex ('' when none) */
  badId: string;
  /** a read (the scan, or a probed _id) met 10334 */
  readError: string;
}

function child(img: FsImage, dir: FsInode | undefined, name: string): FsInode | undefined {
  const ino = dir?.entries?.[name];
  return ino === undefined ? undefined : img.inodes[String(ino)];
}

/**
 * A file's bytes, read through its extents on the store. mongod's files are preallocated (16 and
 * 32 MiB here) and mostly never written, so only the blocks the store holds are decoded, each
 * straight into its place: the rest are the new array's zeros.
 */
export function fileBytes(s: BlockStore, inode: FsInode): Uint8Array {
  const out = new Uint8Array(inode.size);
  let at = 0;
  for (const [first, count] of inode.extents) {
    for (let k = 0; k < count && at < inode.size; k++, at += BLOCK_BYTES) {
      const data = blockData(s, first + k);
      if (data === undefined || (first + k + 1) * BLOCK_BYTES > s.sizeBytes) continue;
      if (at + BLOCK_BYTES <= inode.size) fromBase64(data, out.subarray(at, at + BLOCK_BYTES));
      else out.set(fromBase64(data).subarray(0, inode.size - at), at);
    }
    if (at >= inode.size) break;
  }
  return out;
}

/** a file of the restored volume, read a page at a time from its extents when first touched */
interface LazyFile {
  size: number;
  /** the size the volume gave it: what its blocks hold past this is not the file's */
  stored: number;
  pages: Map<number, Uint8Array>;
  /** the store block behind page i, -1 for none (past the extents, or a file made by the check) */
  blockOf: (i: number) => number;
}

function lazyFile(inode: FsInode | null): LazyFile {
  const extents = inode?.extents ?? [];
  const starts: number[] = [];
  let n = 0;
  for (const [, count] of extents) {
    starts.push(n);
    n += count;
  }
  const blockOf = (i: number): number => {
    for (let e = extents.length - 1; e >= 0; e--) {
      if (starts[e]! > i) continue;
      const [first, count] = extents[e]!;
      return i - starts[e]! < count ? first + (i - starts[e]!) : -1;
    }
    return -1;
  };
  return { size: inode?.size ?? 0, stored: inode?.size ?? 0, pages: new Map(), blockOf };
}

/**
 * The files of one directory as an IO over the snapshot's blocks; what recovery writes stays in
 * the copy. mongod's files are preallocated (16 and 32 MiB here) and a check reads a small part
 * of them, so a page is decoded only when a read or a write first touches it.
 */
export function directoryIO(s: BlockStore, img: FsImage, dir: FsInode): DataFileIO {
  const files = new Map<string, LazyFile | null>();
  const get = (name: string): LazyFile | null => {
    if (!files.has(name)) {
      const ino = child(img, dir, name);
      files.set(name, ino && ino.kind === 'f' ? lazyFile(ino) : null);
    }
    return files.get(name)!;
  };
  const page = (f: LazyFile, i: number): Uint8Array => {
    let p = f.pages.get(i);
    if (!p) {
      p = new Uint8Array(BLOCK_BYTES);
      const blk = f.blockOf(i);
      const data = blk >= 0 && (blk + 1) * BLOCK_BYTES <= s.sizeBytes ? blockData(s, blk) : undefined;
      if (data !== undefined) {
        fromBase64(data, p);
        if ((i + 1) * BLOCK_BYTES > f.stored) p.fill(0, Math.max(0, f.stored - i * BLOCK_BYTES));
      }
      f.pages.set(i, p);
    }
    return p;
  };
  /** calls fn for each page piece of [offset, offset + len) */
  const each = (f: LazyFile, offset: number, len: number, fn: (p: Uint8Array, within: number, at: number, take: number) => void): void =>
    forEachPiece(offset, offset + len, (i, within, at, take) => fn(page(f, i), within, at, take));
  return {
    read: (name, offset, len) => {
      const out = new Uint8Array(len);
      const f = get(name);
      const end = f ? Math.min(f.size, offset + len) : 0;
      if (f && end > offset) each(f, offset, end - offset, (p, within, at, take) => out.set(p.subarray(within, within + take), at));
      return out;
    },
    write: (name, offset, bytes) => {
      let f = get(name);
      if (!f) {
        f = lazyFile(null);
        files.set(name, f);
      }
      each(f, offset, bytes.length, (p, within, at, take) => p.set(bytes.subarray(at, at + take), within));
      f.size = Math.max(f.size, offset + bytes.length);
    },
    size: (name) => get(name)?.size ?? 0,
  };
}

/** restores a snapshot and reads it back; `store` is the restored volume's contents */
export function checkRestoredStore(s: BlockStore, probeIds: readonly ObjectId[] = []): RestoreVerdict {
  const img = readImage(s);
  const root = img?.inodes['2'];
  const db = img ? child(img, root, 'db') : undefined;
  if (!img || !db || db.kind !== 'd') return { journalWithData: false, replayed: 0, clean: false, error: 'no /data/db on the volume', docs: 0, badId: '', readError: '' };
  const journal = child(img, db, 'journal');
  const journalWithData = journal?.kind === 'd';
  const io = directoryIO(s, img, db);
  let replayed = 0;
  if (journalWithData && journal) {
    const names = Object.keys(journal.entries ?? {}).filter((n) => /^j\._\d+$/.test(n)).sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
    const lsnIno = child(img, journal, 'lsn');
    const lsn = lsnIno ? store.decodeLsnFile(fileBytes(s, lsnIno)) ?? 0 : 0;
    const decoded = names.map((n) => store.decodeJournal(fileBytes(s, child(img, journal, n)!)));
    replayed = store.replayJournal(io, decoded.filter((d): d is NonNullable<typeof d> => d !== null), lsn).sections;
  }
  if (!store.databaseExists(io, DB)) return { journalWithData, replayed, clean: false, error: `no database ${DB}`, docs: 0, badId: '', readError: '' };
  try {
    const v = store.validate(io, DB, COLL, { full: true });
    const scan = store.scan(io, DB, COLL);
    const errors = Array.isArray(v.errors) ? (v.errors as string[]) : [];
    let badId = '';
    let readError = scan.error?.code === 10334 ? scan.error.message : '';
    for (const id of probeIds) {
      try {
        store.findById(io, DB, COLL, id);
      } catch (e) {
        if (!(e instanceof store.MongoAssertionError)) throw e;
        if (e.code === 10334) {
          badId = id.toHexString();
          readError ||= e.message;
          break;
        }
      }
    }
    const error = readError || (scan.error ? scan.error.message : errors[0] ?? (v.valid === false ? 'validate: not valid' : ''));
    return { journalWithData, replayed, clean: v.valid === true && !scan.error && !badId, error, docs: scan.docs.length, badId, readError };
  } catch (e) {
    if (e instanceof store.MongoAssertionError || e instanceof store.StoreFault) return { journalWithData, replayed, clean: false, error: (e as Error).message, docs: 0, badId: '', readError: '' };
    throw e;
  }
}

export function checkSnapshot(cloud: CloudState, snapshotId: string, probeIds: readonly ObjectId[] = []): RestoreVerdict | null {
  const snap = snapshotById(cloud, snapshotId);
  const vol = snap ? cloud.volumes.find((v) => v.id === snap.volumeId) : undefined;
  if (!snap) return null;
  return checkRestoredStore(restoreStore(cloud, snap, vol?.sizeGiB ?? snap.volumeSize), probeIds);
}
