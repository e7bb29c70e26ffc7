/**
 * Reading a file the player (or anyone) may have put anywhere: only a plain file is read, never a
 * device, a FIFO, a socket or a folder, and never more than a limit, whatever the file system says
 * its size is. `/dev/zero` as a save, a FIFO as a slot, a 20 GB file: each is refused at once.
 *
 * The file is opened with O_NONBLOCK (opening a FIFO would otherwise wait for a writer forever) and,
 * unless links are to be followed, O_NOFOLLOW; what was opened is then checked with fstat, so
 * nothing can be swapped in between the check and the read.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, promises as fs, readSync } from 'node:fs';
import { formatBytes, kindOf, PlainFileError } from './fsErrors';

interface ReadOptions {
  /** follow a symbolic link to the file it names (default false: a link is refused) */
  followLinks?: boolean;
}

const CHUNK = 1024 * 1024;

/** The file's bytes; null when it does not exist. Throws a PlainFileError (words) or the system's error. */
export async function readFileLimited(file: string, maxBytes: number, opts: ReadOptions = {}): Promise<Buffer | null> {
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (opts.followLinks ? 0 : (constants.O_NOFOLLOW ?? 0));
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, flags);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP' || code === 'EMLINK') {
      // O_NOFOLLOW met a link (Linux says ELOOP, the BSDs EMLINK); say what it is
      const st = await fs.lstat(file).catch(() => null);
      if (st?.isSymbolicLink()) throw new PlainFileError('it is a symbolic link, not a plain file', code);
    }
    throw e;
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new PlainFileError(`it is ${kindOf(st)}, not a plain file`, 'ENOTFILE');
    if (st.size > maxBytes) throw tooBig(st.size, maxBytes);
    // read at most maxBytes + 1, whatever the size said: a file can grow, a file system can lie
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const want = Math.min(CHUNK, maxBytes + 1 - total);
      const buf = Buffer.allocUnsafe(want);
      const { bytesRead } = await handle.read(buf, 0, want, null);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw tooBig(null, maxBytes);
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function tooBig(size: number | null, maxBytes: number): PlainFileError {
  const what = size === null ? `more than ${formatBytes(maxBytes)}` : formatBytes(size);
  return new PlainFileError(`it is ${what}, larger than any save (the game reads at most ${formatBytes(maxBytes)})`, 'EFBIG');
}

/** The first `n` bytes of a plain file (for recognising it); null when it does not exist. Same rules as readFileLimited. */
export async function readHead(file: string, n: number, opts: ReadOptions = {}): Promise<Buffer | null> {
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (opts.followLinks ? 0 : (constants.O_NOFOLLOW ?? 0));
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, flags);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new PlainFileError(`it is ${kindOf(st)}, not a plain file`, 'ENOTFILE');
    const buf = Buffer.alloc(n);
    let total = 0;
    while (total < n) {
      const { bytesRead } = await handle.read(buf, total, n - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    return buf.subarray(0, total);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Opens `file` for a synchronous read: a plain file only (never a link, a FIFO or a device) and at
 * most maxBytes long. Null when it does not exist; the caller closes the descriptor.
 */
function openPlainSync(file: string, maxBytes: number): { fd: number; size: number } | null {
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);
  let fd: number;
  try {
    fd = openSync(file, flags);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP' || code === 'EMLINK') {
      let link = false;
      try {
        link = lstatSync(file).isSymbolicLink();
      } catch {
        // gone: say what open said
      }
      if (link) throw new PlainFileError('it is a symbolic link, not a plain file', code);
    }
    throw e;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new PlainFileError(`it is ${kindOf(st)}, not a plain file`, 'ENOTFILE');
    if (st.size > maxBytes) throw tooBig(st.size, maxBytes);
    return { fd, size: st.size };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/** A small file's bytes, read synchronously with readFirstLineSync's care; null when it does not exist. */
export function readSmallFileSync(file: string, maxBytes: number): Buffer | null {
  const opened = openPlainSync(file, maxBytes);
  if (!opened) return null;
  const { fd } = opened;
  try {
    let buf = Buffer.alloc(Math.min(maxBytes, Math.max(opened.size, 1024)));
    let total = 0;
    for (;;) {
      if (total === buf.length) {
        if (buf.length >= maxBytes) break;
        const bigger = Buffer.alloc(Math.min(maxBytes, buf.length * 2));
        buf.copy(bigger, 0, 0, total);
        buf = bigger;
      }
      const n = readSync(fd, buf, total, buf.length - total, total);
      if (n === 0) break;
      total += n;
    }
    return buf.subarray(0, total);
  } finally {
    closeSync(fd);
  }
}

/**
 * The first bytes of a plain file, up to its first newline (at most `max` bytes), and its size:
 * what a save list reads of a slot file. Null when it does not exist. Same rules as
 * readFileLimited: never a link, a FIFO (O_NONBLOCK: opening one never waits) or a device, and a
 * file larger than maxBytes is refused as it would be when read whole. Synchronous on purpose: a
 * list of 300 slots makes 300 × 4 small calls, and each asynchronous one waits its turn in a pool
 * of four threads, where the synchronous ones on files the system has cached take microseconds.
 */
export function readFirstLineSync(file: string, max: number, maxBytes: number): { head: Buffer; size: number } | null {
  const opened = openPlainSync(file, maxBytes);
  if (!opened) return null;
  const { fd } = opened;
  try {
    let buf = Buffer.alloc(Math.min(4096, max));
    let total = 0;
    for (;;) {
      const n = readSync(fd, buf, total, buf.length - total, total);
      if (n === 0) break;
      total += n;
      const nl = buf.subarray(0, total).indexOf(0x0a);
      // a byte past the newline too, so the caller can tell a header followed by a body
      if (nl >= 0 && total > nl + 1) break;
      if (total === buf.length) {
        if (buf.length >= max) break;
        const bigger = Buffer.alloc(Math.min(max, buf.length * 4));
        buf.copy(bigger, 0, 0, total);
        buf = bigger;
      }
    }
    return { head: buf.subarray(0, total), size: opened.size };
  } finally {
    closeSync(fd);
  }
}
