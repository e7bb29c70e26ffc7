import { registerChapter } from '../../../engine/chapters/registry';
import { createGame } from '../../../engine/index';
import { fs } from '../../../engine/kernel/block';
import { advance } from '../../../engine/machine/advance';
import { bindMachine } from '../../../engine/machine/bind';
import { blockCreate, blockFileBytes, blockMkdir, blockSymlink, blockWrite, machineBacking, resolveBlockPath, type BlockFile } from '../../../engine/machine/blockfs';
import { hardReset, reboot } from '../../../engine/machine/power';
import { machineFile } from '../../../engine/machineFile';
import { RngStreams } from '../../../engine/rng';
import type { Json } from '../../../engine/types';
import { Vfs } from '../../../engine/vfs/vfs';
import { blockChapter, type BlockWorld } from '../../fixtures/block-chapter';
import { game, say } from './spells/blockBox';

/** the block-chapter box with its VFS, as the game binds it */
function box(seed = 3) {
  const streams = new RngStreams(seed);
  const w = blockChapter.createWorld(streams) as unknown as BlockWorld;
  const { binding } = bindMachine(w, streams);
  const vfs = new Vfs(binding.files, binding.providers, { now: () => w.now });
  return { w, streams, vfs, files: binding.files };
}

const file = (w: BlockWorld, p: string): BlockFile => {
  const f = resolveBlockPath(w, p);
  if ('errno' in f) throw new Error(`${p}: ${f.errno}`);
  return f;
};
/** a program's write to a new file: it stays in the page cache, dirty, until written back */
const writeFile = (w: BlockWorld, p: string, text: string): void => {
  const made = blockCreate(w, p, 0);
  if (!made.ok) throw new Error(`${p}: ${made.errno}`);
  blockWrite(w, made.file, 0, Uint8Array.from(text, (c) => c.charCodeAt(0)));
};
const textOf = (w: BlockWorld, p: string): string => String.fromCharCode(...blockFileBytes(w, file(w, p)));

describe('the shell makes, empties and removes files on a block mount', () => {
  it('> and tee create a file owned by the writer, only where the writer may write; > empties an existing one', () => {
    const g = game();
    expect(say(g, 'echo hi > /data/new; echo $?')).toBe('bash: /data/new: Permission denied\n1');
    expect(say(g, 'echo hello | sudo tee /data/new')).toBe('hello');
    expect(say(g, 'ls -l /data/new')).toMatch(/^-rw-r--r-- 1 root root 6 May 11 22:\d\d \/data\/new$/);
    expect(say(g, 'cat /data/new')).toBe('hello');
    // a longer text first, so that a write that did not truncate would leave its tail
    expect(say(g, 'echo a-much-longer-line | sudo tee /data/new >/dev/null; sudo sh -c "echo x > /data/new"; cat /data/new')).toBe('x');
    expect(say(g, 'sudo sh -c "echo y >> /data/new"; cat /data/new')).toBe('x\ny');
    expect(say(g, 'echo z >> /data/new')).toBe('bash: /data/new: Permission denied');
    expect(say(g, 'echo z > /data/nodir/f')).toBe('bash: /data/nodir/f: No such file or directory');
  });

  it("a user's file in a directory of their own gets the user's private group and mode 664; unlink obeys the directory's bits", () => {
    const { w, vfs } = box();
    expect(blockMkdir(w, '/data/ops', { perm: 0o755, uid: 1000, gid: 1000 }).ok).toBe(true);
    expect(vfs.write('/data/ops/notes', 'mine\n', 'ops')).toEqual({ ok: true, value: undefined });
    expect(vfs.stat('/data/ops/notes')).toMatchObject({ ok: true, value: { type: 'file', mode: 0o664, owner: 'ops', group: 'ops', size: 5 } });
    expect(file(w, '/data/ops/notes').inode).toMatchObject({ uid: 1000, gid: 1000 });
    expect(textOf(w, '/data/ops/notes')).toBe('mine\n');
    expect(vfs.write('/data/rootfile', 'r\n', 'root').ok).toBe(true);
    expect(vfs.remove('/data/rootfile', 'ops')).toEqual({ ok: false, errno: 'EACCES' });
    expect(vfs.remove('/data/ops/notes', 'ops')).toEqual({ ok: true, value: undefined });
    expect(resolveBlockPath(w, '/data/ops/notes')).toEqual({ errno: 'ENOENT' });
    expect(vfs.remove('/data/rootfile', 'root')).toEqual({ ok: true, value: undefined });
    expect(vfs.list('/data', 'root')).toEqual({ ok: true, value: ['log', 'lost+found', 'ops'] });
  });

  it('a read-only mount refuses new files, truncation and unlink', () => {
    const { w, vfs } = box();
    fs.mkfs(w.disks['disk-g'], 'spare', w.now);
    expect(fs.mount(w.k, 'xvdg', '/mnt', ['ro'], w.now, machineBacking(w)).ok).toBe(true);
    expect(vfs.write('/mnt/new', 'x', 'root')).toEqual({ ok: false, errno: 'EROFS' });
    expect(vfs.open('/mnt/new', 'root', { truncate: true })).toEqual({ ok: false, errno: 'EROFS' });
    expect(fs.create(w.k, 'xvdg', 'there', 0, {}, w.now, machineBacking(w)).ok).toBe(true);
    expect(vfs.open('/mnt/there', 'root', { truncate: true })).toEqual({ ok: false, errno: 'EROFS' });
    expect(vfs.remove('/mnt/there', 'root')).toEqual({ ok: false, errno: 'EROFS' });
    expect(vfs.list('/mnt', 'root')).toEqual({ ok: true, value: ['lost+found', 'there'] });
  });
});

