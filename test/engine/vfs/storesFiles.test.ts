import type { FsResult, FsStat } from '../../../engine/shell/types';
import { errnoMessage } from '../../../engine/vfs/errno';
import type { FileStore } from '../../../engine/vfs/store';
import { GameVfs, type VfsProvider } from '../../../engine/vfs/vfs';

/**
 * A provider that renders one file and leaves every other path below its mount point to the
 * stored files (VfsProvider.storesFiles), as /var/log does: those are created, appended to,
 * listed and removed as any stored file is, under the mount point's own mode.
 */
const T0 = Date.UTC(2015, 2, 10, 5, 20);
const f = (content: string) => ({ content, mode: 0o644, owner: 'root', group: 'root', mtime: T0 });

function make() {
  const store: FileStore = {
    files: {
      '/etc/passwd': f('root:x:0:0:root:/root:/bin/bash\nsyslog:x:101:104::/home/syslog:/bin/false\nops:x:1000:1000:Ops,,,:/home/ops:/bin/bash\n'),
      '/etc/group': f('root:x:0:\nadm:x:4:syslog,ops\nsyslog:x:104:\nops:x:1000:\n'),
    },
    dirs: { '/var': { mode: 0o755, owner: 'root', group: 'root' } },
  };
  const rendered: FsStat = { type: 'file', mode: 0o640, owner: 'syslog', group: 'adm', size: 6, mtime: T0 };
  const ok = <T>(value: T): FsResult<T> => ({ ok: true, value });
  const provider: VfsProvider = {
    mountPoint: '/var/log',
    storesFiles: (rel) => rel.split('/')[0] !== 'syslog',
    stat: (rel) => (rel === '' ? ok({ type: 'dir', mode: 0o775, owner: 'root', group: 'syslog', size: 4096, mtime: T0 }) : rel === 'syslog' ? ok(rendered) : { ok: false, errno: 'ENOENT' }),
    read: (rel) => (rel === 'syslog' ? ok('line1\n') : { ok: false, errno: 'ENOENT' }),
    write: () => ({ ok: false, errno: 'ENOTSIM' }),
    create: () => ({ ok: false, errno: 'ENOTSIM' }),
    unlink: () => ({ ok: false, errno: 'ENOTSIM' }),
    list: () => ok(['syslog', ...Object.keys(store.files).filter((p) => p.startsWith('/var/log/')).map((p) => p.slice('/var/log/'.length))]),
  };
  const vfs = new GameVfs(store, { now: () => T0 + 60_000 });
  vfs.mount(provider);
  return { store, vfs };
}

describe('stored files below a rendering provider', () => {
  it('root and group syslog create files in a root:syslog 0775 directory; others may not', () => {
    const { store, vfs } = make();
    expect(vfs.write('/var/log/backup.log', 'one\n', 'root', { append: true })).toEqual({ ok: true, value: undefined });
    expect(vfs.write('/var/log/backup.log', 'two\n', 'root', { append: true }).ok).toBe(true);
    expect(store.files['/var/log/backup.log']).toEqual({ content: 'one\ntwo\n', mode: 0o644, owner: 'root', group: 'root', mtime: T0 + 60_000 });
    expect(vfs.write('/var/log/rsyslog-own.log', 'x\n', 'syslog').ok).toBe(true);
    expect(store.files['/var/log/rsyslog-own.log']).toMatchObject({ owner: 'syslog', group: 'syslog', mode: 0o664 });
    // (a user with a private group has umask 002: the VFS's rule for every stored file)
    // ops is in adm, not syslog: the directory's other bits (r-x) do not let it write
    expect(vfs.write('/var/log/mine.log', 'x\n', 'ops')).toEqual({ ok: false, errno: 'EACCES' });
    expect(vfs.open('/var/log/mine.log', 'ops', { truncate: false })).toEqual({ ok: false, errno: 'EACCES' });
    expect(vfs.write('/var/log/backup.log', 'x\n', 'ops', { append: true })).toEqual({ ok: false, errno: 'EACCES' });
  });

  it('reads, stats, lists and removes them as stored files', () => {
    const { store, vfs } = make();
    vfs.write('/var/log/backup.log', 'one\n', 'root');
    expect(vfs.read('/var/log/backup.log', 'ops')).toEqual({ ok: true, value: 'one\n' });
    expect(vfs.stat('/var/log/backup.log')).toEqual({ ok: true, value: { type: 'file', mode: 0o644, owner: 'root', group: 'root', size: 4, mtime: T0 + 60_000 } });
    expect(vfs.list('/var/log', 'ops')).toEqual({ ok: true, value: ['backup.log', 'syslog'] });
    expect(vfs.unlink('/var/log/backup.log', 'ops')).toEqual({ ok: false, errno: 'EACCES' });
    expect(vfs.unlink('/var/log/backup.log', 'root')).toEqual({ ok: true, value: undefined });
    expect(store.files['/var/log/backup.log']).toBeUndefined();
    // the mount point is the provider's: removing its last stored file leaves no stored directory behind
    expect(store.dirs['/var/log']).toBeUndefined();
    expect(vfs.mkdir('/var/log/app', 'root').ok).toBe(true);
    expect(store.dirs['/var/log/app']).toEqual({ mode: 0o755, owner: 'root', group: 'root', mtime: expect.any(Number) });
  });

  it('leaves the rendered file to the provider, which refuses root a change in one line', () => {
    const { vfs } = make();
    expect(vfs.write('/var/log/syslog', 'x\n', 'ops', { append: true })).toEqual({ ok: false, errno: 'EACCES' });
    expect(vfs.write('/var/log/syslog', 'x\n', 'root', { append: true })).toEqual({ ok: false, errno: 'ENOTSIM' });
    expect(vfs.unlink('/var/log/syslog', 'root')).toEqual({ ok: false, errno: 'ENOTSIM' });
    expect(vfs.read('/var/log/syslog', 'root')).toEqual({ ok: true, value: 'line1\n' });
    expect(errnoMessage('ENOTSIM')).toBe('changing this file is not simulated (its lines are rendered from the log records)');
  });
});
