/**
 * A restored image can hold anything. Readers answer with mongod's own errors, writers either work
 * or stop with a StoreFault (where mongod would crash); nothing else escapes and nothing hangs.
 */
import {
  count, dumpCollection, findById, insert, memoryIO, MongoAssertionError, objectIdAt, remove, scan, StoreFault, update,
  validateCollection,
} from '../../../../engine/storage/mmapv1';

const opts = { smallfiles: true };
const event = (i: number) => ({ _id: objectIdAt(1431399600 + i, 1, 2, i), user: `user-${i}`, type: 'checkin', points: i % 50, tags: ['a'] });

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const seen = { assertions: 0, faults: 0 };
const allowed = (f: () => unknown) => {
  try {
    const r = f() as { error?: unknown; assertion?: unknown } | null;
    if (r && (r.error || r.assertion)) seen.assertions++;
  } catch (e) {
    if (e instanceof MongoAssertionError) seen.assertions++;
    else if (e instanceof StoreFault) seen.faults++;
    else throw e;
  }
};

afterAll(() => {
  // the noise did reach the readers
  expect(seen.assertions).toBeGreaterThan(0);
});

describe('garbage in the files', () => {
  const base = memoryIO();
  for (let i = 0; i < 300; i++) insert(base, 'events', 'events', event(i), opts);
  for (let i = 0; i < 300; i += 7) update(base, 'events', 'events', event(i)._id, { ...event(i), tags: Array(30).fill('grown') }, opts);
  for (let i = 3; i < 300; i += 11) remove(base, 'events', 'events', event(i)._id);

  for (let seed = 1; seed <= 12; seed++) {
    it(`seed ${seed}: pages overwritten with noise, zeros or 0xEE`, () => {
      const rnd = lcg(seed);
      const io = memoryIO(new Map([...base.files].map(([k, v]) => [k, v.slice()])));
      const data = io.files.get('events.0')!;
      const used = 0x30000;
      for (let k = 0; k < 6; k++) {
        const page = Math.floor(rnd() * (used / 4096)) * 4096;
        const kind = Math.floor(rnd() * 3);
        for (let i = 0; i < 4096; i++) data[page + i] = kind === 0 ? Math.floor(rnd() * 256) : kind === 1 ? 0 : 0xee;
      }
      allowed(() => scan(io, 'events', 'events'));
      allowed(() => count(io, 'events', 'events'));
      for (let i = 0; i < 300; i += 13) allowed(() => findById(io, 'events', 'events', event(i)._id));
      allowed(() => validateCollection(io, 'events', 'events', { full: true }));
      allowed(() => validateCollection(io, 'events', 'events', { full: false }));
      allowed(() => dumpCollection(io, 'events', 'events'));
      for (let i = 300; i < 310; i++) allowed(() => insert(io, 'events', 'events', event(i), opts));
      for (let i = 1; i < 40; i += 5) allowed(() => update(io, 'events', 'events', event(i)._id, { ...event(i), tags: Array(40).fill('x') }, opts));
      for (let i = 2; i < 40; i += 5) allowed(() => remove(io, 'events', 'events', event(i)._id));
    });
  }
});
