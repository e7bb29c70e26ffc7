/**
 * The block layer on the machine: where each device's contents live (the `Backing`), the timer
 * that runs the flusher and completes the devices' requests, the filesystems mounted from block
 * devices as part of the VFS, and path-level helpers for programs that write files there.
 *
 * - BACKING. A device's contents are outside the kernel (an EBS volume, a disk image). Whoever
 *   owns them registers a resolver with registerBacking (the EBS world part does, a test fixture
 *   does); machineBacking(w) asks each in turn.
 * - THE TIMER. A scenario whose kernel has BLOCK_SUBSYSTEM lists BLOCK_TIMER_SOURCE among its
 *   sources: it fires when a request completes or the flusher wakes, so the store behind each
 *   device is always what the device has completed by the world's time.
 * - THE FILES. blockfsProviders(c) gives the VFS one provider per possible mount (SLOTS of them):
 *   a slot's mount point is that of the n-th block mount, longest first, or a path nothing can
 *   reach while there are fewer mounts. Files read as one char per byte; writes go through the
 *   page cache. The shell creates, truncates and removes files, makes and removes directories,
 *   makes, reads and renames symlinks (lstat sees a link itself) and changes owners through the
 *   provider (the VFS checks permissions first); programs of the simulation use blockCreate and the rest. A symlink is followed wherever it leads among the block mounts; one leading out of
 *   them (into the root filesystem) is not followed.
 * - Without the subsystem every function here answers as if nothing were mounted.
 */
import {
  blockStateOf,
  cacheRead,
  cacheWrite,
  completeIo,
  deviceOf,
  diskStatsAt,
  fs,
  fsyncFile,
  nextWritebackAt,
  runWriteback,
  syncAll,
  type Backing,
  type BlockStore,
  type FsInode,
  type MountEntry,
} from '../kernel/block';
import { formatDiskstatsLine } from '../formats/storage';
import { zeroStats } from '../kernel/block/devices';
import type { Errno, FsResult, FsStat } from '../shell/types';
import { normalizePath } from '../vfs/path';
import type { VfsProvider } from '../vfs/vfs';
import type { TimerSource } from './scenario';
import type { MachineContext } from './spells/context';
import { meminfo } from './views';
import type { MachineWorld } from './world';

export type BackingResolver = (w: MachineWorld, backingId: string) => BlockStore | undefined;

const RESOLVERS: BackingResolver[] = [];

/** a source of device contents (registered once, when the module that owns them loads) */
export function registerBacking(r: BackingResolver): void {
  if (!RESOLVERS.includes(r)) RESOLVERS.push(r);
}

/** the contents behind a backing id, from whichever resolver knows it */
export function machineBacking(w: MachineWorld): Backing {
  return (id) => {
    for (const r of RESOLVERS) {
      const s = r(w, id);
      if (s) return s;
    }
    throw new RangeError(`no contents are known for the device backed by ${id}`);
  };
}

/** the flusher measures what its thresholds are a ratio of when it wakes: free and file pages (global_dirtyable_memory) */
function measureDirtyable(w: MachineWorld): void {
  const b = blockStateOf(w.k)!;
  const mi = meminfo(w);
  b.dirtyablePages = Math.floor((mi.MemFree + mi['Active(file)'] + mi['Inactive(file)']) / 4);
}

export const BLOCK_TIMER_SOURCE: TimerSource = {
  name: 'block',
  own: true,
  next: (w) => (w.machine.up && blockStateOf(w.k) ? nextWritebackAt(w.k) : Infinity),
  fire: (w, t) => {
    const b = blockStateOf(w.k);
    if (!b) return;
    if (b.nextWakeAt >= 0 && b.nextWakeAt <= t) measureDirtyable(w);
    runWriteback(w.k, t, machineBacking(w));
  },
};

