import type { Errno, FsResult, FsStat, TextChunk, Vfs } from '../shell/types';
import type { FileStore } from './store';
import { groupsOf, parseGroup, parsePasswd } from './accounts';
import { ancestorsOf, baseName, normalizePath, parentOf } from './path';
import { byteLength } from './utf8';
import { STORE_QUOTA, StoreMeter, blocksKb, fileCost, type FileCost, type StoreMeasure } from './space';

/**
 * A dynamic tree (/proc, /sys) computed from the world on every access, so it never lands in the
 * saved game. Paths handed to a provider are relative to its mount point: '' is the mount point itself.
 */
export interface VfsProvider {
  mountPoint: string;
  stat(rel: string): FsResult<FsStat>;
  read(rel: string, user: string): FsResult<string>;
  /** absent means every file under this mount is read-only, whatever its mode says */
  write?(rel: string, data: string, user: string, opts?: { append?: boolean }): FsResult<void>;
  list(rel: string, user: string): FsResult<string[]>;
  /**
   * makes an empty file (O_CREAT) owned as given; the VFS has already checked that the user may
   * write in its directory. Absent means no file can be created under this mount (ENOENT).
   */
  create?(rel: string, file: { mode: number; owner: string; group: string }): FsResult<void>;
  /**
   * empties a file, as open(O_TRUNC) does (`> FILE`); absent means opening only checks, so that
   * opening /proc/sys/vm/drop_caches does not count as writing an empty value to it
   */
  truncate?(rel: string): FsResult<void>;
  /** removes a file (unlink(2)), the VFS having checked the directory's permissions; absent means EACCES */
  unlink?(rel: string): FsResult<void>;
  /** read() gives one char per byte of the file (a real filesystem), so a download takes each char as a byte */
  readonly binary?: boolean;
  /** the file in chunks of whole lines (see Vfs.readChunks); absent means read() */
  readChunks?(rel: string, user: string, opts: { reverse: boolean; gunzip: boolean }): FsResult<Iterable<TextChunk>>;
  /**
   * paths below the mount point that are ordinary stored files and directories (/var/log keeps a
   * daemon's own log beside the rendered syslog): the VFS handles them as it handles any stored
   * path, with its permission checks, quota and disk space; the provider only lists them
   */
  storesFiles?(rel: string): boolean;
  /**
   * lstat(2): like stat, but a symbolic link as the last component is the link itself (type
   * 'link', with its target). Absent means this tree has no links, so stat answers.
   */
  lstat?(rel: string): FsResult<FsStat>;
  /** symlink(2), the VFS having checked the directory; absent means links are not simulated here */
  symlink?(rel: string, target: string, file: { owner: string; group: string }): FsResult<void>;
  /** mkdir(2) with the mode after the umask, the VFS having checked the directory; absent means ENOENT */
  mkdir?(rel: string, dir: { mode: number; owner: string; group: string }): FsResult<void>;
  /** chown(2), or lchown(2) of a link itself when follow is false; absent means EPERM */
  chown?(rel: string, owner: string, group: string, follow: boolean): FsResult<void>;
  /** rmdir(2) of an empty directory, the VFS having checked the directory above it; absent means EPERM */
  rmdir?(rel: string): FsResult<void>;
  /** rename(2) of a file or link within this tree (not a directory: EINVAL); absent means EPERM */
  rename?(from: string, to: string): FsResult<void>;
}

type Access = 'r' | 'w' | 'x';

/** The devices the stored files live on, as the machine knows them (see machine/disk.ts). */
export interface VfsDisk {
  /** the mount point whose filesystem holds path */
  mountOf(path: string): string;
  /** 1K blocks the filesystem mounted at `mount` still has for user, the store measured as `stored` */
  availableKb(mount: string, user: string, stored: StoreMeasure): number;
  /** the machine's meter of the same store, so that the VFS and df measure it once between them */
  meter?: StoreMeter;
  /** the mount point of the filesystem path is on, the pseudo filesystems (/proc, /sys) and block volumes included */
  filesystemOf?(path: string): string;
}

interface GameVfsOptions {
  /** virtual clock for the mtime of written files */
  now?: () => number;
  /** where stored files take room; without it only the store's quota bounds them */
  disk?: VfsDisk;
}

const ok = <T>(value: T): FsResult<T> => ({ ok: true, value });
const fail = <T>(errno: Errno): FsResult<T> => ({ ok: false, errno });

