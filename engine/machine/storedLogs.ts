/**
 * /var/log holds two kinds of file. syslog, kern.log and auth.log (and their rotations) are
 * rendered from the log records as they are read. Everything else there (a daemon's own log,
 * upstart's console logs in /var/log/upstart, a cron job's `>> /var/log/backup.log`) is an
 * ordinary stored file: the VFS creates, appends to, lists and removes it like any stored file,
 * with its mode and owner, under /var/log's own root:syslog 0775. So root and group syslog may
 * make files there and everyone else gets "Permission denied", as on trusty.
 *
 * The rendered logs stay the records' view. Writing to one, emptying it or removing it (which
 * only root may try: they are syslog:adm 0640) is refused with ENOTSIM, a one-line "not
 * simulated": rsyslog's records are the only thing those files are made from here, and raw text
 * appended to the file has no record to become.
 */
import type { Errno, FsResult } from '../shell/types';
import type { VfsProvider } from '../vfs/vfs';
import type { MachineWorld } from './world';

const ROOT = '/var/log';

const ok = <T>(value: T): FsResult<T> => ({ ok: true, value });
const fail = (errno: Errno): FsResult<never> => ({ ok: false, errno });
const clean = (rel: string): string => rel.replace(/^\/+|\/+$/g, '');

/** the names the rendered streams take, with their rotations, whether or not one exists yet */
const RENDERED = /^(?:syslog|kern\.log|auth\.log)(?:\.\d+(?:\.gz)?)?$/;

/** whether a path below /var/log is a rendered log (a name rsyslog's streams own) */
export function isRenderedLog(rel: string): boolean {
  return RENDERED.test(clean(rel));
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
  return {
    ...inner,
    storesFiles: (rel) => clean(rel) !== '' && !isRenderedLog(clean(rel).split('/')[0]!),
    // the VFS has let only root this far: the files are syslog:adm 0640
    write: () => fail('ENOTSIM'),
    create: () => fail('ENOTSIM'),
    truncate: () => fail('ENOTSIM'),
    unlink: () => fail('ENOTSIM'),
    list: (rel, user) => {
      if (clean(rel) !== '') return inner.list(rel, user);
      const r = inner.list(rel, user);
      if (!r.ok) return r;
      const names = new Set([...r.value, ...children(world(), ROOT)]);
      return ok([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    },
  };
}
