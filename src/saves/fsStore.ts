/**
 * The default SaveStore: one folder (saves/ at the project root unless told otherwise), one file
 * per slot.
 *
 *   <slot>.json                  the save: a header line and a compressed body (slotFile.ts);
 *                                a format 1 save (one JSON document) is read as well
 *   <slot>.bak.json              the previous good save of that slot (a hard link to the file
 *                                that was the save, made before the save is replaced)
 *   <slot>.steps                 the spells cast since the save was written, when the store was
 *                                given a way to play them again (stepLog.ts): a read plays them
 *   <slot>.json.<digits>         a temp file of a write in progress (or one killed mid-write)
 *   <slot>-<yyyymmdd-hhmmss>.json  a save of another game that was in the way of a write (moved,
 *                                not copied), or where a write went when its slot held a file
 *                                that cannot be read
 *
 * Writes go temp file → write every byte → fsync → rename → fsync folder (durable.ts), so a crash
 * or SIGKILL at any moment leaves the old save or the new one, never a mix; the same holds when two
 * processes write one slot at once (the last rename wins, whole). A full disk fails the write
 * loudly and leaves the old save as it was. What the store will not do:
 *   - write a save larger than it reads back (maxBytes);
 *   - replace the save of another game: that one is moved to a slot of its own first (lineage.ts);
 *   - replace, move or delete a file it cannot read (a newer grimoire's, a damaged one, a foreign
 *     file, a link, a FIFO...): the write is refused, or diverted to a new slot (WriteOptions);
 *   - read anything but a plain file, or more than maxBytes of it (readLimited.ts).
 *
 * What it does not do, for speed: read every save whole to list them (a list checks each slot
 * file's header line, header.ts; a damaged body or a game the engine refuses is found when the
 * save is loaded, and listed as such from then on in that process), or read back the save it wrote itself a moment ago before replacing it (it
 * remembers the identity of each file it wrote, durable.ts FileIdentity, and reads a file again
 * only when that changed).
 */
import { promises as fs } from 'node:fs';
import * as fsSync from 'node:fs';
import * as path from 'node:path';
import { SAVE_FORMAT, type DecodeOptions, type DecodeResult, type EngineCompat, type FormatMigration, type SaveData, type SaveMeta } from './envelope';
import { DurableWriteError, ensureDir, fsyncDir, identityOf, isTempFileOf, prepareFileDurable, tempNameFor, writeFileDurable, type DurableFs, type FileIdentity } from './durable';
import { describeFsError, formatBytes } from './fsErrors';
import { continuesGame } from './lineage';
import { readFileLimited, readFirstLineSync, readSmallFileSync } from './readLimited';
import { readSaveHeader } from './header';
import { decodeSaveFile, encodeSlotFile, MAX_HEADER_BYTES } from './slotFile';
import { assertSlotName } from './slotName';
import { BACKUP_EXTENSION, defaultSavesDir, SAVE_EXTENSION, slotsIn } from './slotListing';
import { baseOfSlotFile, isStepLog, MAX_LOGGED_LINE, MAX_STEP_LOG_BYTES, parseStepLog, STEP_LOG_EXTENSION, stepLogHeader, stepLogLines, type LoggedStep, type StepLog } from './stepLog';
import {
  compareNewestFirst,
  saveInfoOf,
  type ArchivedSave,
  type ReadResult,
  type SaveInfo,
  type SaveInput,
  type SaveProblem,
  type SaveScan,
  type SaveStore,
  type WriteOptions,
  type WriteReport,
} from './store';
import { relativeToCwd } from './displayPath';

/** Files larger than this are not read (no real save comes near it), and no save larger is written. */
export const DEFAULT_MAX_SAVE_BYTES = 64 * 1024 * 1024;
/** how many slots a list reads at once */
const SCAN_BATCH = 16;
/** the lines of input a game keeps (engine/game.ts HISTORY_LIMIT) */
const HISTORY_KEPT = 1000;
/** new save files are the player's own */
const SAVE_MODE = 0o600;

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
  /** the largest save read or written; default DEFAULT_MAX_SAVE_BYTES */
  maxBytes?: number;
  /** the calls writes make; default the real ones (tests make writes short or the disk full) */
  writeFs?: DurableFs;
}

export { defaultSavesDir } from './slotListing';


/** A save that was not written. The message is for the player: what happened and what was kept. */
export class SaveWriteError extends Error {
  override readonly name = 'SaveWriteError';
}