const DEV_NULL = '/dev/null';
const ROOT_DIR: FsStat = { type: 'dir', mode: 0o755, owner: 'root', group: 'root', size: 4096, mtime: 0 };
const NULL_DEV: FsStat = { type: 'file', mode: 0o666, owner: 'root', group: 'root', size: 0, mtime: 0 };
/** Directories every Ubuntu box has, even when the chapter's store mentions none of their files. */
const ALWAYS_DIRS: Record<string, { mode: number; owner: string; group: string }> = {
  '/dev': { mode: 0o755, owner: 'root', group: 'root' },
  '/tmp': { mode: 0o1777, owner: 'root', group: 'root' },
};

/** The simulated filesystem: persistent files from the game state plus mounted dynamic trees. */
export class GameVfs implements Vfs {
  private readonly providers: VfsProvider[] = [];

  private readonly opts: GameVfsOptions;
  private readonly meter: StoreMeter;

  /** Providers may be given here or mounted later. */
  constructor(
    private readonly store: FileStore,
    providersOrOpts: readonly VfsProvider[] | GameVfsOptions = [],
    opts: GameVfsOptions = {},
  ) {
    this.opts = Array.isArray(providersOrOpts) ? opts : (providersOrOpts as GameVfsOptions);
    if (Array.isArray(providersOrOpts)) for (const p of providersOrOpts as readonly VfsProvider[]) this.mount(p);
    const disk = this.opts.disk;
    this.meter = disk?.meter ?? new StoreMeter(disk ? (p) => disk.mountOf(p) : undefined);
  }

  mount(provider: VfsProvider): void {
    const mp = normalizePath(provider.mountPoint);
    this.unmount(mp);
    this.providers.push(provider);
    // longest first, so /proc/sys could be mounted separately from /proc
    this.providers.sort((a, b) => normalizePath(b.mountPoint).length - normalizePath(a.mountPoint).length);
  }

  /** the mount point of the filesystem a path is on (find -xdev); '/' for a VFS that knows no disks */
  filesystemOf(path: string): string {
    const disk = this.opts.disk;
    const p = normalizePath(path);
    return disk?.filesystemOf?.(p) ?? disk?.mountOf(p) ?? '/';
  }

  unmount(mountPoint: string): void {
    const mp = normalizePath(mountPoint);
    const i = this.providers.findIndex((p) => normalizePath(p.mountPoint) === mp);
    if (i >= 0) this.providers.splice(i, 1);
  }

  stat(path: string): FsResult<FsStat> {
    const p = normalizePath(path);
    for (const anc of ancestorsOf(p)) {
      const st = this.statNode(anc, false);
      if (!st.ok) return st;
      if (st.value.type !== 'dir') return fail('ENOTDIR');
    }
    return this.statNode(p);
  }

  read(path: string, user: string): FsResult<string> {
    const p = normalizePath(path);
    const st = this.reach(p, user);
    if (!st.ok) return st;
    if (st.value.type === 'dir') return fail('EISDIR');
    if (!this.allowed(st.value, user, 'r')) return fail('EACCES');
    if (p === DEV_NULL) return ok('');
    const m = this.providerFor(p);
    if (m) return m.provider.read(m.rel, user);
    const f = this.store.files[p];
    return f ? ok(f.content) : fail('ENOENT');
  }

  readChunks(path: string, user: string, opts: { reverse?: boolean; gunzip?: boolean } = {}): FsResult<Iterable<TextChunk>> {
    const p = normalizePath(path);
    const m = this.providerFor(p);
    const o = { reverse: opts.reverse === true, gunzip: opts.gunzip === true };
    if (m?.provider.readChunks) {
      const st = this.reach(p, user);
      if (!st.ok) return st;
      if (st.value.type === 'dir') return fail('EISDIR');
      if (!this.allowed(st.value, user, 'r')) return fail('EACCES');
      return m.provider.readChunks(m.rel, user, o);
    }
    if (o.gunzip) return fail('EINVAL');
    const r = this.read(p, user);
    if (!r.ok) return r;
    return ok(textChunks(r.value));
  }

