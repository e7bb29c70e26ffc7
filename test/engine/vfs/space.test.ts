import { GameVfs, type VfsDisk } from '../../../engine/vfs/vfs';
import { STORE_QUOTA, StoreMeter, blocksKb, keptLength } from '../../../engine/vfs/space';
import { baseStore, T0 } from '../shell/fake-env';

/** A disk of `freeKb` 1K blocks for everyone (root gets `rootExtraKb` more), all under /. */
function diskOf(freeKb: number, rootExtraKb = 0): VfsDisk & { base: number } {
  const d = {
    base: 0,
    mountOf: () => '/',
    availableKb: (_mount: string, user: string, stored: { blocksKb: Record<string, number> }) =>
      Math.max(0, freeKb + (user === 'root' ? rootExtraKb : 0) - ((stored.blocksKb['/'] ?? 0) - d.base)),
  };
  return d;
}

function make(disk?: VfsDisk & { base: number }) {
  const store = baseStore();
  const vfs = new GameVfs(store, { now: () => T0, disk });
  if (disk) disk.base = new StoreMeter().measure(store).blocksKb['/'] ?? 0;
  return { store, vfs };
}

describe('what a stored file costs', () => {
  test('the save keeps a file as JSON: its escaped length, counted exactly', () => {
    for (const s of ['', 'plain', 'a\nb\tc"d\\e', '\u0001\u001f\u007f', 'é😀', 'x\ud800y', 'x\udc00', '\ud83d\ude00\ud83d']) {
      expect([s, keptLength(s)]).toEqual([s, JSON.stringify(s).length - 2]);
    }
  });

  test('blocks of 4 KiB, as ext4 and tmpfs allocate them', () => {
    expect([0, 1, 4096, 4097, 10_000].map(blocksKb)).toEqual([0, 4, 4, 8, 12]);
  });
});

describe('the disk: ENOSPC', () => {
  test('a write that needs more blocks than are free fails, and changes nothing', () => {
    const { vfs, store } = make(diskOf(8));
    expect(vfs.write('/tmp/a', 'x'.repeat(8192), 'ops')).toEqual({ ok: true, value: undefined });
    expect(vfs.write('/tmp/b', 'y', 'ops')).toEqual({ ok: false, errno: 'ENOSPC' });
    expect(store.files['/tmp/b']).toBeUndefined();
    // an empty file takes no block: creating one (what `>` does first) works
    expect(vfs.write('/tmp/b', '', 'ops').ok).toBe(true);
    expect(vfs.write('/tmp/a', 'z', 'ops', { append: true })).toEqual({ ok: false, errno: 'ENOSPC' });
    expect(store.files['/tmp/a']!.content).toHaveLength(8192);
    // truncating gives the blocks back
    expect(vfs.write('/tmp/a', '', 'ops').ok).toBe(true);
    expect(vfs.write('/tmp/b', 'y'.repeat(4096), 'ops').ok).toBe(true);
  });

  test('a write within the blocks a file already has needs no free space', () => {
    const { vfs } = make(diskOf(4));
    expect(vfs.write('/tmp/a', 'x', 'ops').ok).toBe(true);
    expect(vfs.write('/tmp/a', 'x'.repeat(4000), 'ops', { append: true }).ok).toBe(true);
    expect(vfs.write('/tmp/a', 'x'.repeat(100), 'ops', { append: true })).toEqual({ ok: false, errno: 'ENOSPC' });
  });

  test('root may use the blocks reserved for it', () => {
    const { vfs } = make(diskOf(4, 8));
    expect(vfs.write('/tmp/a', 'x'.repeat(4096), 'ops').ok).toBe(true);
    expect(vfs.write('/tmp/b', 'x', 'ops')).toEqual({ ok: false, errno: 'ENOSPC' });
    expect(vfs.write('/tmp/b', 'x', 'root').ok).toBe(true);
  });
});

describe('the quota: EDQUOT', () => {
  test('all stored files together stay under the quota, whatever the disk', () => {
    const { vfs, store } = make();
    const chunk = 'y'.repeat(1024 * 1024);
    let written = 0;
    for (let i = 0; i < 20; i++) {
      const r = vfs.write(`/tmp/f${i}`, chunk, 'ops');
      if (!r.ok) {
        expect(r.errno).toBe('EDQUOT');
        break;
      }
      written++;
    }
    expect(written).toBeGreaterThanOrEqual(6);
    expect(written).toBeLessThan(8);
    expect(JSON.stringify(store).length).toBeLessThanOrEqual(STORE_QUOTA + 1024);
    // appends are counted as they come, and control characters as JSON writes them
    expect(vfs.write('/tmp/f0', '\u0001'.repeat(300_000), 'ops', { append: true })).toEqual({ ok: false, errno: 'EDQUOT' });
    expect(vfs.write('/tmp/f0', '', 'ops').ok).toBe(true);
    expect(vfs.write('/tmp/new', 'fits again', 'ops').ok).toBe(true);
  });

  test('many appends to one file cost time in proportion to what they add', () => {
    const { vfs } = make();
    const t0 = Date.now();
    for (let i = 0; i < 20_000; i++) expect(vfs.write('/tmp/log', `line ${i}\n`, 'ops', { append: true }).ok).toBe(true);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });
});
