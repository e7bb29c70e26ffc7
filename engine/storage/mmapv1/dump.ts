/**
 * What mongodump 2.6 writes for one collection (src/mongo/tools/dump.cpp): the documents exactly as
 * the server returns them, concatenated, and `<coll>.metadata.json` built from system.namespaces'
 * options and system.indexes' specs with BSONObj::jsonString.
 *
 * The server sends a query's results in batches (the first up to 101 documents or 1 MiB, then
 * up to 4 MiB each); when a record asserts, the batch being built is lost with it, so the .bson
 * file ends at the last whole batch before the bad record.
 */
import type { Document } from 'bson';
import { Long, ObjectId, serialize } from 'bson';
import type { DataFileIO, DumpResult } from './types';
import { Tx } from './bytes';
import { MongoAssertionError } from './bsonCheck';
import { openColl, READ_OPTS, readDocAt, recordDataBytes } from './collection';
import { recordLocs } from './recordStore';

const FIRST_BATCH_DOCS = 101;
const FIRST_BATCH_BYTES = 1024 * 1024;
const BATCH_BYTES = 4 * 1024 * 1024;

/** BSONObj::jsonString(Strict) for the values a catalog document holds */
export function jsonString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  if (typeof v === 'boolean') return String(v);
  if (v instanceof Long) return `{ "$numberLong" : "${v.toString()}" }`;
  if (v instanceof ObjectId) return `{ "$oid" : "${v.toHexString()}" }`;
  if (Array.isArray(v)) return v.length === 0 ? '[]' : `[ ${v.map(jsonString).join(', ')} ]`;
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    return `{ ${entries.map(([k, x]) => `${JSON.stringify(k)} : ${jsonString(x)}`).join(', ')} }`;
  }
  return 'null';
}

function catalogDocs(tx: Tx, db: string, name: string): Document[] {
  const c = openColl(tx, db, `${db}.${name}`, READ_OPTS);
  const out: Document[] = [];
  if (!c) return out;
  for (const at of recordLocs(tx, c)) {
    try {
      out.push(readDocAt(tx, db, at));
    } catch {
      break;
    }
  }
  return out;
}

export function dumpColl(io: DataFileIO, db: string, name: string): DumpResult {
  const tx = new Tx(io);
  const ns = `${db}.${name}`;
  const metadata: Record<string, unknown> = {};
  const nsDoc = catalogDocs(tx, db, 'system.namespaces').find((d) => d.name === ns);
  if (nsDoc && nsDoc.options) metadata.options = nsDoc.options;
  const indexes = catalogDocs(tx, db, 'system.indexes').filter((d) => d.ns === ns);
  if (indexes.length) metadata.indexes = indexes;
  const c = openColl(tx, db, ns, READ_OPTS);
  const sent: Uint8Array[] = [];
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  let first = true;
  let error: DumpResult['error'];
  if (c) {
    for (const at of recordLocs(tx, c)) {
      try {
        const doc = readDocAt(tx, db, at);
        const raw = recordDataBytes(tx, db, at);
        const bytes = raw.byteLength === serialize(doc).byteLength ? raw.slice() : serialize(doc);
        batch.push(bytes);
        batchBytes += bytes.length;
        const full = first ? batch.length >= FIRST_BATCH_DOCS || batchBytes >= FIRST_BATCH_BYTES : batchBytes >= BATCH_BYTES;
        if (full) {
          sent.push(...batch);
          batch = [];
          batchBytes = 0;
          first = false;
        }
      } catch (e) {
        if (!(e instanceof MongoAssertionError)) throw e;
        error = e.assertion;
        batch = [];
        break;
      }
    }
    sent.push(...batch);
  }
  const total = sent.reduce((s, b) => s + b.length, 0);
  const bson = new Uint8Array(total);
  let p = 0;
  for (const b of sent) {
    bson.set(b, p);
    p += b.length;
  }
  const result: DumpResult = { bson, metadata: jsonString(metadata), count: sent.length };
  if (error) result.error = error;
  return result;
}
