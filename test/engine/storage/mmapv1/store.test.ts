import { deserialize, ObjectId } from 'bson';
import {
  count, createCollection, dumpCollection, findById, insert, listCollections, memoryIO, objectIdAt, remove, scan,
  update, validate, type Write,
} from '../../../../engine/storage/mmapv1';

const opts = { smallfiles: true };
const event = (i: number, extra: Record<string, unknown> = {}) => ({
  _id: objectIdAt(1431388800 + i, 0x4b2f1a, 2210, i),
  user: `user${String(i).padStart(4, '0')}`,
  type: 'checkin',
  points: 12,
  at: new Date(Date.UTC(2015, 4, 12, 3, 0, i)),
  tags: ['mobile'],
  ...extra,
});

describe('the MMAPv1 store: round trips', () => {
  it('creates the database files mongod 2.6 creates, preallocated, and a catalog', () => {
    const io = memoryIO();
    insert(io, 'events', 'events', event(1), opts);
    expect([...io.files.keys()].sort()).toEqual(['events.0', 'events.ns']);
    expect(io.size('events.ns')).toBe(16 * 1024 * 1024);
    expect(io.size('events.0')).toBe(16 * 1024 * 1024);
    expect(listCollections(io, 'events').sort()).toEqual(['events', 'system.indexes', 'system.namespaces']);
    const header = io.read('events.0', 0, 8);
    expect([...header]).toEqual([4, 0, 0, 0, 5, 0, 0, 0]);
  });

  it('inserts, reads back in natural order and by _id, counts', () => {
    const io = memoryIO();
    for (let i = 0; i < 50; i++) insert(io, 'events', 'events', event(i), opts);
    const all = scan(io, 'events', 'events');
    expect(all.error).toBeUndefined();
    expect(all.docs).toHaveLength(50);
    expect(all.docs.map((d) => d.user)).toEqual(Array.from({ length: 50 }, (_, i) => `user${String(i).padStart(4, '0')}`));
    expect(count(io, 'events', 'events')).toBe(50);
    const d = findById(io, 'events', 'events', event(17)._id);
    expect(d?.user).toBe('user0017');
    expect(Object.keys(d!)).toEqual(['_id', 'user', 'type', 'points', 'at', 'tags']);
    expect(findById(io, 'events', 'events', objectIdAt(1, 2, 3, 4))).toBeNull();
  });

  it('updates in place, moves a grown document, removes', () => {
    const io = memoryIO();
    for (let i = 0; i < 5; i++) insert(io, 'events', 'events', event(i), opts);
    const id = event(2)._id;
    const small = update(io, 'events', 'events', id, { ...event(2), points: 13 }, opts);
    expect(small.moved).toBe(false);
    const big = update(io, 'events', 'events', id, { ...event(2), tags: Array.from({ length: 40 }, (_, k) => `tag${k}`) }, opts);
    expect(big.moved).toBe(true);
    expect(findById(io, 'events', 'events', id)?.tags).toHaveLength(40);
    expect(scan(io, 'events', 'events').docs.map((d) => d.user)).toEqual(['user0000', 'user0001', 'user0003', 'user0004', 'user0002']);
    expect(remove(io, 'events', 'events', event(0)._id).found).toBe(true);
    expect(remove(io, 'events', 'events', event(0)._id).found).toBe(false);
    expect(count(io, 'events', 'events')).toBe(4);
    expect(findById(io, 'events', 'events', event(0)._id)).toBeNull();
  });

  it('keeps thousands of _ids findable through bucket splits', () => {
    const io = memoryIO();
    const n = 1500;
    for (let i = 0; i < n; i++) insert(io, 'events', 'events', event(i), opts);
    for (const i of [0, 1, 499, 500, 1000, 1499]) expect(findById(io, 'events', 'events', event(i)._id)?.user).toBe(`user${String(i).padStart(4, '0')}`);
    const v = validate(io, 'events', 'events', { full: true });
    expect(v.valid).toBe(true);
    expect(v.keysPerIndex).toEqual({ 'events.events.$_id_': n });
    expect(v.objectsFound).toBe(n);
  });

  it('refuses a duplicate _id with E11000 and leaves no record behind', () => {
    const io = memoryIO();
    insert(io, 'events', 'events', event(1), opts);
    expect(() => insert(io, 'events', 'events', event(1), opts)).toThrow(
      `E11000 duplicate key error index: events.events.$_id_  dup key: { : ObjectId('${event(1)._id.toHexString()}') }`,
    );
    expect(count(io, 'events', 'events')).toBe(1);
    expect(scan(io, 'events', 'events').docs).toHaveLength(1);
  });

  it('dumps .bson that the bson package reads back document for document, and 2.6 metadata', () => {
    const io = memoryIO();
    for (let i = 0; i < 120; i++) insert(io, 'events', 'events', event(i), opts);
    const d = dumpCollection(io, 'events', 'events');
    expect(d.error).toBeUndefined();
    expect(d.count).toBe(120);
    const docs = [];
    for (let p = 0; p < d.bson.length; ) {
      const len = d.bson[p]! | (d.bson[p + 1]! << 8) | (d.bson[p + 2]! << 16) | (d.bson[p + 3]! << 24);
      docs.push(deserialize(d.bson.subarray(p, p + len)));
      p += len;
    }
    expect(docs.map((x) => (x._id as ObjectId).toHexString())).toEqual(scan(io, 'events', 'events').docs.map((x) => (x._id as ObjectId).toHexString()));
    expect(d.metadata).toBe('{ "indexes" : [ { "v" : 1, "key" : { "_id" : 1 }, "name" : "_id_", "ns" : "events.events" } ] }');
  });
});

describe('the writes of one logical operation, in mongod order', () => {
  it('an insert into an existing extent: free list, record, chain, extent, stats, index bucket', () => {
    const io = memoryIO();
    createCollection(io, 'events', 'events', opts);
    insert(io, 'events', 'events', event(0), opts);
    const r = insert(io, 'events', 'events', event(1), opts);
    const kinds = r.writes.map((w: Write) => `${w.file}+${w.bytes.length}`);
    // free list unlink (ns head, the taken record's nextDeleted), split (its length, the remainder's
    // header + EE marker, the list head), the record, the previous record's nextOfs, the extent's
    // lastRecord, the stats, then the _id bucket
    expect(kinds).toEqual([
      'events.ns+8', 'events.0+8', 'events.0+4', 'events.0+20', 'events.ns+8',
      `events.0+${16 + r.writes[5]!.bytes.length - 16}`, 'events.0+4', 'events.0+8', 'events.ns+16',
      ...kinds.slice(9),
    ]);
    expect(kinds.slice(9).every((k) => k.startsWith('events.0+'))).toBe(true);
    expect(kinds.length).toBeGreaterThan(9);
    // the remainder's marker sits right after its 16-byte header
    expect([...r.writes[3]!.bytes.subarray(16)]).toEqual([0xee, 0xee, 0xee, 0xee]);
  });
});
