/**
 * Where a mongod's files live. A mongod reads and writes its data files through a `MongodDisk`:
 * the data files by name relative to its dbpath (what the store's DataFileIO takes), fsync of one
 * file, the lock file, and the journal directory, whose writes go straight to the device (2.6
 * writes the journal with O_DIRECT) and whose files survive as they were written.
 *
 * The machine decides what backs a dbpath: a filesystem on a block device with its page cache
 * (a resolver registered by the machine's block glue), or, on a box without one, files kept
 * sparse in the world's own state (`w.mongo.files`), written through at once.
 */
import { fromBase64, toBase64 } from '../../kernel/block/bytes';
import type { DataFileIO } from '../../storage/mmapv1';
import type { MachineWorld } from '../world';

export interface MongodDisk {
  /** the data files (names relative to the dbpath), through the page cache when there is one */
  io: DataFileIO;
  /** fsync(2) of one data file at t: the virtual ms at which the device has it all */
  fsync(file: string, t: number): number;
  /** the names in the dbpath (files only) */
  list(): string[];
  /** is the dbpath a directory at all */
  exists(): boolean;
  /** the dbpath is on a filesystem mounted read-only */
  readOnly?(): boolean;
  /** a small file of the dbpath (mongod.lock) read or replaced whole, written through */
  readSmall(name: string): Uint8Array | null;
  writeSmall(name: string, bytes: Uint8Array, t: number): void;
  removeSmall(name: string): void;
  journal: {
    /** the journal directory's files (j._0, lsn, prealloc.0) */
    list(): string[];
    read(name: string): Uint8Array;
    size(name: string): number;
    /** an O_DIRECT write: on the device when this returns; the virtual ms it completes */
    write(name: string, offset: number, bytes: Uint8Array, t: number): number;
    /** a new journal file, preallocated (zero-filled) to size, as 2.6 preallocates its j._N files */
    allocate(name: string, size: number): void;
    remove(name: string): void;
  };
}

/** given a world and a dbpath, the disk behind it, or null to leave it to the next resolver */
export type DiskResolver = (w: MachineWorld, dbpath: string) => MongodDisk | null;

const RESOLVERS: DiskResolver[] = [];

/** The machine's block glue registers how a dbpath on a mounted filesystem is reached. */
export function registerDiskResolver(r: DiskResolver): void {
  if (!RESOLVERS.includes(r)) RESOLVERS.unshift(r);
}

/** sparse files in the world's own state: the fallback for a box with no block filesystems */
export interface StateFile {
  size: number;
  /** 4 KiB pages ever written, by index, base64 */
  pages: Record<string, string>;
}

export interface StateFiles {
  /** directories that exist, by absolute path */
  dirs: string[];
  files: Record<string, StateFile>;
}

type FilesWorld = MachineWorld & { mongo?: { files?: StateFiles } };

const PAGE = 4096;

export function stateFilesOf(w: MachineWorld): StateFiles {
  const m = ((w as FilesWorld).mongo ??= {} as never) as { files?: StateFiles };
  return (m.files ??= { dirs: [], files: {} });
}

function readState(f: StateFile | undefined, offset: number, len: number): Uint8Array {
  const out = new Uint8Array(Math.max(0, len));
  if (!f) return out;
  for (let p = Math.floor(offset / PAGE); p * PAGE < offset + len; p++) {
    const data = f.pages[p];
    if (!data) continue;
    const page = fromBase64(data);
    const from = Math.max(offset, p * PAGE);
    const to = Math.min(offset + len, (p + 1) * PAGE);
    out.set(page.subarray(from - p * PAGE, to - p * PAGE), from - offset);
  }
  return out;
}

function writeState(f: StateFile, offset: number, bytes: Uint8Array): void {
  for (let p = Math.floor(offset / PAGE); p * PAGE < offset + bytes.length; p++) {
    const page = f.pages[p] ? fromBase64(f.pages[p]!) : new Uint8Array(PAGE);
    const from = Math.max(offset, p * PAGE);
    const to = Math.min(offset + bytes.length, (p + 1) * PAGE);
    page.set(bytes.subarray(from - offset, to - offset), from - p * PAGE);
    f.pages[p] = toBase64(page);
  }
  f.size = Math.max(f.size, offset + bytes.length);
}

