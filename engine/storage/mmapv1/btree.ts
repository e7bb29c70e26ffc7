/**
 * The `_id` index: a B-tree of 8 KiB buckets, each a record in the index's own namespace
 * ("events.events.$_id_"), in 2.6's V1 format (btree_ondisk.h): a 22-byte header (parent and
 * nextChild as 7-byte DiskLocs, flags, emptySize, topSize, n), 16-byte key nodes (left child,
 * record location, key data offset) growing up, key bytes growing down from the top.
 *
 * Simplifications the player cannot see: ObjectId keys use KeyV1's compact form (type 8 then the
 * twelve bytes); other _id types are stored in the traditional form (0xff then BSON {"": value});
 * a key removed from a leaf is cut out, one removed from an inner bucket is marked unused, and an
 * emptied bucket stays in place (mongod would merge or free it).
 */
import { serialize, deserialize, ObjectId } from 'bson';
import type { DiskLoc } from './types';
import { i32, isNull, NULL_LOC, putI32, putU16, StoreFault, u16, Tx } from './bytes';
import { dataFileName } from './datafiles';
import { BTREE_BUCKET_RECORD, IDX, NS_DETAILS, REC } from './layout';
import { insertRecord, type Coll } from './recordStore';
import { setLoc } from './nsfile';

const BUCKET_SIZE = BTREE_BUCKET_RECORD - REC.headerSize; // 8176
const HEADER = 22;
const BODY = BUCKET_SIZE - HEADER; // 8154
const KEYNODE = 16;
const PACKED = 1;
/** the largest key V1 takes */
const KEY_MAX = 1024;

interface KeyNode {
  child: DiskLoc;
  loc: DiskLoc;
  key: Uint8Array;
  /** where its bytes are in the body (kept while they stay put) */
  kdo: number;
}
interface Bucket {
  at: DiskLoc;
  parent: DiskLoc;
  nextChild: DiskLoc;
  flags: number;
  topSize: number;
  keys: KeyNode[];
  /** the bytes as read: what mongod leaves alone (old key bytes, the empty middle) stays as it was */
  raw?: Uint8Array;
}

export class DuplicateKeyError extends Error {
  constructor(readonly keyText: string) {
    super('duplicate key');
  }
}

