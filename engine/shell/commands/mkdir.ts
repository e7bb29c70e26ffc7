import { Out, failure, ok } from '../io';
import { getopt, has, last } from '../getopt';
import { errnoMessage } from '../../vfs/errno';
import { ancestorsOf } from '../../vfs/path';
import { absPath, tryHelp } from './util';
import { defineCommand } from './define';
import { NO_TREE_OPS, loginUmask, q, treeOps } from './fileops';
import { adjustMode, compileMode } from './modeChange';

export const mkdir = defineCommand({
  name: 'mkdir',
  summary: 'make directories',
  category: 'files',
  argKind: 'path',
  completions: ['-p', '-m', '-v'],
  synopsis: ['mkdir [-p] [-m MODE] [-v] DIRECTORY...'],
  description: [
    'Makes each DIRECTORY, which takes write and search permission on the directory it goes in. A new directory gets mode 777 less the umask (775 for a user with a group of their own, 755 for root) unless -m gives it.',
  ],
  options: [
    ['-p', 'Make missing parent directories as well, and say nothing if DIRECTORY already exists.'],
    ['-m MODE', 'Give the new directory this mode: octal (700) whatever the umask, or symbolic, applied to rwxrwxrwx (go-w; a class left out takes the umask).'],
    ['-v', 'Say each directory made.'],
  ],
  examples: [
    ['mkdir -p /tmp/a/b/c', 'Make a path of directories at once.'],
    ['mkdir -m 700 ~/private', 'A directory only its owner can enter.'],
  ],
  run(ctx) {
    const p = getopt('mkdir', ctx.argv.slice(1), [
      { key: 'p', short: 'p', long: 'parents' },
      { key: 'm', short: 'm', long: 'mode', arg: 'required' },
      { key: 'v', short: 'v', long: 'verbose' },
    ], { builtinHelp: true });
    if (p.help) return ok('Usage: mkdir [OPTION]... DIRECTORY...\nCreate the DIRECTORY(ies), if they do not already exist.\n');
    if (p.error !== undefined) return tryHelp('mkdir', p.error);
    if (p.operands.length === 0) return tryHelp('mkdir', 'mkdir: missing operand');
    const modeArg = last(p.opts, 'm');
    let mode: number | undefined;
    if (modeArg !== undefined) {
      // mkdir.c: the mode's changes applied to rwxrwxrwx, as a directory's, with the umask where no class is named
      const changes = compileMode(modeArg);
      if (!changes) return failure(`mkdir: invalid mode ${q(modeArg)}\n`);
      mode = adjustMode(0o777, true, loginUmask(ctx), changes);
    }
    const fs = treeOps(ctx);
    if (!fs) return failure(`mkdir: ${NO_TREE_OPS}\n`);
    const parents = has(p.opts, 'p');
    const verbose = has(p.opts, 'v');
    const out = new Out();
    let code = 0;
    const made = (name: string) => {
      if (verbose) out.out(`mkdir: created directory ${q(name)}\n`);
    };
    for (const name of p.operands) {
      const path = absPath(ctx, name);
      if (parents) {
        // each missing ancestor as mkdir -p makes it: u+wx on top of the umask, named as spelled
        for (const anc of ancestorsOf(path)) {
          if (ctx.env.fs.stat(anc).ok) continue;
          const r = fs.mkdir(anc, ctx.user);
          if (!r.ok && r.errno !== 'EEXIST') break;
          if (r.ok) made(spelled(name, path, anc));
        }
        const st = ctx.env.fs.stat(path);
        if (st.ok && st.value.type === 'dir') continue;
      }
      const r = fs.mkdir(path, ctx.user, mode ?? 0o777);
      if (!r.ok) {
        out.errLine(`mkdir: cannot create directory ${q(name)}: ${errnoMessage(r.errno)}`);
        code = 1;
        continue;
      }
      if (mode !== undefined) fs.chmod(path, ctx.user, mode);
      made(name);
    }
    return out.done(code);
  },
});

/** an ancestor's name as the operand spells it: a/b/c made from a/b gives a/b */
function spelled(name: string, full: string, anc: string): string {
  const up = full.slice(anc.length).split('/').filter(Boolean).length;
  const parts = name.replace(/\/+$/, '').split('/');
  return parts.slice(0, parts.length - up).join('/') || '/';
}
