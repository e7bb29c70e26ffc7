/**
 * The primary's generated writes: besides inserts and same-size updates, a feed may grow documents
 * (an array field gains entries, as an import tagging events does) and insert a second, small
 * shape now and then. Operation k stays a pure function of k and the seed.
 */
import { feedOp, type FeedConfig } from '../../../../engine/machine/mongo/feed';
import { insert, memoryIO, update } from '../../../../engine/storage/mmapv1';

const base: FeedConfig = {
  db: 'app',
  coll: 'things',
  template: [
    ['_id', { oid: true }],
    ['name', { pick: ['a', 'bb', 'ccc'] }],
    ['n', { int: [1, 9] }],
    ['tags', { pickSome: ['x', 'y'], max: 2 }],
  ],
  updateShare: 0.1,
  updateField: 'n',
  seed: 1234,
  machine: 0x123456,
  pid: 0x1234,
};
const grow = { share: 0.3, field: 'tags', add: ['imported-from-partner', 'matched-venue', 'checked-for-duplicates', 'geo-tagged'], count: [2, 4] as [number, number] };
const small = { share: 0.25, template: [['_id', { oid: true }], ['type', { const: 'ping' }]] as FeedConfig['template'] };
const at = (k: number): number => Date.UTC(2015, 4, 12, 3) + k * 500;

describe('a feed with growing updates and a small shape', () => {
  const f: FeedConfig = { ...base, grow, small };
  const ops = Array.from({ length: 400 }, (_, k) => feedOp(f, k, at));

  test('both new kinds occur, in shares near the configured ones', () => {
    const smalls = ops.filter((o) => o.kind === 'insert' && Object.keys(o.doc).join() === '_id,type');
    const grown = ops.filter((o) => o.kind === 'update' && (o.doc.tags as string[]).length > 2);
    expect(smalls.length).toBeGreaterThan(40);
    expect(smalls.length).toBeLessThan(100);
    expect(grown.length).toBeGreaterThan(80);
    expect(grown.length).toBeLessThan(160);
  });

  test('a growing update keeps the document and appends distinct entries from the list', () => {
    for (const o of ops) {
      if (o.kind !== 'update' || (o.doc.tags as string[]).length <= 2) continue;
      const was = ops[o.target]!;
      expect(was.kind).toBe('insert');
      const before = was.doc.tags as string[];
      const after = o.doc.tags as string[];
      expect(after.slice(0, before.length)).toEqual(before);
      const added = after.slice(before.length);
      expect(added.length).toBeGreaterThanOrEqual(2);
      expect(new Set(after).size).toBe(after.length);
      for (const t of added) expect(grow.add).toContain(t);
      expect(o.doc.name).toBe(was.doc.name);
    }
  });

  test('updates only target documents of the main shape', () => {
    for (const o of ops) if (o.kind === 'update') expect(Object.keys(ops[o.target]!.doc)).toEqual(['_id', 'name', 'n', 'tags']);
  });

  test('applied to a store, some growing updates move their document', () => {
    const io = memoryIO();
    let moved = 0;
    for (const o of ops) {
      if (o.kind === 'insert') insert(io, f.db, f.coll, o.doc, { smallfiles: true });
      else if (update(io, f.db, f.coll, o.doc._id, o.doc, { smallfiles: true }).moved) moved++;
    }
    expect(moved).toBeGreaterThan(5);
  });

  test('without them, the feed is what it was: inserts of the template and in-place updates of one field', () => {
    for (let k = 0; k < 200; k++) {
      const o = feedOp(base, k, at);
      expect(Object.keys(o.doc)).toEqual(['_id', 'name', 'n', 'tags']);
      if (o.kind === 'update') expect(o.doc.tags).toEqual(feedOp(base, o.target, at).doc.tags);
    }
  });
});