  write(path: string, data: string, user: string, opts?: { append?: boolean }): FsResult<void> {
    const p = normalizePath(path);
    if (p === DEV_NULL) return ok(undefined);
    const m = this.providerFor(p);
    if (m) {
      const st = this.reach(p, user);
      if (!st.ok && st.errno === 'ENOENT' && m.provider.create && m.provider.write) {
        const made = this.createIn(m.provider, m.rel, p, user);
        return made.ok ? m.provider.write(m.rel, data, user, opts) : made;
      }
      if (!st.ok) return st;
      if (st.value.type === 'dir') return fail('EISDIR');
      if (!this.allowed(st.value, user, 'w') || !m.provider.write) return fail('EACCES');
      return m.provider.write(m.rel, data, user, opts);
    }
    const existing = this.reach(p, user);
    if (existing.ok) {
      if (existing.value.type === 'dir') return fail('EISDIR');
      if (!this.allowed(existing.value, user, 'w')) return fail('EACCES');
      const f = this.store.files[p];
      if (!f) return fail('EACCES');
      const content = opts?.append ? f.content + data : data;
      const room = this.room(p, user, f.content, opts?.append ? data : null, content);
      if (typeof room === 'string') return fail(room);
      f.content = content;
      // written as text, a binary file is text from now on
      delete f.bytes;
      f.mtime = this.now();
      this.meter.remember(p, content, room);
      return ok(undefined);
    }
    if (existing.errno !== 'ENOENT') return existing;
    const dir = this.reach(parentOf(p), user);
    if (!dir.ok) return dir;
    if (dir.value.type !== 'dir') return fail('ENOTDIR');
    // only a provider that keeps stored files below it lets one be created there
    if (this.providerFor(parentOf(p)) && !this.passedThrough(p)) return fail('ENOENT');
    if (!this.allowed(dir.value, user, 'w') || !this.allowed(dir.value, user, 'x')) return fail('EACCES');
    const room = this.room(p, user, null, null, data);
    if (typeof room === 'string') return fail(room);
    const { mode, group } = this.newFileMode(user);
    this.store.files[p] = { content: data, mode, owner: user, group, mtime: this.now() };
    this.meter.remember(p, data, room);
    return ok(undefined);
  }

  /** mode and group of a file the user creates */
  private newFileMode(user: string): { mode: number; group: string } {
    const group = this.groupsOf(user)[0];
    // Ubuntu's pam_umask gives users with a private group umask 002; root keeps 022
    return { mode: user !== 'root' && group === user ? 0o664 : 0o644, group };
  }

  /** a new empty file in a provider's tree, with the checks open(O_CREAT) makes on its directory */
  private createIn(provider: VfsProvider, rel: string, p: string, user: string): FsResult<void> {
    if (rel === '' || !provider.create) return fail('ENOENT');
    const dir = this.reach(parentOf(p), user);
    if (!dir.ok) return dir;
    if (dir.value.type !== 'dir') return fail('ENOTDIR');
    if (!this.allowed(dir.value, user, 'w') || !this.allowed(dir.value, user, 'x')) return fail('EACCES');
    const { mode, group } = this.newFileMode(user);
    return provider.create(rel, { mode, owner: user, group });
  }

  /**
   * Whether a stored file may become `content` (from `old`, null for a new file; `appended` is
   * what an append adds, so a long file is not measured again): ENOSPC when its filesystem has
   * too few free blocks for what it grows by, EDQUOT past the store's quota; otherwise what the
   * file will cost.
   */
  private room(p: string, user: string, old: string | null, appended: string | null, content: string): Errno | FileCost {
    const before: FileCost = old === null ? { bytes: 0, kept: 0 } : this.meter.costOf(p, old);
    let after: FileCost;
    if (old !== null && appended !== null) {
      const more = fileCost('', appended);
      after = { bytes: before.bytes + more.bytes, kept: before.kept + more.kept - fileCost('', '').kept };
    } else after = fileCost(p, content);
    const grows = blocksKb(after.bytes) - blocksKb(before.bytes);
    if (grows <= 0 && after.kept <= before.kept) return after;
    const stored = this.meter.measure(this.store);
    const disk = this.opts.disk;
    if (disk && grows > 0 && grows > disk.availableKb(disk.mountOf(p), user, stored)) return 'ENOSPC';
    if (after.kept > before.kept && stored.kept - before.kept + after.kept > STORE_QUOTA) return 'EDQUOT';
    return after;
  }

  /**
   * What the shell does for `>` and `>>` before the command runs: check permission and create or
   * truncate a stored file, or a provider's that can be created or truncated. Dynamic files are
   * only checked, since opening /proc/sys/vm/drop_caches must not count as writing an empty value to it.
   */
  open(path: string, user: string, opts: { truncate: boolean }): FsResult<void> {
    const p = normalizePath(path);
    if (p === DEV_NULL) return ok(undefined);
    const m = this.providerFor(p);
    if (!m) return this.write(p, '', user, { append: !opts.truncate });
    const st = this.reach(p, user);
    if (!st.ok && st.errno === 'ENOENT' && m.provider.create && m.provider.write) return this.createIn(m.provider, m.rel, p, user);
    if (!st.ok) return st;
    if (st.value.type === 'dir') return fail('EISDIR');
    if (!this.allowed(st.value, user, 'w') || !m.provider.write) return fail('EACCES');
    if (opts.truncate && m.provider.truncate) return m.provider.truncate(m.rel);
    return ok(undefined);
  }

