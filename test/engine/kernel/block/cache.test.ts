import {
  blockOf,
  cacheRead,
  cacheWrite,
  diskStatsAt,
  fsyncFile,
  nextWritebackAt,
  pageCounts,
  readBlock,
  readDevice,
  runWriteback,
  syncAll,
  BLOCK_BYTES,
} from '../../../../engine/kernel/block';
import { bytes, rig, type Rig } from './harness';

const P = BLOCK_BYTES;

/** fires the block layer's own events up to t, as the machine's timer source does */
function runTo(r: Rig, t: number): void {
  for (;;) {
    const next = nextWritebackAt(r.k);
    if (next > t) break;
    runWriteback(r.k, next, r.backing);
  }
}

const onDevice = (r: Rig, block: number): number => readBlock(r.stores['vol-1'], block)[0];

describe('the page cache on a raw device (inode 0: page n is block n)', () => {
  it('write() only dirties pages: the device keeps its old contents and reads see the cache', () => {
    const r = rig();
    cacheWrite(r.k, 'xvdf', 0, 3 * P, bytes(P, 0xab), 1_000, r.backing);
    expect(pageCounts(r.k)).toEqual({ dirty: 1, writeback: 0 });
    expect(onDevice(r, 3)).toBe(0);
    expect(cacheRead(r.k, 'xvdf', 0, 3 * P, 4, r.backing)).toEqual(Uint8Array.from([0xab, 0xab, 0xab, 0xab]));
    expect(readDevice(r.k, 'xvdf', 3 * P, 4, r.backing)).toEqual(new Uint8Array(4));
  });

  it('a partial write reads the rest of the page in from the device first', () => {
    const r = rig();
    cacheWrite(r.k, 'xvdf', 0, 2 * P, bytes(P, 0x11), 0, r.backing);
    syncAll(r.k, 0, r.backing);
    runTo(r, 10_000);
    cacheWrite(r.k, 'xvdf', 0, 2 * P + 10, bytes(2, 0x22), 10_000, r.backing);
    const page = cacheRead(r.k, 'xvdf', 0, 2 * P + 8, 6, r.backing);
    expect([...page]).toEqual([0x11, 0x11, 0x22, 0x22, 0x11, 0x11]);
  });

  it('the flusher wakes every 5 s and writes back only what has been dirty for 30 s', () => {
    const r = rig();
    cacheWrite(r.k, 'xvdf', 0, 0, bytes(P, 1), 2_000, r.backing);
    expect(nextWritebackAt(r.k)).toBe(7_000);
    runTo(r, 31_999);
    // woken at 7, 12, ..., 27 and 32 s: at 27 s the page had been dirty 25 s
    expect(pageCounts(r.k)).toEqual({ dirty: 1, writeback: 0 });
    expect(onDevice(r, 0)).toBe(0);
    runWriteback(r.k, 32_000, r.backing);
    expect(pageCounts(r.k)).toEqual({ dirty: 0, writeback: 1 });
    // a page under write-back is not on the device until its request completes
    expect(onDevice(r, 0)).toBe(0);
    const done = blockOf(r.k).inflight[0].doneAt;
    expect(done).toBeGreaterThan(32_000);
    runTo(r, done - 0.001);
    expect(onDevice(r, 0)).toBe(0);
    runTo(r, done);
    expect(onDevice(r, 0)).toBe(1);
    expect(pageCounts(r.k)).toEqual({ dirty: 0, writeback: 0 });
    // nothing dirty: the flusher sleeps
    expect(nextWritebackAt(r.k)).toBe(Infinity);
  });

  it('vm.dirty_writeback_centisecs and vm.dirty_expire_centisecs move the flusher', () => {
    const r = rig();
    blockOf(r.k).sysctl.dirtyWritebackCentisecs = 100;
    blockOf(r.k).sysctl.dirtyExpireCentisecs = 250;
    cacheWrite(r.k, 'xvdf', 0, 0, bytes(P, 1), 0, r.backing);
    expect(nextWritebackAt(r.k)).toBe(1_000);
    runTo(r, 2_999);
    expect(pageCounts(r.k).dirty).toBe(1);
    runWriteback(r.k, 3_000, r.backing);
    expect(pageCounts(r.k)).toEqual({ dirty: 0, writeback: 1 });
  });

  it("writes back oldest inode first and each inode's pages by index, not in the program's order", () => {
    const r = rig();
    // the program writes inode 20's page 5, then inode 30's page 0, then inode 20's page 1
    cacheWrite(r.k, 'xvdf', 0, 40 * P, bytes(P, 9), 0, r.backing); // the raw device, dirtied first
    cacheWrite(r.k, 'xvdf', 0, 7 * P, bytes(P, 9), 100, r.backing);
    runWriteback(r.k, 5_000, r.backing); // nothing expired yet
    runWriteback(r.k, 30_000, r.backing);
    const order = blockOf(r.k).inflight.map((q) => q.block);
    // one inode (the device's own), its pages in index order whatever order they were written in
    expect(order).toEqual([7, 40]);
  });
});

