import type { CommandContext, FsResult, FsStat } from '../types';
import { normalizePath } from '../../vfs/path';

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
  statAs(path: string, user: string): FsResult<FsStat>;
}

export function treeOps(ctx: CommandContext): TreeOps | undefined {
  const fs = ctx.env.fs as unknown as Partial<TreeOps>;
  return typeof fs.unlink === 'function' && typeof fs.rename === 'function' ? (fs as TreeOps) : undefined;
}

export const NO_TREE_OPS = 'this filesystem cannot be changed from the shell here';

/** what ln and cp say where the VFS answers ENOTSIM to symlink(2): only the block filesystems keep links */
export const LINKS_NOT_SIMULATED = 'symbolic links are simulated only on the block volumes (see mount), not here';

/** the umask a login gets from pam_umask: 002 for a user with a group of their own, 022 for root */
export function loginUmask(ctx: CommandContext): number {
  const groups = (ctx.env.fs as unknown as { groupsOf?(u: string): string[] }).groupsOf?.(ctx.user) ?? [];
  return ctx.user !== 'root' && groups[0] === ctx.user ? 0o002 : 0o022;
}

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

/**
 * cp's and mv's operands as their do_copy/do_move read them: the last is the target; a target
 * that is a directory takes every source under its own name, and more than one source needs one.
 * Either the pairs to act on or the complaint (usage errors come with their Try line).
 */
export function sourcesAndTarget(
  ctx: CommandContext,
  prog: string,
  operands: readonly string[],
): { pairs: { src: string; dst: string }[] } | { usage: string } | { fatal: string } {
  if (operands.length === 0) return { usage: `${prog}: missing file operand` };
  if (operands.length === 1) return { usage: `${prog}: missing destination file operand after ${q(operands[0])}` };
  const target = operands[operands.length - 1];
  const sources = operands.slice(0, -1);
  const st = ctx.env.fs.stat(normalizePath(target, ctx.cwd));
  if (st.ok && st.value.type === 'dir') return { pairs: sources.map((src) => ({ src, dst: joinPath(target, lastComponent(src)) })) };
  if (sources.length > 1) return { fatal: `${prog}: target ${q(target)} is not a directory` };
  return { pairs: [{ src: sources[0], dst: target }] };
}

/** The link calls GameVfs has (engine/vfs/vfs.ts); a bare VFS without them has no links at all. */
export interface LinkOps {
  lstat(path: string, user: string): FsResult<FsStat>;
  readlink(path: string, user: string): FsResult<string>;
  symlink(target: string, path: string, user: string): FsResult<void>;
  chown(path: string, user: string, owner: string, group: string, follow?: boolean): FsResult<void>;
}

export function linkOps(ctx: CommandContext): LinkOps | undefined {
  const fs = ctx.env.fs as unknown as Partial<LinkOps>;
  return typeof fs.lstat === 'function' && typeof fs.symlink === 'function' ? (fs as LinkOps) : undefined;
}

/**
 * lstat(2) of an operand as the shell typed it: a trailing slash makes the kernel follow a link
 * to what it names (so `rm -r LINK/` reaches the directory, `rm LINK` the link).
 */
export function lstatOperand(ctx: CommandContext, name: string, path: string): FsResult<FsStat> {
  const links = linkOps(ctx);
  if (!links || /\/$/.test(name)) {
    const tree = treeOps(ctx);
    return tree ? tree.statAs(path, ctx.user) : ctx.env.fs.stat(path);
  }
  return links.lstat(path, ctx.user);
}

/**
 * lstat of a name in a directory being walked (fts's FTS_PHYSICAL), stat where there are no links.
 * Like the VFS's stat, it asks no permission: the walker has listed the directory already.
 */
export function lstatEntry(ctx: CommandContext, path: string): FsResult<FsStat> {
  const links = linkOps(ctx);
  return links ? links.lstat(path, 'root') : ctx.env.fs.stat(path);
}
