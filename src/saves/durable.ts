/**
 * Writing a file so that it survives a crash at any moment: the new bytes go to a temporary file
 * in the same folder (created with O_EXCL, so it is always a new file of ours), every byte is
 * written (a short write is continued, a write that takes nothing fails), the file is fsynced and
 * closed, then renamed over the target (rename is atomic: readers see the old file or the new
 * one, never a mix), and then the folder itself is fsynced so the rename is on disk too. Any
 * failure removes the temporary file and throws; the target is then exactly as it was.
 *
 * This is what the game teaches; its own files are written this way. The file-system calls are a
 * parameter (the real ones by default), so tests can make writes short or fail with ENOSPC.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomInt } from 'node:crypto';
import { describeFsError, PlainFileError } from './fsErrors';

/** The calls the writer makes. Every function rejects with the system's error on failure. */
export interface DurableFs {
  /** open a file, returning its descriptor */
  open(file: string, flags: string, mode: number): Promise<number>;
  /** write `length` bytes of `buffer` from `offset` at file position `position`; resolves with how many were written */
  write(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  fsync(fd: number): Promise<void>;
  close(fd: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  /** make a rename or unlink in `dir` durable */
  fsyncDir(dir: string): Promise<void>;
  /** what identifies the open file once written (optional: a store then looks it up by name) */
  identify?(fd: number): Promise<FileIdentity>;
}

/**
 * A file's device, inode, size and modification time: a file with the same identity as one this
 * process wrote is still what it wrote (a rename keeps all four; replacing or editing it changes one).
 */
export type FileIdentity = string;

export function identityOf(st: fs.BigIntStats): FileIdentity {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`;
}

function callback<T>(run: (done: (err: NodeJS.ErrnoException | null, value?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => run((err, value) => (err ? reject(err) : resolve(value as T))));
}

/** fsync a directory, so a rename or unlink in it is durable. A no-op where directories can't be opened (Windows). */
export async function fsyncDir(dir: string): Promise<void> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(dir, 'r');
    await handle.sync();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // Windows can't open directories; some file systems refuse fsync on them. Nothing more to do there.
    if (process.platform === 'win32' || code === 'EISDIR' || code === 'EINVAL' || code === 'ENOTSUP' || code === 'EPERM') return;
    throw e;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * The real calls. Looked up on the fs module at each call (not bound once), so a test that
 * replaces fs.fsync in a child process (a slow disk) is honoured.
 */
export const realFs: DurableFs = {
  open: (file, flags, mode) => callback<number>((done) => fs.open(file, flags, mode, done)),
  write: (fd, buffer, offset, length, position) => callback<number>((done) => fs.write(fd, buffer, offset, length, position, done)),
  fsync: (fd) => callback<void>((done) => fs.fsync(fd, done)),
  close: (fd) => callback<void>((done) => fs.close(fd, done)),
  rename: (from, to) => callback<void>((done) => fs.rename(from, to, done)),
  unlink: (file) => callback<void>((done) => fs.unlink(file, done)),
  fsyncDir,
  identify: async (fd) => identityOf(await callback<fs.BigIntStats>((done) => fs.fstat(fd, { bigint: true }, done))),
};

/** mkdir -p, making the new folder's entry durable in its parent. */
export async function ensureDir(dir: string): Promise<void> {
  const created = await fs.promises.mkdir(dir, { recursive: true });
  if (created !== undefined) await fsyncDir(path.dirname(created));
}

/** A write that did not complete. `message` is for the player: it names the file and says why, in words. */
export class DurableWriteError extends PlainFileError {
  override readonly name = 'DurableWriteError';
  constructor(
    readonly file: string,
    reason: string,
    code?: string,
    /** the new content did reach the file (only the folder's flush failed) */
    readonly written = false,
  ) {
    super(reason, code);
    this.message = `could not write ${file}: ${reason}`;
  }
}

interface WriteOptions {
  /** permissions of a new file (less the umask); default 0o644 */
  mode?: number;
  /** the file as named in error messages; default the path given */
  display?: string;
  /** the file-system calls; default realFs */
  fs?: DurableFs;
}

/** The name of a temporary file for `target`: `<target>.<digits>` (isTempFileOf recognises it). */
export function tempNameFor(target: string): string {
  return `${target}.${process.pid}${String(randomInt(0, 1e9)).padStart(9, '0')}`;
}

/**
 * Temp file (O_EXCL) → write every byte → fsync → close → rename over `file` → fsync the folder.
 * Resolves with the identity of the file written, when the calls can tell it.
 */
export async function writeFileDurable(file: string, data: string | Uint8Array, opts: WriteOptions = {}): Promise<FileIdentity | null> {
  const prepared = await prepareFileDurable(file, data, opts);
  await prepared.commit();
  return prepared.identity;
}

/** A file written and flushed under its temporary name, not yet in place. */
export interface PreparedWrite {
  identity: FileIdentity | null;
  /** rename over the target, then fsync the folder; on failure the temp file is removed */
  commit(): Promise<void>;
  /** remove the temp file: the target stays as it was */
  discard(): Promise<void>;
}

/**
 * The first half of writeFileDurable: every byte written to a new temp file and flushed, nothing
 * visible changed yet. A caller that must do something before the new file takes the name (a
 * store keeping the old save as its backup) does it between this and commit(), so a full disk
 * fails before anything in the folder changed.
 */
export async function prepareFileDurable(file: string, data: string | Uint8Array, opts: WriteOptions = {}): Promise<PreparedWrite> {
  const io = opts.fs ?? realFs;
  const target = path.resolve(file);
  const shown = opts.display ?? file;
  const fail = (e: unknown): DurableWriteError =>
    e instanceof DurableWriteError ? e : new DurableWriteError(shown, describeFsError(e), (e as NodeJS.ErrnoException | null)?.code);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;

  let fd: number | undefined;
  let temp = '';
  for (let attempt = 0; fd === undefined; attempt++) {
    temp = tempNameFor(target);
    try {
      fd = await io.open(temp, 'wx', opts.mode ?? 0o644);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 8) continue;
      throw fail(e);
    }
  }

  const discard = async (): Promise<void> => {
    await io.unlink(temp).catch(() => undefined);
  };
  let identity: FileIdentity | null = null;
  try {
    let written = 0;
    while (written < bytes.length) {
      const n = await io.write(fd, bytes, written, bytes.length - written, written);
      if (!Number.isInteger(n) || n <= 0 || n > bytes.length - written) {
        throw new DurableWriteError(shown, `the disk stopped taking data after ${written} of ${bytes.length} bytes (is it full?)`, 'ENOSPC');
      }
      written += n;
    }
    await io.fsync(fd);
    identity = io.identify ? await io.identify(fd) : null;
  } catch (e) {
    await io.close(fd).catch(() => undefined);
    await discard();
    throw fail(e);
  }
  try {
    await io.close(fd);
  } catch (e) {
    await discard();
    throw fail(e);
  }
  const commit = async (): Promise<void> => {
    try {
      await io.rename(temp, target);
    } catch (e) {
      await discard();
      throw fail(e);
    }
    try {
      await io.fsyncDir(path.dirname(target));
    } catch (e) {
      throw new DurableWriteError(shown, `it was written, but the folder could not be flushed to disk (${describeFsError(e)}), so a crash now could still lose it`, undefined, true);
    }
  };
  return { identity, commit, discard };
}

/** Leftover temp files of writeFileDurable: `<file>.<digits>`. */
export function isTempFileOf(name: string, target: string): boolean {
  return name.startsWith(`${target}.`) && /^\d+$/.test(name.slice(target.length + 1));
}
