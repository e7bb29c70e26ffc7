/**
 * The page cache and its write-back (linux 3.13's mm/page-writeback.c and fs/fs-writeback.c,
 * simplified where nobody can see the difference), and the device queue that completes what it
 * submits.
 *
 * Dirty inodes sit in the order they were first dirtied (b_dirty). The flusher wakes every
 * vm.dirty_writeback_centisecs while anything is dirty and writes back the inodes dirtied longer
 * than vm.dirty_expire_centisecs ago, oldest first, each in chunks of at most 1024 pages
 * (MIN_WRITEBACK_PAGES) taken cyclically from where its last write-back stopped, an inode with
 * more left going to the back of the queue: the kernel's order, not the program's. Past the
 * background threshold it writes the oldest inodes until under it. Periodic and background
 * write-back skip pages already under write-back (WB_SYNC_NONE); fsync and sync submit them again.
 *
 * A device completes requests in order: each takes its service time (the longer of one I/O at its
 * IOPS and its bytes at its throughput) after the previous one, plus a fixed latency. Pages reach
 * the store only at completion.
 */
import type { KernelState } from '../types';
import { allZero, fromBase64, toBase64 } from './bytes';
import { forEachPiece } from './pieces';
import { deviceOf } from './devices';
import { bmap, flushMeta, growFile, sizeOf } from './meta';
import { readBlock, writeBlockData } from './store';
import { blockOf, blockStateOf } from './subsystem';
import { BLOCK_BYTES, SECTOR_BYTES, type Backing, type BlockDevice, type BlockState, type CachedInode, type CachedPage, type DiskStats, type IoRequest } from './types';

/** xen-blkfront (3.11+, indirect descriptors) takes 32 segments of a page per request by default */
export const MAX_REQUEST_PAGES = 32;
/** MIN_WRITEBACK_PAGES: the chunk the flusher writes of one inode before moving to the next */
export const WRITEBACK_CHUNK_PAGES = 1024;

function findInode(b: BlockState, dev: string, ino: number): CachedInode | undefined {
  return b.inodes.find((c) => c.dev === dev && c.ino === ino);
}

function mustDevice(k: KernelState, dev: string): BlockDevice {
  const d = deviceOf(k, dev);
  if (!d) throw new RangeError(`no block device ${dev}`);
  return d;
}

/** the device block behind page `index` of the file (inode 0: the raw device); -1 for a hole */
function blockFor(k: KernelState, d: BlockDevice, ino: number, index: number): number {
  return ino === 0 ? index : bmap(k, d.name, ino, index);
}

function pageData(pg: CachedPage): Uint8Array {
  return pg.data === '' ? new Uint8Array(BLOCK_BYTES) : fromBase64(pg.data);
}

function pageFromDevice(k: KernelState, d: BlockDevice, ino: number, index: number, backing: Backing): Uint8Array {
  const blk = blockFor(k, d, ino, index);
  return blk < 0 ? new Uint8Array(BLOCK_BYTES) : readBlock(backing(d.backingId), blk);
}

/** the inode went from clean to dirty: it joins the dirty list's new end (__mark_inode_dirty) */
function markDirty(b: BlockState, c: CachedInode, t: number): void {
  if (c.dirtiedWhen >= 0) return;
  c.dirtiedWhen = t;
  const i = b.inodes.indexOf(c);
  b.inodes.splice(i, 1);
  b.inodes.push(c);
}

/** dirty thresholds in pages (global_dirty_limits without the real-time task bonus) */
export function dirtyThresholds(k: KernelState): { background: number; dirty: number } {
  const b = blockOf(k);
  const avail = b.dirtyablePages ?? Math.floor(k.mem.totalKb / 4);
  const s = b.sysctl;
  let background = s.dirtyBackgroundBytes > 0 ? Math.ceil(s.dirtyBackgroundBytes / BLOCK_BYTES) : Math.floor((s.dirtyBackgroundRatio * avail) / 100);
  const dirty = s.dirtyBytes > 0 ? Math.ceil(s.dirtyBytes / BLOCK_BYTES) : Math.floor((s.dirtyRatio * avail) / 100);
  if (background >= dirty) background = Math.floor(dirty / 2);
  return { background, dirty };
}

