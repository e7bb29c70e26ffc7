import { GameVfs } from '../../../engine/vfs/vfs';
import { normalizePath } from '../../../engine/vfs/path';
import { errnoMessage } from '../../../engine/vfs/errno';
import { baseStore, procProvider, T0 } from '../shell/fake-env';

function make() {
  const store = baseStore();
  const clock = { now: T0 };
  const vfs = new GameVfs(store, { now: () => clock.now });
  const writes: string[] = [];
  vfs.mount(procProvider([1, 42], writes));
  return { store, vfs, clock, writes };
}

describe('path normalisation', () => {
  test.each([
    ['/a/b/../c', '/', '/a/c'],
    ['//a///b/', '/', '/a/b'],
    ['./x', '/home/ops', '/home/ops/x'],
    ['../..', '/home/ops', '/'],
    ['/../..', '/x', '/'],
    ['.', '/tmp', '/tmp'],
    ['a/./b/../c', '/r', '/r/a/c'],
    // already canonical: given back as it is
    ['/', '/x', '/'],
    ['/etc/cron.hourly', '/x', '/etc/cron.hourly'],
    ['/.hidden/..a/b./...', '/x', '/.hidden/..a/b./...'],
    // one segment away from canonical, at the start, middle or end
    ['/a/.', '/', '/a'],
    ['/a/..', '/', '/'],
    ['/./a', '/', '/a'],
    ['/a/../b', '/', '/b'],
    ['/a/', '/', '/a'],
    ['/a//b', '/', '/a/b'],
    ['', '/tmp', '/tmp'],
  ])('%s from %s', (p, cwd, want) => expect(normalizePath(p, cwd)).toBe(want));
});

describe('permissions', () => {
  test('owner, group and other bits', () => {
    const { vfs } = make();
    expect(vfs.read('/home/ops/notes.txt', 'ops').ok).toBe(true);
    // syslog is 0640 syslog:adm and ops is in adm through /etc/group
    expect(vfs.read('/var/log/syslog', 'ops').ok).toBe(true);
    expect(vfs.read('/var/log/syslog', 'nsd')).toEqual({ ok: false, errno: 'EACCES' });
    expect(vfs.read('/etc/shadow', 'ops')).toEqual({ ok: false, errno: 'EACCES' });
    expect(vfs.read('/etc/passwd', 'nsd').ok).toBe(true);
    expect(vfs.write('/etc/passwd', 'x', 'ops')).toEqual({ ok: false, errno: 'EACCES' });
    expect(vfs.groupsOf('ops')).toEqual(['ops', 'adm', 'sudo']);
  });

  test('owner bits alone decide for the owner', () => {
    const { vfs, store } = make();
    store.files['/tmp/f'] = { content: 'x', mode: 0o044, owner: 'ops', group: 'ops', mtime: 0 };
    expect(vfs.read('/tmp/f', 'ops')).toEqual({ ok: false, errno: 'EACCES' });
    expect(vfs.read('/tmp/f', 'nsd').ok).toBe(true);
  });

  test('searching a directory needs x on every ancestor', () => {
    const { vfs } = make();
    expect(vfs.read('/root/secret', 'ops')).toEqual({ ok: false, errno: 'EACCES' });
    expect(vfs.list('/root', 'ops')).toEqual({ ok: false, errno: 'EACCES' });
    expect(vfs.canAccess('/root', 'ops', 'x')).toBe(false);
  });

  test('root bypasses read and write but not exec', () => {
    const { vfs } = make();
    expect(vfs.read('/root/secret', 'root')).toEqual({ ok: true, value: 'top secret\n' });
    expect(vfs.read('/etc/shadow', 'root').ok).toBe(true);
    expect(vfs.write('/etc/passwd', 'x\n', 'root').ok).toBe(true);
    expect(vfs.canAccess('/home/ops/noexec.sh', 'root', 'x')).toBe(false);
    expect(vfs.canAccess('/usr/local/bin/fix.sh', 'root', 'x')).toBe(true);
    expect(vfs.canAccess('/root', 'root', 'x')).toBe(true);
  });

  test('new files belong to their creator; umask follows Ubuntu', () => {
    const { vfs, store, clock } = make();
    clock.now = T0 + 5000;
    expect(vfs.write('/home/ops/new', 'data', 'ops').ok).toBe(true);
    expect(store.files['/home/ops/new']).toEqual({ content: 'data', mode: 0o664, owner: 'ops', group: 'ops', mtime: T0 + 5000 });
    expect(vfs.write('/tmp/r', 'x', 'root').ok).toBe(true);
    expect(store.files['/tmp/r']).toMatchObject({ mode: 0o644, owner: 'root', group: 'root' });
    expect(vfs.write('/var/empty/x', 'x', 'ops')).toEqual({ ok: false, errno: 'EACCES' });
    expect(vfs.write('/home/ops/new', '+', 'ops', { append: true }).ok).toBe(true);
    expect(store.files['/home/ops/new'].content).toBe('data+');
    expect(JSON.parse(JSON.stringify(store))).toEqual(store);
  });

  test('the sticky bit of /tmp protects other users\' files', () => {
    const { vfs } = make();
    vfs.write('/tmp/mine', 'x', 'nsd');
    expect(vfs.remove('/tmp/mine', 'ops')).toEqual({ ok: false, errno: 'EPERM' });
    expect(vfs.remove('/tmp/mine', 'nsd').ok).toBe(true);
    expect(vfs.stat('/tmp/mine')).toEqual({ ok: false, errno: 'ENOENT' });
    expect(vfs.remove('/tmp', 'root')).toEqual({ ok: false, errno: 'EISDIR' });
  });
});

