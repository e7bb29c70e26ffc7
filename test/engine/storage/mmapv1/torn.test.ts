/**
 * Torn images: the pages of a data file captured at different instants (what a snapshot of a
 * volume takes while the page cache is still writing back), read with the store's own readers.
 * Every error text below is written out by hand from MongoDB 2.6's format and the bytes the test
 * arranges; the code under test computes it from the bytes alone.
 */
import { serialize } from 'bson';
import {
  dumpCollection, findById, insert, memoryIO, objectIdAt, scan, update, validateCollection, type DataFileIO,
} from '../../../../engine/storage/mmapv1';

const opts = { smallfiles: true };
const PAGE = 4096;

type Image = Map<string, Uint8Array>;
const snapshot = (io: { files: Image }): Image => new Map([...io.files].map(([k, v]) => [k, v.slice()]));

/** `newer` with the pages covering [from, to) of `file` as they were in `older` */
function tear(newer: Image, older: Image, file: string, from: number, to: number): DataFileIO & { files: Image } {
  const files = snapshot({ files: newer });
  const out = files.get(file)!;
  const old = older.get(file) ?? new Uint8Array(out.length);
  for (let p = Math.floor(from / PAGE) * PAGE; p < to; p += PAGE) out.set(old.subarray(p, p + PAGE), p);
  return memoryIO(files);
}

/** O after the night's import tagged it: too big for its 256-byte record */
const grown = (o: Record<string, unknown>) => ({ ...o, tags: ['mobile', 'late-night', 'import', 'batch-2015-05-12', 'region-us-east-1', 'client-ios-8.3', 'promo-may', 'device-iphone6', 'app-build-2.4.1'] });

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');

/** an event whose user name is 17 characters: its field `points` starts 68 bytes into the document */
const event = (i: number, user: string, extra: Record<string, unknown> = {}) => ({
  _id: objectIdAt(1431399600 + i, 0x4b2f1a, 2210, i),
  user,
  type: 'checkin',
  points: 12,
  at: new Date(Date.UTC(2015, 4, 12, 3, 0, i)),
  tags: ['mobile'],
  ...extra,
});