/** part_round_stats: io_ticks and time_in_queue brought up to now */
function roundStats(s: DiskStats, now: number): void {
  if (now <= s.stamp) return;
  if (s.inFlight > 0) {
    s.msIo += now - s.stamp;
    s.msWeighted += s.inFlight * (now - s.stamp);
  }
  s.stamp = now;
}

function completeStats(s: DiskStats, r: IoRequest): void {
  roundStats(s, r.doneAt);
  s.inFlight--;
  s.writes++;
  s.writesMerged += r.merged;
  s.sectorsWritten += (r.data.length * BLOCK_BYTES) / SECTOR_BYTES;
  s.msWriting += r.doneAt - r.submittedAt;
}

/** requests in flight stay ordered by completion (ties in submission order), so what is due is a prefix */
function insertByDone(b: BlockState, r: IoRequest): void {
  const q = b.inflight;
  let lo = 0;
  let hi = q.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (q[mid].doneAt <= r.doneAt) lo = mid + 1;
    else hi = mid;
  }
  q.splice(lo, 0, r);
}

/** submits the pages (sorted page indexes of one inode) as requests of contiguous blocks; returns the last completion */
function submit(k: KernelState, c: CachedInode, indexes: number[], t: number): number {
  const b = blockOf(k);
  const d = mustDevice(k, c.dev);
  let last = t;
  let run: { block: number; data: string[]; pages: Array<[number, number]> } | null = null;
  const send = (): void => {
    if (!run) return;
    const bytes = run.data.length * BLOCK_BYTES;
    const service = Math.max(1000 / d.timing.iops, bytes / d.timing.bytesPerMs);
    const start = Math.max(t, d.busyUntil);
    d.busyUntil = start + service;
    const doneAt = d.busyUntil + d.timing.latencyMs;
    roundStats(d.stats, t);
    d.stats.inFlight++;
    insertByDone(b, { dev: d.name, block: run.block, data: run.data, pages: run.pages, submittedAt: t, startAt: start, doneAt, merged: run.data.length - 1 });
    last = Math.max(last, doneAt);
    run = null;
  };
  for (const index of indexes) {
    const pg = c.pages[String(index)];
    if (!pg || !pg.dirty) continue;
    const blk = blockFor(k, d, c.ino, index);
    pg.dirty = false;
    b.dirtyPages--;
    if (blk < 0) {
      // a page past the file's blocks (truncated under it): nothing to write
      if (!pg.writeback) delete c.pages[String(index)];
      continue;
    }
    if (!pg.writeback) {
      pg.writeback = true;
      b.writebackPages++;
    }
    pg.inflight = (pg.inflight ?? 0) + 1;
    if (run && run.block + run.data.length === blk && run.data.length < MAX_REQUEST_PAGES) {
      run.data.push(pg.data);
      run.pages.push([c.ino, index]);
    } else {
      send();
      run = { block: blk, data: [pg.data], pages: [[c.ino, index]] };
    }
  }
  send();
  return last;
}

function dirtyIndexes(c: CachedInode, skipWriteback: boolean): number[] {
  const out: number[] = [];
  for (const key in c.pages) {
    const pg = c.pages[key];
    if (pg.dirty && !(skipWriteback && pg.writeback)) out.push(Number(key));
  }
  return out.sort((x, y) => x - y);
}

function hasDirty(c: CachedInode): boolean {
  for (const key in c.pages) if (c.pages[key].dirty) return true;
  return false;
}

/** after write-back of an inode: clean, or (pages left dirty) back on the list's new end (redirty_tail) */
function requeue(b: BlockState, c: CachedInode, t: number): void {
  if (!hasDirty(c)) {
    c.dirtiedWhen = -1;
    return;
  }
  const i = b.inodes.indexOf(c);
  const tail = [...b.inodes].reverse().find((x) => x !== c && x.dirtiedWhen >= 0);
  b.inodes.splice(i, 1);
  b.inodes.push(c);
  if (tail && tail.dirtiedWhen > c.dirtiedWhen) c.dirtiedWhen = t;
}