  list(path: string, user: string): FsResult<string[]> {
    const p = normalizePath(path);
    const st = this.reach(p, user);
    if (!st.ok) return st;
    if (st.value.type !== 'dir') return fail('ENOTDIR');
    if (!this.allowed(st.value, user, 'r')) return fail('EACCES');
    const names = new Set<string>();
    const m = this.providerFor(p);
    if (m) {
      const listed = m.provider.list(m.rel, user);
      if (!listed.ok) return listed;
      listed.value.forEach((n) => names.add(n));
    } else {
      // keys walked in place: a listing made three arrays of every stored path
      const prefix = p === '/' ? '/' : p + '/';
      for (const record of [this.store.files, this.store.dirs, ALWAYS_DIRS]) {
        for (const key in record) {
          const child = childName(prefix, key);
          if (child) names.add(child);
        }
      }
      if (p === '/dev') names.add('null');
    }
    for (const prov of this.providers) {
      const mp = normalizePath(prov.mountPoint);
      if (mp !== p && parentOf(mp) === p) names.add(baseName(mp));
    }
    return ok([...names].sort());
  }

  remove(path: string, user: string): FsResult<void> {
    const p = normalizePath(path);
    const st = this.reachEntry(p, user);
    if (!st.ok) return st;
    if (st.value.type === 'dir') return fail('EISDIR');
    const m = this.providerFor(p);
    if (p === DEV_NULL || (m && !m.provider.unlink)) return fail('EACCES');
    const dir = this.statNode(parentOf(p), false);
    if (!dir.ok) return dir;
    if (!this.allowed(dir.value, user, 'w') || !this.allowed(dir.value, user, 'x')) return fail('EACCES');
    const sticky = (dir.value.mode & 0o1000) !== 0;
    if (sticky && user !== 'root' && user !== st.value.owner && user !== dir.value.owner) return fail('EPERM');
    if (m?.provider.unlink) return m.provider.unlink(m.rel);
    delete this.store.files[p];
    return ok(undefined);
  }

  /** stat(2) as `user` makes it: EACCES when a directory on the way may not be searched */
  statAs(path: string, user: string): FsResult<FsStat> {
    const p = normalizePath(path);
    const reached = this.reach(p, user);
    return reached.ok ? this.stat(p) : reached;
  }

  /**
   * unlink(2) in the kernel's order: the directory's permissions and sticky bit first, then EPERM
   * where the filesystem has no unlink (proc), then EISDIR for a directory (Linux's answer).
   */
  unlink(path: string, user: string): FsResult<void> {
    const p = normalizePath(path);
    const st = this.reachEntry(p, user);
    if (!st.ok) return st;
    const may = this.mayDelete(p, user, st.value);
    if (!may.ok) return may;
    const m = this.providerFor(p);
    if (p === DEV_NULL || (m && !m.provider.unlink)) return fail('EPERM');
    if (st.value.type === 'dir') return fail('EISDIR');
    this.keepParent(p);
    if (m?.provider.unlink) return m.provider.unlink(m.rel);
    delete this.store.files[p];
    return ok(undefined);
  }

  /** mkdir(2): `mode` before the user's umask (002 with a private group, 022 for root, as pam_umask sets them) */
  mkdir(path: string, user: string, mode = 0o777): FsResult<void> {
    const p = normalizePath(path);
    const st = this.reachEntry(p, user);
    if (st.ok) return fail('EEXIST');
    if (st.errno !== 'ENOENT') return st;
    const dir = this.reach(parentOf(p), user);
    if (!dir.ok) return dir;
    if (dir.value.type !== 'dir') return fail('ENOTDIR');
    if (!this.allowed(dir.value, user, 'w') || !this.allowed(dir.value, user, 'x')) return fail('EACCES');
    const { mode: fileMode, group } = this.newFileMode(user);
    const umask = fileMode === 0o664 ? 0o002 : 0o022;
    const m = this.providerFor(p);
    // proc and sysfs make no directories of a user's choosing; a block filesystem does
    if (m) return m.provider.mkdir && m.rel !== '' ? m.provider.mkdir(m.rel, { mode: mode & 0o7777 & ~umask, owner: user, group }) : fail('ENOENT');
    this.store.dirs[p] = { mode: mode & 0o7777 & ~umask, owner: user, group, mtime: this.now() };
    return ok(undefined);
  }

