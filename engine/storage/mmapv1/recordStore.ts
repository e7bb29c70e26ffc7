/**
 * Records inside a collection's extents: allocation from the deleted lists (best fit, split),
 * the per-extent record chain, deletion. Follows 2.6's NamespaceDetails::alloc/__stdAlloc/
 * addDeletedRec and DataFileMgr's insert and delete paths, write for write.
 */
import type { DiskLoc, StoreOptions } from './types';
import { i32, i32Bytes, isNull, loc, locBytes, NULL_LOC, NULL_OFS, putI32, putLoc, sameLoc, Tx } from './bytes';
import { MongoAssertionError } from './bsonCheck';
import { allocateExtent, dataFileName, maxExtentSize, readExtent } from './datafiles';
import {
  bucketOf, EXT, FLAG_USE_POWER_OF_2_SIZES, followupExtentSize, MAX_BUCKET, NS_DETAILS, quantizeAllocationSpace,
  quantizePowerOf2, REC,
} from './layout';
import { incrementStats, nsFileName, readDetails, setI32, setLoc } from './nsfile';

/** what every record operation needs to know about its collection */
export interface Coll {
  db: string;
  ns: string;
  /** offset of its NamespaceDetails in the .ns file */
  at: number;
  opts: StoreOptions;
}

/**
 * the marker mongod writes over the first four data bytes of every record it puts on a deleted
 * list ("defensive code: try to make us notice if we reference a deleted record"), so a stale
 * pointer reads a BSON size of 0xEEEEEEEE
 */
export const DELETED_MARKER = new Uint8Array([0xee, 0xee, 0xee, 0xee]);

export interface RecordHeader {
  lengthWithHeaders: number;
  extentOfs: number;
  nextOfs: number;
  prevOfs: number;
}

export function readRecordHeader(tx: Tx, db: string, at: DiskLoc): RecordHeader {
  const b = tx.read(dataFileName(db, at.file), at.offset, REC.headerSize);
  return { lengthWithHeaders: i32(b, 0), extentOfs: i32(b, 4), nextOfs: i32(b, 8), prevOfs: i32(b, 12) };
}

const isNormalNs = (ns: string): boolean => !ns.includes('$');

/** addDeletedRec: header with the list's old head as nextDeleted, the EE marker, then the list head */
function addDeletedRec(tx: Tx, c: Coll, at: DiskLoc, lengthWithHeaders: number, extentOfs: number): void {
  const d = readDetails(tx, c.db, c.at);
  const b = bucketOf(lengthWithHeaders);
  const rec = new Uint8Array(REC.headerSize + 4);
  putI32(rec, REC.lengthWithHeaders, lengthWithHeaders);
  putI32(rec, REC.extentOfs, extentOfs);
  putLoc(rec, REC.nextDeleted, d.deletedList[b]!);
  rec.set(DELETED_MARKER, REC.headerSize);
  tx.write(dataFileName(c.db, at.file), at.offset, rec);
  setLoc(tx, c.db, c.at, NS_DETAILS.deletedList + b * 8, at);
}

/** __stdAlloc: best fit from the deleted lists starting at the size's bucket; unlinks it */
function stdAlloc(tx: Tx, c: Coll, len: number): DiskLoc {
  const d = readDetails(tx, c.db, c.at);
  let b = bucketOf(len);
  let cur = d.deletedList[b]!;
  // where the pointer to `cur` lives: a list head in the .ns file or a DeletedRecord's nextDeleted
  let prev: { file: string; offset: number } = { file: nsFileName(c.db), offset: c.at + NS_DETAILS.deletedList + b * 8 };
  let best: DiskLoc = NULL_LOC;
  let bestPrev = prev;
  let bestLen = 0x7fffffff;
  let extra = 5;
  let chain = 0;
  for (;;) {
    if (!isNull(cur) && (cur.file < -1 || cur.file >= 100000 || cur.offset < 0)) {
      const where = `${cur.file}:${(cur.offset >>> 0).toString(16)}`;
      throw new MongoAssertionError(
        16469,
        `Deleted record list corrupted in bucket ${b}, link number ${chain}, invalid link is ${where}, throwing Fatal Assertion`,
      );
    }
    if (isNull(cur)) {
      if (bestLen < 0x7fffffff) break;
      b++;
      if (b > MAX_BUCKET) return NULL_LOC;
      cur = d.deletedList[b]!;
      prev = { file: nsFileName(c.db), offset: c.at + NS_DETAILS.deletedList + b * 8 };
      continue;
    }
    const h = readRecordHeader(tx, c.db, cur);
    if (h.lengthWithHeaders >= len && h.lengthWithHeaders < bestLen) {
      bestLen = h.lengthWithHeaders;
      best = cur;
      bestPrev = prev;
      if (h.lengthWithHeaders === len) break;
    }
    if (bestLen < 0x7fffffff && --extra <= 0) break;
    if (++chain > 30 && b < MAX_BUCKET) {
      chain = 0;
      cur = NULL_LOC;
    } else {
      prev = { file: dataFileName(c.db, cur.file), offset: cur.offset + REC.nextDeleted };
      cur = tx.loc(dataFileName(c.db, cur.file), cur.offset + REC.nextDeleted);
    }
  }
  const next = tx.loc(dataFileName(c.db, best.file), best.offset + REC.nextDeleted);
  tx.write(bestPrev.file, bestPrev.offset, locBytes(next));
  tx.write(dataFileName(c.db, best.file), best.offset + REC.nextDeleted, locBytes({ file: -2, offset: 0 }));
  return best;
}

