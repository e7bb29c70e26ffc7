import { blockStateOf, fs, readBlock, type BlockState } from '../../../engine/kernel/block';
import { advance } from '../../../engine/machine/advance';
import { bindMachine } from '../../../engine/machine/bind';
import { blockCreate, blockMkdir, blockMounts, blockShutdown, blockSymlink, blockSync, blockWrite, blockFileBytes, machineBacking, mountFstab, resolveBlockPath, type BlockFile } from '../../../engine/machine/blockfs';
import { meminfo } from '../../../engine/machine/views';
import type { MachineWorld } from '../../../engine/machine/world';
import { RngStreams } from '../../../engine/rng';
import { Vfs } from '../../../engine/vfs/vfs';
import { blockChapter, type BlockWorld } from '../../fixtures/block-chapter';
import { stubChapter } from '../../fixtures/stub-chapter';

function box(seed = 3): { w: BlockWorld; streams: RngStreams } {
  const streams = new RngStreams(seed);
  const w = blockChapter.createWorld(streams) as unknown as BlockWorld;
  return { w, streams };
}

const file = (w: MachineWorld, p: string): BlockFile => {
  const f = resolveBlockPath(w, p);
  if ('errno' in f) throw new Error(`${p}: ${f.errno}`);
  return f;
};
const text = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('block filesystems on the machine', () => {
  it("follow a symlink from one mount into another (a database's journal on its own volume)", () => {
    const { w } = box();
    fs.mkfs(w.disks['disk-g'], 'journal', w.now);
    expect(fs.mount(w.k, 'xvdg', '/journal', ['rw'], w.now, machineBacking(w)).ok).toBe(true);
    expect(blockMkdir(w, '/data/db').ok).toBe(true);
    expect(blockSymlink(w, '/data/db/journal', '/journal').ok).toBe(true);
    const j = blockCreate(w, '/data/db/journal/j._0', 0);
    expect(j.ok && j.file.dev).toBe('xvdg');
    expect(file(w, '/journal/j._0').ino).toBe(j.ok ? j.file.ino : -1);
    // a relative link resolves against the link's own directory
    expect(blockSymlink(w, '/data/db/j', 'journal/j._0').ok).toBe(true);
    expect(file(w, '/data/db/j').dev).toBe('xvdg');
    // longest mount point first, whatever the order of mounting
    expect(blockMounts(w).map((m) => m.dir)).toEqual(['/journal', '/data']);
  });

  it('show through the VFS: stat and list follow the link, files read one char per byte, a read-only mount refuses writes', () => {
    const { w, streams } = box();
    fs.mkfs(w.disks['disk-g'], 'journal', w.now);
    fs.mount(w.k, 'xvdg', '/journal', ['ro'], w.now, machineBacking(w));
    blockMkdir(w, '/data/db');
    blockSymlink(w, '/data/db/journal', '/journal');
    const { binding } = bindMachine(w, streams);
    const vfs = new Vfs(binding.files, binding.providers, { now: () => w.now });
    expect(vfs.stat('/data/db/journal')).toMatchObject({ ok: true, value: { type: 'dir' } });
    expect(vfs.list('/data/db/journal', 'root')).toEqual({ ok: true, value: ['lost+found'] });
    expect(vfs.list('/data', 'root')).toEqual({ ok: true, value: ['db', 'log', 'lost+found'] });
    const f = blockCreate(w, '/data/db/bin', 0);
    if (!f.ok) throw new Error(f.errno);
    blockWrite(w, f.file, 0, Uint8Array.from([0xee, 0x00, 0x41]));
    expect(vfs.read('/data/db/bin', 'root')).toEqual({ ok: true, value: '\u00ee\u0000A' });
    expect(vfs.write('/data/db/bin', 'xyz', 'root')).toEqual({ ok: true, value: undefined });
    expect([...blockFileBytes(w, file(w, '/data/db/bin'))]).toEqual([0x78, 0x79, 0x7a]);
    const jf = fs.create(w.k, 'xvdg', 'x', 0, {}, w.now, machineBacking(w));
    expect(jf.ok).toBe(true);
    expect(vfs.write('/journal/x', 'no', 'root')).toEqual({ ok: false, errno: 'EROFS' });
    // a path no mount holds is the store's again
    expect(vfs.stat('/mnt')).toMatchObject({ ok: true, value: { type: 'dir' } });
  });

  it("the device's store has a file's data once the timer has completed the requests sync submitted", () => {
    const { w, streams } = box();
    const f = blockCreate(w, '/data/note', 0);
    if (!f.ok) throw new Error(f.errno);
    blockWrite(w, f.file, 0, text('written'));
    const blk = fs.bmap(w.k, 'xvdf', f.file.ino, 0);
    expect(readBlock(w.disks['disk-f'], blk)[0]).toBe(0);
    const doneAt = blockSync(w);
    expect(doneAt).toBeGreaterThan(w.now);
    advance(w, streams, Math.ceil(doneAt));
    expect(String.fromCharCode(...readBlock(w.disks['disk-f'], blk).subarray(0, 7))).toBe('written');
  });

  it('survive a save: the world through JSON runs on exactly as the original', () => {
    const a = box(9);
    const b = { w: JSON.parse(JSON.stringify(a.w)) as BlockWorld, streams: new RngStreams(9, a.streams.getState()) };
    advance(a.w, a.streams, a.w.now + 95_000);
    advance(b.w, b.streams, b.w.now + 95_000);
    expect(JSON.stringify(b.w)).toBe(JSON.stringify(a.w));
    const s = blockStateOf(a.w.k) as BlockState;
    expect(s.nrWritten).toBeGreaterThan(0);
  });

  it('leave a box without the block layer as it was: nothing mounted, sync returns at once, the old Dirty line', () => {
    const streams = new RngStreams(4);
    const w = stubChapter.createWorld(streams) as unknown as MachineWorld;
    expect(blockStateOf(w.k)).toBeUndefined();
    expect(blockMounts(w)).toEqual([]);
    expect(blockSync(w)).toBe(w.now);
    expect(meminfo(w).Dirty).toBe(12 + (Math.floor(w.now / 1000) % 37) * 24);
    expect(meminfo(w).Writeback).toBe(0);
    const { binding } = bindMachine(w, streams);
    expect(binding.commands.map((c) => c.name)).not.toContain('lsblk');
  });

  it('a clean shutdown leaves every written byte in the stores and nothing mounted; mountFstab mounts what fstab names', () => {
    const { w } = box();
    const f = blockCreate(w, '/data/last', 0);
    if (!f.ok) throw new Error(f.errno);
    blockWrite(w, f.file, 0, text('kept'));
    const blk = fs.bmap(w.k, 'xvdf', f.file.ino, 0);
    const done = blockShutdown(w, w.now);
    expect(done).toBeGreaterThan(w.now);
    expect(blockStateOf(w.k)!.mounts).toEqual([]);
    expect(blockStateOf(w.k)!.inflight).toEqual([]);
    expect(String.fromCharCode(...readBlock(w.disks['disk-f'], blk).subarray(0, 4))).toBe('kept');
    fs.mkfs(w.disks['disk-g'], 'journal', w.now);
    w.files.files['/etc/fstab'] = { content: 'LABEL=cloudimg-rootfs / ext4 defaults,discard 0 0\n/dev/xvdf /data ext4 defaults,noatime 0 2\n/dev/xvdg /journal ext4 defaults,nofail 0 2\n/dev/xvdh /backup ext4 defaults,nofail 0 2\n', mode: 0o644, owner: 'root', group: 'root', mtime: w.now };
    expect(mountFstab(w, w.now)).toEqual(['/backup']);
    expect(blockStateOf(w.k)!.mounts.map((m) => `${m.dev} ${m.dir} ${m.options.join(',')}`)).toEqual(['xvdf /data rw,noatime', 'xvdg /journal rw']);
  });
});
