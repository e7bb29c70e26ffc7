/**
 * The default SaveStore: one folder (saves/ at the project root unless told otherwise), one file
 * per slot.
 *
 *   <slot>.json                  the save (envelope.ts)
 *   <slot>.bak.json              the previous good save of that slot
 *   <slot>.json.<digits>         a temp file of a write in progress (or one killed mid-write)
 *   <slot>.json.damaged-<ms>     a damaged save that a new save replaced, kept for inspection
 *
 * Writes go temp file → fsync → rename → fsync folder (durable.ts), so a crash or SIGKILL at any
 * moment leaves the old save or the new one, never a mix; the same holds when two processes write
 * one slot at once (the last rename wins, whole). A bad file is never deleted or overwritten by a
 * read, and a write moves it aside rather than destroying it.
 */
import { promises as fs } from 'node:fs';
import * as fsSync from 'node:fs';
import * as path from 'node:path';
import {
  decodeSave,
  encodeSave,
  SAVE_FORMAT,
  type DecodeOptions,
  type DecodeResult,
  type EngineCompat,
  type FormatMigration,
  type SaveData,
} from './envelope';
import { ensureDir, fsyncDir, isTempFileOf, writeFileDurable } from './durable';
import { assertSlotName, checkSlotName } from './slotName';
import {
  compareNewestFirst,
  saveInfoOf,
  type ReadResult,
  type SaveInfo,
  type SaveInput,
  type SaveProblem,
  type SaveScan,
  type SaveStore,
} from './store';

const SAVE_EXTENSION = '.json';
const BACKUP_EXTENSION = '.bak.json';
/** Files larger than this are not read (no real save comes near it). */
export const DEFAULT_MAX_SAVE_BYTES = 64 * 1024 * 1024;

interface FsSaveStoreOptions {
  /** the folder; default defaultSavesDir() */
  dir?: string;
  /** the running engine's version and its migrations; without it engine versions are not checked */
  engine?: EngineCompat;
  /** default FORMAT_MIGRATIONS */
  formatMigrations?: Record<number, FormatMigration>;
  /** stamps saves written without savedAt; default () => new Date() */
  now?: () => Date;
  /** how a path is shown in messages; default relative to the working directory when inside it */
  displayPath?: (absolutePath: string) => string;
  maxBytes?: number;
}

/** The folder holding package.json of this project, found from this file's location. */
function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    try {
      const parsed = JSON.parse(fsSync.readFileSync(pkg, 'utf8')) as { name?: unknown };
      if (parsed.name === 'grimoire') return dir;
    } catch {
      // not here
    }
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/** $GRIMOIRE_SAVES_DIR, or saves/ at the project root. */
export function defaultSavesDir(): string {
  const fromEnv = process.env.GRIMOIRE_SAVES_DIR;
  return fromEnv && fromEnv.length > 0 ? path.resolve(fromEnv) : path.join(projectRoot(), 'saves');
}

export function relativeToCwd(absolutePath: string): string {
  const rel = path.relative(process.cwd(), absolutePath);
  return rel.length > 0 && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : absolutePath;
}

export class SaveWriteError extends Error {
  override readonly name = 'SaveWriteError';
}

/** `bytes` is set whenever the file could be read. `intact`: whole and unaltered, just from another version. */
type Loaded =
  | { ok: true; save: SaveData; bytes: Buffer }
  | { ok: false; problem: SaveProblem; intact: boolean; bytes: Buffer | null };