/** the block mounts, longest mount point first (so /data/x is found before /data) */
export function blockMounts(w: MachineWorld): MountEntry[] {
  const b = blockStateOf(w.k);
  if (!b) return [];
  return [...b.mounts].sort((x, y) => y.dir.length - x.dir.length || (x.dir < y.dir ? -1 : 1));
}

/** the block mount holding an absolute path, and the path inside it */
export function blockMountOf(w: MachineWorld, path: string): { mount: MountEntry; rel: string } | undefined {
  const p = normalizePath(path);
  for (const m of blockMounts(w)) {
    if (p === m.dir) return { mount: m, rel: '' };
    if (p.startsWith(m.dir === '/' ? '/' : m.dir + '/')) return { mount: m, rel: p.slice(m.dir.length + 1) };
  }
  return undefined;
}

/** a file of a block filesystem, found by path */
export interface BlockFile {
  dev: string;
  ino: number;
  inode: FsInode;
  /** the path it was reached by after following symlinks */
  path: string;
}

const MAX_LINKS = 8;

/** the file at an absolute path, symlinks followed among the block mounts */
export function resolveBlockPath(w: MachineWorld, path: string, depth = 0): BlockFile | { errno: 'ENOENT' | 'ENOTDIR' | 'ELOOP' } {
  if (depth > MAX_LINKS) return { errno: 'ELOOP' };
  const at = blockMountOf(w, path);
  if (!at) return { errno: 'ENOENT' };
  const r = fs.walk(w.k, at.mount.dev, at.rel);
  if (r.kind === 'missing') return { errno: r.errno };
  if (r.kind === 'found' && r.inode.kind !== 'l') return { dev: at.mount.dev, ino: r.inode.ino, inode: r.inode, path: normalizePath(path) };
  // a symlink: in the middle of the path, or the last component itself
  const link = r.inode;
  const before = r.kind === 'link' ? r.at.slice(0, -1) : at.rel.split('/').filter(Boolean).slice(0, -1);
  const rest = r.kind === 'link' ? r.rest : [];
  const target = link.target ?? '';
  const base = target.startsWith('/') ? target : normalizePath(target, normalizePath([at.mount.dir, ...before].join('/')));
  return resolveBlockPath(w, normalizePath([base, ...rest].join('/')), depth + 1);
}

function isFile(r: BlockFile | { errno: string }): r is BlockFile {
  return (r as BlockFile).ino !== undefined;
}

/** uid and gid to names, from /etc/passwd and /etc/group */
function names(w: MachineWorld, file: string): Record<number, string> {
  const out: Record<number, string> = {};
  for (const line of (w.files.files[file]?.content ?? '').split('\n')) {
    const f = line.split(':');
    if (f.length >= 3 && /^\d+$/.test(f[2])) out[Number(f[2])] ??= f[0];
  }
  return out;
}

/** a user or group name to its id, from /etc/passwd or /etc/group (a number stays a number) */
function idOf(w: MachineWorld, file: string, name: string): number | undefined {
  if (/^\d+$/.test(name)) return Number(name);
  const found = Object.entries(names(w, file)).find(([, n]) => n === name);
  return found ? Number(found[0]) : undefined;
}

function statOf(w: MachineWorld, i: FsInode): FsStat {
  const u = names(w, '/etc/passwd');
  const g = names(w, '/etc/group');
  const st: FsStat = { type: i.kind === 'd' ? 'dir' : i.kind === 'l' ? 'link' : 'file', mode: i.perm, owner: u[i.uid] ?? String(i.uid), group: g[i.gid] ?? String(i.gid), size: i.size, mtime: i.mtime };
  if (i.kind === 'l') st.target = i.target ?? '';
  return st;
}

/**
 * The file at an absolute path as lstat(2) finds it: symlinks followed on the way, but not the
 * last component, so a link is itself. A mount point is its filesystem's root.
 */
