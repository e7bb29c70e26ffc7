/**
 * A dbpath on a filesystem mounted from a block device (machine/blockfs.ts): the data files are
 * read and written through the kernel's page cache (mongod's shared view of its memory-mapped
 * files), fsync waits for the device, the journal's writes reach its device before they return
 * (2.6 writes the journal with O_DIRECT: here a write then an fsync of that file, which leaves
 * nothing of it in the cache), and `journal` may be a symlink to another mount (/journal).
 * Registering it makes every dbpath under a block mount use it; others keep the fallback.
 */
import { fs } from '../../kernel/block';
import { blockCreate, blockFileBytes, blockFsync, blockMkdir, blockMountOf, blockTruncate, blockUnlink, blockWrite, machineBacking, resolveBlockPath, type BlockFile } from '../blockfs';
import type { MachineWorld } from '../world';
import { registerDiskResolver, type MongodDisk } from './disk';
import { registerDeviceProbe } from './server';

function found(r: BlockFile | { errno: string }): r is BlockFile {
  return (r as BlockFile).ino !== undefined;
}

/** the uid and gid mongod's files get: the mongodb account when the box has one */
function owner(w: MachineWorld): { uid: number; gid: number } {
  for (const line of (w.files.files['/etc/passwd']?.content ?? '').split('\n')) {
    const f = line.split(':');
    if (f[0] === 'mongodb' && /^\d+$/.test(f[2] ?? '') && /^\d+$/.test(f[3] ?? '')) return { uid: Number(f[2]), gid: Number(f[3]) };
  }
  return { uid: 0, gid: 0 };
}

function blockDisk(w: MachineWorld, dbpath: string): MongodDisk {
  const dir = dbpath.replace(/\/+$/, '');
  const jdir = `${dir}/journal`;
  const at = (d: string, name: string): string => `${d}/${name}`;
  // a disk lives for one batch of work: the files it found stay found (their inodes are the mounted filesystem's own)
  const known = new Map<string, BlockFile>();
  const get = (path: string): BlockFile | null => {
    const k = known.get(path);
    if (k) return k;
    const r = resolveBlockPath(w, path);
    if (!found(r) || r.inode.kind !== 'f') return null;
    known.set(path, r);
    return r;
  };
  const ensure = (path: string, size = 0, prealloc = false): BlockFile => {
    const f = get(path);
    if (f) return f;
    const made = blockCreate(w, path, size, { prealloc, perm: 0o600, ...owner(w) });
    if (!made.ok) throw new RangeError(`${made.errno}: cannot create ${path}`);
    known.set(path, made.file);
    return made.file;
  };
  /** mongod makes its journal directory when it is not there (dur.cpp's journal startup) */
  const ensureDir = (path: string): void => {
    const r = resolveBlockPath(w, path);
    if (found(r)) return;
    const made = blockMkdir(w, path, { perm: 0o755, ...owner(w) });
    if (!made.ok) throw new RangeError(`${made.errno}: cannot create ${path}`);
  };
  const unlink = (path: string): void => {
    known.delete(path);
    blockUnlink(w, path);
  };
  const read = (path: string, offset: number, len: number): Uint8Array => {
    const out = new Uint8Array(Math.max(0, len));
    const f = get(path);
    if (!f || offset >= f.inode.size) return out;
    out.set(blockFileBytes(w, f, offset, Math.min(len, f.inode.size - offset)));
    return out;
  };
  const names = (d: string): string[] => {
    const r = resolveBlockPath(w, d);
    if (!found(r) || r.inode.kind !== 'd') return [];
    return Object.keys(r.inode.entries ?? {})
      .filter((n) => resolveBlockPath(w, at(d, n)) && get(at(d, n)) !== null)
      .sort();
  };
  return {
    io: {
      read: (file, offset, len) => read(at(dir, file), offset, len),
      write: (file, offset, bytes) => {
        blockWrite(w, ensure(at(dir, file)), offset, bytes);
      },
      size: (file) => get(at(dir, file))?.inode.size ?? 0,
      allocate: (file, size) => {
        const f = get(at(dir, file));
        if (!f) ensure(at(dir, file), size, true);
        else if (f.inode.size < size) fs.growFile(w.k, f.dev, f.ino, size, w.now, machineBacking(w));
      },
    },
    fsync: (file) => {
      const f = get(at(dir, file));
      return f ? blockFsync(w, f) : w.now;
    },
    list: () => names(dir),
    exists: () => {
      const r = resolveBlockPath(w, dir);
      return found(r) && r.inode.kind === 'd';
    },
    readOnly: () => blockMountOf(w, dir)?.mount.options.includes('ro') === true,
    readSmall: (name) => {
      const f = get(at(dir, name));
      return f ? read(f.path, 0, f.inode.size) : null;
    },
    writeSmall: (name, bytes) => {
      const f = ensure(at(dir, name));
      blockTruncate(w, f, 0);
      if (bytes.length > 0) blockWrite(w, f, 0, bytes);
      blockFsync(w, f);
    },
    removeSmall: (name) => {
      unlink(at(dir, name));
    },
    journal: {
      list: () => names(jdir),
      read: (name) => {
        const f = get(at(jdir, name));
        return f ? read(f.path, 0, f.inode.size) : new Uint8Array(0);
      },
      size: (name) => get(at(jdir, name))?.inode.size ?? 0,
      write: (name, offset, bytes) => {
        ensureDir(jdir);
        const f = ensure(at(jdir, name));
        blockWrite(w, f, offset, bytes);
        return blockFsync(w, f);
      },
      remove: (name) => {
        unlink(at(jdir, name));
      },
      allocate: (name, size) => {
        ensureDir(jdir);
        const f = get(at(jdir, name));
        if (f) blockTruncate(w, f, 0);
        if (f) fs.growFile(w.k, f.dev, f.ino, size, w.now, machineBacking(w));
        else ensure(at(jdir, name), size, true);
      },
    },
  };
}

/** a dbpath under a block mount uses the block filesystem; the commit interval asks which device a path is on */
export function registerBlockDisks(): void {
  registerDiskResolver((w, dbpath) => (blockMountOf(w, dbpath) ? blockDisk(w, dbpath) : null));
  registerDeviceProbe((w, path) => {
    const r = resolveBlockPath(w, path);
    return found(r) ? r.dev : null;
  });
}

registerBlockDisks();