/** a dbpath kept in the world's state: every write is durable at once, fsync costs nothing */
export function stateDisk(w: MachineWorld, dbpath: string): MongodDisk {
  const sf = stateFilesOf(w);
  const dir = dbpath.replace(/\/+$/, '') || '/';
  const jdir = `${dir}/journal`;
  const path = (d: string, name: string): string => `${d}/${name}`;
  const namesIn = (d: string): string[] =>
    Object.keys(sf.files)
      .filter((p) => p.startsWith(d + '/') && !p.slice(d.length + 1).includes('/'))
      .map((p) => p.slice(d.length + 1))
      .sort();
  const fileAt = (p: string): StateFile => (sf.files[p] ??= { size: 0, pages: {} });
  return {
    io: {
      read: (file, offset, len) => readState(sf.files[path(dir, file)], offset, len),
      write: (file, offset, bytes) => writeState(fileAt(path(dir, file)), offset, bytes),
      size: (file) => sf.files[path(dir, file)]?.size ?? 0,
      allocate: (file, size) => {
        const f = fileAt(path(dir, file));
        f.size = Math.max(f.size, size);
      },
    },
    fsync: (_file, t) => t,
    list: () => namesIn(dir),
    exists: () => sf.dirs.includes(dir),
    readSmall: (name) => {
      const f = sf.files[path(dir, name)];
      return f ? readState(f, 0, f.size) : null;
    },
    writeSmall: (name, bytes) => {
      const f: StateFile = { size: 0, pages: {} };
      writeState(f, 0, bytes);
      sf.files[path(dir, name)] = f;
    },
    removeSmall: (name) => {
      delete sf.files[path(dir, name)];
    },
    journal: {
      list: () => namesIn(jdir),
      read: (name) => {
        const f = sf.files[path(jdir, name)];
        return readState(f, 0, f?.size ?? 0);
      },
      size: (name) => sf.files[path(jdir, name)]?.size ?? 0,
      write: (name, offset, bytes, t) => {
        if (!sf.dirs.includes(jdir)) sf.dirs.push(jdir);
        writeState(fileAt(path(jdir, name)), offset, bytes);
        return t;
      },
      remove: (name) => {
        delete sf.files[path(jdir, name)];
      },
      allocate: (name, size) => {
        if (!sf.dirs.includes(jdir)) sf.dirs.push(jdir);
        const f = fileAt(path(jdir, name));
        f.size = Math.max(f.size, size);
      },
    },
  };
}

/** the disk behind a dbpath: a registered resolver's, or the world's own state */
export function diskFor(w: MachineWorld, dbpath: string): MongodDisk {
  for (const r of RESOLVERS) {
    const d = r(w, dbpath);
    if (d) return d;
  }
  return stateDisk(w, dbpath);
}

/**
 * MMAPv1's private view: while journaling, an operation's writes land in memory first and reach
 * the shared view (the data files, the page cache) only at the group commit, after the journal
 * has them. Reads see the private view's bytes over the files'.
 */
export class PrivateView implements DataFileIO {
  /** pages written since the last commit, whole, in the order they were first written */
  private readonly dirty = new Map<string, { file: string; p: number; page: Uint8Array }>();
  /** pages read from the files during this batch, kept decoded (the files do not change under it) */
  private readonly clean = new Map<string, Uint8Array>();
  private readonly sizes = new Map<string, number>();
  /** the writes since the last commit, in the order they were made (what the journal records) */
  readonly writes: Array<{ file: string; offset: number; bytes: Uint8Array }> = [];

  constructor(private readonly base: DataFileIO) {}

  private page(file: string, p: number, forWrite: boolean): Uint8Array {
    const key = `${file}\u0000${p}`;
    const d = this.dirty.get(key);
    if (d) return d.page;
    let pg = this.clean.get(key);
    if (!pg) {
      pg = this.base.read(file, p * PAGE, PAGE);
      this.clean.set(key, pg);
    }
    if (forWrite) {
      this.clean.delete(key);
      this.dirty.set(key, { file, p, page: pg });
    }
    return pg;
  }

  read(file: string, offset: number, len: number): Uint8Array {
    const out = new Uint8Array(Math.max(0, len));
    for (let p = Math.floor(offset / PAGE); p * PAGE < offset + len; p++) {
      const pg = this.page(file, p, false);
      const from = Math.max(offset, p * PAGE);
      const to = Math.min(offset + len, (p + 1) * PAGE);
      out.set(pg.subarray(from - p * PAGE, to - p * PAGE), from - offset);
    }
    return out;
  }

  write(file: string, offset: number, bytes: Uint8Array): void {
    this.writes.push({ file, offset, bytes: bytes.slice() });
    for (let p = Math.floor(offset / PAGE); p * PAGE < offset + bytes.length; p++) {
      const pg = this.page(file, p, true);
      const from = Math.max(offset, p * PAGE);
      const to = Math.min(offset + bytes.length, (p + 1) * PAGE);
      pg.set(bytes.subarray(from - offset, to - offset), from - p * PAGE);
    }
    this.sizes.set(file, Math.max(this.size(file), offset + bytes.length));
  }

  size(file: string): number {
    return Math.max(this.base.size(file), this.sizes.get(file) ?? 0);
  }

  allocate(file: string, size: number): void {
    // preallocation is a filesystem call, not a write to the mapped view: it happens at once
    if (this.base.allocate) this.base.allocate(file, size);
    else if (this.base.size(file) < size) this.base.write(file, size - 1, new Uint8Array(1));
  }

  /**
   * WRITETODATAFILES: the commit's changes onto the shared view. Each changed page is written
   * once, whole, in the order the commit first touched it: the page cache ends up with the same
   * pages dirty, dirtied at the same instant, as if every range had been written one by one.
   */
  applyToFiles(): number {
    let bytes = 0;
    for (const wr of this.writes) bytes += wr.bytes.length;
    for (const { file, p, page } of this.dirty.values()) {
      const end = Math.min(PAGE, this.size(file) - p * PAGE);
      if (end > 0) this.base.write(file, p * PAGE, end === PAGE ? page : page.subarray(0, end));
    }
    this.writes.length = 0;
    this.dirty.clear();
    this.clean.clear();
    this.sizes.clear();
    return bytes;
  }
}
