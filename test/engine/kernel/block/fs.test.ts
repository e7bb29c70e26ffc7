import { blockOf, cacheRead, cacheWrite, detachDevice, fs, fsyncFile, nextWritebackAt, pageCounts, readBlock, runWriteback, syncAll, BLOCK_BYTES } from '../../../../engine/kernel/block';
import { bootBlockState } from '../../../../engine/kernel/block/subsystem';
import { attachDevice } from '../../../../engine/kernel/block';
import type { KernelState } from '../../../../engine/kernel/types';
import { bytes, MiB, rig, text, type Rig } from './harness';

const P = BLOCK_BYTES;

function runTo(r: Rig, t: number): void {
  for (;;) {
    const next = nextWritebackAt(r.k);
    if (next > t) break;
    runWriteback(r.k, next, r.backing);
  }
}

function mounted(): Rig {
  const r = rig();
  fs.mkfs(r.stores['vol-1'], 'data', 0);
  const m = fs.mount(r.k, 'xvdf', '/data', ['rw'], 0, r.backing);
  expect(m.ok).toBe(true);
  return r;
}

function mk(r: Rig, path: string, size = 0, prealloc = false): number {
  const c = fs.create(r.k, 'xvdf', path, size, { prealloc }, 0, r.backing);
  if (!c.ok) throw new Error(c.errno);
  return c.value.ino;
}

