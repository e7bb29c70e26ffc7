import { Out, failure, ok } from '../io';
import { getopt, has } from '../getopt';
import { errnoMessage } from '../../vfs/errno';
import { normalizePath } from '../../vfs/path';
import { absPath, tryHelp } from './util';
import { defineCommand } from './define';
import { NO_TREE_OPS, q, treeOps } from './fileops';

export const rmdir = defineCommand({
  name: 'rmdir',
  summary: 'remove empty directories',
  category: 'files',
  argKind: 'path',
  completions: ['-p', '-v'],
  synopsis: ['rmdir [-p] [-v] DIRECTORY...'],
  description: ['Removes each DIRECTORY, which must be empty (rm -r removes a directory with what is in it).'],
  options: [
    ['-p', 'Remove DIRECTORY, then each parent named in it: rmdir -p a/b/c removes a/b/c, a/b and a.'],
    ['--ignore-fail-on-non-empty', 'Say nothing of directories that are not empty.'],
    ['-v', 'Say each directory removed.'],
  ],
  examples: [['rmdir -p /tmp/a/b/c', 'Remove a chain of empty directories.']],
  run(ctx) {
    const p = getopt('rmdir', ctx.argv.slice(1), [
      { key: 'p', short: 'p', long: 'parents' },
      { key: 'v', short: 'v', long: 'verbose' },
      { key: 'ign', long: 'ignore-fail-on-non-empty' },
    ], { builtinHelp: true });
    if (p.help) return ok('Usage: rmdir [OPTION]... DIRECTORY...\nRemove the DIRECTORY(ies), if they are empty.\n');
    if (p.error !== undefined) return tryHelp('rmdir', p.error);
    if (p.operands.length === 0) return tryHelp('rmdir', 'rmdir: missing operand');
    const fs = treeOps(ctx);
    if (!fs) return failure(`rmdir: ${NO_TREE_OPS}\n`);
    const verbose = has(p.opts, 'v');
    const ignoreNonEmpty = has(p.opts, 'ign');
    const out = new Out();
    let code = 0;
    for (const name of p.operands) {
      if (verbose) out.out(`rmdir: removing directory, ${q(name)}\n`);
      const r = fs.rmdir(absPath(ctx, name), ctx.user);
      if (!r.ok) {
        if (!(ignoreNonEmpty && r.errno === 'ENOTEMPTY')) {
          out.errLine(`rmdir: failed to remove ${q(name)}: ${errnoMessage(r.errno)}`);
          code = 1;
        }
        continue;
      }
      if (!has(p.opts, 'p')) continue;
      // rmdir.c's remove_parents: strip the last component of the operand as written, again and again
      let dir = name.replace(/\/+$/, '');
      for (;;) {
        let slash = dir.lastIndexOf('/');
        if (slash < 0) break;
        while (slash > 0 && dir[slash] === '/') slash--;
        dir = dir.slice(0, slash + 1);
        if (verbose) out.out(`rmdir: removing directory, ${q(dir)}\n`);
        const up = fs.rmdir(normalizePath(dir, ctx.cwd), ctx.user);
        if (!up.ok) {
          if (!(ignoreNonEmpty && up.errno === 'ENOTEMPTY')) {
            out.errLine(`rmdir: failed to remove directory ${q(dir)}: ${errnoMessage(up.errno)}`);
            code = 1;
          }
          break;
        }
      }
    }
    return out.done(code);
  },
});
