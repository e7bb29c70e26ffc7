/**
 * What the simulated primary writes: operation k is a pure function of k and the feed's seed, so
 * nothing is stored per operation and an update can rebuild the document it changes. The
 * documents' shape comes from the scenario as a JSON template (field name → how to fill it), so
 * generic code names no collection or field of any chapter.
 */
import { type Document } from 'bson';
import { objectIdAt } from '../../storage/mmapv1';

export type FieldGen =
  | { oid: true }
  | { pick: string[] }
  | { int: [number, number] }
  | { const: string | number | boolean | null }
  | { now: true }
  | { pickSome: string[]; max: number };

export interface FeedConfig {
  db: string;
  coll: string;
  /** the documents' fields in order; exactly one should be `_id: { oid: true }` */
  template: Array<[string, FieldGen]>;
  /** the share of operations that update an earlier document in place (an int field changes) */
  updateShare: number;
  /** the int field an update changes (it is rewritten with a new value of the same size) */
  updateField?: string;
  /** drawn once from the game's RNG when the feed is set up */
  seed: number;
  /** the primary's ObjectId machine and process ids (3 and 2 bytes) */
  machine: number;
  pid: number;
}

/** a 32-bit mix of (seed, k, salt): the feed's deterministic randomness */
export function mix(seed: number, k: number, salt: number): number {
  let h = (seed ^ Math.imul(k + 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt + 1, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

export type FeedOp = { kind: 'insert'; k: number; doc: Document } | { kind: 'update'; k: number; target: number; doc: Document };

/** is operation k an update (never the first) */
export function isUpdate(f: FeedConfig, k: number): boolean {
  return k > 0 && mix(f.seed, k, 1) / 4294967296 < f.updateShare;
}

/** the document insert k (which must be an insert) wrote, stamped with the time its operation ran */
export function insertedDoc(f: FeedConfig, k: number, opMs: (k: number) => number): Document {
  const ms = opMs(k);
  const doc: Document = {};
  let salt = 10;
  for (const [name, gen] of f.template) {
    salt++;
    if ('oid' in gen) doc[name] = objectIdAt(Math.floor(ms / 1000), f.machine, f.pid, (f.seed + k) & 0xffffff);
    else if ('pick' in gen) doc[name] = gen.pick[mix(f.seed, k, salt) % gen.pick.length];
    else if ('int' in gen) doc[name] = gen.int[0] + (mix(f.seed, k, salt) % (gen.int[1] - gen.int[0] + 1));
    else if ('const' in gen) doc[name] = gen.const;
    else if ('now' in gen) doc[name] = new Date(Math.floor(ms));
    else {
      const n = mix(f.seed, k, salt) % (gen.max + 1);
      const out: string[] = [];
      for (let i = 0; i < n; i++) {
        const v = gen.pickSome[mix(f.seed, k, salt * 31 + i) % gen.pickSome.length]!;
        if (!out.includes(v)) out.push(v);
      }
      doc[name] = out;
    }
  }
  return doc;
}

/** the insert an update at k changes: an earlier insert, most often a recent one */
export function updateTarget(f: FeedConfig, k: number): number {
  let j = k - 1 - (mix(f.seed, k, 2) % Math.min(k, 1000));
  while (j > 0 && isUpdate(f, j)) j--;
  return Math.max(0, j);
}

/** operation k as the applier applies it */
export function feedOp(f: FeedConfig, k: number, opMs: (k: number) => number): FeedOp {
  if (!isUpdate(f, k)) return { kind: 'insert', k, doc: insertedDoc(f, k, opMs) };
  const target = updateTarget(f, k);
  const doc = insertedDoc(f, target, opMs);
  const field = f.updateField;
  if (field && typeof doc[field] === 'number') {
    const gen = f.template.find(([n]) => n === field)?.[1];
    const [lo, hi] = gen && 'int' in gen ? gen.int : [0, 100];
    doc[field] = lo + (mix(f.seed, k, 3) % (hi - lo + 1));
  }
  return { kind: 'update', k, target, doc };
}