describe('oints: a reader four bytes before the field name "points"', () => {
  // 1. O, an event, lives in a 256-byte record at Z.
  // 2. O grows and moves: mongod frees Z, writing 0xEEEEEEEE over its first four data bytes.
  // 3. A small document S takes 64 bytes of Z; the 192 left become a deleted record at Z+64 whose
  //    header is followed by mongod's EE marker at Z+80, on top of O's old bytes: O's "points"
  //    starts at Z+16+68 = Z+84, right after the marker.
  // 4. Event N takes the deleted record at Z+64; its _id goes into the index.
  // The fsync that ran across 3 and 4 wrote the page holding Z+80 before N was written there, and
  // the index bucket (further into the file) after. Reading N through the index lands on the marker.
  const setup = () => {
    const io = memoryIO();
    for (let i = 0; i < 3; i++) insert(io, 'events', 'events', event(i, 'mobile-user-00000'), opts);
    const o = event(3, 'mobile-user-04711');
    expect(Buffer.from(serialize(o)).indexOf('points')).toBe(68);
    const Z = insert(io, 'events', 'events', o, opts).loc!;
    for (let i = 4; i < 6; i++) insert(io, 'events', 'events', event(i, 'mobile-user-00000'), opts);
    const moved = update(io, 'events', 'events', o._id, grown(o), opts);
    expect(moved.moved).toBe(true);
    const s = { _id: objectIdAt(1431399700, 0x4b2f1a, 2210, 100), k: 1 };
    const S = insert(io, 'events', 'events', s, opts).loc!;
    expect(S).toEqual(Z);
    const afterS = snapshot(io);
    const n = { _id: objectIdAt(1431399701, 0x4b2f1a, 2210, 101), user: 'u7', type: 'checkin', points: 3, at: new Date(Date.UTC(2015, 4, 12, 3, 1)) };
    const N = insert(io, 'events', 'events', n, opts).loc!;
    expect(N).toEqual({ file: 0, offset: Z.offset + 64 });
    return { io, afterS, Z, N, n };
  };

  it('the bytes at the reader are EE EE EE EE then "points" because of how the write tore', () => {
    const { io, afterS, Z, n } = setup();
    const torn = tear(io.files, afterS, 'events.0', Z.offset + 64, Z.offset + 100);
    expect(hex(torn.read('events.0', Z.offset + 80, 11))).toBe('ee ee ee ee 70 6f 69 6e 74 73 00');
    // and in the image that did not tear, N is there
    expect(findById(io, 'events', 'events', n._id)?.user).toBe('u7');
    expect(() => findById(torn, 'events', 'events', n._id)).toThrow(
      'BSONObj size: -286331154 (0xEEEEEEEE) is invalid. Size must be between 0 and 16793600(16MB) First element: oints: ?type=112',
    );
    try {
      findById(torn, 'events', 'events', n._id);
    } catch (e) {
      expect((e as { assertion: unknown }).assertion).toEqual({
        code: 10334,
        message: 'BSONObj size: -286331154 (0xEEEEEEEE) is invalid. Size must be between 0 and 16793600(16MB) First element: oints: ?type=112',
      });
    }
  });

  it('through the chain the record is simply missing: its page still ends the chain at S', () => {
    const { io, afterS, Z, n } = setup();
    // S, N and the extent header share the page 0x4000..0x4fff; only the index reached the disk
    expect(Z.offset).toBe(0x43b0);
    const torn = tear(io.files, afterS, 'events.0', Z.offset + 80, Z.offset + 100);
    const s = scan(torn, 'events', 'events');
    expect(s.error).toBeUndefined();
    expect(s.docs).toHaveLength(7);
    expect(s.docs.some((d) => String(d._id) === String(n._id))).toBe(false);
    const v = validateCollection(torn, 'events', 'events', { full: true });
    expect(v.assertion).toBeUndefined();
    expect(v.result).toMatchObject({
      nrecords: 8,
      objectsFound: 7,
      keysPerIndex: { 'events.events.$_id_': 8 },
      valid: false,
      // the deleted list head (in the .ns file) is new; the record it names lies on the old page
      errors: ['bad pointer in deleted record list: 16777216:0 bucket: 2 k: 2'],
      advice: 'ns corrupt. See http://dochub.mongodb.org/core/data-recovery',
    });
    const d = dumpCollection(torn, 'events', 'events');
    expect(d.error).toBeUndefined();
    expect(d.count).toBe(7);
  });

  it('with the page older still (before O moved), the size is read from the middle of "checkin"', () => {
    const io = memoryIO();
    for (let i = 0; i < 3; i++) insert(io, 'events', 'events', event(i, 'mobile-user-00000'), opts);
    const o = event(3, 'mobile-user-04711');
    const Z = insert(io, 'events', 'events', o, opts).loc!;
    const beforeMove = snapshot(io);
    update(io, 'events', 'events', o._id, grown(o), opts);
    insert(io, 'events', 'events', { _id: objectIdAt(1431399700, 0x4b2f1a, 2210, 100), k: 1 }, opts);
    const n = { _id: objectIdAt(1431399701, 0x4b2f1a, 2210, 101), user: 'u7', type: 'checkin', points: 3, at: new Date(0) };
    insert(io, 'events', 'events', n, opts);
    const torn = tear(io.files, beforeMove, 'events.0', Z.offset + 64, Z.offset + 100);
    // O's bytes 64..67 are "in", the NUL ending "checkin", and the int32 type byte 0x10
    expect(hex(torn.read('events.0', Z.offset + 80, 11))).toBe('69 6e 00 10 70 6f 69 6e 74 73 00');
    expect(() => findById(torn, 'events', 'events', n._id)).toThrow(
      'BSONObj size: 268463721 (0x10006E69) is invalid. Size must be between 0 and 16793600(16MB) First element: oints: ?type=112',
    );
  });
});

describe('oints from an everyday events workload', () => {
  // Typical events take 128-byte records. A fuller one (a user agent before its points) takes 256,
  // with "points" 132 bytes into its document. When it grows and moves, the next event takes the
  // first 128 bytes of the freed record and the other 128 go back on the free list: a header at
  // Z+128 and mongod's EE EE EE EE at Z+144, right before the old "points" at Z+16+132. The event
  // after that is written there; if its page is captured before it, reading it lands on the marker.
  it('needs no special document, only the usual sizes', () => {
    const io = memoryIO();
    const typical = (i: number) => ({ _id: objectIdAt(1431399600 + i, 0x4b2f1a, 2210, i), user: `u${i}`, type: 'checkin', points: i % 20, at: new Date(Date.UTC(2015, 4, 12, 3, 0, i % 60)), tags: ['mobile'] });
    for (let i = 0; i < 10; i++) insert(io, 'events', 'events', typical(i), opts);
    const full = {
      _id: objectIdAt(1431399700, 0x4b2f1a, 2210, 500),
      user: 'mobile-user-4711-ny',
      type: 'checkin',
      ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 8_3 like Mac OS X)',
      points: 12,
      at: new Date(Date.UTC(2015, 4, 12, 3, 1)),
      tags: ['mobile'],
    };
    expect(Buffer.from(serialize(full)).indexOf('points')).toBe(132);
    expect(serialize(typical(10)).length).toBeLessThanOrEqual(112);
    const Z = insert(io, 'events', 'events', full, opts).loc!;
    for (let i = 10; i < 20; i++) insert(io, 'events', 'events', typical(i), opts);
    expect(update(io, 'events', 'events', full._id, grown(full), opts).moved).toBe(true);
    expect(insert(io, 'events', 'events', typical(20), opts).loc).toEqual(Z);
    const afterFirst = snapshot(io);
    expect(hex(io.read('events.0', Z.offset + 144, 11))).toBe('ee ee ee ee 70 6f 69 6e 74 73 00');
    const next = typical(21);
    expect(insert(io, 'events', 'events', next, opts).loc).toEqual({ file: 0, offset: Z.offset + 128 });
    const torn = tear(io.files, afterFirst, 'events.0', Z.offset + 144, Z.offset + 160);
    expect(() => findById(torn, 'events', 'events', next._id)).toThrow(
      'BSONObj size: -286331154 (0xEEEEEEEE) is invalid. Size must be between 0 and 16793600(16MB) First element: oints: ?type=112',
    );
  });
});

