import { GameVfs } from '../../../engine/vfs/vfs';
import type { FileStore } from '../../../engine/vfs/store';

const passwd = 'root:x:0:0:root:/root:/bin/bash\nops:x:1000:1000::/home/ops:/bin/bash\nbob:x:1001:1001::/home/bob:/bin/bash\n';
const group = 'root:x:0:\nops:x:1000:\nbob:x:1001:\n';

function store(): FileStore {
  const f = (content: string, owner = 'root', mode = 0o644) => ({ content, mode, owner, group: owner, mtime: 1000 });
  return {
    files: {
      '/etc/passwd': f(passwd),
      '/etc/group': f(group),
      '/home/ops/a.txt': f('a\n', 'ops'),
      '/tmp/bobs': f('b\n', 'bob'),
      '/srv/implied/only': f('x\n'),
    },
    dirs: { '/home/ops': { mode: 0o755, owner: 'ops', group: 'ops' } },
  };
}

describe('GameVfs tree operations', () => {
  test('mkdir applies the umask and refuses what Linux refuses', () => {
    const s = store();
    const vfs = new GameVfs(s, { now: () => 5000 });
    expect(vfs.mkdir('/home/ops/d', 'ops')).toEqual({ ok: true, value: undefined });
    expect(s.dirs['/home/ops/d']).toEqual({ mode: 0o775, owner: 'ops', group: 'ops', mtime: 5000 });
    expect(vfs.mkdir('/home/ops/d', 'ops')).toEqual({ ok: false, errno: 'EEXIST' });
    expect(vfs.mkdir('/etc/d', 'ops')).toEqual({ ok: false, errno: 'EACCES' });
    expect(vfs.mkdir('/nope/d', 'root')).toEqual({ ok: false, errno: 'ENOENT' });
    expect(vfs.mkdir('/home/ops/a.txt/d', 'ops')).toEqual({ ok: false, errno: 'ENOTDIR' });
  });

  test('removing the last file of an implied directory keeps the directory', () => {
    const s = store();
    const vfs = new GameVfs(s);
    expect(vfs.unlink('/srv/implied/only', 'root').ok).toBe(true);
    expect(vfs.stat('/srv/implied')).toMatchObject({ ok: true, value: { type: 'dir' } });
    expect(vfs.rmdir('/srv', 'root')).toEqual({ ok: false, errno: 'ENOTEMPTY' });
    expect(vfs.rmdir('/srv/implied', 'root').ok).toBe(true);
    expect(vfs.stat('/srv/implied')).toEqual({ ok: false, errno: 'ENOENT' });
    expect(vfs.stat('/srv')).toMatchObject({ ok: true, value: { type: 'dir' } });
  });

  test('sticky /tmp: another user\'s file cannot be removed or renamed', () => {
    const vfs = new GameVfs(store());
    expect(vfs.unlink('/tmp/bobs', 'ops')).toEqual({ ok: false, errno: 'EPERM' });
    expect(vfs.rename('/tmp/bobs', '/tmp/mine', 'ops')).toEqual({ ok: false, errno: 'EPERM' });
    expect(vfs.rename('/tmp/bobs', '/tmp/mine', 'bob').ok).toBe(true);
  });

  test('rename moves a directory with its files; into itself is EINVAL', () => {
    const s = store();
    const vfs = new GameVfs(s);
    vfs.mkdir('/home/ops/d', 'ops');
    vfs.write('/home/ops/d/f', 'f\n', 'ops');
    expect(vfs.rename('/home/ops/d', '/home/ops/e', 'ops').ok).toBe(true);
    expect(s.files['/home/ops/e/f']!.content).toBe('f\n');
    expect(s.dirs['/home/ops/d']).toBeUndefined();
    expect(vfs.rename('/home/ops/e', '/home/ops/e/x', 'ops')).toEqual({ ok: false, errno: 'EINVAL' });
  });

  test('utime: now takes write permission, a given time takes ownership', () => {
    const s = store();
    const vfs = new GameVfs(s, { now: () => 7000 });
    expect(vfs.utime('/etc/passwd', 'ops', null)).toEqual({ ok: false, errno: 'EACCES' });
    expect(vfs.utime('/home/ops/a.txt', 'ops', 42).ok).toBe(true);
    expect(s.files['/home/ops/a.txt']!.mtime).toBe(42);
    expect(vfs.utime('/etc/passwd', 'root', null).ok).toBe(true);
    expect(s.files['/etc/passwd']!.mtime).toBe(7000);
  });

  test('copyFile keeps a binary file\'s size', () => {
    const s = store();
    s.files['/srv/pkg.deb'] = { content: '', bytes: 123456, mode: 0o644, owner: 'root', group: 'root', mtime: 1 };
    const vfs = new GameVfs(s);
    expect(vfs.copyFile('/srv/pkg.deb', '/tmp/pkg.deb', 'ops').ok).toBe(true);
    expect(vfs.stat('/tmp/pkg.deb')).toMatchObject({ ok: true, value: { size: 123456, owner: 'ops' } });
  });

  test('a directory made in play has its own time; the root\'s is the install, or the newest directory made in it', () => {
    const s = store();
    let now = 5000;
    const vfs = new GameVfs(s, { now: () => now });
    // nothing made yet: the root is as old as the box's oldest file
    expect(vfs.stat('/').ok && vfs.stat('/')).toMatchObject({ value: { mtime: 1000 } });
    vfs.mkdir('/home/ops/empty', 'ops');
    expect(vfs.stat('/home/ops/empty')).toMatchObject({ value: { type: 'dir', mtime: 5000 } });
    now = 9000;
    vfs.mkdir('/scratch', 'root');
    expect(vfs.stat('/')).toMatchObject({ value: { mtime: 9000 } });
    // a file written below later is newer still
    now = 12_000;
    vfs.write('/home/ops/empty/f', 'x', 'ops');
    expect(vfs.stat('/home/ops/empty')).toMatchObject({ value: { mtime: 12_000 } });
  });
});