// ---- keys ----
export function encodeKey(id: unknown): Uint8Array {
  if (id instanceof ObjectId) {
    const k = new Uint8Array(13);
    k[0] = 8;
    k.set(id.id, 1);
    return k;
  }
  const bson = serialize({ '': id });
  const k = new Uint8Array(bson.length + 1);
  k[0] = 0xff;
  k.set(bson, 1);
  return k;
}
/** the key's value; undefined when a torn bucket's bytes do not parse */
function keyValue(k: Uint8Array): unknown {
  if (k[0] === 8) return new ObjectId(k.subarray(1, 13));
  try {
    return deserialize(k.subarray(1))[''];
  } catch {
    return undefined;
  }
}
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length && i < b.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
function keyLength(body: Uint8Array, at: number): number {
  if (body[at] === 8) return 13;
  if (body[at] === 0xff) return 1 + i32(body, at + 1);
  return -1;
}
/** BSON's canonical order between types, then the values */
function rank(v: unknown): number {
  if (v === null || v === undefined) return 5;
  if (typeof v === 'number' || typeof v === 'bigint') return 10;
  if (typeof v === 'string') return 15;
  if (v instanceof ObjectId) return 35;
  if (typeof v === 'boolean') return 40;
  if (v instanceof Date) return 45;
  return 20;
}
export function compareKeys(a: Uint8Array, b: Uint8Array): number {
  if (a[0] === 8 && b[0] === 8) {
    for (let i = 1; i < 13; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return 0;
  }
  const va = keyValue(a);
  const vb = keyValue(b);
  if (va === undefined || vb === undefined) return compareBytes(a, b);
  const ra = rank(va);
  const rb = rank(vb);
  if (ra !== rb) return ra - rb;
  if (typeof va === 'number' && typeof vb === 'number') return va - vb;
  const sa = String(va);
  const sb = String(vb);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
/** the key as mongod prints it in E11000: `{ : ObjectId('…') }` */
export function keyText(k: Uint8Array): string {
  const v = keyValue(k);
  if (v instanceof ObjectId) return `{ : ObjectId('${v.toHexString()}') }`;
  if (typeof v === 'string') return `{ : "${v}" }`;
  return `{ : ${String(v)} }`;
}

// ---- 7-byte DiskLocs ----
function loc56(b: Uint8Array, at: number): DiskLoc {
  const ofs = i32(b, at);
  if (ofs < 0) return NULL_LOC;
  return { file: b[at + 4]! | (b[at + 5]! << 8) | (b[at + 6]! << 16), offset: ofs };
}
function putLoc56(b: Uint8Array, at: number, l: DiskLoc): void {
  if (isNull(l)) {
    putI32(b, at, -2);
    b[at + 4] = b[at + 5] = b[at + 6] = 0;
    return;
  }
  putI32(b, at, l.offset);
  b[at + 4] = l.file & 0xff;
  b[at + 5] = (l.file >> 8) & 0xff;
  b[at + 6] = (l.file >> 16) & 0xff;
}

// ---- buckets ----
const bucketFile = (c: Coll, at: DiskLoc) => dataFileName(c.db, at.file);

function readBucket(tx: Tx, c: Coll, at: DiskLoc): Bucket | null {
  if (isNull(at) || at.offset <= 0 || at.file < 0) return null;
  const b = tx.read(bucketFile(c, at), at.offset + REC.headerSize, BUCKET_SIZE);
  const n = u16(b, 20);
  if (n > BODY / KEYNODE) return null;
  const body = b.subarray(HEADER);
  const keys: KeyNode[] = [];
  for (let i = 0; i < n; i++) {
    const p = i * KEYNODE;
    const kdo = u16(body, p + 14);
    const len = keyLength(body, kdo);
    if (len <= 0 || kdo + len > BODY) return null;
    keys.push({ child: loc56(body, p), loc: loc56(body, p + 7), kdo, key: body.slice(kdo, kdo + len) });
  }
  return { at, parent: loc56(b, 0), nextChild: loc56(b, 7), flags: u16(b, 14), topSize: u16(b, 18), keys, raw: b };
}

/** lay the bucket out: keys keep their bytes where they are; new ones go below the top; pack when short */
function encodeBucket(bk: Bucket): Uint8Array | null {
  const out = new Uint8Array(BUCKET_SIZE);
  const lay = (pack: boolean): boolean => {
    if (bk.raw) out.set(bk.raw);
    else out.fill(0);
    const body = out.subarray(HEADER);
    let top = pack ? 0 : bk.topSize;
    if (!pack) for (const k of bk.keys) if (k.kdo >= 0) body.set(k.key, k.kdo);
    for (const k of bk.keys) {
      if (!pack && k.kdo >= 0) continue;
      top += k.key.length;
      k.kdo = BODY - top;
      body.set(k.key, k.kdo);
    }
    if (bk.keys.length * KEYNODE + top > BODY) return false;
    bk.keys.forEach((k, i) => {
      putLoc56(body, i * KEYNODE, k.child);
      putLoc56(body, i * KEYNODE + 7, k.loc);
      putU16(body, i * KEYNODE + 14, k.kdo);
    });
    putLoc56(out, 0, bk.parent);
    putLoc56(out, 7, bk.nextChild);
    bk.topSize = top;
    if (pack) bk.flags |= PACKED;
    putU16(out, 14, bk.flags);
    putU16(out, 16, BODY - bk.keys.length * KEYNODE - top);
    putU16(out, 18, top);
    putU16(out, 20, bk.keys.length);
    return true;
  };
  if (lay(false)) return out;
  for (const k of bk.keys) k.kdo = -1;
  return lay(true) ? out : null;
}

function fits(bk: Bucket, extra: Uint8Array): boolean {
  const used = bk.keys.reduce((s, k) => s + k.key.length, 0);
  return (bk.keys.length + 1) * KEYNODE + used + extra.length <= BODY;
}

function writeBucket(tx: Tx, c: Coll, bk: Bucket): void {
  const bytes = encodeBucket(bk);
  if (!bytes) throw new StoreFault(`btree bucket ${bk.at.file}:${bk.at.offset.toString(16)} overflows`);
  tx.writeChanged(bucketFile(c, bk.at), bk.at.offset + REC.headerSize, bytes);
}

function addBucket(tx: Tx, idx: Coll): Bucket {
  const empty: Bucket = { at: NULL_LOC, parent: NULL_LOC, nextChild: NULL_LOC, flags: PACKED, topSize: 0, keys: [] };
  const bytes = encodeBucket(empty)!;
  const at = insertRecord(tx, idx, bytes, false);
  return { ...empty, at };
}

/** create the root bucket of a new index; returns its location (IndexDetails.head) */
export function createIndexRoot(tx: Tx, idx: Coll): DiskLoc {
  return addBucket(tx, idx).at;
}

const isUnused = (k: KeyNode): boolean => (k.loc.offset & 1) === 1;

/** the first position whose key is >= `key` */
function position(bk: Bucket, key: Uint8Array): { pos: number; equal: boolean } {
  let lo = 0;
  let hi = bk.keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareKeys(bk.keys[mid]!.key, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return { pos: lo, equal: lo < bk.keys.length && compareKeys(bk.keys[lo]!.key, key) === 0 };
}
const childAt = (bk: Bucket, pos: number): DiskLoc => (pos < bk.keys.length ? bk.keys[pos]!.child : bk.nextChild);

/** the record the index holds for `key`, or null (a torn bucket reads as "not there") */
export function lookup(tx: Tx, idx: Coll, head: DiskLoc, key: Uint8Array): DiskLoc | null {
  let at = head;
  for (let depth = 0; depth < 64; depth++) {
    const bk = readBucket(tx, idx, at);
    if (!bk) return null;
    const { pos, equal } = position(bk, key);
    if (equal) return isUnused(bk.keys[pos]!) ? null : bk.keys[pos]!.loc;
    const next = childAt(bk, pos);
    if (isNull(next)) return null;
    at = next;
  }
  return null;
}

/** every (key, record) pair in key order: what validate counts */
export function allEntries(tx: Tx, idx: Coll, head: DiskLoc): { key: Uint8Array; loc: DiskLoc }[] {
  const out: { key: Uint8Array; loc: DiskLoc }[] = [];
  const seen = new Set<string>();
  const walk = (at: DiskLoc, depth: number): void => {
    const id = `${at.file}:${at.offset}`;
    if (depth > 64 || seen.has(id)) return;
    seen.add(id);
    const bk = readBucket(tx, idx, at);
    if (!bk) return;
    bk.keys.forEach((k) => {
      if (!isNull(k.child)) walk(k.child, depth + 1);
      if (!isUnused(k)) out.push({ key: k.key, loc: k.loc });
    });
    if (!isNull(bk.nextChild)) walk(bk.nextChild, depth + 1);
  };
  walk(head, 0);
  return out;
}

/** BtreeLogic::splitPos: half by bytes, or 90/10 when the new key goes at the far right */
function splitPos(bk: Bucket, keypos: number): number {
  const n = bk.keys.length;
  const total = bk.keys.reduce((s, k) => s + k.key.length, 0) + KEYNODE * n;
  const limit = Math.floor(total / (keypos === n ? 10 : 2));
  let right = 0;
  let split: number;
  for (split = n - 1; split > 0; --split) {
    right += bk.keys[split]!.key.length + KEYNODE;
    if (right > limit) break;
  }
  if (split < 1) split = 1;
  else if (split > n - 2) split = n - 2;
  return split;
}

function setParent(tx: Tx, idx: Coll, child: DiskLoc, parent: DiskLoc): void {
  if (isNull(child)) return;
  const b = new Uint8Array(7);
  putLoc56(b, 0, parent);
  tx.writeChanged(bucketFile(idx, child), child.offset + REC.headerSize, b);
}

/** insert into bucket `bk` at `pos` with left child `lchild`; the slot after it gets `rchild` */
function insertHere(tx: Tx, idx: Coll, headField: { at: number; db: string }, bk: Bucket, pos: number, key: Uint8Array, rec: DiskLoc, lchild: DiskLoc, rchild: DiskLoc): void {
  if (fits(bk, key)) {
    bk.keys.splice(pos, 0, { child: lchild, loc: rec, key, kdo: -1 });
    if (pos + 1 < bk.keys.length) bk.keys[pos + 1]!.child = rchild;
    else bk.nextChild = rchild;
    writeBucket(tx, idx, bk);
    return;
  }
  split(tx, idx, headField, bk, pos, key, rec, lchild, rchild);
}

function split(tx: Tx, idx: Coll, headField: { at: number; db: string }, bk: Bucket, keypos: number, key: Uint8Array, rec: DiskLoc, lchild: DiskLoc, rchild: DiskLoc): void {
  const s = splitPos(bk, keypos);
  const right = addBucket(tx, idx);
  right.keys = bk.keys.slice(s + 1).map((k) => ({ ...k, kdo: -1 }));
  right.nextChild = bk.nextChild;
  const middle = bk.keys[s]!;
  bk.nextChild = middle.child;
  bk.keys = bk.keys.slice(0, s);
  let parent = isNull(bk.parent) ? null : readBucket(tx, idx, bk.parent);
  if (!parent) {
    const root = addBucket(tx, idx);
    root.keys = [{ child: bk.at, loc: middle.loc, key: middle.key, kdo: -1 }];
    root.nextChild = right.at;
    writeBucket(tx, idx, root);
    bk.parent = root.at;
    right.parent = root.at;
    writeBucket(tx, idx, right);
    for (const k of right.keys) setParent(tx, idx, k.child, right.at);
    setParent(tx, idx, right.nextChild, right.at);
    writeBucket(tx, idx, bk);
    setLoc(tx, headField.db, headField.at, NS_DETAILS.indexes + IDX.head, root.at);
    parent = root;
  } else {
    right.parent = bk.parent;
    writeBucket(tx, idx, right);
    for (const k of right.keys) setParent(tx, idx, k.child, right.at);
    setParent(tx, idx, right.nextChild, right.at);
    writeBucket(tx, idx, bk);
    const { pos } = position(parent, middle.key);
    insertHere(tx, idx, headField, parent, pos, middle.key, middle.loc, bk.at, right.at);
  }
  // now the key that did not fit, into whichever half it belongs to
  const target = keypos <= s ? readBucket(tx, idx, bk.at)! : readBucket(tx, idx, right.at)!;
  const p = keypos <= s ? keypos : keypos - s - 1;
  insertHere(tx, idx, headField, target, p, key, rec, lchild, rchild);
}

/**
 * add `key` -> `rec` (always into a leaf, as BtreeLogic::_insert does); a used equal key is a
 * duplicate, an unused one is reused
 */
export function indexInsert(tx: Tx, idx: Coll, coll: { db: string; at: number }, head: DiskLoc, key: Uint8Array, rec: DiskLoc): void {
  if (key.length > KEY_MAX) throw new Error('mmapv1: key too large to index');
  let at = head;
  for (let depth = 0; depth < 64; depth++) {
    const bk = readBucket(tx, idx, at);
    if (!bk) throw new StoreFault(`btree bucket ${at.file}:${at.offset.toString(16)} of ${idx.ns} is unreadable`);
    const { pos, equal } = position(bk, key);
    if (equal) {
      const k = bk.keys[pos]!;
      if (!isUnused(k)) throw new DuplicateKeyError(keyText(key));
      k.loc = rec;
      writeBucket(tx, idx, bk);
      return;
    }
    const child = childAt(bk, pos);
    if (isNull(child)) {
      insertHere(tx, idx, coll, bk, pos, key, rec, NULL_LOC, NULL_LOC);
      return;
    }
    at = child;
  }
  throw new StoreFault(`btree of ${idx.ns} deeper than 64 levels`);
}

/** remove `key` (pointing at `rec`): cut out of a leaf, marked unused in an inner bucket */
export function indexRemove(tx: Tx, idx: Coll, head: DiskLoc, key: Uint8Array): boolean {
  let at = head;
  for (let depth = 0; depth < 64; depth++) {
    const bk = readBucket(tx, idx, at);
    if (!bk) return false;
    const { pos, equal } = position(bk, key);
    if (equal) {
      const k = bk.keys[pos]!;
      const leaf = isNull(k.child) && (pos + 1 < bk.keys.length ? isNull(bk.keys[pos + 1]!.child) : isNull(bk.nextChild));
      if (leaf) {
        bk.keys.splice(pos, 1);
        bk.flags &= ~PACKED;
      } else k.loc = { file: k.loc.file, offset: k.loc.offset | 1 };
      writeBucket(tx, idx, bk);
      return true;
    }
    const child = childAt(bk, pos);
    if (isNull(child)) return false;
    at = child;
  }
  return false;
}

export { deserialize as _deserializeForTests };