describe('other shapes from the same mechanics', () => {
  it('a scan that walks onto a page written back before the record: mongodump loses the batch it was building', () => {
    // a first pass learns where records land (the layout is deterministic)
    const probe = memoryIO();
    const locs = Array.from({ length: 200 }, (_, i) => insert(probe, 'events', 'events', event(i, 'c'), opts).loc!);
    // past the first batch, a record that starts a page's run of records (its predecessor's nextOfs
    // is on the page before)
    const k = locs.findIndex((l, i) => i > 101 && l.offset % PAGE === 48);
    expect(k).toBeGreaterThan(101);
    const page = locs[k]!.offset - 48;
    const io = memoryIO();
    let before: Image = new Map();
    for (let i = 0; i < 200; i++) {
      if (i === k) before = snapshot(io);
      insert(io, 'events', 'events', event(i, 'c'), opts);
    }
    // that page as the flusher wrote it just before record k arrived: the free space's header and
    // mongod's marker where k's document now begins
    const torn = tear(io.files, before, 'events.0', page, page + 1);
    expect(hex(torn.read('events.0', locs[k]!.offset + 16, 5))).toBe('ee ee ee ee 00');
    const s = scan(torn, 'events', 'events');
    expect(s.docs).toHaveLength(k);
    const message = 'BSONObj size: -286331154 (0xEEEEEEEE) is invalid. Size must be between 0 and 16793600(16MB) First element: EOO';
    expect(s.error).toEqual({ code: 10334, message });
    const d = dumpCollection(torn, 'events', 'events');
    expect(d.error).toEqual({ code: 10334, message });
    expect(d.count).toBe(101);
    const v = validateCollection(torn, 'events', 'events', { full: true });
    expect(v.assertion).toEqual({ code: 10334, message });
    expect(v.result.errors).toEqual(['exception during validate']);
    expect(v.result.valid).toBe(false);
    expect(Object.keys(v.result)).toEqual([
      'ns', 'firstExtent', 'lastExtent', 'extentCount', 'extents', 'datasize', 'nrecords', 'lastExtentSize', 'padding',
      'firstExtentDetails', 'lastExtentDetails', 'valid', 'errors', 'advice', 'ok',
    ]);
  });

  it('a pointer into space whose page never reached the disk reads zeros: size 0 and EOO', () => {
    const io = memoryIO();
    insert(io, 'events', 'events', event(0, 'a'), opts);
    const empty = snapshot(io);
    const ids = [];
    let last = { file: 0, offset: 0 };
    // fill until a record starts on a page the first image never had written
    for (let i = 1; i < 60; i++) {
      const e = event(i, 'a');
      last = insert(io, 'events', 'events', e, opts).loc!;
      ids.push(e._id);
      if (Math.floor((last.offset + 16) / PAGE) !== Math.floor(empty.get('events.0')!.findLastIndex((b) => b !== 0) / PAGE)) break;
    }
    const torn = tear(io.files, new Map([['events.0', new Uint8Array(io.size('events.0'))]]), 'events.0', last.offset + 16, last.offset + 20);
    expect(hex(torn.read('events.0', last.offset + 16, 5))).toBe('00 00 00 00 00');
    expect(() => findById(torn, 'events', 'events', ids[ids.length - 1])).toThrow(
      'BSONObj size: 0 (0x0) is invalid. Size must be between 0 and 16793600(16MB) First element: EOO',
    );
  });

  it('a freed record read through a stale index entry: the marker, then the old document\'s _id', () => {
    const io = memoryIO();
    for (let i = 0; i < 4; i++) insert(io, 'events', 'events', event(i, 'b'), opts);
    const victim = event(1, 'b');
    const before = snapshot(io);
    const r = update(io, 'events', 'events', victim._id, { ...victim, tags: ['x'.repeat(300)] }, opts);
    expect(r.moved).toBe(true);
    // the _id index's root bucket (0:9000, two pages; see store.test.ts) as it was before the move,
    // the data pages after it
    const torn = tear(io.files, before, 'events.0', 0x9000, 0x9000 + 2 * PAGE);
    expect(() => findById(torn, 'events', 'events', victim._id)).toThrow(
      `BSONObj size: -286331154 (0xEEEEEEEE) is invalid. Size must be between 0 and 16793600(16MB) First element: _id: ObjectId('${victim._id.toHexString()}')`,
    );
  });
});
