/**
 * When the primary's import starts tonight (its cron job's own timing: up to half an hour early).
 * The incident night's error is the oints shape when the record a reader meets was written, after
 * the backup's fsync, into free space whose page on the disk still holds mongod's freed-record
 * marker right before the old bytes of a field name. Which upcoming writes are such a write is a
 * fact of the store's layout: it is found by applying the primary's next operations to a copy of
 * the data files as they are now (in memory, the live box untouched) and looking at what each
 * insert overwrote. The import's start is then set so that one of them arrives just after the
 * backup's fsync. Nothing of the tear is chosen here: the flush phase (phase.ts) and the trials
 * decide whether the snapshot catches it.
 */
import { forEachPiece } from '../../../kernel/block';
import * as store from '../../../storage/mmapv1';
import type { DataFileIO } from '../../../storage/mmapv1';
import { blockFileBytes, resolveBlockPath, type BlockFile } from '../../../machine/blockfs';
import { feedOp } from '../../../machine/mongo/feed';
import { mongoOf } from '../../../machine/mongo/server';
import { opsBy, opTimeMs, type PrimaryModel } from '../../../machine/mongo/repl';
import type { Ch3World } from './world';

const PAGE = 4096;
/** the int32 mongod writes where a freed record's document began, then the field name "points" */
const MARKER = [0xee, 0xee, 0xee, 0xee];

/** the data files as the page cache holds them, read a page at a time; writes stay in the copy */
function copyOnWrite(w: Ch3World, dbpath: string): DataFileIO {
  const files = new Map<string, BlockFile | null>();
  const pages = new Map<string, Uint8Array>();
  const sizes = new Map<string, number>();
  const fileOf = (name: string): BlockFile | null => {
    if (!files.has(name)) {
      const r = resolveBlockPath(w, `${dbpath}/${name}`);
      files.set(name, 'ino' in r && r.inode.kind === 'f' ? r : null);
    }
    return files.get(name)!;
  };
  const size = (name: string): number => sizes.get(name) ?? fileOf(name)?.inode.size ?? 0;
  const page = (name: string, index: number): Uint8Array => {
    const key = `${name}:${index}`;
    let p = pages.get(key);
    if (!p) {
      p = new Uint8Array(PAGE);
      const f = fileOf(name);
      if (f && index * PAGE < f.inode.size) p.set(blockFileBytes(w, f, index * PAGE, PAGE));
      pages.set(key, p);
    }
    return p;
  };
  const each = (name: string, offset: number, len: number, fn: (p: Uint8Array, within: number, at: number, take: number) => void): void =>
    forEachPiece(offset, offset + len, (index, within, at, take) => fn(page(name, index), within, at, take), PAGE);
  return {
    read: (name, offset, len) => {
      const out = new Uint8Array(len);
      const end = Math.min(offset + len, size(name));
      if (end > offset) each(name, offset, end - offset, (p, within, at, take) => out.set(p.subarray(within, within + take), at));
      return out;
    },
    write: (name, offset, bytes) => {
      each(name, offset, bytes.length, (p, within, at, take) => p.set(bytes.subarray(at, at + take), within));
      if (offset + bytes.length > size(name)) sizes.set(name, offset + bytes.length);
    },
    size,
    allocate: (name, n) => {
      if (n > size(name)) sizes.set(name, n);
    },
  };
}

/**
 * The operations at or after `from` (and before `to`) that insert a document into free space
 * whose first bytes were mongod's freed-record marker followed by the field name `field` ('' any; what a
 * reader of that document finds if the page is captured before the insert reached it), in order,
 * up to the (`upTo`+1)th: the search stops there.
 */
export function markerLandings(w: Ch3World, field: string, from: number, to: number, upTo = 0): number[] {
  const m = mongoOf(w);
  const s = m.servers[0];
  const p = m.primary;
  const f = m.feed;
  if (!s || !s.sync || !p || !f) return [];
  const io = copyOnWrite(w, s.opts.dbpath);
  const opts = { smallfiles: s.opts.smallfiles };
  const name = [...field].map((c) => c.charCodeAt(0));
  const out: number[] = [];
  for (let k = s.sync.applied; k < to; k++) {
    const op = feedOp(f, k, (j) => opTimeMs(p, j));
    if (op.kind === 'update') {
      store.update(io, f.db, f.coll, op.doc._id, op.doc, opts);
      continue;
    }
    // what the insert will overwrite is read first: the allocator's choice is the store's own
    const before = new Map<number, Uint8Array>();
    const watch: DataFileIO = {
      read: io.read,
      size: io.size,
      allocate: io.allocate,
      write: (file, offset, bytes) => {
        if (!file.endsWith('.ns') && !before.has(offset)) before.set(offset, io.read(file, offset, 20 + name.length));
        io.write(file, offset, bytes);
      },
    };
    const r = store.insert(watch, f.db, f.coll, op.doc, opts);
    const old = r.loc ? before.get(r.loc.offset) : undefined;
    if (k >= from && old && old.length >= 20 + name.length && MARKER.every((b, i) => old[16 + i] === b) && name.every((b, i) => old[20 + i] === b)) out.push(k);
    if (out.length > upTo) break;
  }
  return out;
}

/**
 * The import's start (ms) that puts operation k at `at`, searched within [lo, hi]; -1 when none
 * does. Before the import the primary writes its quiet rate, as the schedule says.
 */
export function importStartFor(p: PrimaryModel, night: number, k: number, at: number, lo: number, hi: number): number {
  const trial = (start: number): number => {
    const q: PrimaryModel = { ...p, schedule: p.schedule.map((x, i) => (i === night ? { ...x, fromMs: start } : x)) };
    return opTimeMs(q, k);
  };
  // later starts put k later: fewer of the import's operations come before `at`
  if (trial(lo) > at || trial(hi) < at) return -1;
  let a = lo;
  let b = hi;
  for (let i = 0; i < 30 && b - a > 1; i++) {
    const mid = (a + b) / 2;
    if (trial(mid) < at) a = mid;
    else b = mid;
  }
  return Math.round(b);
}


/**
 * Sets tonight's import start (schedule entry `night`, between `earliest` and `latest`) so that
 * the `nth` (from 0) upcoming insert onto a marker before `field` is written by the primary at
 * `at`; returns false (the schedule unchanged) when there is no such insert or no start in the
 * range does.
 */
export function alignImport(w: Ch3World, field: string, night: number, earliest: number, latest: number, at: number, nth = 0): boolean {
  const p = mongoOf(w).primary;
  if (!p || !p.schedule[night]) return false;
  const startingAt = (start: number): PrimaryModel => ({ ...p, schedule: p.schedule.map((x, i) => (i === night ? { ...x, fromMs: start } : x)) });
  // the later the import starts, the fewer of its operations come before `at`
  const from = Math.ceil(opsBy(startingAt(latest), at));
  const to = Math.floor(opsBy(startingAt(earliest), at));
  const k = markerLandings(w, field, from, to, nth)[nth];
  if (k === undefined) return false;
  const start = importStartFor(p, night, k, at, earliest, latest);
  if (start < 0) return false;
  p.schedule[night]!.fromMs = start;
  return true;
}