export function lookupBlockEntry(w: MachineWorld, path: string): BlockFile | { errno: 'ENOENT' | 'ENOTDIR' | 'ELOOP' } {
  const p = normalizePath(path);
  const at = blockMountOf(w, p);
  if (at && at.rel === '') return resolveBlockPath(w, p);
  const place = placeFor(w, p);
  if ('errno' in place) return place;
  const r = fs.walk(w.k, place.dev, place.rel);
  if (r.kind === 'missing') return { errno: r.errno };
  if (r.kind === 'link') return { errno: 'ENOENT' };
  return { dev: place.dev, ino: r.inode.ino, inode: r.inode, path: p };
}

/** bytes as the VFS carries binary files: one char per byte */
export function bytesToChars(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

/** text the shell writes, as the bytes that reach the file: UTF-8, except a string of bytes (every char below 256) stays as it is */
export function charsToBytes(s: string): Uint8Array {
  let wide = false;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) wide = true;
  if (!wide) return Uint8Array.from(s, (c) => c.charCodeAt(0));
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return Uint8Array.from(out);
}

/** the whole file's bytes as a program reading it sees them (the page cache first) */
export function blockFileBytes(w: MachineWorld, f: BlockFile, offset = 0, len = Infinity): Uint8Array {
  return cacheRead(w.k, f.dev, f.ino, offset, Math.min(len, f.inode.size - offset), machineBacking(w));
}

/** write(2) at offset; returns the virtual ms at which it returns (later when the writer is throttled) */
export function blockWrite(w: MachineWorld, f: BlockFile, offset: number, bytes: Uint8Array): number {
  return cacheWrite(w.k, f.dev, f.ino, offset, bytes, w.now, machineBacking(w));
}

/** fsync(2) of the file: when the device has completed its pages */
export function blockFsync(w: MachineWorld, f: BlockFile): number {
  return fsyncFile(w.k, f.dev, f.ino, w.now, machineBacking(w));
}

/** sync(2): when every device has completed every dirty page; the world's time when there is no block layer */
export function blockSync(w: MachineWorld): number {
  return blockStateOf(w.k) ? syncAll(w.k, w.now, machineBacking(w)) : w.now;
}

/** the mount and the path inside it of a new entry's parent, after following symlinks in the parent's path */
function placeFor(w: MachineWorld, path: string): { dev: string; rel: string } | { errno: 'ENOENT' | 'ENOTDIR' | 'ELOOP' } {
  const p = normalizePath(path);
  const slash = p.lastIndexOf('/');
  const parent = slash <= 0 ? '/' : p.slice(0, slash);
  const dir = resolveBlockPath(w, parent);
  if (!isFile(dir)) return dir;
  if (dir.inode.kind !== 'd') return { errno: 'ENOTDIR' };
  const at = blockMountOf(w, dir.path)!;
  return { dev: at.mount.dev, rel: [at.rel, p.slice(slash + 1)].filter(Boolean).join('/') };
}

type Made = { ok: true; file: BlockFile } | { ok: false; errno: fs.FsError };

function made(w: MachineWorld, dev: string, path: string, r: fs.FsResult<FsInode>): Made {
  return r.ok ? { ok: true, file: { dev, ino: r.value.ino, inode: r.value, path: normalizePath(path) } } : r;
}

/** creates a file on a block filesystem (open with O_CREAT|O_EXCL); prealloc allocates its blocks (fallocate) */
export function blockCreate(w: MachineWorld, path: string, size: number, opts: { prealloc?: boolean; perm?: number; uid?: number; gid?: number } = {}): Made {
  const at = placeFor(w, path);
  if ('errno' in at) return { ok: false, errno: at.errno };
  return made(w, at.dev, path, fs.create(w.k, at.dev, at.rel, size, opts, w.now, machineBacking(w)));
}

export function blockMkdir(w: MachineWorld, path: string, opts: { perm?: number; uid?: number; gid?: number } = {}): Made {
  const at = placeFor(w, path);
  if ('errno' in at) return { ok: false, errno: at.errno };
  return made(w, at.dev, path, fs.mkdir(w.k, at.dev, at.rel, opts, w.now, machineBacking(w)));
}