/** Reads a file, refusing huge ones. null when it does not exist. */
export async function readFileLimited(file: string, maxBytes: number): Promise<Buffer | null> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) throw new RangeError(`it is ${size} bytes, more than the ${maxBytes} a save may have`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

export class FsSaveStore implements SaveStore {
  readonly dir: string;
  private readonly opts: FsSaveStoreOptions;
  private readonly show: (p: string) => string;
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(opts: FsSaveStoreOptions = {}) {
    this.opts = opts;
    this.dir = path.resolve(opts.dir ?? defaultSavesDir());
    this.show = opts.displayPath ?? relativeToCwd;
  }

  fileOf(slot: string): string {
    return path.join(this.dir, assertSlotName(slot, { allowReserved: true }) + SAVE_EXTENSION);
  }

  backupFileOf(slot: string): string {
    return path.join(this.dir, assertSlotName(slot, { allowReserved: true }) + BACKUP_EXTENSION);
  }

  private decodeOptions(): DecodeOptions {
    return { accept: [SAVE_FORMAT], engine: this.opts.engine, formatMigrations: this.opts.formatMigrations };
  }

  /** Runs fn after every earlier operation on the same slot in this process. */
  private async exclusive<T>(slot: string, fn: () => Promise<T>): Promise<T> {
    const before = this.locks.get(slot) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.locks.set(slot, tail);
    try {
      return await run;
    } finally {
      if (this.locks.get(slot) === tail) this.locks.delete(slot);
    }
  }

  private async load(slot: string, file: string): Promise<Loaded> {
    const shown = this.show(file);
    const problem = (reason: SaveProblem['reason'], message: string, bytes: Buffer | null, intact = false): Loaded => ({
      ok: false,
      intact,
      bytes,
      problem: { slot, file: shown, reason, message },
    });
    let bytes: Buffer | null;
    try {
      bytes = await readFileLimited(file, this.opts.maxBytes ?? DEFAULT_MAX_SAVE_BYTES);
    } catch (e) {
      const why = e instanceof RangeError ? e.message : ((e as NodeJS.ErrnoException).code ?? String(e));
      return problem('unreadable', `${shown} could not be read (${why}).`, null);
    }
    if (bytes === null) return problem('missing', `${shown} does not exist.`, null);
    const d: DecodeResult = decodeSave(bytes.toString('utf8'), shown, this.decodeOptions());
    if (!d.ok) return problem(d.reason, d.message, bytes, d.reason === 'too-new' || d.reason === 'too-old');
    return { ok: true, bytes, save: { ...d.save, slot } };
  }

  async read(slot: string): Promise<ReadResult> {
    const name = assertSlotName(slot, { allowReserved: true });
    const main = await this.load(name, this.fileOf(name));
    if (main.ok) return { status: 'ok', slot: name, save: main.save, file: this.show(this.fileOf(name)) };
    const backupFile = this.show(this.backupFileOf(name));
    const backup = await this.load(name, this.backupFileOf(name));
    const problem = main.problem;
    if (backup.ok) {
      const lead = problem.reason === 'missing' ? `${problem.file} is missing.` : `${problem.message} That file was left as it is.`;
      return {
        status: 'recovered',
        slot: name,
        save: backup.save,
        file: backupFile,
        problem,
        message: `${lead} Your previous good copy ${backupFile} (saved ${backup.save.savedAt}) was kept.`,
      };
    }
    if (problem.reason === 'missing') {
      if (backup.problem.reason === 'missing') {
        return { status: 'missing', slot: name, message: `There is no save called ${JSON.stringify(name)} (${problem.file} does not exist).` };
      }
      return {
        status: 'damaged',
        slot: name,
        problem: backup.problem,
        backupProblem: null,
        message: `${problem.file} is missing and its backup is not usable: ${backup.problem.message}`,
      };
    }
    const noCopy =
      backup.problem.reason === 'missing'
        ? `There is no previous copy (${backupFile} does not exist).`
        : `Its previous copy is not usable either: ${backup.problem.message}`;
    return {
      status: 'damaged',
      slot: name,
      problem,
      backupProblem: backup.problem.reason === 'missing' ? null : backup.problem,
      message: `${problem.message} ${noCopy} Nothing was changed.`,
    };
  }

  async write(slot: string, save: SaveInput): Promise<SaveData> {
    const name = assertSlotName(slot, { allowReserved: true });
    const data: SaveData = {
      slot: name,
      savedAt: save.savedAt ?? (this.opts.now ?? (() => new Date()))().toISOString(),
      meta: save.meta,
      history: save.history,
      payload: save.payload,
    };
    const text = encodeSave(data); // throws before anything on disk is touched
    return this.exclusive(name, async () => {
      await ensureDir(this.dir);
      const main = this.fileOf(name);
      const backup = this.backupFileOf(name);
      await refuseLink(main);
      await refuseLink(backup);
      const current = await this.load(name, main);
      if ((current.ok || current.intact) && current.bytes) {
        // keep the previous good save, byte for byte, before it is replaced
        await writeFileDurable(backup, current.bytes);
      } else if (!current.ok && current.problem.reason !== 'missing') {
        // never destroy a damaged save: move it aside (rename is atomic) for whoever wants to look
        const aside = `${main}.damaged-${Date.now()}`;
        await fs.rename(main, aside).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'ENOENT') throw e;
        });
      }
      await writeFileDurable(main, text);
      return data;
    });
  }

  async remove(slot: string): Promise<void> {
    const name = assertSlotName(slot, { allowReserved: true });
    await this.exclusive(name, async () => {
      for (const file of [this.fileOf(name), this.backupFileOf(name)]) {
        await fs.unlink(file).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'ENOENT') throw e;
        });
      }
      await fsyncDir(this.dir).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
    });
  }

  /** Slot names that have a save or a backup file in the folder. Temp files and other files are ignored. */
  async slots(): Promise<string[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const found = new Set<string>();
    for (const n of names) {
      const slot = n.endsWith(BACKUP_EXTENSION)
        ? n.slice(0, -BACKUP_EXTENSION.length)
        : n.endsWith(SAVE_EXTENSION)
          ? n.slice(0, -SAVE_EXTENSION.length)
          : null;
      if (slot !== null && checkSlotName(slot, { allowReserved: true }).ok) found.add(slot);
    }
    return [...found].sort();
  }

  async scan(): Promise<SaveScan> {
    const saves: SaveInfo[] = [];
    const damaged: SaveProblem[] = [];
    for (const slot of await this.slots()) {
      const r = await this.read(slot);
      if (r.status === 'ok') saves.push(saveInfoOf(r.save, slot, r.file));
      else if (r.status === 'recovered') saves.push(saveInfoOf(r.save, slot, r.file, r.problem));
      else if (r.status === 'damaged') damaged.push({ ...r.problem, message: r.message });
    }
    saves.sort(compareNewestFirst);
    return { saves, damaged };
  }

  async list(): Promise<SaveInfo[]> {
    return (await this.scan()).saves;
  }

  async latest(): Promise<SaveInfo | null> {
    return (await this.list())[0] ?? null;
  }

  /**
   * Deletes temp files left by writes that were killed midway, if older than `olderThanMs`
   * (younger ones may belong to a write in progress in another process). Returns their names.
   */
  async sweepTempFiles(olderThanMs = 10 * 60 * 1000): Promise<string[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const cutoff = Date.now() - olderThanMs;
    const removed: string[] = [];
    for (const n of names) {
      const m = /^(.*\.json)\.\d+$/.exec(n);
      if (!m || !isTempFileOf(n, m[1])) continue;
      const file = path.join(this.dir, n);
      try {
        const st = await fs.lstat(file);
        if (!st.isFile() || st.mtimeMs > cutoff) continue;
        await fs.unlink(file);
        removed.push(n);
      } catch {
        // gone already, or not ours to remove
      }
    }
    if (removed.length > 0) await fsyncDir(this.dir);
    return removed;
  }
}

/** A symlink in the saves folder would make an atomic write land somewhere else; refuse it. */
async function refuseLink(file: string): Promise<void> {
  try {
    const st = await fs.lstat(file);
    if (st.isSymbolicLink()) throw new SaveWriteError(`${file} is a symbolic link; saves are only written to plain files inside the saves folder.`);
    if (!st.isFile()) throw new SaveWriteError(`${file} is not a plain file; move it away to save in this slot.`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
}