describe('the on-device filesystem', () => {
  it('mkfs makes a root with lost+found, as ext4 has them', () => {
    const r = mounted();
    const root = fs.list(r.k, 'xvdf', '/');
    expect(root.ok && root.value.map((e) => [e.name, e.inode.ino, e.inode.kind])).toEqual([['lost+found', 11, 'd']]);
    // ext4's magic where ext4 keeps it: byte 1080 of the device
    const sb = readBlock(r.stores['vol-1'], 0);
    expect([sb[1080], sb[1081]]).toEqual([0x53, 0xef]);
  });

  it('files, directories and symlinks are found again from the store alone, on another kernel', () => {
    const r = mounted();
    expect(fs.mkdir(r.k, 'xvdf', 'db', {}, 5, r.backing).ok).toBe(true);
    const ino = mk(r, 'db/events.0', 16 * MiB, true);
    expect(fs.symlink(r.k, 'xvdf', 'db/journal', '/journal', 6, r.backing).ok).toBe(true);
    cacheWrite(r.k, 'xvdf', ino, 100, text('points'), 10, r.backing);
    // metadata is on the device at once; the data is not until it is written back
    const img = fs.readImage(r.stores['vol-1'])!;
    expect(img.inodes[String(ino)]).toMatchObject({ kind: 'f', size: 16 * MiB });
    expect(img.inodes[String(img.inodes['2'].entries!.db)].entries).toEqual({ 'events.0': ino, journal: ino + 1 });
    expect(img.inodes[String(ino + 1)]).toMatchObject({ kind: 'l', target: '/journal' });
    runTo(r, fsyncFile(r.k, 'xvdf', ino, 20, r.backing));

    // a second kernel, the same store behind another device name: the restored volume
    const k2 = { subsys: { block: bootBlockState() }, mem: { totalKb: 4 * 1024 * 1024 } } as unknown as KernelState;
    attachDevice(k2, { name: 'xvdh', backingId: 'vol-1', sizeBytes: 64 * MiB }, 0);
    expect(fs.mount(k2, 'xvdh', '/mnt', ['ro'], 0, r.backing).ok).toBe(true);
    const again = fs.lookup(k2, 'xvdh', 'db/events.0')!;
    expect(again.ino).toBe(ino);
    expect(String.fromCharCode(...cacheRead(k2, 'xvdh', ino, 100, 6, r.backing))).toBe('points');
  });

  it('a file written in place keeps its blocks; one written past its end grows and gets zeroed blocks', () => {
    const r = mounted();
    const ino = mk(r, 'log');
    cacheWrite(r.k, 'xvdf', ino, 0, text('hello\n'), 1, r.backing);
    expect(fs.stat(r.k, 'xvdf', ino)!.size).toBe(6);
    cacheWrite(r.k, 'xvdf', ino, 3 * P, text('x'), 2, r.backing);
    expect(fs.stat(r.k, 'xvdf', ino)!.size).toBe(3 * P + 1);
    expect([...cacheRead(r.k, 'xvdf', ino, P, 4, r.backing)]).toEqual([0, 0, 0, 0]);
    // a read stops at the end of the file
    expect(cacheRead(r.k, 'xvdf', ino, 3 * P, 100, r.backing).length).toBe(1);
  });

  it("fsync of one file submits that file's pages and leaves another file's dirty", () => {
    const r = mounted();
    const a = mk(r, 'a', 4 * P, true);
    const b = mk(r, 'b', 4 * P, true);
    cacheWrite(r.k, 'xvdf', a, 0, bytes(2 * P, 1), 1, r.backing);
    cacheWrite(r.k, 'xvdf', b, 0, bytes(P, 2), 2, r.backing);
    const done = fsyncFile(r.k, 'xvdf', a, 3, r.backing);
    expect(pageCounts(r.k)).toEqual({ dirty: 1, writeback: 2 });
    runTo(r, done);
    expect(pageCounts(r.k)).toEqual({ dirty: 1, writeback: 0 });
    const blockOfB = fs.bmap(r.k, 'xvdf', b, 0);
    const blockOfA = fs.bmap(r.k, 'xvdf', a, 1);
    expect(readBlock(r.stores['vol-1'], blockOfA)[0]).toBe(1);
    expect(readBlock(r.stores['vol-1'], blockOfB)[0]).toBe(0);
  });

  it("the flusher takes inodes in the order they were first dirtied, each in page order", () => {
    const r = mounted();
    const a = mk(r, 'a', 8 * P, true);
    const b = mk(r, 'b', 8 * P, true);
    // the program writes b's page 6, a's page 4, b's page 1, a's page 0
    cacheWrite(r.k, 'xvdf', b, 6 * P, bytes(P, 1), 100, r.backing);
    cacheWrite(r.k, 'xvdf', a, 4 * P, bytes(P, 1), 200, r.backing);
    cacheWrite(r.k, 'xvdf', b, 1 * P, bytes(P, 1), 300, r.backing);
    cacheWrite(r.k, 'xvdf', a, 0, bytes(P, 1), 400, r.backing);
    const sent = (): string[] => blockOf(r.k).inflight.map((q) => q.pages.map(([ino, i]) => `${ino === a ? 'a' : 'b'}${i}`).join(','));
    // the flusher wakes at 5.1 s, 10.1 s, ...: at 30.1 s only b has been dirty for 30 s
    runTo(r, 30_100);
    expect(sent()).toEqual(['b1', 'b6']);
    runTo(r, 35_100);
    expect(sent()).toEqual(['a0', 'a4']);
  });

  it('a big inode is written in chunks of 1024 pages, taking turns with the next', () => {
    const r = rig([{ name: 'xvdf', id: 'vol-1', sizeBytes: 64 * MiB }]);
    fs.mkfs(r.stores['vol-1'], 'data', 0);
    fs.mount(r.k, 'xvdf', '/data', [], 0, r.backing);
    const a = mk(r, 'a', 1500 * P, true);
    const b = mk(r, 'b', 1100 * P, true);
    cacheWrite(r.k, 'xvdf', a, 0, bytes(1500 * P, 3), 0, r.backing);
    cacheWrite(r.k, 'xvdf', b, 0, bytes(1100 * P, 4), 1, r.backing);
    runWriteback(r.k, 30_001, r.backing);
    const runs: string[] = [];
    for (const q of blockOf(r.k).inflight) {
      const name = q.pages[0][0] === a ? 'a' : 'b';
      const last = runs[runs.length - 1];
      if (last?.startsWith(name + ':')) runs[runs.length - 1] = `${name}:${last.split(':')[1].split('-')[0]}-${q.pages[q.pages.length - 1][1]}`;
      else runs.push(`${name}:${q.pages[0][1]}-${q.pages[q.pages.length - 1][1]}`);
    }
    expect(runs).toEqual(['a:0-1023', 'b:0-1023', 'a:1024-1499', 'b:1024-1099']);
  });

  it('unlink frees the blocks and drops dirty pages unwritten; rename replaces a target', () => {
    const r = mounted();
    const before = fs.usage(r.k, 'xvdf')!.free;
    const a = mk(r, 'a', 10 * P, true);
    expect(fs.usage(r.k, 'xvdf')!.free).toBe(before - 10);
    cacheWrite(r.k, 'xvdf', a, 0, bytes(P, 1), 1, r.backing);
    expect(fs.unlink(r.k, 'xvdf', 'a', 2, r.backing)).toEqual({ ok: true, value: null });
    expect(pageCounts(r.k).dirty).toBe(0);
    expect(fs.usage(r.k, 'xvdf')!.free).toBe(before);
    mk(r, 'x');
    const y = mk(r, 'y');
    expect(fs.rename(r.k, 'xvdf', 'y', 'x', 3, r.backing).ok).toBe(true);
    expect(fs.lookup(r.k, 'xvdf', 'x')!.ino).toBe(y);
    expect(fs.lookup(r.k, 'xvdf', 'y')).toBeUndefined();
  });

  it('answers errors as the kernel does', () => {
    const r = mounted();
    mk(r, 'f');
    expect(fs.create(r.k, 'xvdf', 'f', 0, {}, 0, r.backing)).toEqual({ ok: false, errno: 'EEXIST' });
    expect(fs.create(r.k, 'xvdf', 'nodir/f', 0, {}, 0, r.backing)).toEqual({ ok: false, errno: 'ENOENT' });
    expect(fs.create(r.k, 'xvdf', 'f/g', 0, {}, 0, r.backing)).toEqual({ ok: false, errno: 'ENOTDIR' });
    expect(fs.create(r.k, 'xvdf', 'huge', 1024 * MiB, { prealloc: true }, 0, r.backing)).toEqual({ ok: false, errno: 'ENOSPC' });
    expect(fs.unlink(r.k, 'xvdf', 'lost+found', 0, r.backing)).toEqual({ ok: false, errno: 'EISDIR' });
    expect(fs.mount(r.k, 'xvdf', '/other', [], 0, r.backing)).toEqual({ ok: false, errno: 'EBUSY' });
    expect(fs.mount(r.k, 'xvdz', '/other', [], 0, r.backing)).toEqual({ ok: false, errno: 'ENODEV' });
    expect(fs.umount(r.k, '/nowhere', 0, r.backing)).toEqual({ ok: false, errno: 'EINVAL' });
  });

  it('a device with no filesystem does not mount; umount syncs what is dirty', () => {
    const r = rig();
    expect(fs.mount(r.k, 'xvdf', '/data', [], 0, r.backing)).toEqual({ ok: false, errno: 'EINVAL' });
    fs.mkfs(r.stores['vol-1'], 'data', 0);
    fs.mount(r.k, 'xvdf', '/data', [], 0, r.backing);
    const ino = mk(r, 'f', P, true);
    cacheWrite(r.k, 'xvdf', ino, 0, bytes(P, 5), 1, r.backing);
    const u = fs.umount(r.k, '/data', 2, r.backing);
    expect(u.ok).toBe(true);
    expect(pageCounts(r.k)).toEqual({ dirty: 0, writeback: 1 });
    runTo(r, u.ok ? u.doneAt : 0);
    fs.mount(r.k, 'xvdf', '/data', [], 0, r.backing);
    expect(readBlock(r.stores['vol-1'], fs.bmap(r.k, 'xvdf', ino, 0))[0]).toBe(5);
    expect(syncAll(r.k, 100, r.backing)).toBe(101);
  });

  it('a write after fsync dirties the page again: fsync is a moment, the device keeps the fsynced bytes until the next write-back', () => {
    const r = mounted();
    const ino = mk(r, 'f', P, true);
    cacheWrite(r.k, 'xvdf', ino, 0, text('first'), 1, r.backing);
    runTo(r, fsyncFile(r.k, 'xvdf', ino, 2, r.backing));
    cacheWrite(r.k, 'xvdf', ino, 0, text('again'), 100, r.backing);
    expect(pageCounts(r.k)).toEqual({ dirty: 1, writeback: 0 });
    const blk = fs.bmap(r.k, 'xvdf', ino, 0);
    expect(String.fromCharCode(...readBlock(r.stores['vol-1'], blk).subarray(0, 5))).toBe('first');
    expect(String.fromCharCode(...cacheRead(r.k, 'xvdf', ino, 0, 5, r.backing))).toBe('again');
  });

  it('a device goes away only when nothing is mounted from it and nothing is in flight', () => {
    const r = mounted();
    expect(detachDevice(r.k, 'xvdf', 0)).toEqual({ ok: false, reason: 'busy' });
    const ino = mk(r, 'f', P, true);
    cacheWrite(r.k, 'xvdf', ino, 0, bytes(P, 1), 1, r.backing);
    const u = fs.umount(r.k, '/data', 2, r.backing);
    expect(detachDevice(r.k, 'xvdf', 2)).toEqual({ ok: false, reason: 'busy' });
    runTo(r, u.ok ? u.doneAt : 0);
    expect(detachDevice(r.k, '/dev/xvdf', 3)).toEqual({ ok: true });
    expect(detachDevice(r.k, 'xvdf', 3)).toEqual({ ok: false, reason: 'nodev' });
  });
});