/**
 * WB_SYNC_NONE write-back of the inodes, oldest first, in chunks, until `enough` says stop
 * (background) or all their dirty pages not already under write-back are submitted (kupdate).
 */
function writeInodes(k: KernelState, inodes: CachedInode[], t: number, enough: () => boolean): void {
  const b = blockOf(k);
  const queue = [...inodes];
  const done = new Set<CachedInode>();
  while (queue.length > 0 && !enough()) {
    const c = queue.shift()!;
    const all = dirtyIndexes(c, true);
    const from = c.wbIndex ?? 0;
    const cyclic = [...all.filter((i) => i >= from), ...all.filter((i) => i < from)];
    const chunk = cyclic.slice(0, WRITEBACK_CHUNK_PAGES);
    if (chunk.length > 0) {
      submit(k, c, [...chunk].sort((x, y) => x - y), t);
      c.wbIndex = chunk[chunk.length - 1] + 1;
    }
    if (cyclic.length > chunk.length) queue.push(c);
    else done.add(c);
  }
  for (const c of done) requeue(b, c, t);
}

/** background write-back: the oldest inodes until the dirty pages are under the background threshold */
function backgroundWriteback(k: KernelState, t: number): void {
  const b = blockOf(k);
  const { background } = dirtyThresholds(k);
  if (b.dirtyPages <= background) return;
  writeInodes(
    k,
    b.inodes.filter((c) => c.dirtiedWhen >= 0),
    t,
    () => b.dirtyPages <= background,
  );
}

/** completes the requests due by t, in completion order: their pages reach the store */
export function completeIo(k: KernelState, t: number, backing: Backing): void {
  const b = blockStateOf(k);
  if (!b || b.inflight.length === 0 || b.inflight[0].doneAt > t) return;
  let n = 0;
  while (n < b.inflight.length && b.inflight[n].doneAt <= t) n++;
  const due = b.inflight.splice(0, n);
  for (const r of due) {
    const d = deviceOf(k, r.dev);
    if (!d) continue;
    const store = backing(d.backingId);
    r.data.forEach((data, i) => writeBlockData(store, r.block + i, data === '' ? undefined : data));
    completeStats(d.stats, r);
    b.nrWritten += r.pages.length;
    for (const [ino, index] of r.pages) {
      const c = findInode(b, r.dev, ino);
      const pg = c?.pages[String(index)];
      if (!c || !pg) continue;
      pg.inflight = Math.max(0, (pg.inflight ?? 1) - 1);
      if (pg.inflight > 0) continue;
      delete pg.inflight;
      if (pg.writeback) {
        pg.writeback = false;
        b.writebackPages--;
      }
      if (!pg.dirty) delete c.pages[String(index)];
    }
  }
  b.inodes = b.inodes.filter((c) => c.dirtiedWhen >= 0 || Object.keys(c.pages).length > 0);
}

