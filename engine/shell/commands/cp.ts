import type { CommandContext, FsStat } from '../types';
import { Out, failure, ok } from '../io';
import { getopt, has } from '../getopt';
import { errnoMessage } from '../../vfs/errno';
import { absPath, tryHelp } from './util';
import { defineCommand } from './define';
import { LINKS_NOT_SIMULATED, NO_TREE_OPS, joinPath, linkOps, lstatEntry, loginUmask, lstatOperand, q, sourcesAndTarget, treeOps, type TreeOps } from './fileops';

export const cp = defineCommand({
  name: 'cp',
  summary: 'copy files and directories',
  category: 'files',
  argKind: 'path',
  completions: ['-r', '-p', '-a', '-v'],
  synopsis: ['cp [-r] [-p] [-v] SOURCE DEST', 'cp [-r] [-p] [-v] SOURCE... DIRECTORY'],
  description: [
    'Copies SOURCE to DEST, or each SOURCE into DIRECTORY under its own name. Reading the source takes read permission on it; the copy is made as the user running cp, who owns it. A new copy gets the source\'s mode less the umask.',
  ],
  options: [
    ['-r, -R', 'Copy directories and everything under them.'],
    ['-p', 'Keep the source\'s mode and modification time.'],
    ['-a', 'The same as -r -p -P.'],
    ['-P, -d', 'Copy a symbolic link as a link (the default with -r).'],
    ['-L', 'Follow symbolic links and copy what they name (the default without -r).'],
    ['-v', 'Say each file copied, as \u2018SOURCE\u2019 -> \u2018DEST\u2019.'],
  ],
  examples: [
    ['cp /etc/sysctl.conf /tmp/sysctl.conf.orig', 'Keep a copy before editing.'],
    ['cp -a /etc/cron.d ~/cron.d-backup', 'A whole directory, modes and times kept.'],
  ],
  notes: ['Owners are never kept (cp -p as root makes root\'s copies). Symbolic links exist only on the block volumes; there are no hard links or special files to copy.'],
  run(ctx) {
    const p = getopt('cp', ctx.argv.slice(1), [
      { key: 'r', short: 'r', long: 'recursive' },
      { key: 'r', short: 'R' },
      { key: 'p', short: 'p' },
      { key: 'a', short: 'a', long: 'archive' },
      { key: 'v', short: 'v', long: 'verbose' },
      { key: 'f', short: 'f', long: 'force' },
      { key: 'n', short: 'n', long: 'no-clobber' },
      { key: 'i', short: 'i', long: 'interactive' },
      { key: 'deref', short: 'L', long: 'dereference' },
      { key: 'noderef', short: 'P', long: 'no-dereference' },
      { key: 'noderef', short: 'd' },
    ], { builtinHelp: true });
    if (p.help) return ok('Usage: cp [OPTION]... [-T] SOURCE DEST\n  or:  cp [OPTION]... SOURCE... DIRECTORY\n  or:  cp [OPTION]... -t DIRECTORY SOURCE...\nCopy SOURCE to DEST, or multiple SOURCE(s) to DIRECTORY.\n');
    if (p.error !== undefined) return tryHelp('cp', p.error);
    if (has(p.opts, 'i')) return failure('cp: -i asks before overwriting, which this world does not do: nothing was copied\n');
    const plan = sourcesAndTarget(ctx, 'cp', p.operands);
    if ('usage' in plan) return tryHelp('cp', plan.usage);
    if ('fatal' in plan) return failure(plan.fatal + '\n');
    const fs = treeOps(ctx);
    if (!fs) return failure(`cp: ${NO_TREE_OPS}\n`);
    const archive = has(p.opts, 'a');
    // cp.c: -a, -d and -P copy a link as a link, -L follows; neither given, -r copies links and a plain cp follows them (the later option wins)
    const deref = p.opts.filter((o) => o.key === 'deref' || o.key === 'noderef' || o.key === 'a').pop()?.key;
    const copier = new Copier(ctx, fs, {
      follow: deref === undefined ? !has(p.opts, 'r') : deref === 'deref',
      recursive: archive || has(p.opts, 'r'),
      preserve: archive || has(p.opts, 'p'),
      verbose: has(p.opts, 'v'),
      noClobber: has(p.opts, 'n'),
    });
    let failed = false;
    for (const { src, dst } of plan.pairs) if (!copier.top(src, dst)) failed = true;
    return copier.out.done(failed ? 1 : 0);
  },
});

interface CopyOpts {
  /** follow symbolic links (cp.c's DEREF_ALWAYS) rather than copy them as links */
  follow: boolean;
  recursive: boolean;
  preserve: boolean;
  verbose: boolean;
  noClobber: boolean;
}

/** copy.c's copy_internal, for the regular files and directories this world has */
class Copier {
  readonly out = new Out();
  private readonly umask: number;

  constructor(
    private readonly ctx: CommandContext,
    private readonly fs: TreeOps,
    private readonly o: CopyOpts,
  ) {
    this.umask = loginUmask(ctx);
  }

