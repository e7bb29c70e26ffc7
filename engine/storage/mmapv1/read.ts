/** Readers: a collection scan, the _id lookup, the fast count. */
import type { Document } from 'bson';
import type { DataFileIO, DiskLoc, ScanOptions, ScanResult } from './types';
import { isNull, Tx } from './bytes';
import { MongoAssertionError } from './bsonCheck';
import { allEntries, compareKeys, encodeKey, lookup } from './btree';
import { indexNs, openColl, READ_OPTS, readDocAt } from './collection';
import { readDetails } from './nsfile';
import { recordLocs } from './recordStore';

type ReadOptions = ScanOptions & { accept?: (doc: Document) => boolean };

/** the documents at `locs`, in that order: `accept` filters, then skip and limit; a bad record stops the read with its assertion */
function readRecords(tx: Tx, db: string, locs: Iterable<DiskLoc>, opts: ReadOptions): ScanResult {
  const docs: Document[] = [];
  let skip = opts.skip ?? 0;
  const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
  for (const at of locs) {
    if (docs.length >= limit) break;
    try {
      const doc = readDocAt(tx, db, at);
      if (opts.accept && !opts.accept(doc)) continue;
      if (skip > 0) skip--;
      else docs.push(doc);
    } catch (e) {
      if (e instanceof MongoAssertionError) return { docs, error: e.assertion };
      throw e;
    }
  }
  return { docs };
}

export function scanColl(io: DataFileIO, db: string, name: string, opts: ScanOptions = {}): ScanResult {
  const tx = new Tx(io);
  const c = openColl(tx, db, `${db}.${name}`, READ_OPTS);
  return c ? readRecords(tx, db, recordLocs(tx, c), opts) : { docs: [] };
}

export function findOneById(io: DataFileIO, db: string, name: string, id: unknown): Document | null {
  const tx = new Tx(io);
  const c = openColl(tx, db, `${db}.${name}`, READ_OPTS);
  if (!c) return null;
  const d = readDetails(tx, db, c.at);
  const idx = openColl(tx, db, indexNs(c.ns), READ_OPTS);
  if (!idx || d.nIndexes < 1 || isNull(d.indexes[0]!.head)) {
    return scanColl(io, db, name).docs.find((doc) => String(doc._id) === String(id)) ?? null;
  }
  const at = lookup(tx, idx, d.indexes[0]!.head, encodeKey(id));
  return at ? readDocAt(tx, db, at) : null;
}

/**
 * The documents in _id order, through the _id index (how 2.6 answers a sort on _id), backwards
 * when `reverse`: `accept` filters, then `skip` and `limit`. A record the index points at that is
 * not a document stops the walk with the server's assertion, after the documents before it.
 */
export function scanIdOrder(io: DataFileIO, db: string, name: string, opts: ReadOptions & { reverse?: boolean } = {}): ScanResult {
  const tx = new Tx(io);
  const c = openColl(tx, db, `${db}.${name}`, READ_OPTS);
  if (!c) return { docs: [] };
  const d = readDetails(tx, db, c.at);
  const idx = openColl(tx, db, indexNs(c.ns), READ_OPTS);
  if (!idx || d.nIndexes < 1 || isNull(d.indexes[0]!.head)) {
    // no _id index (a collection made without one): every record read, then sorted in memory
    const all = readRecords(tx, db, recordLocs(tx, c), { accept: opts.accept });
    if (all.error) return { docs: [], error: all.error };
    const docs = all.docs.sort((a, b) => compareKeys(encodeKey(a._id), encodeKey(b._id)) * (opts.reverse ? -1 : 1));
    const from = opts.skip ?? 0;
    return { docs: docs.slice(from, opts.limit && opts.limit > 0 ? from + opts.limit : undefined) };
  }
  const locs = allEntries(tx, idx, d.indexes[0]!.head).map((e) => e.loc);
  if (opts.reverse) locs.reverse();
  return readRecords(tx, db, locs, opts);
}

export function countColl(io: DataFileIO, db: string, name: string): number {
  const tx = new Tx(io);
  const c = openColl(tx, db, `${db}.${name}`, READ_OPTS);
  return c ? readDetails(tx, db, c.at).nrecords : 0;
}
