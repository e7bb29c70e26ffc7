/**
 * dbStats as MongoDB 2.6 works it out (src/mongo/db/dbcommands.cpp, CmdDBStats), read from the
 * bytes like everything else here: every collection the catalog names (namespaces without a $),
 * its records and data size from its NamespaceDetails, its extents walked from the first, and the
 * data size of its indexes' namespaces; the data files' length, the .ns file's, the first data
 * file's format, and the extents on the database's free list.
 */
import type { DataFileIO, DiskLoc } from './types';
import { isNull, locString, Tx } from './bytes';
import { indexNs } from './collection';
import { dataFileCount, dataFileName, readExtent } from './datafiles';
import { DF } from './layout';
import { findNs, listNs, nsFileName, readDetails } from './nsfile';

export interface DatabaseStats {
  collections: number;
  objects: number;
  /** the records' data, without their headers */
  dataSize: number;
  /** the collections' extents */
  storageSize: number;
  numExtents: number;
  indexes: number;
  /** the data size of the indexes' namespaces (their B-tree buckets) */
  indexSize: number;
  /** the data files, preallocated ones included; not the .ns file */
  fileSize: number;
  nsSizeMB: number;
  version: { major: number; minor: number };
  /** the extents a dropped collection gave back, waiting to be reused */
  freeList: { num: number; totalSize: number };
}

/** an extent chain's count and total length, from `first` along xnext; a loop in a torn chain is walked once */
function extentChain(tx: Tx, db: string, first: DiskLoc): { num: number; bytes: number } {
  let num = 0;
  let bytes = 0;
  const seen = new Set<string>();
  for (let at = first; !isNull(at) && !seen.has(locString(at)); ) {
    seen.add(locString(at));
    const e = readExtent(tx, db, at);
    num++;
    bytes += e.length;
    at = e.xnext;
  }
  return { num, bytes };
}

/** null when the database has no files (dbStats then answers with zeros and no format) */
export function databaseStats(io: DataFileIO, db: string): DatabaseStats | null {
  const files = dataFileCount(io, db);
  if (io.size(nsFileName(db)) === 0 || files === 0) return null;
  const tx = new Tx(io);
  const s: DatabaseStats = {
    collections: 0,
    objects: 0,
    dataSize: 0,
    storageSize: 0,
    numExtents: 0,
    indexes: 0,
    indexSize: 0,
    fileSize: 0,
    nsSizeMB: Math.trunc(io.size(nsFileName(db)) / 1024 / 1024),
    version: { major: tx.i32(dataFileName(db, 0), DF.version), minor: tx.i32(dataFileName(db, 0), DF.versionMinor) },
    freeList: { num: 0, totalSize: 0 },
  };
  for (const ns of listNs(tx, db)) {
    if (ns.includes('$')) continue;
    const at = findNs(tx, db, ns);
    if (at === null) continue;
    const d = readDetails(tx, db, at);
    s.collections++;
    s.objects += d.nrecords;
    s.dataSize += d.datasize;
    const chain = extentChain(tx, db, d.firstExtent);
    s.storageSize += chain.bytes;
    s.numExtents += chain.num;
    s.indexes += d.nIndexes;
    // this store builds one index per collection, on _id
    const idx = d.nIndexes > 0 ? findNs(tx, db, indexNs(ns)) : null;
    if (idx !== null) s.indexSize += readDetails(tx, db, idx).datasize;
  }
  for (let n = 0; n < files; n++) s.fileSize += io.size(dataFileName(db, n));
  const free = findNs(tx, db, `${db}.$freelist`);
  if (free !== null) {
    const chain = extentChain(tx, db, readDetails(tx, db, free).firstExtent);
    s.freeList = { num: chain.num, totalSize: chain.bytes };
  }
  return s;
}
