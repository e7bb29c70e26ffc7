import type { Errno } from '../shell/types';

/** The strerror(3) text glibc prints for each errno the VFS can return. */
export function errnoMessage(errno: Errno): string {
  switch (errno) {
    case 'ENOENT':
      return 'No such file or directory';
    case 'EACCES':
      return 'Permission denied';
    case 'EISDIR':
      return 'Is a directory';
    case 'ENOTDIR':
      return 'Not a directory';
    case 'EINVAL':
      return 'Invalid argument';
    case 'EROFS':
      return 'Read-only file system';
    case 'EPERM':
      return 'Operation not permitted';
    case 'EEXIST':
      return 'File exists';
    case 'ENOSPC':
      return 'No space left on device';
    case 'EDQUOT':
      return 'Disk quota exceeded';
    case 'ESRCH':
      return 'No such process';
    case 'EBUSY':
      return 'Device or resource busy';
    case 'ENOMEM':
      return 'Cannot allocate memory';
    case 'ENOTEMPTY':
      return 'Directory not empty';
    case 'EXDEV':
      return 'Invalid cross-device link';
    case 'ELOOP':
      return 'Too many levels of symbolic links';
    case 'ENOTSIM':
      return 'changing this file is not simulated (its lines are rendered from the log records)';
  }
}