/** NamespaceDetails::alloc: take a deleted record and split off what is left when worth it */
function alloc(tx: Tx, c: Coll, lenWHdr: number): DiskLoc {
  let lenToAlloc = (lenWHdr + 3) & ~3;
  const at = stdAlloc(tx, c, lenToAlloc);
  if (isNull(at)) return at;
  const file = dataFileName(c.db, at.file);
  const h = readRecordHeader(tx, c.db, at);
  const regionlen = h.lengthWithHeaders;
  let left = regionlen - lenToAlloc;
  if (left < 24 || left < lenToAlloc >> 3) return at;
  if (isNormalNs(c.ns)) {
    lenToAlloc = Math.min(regionlen, quantizeAllocationSpace(lenToAlloc));
    left = regionlen - lenToAlloc;
    if (left < 24) return at;
  }
  tx.write(file, at.offset + REC.lengthWithHeaders, i32Bytes(lenToAlloc));
  addDeletedRec(tx, c, { file: at.file, offset: at.offset + lenToAlloc }, left, h.extentOfs);
  return at;
}

/** a new extent for the collection, linked after its last one; its space becomes one deleted record */
export function increaseStorageSize(tx: Tx, c: Coll, size: number): DiskLoc {
  const eloc = allocateExtent(tx, c.db, c.ns, size, c.opts);
  const e = readExtent(tx, c.db, eloc);
  // _findFirstSpot: big index extents start their first bucket on a page boundary
  let first = eloc.offset + EXT.headerSize;
  let delLen = e.length - EXT.headerSize;
  if (delLen >= 32 * 1024 && c.ns.includes('$')) {
    const aligned = (first + 0xfff) & ~0xfff;
    delLen -= aligned - first;
    first = aligned;
  }
  const file = dataFileName(c.db, eloc.file);
  const empty = new Uint8Array(REC.headerSize);
  putI32(empty, REC.lengthWithHeaders, delLen);
  putI32(empty, REC.extentOfs, eloc.offset);
  putLoc(empty, REC.nextDeleted, NULL_LOC);
  tx.write(file, first, empty);
  const d = readDetails(tx, c.db, c.at);
  if (isNull(d.lastExtent)) {
    setLoc(tx, c.db, c.at, NS_DETAILS.firstExtent, eloc);
    setLoc(tx, c.db, c.at, NS_DETAILS.lastExtent, eloc);
    setLoc(tx, c.db, c.at, NS_DETAILS.capExtent, eloc);
  } else {
    tx.putLoc(file, eloc.offset + EXT.xprev, d.lastExtent);
    tx.putLoc(dataFileName(c.db, d.lastExtent.file), d.lastExtent.offset + EXT.xnext, eloc);
    setLoc(tx, c.db, c.at, NS_DETAILS.lastExtent, eloc);
  }
  setI32(tx, c.db, c.at, NS_DETAILS.lastExtentSize, e.length);
  addDeletedRec(tx, c, { file: eloc.file, offset: first }, delLen, eloc.offset);
  return eloc;
}

/** the record size an insert asks for: powers of two, or the padding factor (getRecordAllocationSize) */
export function allocationSize(tx: Tx, c: Coll, minRecordSize: number): number {
  const d = readDetails(tx, c.db, c.at);
  if (!isNormalNs(c.ns)) return minRecordSize;
  if (d.userFlags & FLAG_USE_POWER_OF_2_SIZES) return quantizePowerOf2(minRecordSize);
  return Math.floor(minRecordSize * d.paddingFactor);
}

function allocRecord(tx: Tx, c: Coll, lenWHdr: number): DiskLoc {
  let at = alloc(tx, c, lenWHdr);
  if (!isNull(at)) return at;
  const d = readDetails(tx, c.db, c.at);
  increaseStorageSize(tx, c, followupExtentSize(lenWHdr, d.lastExtentSize, maxExtentSize(c.opts)));
  at = alloc(tx, c, lenWHdr);
  if (isNull(at)) throw new Error(`mmapv1: no room for a ${lenWHdr}-byte record in ${c.ns}`);
  return at;
}

/**
 * insertRecord: allocate, write the record (header and document), link it at the end of its
 * extent's chain, then the collection's stats
 */