export function cacheWrite(k: KernelState, dev: string, ino: number, offset: number, bytes: Uint8Array, t: number, backing: Backing): number {
  const b = blockOf(k);
  const d = mustDevice(k, dev);
  completeIo(k, t, backing);
  if (bytes.length === 0) return t;
  const end = offset + bytes.length;
  if (offset < 0) throw new RangeError('negative offset');
  if (ino === 0) {
    if (end > d.sizeBytes) throw new RangeError(`write past the end of ${d.name}`);
  } else growFile(k, d.name, ino, end, t, backing);
  let c = findInode(b, d.name, ino);
  if (!c) {
    c = { dev: d.name, ino, dirtiedWhen: -1, pages: {} };
    b.inodes.push(c);
  }
  const inode = c;
  forEachPiece(offset, end, (index, within, at, take) => {
    let pg = inode.pages[String(index)];
    const page = pg ? pageData(pg) : take === BLOCK_BYTES ? new Uint8Array(BLOCK_BYTES) : pageFromDevice(k, d, ino, index, backing);
    page.set(bytes.subarray(at, at + take), within);
    if (!pg) {
      pg = { data: '', dirty: false, writeback: false };
      inode.pages[String(index)] = pg;
    }
    // a page of zeros (a file preallocated by writing zeros) costs nothing in the state
    pg.data = allZero(page) ? '' : toBase64(page);
    if (pg.writeback) carryIntoQueued(b, d.name, ino, index, pg.data, t);
    if (!pg.dirty) {
      pg.dirty = true;
      b.dirtyPages++;
      b.nrDirtied++;
    }
  });
  markDirty(b, c, t);
  const interval = b.sysctl.dirtyWritebackCentisecs * 10;
  if (b.nextWakeAt < 0 && interval > 0) b.nextWakeAt = t + interval;
  backgroundWriteback(k, t);
  return throttledUntil(k, t);
}

/**
 * A page written while its write-back request waits in the queue: the device gets the new bytes.
 * The request holds the page itself, not a copy; its bytes are read when the device takes the
 * request, and xen-blkfront asks for no stable pages, so nothing holds the writer back meanwhile
 * (the page is dirty again all the same). A flush under a stream of writes can therefore carry
 * the later half of a write that arrived after it started, and not the earlier half.
 */
function carryIntoQueued(b: BlockState, dev: string, ino: number, index: number, data: string, t: number): void {
  for (const r of b.inflight) {
    if (r.dev !== dev || (r.startAt ?? r.doneAt) <= t) continue;
    for (let i = 0; i < r.pages.length; i++) {
      const [pino, pindex] = r.pages[i];
      if (pino === ino && pindex === index) r.data[i] = data;
    }
  }
}

/** balance_dirty_pages, coarsely: a writer past the dirty limit waits until enough write-back completes */
function throttledUntil(k: KernelState, t: number): number {
  const b = blockOf(k);
  const { dirty } = dirtyThresholds(k);
  let over = b.dirtyPages + b.writebackPages - dirty;
  if (over <= 0) return t;
  for (const r of b.inflight) {
    over -= r.pages.length;
    if (over <= 0) return Math.max(t, r.doneAt);
  }
  return Math.max(t, ...b.inflight.map((r) => r.doneAt));
}

export function cacheRead(k: KernelState, dev: string, ino: number, offset: number, len: number, backing: Backing): Uint8Array {
  const b = blockOf(k);
  const d = mustDevice(k, dev);
  const size = ino === 0 ? d.sizeBytes : sizeOf(k, d.name, ino);
  const end = Math.min(offset + len, size);
  if (end <= offset) return new Uint8Array(0);
  const out = new Uint8Array(end - offset);
  const c = findInode(b, d.name, ino);
  forEachPiece(offset, end, (index, within, at, take) => {
    const pg = c?.pages[String(index)];
    const page = pg ? pageData(pg) : pageFromDevice(k, d, ino, index, backing);
    out.set(page.subarray(within, within + take), at);
  });
  return out;
}

/** the latest completion of any request in flight for the inode (or the device), t when none */
function lastInflight(b: BlockState, dev: string, ino: number | null, t: number): number {
  let last = t;
  for (const r of b.inflight) if (r.dev === dev && (ino === null || r.pages.some(([i]) => i === ino))) last = Math.max(last, r.doneAt);
  return last;
}

export function fsyncFile(k: KernelState, dev: string, ino: number, t: number, backing: Backing): number {
  const b = blockOf(k);
  const d = mustDevice(k, dev);
  completeIo(k, t, backing);
  const c = findInode(b, d.name, ino);
  if (c) {
    submit(k, c, dirtyIndexes(c, false), t);
    c.dirtiedWhen = -1;
  }
  if (ino !== 0) flushMeta(k, d.name, backing);
  const last = lastInflight(b, d.name, ino, t);
  // the cache flush fsync ends with (blkdev_issue_flush): one more round trip to the device
  return last + d.timing.latencyMs;
}