/**
 * `bytes` is set whenever the file was read; a save this store wrote itself and finds unchanged is
 * not read again (its `save` then has no state: only what lineage and archiving look at).
 */
type Loaded = { ok: true; save: SaveData; bytes: Buffer | null } | { ok: false; problem: SaveProblem; bytes: Buffer | null };

/** What a save list shows of a slot's file, read from its header when it has one. */
type Listed = { ok: true; savedAt: string; meta: SaveMeta } | { ok: false; problem: SaveProblem };

/** A save this store wrote (or read whole), without its game state. */
function withoutState(save: SaveData): SaveData {
  return { ...save, payload: { ...save.payload, state: null } };
}

/** 2025-01-02T03:04:05.678Z → 20250102-030405 (UTC) */
function stampOf(iso: string): string {
  const t = Date.parse(iso);
  const d = new Date(Number.isNaN(t) ? 0 : t);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** `<slot>-<stamp>`, then `<slot>-<stamp>-2`, ...; the slot part is shortened to fit the name limit. */
function datedSlotName(slot: string, iso: string, n: number): string {
  const suffix = `-${stampOf(iso)}${n > 1 ? `-${n}` : ''}`;
  return assertSlotName(slot.slice(0, 64 - suffix.length).replace(/\.+$/, '') + suffix, { allowReserved: true });
}

/** link() fails with these where the file system has no hard links */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK', 'EXDEV']);

async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/**
 * Moves a file to a name that must not exist yet, never replacing anything there: a hard link
 * (which fails if the name is taken), then the old name removed. Where the file system has no hard
 * links, a check and a rename. Either way the file is under at least one of the names throughout.
 */
async function moveNoReplace(from: string, to: string): Promise<void> {
  try {
    await fs.link(from, to);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (!code || !NO_HARD_LINKS.has(code)) throw e;
    if (await exists(to)) throw Object.assign(new Error('the name is taken'), { code: 'EEXIST' });
    await fs.rename(from, to);
    return;
  }
  await fs.unlink(from);
}

function infoOf(slot: string, file: string, l: Extract<Listed, { ok: true }>, recoveredFrom?: SaveProblem): SaveInfo {
  return saveInfoOf(l, slot, file, recoveredFrom);
}

/** the step log in `bytes` if it follows the save whose body is `base`, else null */
function logFollowing(bytes: Uint8Array | null, base: string): StepLog | null {
  const log = bytes ? parseStepLog(bytes) : null;
  return log && log.base === base ? log : null;
}

export class FsSaveStore implements SaveStore {
  readonly dir: string;
  private readonly opts: FsSaveStoreOptions;
  private readonly show: (p: string) => string;
  private readonly locks = new Map<string, Promise<unknown>>();
  /** files this store wrote or read whole: their identity then, and the save they held (without its state) */
  private readonly known = new Map<string, { id: FileIdentity; save: SaveData; base?: string | null }>();
  /** each slot's step log as this store last wrote it: whose save it follows, its identity then, how many spells */
  private readonly stepLogs = new Map<string, { base: string; id: FileIdentity | null; count: number }>();
  /** files this store read whole and could not use, with why: a list says so again without reading them */
  private readonly knownBad = new Map<string, { id: FileIdentity; problem: SaveProblem }>();

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

  stepsFileOf(slot: string): string {
    return path.join(this.dir, assertSlotName(slot, { allowReserved: true }) + STEP_LOG_EXTENSION);
  }

  /** the largest save this store reads, and so the largest it writes */
  get maxBytes(): number {
    return this.opts.maxBytes ?? DEFAULT_MAX_SAVE_BYTES;
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
    const problem = (reason: SaveProblem['reason'], message: string, bytes: Buffer | null): Loaded => ({
      ok: false,
      bytes,
      problem: { slot, file: shown, reason, message },
    });
    let bytes: Buffer | null;
    const before = await this.identity(file);
    try {
      // a slot is a plain file in the folder: not a link, a FIFO, a device or a folder
      bytes = await readFileLimited(file, this.maxBytes);
    } catch (e) {
      return problem('unreadable', `${shown} could not be read: ${describeFsError(e)}.`, null);
    }
    if (bytes === null) return problem('missing', `${shown} does not exist.`, null);
    const d: DecodeResult = decodeSaveFile(bytes, shown, this.decodeOptions());
    // what was found is remembered for this file as it is now (if it did not change while it was read)
    const after = await this.identity(file);
    const id = before !== null && before === after ? after : null;
    this.known.delete(file);
    this.knownBad.delete(file);
    if (!d.ok) {
      const loaded = problem(d.reason, d.message, bytes);
      if (id && !loaded.ok) this.knownBad.set(file, { id, problem: loaded.problem });
      return loaded;
    }
    const save = { ...d.save, slot };
    if (id) this.known.set(file, { id, save: withoutState(save), base: baseOfSlotFile(bytes) });
    return { ok: true, bytes, save };
  }

  /** The file's identity now, or null when it is not there (or not a plain file). */
  private async identity(file: string): Promise<FileIdentity | null> {
    try {
      const st = await fs.lstat(file, { bigint: true });
      return st.isFile() ? identityOf(st) : null;
    } catch {
      return null;
    }
  }

  /** identity() without the thread pool, for lists (readFirstLineSync says why) */
  private identitySync(file: string): FileIdentity | null {
    try {
      const st = fsSync.lstatSync(file, { bigint: true });
      return st.isFile() ? identityOf(st) : null;
    } catch {
      return null;
    }
  }

  /** load(), unless the file is one this store wrote (or read) and it has not changed since. */
  private async loadForWrite(slot: string, file: string): Promise<Loaded> {
    const known = this.known.get(file);
    if (known && known.id === (await this.identity(file))) return { ok: true, save: { ...known.save, slot }, bytes: null };
    return this.load(slot, file);
  }

  /**
   * What a list shows of one file. A slot file: its header line, checked (header.ts), unless this
   * store already knows the file, unchanged since it wrote or read it whole (then what it found
   * then, good or not). A format 1 save, or anything else: read whole and checked as a load would.
   */
  private async listed(slot: string, file: string): Promise<Listed> {
    const id = this.identitySync(file);
    const good = this.known.get(file);
    if (id && good?.id === id) return this.withLoggedSteps(slot, file, { ok: true, savedAt: good.save.savedAt, meta: good.save.meta }, good.base ?? null);
    const bad = this.knownBad.get(file);
    if (id && bad?.id === id) return { ok: false, problem: bad.problem };
    const shown = this.show(file);
    const problem = (reason: SaveProblem['reason'], message: string): Listed => ({ ok: false, problem: { slot, file: shown, reason, message } });
    let first;
    try {
      first = readFirstLineSync(file, MAX_HEADER_BYTES, this.maxBytes);
    } catch (e) {
      return problem('unreadable', `${shown} could not be read: ${describeFsError(e)}.`);
    }
    if (first === null) return problem('missing', `${shown} does not exist.`);
    const h = readSaveHeader(first.head, first.size, shown, this.decodeOptions());
    if (h !== 'not-a-slot-file') return h.ok ? this.withLoggedSteps(slot, file, { ok: true, savedAt: h.header.savedAt, meta: h.header.meta }, baseOfSlotFile(first.head)) : problem(h.reason, h.message);
    // a format 1 save (or not a save at all): only reading it whole can tell
    const whole = await this.load(slot, file);
    return whole.ok ? { ok: true, savedAt: whole.save.savedAt, meta: whole.save.meta } : { ok: false, problem: whole.problem };
  }

  /**
   * A listed save as the spells logged after it leave the game (their last one's time and meta),
   * when `file` is the slot's save and its step log follows it. A list never plays them.
   */
  private withLoggedSteps(slot: string, file: string, l: Extract<Listed, { ok: true }>, base: string | null): Listed {
    if (!base || file !== this.fileOf(slot) || !this.opts.engine?.replay) return l;
    let log: StepLog | null = null;
    try {
      log = logFollowing(readSmallFileSync(this.stepsFileOf(slot), MAX_STEP_LOG_BYTES), base);
    } catch {
      // a step log that cannot be read is not used: the save is listed as it is
    }
    const last = log?.steps[log.steps.length - 1];
    return last ? { ok: true, savedAt: last.savedAt, meta: last.meta } : l;
  }

  /**
   * A save (without its game state) as the spells logged after it leave it: their lines added to
   * its history as the engine adds them, and the last one's time and meta. What lineage and
   * archiving look at; the state is only played again by read().
   */
  private async withLoggedLines(slot: string, save: SaveData, base: string | null): Promise<SaveData> {
    const log = await this.stepLogFor(slot, base);
    const last = log?.steps[log.steps.length - 1];
    if (!log || !last) return save;
    const history = [...save.history, ...log.steps.map((s) => s.line.replace(/\r?\n$/, ''))].slice(-HISTORY_KEPT);
    return { ...save, savedAt: last.savedAt, meta: last.meta, history };
  }

  /**
   * The slot's step log if it follows the save whose body is `base`, or null. A file of another
   * kind under its name is never used (nor, later, replaced).
   */
  private async stepLogFor(slot: string, base: string | null): Promise<StepLog | null> {
    if (!base || !this.opts.engine?.replay) return null;
    try {
      return logFollowing(await readFileLimited(this.stepsFileOf(slot), MAX_STEP_LOG_BYTES), base);
    } catch {
      return null;
    }
  }

  /** Whether the file under the slot's step log name is a step log (never a file of another kind to move or delete). */
  private holdsStepLog(slot: string): boolean {
    try {
      const head = readFirstLineSync(this.stepsFileOf(slot), 4096, MAX_STEP_LOG_BYTES)?.head;
      return !!head && isStepLog(head);
    } catch {
      return false;
    }
  }

  async read(slot: string): Promise<ReadResult> {
    const name = assertSlotName(slot, { allowReserved: true });
    const main = await this.load(name, this.fileOf(name));
    if (main.ok) {
      const file = this.show(this.fileOf(name));
      const log = await this.stepLogFor(name, main.bytes ? baseOfSlotFile(main.bytes) : null);
      if (!log || (log.steps.length === 0 && log.problem === null)) return { status: 'ok', slot: name, save: main.save, file };
      // the spells logged since the save, played again: the game as it was after the last of them
      const played = this.opts.engine!.replay!(main.save, log.steps);
      const save = { ...played.save, slot: name };
      const problem = played.problem ?? log.problem;
      if (problem === null) return { status: 'ok', slot: name, save, file };
      const stepsFile = this.show(this.stepsFileOf(name));
      const message = `${stepsFile}: ${problem}. The game goes on from the spell before (${played.played} of the logged spells were played).`;
      return { status: 'recovered', slot: name, save, file, problem: { slot: name, file: stepsFile, reason: 'checksum', message }, message };
    }
    const backup = await this.load(name, this.backupFileOf(name));
    const r = this.judge(name, main.problem, backup.ok ? { savedAt: backup.save.savedAt } : backup.problem);
    if (r.status === 'recovered' && backup.ok) return { ...r, save: backup.save };
    if (r.status === 'recovered') throw new Error('unreachable: a recovery without a good copy');
    return r;
  }

  /** What read() says when the main file cannot be used: recovered from the backup, damaged, or missing. */
  private judge(
    name: string,
    problem: SaveProblem,
    backup: { savedAt: string } | SaveProblem,
  ): Exclude<ReadResult, { status: 'ok' | 'recovered' }> | (Omit<Extract<ReadResult, { status: 'recovered' }>, 'save'>) {
    const backupFile = this.show(this.backupFileOf(name));
    if (!('reason' in backup)) {
      const lead = problem.reason === 'missing' ? `${problem.file} is missing.` : `${problem.message} That file was left as it is.`;
      return {
        status: 'recovered',
        slot: name,
        file: backupFile,
        problem,
        message: `${lead} Your previous good copy ${backupFile} (saved ${backup.savedAt}) was kept.`,
      };
    }
    if (problem.reason === 'missing') {
      if (backup.reason === 'missing') {
        return { status: 'missing', slot: name, message: `There is no save called ${JSON.stringify(name)} (${problem.file} does not exist).` };
      }
      return {
        status: 'damaged',
        slot: name,
        problem: backup,
        backupProblem: null,
        message: `${problem.file} is missing and its backup is not usable: ${backup.message}`,
      };
    }
    const noCopy =
      backup.reason === 'missing'
        ? `There is no previous copy (${backupFile} does not exist).`
        : `Its previous copy is not usable either: ${backup.message}`;
    return {
      status: 'damaged',
      slot: name,
      problem,
      backupProblem: backup.reason === 'missing' ? null : backup,
      message: `${problem.message} ${noCopy} Nothing was changed.`,
    };
  }

  async write(slot: string, save: SaveInput, opts: WriteOptions = {}): Promise<WriteReport> {
    const name = assertSlotName(slot, { allowReserved: true });
    const data: SaveData = {
      slot: name,
      savedAt: save.savedAt ?? (this.opts.now ?? (() => new Date()))().toISOString(),
      meta: save.meta,
      history: save.history,
      payload: save.payload,
    };
    // encoded (off the main thread) while earlier writes to the slot finish; writes still land in the order they were asked for
    const encoded = encodeSlotFile(data);
    encoded.catch(() => undefined);
    return this.exclusive(name, async () => {
      // both throw before anything on disk is touched
      const bytes = await encoded;
      this.checkSize(bytes, name);
      const mainFile = this.fileOf(name);
      const backupFile = this.backupFileOf(name);
      let main: Loaded | null = null;
      try {
        // side by side: each is a wait in the thread pool, behind other games' fsyncs; the reads only
        // find the files missing while the folder is being made
        const [, mainNow, backup] = await Promise.all([ensureDir(this.dir), this.loadForWrite(name, mainFile), this.loadForWrite(name, backupFile)]);
        main = mainNow;

        // a file this grimoire cannot read is never replaced or moved: refuse, or write elsewhere
        const unusable = [main, backup].find((l): l is Extract<Loaded, { ok: false }> => !l.ok && l.problem.reason !== 'missing');
        if (unusable) {
          if (opts.ifUnusable !== 'divert') {
            throw new SaveWriteError(
              `${unusable.problem.message} Nothing was saved to slot "${name}": the game never replaces or moves a file it cannot read. Save under another name, or move that file out of the saves folder.`,
            );
          }
          const to = await this.freeSlotName(name, data.savedAt);
          const moved: SaveData = { ...data, slot: to };
          const movedBytes = await encodeSlotFile(moved);
          this.checkSize(movedBytes, name);
          const id = await writeFileDurable(this.fileOf(to), movedBytes, { mode: SAVE_MODE, fs: this.opts.writeFs, display: this.show(this.fileOf(to)) });
          if (id) this.known.set(this.fileOf(to), { id, save: withoutState(moved) });
          return { save: moved, archived: [], diverted: { from: name, problem: unusable.problem } };
        }

        // a save of another game is moved to a slot of its own, never overwritten (the game as its logged spells left it)
        const archived: ArchivedSave[] = [];
        let mainStays = main.ok;
        const latest = main.ok ? await this.withLoggedLines(name, main.save, this.known.get(mainFile)?.base ?? (main.bytes ? baseOfSlotFile(main.bytes) : null)) : null;
        if (main.ok && latest && !continuesGame(latest, data)) {
          archived.push(await this.archive(name, latest, backup.ok ? 'both' : 'main'));
          mainStays = false;
        } else if (backup.ok && !continuesGame(backup.save, data)) {
          archived.push(await this.archive(name, backup.save, 'backup'));
        }
        if (archived.length > 0) {
          this.known.delete(mainFile);
          this.known.delete(backupFile);
        }
        // every byte on disk first: a full disk fails here, before anything in the folder changed
        const prepared = await prepareFileDurable(mainFile, bytes, { mode: SAVE_MODE, fs: this.opts.writeFs, display: this.show(mainFile) });
        try {
          // keep the previous good save, byte for byte, before it is replaced
          if (mainStays && main.ok) await this.keepAsBackup(name, main);
        } catch (e) {
          await prepared.discard();
          throw e;
        }
        this.known.delete(mainFile);
        await prepared.commit();
        const base = baseOfSlotFile(bytes);
        if (prepared.identity) this.known.set(mainFile, { id: prepared.identity, save: withoutState(data), base });
        return { save: data, archived, diverted: null, ...(base && this.opts.engine?.replay ? { base } : {}) };
      } catch (e) {
        if (e instanceof SaveWriteError) throw e;
        // named by the slot's file, whichever of its files (the backup, the save) the write failed on
        if (e instanceof DurableWriteError && e.written) throw new SaveWriteError(`${e.message}.`);
        const kept = main?.ok ? ` The previous save in slot "${name}" was kept.` : ' Nothing was saved.';
        throw new SaveWriteError(`could not write ${this.show(mainFile)}: ${describeFsError(e)}.${kept}`);
      }
    });
  }

  /**
   * Makes the slot's current save its backup: a hard link to it under a temporary name, renamed
   * over the backup, the folder flushed. Nothing is copied, and at every moment the backup is the
   * old backup or the current save, whole; the save itself is replaced afterwards by a new file
   * (writeFileDurable), so the backup keeps these bytes. Where the file system has no hard links,
   * the bytes are copied with a durable write instead.
   */
  private async keepAsBackup(slot: string, main: Extract<Loaded, { ok: true }>): Promise<void> {
    const mainFile = this.fileOf(slot);
    const backupFile = this.backupFileOf(slot);
    const temp = tempNameFor(backupFile);
    let linked = true;
    try {
      await fs.link(mainFile, temp);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // another process saving another game to this slot has just archived the save to a slot of its own: it is kept there
      if (code === 'ENOENT') return;
      if (!code || !NO_HARD_LINKS.has(code)) throw e;
      linked = false;
    }
    if (linked) {
      try {
        await fs.rename(temp, backupFile);
      } finally {
        // rename() between two links to one file does nothing and leaves the temp name (another process made the same backup first)
        await fs.unlink(temp).catch(() => undefined);
      }
      await fsyncDir(this.dir);
      const id = await this.identity(backupFile);
      if (id) this.known.set(backupFile, { id, save: withoutState(main.save) });
      return;
    }
    const bytes = main.bytes ?? (await readFileLimited(mainFile, this.maxBytes));
    if (bytes === null) throw Object.assign(new Error(`${this.show(mainFile)} disappeared`), { code: 'ENOENT' });
    const id = await writeFileDurable(backupFile, bytes, { mode: SAVE_MODE, fs: this.opts.writeFs, display: this.show(backupFile) });
    if (id) this.known.set(backupFile, { id, save: withoutState(main.save) });
  }

  /** Never write what could not be read back. */
  private checkSize(data: Uint8Array, slot: string): void {
    const size = data.length;
    if (size > this.maxBytes) {
      throw new SaveWriteError(
        `This save would be ${formatBytes(size)}, more than the ${formatBytes(this.maxBytes)} the game can read back, so it was not written; whatever slot "${slot}" held is kept.`,
      );
    }
  }

  /** Neither `<name>.json` nor `<name>.bak.json` exists. */
  private async isFree(name: string): Promise<boolean> {
    return !(await exists(this.fileOf(name))) && !(await exists(this.backupFileOf(name)));
  }

  private async freeSlotName(slot: string, iso: string): Promise<string> {
    for (let n = 1; n <= 100; n++) {
      const name = datedSlotName(slot, iso, n);
      if (name !== slot && (await this.isFree(name))) return name;
    }
    throw new SaveWriteError(`There is no free slot name left for "${slot}" at ${iso}, so nothing was saved.`);
  }

  /**
   * Moves the save of another game out of `slot` to `<slot>-<its savedAt>`, durably. 'both' moves
   * the save and its backup together; 'backup' moves a lone backup (it becomes that slot's save).
   */
  private async archive(slot: string, old: SaveData, which: 'main' | 'both' | 'backup'): Promise<ArchivedSave> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const to = await this.freeSlotName(slot, old.savedAt);
      try {
        // the save first: a crash before its backup follows leaves that backup in the slot, and the next write moves it too
        if (which !== 'backup') await moveNoReplace(this.fileOf(slot), this.fileOf(to));
        // the spells logged after that save go with it (a step log names its save by its body, not by its slot)
        if (which !== 'backup') await this.moveStepLog(slot, to);
        if (which === 'both') await moveNoReplace(this.backupFileOf(slot), this.backupFileOf(to));
        if (which === 'backup') await moveNoReplace(this.backupFileOf(slot), this.fileOf(to));
      } catch (e) {
        // another process took that name in the meantime: the next free one
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw e;
      }
      await fsyncDir(this.dir);
      return { from: slot, slot: to, savedAt: old.savedAt, meta: old.meta };
    }
    throw new SaveWriteError(`The save in slot "${slot}" could not be moved out of the way, so nothing was saved.`);
  }

  /** Moves the slot's step log, if it has one of ours, to slot `to` (whose name is free). */
  private async moveStepLog(slot: string, to: string): Promise<void> {
    this.stepLogs.delete(slot);
    if (!this.holdsStepLog(slot)) return;
    await moveNoReplace(this.stepsFileOf(slot), this.stepsFileOf(to)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT' && e.code !== 'EEXIST') throw e;
    });
  }

  /**
   * Logs spells cast after the slot's save (SaveStore.appendSteps): appended to its step log and
   * fsynced, or a new log written whole (temp file, rename) when the one there follows an older
   * save. Only a save this store wrote or read, unchanged since, is followed; a file under the log's
   * name that is not a step log is never replaced (false: the caller saves whole).
   */
  async appendSteps(slot: string, base: string, steps: readonly LoggedStep[]): Promise<boolean> {
    const name = assertSlotName(slot, { allowReserved: true });
    if (!this.opts.engine?.replay || steps.length === 0 || steps.some((s) => s.line.length > MAX_LOGGED_LINE)) return false;
    return this.exclusive(name, async () => {
      const mainFile = this.fileOf(name);
      const known = this.known.get(mainFile);
      if (!known || known.base !== base) return false;
      const file = this.stepsFileOf(name);
      const log = this.stepLogs.get(name);
      const [mainNow, logNow] = await Promise.all([this.identity(mainFile), log ? this.identity(file) : null]);
      if (known.id !== mainNow) return false;
      try {
        if (log && log.base === base && log.id !== null && log.id === logNow) {
          const handle = await fs.open(file, fsSync.constants.O_WRONLY | fsSync.constants.O_APPEND | (fsSync.constants.O_NOFOLLOW ?? 0));
          try {
            await handle.writeFile(stepLogLines(base, log.count + 1, steps), 'utf8');
            await handle.sync();
            log.id = identityOf(await handle.stat({ bigint: true }));
          } finally {
            await handle.close();
          }
          log.count += steps.length;
          return true;
        }
        // a new log: only over a step log of an older save, never over a file of another kind, nor
        // over spells of this save that this store did not log (written whole instead, they stay good)
        let there: Buffer | null = null;
        try {
          there = await readFileLimited(file, MAX_STEP_LOG_BYTES);
        } catch {
          return false;
        }
        if (there) {
          const old = parseStepLog(there);
          if (!old || old.base === base) return false;
        }
        this.stepLogs.delete(name);
        const id = await writeFileDurable(file, stepLogHeader(name, base) + stepLogLines(base, 1, steps), { mode: SAVE_MODE, fs: this.opts.writeFs, display: this.show(file) });
        this.stepLogs.set(name, { base, id, count: steps.length });
        return true;
      } catch (e) {
        // a half-appended line ends the log where it was, and the caller saves whole, which a read then follows instead
        this.stepLogs.delete(name);
        if (e instanceof DurableWriteError || (e as NodeJS.ErrnoException).code) return false;
        throw e;
      }
    });
  }

  async remove(slot: string): Promise<void> {
    const name = assertSlotName(slot, { allowReserved: true });
    await this.exclusive(name, async () => {
      this.stepLogs.delete(name);
      // a file of another kind under the log's name is left where it is
      if (this.holdsStepLog(name)) await fs.unlink(this.stepsFileOf(name)).catch(() => undefined);
      for (const file of [this.fileOf(name), this.backupFileOf(name)]) {
        this.known.delete(file);
        this.knownBad.delete(file);
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
    return slotsIn(this.dir);
  }

  /** Every slot's header (or whole file, for a format 1 save), the backup's only where the save cannot be used. */
  async scan(): Promise<SaveScan> {
    const saves: SaveInfo[] = [];
    const damaged: SaveProblem[] = [];
    const one = async (slot: string): Promise<void> => {
      const file = this.show(this.fileOf(slot));
      const main = await this.listed(slot, this.fileOf(slot));
      if (main.ok) {
        saves.push(infoOf(slot, file, main));
        return;
      }
      const backup = await this.listed(slot, this.backupFileOf(slot));
      const r = this.judge(slot, main.problem, backup.ok ? { savedAt: backup.savedAt } : backup.problem);
      if (r.status === 'recovered' && backup.ok) saves.push(infoOf(slot, r.file, backup, r.problem));
      else if (r.status === 'damaged') damaged.push({ ...r.problem, message: r.message });
    };
    // a few slots at a time: each is several small file-system calls, and they wait on the thread pool, not on each other
    const slots = await this.slots();
    for (let i = 0; i < slots.length; i += SCAN_BATCH) await Promise.all(slots.slice(i, i + SCAN_BATCH).map(one));
    saves.sort(compareNewestFirst);
    damaged.sort((a, b) => (a.slot < b.slot ? -1 : a.slot > b.slot ? 1 : 0));
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
      const m = /^(.*\.(?:json|steps))\.\d+$/.exec(n);
      if (!m || !isTempFileOf(n, m[1]!)) continue;
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