export function blockSymlink(w: MachineWorld, path: string, target: string, owner: { uid?: number; gid?: number } = {}): Made {
  const at = placeFor(w, path);
  if ('errno' in at) return { ok: false, errno: at.errno };
  return made(w, at.dev, path, fs.symlink(w.k, at.dev, at.rel, target, w.now, machineBacking(w), owner));
}

/** chown(2) of the file at path, or lchown(2) of a link itself when follow is false */
export function blockChown(w: MachineWorld, path: string, uid: number, gid: number, follow: boolean): fs.FsResult<null> {
  const f = follow ? resolveBlockPath(w, path) : lookupBlockEntry(w, path);
  if (!isFile(f)) return { ok: false, errno: f.errno };
  return fs.chown(w.k, f.dev, f.ino, uid, gid, w.now, machineBacking(w));
}

export function blockUnlink(w: MachineWorld, path: string): fs.FsResult<null> {
  const at = placeFor(w, path);
  if ('errno' in at) return { ok: false, errno: at.errno };
  return fs.unlink(w.k, at.dev, at.rel, w.now, machineBacking(w));
}

export function blockRmdir(w: MachineWorld, path: string): fs.FsResult<null> {
  const at = placeFor(w, path);
  if ('errno' in at) return { ok: false, errno: at.errno };
  return fs.rmdir(w.k, at.dev, at.rel, w.now, machineBacking(w));
}

/** rename(2) within one filesystem (across two, EXDEV: refused as EINVAL here) */
export function blockRename(w: MachineWorld, from: string, to: string): fs.FsResult<null> {
  const a = placeFor(w, from);
  const b = placeFor(w, to);
  if ('errno' in a) return { ok: false, errno: a.errno };
  if ('errno' in b) return { ok: false, errno: b.errno };
  if (a.dev !== b.dev) return { ok: false, errno: 'EINVAL' };
  return fs.rename(w.k, a.dev, a.rel, b.rel, w.now, machineBacking(w));
}

export function blockTruncate(w: MachineWorld, f: BlockFile, size: number): fs.FsResult<null> {
  return fs.truncate(w.k, f.dev, f.ino, size, w.now, machineBacking(w));
}

/**
 * /proc/diskstats: trusty's kernel registers 16 RAM disks (brd) and 8 loop devices before the Xen
 * disks; they never see I/O here. Then each device of the block layer, as of now.
 */
export function diskstatsText(w: MachineWorld): string {
  const idle = zeroStats(0);
  let out = '';
  for (let i = 0; i < 16; i++) out += formatDiskstatsLine({ major: 1, minor: i, name: `ram${i}`, stats: idle });
  for (let i = 0; i < 8; i++) out += formatDiskstatsLine({ major: 7, minor: i, name: `loop${i}`, stats: idle });
  for (const d of blockStateOf(w.k)?.devices ?? []) out += formatDiskstatsLine({ major: d.major, minor: d.minor, name: d.name, stats: diskStatsAt(w.k, d.name, w.now) });
  return out;
}

// ---- boot and shutdown

/**
 * What a clean shutdown does before the kernel goes (the machine's reboot should call it; a
 * panic or a reset from the console must not): every filesystem is synced and unmounted and the
 * devices complete what they were sent, so the stores hold it all. Returns when that is done.
 */
export function blockShutdown(w: MachineWorld, t: number): number {
  const b = blockStateOf(w.k);
  if (!b) return t;
  const backing = machineBacking(w);
  let done = syncAll(w.k, t, backing);
  for (const m of [...b.mounts].reverse()) {
    const u = fs.umount(w.k, m.dir, t, backing);
    if (u.ok) done = Math.max(done, u.doneAt);
  }
  completeIo(w.k, done, backing);
  return done;
}

/**
 * What mountall does at boot: every /etc/fstab entry whose device the block layer has (and that
 * is not noauto) is mounted, in the file's order. Returns the mount points it could not mount.
 */
