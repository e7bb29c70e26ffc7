import type { CommandContext, FsResult } from '../types';

/**
 * The calls that change a directory tree, as GameVfs has them (engine/vfs/vfs.ts). A shell
 * without them (a test's bare VFS) answers with one line saying so.
 */
export interface TreeOps {
  unlink(path: string, user: string): FsResult<void>;
  mkdir(path: string, user: string, mode?: number): FsResult<void>;
  rmdir(path: string, user: string): FsResult<void>;
  rename(from: string, to: string, user: string): FsResult<void>;
  utime(path: string, user: string, mtime: number | null): FsResult<void>;
  chmod(path: string, user: string, mode: number): FsResult<void>;
  copyFile(from: string, to: string, user: string): FsResult<void>;
}

export function treeOps(ctx: CommandContext): TreeOps | undefined {
  const fs = ctx.env.fs as unknown as Partial<TreeOps>;
  return typeof fs.unlink === 'function' && typeof fs.rename === 'function' ? (fs as TreeOps) : undefined;
}

export const NO_TREE_OPS = 'this filesystem cannot be changed from the shell here';

/** coreutils 8.21's quote() in a UTF-8 locale: ‘name’ */
export function q(name: string): string {
  return `\u2018${name}\u2019`;
}


/** last component of a path as basename(1) gives it, trailing slashes ignored */
export function lastComponent(p: string): string {
  const t = p.replace(/\/+$/, '');
  if (t === '') return '/';
  return t.slice(t.lastIndexOf('/') + 1);
}

/** operand joined to a name under it, as fts and cp spell the path in messages */
export function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}