  /** rmdir(2) of an empty directory */
  rmdir(path: string, user: string): FsResult<void> {
    const p = normalizePath(path);
    const st = this.reachEntry(p, user);
    if (!st.ok) return st;
    if (st.value.type !== 'dir') return fail('ENOTDIR');
    if (p === '/' || this.providers.some((pr) => normalizePath(pr.mountPoint) === p)) return fail('EBUSY');
    const may = this.mayDelete(p, user, st.value);
    if (!may.ok) return may;
    const m = this.providerFor(p);
    if (m) return m.provider.rmdir ? m.provider.rmdir(m.rel) : fail('EPERM');
    if (!this.isEmptyDir(p)) return fail('ENOTEMPTY');
    // /dev and /tmp are always there in this world: they are not removed
    if (ALWAYS_DIRS[p]) return fail('EBUSY');
    this.keepParent(p);
    delete this.store.dirs[p];
    return ok(undefined);
  }

  /**
   * rename(2) of a stored file or directory. Every stored file counts as one filesystem here, so a
   * move never copies (and never meets EXDEV); proc's files cannot be moved (EPERM).
   */
  rename(from: string, to: string, user: string): FsResult<void> {
    const src = normalizePath(from);
    const dst = normalizePath(to);
    const st = this.reachEntry(src, user);
    if (!st.ok) return st;
    const dstDir = this.reach(parentOf(dst), user);
    if (!dstDir.ok) return dstDir;
    if (dstDir.value.type !== 'dir') return fail('ENOTDIR');
    const existing = this.reachEntry(dst, user);
    if (!existing.ok && existing.errno !== 'ENOENT') return existing;
    const may = this.mayDelete(src, user, st.value);
    if (!may.ok) return may;
    if (!this.allowed(dstDir.value, user, 'w') || !this.allowed(dstDir.value, user, 'x')) return fail('EACCES');
    if (existing.ok) {
      const mayDst = this.mayDelete(dst, user, existing.value);
      if (!mayDst.ok) return mayDst;
    }
    const ms = this.providerFor(src);
    const md = this.providerFor(dst);
    // a block filesystem renames within itself (a mount point itself stays where it is mounted)
    if (ms && md && ms.provider === md.provider && ms.provider.rename && ms.rel !== '' && md.rel !== '' && st.value.type !== 'dir') {
      if (existing.ok && existing.value.type === 'dir') return fail('EISDIR');
      return src === dst ? ok(undefined) : ms.provider.rename(ms.rel, md.rel);
    }
    if (ms || md || src === DEV_NULL || src === '/') return fail(src === '/' ? 'EBUSY' : 'EPERM');
    if (src === dst) return ok(undefined);
    if (st.value.type === 'file') {
      if (existing.ok && existing.value.type === 'dir') return fail('EISDIR');
      const f = this.store.files[src];
      if (!f) return fail('EPERM');
      this.keepParent(src);
      delete this.store.files[src];
      this.store.files[dst] = f;
      return ok(undefined);
    }
    if (dst.startsWith(src + '/')) return fail('EINVAL');
    if (existing.ok && existing.value.type !== 'dir') return fail('ENOTDIR');
    if (existing.ok && !this.isEmptyDir(dst)) return fail('ENOTEMPTY');
    // a directory going to another parent rewrites its '..', which takes write permission on it
    if (parentOf(src) !== parentOf(dst) && !this.allowed(st.value, user, 'w')) return fail('EACCES');
    const meta = this.store.dirs[src] ?? impliedDirMeta(src);
    this.keepParent(src);
    const prefix = src + '/';
    for (const key of Object.keys(this.store.files)) {
      if (!key.startsWith(prefix)) continue;
      this.store.files[dst + key.slice(src.length)] = this.store.files[key]!;
      delete this.store.files[key];
    }
    for (const key of Object.keys(this.store.dirs)) {
      if (!key.startsWith(prefix)) continue;
      this.store.dirs[dst + key.slice(src.length)] = this.store.dirs[key]!;
      delete this.store.dirs[key];
    }
    delete this.store.dirs[src];
    this.store.dirs[dst] = { mode: meta.mode, owner: meta.owner, group: meta.group };
    return ok(undefined);
  }

  /** lstat(2) as `user` makes it: links on the way are followed, a link named last is itself */
  lstat(path: string, user: string): FsResult<FsStat> {
    const p = normalizePath(path);
    const reached = this.reachEntry(p, user);
    if (!reached.ok || reached.value.type === 'link') return reached;
    // anything but a link is what stat says, with the size and mtime only the full stat has (see statNode)
    return this.stat(p);
  }

