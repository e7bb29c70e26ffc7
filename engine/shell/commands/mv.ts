import { Out, failure, ok } from '../io';
import { getopt, has } from '../getopt';
import { errnoMessage } from '../../vfs/errno';
import { absPath, tryHelp } from './util';
import { defineCommand } from './define';
import { NO_TREE_OPS, lstatOperand, q, sourcesAndTarget, treeOps } from './fileops';

export const mv = defineCommand({
  name: 'mv',
  summary: 'move (rename) files',
  category: 'files',
  argKind: 'path',
  completions: ['-f', '-n', '-v'],
  synopsis: ['mv [-f] [-n] [-v] SOURCE DEST', 'mv [-f] [-n] [-v] SOURCE... DIRECTORY'],
  description: [
    'Renames SOURCE to DEST, or moves each SOURCE into DIRECTORY under its own name. Moving takes write and search permission on both directories (and, in a sticky directory such as /tmp, owning the file); the file itself is not copied, so its owner, mode and time stay.',
  ],
  options: [
    ['-f', 'Do not ask before overwriting (the default here).'],
    ['-n', 'Overwrite nothing: leave a SOURCE whose DEST exists.'],
    ['-v', 'Say each move, as \u2018SOURCE\u2019 -> \u2018DEST\u2019.'],
  ],
  examples: [['mv /tmp/sysctl.conf.new /etc/sysctl.conf', 'Put an edited file in place at once.']],
  notes: ['All stored files count as one filesystem here, so a move is always a rename; files under /proc cannot be moved.'],
  run(ctx) {
    const p = getopt('mv', ctx.argv.slice(1), [
      { key: 'f', short: 'f', long: 'force' },
      { key: 'n', short: 'n', long: 'no-clobber' },
      { key: 'v', short: 'v', long: 'verbose' },
      { key: 'i', short: 'i', long: 'interactive' },
    ], { builtinHelp: true });
    if (p.help) return ok('Usage: mv [OPTION]... [-T] SOURCE DEST\n  or:  mv [OPTION]... SOURCE... DIRECTORY\n  or:  mv [OPTION]... -t DIRECTORY SOURCE...\nRename SOURCE to DEST, or move SOURCE(s) to DIRECTORY.\n');
    if (p.error !== undefined) return tryHelp('mv', p.error);
    if (has(p.opts, 'i')) return failure('mv: -i asks before overwriting, which this world does not do: nothing was moved\n');
    const plan = sourcesAndTarget(ctx, 'mv', p.operands);
    if ('usage' in plan) return tryHelp('mv', plan.usage);
    if ('fatal' in plan) return failure(plan.fatal + '\n');
    const fs = treeOps(ctx);
    if (!fs) return failure(`mv: ${NO_TREE_OPS}\n`);
    // -f and -n: the later one wins, as mv.c's option loop has it
    const noClobber = p.opts.filter((o) => o.key === 'f' || o.key === 'n').pop()?.key === 'n';
    const out = new Out();
    let code = 0;
    const fail = (m: string) => {
      out.errLine(`mv: ${m}`);
      code = 1;
    };
    for (const { src, dst } of plan.pairs) {
      const srcPath = absPath(ctx, src);
      const dstPath = absPath(ctx, dst);
      // a link moves as itself (rename(2) never follows one)
      const st = lstatOperand(ctx, src, srcPath);
      if (!st.ok) {
        fail(`cannot stat ${q(src)}: ${errnoMessage(st.errno)}`);
        continue;
      }
      const existing = lstatOperand(ctx, dst, dstPath);
      if (existing.ok) {
        if (srcPath === dstPath) {
          fail(`${q(src)} and ${q(dst)} are the same file`);
          continue;
        }
        if (noClobber) continue;
        if (existing.value.type === 'dir' && st.value.type !== 'dir') {
          fail(`cannot overwrite directory ${q(dst)} with non-directory`);
          continue;
        }
        if (existing.value.type !== 'dir' && st.value.type === 'dir') {
          fail(`cannot overwrite non-directory ${q(dst)} with directory ${q(src)}`);
          continue;
        }
      }
      if (st.value.type === 'dir' && dstPath.startsWith(srcPath === '/' ? '/' : srcPath + '/')) {
        fail(`cannot move ${q(src)} to a subdirectory of itself, ${q(dst)}`);
        continue;
      }
      const r = fs.rename(srcPath, dstPath, ctx.user);
      if (!r.ok) {
        fail(`cannot move ${q(src)} to ${q(dst)}: ${errnoMessage(r.errno)}`);
        continue;
      }
      if (has(p.opts, 'v')) out.out(`${q(src)} -> ${q(dst)}\n`);
    }
    return out.done(code);
  },
});
