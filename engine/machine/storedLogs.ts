/**
 * The files under /var/log that no syslog stream renders: a daemon's own log, upstart's console
 * logs in /var/log/upstart. A scenario keeps them in the stored files like any other file; this
 * lets the /var/log mount show them beside the rendered logs, with their own mode and owner.
 * They are read-only to the player, like the rest of /var/log.
 */
import type { Errno, FsResult, FsStat, TextChunk } from '../shell/types';
import { groupsOf, parseGroup, parsePasswd } from '../vfs/accounts';
import { byteLength } from '../vfs/utf8';
import type { VfsProvider } from '../vfs/vfs';
import type { MachineWorld } from './world';

const ROOT = '/var/log';

const ok = <T>(value: T): FsResult<T> => ({ ok: true, value });
const fail = (errno: Errno): FsResult<never> => ({ ok: false, errno });
const clean = (rel: string): string => rel.replace(/^\/+|\/+$/g, '');

function may(w: MachineWorld, user: string, st: { mode: number; owner: string; group: string }, bit: number): boolean {
  if (user === 'root') return true;
  if (st.owner === user) return ((st.mode >> 6) & bit) !== 0;
  const groups = groupsOf(user, parsePasswd(w.files.files['/etc/passwd']?.content ?? ''), parseGroup(w.files.files['/etc/group']?.content ?? ''));
  if (groups.includes(st.group)) return ((st.mode >> 3) & bit) !== 0;
  return (st.mode & bit) !== 0;
}

/** the stored directory at path: listed in the store's dirs, or implied by a file below it */
function storedDir(w: MachineWorld, path: string): { mode: number; owner: string; group: string } | null {
  const d = w.files.dirs[path];
  if (d) return d;
  const prefix = `${path}/`;
  return Object.keys(w.files.files).some((p) => p.startsWith(prefix)) ? { mode: 0o755, owner: 'root', group: 'root' } : null;
}

function children(w: MachineWorld, path: string): string[] {
  const prefix = `${path}/`;
  const out = new Set<string>();
  for (const p of [...Object.keys(w.files.files), ...Object.keys(w.files.dirs)]) {
    if (p.startsWith(prefix)) out.add(p.slice(prefix.length).split('/')[0]!);
  }
  return [...out];
}

export function withStoredLogs(inner: VfsProvider, world: () => MachineWorld): VfsProvider {
  const fileAt = (rel: string) => (clean(rel) === '' ? undefined : world().files.files[`${ROOT}/${clean(rel)}`]);
  const dirAt = (rel: string) => (clean(rel) === '' ? null : storedDir(world(), `${ROOT}/${clean(rel)}`));
  const lines = (content: string): TextChunk[] => (content.match(/[^\n]*\n|[^\n]+$/g) ?? []).map((text) => ({ newlines: text.endsWith('\n') ? 1 : 0, text }));
  return {
    ...inner,
    stat: (rel) => {
      const f = fileAt(rel);
      if (f) return ok({ type: 'file', mode: f.mode, owner: f.owner, group: f.group, size: f.bytes ?? byteLength(f.content), mtime: f.mtime } as FsStat);
      const d = dirAt(rel);
      if (d) return ok({ type: 'dir', mode: d.mode, owner: d.owner, group: d.group, size: 4096, mtime: world().now } as FsStat);
      return inner.stat(rel);
    },
    read: (rel, user) => {
      const f = fileAt(rel);
      if (!f) return dirAt(rel) ? fail('EISDIR') : inner.read(rel, user);
      return may(world(), user, f, 4) ? ok(f.content) : fail('EACCES');
    },
    readChunks: (rel, user, opts) => {
      const f = fileAt(rel);
      if (!f) return inner.readChunks ? inner.readChunks(rel, user, opts) : fail('EINVAL');
      if (!may(world(), user, f, 4)) return fail('EACCES');
      if (opts.gunzip) return fail('EINVAL');
      const chunks = lines(f.content);
      return ok(opts.reverse ? chunks.reverse() : chunks);
    },
    list: (rel, user) => {
      const c = clean(rel);
      if (c === '') {
        const r = inner.list(rel, user);
        if (!r.ok) return r;
        const names = new Set([...r.value, ...children(world(), ROOT)]);
        return ok([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      }
      const d = dirAt(rel);
      if (!d) return fileAt(rel) ? fail('ENOTDIR') : inner.list(rel, user);
      if (!may(world(), user, d, 4)) return fail('EACCES');
      return ok(children(world(), `${ROOT}/${c}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    },
  };
}
