import type { CommandContext } from '../types';
import { Out, failure, ok } from '../io';
import { getopt, has } from '../getopt';
import { errnoMessage } from '../../vfs/errno';
import { absPath, tryHelp } from './util';
import { defineCommand } from './define';
import { NO_TREE_OPS, joinPath, lastComponent, lstatEntry, lstatOperand, q, treeOps, type TreeOps } from './fileops';

export const rm = defineCommand({
  name: 'rm',
  summary: 'remove files or directories',
  category: 'files',
  argKind: 'path',
  completions: ['-f', '-r', '-v'],
  synopsis: ['rm [-f] [-r] [-v] FILE...'],
  description: [
    'Removes each FILE. Removing a file takes write and search permission on the directory that holds it, not on the file itself; in a directory with the sticky bit (/tmp) only the file\'s owner, the directory\'s owner or root may remove it.',
    'A directory is removed only with -r, which removes everything under it first. The space a removed file took comes back (see df).',
  ],
  options: [
    ['-f', 'Say nothing about files that do not exist, and never fail for want of operands.'],
    ['-r, -R', 'Remove directories and their contents.'],
    ['-d', 'Remove empty directories too.'],
    ['-v', 'Say what is removed.'],
  ],
  examples: [
    ['rm /tmp/out.txt', 'Remove one file.'],
    ['rm -rv /tmp/old', 'Remove a directory and all under it, naming each.'],
  ],
  notes: ['rm here never asks before removing: -i and -I are refused, and a write-protected file is removed without the question a terminal would get.'],
  run(ctx) {
    const p = getopt('rm', ctx.argv.slice(1), [
      { key: 'f', short: 'f', long: 'force' },
      { key: 'r', short: 'r', long: 'recursive' },
      { key: 'r', short: 'R' },
      { key: 'd', short: 'd', long: 'dir' },
      { key: 'v', short: 'v', long: 'verbose' },
      { key: 'i', short: 'i' },
      { key: 'i', short: 'I' },
      { key: 'i', long: 'interactive', arg: 'optional' },
      { key: 'one', long: 'one-file-system' },
      { key: 'keep', long: 'preserve-root' },
      { key: 'noroot', long: 'no-preserve-root' },
    ], { builtinHelp: true });
    if (p.help) return ok('Usage: rm [OPTION]... FILE...\nRemove (unlink) the FILE(s).\n');
    if (p.error !== undefined) return tryHelp('rm', p.error);
    if (has(p.opts, 'i')) return failure('rm: -i, -I and --interactive ask before each removal, which this world does not do: nothing was removed\n');
    if (has(p.opts, 'noroot')) return failure('rm: --no-preserve-root is not simulated: nothing was removed\n');
    const force = has(p.opts, 'f');
    if (p.operands.length === 0) return force ? ok() : tryHelp('rm', 'rm: missing operand');
    const fs = treeOps(ctx);
    if (!fs) return failure(`rm: ${NO_TREE_OPS}\n`);
    const run = new Removal(ctx, fs, force, has(p.opts, 'r'), has(p.opts, 'd'), has(p.opts, 'v'));
    let failed = false;
    for (const name of p.operands) if (!run.operand(name)) failed = true;
    return run.out.done(failed ? 1 : 0);
  },
});

/** One rm: each operand as fts hands it to rm's remove.c, depth first. */
class Removal {
  readonly out = new Out();

  constructor(
    private readonly ctx: CommandContext,
    private readonly fs: TreeOps,
    private readonly force: boolean,
    private readonly recursive: boolean,
    private readonly dirs: boolean,
    private readonly verbose: boolean,
  ) {}

  operand(name: string): boolean {
    const path = absPath(this.ctx, name);
    // a link is removed, not what it names (unless a trailing slash asks for that)
    const st = lstatOperand(this.ctx, name, path);
    if (!st.ok) {
      if (st.errno === 'ENOENT' && this.force) return true;
      return this.fail(name, st.errno);
    }
    if (st.value.type === 'dir') {
      if (!this.recursive && !this.dirs) return this.fail(name, 'EISDIR');
      if (this.recursive) {
        const base = lastComponent(name);
        if (base === '.' || base === '..') {
          this.out.errLine(`rm: cannot remove directory: ${q(name)}`);
          return false;
        }
        if (path === '/') {
          this.out.errLine(`rm: it is dangerous to operate recursively on ${q('/')}`);
          this.out.errLine('rm: use --no-preserve-root to override this failsafe');
          return false;
        }
      }
    }
    return this.remove(name, path, st.value.type === 'dir');
  }

  private remove(name: string, path: string, isDir: boolean): boolean {
    if (!isDir) {
      const r = this.fs.unlink(path, this.ctx.user);
      if (!r.ok) return this.fail(name, r.errno);
      if (this.verbose) this.out.out(`removed ${q(name)}\n`);
      return true;
    }
    if (this.recursive) {
      const listed = this.ctx.env.fs.list(path, this.ctx.user);
      if (!listed.ok) return this.fail(name, listed.errno);
      let all = true;
      for (const child of listed.value) {
        const childPath = path === '/' ? `/${child}` : `${path}/${child}`;
        const st = lstatEntry(this.ctx, childPath);
        if (!st.ok) {
          all = this.fail(joinPath(name, child), st.errno) && all;
          continue;
        }
        all = this.remove(joinPath(name, child), childPath, st.value.type === 'dir') && all;
      }
      // a directory whose contents could not all go is left, with nothing more said about it
      if (!all) return false;
    }
    const r = this.fs.rmdir(path, this.ctx.user);
    if (!r.ok) return this.fail(name, r.errno);
    if (this.verbose) this.out.out(`removed directory: ${q(name)}\n`);
    return true;
  }

  private fail(name: string, errno: Parameters<typeof errnoMessage>[0]): false {
    this.out.errLine(`rm: cannot remove ${q(name)}: ${errnoMessage(errno)}`);
    return false;
  }
}
