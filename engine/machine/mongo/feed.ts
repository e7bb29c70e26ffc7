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
  /**
   * updates that grow an earlier document: an array field gains `count` entries from `add` (an
   * import tagging events). A document that outgrows its record is moved by mongod, and its old
   * record goes back on the free lists.
   */
  grow?: { share: number; field: string; add: string[]; count: [number, number] };
  /** a second, small document shape inserted now and then (a heartbeat, a counter), its share of inserts */
  small?: { share: number; template: Array<[string, FieldGen]> };
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

const unit = (f: FeedConfig, k: number, salt: number): number => mix(f.seed, k, salt) / 4294967296;

/** is operation k an update, in place or growing (never the first) */
export function isUpdate(f: FeedConfig, k: number): boolean {
  return k > 0 && unit(f, k, 1) < f.updateShare + (f.grow?.share ?? 0);
}

/** is operation k an update that grows its document */
function isGrow(f: FeedConfig, k: number): boolean {
  return k > 0 && f.grow !== undefined && unit(f, k, 1) >= f.updateShare && isUpdate(f, k);
}

/** is operation k an insert of the small shape (never the first: updates fall back to it) */
function isSmall(f: FeedConfig, k: number): boolean {
  return k > 0 && f.small !== undefined && !isUpdate(f, k) && unit(f, k, 4) < f.small.share;
}

/** the document insert k (which must be an insert) wrote, stamped with the time its operation ran */
export function insertedDoc(f: FeedConfig, k: number, opMs: (k: number) => number): Document {
  const ms = opMs(k);
  const doc: Document = {};
  let salt = 10;
  const template = isSmall(f, k) ? f.small!.template : f.template;
  for (const [name, gen] of template) {
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

/** the insert an update at k changes: an earlier insert of the main shape, most often a recent one */
export function updateTarget(f: FeedConfig, k: number): number {
  let j = k - 1 - (mix(f.seed, k, 2) % Math.min(k, 1000));
  while (j > 0 && (isUpdate(f, j) || isSmall(f, j))) j--;
  return Math.max(0, j);
}

/** the entries a growing update at k appends to the array field */
function grownBy(f: FeedConfig, k: number, had: unknown[]): string[] {
  const g = f.grow!;
  const n = g.count[0] + (mix(f.seed, k, 5) % (g.count[1] - g.count[0] + 1));
  const out: string[] = [];
  for (let i = 0; out.length < n && i < 4 * n; i++) {
    const v = g.add[mix(f.seed, k, 60 + i) % g.add.length]!;
    if (!out.includes(v) && !had.includes(v)) out.push(v);
  }
  return out;
}

/** operation k as the applier applies it */
export function feedOp(f: FeedConfig, k: number, opMs: (k: number) => number): FeedOp {
  if (!isUpdate(f, k)) return { kind: 'insert', k, doc: insertedDoc(f, k, opMs) };
  const target = updateTarget(f, k);
  const doc = insertedDoc(f, target, opMs);
  if (isGrow(f, k)) {
    const g = f.grow!;
    const had = Array.isArray(doc[g.field]) ? (doc[g.field] as unknown[]) : [];
    doc[g.field] = [...had, ...grownBy(f, k, had)];
    return { kind: 'update', k, target, doc };
  }
  const field = f.updateField;
  if (field && typeof doc[field] === 'number') {
    const gen = f.template.find(([n]) => n === field)?.[1];
    const [lo, hi] = gen && 'int' in gen ? gen.int : [0, 100];
    doc[field] = lo + (mix(f.seed, k, 3) % (hi - lo + 1));
  }
  return { kind: 'update', k, target, doc };
}