  /** readlink(2): a link's target; EINVAL for anything that is not a link */
  readlink(path: string, user: string): FsResult<string> {
    const st = this.reachEntry(normalizePath(path), user);
    if (!st.ok) return st;
    return st.value.type === 'link' ? ok(st.value.target ?? '') : fail('EINVAL');
  }

  /**
   * symlink(2): a new link at `path` naming `target` (not checked: a link may dangle). Only a
   * tree whose provider keeps links has them; elsewhere ENOTSIM, for the caller to say so.
   */
  symlink(target: string, path: string, user: string): FsResult<void> {
    const p = normalizePath(path);
    const existing = this.reachEntry(p, user);
    if (existing.ok) return fail('EEXIST');
    if (existing.errno !== 'ENOENT') return existing;
    const dir = this.reach(parentOf(p), user);
    if (!dir.ok) return dir;
    if (dir.value.type !== 'dir') return fail('ENOTDIR');
    if (!this.allowed(dir.value, user, 'w') || !this.allowed(dir.value, user, 'x')) return fail('EACCES');
    const m = this.providerFor(p);
    if (!m?.provider.symlink) return fail('ENOTSIM');
    return m.provider.symlink(m.rel, target, { owner: user, group: this.groupsOf(user)[0] ?? user });
  }

  /**
   * chown(2), or lchown(2) with follow false. Root may give a file to anyone; its owner may only
   * change its group, to one of their own groups (EPERM otherwise, as Linux answers).
   */
  chown(path: string, user: string, owner: string, group: string, follow = true): FsResult<void> {
    const p = normalizePath(path);
    const st = follow ? this.reach(p, user) : this.reachEntry(p, user);
    if (!st.ok) return st;
    if (user !== 'root' && (user !== st.value.owner || owner !== st.value.owner || (group !== st.value.group && !this.groupsOf(user).includes(group)))) return fail('EPERM');
    const m = this.providerFor(p);
    if (m) return m.provider.chown ? m.provider.chown(m.rel, owner, group, follow) : fail('EPERM');
    if (p === '/' || p === DEV_NULL) return fail('EPERM');
    const f = this.store.files[p];
    if (f) {
      f.owner = owner;
      f.group = group;
    } else this.store.dirs[p] = { ...(this.store.dirs[p] ?? ALWAYS_DIRS[p] ?? impliedDirMeta(p)), owner, group };
    return ok(undefined);
  }

  /**
   * utimensat(2): a given time takes the file's owner (or root), the current time only write
   * permission. Directories keep no mtime of their own here (theirs is the newest file's below),
   * nor do proc's files, so for them only the checks are made.
   */
  utime(path: string, user: string, mtime: number | null): FsResult<void> {
    const p = normalizePath(path);
    const st = this.reach(p, user);
    if (!st.ok) return st;
    const owns = user === 'root' || user === st.value.owner;
    if (mtime !== null && !owns) return fail('EPERM');
    if (mtime === null && !owns && !this.allowed(st.value, user, 'w')) return fail('EACCES');
    const f = this.providerFor(p) ? undefined : this.store.files[p];
    if (f) f.mtime = mtime ?? this.now();
    return ok(undefined);
  }

  /** chmod(2) of a stored file or directory: its owner or root only */
  chmod(path: string, user: string, mode: number): FsResult<void> {
    const p = normalizePath(path);
    const st = this.reach(p, user);
    if (!st.ok) return st;
    if (user !== 'root' && user !== st.value.owner) return fail('EPERM');
    if (this.providerFor(p) || p === '/' || p === DEV_NULL) return fail('EPERM');
    const f = this.store.files[p];
    if (f) f.mode = mode & 0o7777;
    else this.store.dirs[p] = { ...(this.store.dirs[p] ?? ALWAYS_DIRS[p] ?? impliedDirMeta(p)), mode: mode & 0o7777 };
    return ok(undefined);
  }

  /**
   * Copies a stored file's content to `to` as write() would write it, keeping a binary file's
   * size (its bytes are not kept, see StoredFile.bytes).
   */
  copyFile(from: string, to: string, user: string): FsResult<void> {
    const r = this.read(from, user);
    if (!r.ok) return r;
    const src = this.providerFor(normalizePath(from)) ? undefined : this.store.files[normalizePath(from)];
    const dst = normalizePath(to);
    if (src?.bytes !== undefined) {
      const disk = this.opts.disk;
      if (disk && blocksKb(src.bytes) > disk.availableKb(disk.mountOf(dst), user, this.meter.measure(this.store))) return fail('ENOSPC');
    }
    const w = this.write(dst, r.value, user);
    if (!w.ok) return w;
    const made = this.store.files[dst];
    if (made && src?.bytes !== undefined) made.bytes = src.bytes;
    return ok(undefined);
  }

