import { deserialize, Long, ObjectId, serialize } from 'bson';
import {
  count, createCollection, databaseStats, dumpCollection, findById, insert, listCollections, memoryIO, objectIdAt, remove, scan,
  scanByIdOrder, update, validate, type Write,
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
    expect([...io.files.keys()].sort()).toEqual(['events.0', 'events.1', 'events.ns']);
    expect(io.size('events.1')).toBe(32 * 1024 * 1024);
    expect([...io.read('events.1', 0, 8)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
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

describe('reading in _id order (a sort on _id)', () => {
  it('walks the index, forwards or backwards, not the records\' order on disk; filters, skips and limits', () => {
    const io = memoryIO();
    for (const i of [3, 0, 4, 1, 2]) insert(io, 'events', 'events', event(i), opts);
    // a grown document moves to the end of the records, and keeps its place in _id order
    update(io, 'events', 'events', event(1)._id, { ...event(1), tags: Array.from({ length: 40 }, (_, k) => `tag${k}`) }, opts);
    const users = (r: { docs: Array<Record<string, unknown>> }): unknown[] => r.docs.map((d) => d.user);
    expect(users(scan(io, 'events', 'events'))).toEqual(['user0003', 'user0000', 'user0004', 'user0002', 'user0001']);
    expect(users(scanByIdOrder(io, 'events', 'events'))).toEqual(['user0000', 'user0001', 'user0002', 'user0003', 'user0004']);
    expect(users(scanByIdOrder(io, 'events', 'events', { reverse: true, limit: 2 }))).toEqual(['user0004', 'user0003']);
    expect(users(scanByIdOrder(io, 'events', 'events', { skip: 1, accept: (d) => d.user !== 'user0002' }))).toEqual(['user0001', 'user0003', 'user0004']);
  });

  it('stops at a record the index points at that is not a document, with the documents before it', () => {
    const io = memoryIO();
    for (let i = 0; i < 4; i++) insert(io, 'events', 'events', event(i), opts);
    const all = scan(io, 'events', 'events');
    expect(all.docs).toHaveLength(4);
    // the newest document's size field overwritten, as a torn page would leave it
    const bytes = serialize(event(3));
    const file = io.read('events.0', 0, 1024 * 1024);
    const at = Buffer.from(file).indexOf(Buffer.from(bytes));
    expect(at).toBeGreaterThan(0);
    io.write('events.0', at, Uint8Array.of(0xee, 0xee, 0xee, 0xee));
    const r = scanByIdOrder(io, 'events', 'events', { reverse: true });
    expect(r.docs).toHaveLength(0);
    expect(r.error?.code).toBe(10334);
    expect(r.error?.message).toMatch(/^BSONObj size: -286331154 \(0xEEEEEEEE\) is invalid/);
    expect(scanByIdOrder(io, 'events', 'events').docs.map((d) => d.user)).toEqual(['user0000', 'user0001', 'user0002']);
  });
});

describe('the writes of one logical operation, in mongod order', () => {
  const show = (w: Write) => (w.file.endsWith('.ns') ? `ns+${w.bytes.length}` : `${w.file}@${w.offset.toString(16)}+${w.bytes.length}`);

  it('an insert: free list, split with the EE marker, record, chain, extent, stats, then the _id bucket', () => {
    const io = memoryIO();
    insert(io, 'events', 'events', event(0), opts);
    const r = insert(io, 'events', 'events', event(1), opts);
    expect(r.loc).toEqual({ file: 0, offset: 0x4130 });
    expect(r.writes.slice(0, 9).map(show)).toEqual([
      'ns+8', // the size bucket's list head takes the free record's successor
      'events.0@4138+8', // the taken record's nextDeleted, set invalid
      'events.0@4130+4', // its length cut to the 128 bytes asked for
      'events.0@41b0+20', // the rest: a deleted record's header and the four EE bytes
      'ns+8', // ... at the head of its list
      'events.0@4130+124', // the record: header and the 108-byte document
      'events.0@40b8+4', // the previous record's nextOfs
      'events.0@40a8+8', // the extent's lastRecord
      'ns+16', // datasize and nrecords
    ]);
    expect([...r.writes[3]!.bytes.subarray(16)]).toEqual([0xee, 0xee, 0xee, 0xee]);
    // the index bucket lives in the index's own extent (0:8000, its first bucket page aligned at 0:9000)
    const rest = r.writes.slice(9);
    expect(rest.length).toBeGreaterThan(0);
    expect(rest.every((w) => w.file === 'events.0' && w.offset >= 0x9010 && w.offset < 0x9000 + 8192)).toBe(true);
  });

  it('a remove: unindex first, then unlink, extent, stats, and the freed record with its marker', () => {
    const io = memoryIO();
    for (let i = 0; i < 3; i++) insert(io, 'events', 'events', event(i), opts);
    const r = remove(io, 'events', 'events', event(1)._id);
    const shown = r.writes.map(show);
    const firstData = shown.findIndex((s) => !s.startsWith('events.0@9'));
    expect(firstData).toBeGreaterThan(0);
    expect(shown.slice(firstData)).toEqual([
      'events.0@40b8+4', // record 0's nextOfs skips record 1
      'events.0@41bc+4', // record 2's prevOfs
      'ns+16',
      'events.0@4130+20', // record 1 onto a deleted list: header, then EE EE EE EE over its BSON size
      'ns+8',
    ]);
    expect([...io.read('events.0', 0x4140, 8)]).toEqual([0xee, 0xee, 0xee, 0xee, 0x07, 0x5f, 0x69, 0x64]);
  });
});

describe('validate as 2.6 reports it', () => {
  const extent = { loc: '0:4000', xnext: 'null', xprev: 'null', nsdiag: 'events.events', size: 8192, firstRecord: '0:40b0', lastRecord: '0:40b0' };
  it('full', () => {
    const io = memoryIO();
    insert(io, 'events', 'events', event(1), opts);
    const v = validate(io, 'events', 'events', { full: true });
    expect(Object.keys(v)).toEqual([
      'ns', 'firstExtent', 'lastExtent', 'extentCount', 'extents', 'datasize', 'nrecords', 'lastExtentSize', 'padding',
      'firstExtentDetails', 'objectsFound', 'invalidObjects', 'nQuantizedSize', 'nPowerOf2QuantizedSize',
      'bytesWithHeaders', 'bytesWithoutHeaders', 'bytesBson', 'deletedCount', 'deletedSize', 'delBucketSizes',
      'nIndexes', 'keysPerIndex', 'valid', 'errors', 'ok',
    ]);
    expect(v).toEqual({
      ns: 'events.events',
      firstExtent: '0:4000 ns:events.events',
      lastExtent: '0:4000 ns:events.events',
      extentCount: 1,
      extents: [extent],
      datasize: 112,
      nrecords: 1,
      lastExtentSize: 8192,
      padding: 1,
      firstExtentDetails: extent,
      objectsFound: 1,
      invalidObjects: 0,
      nQuantizedSize: 1,
      nPowerOf2QuantizedSize: 1,
      bytesWithHeaders: 128,
      bytesWithoutHeaders: 112,
      bytesBson: 108,
      deletedCount: 1,
      deletedSize: 7888,
      delBucketSizes: [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      nIndexes: 1,
      keysPerIndex: { 'events.events.$_id_': 1 },
      valid: true,
      errors: [],
      ok: 1,
    });
  });
  it('quick (no records read) carries the warning', () => {
    const io = memoryIO();
    insert(io, 'events', 'events', event(1), opts);
    expect(validate(io, 'events', 'events', { full: false })).toEqual({
      ns: 'events.events',
      firstExtent: '0:4000 ns:events.events',
      lastExtent: '0:4000 ns:events.events',
      extentCount: 1,
      datasize: 112,
      nrecords: 1,
      lastExtentSize: 8192,
      padding: 1,
      firstExtentDetails: extent,
      deletedCount: 1,
      deletedSize: 7888,
      nIndexes: 1,
      keysPerIndex: { 'events.events.$_id_': 1 },
      valid: true,
      errors: [],
      warning: 'Some checks omitted for speed. use {full:true} option to do more thorough scan.',
      ok: 1,
    });
  });
});

describe('values come back as the shell needs them', () => {
  it('a 64-bit integer stays a Long; int32 and double are numbers', () => {
    const io = memoryIO();
    insert(io, 'events', 'events', { _id: objectIdAt(1, 2, 3, 4), n: Long.fromNumber(5), i: 7, d: 1.5 }, opts);
    const [doc] = scan(io, 'events', 'events').docs;
    expect(doc!.n).toBeInstanceOf(Long);
    expect(doc!.i).toBe(7);
    expect(doc!.d).toBe(1.5);
  });
});

describe('2.4-style exact-fit collections', () => {
  it('without usePowerOf2Sizes a record is the document plus header, 4-aligned, quantized to 1/16 of its bucket', () => {
    const io = memoryIO();
    createCollection(io, 'events', 'legacy', { ...opts, usePowerOf2Sizes: false });
    const doc = { _id: objectIdAt(1, 2, 3, 4), s: 'x'.repeat(70) };
    expect(serialize(doc).length).toBe(100);
    const r = insert(io, 'events', 'legacy', doc, opts);
    // 100 + 16 = 116, which 1/16 of the 128 bucket (8 bytes) rounds to 120
    expect(io.read('events.0', r.loc!.offset, 4)).toEqual(new Uint8Array([120, 0, 0, 0]));
    const v = validate(io, 'events', 'legacy', { full: true });
    expect(v.bytesWithHeaders).toBe(120);
    expect(v.nPowerOf2QuantizedSize).toBe(0);
  });
});

describe('dbStats as 2.6 adds it up', () => {
  /** each collection's own figures, from validate's walk of its extents and records */
  const perCollection = (io: ReturnType<typeof memoryIO>, db: string) =>
    listCollections(io, db).map((c) => {
      const v = validate(io, db, c, { full: true }) as { datasize: number; nrecords: number; extents: Array<{ size: number }>; nIndexes: number };
      return { objects: v.nrecords, dataSize: v.datasize, storage: v.extents.reduce((n, e) => n + e.size, 0), extents: v.extents.length, indexes: v.nIndexes };
    });
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

  it('sums every collection, system ones included, and counts the data files, not the .ns file', () => {
    const io = memoryIO();
    for (let i = 0; i < 3000; i++) insert(io, 'events', 'events', event(i), opts);
    for (let i = 0; i < 20; i++) insert(io, 'events', 'audit', event(i, { by: 'ops' }), opts);
    const s = databaseStats(io, 'events')!;
    const each = perCollection(io, 'events');
    expect(listCollections(io, 'events').sort()).toEqual(['audit', 'events', 'system.indexes', 'system.namespaces']);
    expect(s.collections).toBe(4);
    expect(s.objects).toBe(sum(listCollections(io, 'events').map((c) => count(io, 'events', c))));
    expect(s.objects).toBe(sum(each.map((c) => c.objects)));
    expect(s.dataSize).toBe(sum(each.map((c) => c.dataSize)));
    expect(s.storageSize).toBe(sum(each.map((c) => c.storage)));
    expect(s.numExtents).toBe(sum(each.map((c) => c.extents)));
    expect(s.numExtents).toBeGreaterThan(s.collections);
    expect(s.indexes).toBe(2);
    expect(s.fileSize).toBe(sum([...io.files.keys()].filter((f) => /^events\.\d+$/.test(f)).map((f) => io.size(f))));
    expect(s.nsSizeMB).toBe(16);
    expect(s.version).toEqual({ major: 4, minor: 5 });
    expect(s.freeList).toEqual({ num: 0, totalSize: 0 });
  });

  it('an index’s size is its buckets’ data: one bucket of 8192 bytes less its record header, more as it splits', () => {
    const io = memoryIO();
    insert(io, 'events', 'events', event(1), opts);
    expect(databaseStats(io, 'events')!.indexSize).toBe(8176);
    for (let i = 2; i < 3000; i++) insert(io, 'events', 'events', event(i), opts);
    const grown = databaseStats(io, 'events')!.indexSize;
    expect(grown % 8176).toBe(0);
    expect(grown).toBeGreaterThan(8176);
  });

  it('a database with no files has no stats', () => {
    const io = memoryIO();
    expect(databaseStats(io, 'events')).toBeNull();
  });
});
