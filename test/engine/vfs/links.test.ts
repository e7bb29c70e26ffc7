import { bindMachine } from '../../../engine/machine/bind';
import { blockMkdir, blockSymlink, resolveBlockPath } from '../../../engine/machine/blockfs';
import { RngStreams } from '../../../engine/rng';
import { Vfs } from '../../../engine/vfs/vfs';
import { blockChapter, type BlockWorld } from '../../fixtures/block-chapter';

/** the block-chapter box (ext4 on xvdf mounted at /data) with its VFS, as the game binds it */
function box() {
  const streams = new RngStreams(3);
  const w = blockChapter.createWorld(streams) as unknown as BlockWorld;
  const { binding } = bindMachine(w, streams);
  const vfs = new Vfs(binding.files, binding.providers, { now: () => w.now });
  return { w, vfs, files: binding.files };
}

const done = { ok: true, value: undefined };

describe('symbolic links on a block filesystem, through the VFS', () => {
  it('stat follows a link, lstat shows the link itself with its target and the target\'s length as size', () => {
    const { w, vfs } = box();
    expect(blockMkdir(w, '/data/db').ok).toBe(true);
    expect(vfs.symlink('/data/db', '/data/journal', 'root')).toEqual(done);
    expect(vfs.stat('/data/journal')).toMatchObject({ ok: true, value: { type: 'dir' } });
    expect(vfs.lstat('/data/journal', 'root')).toMatchObject({ ok: true, value: { type: 'link', mode: 0o777, owner: 'root', group: 'root', size: 8, target: '/data/db' } });
    expect(vfs.readlink('/data/journal', 'ops')).toEqual({ ok: true, value: '/data/db' });
    expect(vfs.readlink('/data/db', 'ops')).toEqual({ ok: false, errno: 'EINVAL' });
    expect(vfs.readlink('/data/none', 'ops')).toEqual({ ok: false, errno: 'ENOENT' });
  });

  it('a link in the middle of a path is followed, a relative target from the link\'s directory', () => {
    const { w, vfs } = box();
    blockMkdir(w, '/data/a');
    expect(vfs.write('/data/a/f', 'x\n', 'root')).toEqual(done);
    expect(vfs.symlink('a', '/data/rel', 'root')).toEqual(done);
    expect(vfs.read('/data/rel/f', 'ops')).toEqual({ ok: true, value: 'x\n' });
    expect(vfs.lstat('/data/rel/f', 'root')).toMatchObject({ ok: true, value: { type: 'file', size: 2 } });
    expect(vfs.list('/data/rel', 'ops')).toEqual({ ok: true, value: ['f'] });
  });

  it('a loop of links is ELOOP; a dangling link lstats but does not stat', () => {
    const { vfs } = box();
    vfs.symlink('b', '/data/a', 'root');
    vfs.symlink('a', '/data/b', 'root');
    expect(vfs.stat('/data/a')).toEqual({ ok: false, errno: 'ELOOP' });
    expect(vfs.read('/data/a/x', 'root')).toEqual({ ok: false, errno: 'ELOOP' });
    vfs.symlink('/data/nothing', '/data/dangling', 'root');
    expect(vfs.stat('/data/dangling')).toEqual({ ok: false, errno: 'ENOENT' });
    expect(vfs.lstat('/data/dangling', 'root')).toMatchObject({ ok: true, value: { type: 'link', target: '/data/nothing' } });
  });

  it('symlink: EEXIST over any name (a dangling link too), EACCES without write on the directory, and no links among stored files', () => {
    const { vfs } = box();
    vfs.symlink('/nowhere', '/data/l', 'root');
    expect(vfs.symlink('/x', '/data/l', 'root')).toEqual({ ok: false, errno: 'EEXIST' });
    expect(vfs.symlink('/x', '/data/lost+found', 'root')).toEqual({ ok: false, errno: 'EEXIST' });
    expect(vfs.symlink('/x', '/data/mine', 'ops')).toEqual({ ok: false, errno: 'EACCES' });
    expect(vfs.symlink('/x', '/tmp/mine', 'ops')).toEqual({ ok: false, errno: 'ENOTSIM' });
  });

  it('a link a user makes is theirs', () => {
    const { w, vfs } = box();
    blockMkdir(w, '/data/ops', { uid: 1000, gid: 1000 });
    expect(vfs.symlink('/etc', '/data/ops/etc', 'ops')).toEqual(done);
    expect(vfs.lstat('/data/ops/etc', 'ops')).toMatchObject({ ok: true, value: { type: 'link', owner: 'ops', group: 'ops' } });
  });

  it('unlink and rename act on the link, never on what it names', () => {
    const { w, vfs } = box();
    blockMkdir(w, '/data/db');
    vfs.write('/data/db/keep', 'k\n', 'root');
    vfs.symlink('/data/db', '/data/j', 'root');
    expect(vfs.rename('/data/j', '/data/j2', 'root')).toEqual(done);
    expect(vfs.lstat('/data/j', 'root')).toEqual({ ok: false, errno: 'ENOENT' });
    expect(vfs.readlink('/data/j2', 'root')).toEqual({ ok: true, value: '/data/db' });
    expect(vfs.unlink('/data/j2', 'root')).toEqual(done);
    expect(vfs.lstat('/data/j2', 'root')).toEqual({ ok: false, errno: 'ENOENT' });
    expect(vfs.read('/data/db/keep', 'root')).toEqual({ ok: true, value: 'k\n' });
    // rmdir of a link to a directory: the link is not a directory
    vfs.symlink('/data/db', '/data/j3', 'root');
    expect(vfs.rmdir('/data/j3', 'root')).toEqual({ ok: false, errno: 'ENOTDIR' });
  });

  it('mkdir makes a directory on the block filesystem with the umask applied and the maker as owner; over a dangling link, EEXIST', () => {
    const { w, vfs } = box();
    expect(vfs.mkdir('/data/new', 'root')).toEqual(done);
    expect(vfs.stat('/data/new')).toMatchObject({ ok: true, value: { type: 'dir', mode: 0o755, owner: 'root', group: 'root' } });
    const made = resolveBlockPath(w, '/data/new');
    expect('inode' in made && made.inode.kind).toBe('d');
    blockSymlink(w, '/data/dang', '/nowhere');
    expect(vfs.mkdir('/data/dang', 'root')).toEqual({ ok: false, errno: 'EEXIST' });
  });

  it('chown: root gives a file away; an owner may change only the group, to one of theirs; -h changes the link itself', () => {
    const { w, vfs, files } = box();
    blockMkdir(w, '/data/d');
    vfs.symlink('/data/d', '/data/l', 'root');
    expect(vfs.chown('/data/l', 'root', 'ops', 'ops')).toEqual(done);
    expect(vfs.stat('/data/d')).toMatchObject({ ok: true, value: { owner: 'ops', group: 'ops' } });
    expect(vfs.lstat('/data/l', 'root')).toMatchObject({ ok: true, value: { owner: 'root', group: 'root' } });
    expect(vfs.chown('/data/l', 'root', 'ops', 'adm', false)).toEqual(done);
    expect(vfs.lstat('/data/l', 'root')).toMatchObject({ ok: true, value: { type: 'link', owner: 'ops', group: 'adm' } });
    expect(vfs.stat('/data/d')).toMatchObject({ ok: true, value: { owner: 'ops', group: 'ops' } });
    expect(vfs.chown('/data/d', 'ops', 'root', 'ops')).toEqual({ ok: false, errno: 'EPERM' });
    expect(vfs.chown('/data/d', 'ops', 'ops', 'root')).toEqual({ ok: false, errno: 'EPERM' });
    expect(vfs.chown('/data/d', 'ops', 'ops', 'adm')).toEqual(done);
    // a stored file keeps its owner in the store
    expect(vfs.write('/tmp/t', 't\n', 'root')).toEqual(done);
    expect(vfs.chown('/tmp/t', 'root', 'ops', 'ops')).toEqual(done);
    expect(files.files['/tmp/t']).toMatchObject({ owner: 'ops', group: 'ops' });
    expect(vfs.chown('/proc/meminfo', 'root', 'ops', 'ops')).toEqual({ ok: false, errno: 'EPERM' });
  });
});
