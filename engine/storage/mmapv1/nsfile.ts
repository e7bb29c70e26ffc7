/**
 * The `<db>.ns` file: a hash table (hashtab.h) of 628-byte nodes { int hash; char name[128];
 * NamespaceDetails details }, probed linearly from hash % n. One entry per collection and per
 * index ("events.events.$_id_").
 */
import type { DiskLoc } from './types';
import { asciiBytes, cstring, f64, i32, i64, loc, putF64, putI32, putI64, putLoc, Tx } from './bytes';
import { BUCKETS, IDX, NS_FILE_BYTES, NS_NAME_LEN, NS_NODE, NS_DETAILS } from './layout';

export const nsFileName = (db: string): string => `${db}.ns`;
const NODES = Math.floor(NS_FILE_BYTES / NS_NODE.size);

/** Namespace::hash */
export function nsHash(name: string): number {
  let x = 0;
  for (let i = 0; i < name.length; i++) x = (Math.imul(x, 131) + name.charCodeAt(i)) >>> 0;
  return ((x & 0x7fffffff) | 0x8000000) >>> 0;
}

/** byte offset in the .ns file of the NamespaceDetails for `ns`, or null */
export function findNs(tx: Tx, db: string, ns: string): number | null {
  const file = nsFileName(db);
  if (tx.io.size(file) === 0) return null;
  const h = nsHash(ns);
  let i = h % NODES;
  for (let chain = 0; chain < 1000; chain++) {
    const node = tx.read(file, i * NS_NODE.size, NS_NODE.key + NS_NAME_LEN);
    const nh = i32(node, 0) >>> 0;
    if (nh === 0) return null;
    if (nh === h && cstring(node, NS_NODE.key, NS_NAME_LEN) === ns) return i * NS_NODE.size + NS_NODE.details;
    i = (i + 1) % NODES;
  }
  return null;
}

/** add a namespace with fresh details (NamespaceDetails' constructor: null extents and lists, padding 1.0) */
export function addNs(tx: Tx, db: string, ns: string, userFlags: number): number {
  const file = nsFileName(db);
  const h = nsHash(ns);
  let i = h % NODES;
  while ((i32(tx.read(file, i * NS_NODE.size, 4), 0) >>> 0) !== 0) i = (i + 1) % NODES;
  const node = new Uint8Array(NS_NODE.size);
  putI32(node, NS_NODE.hash, h | 0);
  node.set(asciiBytes(ns, NS_NAME_LEN), NS_NODE.key);
  const d = NS_NODE.details;
  const nullLoc: DiskLoc = { file: -1, offset: 0 };
  putLoc(node, d + NS_DETAILS.firstExtent, nullLoc);
  putLoc(node, d + NS_DETAILS.lastExtent, nullLoc);
  for (let b = 0; b < BUCKETS; b++) putLoc(node, d + NS_DETAILS.deletedList + b * 8, nullLoc);
  putI32(node, d + NS_DETAILS.maxDocsInCapped, 0x7fffffff);
  putF64(node, d + NS_DETAILS.paddingFactor, 1.0);
  putLoc(node, d + NS_DETAILS.capExtent, nullLoc);
  putLoc(node, d + NS_DETAILS.capFirstNewRecord, { file: -1, offset: 0 });
  putI32(node, d + NS_DETAILS.userFlags, userFlags);
  // NamespaceDetails versions: 4 and 5 ("PDFILE_VERSION" and "PDFILE_VERSION_MINOR" of the ns)
  node[d + NS_DETAILS.dataFileVersion] = 4;
  node[d + NS_DETAILS.indexFileVersion] = 5;
  tx.write(file, i * NS_NODE.size, node);
  return i * NS_NODE.size + d;
}

/** every namespace in table order (what NamespaceIndex::getNamespaces walks) */
export function listNs(tx: Tx, db: string): string[] {
  const file = nsFileName(db);
  const size = tx.io.size(file);
  if (size === 0) return [];
  const out: string[] = [];
  // read the table in 1 MiB slices: it is mostly zeros
  const slice = NS_NODE.size * 1600;
  for (let off = 0; off < NODES * NS_NODE.size; off += slice) {
    const buf = tx.read(file, off, Math.min(slice, NODES * NS_NODE.size - off));
    for (let p = 0; p + NS_NODE.size <= buf.length; p += NS_NODE.size) {
      if (i32(buf, p) !== 0) out.push(cstring(buf, p + NS_NODE.key, NS_NAME_LEN));
    }
  }
  return out;
}

/** a NamespaceDetails read whole: the fields the store uses */
export interface Details {
  at: number;
  firstExtent: DiskLoc;
  lastExtent: DiskLoc;
  deletedList: DiskLoc[];
  datasize: number;
  nrecords: number;
  lastExtentSize: number;
  nIndexes: number;
  indexes: { head: DiskLoc; info: DiskLoc }[];
  paddingFactor: number;
  systemFlags: number;
  userFlags: number;
}

export function readDetails(tx: Tx, db: string, at: number): Details {
  const b = tx.read(nsFileName(db), at, NS_DETAILS.size);
  const nIndexes = i32(b, NS_DETAILS.nIndexes);
  return {
    at,
    firstExtent: loc(b, NS_DETAILS.firstExtent),
    lastExtent: loc(b, NS_DETAILS.lastExtent),
    deletedList: Array.from({ length: BUCKETS }, (_, k) => loc(b, NS_DETAILS.deletedList + k * 8)),
    datasize: i64(b, NS_DETAILS.datasize),
    nrecords: i64(b, NS_DETAILS.nrecords),
    lastExtentSize: i32(b, NS_DETAILS.lastExtentSize),
    nIndexes,
    indexes: Array.from({ length: Math.max(0, Math.min(nIndexes, 10)) }, (_, k) => ({
      head: loc(b, NS_DETAILS.indexes + k * IDX.size + IDX.head),
      info: loc(b, NS_DETAILS.indexes + k * IDX.size + IDX.info),
    })),
    paddingFactor: f64(b, NS_DETAILS.paddingFactor),
    systemFlags: i32(b, NS_DETAILS.systemFlags),
    userFlags: i32(b, NS_DETAILS.userFlags),
  };
}

export const setLoc = (tx: Tx, db: string, at: number, field: number, l: DiskLoc): void => tx.putLoc(nsFileName(db), at + field, l);
export const setI32 = (tx: Tx, db: string, at: number, field: number, v: number): void => tx.putI32(nsFileName(db), at + field, v);

/** incrementStats: datasize and nrecords are adjacent and written together */
export function incrementStats(tx: Tx, db: string, at: number, dataDelta: number, recDelta: number): void {
  const b = tx.read(nsFileName(db), at + NS_DETAILS.datasize, 16);
  const out = new Uint8Array(16);
  putI64(out, 0, i64(b, 0) + dataDelta);
  putI64(out, 8, i64(b, 8) + recDelta);
  tx.write(nsFileName(db), at + NS_DETAILS.datasize, out);
}