  /** the checks unlink and rmdir make on the directory: write and search, and the sticky bit's owners */
  private mayDelete(p: string, user: string, st: FsStat): FsResult<void> {
    const dir = this.statNode(parentOf(p), false);
    if (!dir.ok) return dir;
    if (!this.allowed(dir.value, user, 'w') || !this.allowed(dir.value, user, 'x')) return fail('EACCES');
    const sticky = (dir.value.mode & 0o1000) !== 0;
    if (sticky && user !== 'root' && user !== st.owner && user !== dir.value.owner) return fail('EPERM');
    return ok(undefined);
  }

  private isEmptyDir(p: string): boolean {
    const prefix = p + '/';
    if (hasKeyUnder(this.store.files, prefix) || hasKeyUnder(this.store.dirs, prefix)) return false;
    return !this.providers.some((pr) => normalizePath(pr.mountPoint).startsWith(prefix)) && !(p === '/dev');
  }

  /** a directory only implied by the files under it would vanish with the last of them: store it */
  private keepParent(p: string): void {
    const dir = parentOf(p);
    if (dir === '/' || this.store.dirs[dir] || ALWAYS_DIRS[dir] || this.providerFor(dir)) return;
    this.store.dirs[dir] = impliedDirMeta(dir);
  }

  /** Whether the file's text is one char per byte of a real filesystem's file (see VfsProvider.binary). */
  holdsBytes(path: string): boolean {
    const p = normalizePath(path);
    return this.providerFor(p)?.provider.binary === true;
  }

  /** Permission check with Unix semantics; exposed so the shell can decide whether a file may be executed. */
  canAccess(path: string, user: string, want: Access): boolean {
    const st = this.reach(normalizePath(path), user);
    return st.ok && this.allowed(st.value, user, want);
  }

  /** Groups the user belongs to, from /etc/passwd and /etc/group in the store. */
  groupsOf(user: string): string[] {
    const passwd = parsePasswd(this.store.files['/etc/passwd']?.content ?? '');
    const groups = parseGroup(this.store.files['/etc/group']?.content ?? '');
    return groupsOf(user, passwd, groups);
  }

  private allowed(st: FsStat, user: string, want: Access): boolean {
    if (user === 'root') {
      // root overrides read and write checks, but a plain file still needs some x bit to run
      return want !== 'x' || st.type === 'dir' || (st.mode & 0o111) !== 0;
    }
    let bits: number;
    if (st.owner === user) bits = (st.mode >> 6) & 7;
    else if (this.groupsOf(user).includes(st.group)) bits = (st.mode >> 3) & 7;
    else bits = st.mode & 7;
    const need = want === 'r' ? 4 : want === 'w' ? 2 : 1;
    return (bits & need) !== 0;
  }

  /** stat, after checking that every ancestor is a directory the user may search. */
  private reach(p: string, user: string): FsResult<FsStat> {
    for (const anc of ancestorsOf(p)) {
      // an ancestor's mtime is never looked at: skip the scan of every file below it
      const st = this.statNode(anc, false);
      if (!st.ok) return st;
      if (st.value.type !== 'dir') return fail('ENOTDIR');
      if (!this.allowed(st.value, user, 'x')) return fail('EACCES');
    }
    return this.statNode(p, false);
  }

  /** reach, but a link named last is the link itself (lstat) */
  private reachEntry(p: string, user: string): FsResult<FsStat> {
    const m = this.providerFor(p);
    if (!m?.provider.lstat) return this.reach(p, user);
    for (const anc of ancestorsOf(p)) {
      const st = this.statNode(anc, false);
      if (!st.ok) return st;
      if (st.value.type !== 'dir') return fail('ENOTDIR');
      if (!this.allowed(st.value, user, 'x')) return fail('EACCES');
    }
    return m.provider.lstat(m.rel);
  }

