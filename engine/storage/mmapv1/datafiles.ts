/**
 * Data files `<db>.N` and the extents carved out of them (DataFile::allocExtentArea, Extent::init).
 */
import type { DataFileIO, DiskLoc, StoreOptions } from './types';
import { asciiBytes, i32, isNull, loc, putI32, putLoc, Tx } from './bytes';
import { DF, EXT, EXTENT_MAGIC, NS_FILE_BYTES, PDFILE_VERSION, PDFILE_VERSION_MINOR, dataFileSize, extentMaxSize } from './layout';
import { nsFileName } from './nsfile';

export const dataFileName = (db: string, n: number): string => `${db}.${n}`;

/** mongod preallocates: the file gets its full length of zeros before anything is written */
export function allocateFile(io: DataFileIO, file: string, size: number): void {
  if (io.allocate) io.allocate(file, size);
  else io.write(file, size - 1, new Uint8Array(1));
}

export function dataFileCount(io: DataFileIO, db: string): number {
  let n = 0;
  while (io.size(dataFileName(db, n)) > 0) n++;
  return n;
}

/** DataFileHeader::init: version, minor, length, the unused region right after the header */
function initHeader(tx: Tx, db: string, fileNo: number): void {
  const file = dataFileName(db, fileNo);
  const size = tx.io.size(file);
  const h = new Uint8Array(24);
  putI32(h, DF.version, PDFILE_VERSION);
  putI32(h, DF.versionMinor, PDFILE_VERSION_MINOR);
  putI32(h, DF.fileLength, size);
  putLoc(h, DF.unused, { file: fileNo, offset: DF.headerSize });
  putI32(h, DF.unusedLength, size - DF.headerSize - 16);
  tx.write(file, 0, h);
}

/**
 * mongod keeps one pristine file ahead: a new database gets `.ns`, `.0` and a preallocated `.1`;
 * the first extent taken from the highest file preallocates the next one (zeros, header unset)
 */
const preallocate = (tx: Tx, db: string, fileNo: number, opts: StoreOptions): void => {
  if (tx.io.size(dataFileName(db, fileNo)) === 0) allocateFile(tx.io, dataFileName(db, fileNo), dataFileSize(fileNo, opts.smallfiles));
};

export function createDatabaseFiles(tx: Tx, db: string, opts: StoreOptions): void {
  allocateFile(tx.io, nsFileName(db), NS_FILE_BYTES);
  preallocate(tx, db, 0, opts);
  initHeader(tx, db, 0);
  preallocate(tx, db, 1, opts);
}

/** the largest extent a file can hold */
export const maxExtentSize = (opts: StoreOptions): number => extentMaxSize(opts.smallfiles);

/**
 * carve an extent of `size` bytes for `ns` from the first file with room (a new file when none),
 * and write its header (Extent::init)
 */
export function allocateExtent(tx: Tx, db: string, ns: string, size: number, opts: StoreOptions): DiskLoc {
  let fileNo = 0;
  for (;;) {
    const file = dataFileName(db, fileNo);
    if (tx.io.size(file) === 0) preallocate(tx, db, fileNo, opts);
    if (i32(tx.read(file, 0, 4), 0) === 0) {
      initHeader(tx, db, fileNo);
      preallocate(tx, db, fileNo + 1, opts);
    }
    const h = tx.read(file, 0, 24);
    const unused = loc(h, DF.unused);
    const unusedLength = i32(h, DF.unusedLength);
    if (!isNull(unused) && unusedLength >= size) {
      const at: DiskLoc = { file: fileNo, offset: unused.offset };
      const upd = new Uint8Array(12);
      putLoc(upd, 0, { file: fileNo, offset: unused.offset + size });
      putI32(upd, 8, unusedLength - size);
      tx.write(file, DF.unused, upd);
      const e = new Uint8Array(EXT.headerSize);
      putI32(e, EXT.magic, EXTENT_MAGIC);
      putLoc(e, EXT.myLoc, at);
      putLoc(e, EXT.xnext, { file: -1, offset: 0 });
      putLoc(e, EXT.xprev, { file: -1, offset: 0 });
      e.set(asciiBytes(ns, 128), EXT.nsDiagnostic);
      putI32(e, EXT.length, size);
      putLoc(e, EXT.firstRecord, { file: -1, offset: 0 });
      putLoc(e, EXT.lastRecord, { file: -1, offset: 0 });
      tx.write(file, at.offset, e);
      return at;
    }
    fileNo++;
  }
}

export interface ExtentHeader {
  loc: DiskLoc;
  magic: number;
  myLoc: DiskLoc;
  xnext: DiskLoc;
  xprev: DiskLoc;
  nsDiagnostic: string;
  length: number;
  firstRecord: DiskLoc;
  lastRecord: DiskLoc;
}

export function readExtent(tx: Tx, db: string, at: DiskLoc): ExtentHeader {
  const b = tx.read(dataFileName(db, at.file), at.offset, EXT.headerSize);
  let end = EXT.nsDiagnostic;
  while (end < EXT.nsDiagnostic + 128 && b[end] !== 0) end++;
  let ns = '';
  for (let i = EXT.nsDiagnostic; i < end; i++) ns += String.fromCharCode(b[i]!);
  return {
    loc: at,
    magic: i32(b, EXT.magic) >>> 0,
    myLoc: loc(b, EXT.myLoc),
    xnext: loc(b, EXT.xnext),
    xprev: loc(b, EXT.xprev),
    nsDiagnostic: ns,
    length: i32(b, EXT.length),
    firstRecord: loc(b, EXT.firstRecord),
    lastRecord: loc(b, EXT.lastRecord),
  };
}