export function insertRecord(tx: Tx, c: Coll, data: Uint8Array, padding: boolean): DiskLoc {
  const min = data.length + REC.headerSize;
  const lenWHdr = padding ? allocationSize(tx, c, min) : min;
  const at = allocRecord(tx, c, lenWHdr);
  const file = dataFileName(c.db, at.file);
  const h = readRecordHeader(tx, c.db, at);
  const e = readExtent(tx, c.db, { file: at.file, offset: h.extentOfs });
  const rec = new Uint8Array(REC.headerSize + data.length);
  putI32(rec, REC.lengthWithHeaders, h.lengthWithHeaders);
  putI32(rec, REC.extentOfs, h.extentOfs);
  putI32(rec, REC.nextOfs, NULL_OFS);
  putI32(rec, REC.prevOfs, isNull(e.lastRecord) ? NULL_OFS : e.lastRecord.offset);
  rec.set(data, REC.headerSize);
  tx.write(file, at.offset, rec);
  if (isNull(e.lastRecord)) {
    tx.putLoc(file, e.loc.offset + EXT.firstRecord, at);
    tx.putLoc(file, e.loc.offset + EXT.lastRecord, at);
  } else {
    tx.putI32(file, e.lastRecord.offset + REC.nextOfs, at.offset);
    tx.putLoc(file, e.loc.offset + EXT.lastRecord, at);
  }
  incrementStats(tx, c.db, c.at, h.lengthWithHeaders - REC.headerSize, 1);
  return at;
}

/**
 * deleteRecord: unlink from the chain and the extent's ends, stats, then onto a deleted list
 * (which writes the EE marker). system.indexes records are zeroed instead, as mongod does.
 */
export function deleteRecord(tx: Tx, c: Coll, at: DiskLoc): void {
  const file = dataFileName(c.db, at.file);
  const r = readRecordHeader(tx, c.db, at);
  if (r.prevOfs !== NULL_OFS) tx.putI32(file, r.prevOfs + REC.nextOfs, r.nextOfs);
  if (r.nextOfs !== NULL_OFS) tx.putI32(file, r.nextOfs + REC.prevOfs, r.prevOfs);
  const eloc: DiskLoc = { file: at.file, offset: r.extentOfs };
  const e = readExtent(tx, c.db, eloc);
  if (sameLoc(e.firstRecord, at)) {
    tx.putLoc(file, eloc.offset + EXT.firstRecord, r.nextOfs === NULL_OFS ? NULL_LOC : { file: at.file, offset: r.nextOfs });
  }
  if (sameLoc(e.lastRecord, at)) {
    tx.putLoc(file, eloc.offset + EXT.lastRecord, r.prevOfs === NULL_OFS ? NULL_LOC : { file: at.file, offset: r.prevOfs });
  }
  incrementStats(tx, c.db, c.at, -(r.lengthWithHeaders - REC.headerSize), -1);
  if (c.ns.endsWith('.system.indexes')) {
    tx.write(file, at.offset, new Uint8Array(r.lengthWithHeaders));
    return;
  }
  addDeletedRec(tx, c, at, r.lengthWithHeaders, r.extentOfs);
}

/** update in place (the document fits its record): only the document's bytes are written */
export function updateInPlace(tx: Tx, c: Coll, at: DiskLoc, data: Uint8Array): void {
  tx.write(dataFileName(c.db, at.file), at.offset + REC.headerSize, data);
}

/** the records in natural order: extents from the first, each extent's chain by nextOfs */
/**
 * A torn chain can point anywhere: a pointer outside its file, or back at a record already seen,
 * ends the walk here (mongod would assert or loop; neither teaches the player more).
 */
export function* recordLocs(tx: Tx, c: Coll): Generator<DiskLoc> {
  const d = readDetails(tx, c.db, c.at);
  let eloc = d.firstExtent;
  const seen = new Set<string>();
  const inFile = (l: DiskLoc, len: number) => l.file >= 0 && l.offset > 0 && l.offset + len <= tx.io.size(dataFileName(c.db, l.file));
  while (!isNull(eloc) && inFile(eloc, EXT.headerSize)) {
    const key = `e${eloc.file}:${eloc.offset}`;
    if (seen.has(key)) return;
    seen.add(key);
    const e = readExtent(tx, c.db, eloc);
    let r = e.firstRecord;
    while (!isNull(r) && inFile(r, REC.headerSize)) {
      const rk = `${r.file}:${r.offset}`;
      if (seen.has(rk)) return;
      seen.add(rk);
      yield r;
      const next = tx.i32(dataFileName(c.db, r.file), r.offset + REC.nextOfs);
      if (next === NULL_OFS) break;
      r = { file: r.file, offset: next };
    }
    eloc = e.xnext;
  }
}

export const netLength = (h: RecordHeader): number => h.lengthWithHeaders - REC.headerSize;
export { loc as readLocAt };
