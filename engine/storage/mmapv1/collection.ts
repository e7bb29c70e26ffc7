/**
 * Collections: the catalog (system.namespaces, system.indexes, the .ns entries), and the logical
 * writes in the order 2.6's Collection and Database classes make them.
 */
import { serialize, type Document } from 'bson';
import type { CollectionOptions, DataFileIO, DiskLoc, OpResult, StoreOptions } from './types';
import { i32, isNull, NULL_LOC, Tx } from './bytes';
import { MongoAssertionError, decodeRecordData } from './bsonCheck';
import { dataFileName, createDatabaseFiles, maxExtentSize } from './datafiles';
import { FLAG_HAVE_ID_INDEX, FLAG_USE_POWER_OF_2_SIZES, IDX, initialExtentSize, NS_DETAILS, REC } from './layout';
import { addNs, findNs, nsFileName, readDetails, setI32, setLoc } from './nsfile';
import {
  deleteRecord, increaseStorageSize, insertRecord, readRecordHeader, recordLocs, updateInPlace, type Coll,
} from './recordStore';
import { createIndexRoot, DuplicateKeyError, encodeKey, indexInsert, indexRemove, lookup } from './btree';

export const ID_INDEX_NAME = '_id_';
export const indexNs = (ns: string): string => `${ns}.$${ID_INDEX_NAME}`;

export function openColl(tx: Tx, db: string, ns: string, opts: StoreOptions): Coll | null {
  const at = findNs(tx, db, ns);
  return at === null ? null : { db, ns, at, opts };
}

/** what a reader needs; opts only matter to writers that may add files */
const READ_OPTS: StoreOptions = { smallfiles: false };

export function ensureDatabase(tx: Tx, db: string, opts: StoreOptions): void {
  if (tx.io.size(nsFileName(db)) === 0) createDatabaseFiles(tx, db, opts);
}

/** Database::_addNamespaceToCatalog: one document per namespace in system.namespaces (not itself) */
function addToCatalog(tx: Tx, db: string, ns: string, opts: StoreOptions): void {
  if (ns === `${db}.system.namespaces`) return;
  const catalog = openColl(tx, db, `${db}.system.namespaces`, opts) ?? createNs(tx, db, `${db}.system.namespaces`, opts, {});
  insertRecord(tx, catalog, serialize({ name: ns }), true);
}

/** Database::createCollection without the _id index: the .ns entry, the catalog document, the first extent */
function createNs(tx: Tx, db: string, ns: string, opts: StoreOptions, copts: CollectionOptions): Coll {
  const powerOf2 = !ns.includes('$') && copts.usePowerOf2Sizes !== false;
  const at = addNs(tx, db, ns, powerOf2 ? FLAG_USE_POWER_OF_2_SIZES : 0);
  const c: Coll = { db, ns, at, opts };
  addToCatalog(tx, db, ns, opts);
  if (!ns.includes('$')) increaseStorageSize(tx, c, initialExtentSize(128, maxExtentSize(opts)));
  return c;
}

/** IndexCatalog::ensureHaveIdIndex: the spec in system.indexes, the index namespace, its root bucket */
function createIdIndex(tx: Tx, c: Coll): void {
  const { db, ns, opts } = c;
  const sysIndexes = openColl(tx, db, `${db}.system.indexes`, opts) ?? createNs(tx, db, `${db}.system.indexes`, opts, {});
  const info = insertRecord(tx, sysIndexes, serialize({ v: 1, key: { _id: 1 }, name: ID_INDEX_NAME, ns }), true);
  const idx = createNs(tx, db, indexNs(ns), opts, {});
  const head = createIndexRoot(tx, idx);
  setLoc(tx, db, c.at, NS_DETAILS.indexes + IDX.head, head);
  setLoc(tx, db, c.at, NS_DETAILS.indexes + IDX.info, info);
  const d = readDetails(tx, db, c.at);
  setI32(tx, db, c.at, NS_DETAILS.nIndexes, d.nIndexes + 1);
  setI32(tx, db, c.at, NS_DETAILS.systemFlags, d.systemFlags | FLAG_HAVE_ID_INDEX);
}

export function createCollectionIn(tx: Tx, db: string, name: string, opts: StoreOptions, copts: CollectionOptions): Coll {
  ensureDatabase(tx, db, opts);
  const ns = `${db}.${name}`;
  const existing = openColl(tx, db, ns, opts);
  if (existing) return existing;
  const c = createNs(tx, db, ns, opts, copts);
  if (!name.startsWith('system.')) createIdIndex(tx, c);
  return c;
}