describe('fsync and sync', () => {
  it('fsync returns when the device has completed the pages, not when they are submitted', () => {
    const r = rig();
    cacheWrite(r.k, 'xvdf', 0, 0, bytes(P, 1), 0, r.backing);
    expect(pageCounts(r.k).dirty).toBe(1);
    const done = fsyncFile(r.k, 'xvdf', 0, 10, r.backing);
    expect(pageCounts(r.k)).toEqual({ dirty: 0, writeback: 1 });
    expect(done).toBeGreaterThan(10);
    runTo(r, done);
    expect(onDevice(r, 0)).toBe(1);
  });

  it('sync returns when the device has completed every page, and a write after it dirties again', () => {
    const r = rig();
    for (let i = 0; i < 100; i++) cacheWrite(r.k, 'xvdf', 0, i * P, bytes(P, 7), i, r.backing);
    const done = syncAll(r.k, 200, r.backing);
    // 100 pages in requests of at most 32 contiguous pages: 4 requests, one after the other, at 100 IOPS
    expect(blockOf(r.k).inflight.map((q) => q.data.length)).toEqual([32, 32, 32, 4]);
    expect(done).toBe(200 + 4 * 10 + 1 + 1);
    runTo(r, done - 2);
    expect(pageCounts(r.k).writeback).toBe(4);
    runTo(r, done);
    expect(pageCounts(r.k)).toEqual({ dirty: 0, writeback: 0 });
    expect(onDevice(r, 99)).toBe(7);
    cacheWrite(r.k, 'xvdf', 0, 5 * P, bytes(P, 8), done + 1, r.backing);
    expect(pageCounts(r.k).dirty).toBe(1);
    expect(onDevice(r, 5)).toBe(7);
  });

  it('a page dirtied again while under write-back is written again by the next sync', () => {
    const r = rig();
    cacheWrite(r.k, 'xvdf', 0, 0, bytes(P, 1), 0, r.backing);
    syncAll(r.k, 0, r.backing);
    cacheWrite(r.k, 'xvdf', 0, 0, bytes(P, 2), 1, r.backing);
    expect(pageCounts(r.k)).toEqual({ dirty: 1, writeback: 1 });
    const done = syncAll(r.k, 2, r.backing);
    runTo(r, done);
    expect(onDevice(r, 0)).toBe(2);
    expect(pageCounts(r.k)).toEqual({ dirty: 0, writeback: 0 });
  });
});

  it('a write during a sync reaches the device in the requests still queued, not in those already taken: half of it is on the disk', () => {
    const r = rig();
    for (let i = 0; i < 100; i++) cacheWrite(r.k, 'xvdf', 0, i * P, bytes(P, 7), i, r.backing);
    const done = syncAll(r.k, 200, r.backing);
    // requests take 10 ms each from 200 ms: pages 0-31 are being read at 205 ms, pages 96-99 wait until 230 ms
    cacheWrite(r.k, 'xvdf', 0, 0, bytes(P, 9), 205, r.backing);
    cacheWrite(r.k, 'xvdf', 0, 99 * P, bytes(P, 9), 205, r.backing);
    runTo(r, done);
    expect(onDevice(r, 0)).toBe(7);
    expect(onDevice(r, 99)).toBe(9);
    // both are dirty again all the same: the next sync makes the device whole
    expect(pageCounts(r.k)).toEqual({ dirty: 2, writeback: 0 });
    runTo(r, syncAll(r.k, done + 1, r.backing));
    expect(onDevice(r, 0)).toBe(9);
  });