describe('errors and special files', () => {
  test('ENOENT, EISDIR, ENOTDIR', () => {
    const { vfs } = make();
    expect(vfs.read('/nope', 'ops')).toEqual({ ok: false, errno: 'ENOENT' });
    expect(vfs.read('/home', 'ops')).toEqual({ ok: false, errno: 'EISDIR' });
    expect(vfs.read('/etc/passwd/x', 'ops')).toEqual({ ok: false, errno: 'ENOTDIR' });
    expect(vfs.list('/etc/passwd', 'ops')).toEqual({ ok: false, errno: 'ENOTDIR' });
    expect(vfs.write('/nodir/x', 'x', 'root')).toEqual({ ok: false, errno: 'ENOENT' });
    expect(vfs.write('/tmp', 'x', 'root')).toEqual({ ok: false, errno: 'EISDIR' });
    expect(errnoMessage('ENOTDIR')).toBe('Not a directory');
  });

  test('/dev/null reads empty and swallows writes', () => {
    const { vfs, store } = make();
    const before = JSON.stringify(store);
    expect(vfs.read('/dev/null', 'ops')).toEqual({ ok: true, value: '' });
    expect(vfs.write('/dev/null', 'gone', 'ops').ok).toBe(true);
    expect(JSON.stringify(store)).toBe(before);
    expect(vfs.list('/dev', 'ops')).toEqual({ ok: true, value: ['null'] });
  });

  test('directories: implied, explicit, listed with mount points', () => {
    const { vfs } = make();
    expect(vfs.stat('/usr/local/bin')).toMatchObject({ ok: true, value: { type: 'dir', owner: 'root', mode: 0o755 } });
    expect(vfs.stat('/tmp')).toMatchObject({ ok: true, value: { type: 'dir', mode: 0o1777 } });
    expect(vfs.list('/', 'ops')).toEqual({ ok: true, value: ['dev', 'etc', 'home', 'proc', 'root', 'tmp', 'usr', 'var'] });
    expect(vfs.list('/home/ops', 'ops')).toEqual({ ok: true, value: ['.bashrc', 'noexec.sh', 'notes.txt'] });
  });
});

describe('mounted providers', () => {
  test('read, list and stat go to the provider with paths relative to the mount', () => {
    const { vfs } = make();
    expect(vfs.list('/proc', 'ops')).toEqual({ ok: true, value: ['1', '42', 'meminfo', 'slabinfo', 'sys'] });
    expect(vfs.read('/proc/42/status', 'ops')).toEqual({ ok: true, value: 'Name:\tproc42\nPid:\t42\n' });
    expect(vfs.read('/proc/7/status', 'ops')).toEqual({ ok: false, errno: 'ENOENT' });
    expect(vfs.read('/proc/slabinfo', 'ops')).toEqual({ ok: false, errno: 'EACCES' });
    expect(vfs.read('/proc/slabinfo', 'root').ok).toBe(true);
    expect(vfs.read('/proc/./sys/../meminfo', 'ops').ok).toBe(true);
  });

  test('writes need permission, reach the provider, and never touch the store', () => {
    const { vfs, store, writes } = make();
    const before = JSON.stringify(store);
    expect(vfs.write('/proc/sys/vm/drop_caches', '3\n', 'ops')).toEqual({ ok: false, errno: 'EACCES' });
    expect(vfs.write('/proc/sys/vm/drop_caches', '3\n', 'root')).toEqual({ ok: true, value: undefined });
    expect(vfs.write('/proc/sys/vm/drop_caches', 'x', 'root')).toEqual({ ok: false, errno: 'EINVAL' });
    expect(vfs.write('/proc/meminfo', 'x', 'root')).toEqual({ ok: false, errno: 'EACCES' });
    expect(vfs.write('/proc/newfile', 'x', 'root')).toEqual({ ok: false, errno: 'ENOENT' });
    expect(vfs.open('/proc/sys/vm/drop_caches', 'root', { truncate: true }).ok).toBe(true);
    expect(writes).toEqual(['3\n']);
    expect(JSON.stringify(store)).toBe(before);
  });

  test('unmount removes the tree', () => {
    const { vfs } = make();
    vfs.unmount('/proc');
    expect(vfs.stat('/proc')).toEqual({ ok: false, errno: 'ENOENT' });
  });
});