describe('df FILE on a block mount', () => {
  it('shows the filesystem holding the file, not /', () => {
    const g = game();
    const rows = say(g, 'df /data /data/log /etc').split('\n');
    expect(rows).toHaveLength(4);
    expect(rows[1]).toMatch(/^\/dev\/xvdf +261632 +\d+ +\d+ +\d+% \/data$/);
    expect(rows[2]).toMatch(/^\/dev\/xvdf +261632 +\d+ +\d+ +\d+% \/data$/);
    expect(rows[3]).toMatch(/^\/dev\/xvda1 +8000000 +\d+ +\d+ +\d+% \/$/);
  });

  it('follows a symlink into another block mount, as stat does', () => {
    registerChapter({
      ...blockChapter,
      info: { ...blockChapter.info, id: 'block-test-linked' },
      createWorld: (streams: RngStreams) => {
        const w = blockChapter.createWorld(streams) as unknown as BlockWorld;
        fs.mkfs(w.disks['disk-g'], 'spare', w.now);
        fs.mount(w.k, 'xvdg', '/mnt', ['rw'], w.now, machineBacking(w));
        blockSymlink(w, '/data/spare', '/mnt');
        return w as unknown as Json;
      },
    });
    const g = createGame('block-test-linked', 5);
    g.start();
    const rows = say(g, 'df /data/spare').split('\n');
    expect(rows[1]).toMatch(/^\/dev\/xvdg +\d+ +\d+ +\d+ +\d+% \/mnt$/);
  });
});

describe('taking the box down with data in the page cache', () => {
  it('a clean reboot writes dirty pages back and unmounts first: the bytes are there after the boot', () => {
    const { w, streams, vfs } = box();
    writeFile(w, '/data/kept', 'kept bytes\n');
    const r = reboot(w, streams, 'root');
    if (!r.ok) throw new Error(r.errno);
    advance(w, streams, r.backAt + 30_000);
    expect(w.machine.up).toBe(true);
    expect(vfs.read('/data/kept', 'root')).toEqual({ ok: true, value: 'kept bytes\n' });
  });

  it('a reset from the console loses pages not yet written back', () => {
    const { w, streams, vfs } = box();
    writeFile(w, '/data/kept', 'kept bytes\n');
    const r = hardReset(w, streams);
    advance(w, streams, r.backAt + 30_000);
    expect(w.machine.up).toBe(true);
    const after = vfs.read('/data/kept', 'root');
    expect(after.ok && after.value.includes('kept bytes')).toBe(false);
  });

  it('sudo reboot from the shell keeps what tee wrote a moment before', () => {
    const g = game();
    say(g, 'echo written just before | sudo tee /data/last >/dev/null');
    say(g, 'sudo reboot');
    expect(say(g, 'cat /data/last')).toBe('written just before');
  });
});

describe('download of a file on a block mount', () => {
  it('gives its bytes as they are: 0x00..0xff written through the page cache come out as those 256 bytes', () => {
    const { w, vfs, files } = box();
    const made = blockCreate(w, '/data/all-bytes', 0);
    if (!made.ok) throw new Error(made.errno);
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    blockWrite(w, made.file, 0, bytes);
    const got = machineFile(vfs, files, 'root', '/root', '/root', '/data/all-bytes');
    if (!got.ok) throw new Error(got.message);
    expect(got.path).toBe('/data/all-bytes');
    expect([...got.bytes]).toEqual([...bytes]);
    // a stored text file is still UTF-8
    vfs.write('/tmp/t', 'é\n', 'root');
    const t = machineFile(vfs, files, 'root', '/root', '/root', '/tmp/t');
    expect(t.ok && [...t.bytes]).toEqual([0xc3, 0xa9, 0x0a]);
  });
});