export function mountFstab(w: MachineWorld, t: number): string[] {
  const b = blockStateOf(w.k);
  if (!b) return [];
  const failed: string[] = [];
  for (const line of (w.files.files['/etc/fstab']?.content ?? '').split('\n')) {
    const f = line.replace(/#.*/, '').trim().split(/\s+/);
    if (f.length < 3 || !f[0].startsWith('/dev/xvd')) continue;
    const opts = (f[3] ?? 'defaults').split(',');
    if (opts.includes('noauto') || b.mounts.some((m) => m.dir === f[1])) continue;
    if (!deviceOf(w.k, f[0])) {
      failed.push(f[1]);
      continue;
    }
    const given = opts.filter((o) => !['defaults', 'nofail', 'nobootwait', 'auto', 'user', 'users'].includes(o));
    const ro = given.includes('ro');
    const options = [ro ? 'ro' : 'rw', ...given.filter((o) => o !== 'ro' && o !== 'rw')];
    if (!fs.mount(w.k, f[0].slice(5), f[1], options, t, machineBacking(w)).ok) failed.push(f[1]);
  }
  return failed;
}

// ---- who holds files open

/** says whether a program holds files open under a block mount (umount refuses then: EBUSY) */
export type BusyCheck = (w: MachineWorld, mount: MountEntry) => boolean;

const BUSY: BusyCheck[] = [];

/** a program model (a database server) registers how to tell that it holds files under a mount */
export function registerBusyCheck(check: BusyCheck): void {
  if (!BUSY.includes(check)) BUSY.push(check);
}

export function isBusy(w: MachineWorld, mount: MountEntry): boolean {
  return BUSY.some((check) => check(w, mount));
}

// ---- the VFS

/** how many block filesystems may be mounted at once on one machine */
export const SLOTS = 8;

const okR = <T>(value: T): FsResult<T> => ({ ok: true, value });
const failR = <T>(errno: Errno): FsResult<T> => ({ ok: false, errno });

/** a change to a block filesystem as the VFS reports it (a full device is ENOSPC, as a write finds it) */
function changed(run: () => { ok: true } | { ok: false; errno: fs.FsError }): FsResult<void> {
  try {
    const r = run();
    if (r.ok) return okR(undefined);
    // rename's ENOTEMPTY cannot come from create, truncate or unlink
    return failR(r.errno === 'ENOTEMPTY' ? 'EEXIST' : r.errno);
  } catch (e) {
    if (e instanceof RangeError && e.message.startsWith('ENOSPC')) return failR('ENOSPC');
    throw e;
  }
}

export function blockfsProviders(c: MachineContext): VfsProvider[] {
  const slot = (i: number): VfsProvider => {
    const here = (rel: string): string => {
      const m = blockMounts(c.world())[i];
      return m ? normalizePath(rel === '' ? m.dir : `${m.dir}/${rel}`) : '/';
    };
    const find = (rel: string): BlockFile | { errno: Errno } => (blockMounts(c.world())[i] ? resolveBlockPath(c.world(), here(rel)) : { errno: 'ENOENT' });
    return {
      // a NUL never reaches the VFS from the shell: an unused slot is mounted where nothing can look
      get mountPoint(): string {
        return blockMounts(c.world())[i]?.dir ?? `/\u0000blockfs/${i}`;
      },
      stat: (rel) => {
        const f = find(rel);
        return isFile(f) ? okR(statOf(c.world(), f.inode)) : failR(f.errno);
      },
      lstat: (rel) => {
        if (!blockMounts(c.world())[i]) return failR('ENOENT');
        const f = lookupBlockEntry(c.world(), here(rel));
        return isFile(f) ? okR(statOf(c.world(), f.inode)) : failR(f.errno);
      },
      symlink: (rel, target, file) => {
        const w = c.world();
        const m = blockMounts(w)[i];
        if (!m) return failR('ENOENT');
        if (m.options.includes('ro')) return failR('EROFS');
        return changed(() => blockSymlink(w, here(rel), target, { uid: idOf(w, '/etc/passwd', file.owner), gid: idOf(w, '/etc/group', file.group) }));
      },
      mkdir: (rel, dir) => {
        const w = c.world();
        const m = blockMounts(w)[i];
        if (!m) return failR('ENOENT');
        if (m.options.includes('ro')) return failR('EROFS');
        return changed(() => blockMkdir(w, here(rel), { perm: dir.mode, uid: idOf(w, '/etc/passwd', dir.owner), gid: idOf(w, '/etc/group', dir.group) }));
      },
      chown: (rel, owner, group, follow) => {
        const w = c.world();
        const m = blockMounts(w)[i];
        if (!m) return failR('ENOENT');
        if (m.options.includes('ro')) return failR('EROFS');
        const uid = idOf(w, '/etc/passwd', owner);
        const gid = idOf(w, '/etc/group', group);
        if (uid === undefined || gid === undefined) return failR('EINVAL');
        return changed(() => blockChown(w, here(rel), uid, gid, follow));
      },
      rmdir: (rel) => {
        const w = c.world();
        const m = blockMounts(w)[i];
        if (!m) return failR('ENOENT');
        if (m.options.includes('ro')) return failR('EROFS');
        const r = blockRmdir(w, here(rel));
        return r.ok ? okR(undefined) : failR(r.errno);
      },
      rename: (from, to) => {
        const w = c.world();
        const m = blockMounts(w)[i];
        if (!m) return failR('ENOENT');
        if (m.options.includes('ro')) return failR('EROFS');
        return changed(() => blockRename(w, here(from), here(to)));
      },
      read: (rel) => {
        const f = find(rel);
        if (!isFile(f)) return failR(f.errno);
        if (f.inode.kind === 'd') return failR('EISDIR');
        return okR(bytesToChars(blockFileBytes(c.world(), f)));
      },
      write: (rel, data, _user, opts) => {
        const w = c.world();
        const f = find(rel);
        if (!isFile(f)) return failR(f.errno);
        if (f.inode.kind === 'd') return failR('EISDIR');
        const m = blockMounts(w)[i];
        if (m.options.includes('ro')) return failR('EROFS');
        try {
          if (!opts?.append) blockTruncate(w, f, 0);
          blockWrite(w, f, opts?.append ? f.inode.size : 0, charsToBytes(data));
        } catch (e) {
          if (e instanceof RangeError && e.message.startsWith('ENOSPC')) return failR('ENOSPC');
          throw e;
        }
        return okR(undefined);
      },
      binary: true,
      create: (rel, file) => {
        const w = c.world();
        const m = blockMounts(w)[i];
        if (!m) return failR('ENOENT');
        if (m.options.includes('ro')) return failR('EROFS');
        return changed(() => blockCreate(w, here(rel), 0, { perm: file.mode, uid: idOf(w, '/etc/passwd', file.owner), gid: idOf(w, '/etc/group', file.group) }));
      },
      truncate: (rel) => {
        const w = c.world();
        const f = find(rel);
        if (!isFile(f)) return failR(f.errno);
        if (f.inode.kind === 'd') return failR('EISDIR');
        if (blockMounts(w)[i].options.includes('ro')) return failR('EROFS');
        return changed(() => blockTruncate(w, f, 0));
      },
      unlink: (rel) => {
        const w = c.world();
        const m = blockMounts(w)[i];
        if (!m) return failR('ENOENT');
        if (m.options.includes('ro')) return failR('EROFS');
        return changed(() => blockUnlink(w, here(rel)));
      },
      list: (rel) => {
        const f = find(rel);
        if (!isFile(f)) return failR(f.errno);
        if (f.inode.kind !== 'd') return failR('ENOTDIR');
        return okR(Object.keys(f.inode.entries ?? {}).sort());
      },
    };
  };
  return Array.from({ length: SLOTS }, (_, i) => slot(i));
}
