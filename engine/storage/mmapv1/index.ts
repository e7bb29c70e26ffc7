/**
 * An MMAPv1-style store (MongoDB 2.6's only storage engine) over files the caller supplies.
 *
 * Everything is read from and written to the bytes behind a `DataFileIO`: there is no in-memory
 * copy of the catalog or the records, so a torn image (some pages new, some old) is read exactly as
 * it lies, and the errors come out of those bytes (BSONObj::valid's 10334, index entries pointing
 * at records that are not there, validate's findings).
 *
 * File names passed to the IO are relative to the dbpath: `events.ns`, `events.0`, `events.1`...
 * Journal files (`j._0`, `lsn`) are encoded and decoded here; writing them is the caller's job.
 *
 * THIS FILE IS THE CONTRACT for engine/machine/mongo (C2): its signatures stay stable.
 */
import type { Document } from 'bson';
import { Tx } from './bytes';
import { createCollectionIn, ensureDatabase, insertDoc, removeDoc, updateDoc } from './collection';
import { dataFileCount, dataFileName } from './datafiles';
import { dumpColl } from './dump';
import { listNs, nsFileName } from './nsfile';
import { countColl, findOneById, scanColl, scanIdOrder } from './read';
import { validateCollection } from './validate';

export type { DataFileIO, Write, DiskLoc, MongoAssertion, StoreOptions, CollectionOptions, OpResult, ScanOptions, ScanResult, DumpResult, ValidateResult, JournalSection, DecodedJournal } from './types';
import type { DataFileIO, Write, DiskLoc, MongoAssertion, StoreOptions, CollectionOptions, OpResult, ScanOptions, ScanResult, DumpResult, ValidateResult, JournalSection, DecodedJournal } from './types';

/** thrown by readers; `assertion` is the plain object C2 prints as the server's error */
export { MongoAssertionError } from './bsonCheck';
/** thrown by writers where mongod itself would crash (a pointer out of its files, an unreadable btree) */
export { StoreFault } from './bytes';

// ---- files and catalog ----
/** create `<db>.ns`, `<db>.0` (header written) and a preallocated `<db>.1`; returns the writes */
export function createDatabase(io: DataFileIO, db: string, opts: StoreOptions): Write[] {
  const tx = new Tx(io);
  ensureDatabase(tx, db, opts);
  return tx.writes;
}
export function databaseExists(io: DataFileIO, db: string): boolean {
  return io.size(nsFileName(db)) > 0;
}
/** the database's files in creation order: `events.ns`, `events.0`, `events.1`... */
export function databaseFiles(io: DataFileIO, db: string): string[] {
  if (!databaseExists(io, db)) return [];
  const n = dataFileCount(io, db);
  return [nsFileName(db), ...Array.from({ length: n }, (_, i) => dataFileName(db, i))];
}
/** create a collection and its `_id` index (system.namespaces and system.indexes entries too) */
export function createCollection(io: DataFileIO, db: string, coll: string, opts: CollectionOptions & Partial<StoreOptions> = {}): Write[] {
  const tx = new Tx(io);
  createCollectionIn(tx, db, coll, { smallfiles: opts.smallfiles ?? false }, opts);
  return tx.writes;
}
/** collection names (without the db prefix), system collections included, in catalog order */
export function listCollections(io: DataFileIO, db: string): string[] {
  return listNs(new Tx(io), db)
    .filter((ns) => !ns.includes('$'))
    .map((ns) => ns.slice(db.length + 1));
}

// ---- writes (each creates the database and collection first if missing, as mongod does) ----
/**
 * `doc` must carry its `_id` (build ObjectIds with `objectIdAt`, never with the package's
 * generator). A duplicate _id throws MongoAssertionError 11000 after undoing the record, as 2.6 does.
 */
export function insert(io: DataFileIO, db: string, coll: string, doc: Document, opts: StoreOptions): OpResult {
  return insertDoc(io, db, coll, doc, opts);
}
/** replace the document with this `_id` by `doc` (same `_id`); in place when it fits, else moved */
export function update(io: DataFileIO, db: string, coll: string, id: unknown, doc: Document, opts: StoreOptions): OpResult {
  return updateDoc(io, db, coll, id, doc, opts);
}
export function remove(io: DataFileIO, db: string, coll: string, id: unknown): OpResult {
  return removeDoc(io, db, coll, id);
}

// ---- reads (throw MongoAssertionError where mongod would assert) ----
/** natural order; stops at the first bad record and returns what came before it with the error */
export function scan(io: DataFileIO, db: string, coll: string, opts?: ScanOptions): ScanResult {
  return scanColl(io, db, coll, opts);
}
/** the _id index lookup then the record fetch; null when the key is not in the index */
/** in _id order through the index (a sort on _id), backwards when `reverse` */
export function scanByIdOrder(io: DataFileIO, db: string, coll: string, opts?: ScanOptions & { reverse?: boolean; accept?: (doc: Document) => boolean }): ScanResult {
  return scanIdOrder(io, db, coll, opts);
}
export function findById(io: DataFileIO, db: string, coll: string, id: unknown): Document | null {
  return findOneById(io, db, coll, id);
}
/** the namespace's record count (what count() with no query answers: no scan) */
export function count(io: DataFileIO, db: string, coll: string): number {
  return countColl(io, db, coll);
}
/** validate's reply ({ full } = db.coll.validate(true)) */
export function validate(io: DataFileIO, db: string, coll: string, opts: { full: boolean }): ValidateResult {
  return validateCollection(io, db, coll, opts).result;
}
/** the same, with the assertion the scan hit (for mongod's log) */
export { validateCollection } from './validate';
/** what dbStats answers for the database (null: it has no files) */
export { databaseStats, type DatabaseStats } from './stats';
export function dumpCollection(io: DataFileIO, db: string, coll: string): DumpResult {
  return dumpColl(io, db, coll);
}

// ---- journal (MMAPv1's j._N and lsn files) ----
/**
 * encodeJournalHeader(fileId, dbpath, timestamp?) -> the 8 KiB JHeader (fileId: hex text, unique per file);
 * encodeJournalSection({ lsn, writes }, fileId) -> one group commit, 8 KiB aligned, md5 in its footer;
 * decodeJournal(bytes) -> { fileId, sections, torn }; encodeLsnFile/decodeLsnFile for `journal/lsn`;
 * replayJournal(io, journals, lastSyncedLsn) applies the sections with lsn > lastSyncedLsn.
 */
export { encodeJournalHeader, encodeJournalSection, decodeJournal, encodeLsnFile, decodeLsnFile, replayJournal, JOURNAL_ALIGNMENT } from './journal';

// ---- helpers ----
export { objectIdAt, memoryIO } from './helpers';
/** the bytes mongod writes over a freed record's first four data bytes */
export { DELETED_MARKER } from './recordStore';
