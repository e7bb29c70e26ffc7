/**
 * File-system failures in words. A player reads "the disk is full", not "ENOSPC: no space left on
 * device, write", and never the name of a temporary file.
 */

const WORDS: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'your disk quota is used up',
  EFBIG: 'the file would be larger than this file system allows',
  EACCES: 'permission denied',
  EPERM: 'the operating system does not allow it',
  EROFS: 'the disk is read-only',
  EIO: 'the disk reported an input/output error',
  ENOENT: 'the file or its folder does not exist',
  ENOTDIR: 'part of the path is not a folder',
  EISDIR: 'it is a folder',
  ELOOP: 'it is a symbolic link',
  EMLINK: 'it is a symbolic link',
  EMFILE: 'too many files are open',
  ENFILE: 'too many files are open on this system',
  ENAMETOOLONG: 'the name is too long',
  EBUSY: 'the file is in use',
  ETXTBSY: 'the file is in use',
  EXDEV: 'it is on another disk',
  ENXIO: 'it is not a file (a socket, or a device with nothing behind it)',
  ENODEV: 'it is a device, not a file',
  EAGAIN: 'it is not ready to be read',
  EWOULDBLOCK: 'it is not ready to be read',
  EINVAL: 'the file system refused the operation',
  EEXIST: 'it already exists',
  ENOTEMPTY: 'the folder is not empty',
  ENOTSUP: 'the file system does not support it',
  EOPNOTSUPP: 'the file system does not support it',
};

/** An error whose message is already in words for the player. */
export class PlainFileError extends Error {
  override readonly name: string = 'PlainFileError';
  constructor(
    /** words, e.g. 'the disk is full' */
    readonly reason: string,
    readonly code?: string,
  ) {
    super(reason);
  }
}

/** What went wrong, in words, without error codes or paths. */
export function describeFsError(e: unknown): string {
  if (e instanceof PlainFileError) return e.reason;
  const err = e as NodeJS.ErrnoException | null;
  const code = err && typeof err === 'object' && typeof err.code === 'string' ? err.code : undefined;
  if (code && Object.prototype.hasOwnProperty.call(WORDS, code)) return WORDS[code]!;
  if (e instanceof Error) {
    // "EXYZ: what happened, syscall '/some/path'" → "what happened"
    const text = e.message
      .replace(/^[A-Z][A-Z0-9_]+: /, '')
      .replace(/, \w+(?: '[^']*')?(?: -> '[^']*')?$/, '')
      .trim();
    return text.length > 0 ? text : 'an unknown error';
  }
  return String(e);
}

/** 'a folder', 'a named pipe (FIFO)'... for a file that is not a plain file. */
export function kindOf(st: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean; isSymbolicLink(): boolean }): string {
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice()) return 'a device';
  if (st.isBlockDevice()) return 'a disk device';
  if (st.isSocket()) return 'a socket';
  return 'not a plain file';
}

/** '64 MiB', '1.5 KiB', '12 bytes' */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = -1;
  do {
    v /= 1024;
    u++;
  } while (v >= 1024 && u < units.length - 1);
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[u]}`;
}
