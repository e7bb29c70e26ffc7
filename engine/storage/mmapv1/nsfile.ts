/**
 * The `<db>.ns` file: a hash table (hashtab.h) of 628-byte nodes { int hash; char name[128];
 * NamespaceDetails details }, probed linearly from hash % n. One entry per collection and per
 * index ("events.events.$_id_").
 */
import type { DiskLoc } from './types';
import { asciiBytes, cstring, f64, i32, i64, loc, putF64, putI32, putI64, putLoc, Tx } from './bytes';
import { BUCKETS, IDX, NS_FILE_BYTES, NS_NAME_LEN, NS_NODE, NSD } from './layout';

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
  putLoc(node, d + NSD.firstExtent, nullLoc);
  putLoc(node, d + NSD.lastExtent, nullLoc);
  for (let b = 0; b < BUCKETS; b++) putLoc(node, d + NSD.deletedList + b * 8, nullLoc);
  putI32(node, d + NSD.maxDocsInCapped, 0x7fffffff);
  putF64(node, d + NSD.paddingFactor, 1.0);
  putLoc(node, d + NSD.capExtent, nullLoc);
  putLoc(node, d + NSD.capFirstNewRecord, { file: -1, offset: 0 });
  putI32(node, d + NSD.userFlags, userFlags);
  // NamespaceDetails versions: 4 and 5 ("PDFILE_VERSION" and "PDFILE_VERSION_MINOR" of the ns)
  node[d + NSD.dataFileVersion] = 4;
  node[d + NSD.indexFileVersion] = 5;
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
  const b = tx.read(nsFileName(db), at, NSD.size);
  const nIndexes = i32(b, NSD.nIndexes);
  return {
    at,
    firstExtent: loc(b, NSD.firstExtent),
    lastExtent: loc(b, NSD.lastExtent),
    deletedList: Array.from({ length: BUCKETS }, (_, k) => loc(b, NSD.deletedList + k * 8)),
    datasize: i64(b, NSD.datasize),
    nrecords: i64(b, NSD.nrecords),
    lastExtentSize: i32(b, NSD.lastExtentSize),
    nIndexes,
    indexes: Array.from({ length: Math.max(0, Math.min(nIndexes, 10)) }, (_, k) => ({
      head: loc(b, NSD.indexes + k * IDX.size + IDX.head),
      info: loc(b, NSD.indexes + k * IDX.size + IDX.info),
    })),
    paddingFactor: f64(b, NSD.paddingFactor),
    systemFlags: i32(b, NSD.systemFlags),
    userFlags: i32(b, NSD.userFlags),
  };
}

export const setLoc = (tx: Tx, db: string, at: number, field: number, l: DiskLoc): void => tx.putLoc(nsFileName(db), at + field, l);
export const setI32 = (tx: Tx, db: string, at: number, field: number, v: number): void => tx.putI32(nsFileName(db), at + field, v);

/** incrementStats: datasize and nrecords are adjacent and written together */
export function incrementStats(tx: Tx, db: string, at: number, dataDelta: number, recDelta: number): void {
  const b = tx.read(nsFileName(db), at + NSD.datasize, 16);
  const out = new Uint8Array(16);
  putI64(out, 0, i64(b, 0) + dataDelta);
  putI64(out, 8, i64(b, 8) + recDelta);
  tx.write(nsFileName(db), at + NSD.datasize, out);
}