  top(src: string, dst: string): boolean {
    const srcPath = absPath(this.ctx, src);
    const dstPath = absPath(this.ctx, dst);
    const st = this.o.follow ? this.fs.statAs(srcPath, this.ctx.user) : lstatOperand(this.ctx, src, srcPath);
    if (!st.ok) return this.fail(`cannot stat ${q(src)}: ${errnoMessage(st.errno)}`);
    if (st.value.type === 'dir' && this.o.recursive && (dstPath === srcPath || dstPath.startsWith(srcPath === '/' ? '/' : srcPath + '/'))) {
      return this.fail(`cannot copy a directory, ${q(src)}, into itself, ${q(dst)}`);
    }
    return this.copy(src, srcPath, st.value, dst, dstPath);
  }

  private copy(src: string, srcPath: string, st: FsStat, dst: string, dstPath: string): boolean {
    if (st.type === 'dir' && !this.o.recursive) return this.fail(`omitting directory ${q(src)}`);
    const existing = this.ctx.env.fs.stat(dstPath);
    if (existing.ok) {
      if (dstPath === srcPath) return this.fail(`${q(src)} and ${q(dst)} are the same file`);
      if (existing.value.type === 'dir' && st.type !== 'dir') return this.fail(`cannot overwrite directory ${q(dst)} with non-directory`);
      if (existing.value.type !== 'dir' && st.type === 'dir') return this.fail(`cannot overwrite non-directory ${q(dst)} with directory ${q(src)}`);
      if (this.o.noClobber) return true;
    }
    if (st.type === 'link') return this.copyLink(src, st, dst, dstPath, existing.ok);
    const mode = this.o.preserve ? st.mode : st.mode & ~this.umask;
    if (st.type === 'dir') return this.copyDir(src, srcPath, st, dst, dstPath, existing.ok, mode);
    const readable = this.ctx.env.fs.read(srcPath, this.ctx.user);
    if (!readable.ok) return this.fail(`cannot open ${q(src)} for reading: ${errnoMessage(readable.errno)}`);
    const w = this.fs.copyFile(srcPath, dstPath, this.ctx.user);
    if (!w.ok) return this.fail(`cannot create regular file ${q(dst)}: ${errnoMessage(w.errno)}`);
    if (this.o.verbose) this.out.out(`${q(src)} -> ${q(dst)}\n`);
    // an existing file keeps its mode unless -p; a new one gets the source's, less the umask
    if (!existing.ok || this.o.preserve) this.fs.chmod(dstPath, this.ctx.user, mode);
    if (this.o.preserve) return this.keepTime(dst, dstPath, st);
    return true;
  }

  private copyDir(src: string, srcPath: string, st: FsStat, dst: string, dstPath: string, exists: boolean, mode: number): boolean {
    if (!exists) {
      const made = this.fs.mkdir(dstPath, this.ctx.user, 0o700);
      if (!made.ok) return this.fail(`cannot create directory ${q(dst)}: ${errnoMessage(made.errno)}`);
      if (this.o.verbose) this.out.out(`${q(src)} -> ${q(dst)}\n`);
    }
    const listed = this.ctx.env.fs.list(srcPath, this.ctx.user);
    let all = true;
    if (!listed.ok) all = this.fail(`cannot access ${q(src)}: ${errnoMessage(listed.errno)}`);
    else {
      for (const name of listed.value) {
        const childSrc = srcPath === '/' ? `/${name}` : `${srcPath}/${name}`;
        const cst = this.o.follow ? this.ctx.env.fs.stat(childSrc) : lstatEntry(this.ctx, childSrc);
        if (!cst.ok) {
          all = this.fail(`cannot stat ${q(joinPath(src, name))}: ${errnoMessage(cst.errno)}`) && all;
          continue;
        }
        all = this.copy(joinPath(src, name), childSrc, cst.value, joinPath(dst, name), `${dstPath}/${name}`, ) && all;
      }
    }
    // the directory's own mode goes on last, as copy.c does, so a read-only one could still be filled
    if (!exists || this.o.preserve) this.fs.chmod(dstPath, this.ctx.user, mode);
    return all;
  }

  /** copy.c: a link copied as a link, an existing file in its way unlinked first */
  private copyLink(src: string, st: FsStat, dst: string, dstPath: string, exists: boolean): boolean {
    const links = linkOps(this.ctx);
    if (!links) return this.fail(`cannot read symbolic link ${q(src)}: ${errnoMessage('EINVAL')}`);
    if (exists) {
      const gone = this.fs.unlink(dstPath, this.ctx.user);
      if (!gone.ok) return this.fail(`cannot remove ${q(dst)}: ${errnoMessage(gone.errno)}`);
    }
    const made = links.symlink(st.target ?? '', dstPath, this.ctx.user);
    if (!made.ok && made.errno === 'ENOTSIM') return this.fail(`cannot create symbolic link ${q(dst)}: ${LINKS_NOT_SIMULATED}`);
    if (!made.ok) return this.fail(`cannot create symbolic link ${q(dst)}: ${errnoMessage(made.errno)}`);
    if (this.o.verbose) this.out.out(`${q(src)} -> ${q(dst)}\n`);
    return true;
  }

  private keepTime(dst: string, dstPath: string, st: FsStat): boolean {
    const r = this.fs.utime(dstPath, this.ctx.user, st.mtime);
    return r.ok || this.fail(`preserving times for ${q(dst)}: ${errnoMessage(r.errno)}`);
  }

  private fail(message: string): false {
    this.out.errLine(`cp: ${message}`);
    return false;
  }
}