  /**
   * stat of one node, ignoring its ancestors. A directory's mtime takes a scan of every stored
   * file and a file's size a pass over its text; without `full` both are left at 0, so checking a
   * path costs nothing per file stored (a directory of a hundred thousand files lists quickly).
   */
  private statNode(p: string, full = true): FsResult<FsStat> {
    if (p === '/') return ok(full ? { ...ROOT_DIR, mtime: this.installedAt() } : ROOT_DIR);
    if (p === DEV_NULL) return ok(NULL_DEV);
    const m = this.providerFor(p);
    if (m) return m.provider.stat(m.rel);
    const f = this.store.files[p];
    if (f) {
      return ok({ type: 'file', mode: f.mode, owner: f.owner, group: f.group, size: full ? (f.bytes ?? byteLength(f.content)) : 0, mtime: f.mtime });
    }
    const explicit = this.store.dirs[p] ?? ALWAYS_DIRS[p];
    if (!full) {
      const prefix = p + '/';
      const exists = explicit !== undefined || hasKeyUnder(this.store.files, prefix) || hasKeyUnder(this.store.dirs, prefix);
      if (!exists) return fail('ENOENT');
      const meta = explicit ?? impliedDirMeta(p);
      return ok({ type: 'dir', mode: meta.mode, owner: meta.owner, group: meta.group, size: 4096, mtime: 0 });
    }
    let newest = 0;
    let implied = false;
    const prefix = p + '/';
    // directories keep no mtime of their own: take the newest file below, or the box's oldest file
    let oldest = Infinity;
    const files = this.store.files;
    for (const key in files) {
      const mtime = files[key]!.mtime;
      oldest = Math.min(oldest, mtime);
      if (!key.startsWith(prefix)) continue;
      implied = true;
      newest = Math.max(newest, mtime);
    }
    if (!implied) implied = hasKeyUnder(this.store.dirs, prefix);
    if (!explicit && !implied) return fail('ENOENT');
    const meta = explicit ?? impliedDirMeta(p);
    newest = Math.max(newest, explicit?.mtime ?? 0);
    const mtime = newest > 0 ? newest : Number.isFinite(oldest) ? oldest : 0;
    return ok({ type: 'dir', mode: meta.mode, owner: meta.owner, group: meta.group, size: 4096, mtime });
  }

  /** the root directory's time: the box's install (its oldest file), or a directory made in it since */
  private installedAt(): number {
    let oldest = Infinity;
    for (const key in this.store.files) oldest = Math.min(oldest, this.store.files[key]!.mtime);
    let made = 0;
    const dirs = this.store.dirs;
    for (const key in dirs) {
      const d = dirs[key]!;
      if (d.mtime !== undefined && parentOf(key) === '/') made = Math.max(made, d.mtime);
    }
    return Math.max(made, Number.isFinite(oldest) ? oldest : 0);
  }

  /** the provider whose tree holds p, unless p is one of the stored paths it leaves to the store */
  private providerFor(p: string): { provider: VfsProvider; rel: string } | undefined {
    for (const provider of this.providers) {
      const mp = normalizePath(provider.mountPoint);
      if (p === mp) return { provider, rel: '' };
      if (p.startsWith(mp + '/')) {
        const rel = p.slice(mp.length + 1);
        return provider.storesFiles?.(rel) ? undefined : { provider, rel };
      }
    }
    return undefined;
  }

  /** p lies under a provider's mount point but is a stored path (see VfsProvider.storesFiles) */
  private passedThrough(p: string): boolean {
    for (const provider of this.providers) {
      const mp = normalizePath(provider.mountPoint);
      if (p.startsWith(mp + '/')) return provider.storesFiles?.(p.slice(mp.length + 1)) === true;
    }
    return false;
  }

  private now(): number {
    return this.opts.now ? this.opts.now() : 0;
  }
}

/** A home directory nobody declared still belongs to its user, as useradd would have made it. */
function impliedDirMeta(p: string): { mode: number; owner: string; group: string } {
  const home = /^\/home\/([^/]+)$/.exec(p);
  if (home) return { mode: 0o755, owner: home[1], group: home[1] };
  return { mode: 0o755, owner: 'root', group: 'root' };
}

function hasKeyUnder(record: Record<string, unknown>, prefix: string): boolean {
  for (const k in record) if (k.startsWith(prefix)) return true;
  return false;
}

/** The name of the direct child of the directory `prefix` (its path and a slash) on the way to `path`, if path lies under it. */
function childName(prefix: string, path: string): string | undefined {
  if (!path.startsWith(prefix) || path.length === prefix.length) return undefined;
  const slash = path.indexOf('/', prefix.length);
  return slash < 0 ? path.slice(prefix.length) : path.slice(prefix.length, slash);
}

/** The name the engine imports. */
export { GameVfs as Vfs };

/** text in memory as chunks: one, of all of it (none for an empty file) */
export function textChunks(text: string): TextChunk[] {
  if (text === '') return [];
  let newlines = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) newlines++;
  return [{ text, newlines }];
}
