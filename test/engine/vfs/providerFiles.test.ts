import type { FsResult, FsStat } from '../../../engine/shell/types';
import { GameVfs, type VfsProvider } from '../../../engine/vfs/vfs';
import { baseStore, procProvider, T0 } from '../shell/fake-env';

type Node = FsStat & { content?: string };

/** a filesystem a provider keeps (as a block mount does), which can make, empty and remove files */
function memProvider(mountPoint: string, nodes: Record<string, Node>, opts: { creates: boolean }): VfsProvider & { nodes: Record<string, Node> } {
  const ok = <T>(value: T): FsResult<T> => ({ ok: true, value });
  const enoent = { ok: false as const, errno: 'ENOENT' as const };
  const p: VfsProvider & { nodes: Record<string, Node> } = {
    mountPoint,
    nodes,
    stat: (rel) => (nodes[rel] ? ok(nodes[rel]) : enoent),
    read: (rel) => (nodes[rel]?.type === 'file' ? ok(nodes[rel].content ?? '') : enoent),
    write: (rel, data, _u, o) => {
      const n = nodes[rel];
      if (!n) return enoent;
      n.content = o?.append ? (n.content ?? '') + data : data;
      n.size = n.content.length;
      return ok(undefined);
    },
    list: (rel) => ok(Object.keys(nodes).filter((k) => k !== rel && k.startsWith(rel === '' ? '' : rel + '/') && !k.slice(rel === '' ? 0 : rel.length + 1).includes('/')).map((k) => k.split('/').pop()!)),
  };
  if (opts.creates) {
    p.create = (rel, f) => {
      nodes[rel] = { type: 'file', mode: f.mode, owner: f.owner, group: f.group, size: 0, mtime: T0, content: '' };
      return ok(undefined);
    };
    p.truncate = (rel) => {
      nodes[rel].content = '';
      nodes[rel].size = 0;
      return ok(undefined);
    };
    p.unlink = (rel) => {
      delete nodes[rel];
      return ok(undefined);
    };
  }
  return p;
}

const dir = (owner: string, mode: number): Node => ({ type: 'dir', mode, owner, group: owner, size: 4096, mtime: T0 });
const file = (owner: string, content: string): Node => ({ type: 'file', mode: 0o644, owner, group: owner, size: content.length, mtime: T0, content });

function make(creates = true) {
  const store = baseStore();
  store.dirs['/data'] = { mode: 0o755, owner: 'root', group: 'root' };
  const vfs = new GameVfs(store, { now: () => T0 });
  const data = memProvider('/data', { '': dir('root', 0o755), pub: dir('ops', 0o755), tmp: dir('root', 0o1777), 'tmp/roots': file('root', 'r\n'), old: file('root', 'old text\n') }, { creates });
  vfs.mount(data);
  vfs.mount(procProvider([1], []));
  return { store, vfs, data };
}

describe('files in a provider that can create and unlink them', () => {
  test('a new file is created with the mode and owner a stored file would get, only where the user may write', () => {
    const { vfs, data, store } = make();
    const before = JSON.stringify(store);
    expect(vfs.write('/data/new', 'x\n', 'ops')).toEqual({ ok: false, errno: 'EACCES' });
    expect(data.nodes.new).toBeUndefined();
    expect(vfs.write('/data/pub/mine', 'hello\n', 'ops')).toEqual({ ok: true, value: undefined });
    expect(data.nodes['pub/mine']).toMatchObject({ type: 'file', mode: 0o664, owner: 'ops', group: 'ops', content: 'hello\n' });
    expect(vfs.write('/data/new', 'x\n', 'root')).toEqual({ ok: true, value: undefined });
    expect(data.nodes.new).toMatchObject({ mode: 0o644, owner: 'root', group: 'root', content: 'x\n' });
    expect(vfs.write('/data/nodir/f', 'x', 'root')).toEqual({ ok: false, errno: 'ENOENT' });
    expect(vfs.write('/data/old/f', 'x', 'root')).toEqual({ ok: false, errno: 'ENOTDIR' });
    // nothing of it lands in the saved store
    expect(JSON.stringify(store)).toBe(before);
  });

  test('open (a redirection) creates a missing file and truncates an existing one', () => {
    const { vfs, data } = make();
    expect(vfs.open('/data/pub/log', 'ops', { truncate: true })).toEqual({ ok: true, value: undefined });
    expect(data.nodes['pub/log']).toMatchObject({ owner: 'ops', content: '' });
    expect(vfs.open('/data/old', 'root', { truncate: true })).toEqual({ ok: true, value: undefined });
    expect(data.nodes.old.content).toBe('');
    data.nodes.old.content = 'kept\n';
    expect(vfs.open('/data/old', 'root', { truncate: false })).toEqual({ ok: true, value: undefined });
    expect(data.nodes.old.content).toBe('kept\n');
    expect(vfs.open('/data/old', 'ops', { truncate: true })).toEqual({ ok: false, errno: 'EACCES' });
    expect(data.nodes.old.content).toBe('kept\n');
    expect(vfs.open('/data/made', 'ops', { truncate: true })).toEqual({ ok: false, errno: 'EACCES' });
  });

  test('remove unlinks with the directory checks of a stored file (sticky bit included)', () => {
    const { vfs, data } = make();
    expect(vfs.remove('/data/old', 'ops')).toEqual({ ok: false, errno: 'EACCES' });
    expect(vfs.remove('/data/tmp/roots', 'ops')).toEqual({ ok: false, errno: 'EPERM' });
    expect(vfs.remove('/data/pub', 'root')).toEqual({ ok: false, errno: 'EISDIR' });
    expect(vfs.remove('/data/gone', 'root')).toEqual({ ok: false, errno: 'ENOENT' });
    expect(vfs.write('/data/tmp/mine', 'm', 'ops').ok).toBe(true);
    expect(vfs.remove('/data/tmp/mine', 'ops')).toEqual({ ok: true, value: undefined });
    expect(vfs.remove('/data/old', 'root')).toEqual({ ok: true, value: undefined });
    expect(data.nodes.old).toBeUndefined();
    expect(vfs.stat('/data/old')).toEqual({ ok: false, errno: 'ENOENT' });
  });

  test('a provider without create, truncate and unlink behaves as before: no new files, nothing removed, open only checks', () => {
    const { vfs, data } = make(false);
    expect(vfs.write('/data/new', 'x', 'root')).toEqual({ ok: false, errno: 'ENOENT' });
    expect(vfs.open('/data/new', 'root', { truncate: true })).toEqual({ ok: false, errno: 'ENOENT' });
    expect(vfs.open('/data/old', 'root', { truncate: true })).toEqual({ ok: true, value: undefined });
    expect(data.nodes.old.content).toBe('old text\n');
    expect(vfs.remove('/data/old', 'root')).toEqual({ ok: false, errno: 'EACCES' });
    expect(vfs.write('/proc/newfile', 'x', 'root')).toEqual({ ok: false, errno: 'ENOENT' });
    expect(vfs.remove('/proc/meminfo', 'root')).toEqual({ ok: false, errno: 'EACCES' });
    expect(vfs.holdsBytes('/data/old')).toBe(false);
  });
});