/** the _id index's namespace and root, when the collection has one */
function idIndex(tx: Tx, c: Coll): { idx: Coll; head: DiskLoc } | null {
  const d = readDetails(tx, c.db, c.at);
  if (d.nIndexes < 1 || isNull(d.indexes[0]!.head)) return null;
  const idx = openColl(tx, c.db, indexNs(c.ns), c.opts);
  return idx ? { idx, head: d.indexes[0]!.head } : null;
}

/** mongod stores _id first whatever order the document came in */
function idFirst(doc: Document): Document {
  if (!('_id' in doc)) throw new Error('mmapv1: documents carry their own _id (build it with objectIdAt)');
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

export function insertDoc(io: DataFileIO, db: string, name: string, doc: Document, opts: StoreOptions): OpResult {
  const tx = new Tx(io);
  const c = openColl(tx, db, `${db}.${name}`, opts) ?? createCollectionIn(tx, db, name, opts, {});
  const full = idFirst(doc);
  const bytes = serialize(full);
  const at = insertRecord(tx, c, bytes, true);
  const ix = idIndex(tx, c);
  if (ix) {
    try {
      indexInsert(tx, ix.idx, c, ix.head, encodeKey(full._id), at);
    } catch (e) {
      if (!(e instanceof DuplicateKeyError)) throw e;
      deleteRecord(tx, c, at);
      throw new MongoAssertionError(11000, `E11000 duplicate key error index: ${ix.idx.ns}  dup key: ${e.keyText}`);
    }
  }
  return { found: true, loc: at, writes: tx.writes };
}

function locOf(tx: Tx, c: Coll, id: unknown): DiskLoc | null {
  const ix = idIndex(tx, c);
  if (ix) return lookup(tx, ix.idx, ix.head, encodeKey(id));
  for (const at of recordLocs(tx, c)) {
    const doc = readDocAt(tx, c.db, at);
    if (sameId(doc._id, id)) return at;
  }
  return null;
}

function sameId(a: unknown, b: unknown): boolean {
  const ka = encodeKey(a);
  const kb = encodeKey(b);
  return ka.length === kb.length && ka.every((x, i) => x === kb[i]);
}

export function updateDoc(io: DataFileIO, db: string, name: string, id: unknown, doc: Document, opts: StoreOptions): OpResult {
  const tx = new Tx(io);
  const c = openColl(tx, db, `${db}.${name}`, opts);
  if (!c) return { found: false, writes: [] };
  const at = locOf(tx, c, id);
  if (!at) return { found: false, writes: [] };
  const full = idFirst({ ...doc, _id: id });
  const bytes = serialize(full);
  const h = readRecordHeader(tx, db, at);
  if (h.lengthWithHeaders - REC.headerSize >= bytes.length) {
    updateInPlace(tx, c, at, bytes);
    return { found: true, loc: at, moved: false, writes: tx.writes };
  }
  // 2.6 Collection::updateDocument on a move: unindex the old location, insert the new record and
  // index it, then free the old record
  const ix = idIndex(tx, c);
  if (ix) indexRemove(tx, ix.idx, ix.head, encodeKey(id));
  const moved = insertRecord(tx, c, bytes, true);
  if (ix) indexInsert(tx, ix.idx, c, readDetails(tx, db, c.at).indexes[0]!.head, encodeKey(id), moved);
  deleteRecord(tx, c, at);
  return { found: true, loc: moved, moved: true, writes: tx.writes };
}

export function removeDoc(io: DataFileIO, db: string, name: string, id: unknown): OpResult {
  const tx = new Tx(io);
  const c = openColl(tx, db, `${db}.${name}`, READ_OPTS);
  if (!c) return { found: false, writes: [] };
  const at = locOf(tx, c, id);
  if (!at) return { found: false, writes: [] };
  const ix = idIndex(tx, c);
  if (ix) indexRemove(tx, ix.idx, ix.head, encodeKey(id));
  deleteRecord(tx, c, at);
  return { found: true, writes: tx.writes };
}

/** how far past a record's data the reader looks when the size it finds is no good */
const WINDOW = 64 * 1024;

/** the bytes at a record's data: the document's own length when it is plausible, else a window */
export function recordDataBytes(tx: Tx, db: string, at: DiskLoc): Uint8Array {
  const file = dataFileName(db, at.file);
  const start = at.offset + REC.headerSize;
  const size = i32(tx.read(file, start, 4), 0);
  const fileSize = tx.io.size(file);
  const len = size > 0 && size <= 16 * 1024 * 1024 + 16 * 1024 ? size : Math.min(WINDOW, Math.max(4, fileSize - start));
  return tx.read(file, start, len);
}

/** BSONObj(rec->data()): the document, or MongoAssertionError (10334 and friends) */
export function readDocAt(tx: Tx, db: string, at: DiskLoc): Document {
  return decodeRecordData(recordDataBytes(tx, db, at));
}

export { READ_OPTS, NULL_LOC };