/** syncfs(2) for one device: its dirty pages submitted, its metadata written; when all is complete */
export function syncDevice(k: KernelState, dev: string, t: number, backing: Backing): number {
  const b = blockOf(k);
  const d = mustDevice(k, dev);
  completeIo(k, t, backing);
  for (const c of b.inodes.filter((x) => x.dev === d.name)) {
    submit(k, c, dirtyIndexes(c, false), t);
    c.dirtiedWhen = -1;
  }
  flushMeta(k, d.name, backing);
  return lastInflight(b, d.name, null, t) + d.timing.latencyMs;
}

export function syncAll(k: KernelState, t: number, backing: Backing): number {
  const b = blockStateOf(k);
  if (!b) return t;
  let last = t;
  for (const d of b.devices) last = Math.max(last, syncDevice(k, d.name, t, backing));
  return last;
}

export function nextWritebackAt(k: KernelState): number {
  const b = blockStateOf(k);
  if (!b) return Infinity;
  const wake = b.nextWakeAt >= 0 ? b.nextWakeAt : Infinity;
  return b.inflight.length > 0 ? Math.min(wake, b.inflight[0].doneAt) : wake;
}

export function runWriteback(k: KernelState, t: number, backing: Backing): void {
  const b = blockStateOf(k);
  if (!b) return;
  completeIo(k, t, backing);
  if (b.nextWakeAt < 0 || b.nextWakeAt > t) return;
  backgroundWriteback(k, t);
  const cutoff = t - b.sysctl.dirtyExpireCentisecs * 10;
  writeInodes(
    k,
    b.inodes.filter((c) => c.dirtiedWhen >= 0 && c.dirtiedWhen <= cutoff),
    t,
    () => false,
  );
  // the inodes' own changes (mtimes) go out with their pages (write_inode)
  for (const dev in b.fs) flushMeta(k, dev, backing);
  const interval = b.sysctl.dirtyWritebackCentisecs * 10;
  b.nextWakeAt = b.dirtyPages > 0 && interval > 0 ? t + interval : -1;
}

export function pageCounts(k: KernelState): { dirty: number; writeback: number } {
  const b = blockStateOf(k);
  return b ? { dirty: b.dirtyPages, writeback: b.writebackPages } : { dirty: 0, writeback: 0 };
}

export function diskStatsAt(k: KernelState, dev: string, t: number): DiskStats {
  const b = blockOf(k);
  const d = mustDevice(k, dev);
  const s = { ...d.stats };
  for (const r of b.inflight) {
    if (r.doneAt > t) break;
    if (r.dev === d.name) completeStats(s, r);
  }
  roundStats(s, t);
  return s;
}

/** bytes of the raw device as it holds them now: what a snapshot or a read of /dev/xvdf sees */
export function readDevice(k: KernelState, dev: string, offset: number, len: number, backing: Backing): Uint8Array {
  const d = mustDevice(k, dev);
  const store = backing(d.backingId);
  const end = Math.min(offset + len, d.sizeBytes);
  const out = new Uint8Array(Math.max(0, end - offset));
  forEachPiece(offset, end, (n, within, at, take) => out.set(readBlock(store, n).subarray(within, within + take), at));
  return out;
}

/** drops a file's cached pages from page `from` on (unlink, truncate): dirty ones are never written */
export function dropInode(k: KernelState, dev: string, ino: number, from = 0): void {
  const b = blockOf(k);
  const c = findInode(b, dev, ino);
  if (!c) return;
  for (const key in c.pages) {
    if (Number(key) < from) continue;
    const pg = c.pages[key];
    if (pg.dirty) b.dirtyPages--;
    if (pg.writeback) b.writebackPages--;
    delete c.pages[key];
  }
  if (Object.keys(c.pages).length === 0) b.inodes.splice(b.inodes.indexOf(c), 1);
  else if (!hasDirty(c)) c.dirtiedWhen = -1;
}