describe('background write-back and throttling', () => {
  it('past the background threshold the oldest inodes are written at once', () => {
    const r = rig();
    blockOf(r.k).dirtyablePages = 1_000; // background 100 pages, dirty 200
    for (let i = 0; i < 100; i++) cacheWrite(r.k, 'xvdf', 0, i * P, bytes(P, 1), 0, r.backing);
    expect(pageCounts(r.k)).toEqual({ dirty: 100, writeback: 0 });
    cacheWrite(r.k, 'xvdf', 0, 100 * P, bytes(P, 1), 1, r.backing);
    expect(pageCounts(r.k)).toEqual({ dirty: 0, writeback: 101 });
  });

  it('vm.dirty_background_bytes overrides the ratio', () => {
    const r = rig();
    blockOf(r.k).sysctl.dirtyBackgroundBytes = 8 * P;
    for (let i = 0; i < 8; i++) cacheWrite(r.k, 'xvdf', 0, i * P, bytes(P, 1), 0, r.backing);
    expect(pageCounts(r.k).dirty).toBe(8);
    cacheWrite(r.k, 'xvdf', 0, 8 * P, bytes(P, 1), 0, r.backing);
    expect(pageCounts(r.k)).toEqual({ dirty: 0, writeback: 9 });
  });

  it('a writer past the dirty limit returns only when enough write-back has completed', () => {
    const r = rig();
    blockOf(r.k).dirtyablePages = 100; // background 10, dirty 20
    let returned = 0;
    for (let i = 0; i < 40; i++) returned = cacheWrite(r.k, 'xvdf', 0, i * 2 * P, bytes(P, 1), 0, r.backing);
    expect(returned).toBeGreaterThan(0);
    const { dirty, writeback } = pageCounts(r.k);
    expect(dirty + writeback).toBe(40);
  });
});

describe('/proc/diskstats counters', () => {
  it('count requests, merges, sectors and the time they took', () => {
    const r = rig();
    for (let i = 0; i < 3; i++) cacheWrite(r.k, 'xvdf', 0, i * P, bytes(P, 1), 0, r.backing);
    cacheWrite(r.k, 'xvdf', 0, 10 * P, bytes(P, 1), 0, r.backing);
    const done = syncAll(r.k, 1_000, r.backing);
    const mid = diskStatsAt(r.k, 'xvdf', 1_005);
    expect(mid).toMatchObject({ writes: 0, inFlight: 2, msIo: 5, msWeighted: 10 });
    runTo(r, done);
    // two requests: blocks 0-2 (two bios merged into the first) and block 10; each 10 ms at 100 IOPS plus 1 ms
    expect(diskStatsAt(r.k, 'xvdf', done)).toMatchObject({ writes: 2, writesMerged: 2, sectorsWritten: 32, msWriting: 11 + 21, inFlight: 0, msIo: 21, msWeighted: 32 });
  });
});

describe('pages of zeros', () => {
  it('cost nothing in the state and write zeros over what the device held', () => {
    const r = rig();
    cacheWrite(r.k, 'xvdf', 0, 0, bytes(2 * P, 9), 0, r.backing);
    runTo(r, syncAll(r.k, 0, r.backing));
    expect(onDevice(r, 1)).toBe(9);
    cacheWrite(r.k, 'xvdf', 0, 0, new Uint8Array(2 * P), 10, r.backing);
    const cached = blockOf(r.k).inodes[0].pages;
    expect(Object.values(cached).map((p) => p.data)).toEqual(['', '']);
    expect([...cacheRead(r.k, 'xvdf', 0, P, 2, r.backing)]).toEqual([0, 0]);
    runTo(r, syncAll(r.k, 20, r.backing));
    expect(r.stores['vol-1'].blocks).toEqual({});
  });
});

describe('devices', () => {
  it("take blkfront's numbers: 202, sixteen minors a disk, a partition-named disk its partition's", () => {
    const r = rig([
      { name: 'xvda1', id: 'root', sizeBytes: 8 * 1024 * 1024 },
      { name: 'xvdf', id: 'vol-1', sizeBytes: 8 * 1024 * 1024 },
      { name: '/dev/xvdh', id: 'vol-2', sizeBytes: 8 * 1024 * 1024 },
    ]);
    expect(blockOf(r.k).devices.map((d) => `${d.name} ${d.major}:${d.minor}`)).toEqual(['xvda1 202:1', 'xvdf 202:80', 'xvdh 202:112']);
  });
});
