import { Out, failure, ok } from '../io';
import { getopt, has } from '../getopt';
import { errnoMessage } from '../../vfs/errno';
import { absPath, tryHelp } from './util';
import { defineCommand } from './define';
import { LINKS_NOT_SIMULATED, NO_TREE_OPS, joinPath, lastComponent, linkOps, lstatOperand, q, treeOps } from './fileops';

export const ln = defineCommand({
  name: 'ln',
  summary: 'make links between files',
  category: 'files',
  argKind: 'path',
  completions: ['-s', '-f', '-n', '-v'],
  synopsis: ['ln -s [-f] [-n] [-v] TARGET LINK_NAME', 'ln -s [-f] [-n] [-v] TARGET... DIRECTORY'],
  description: [
    'With -s, makes LINK_NAME a symbolic link to TARGET: a small file holding the path TARGET, which the kernel follows whenever the link is used. TARGET is not checked, so a link may name something that does not exist (it dangles). A relative TARGET is taken from the directory the link is in, not from where ln ran.',
    'With a DIRECTORY last (or only TARGET given), each link is made in it under its TARGET\'s own name. ls -l shows a link as `name -> TARGET`; rm and mv act on the link itself.',
  ],
  options: [
    ['-s', 'Make symbolic links (the only kind this world makes).'],
    ['-f', 'Remove an existing LINK_NAME first.'],
    ['-n', 'Treat a LINK_NAME that is a link to a directory as a plain file (with -f, replace it).'],
    ['-v', 'Say each link made, as \u2018LINK_NAME\u2019 -> \u2018TARGET\u2019.'],
  ],
  examples: [['sudo ln -s /journal /data/db/journal', 'Make /data/db/journal lead to /journal.']],
  notes: ['Hard links (ln without -s) are not simulated. Symbolic links are kept only on the block volumes (see mount).'],
  run(ctx) {
    const p = getopt('ln', ctx.argv.slice(1), [
      { key: 's', short: 's', long: 'symbolic' },
      { key: 'f', short: 'f', long: 'force' },
      { key: 'n', short: 'n', long: 'no-dereference' },
      { key: 'n', long: 'no-target-directory' },
      { key: 'T', short: 'T' },
      { key: 'v', short: 'v', long: 'verbose' },
      { key: 'i', short: 'i', long: 'interactive' },
    ], { builtinHelp: true });
    if (p.help) return ok('Usage: ln [OPTION]... [-T] TARGET LINK_NAME   (1st form)\n  or:  ln [OPTION]... TARGET                  (2nd form)\n  or:  ln [OPTION]... TARGET... DIRECTORY     (3rd form)\n');
    if (p.error !== undefined) return tryHelp('ln', p.error);
    if (p.operands.length === 0) return tryHelp('ln', 'ln: missing file operand');
    if (!has(p.opts, 's')) return failure('ln: hard links are not simulated here (ln -s makes a symbolic link): nothing was linked\n');
    if (has(p.opts, 'i')) return failure('ln: -i asks before replacing, which this world does not do: nothing was linked\n');
    const tree = treeOps(ctx);
    const links = linkOps(ctx);
    if (!tree || !links) return failure(`ln: ${NO_TREE_OPS}\n`);
    const noDeref = has(p.opts, 'n') || has(p.opts, 'T');
    const force = has(p.opts, 'f');

    // ln.c's main: the last operand is a directory to link into, unless there are only two and -T or -n says otherwise
    const ops = p.operands;
    let pairs: { target: string; name: string }[];
    if (ops.length === 1) pairs = [{ target: ops[0], name: lastComponent(ops[0]) }];
    else {
      const last = ops[ops.length - 1];
      const st = has(p.opts, 'n') ? lstatOperand(ctx, last, absPath(ctx, last)) : ctx.env.fs.stat(absPath(ctx, last));
      const isDir = !has(p.opts, 'T') && st.ok && st.value.type === 'dir';
      if (ops.length > 2 && has(p.opts, 'T')) return tryHelp('ln', `ln: extra operand ${q(ops[2])}`);
      if (ops.length > 2 && !isDir) return failure(`ln: target ${q(last)} is not a directory\n`);
      pairs = isDir ? ops.slice(0, -1).map((target) => ({ target, name: joinPath(last, lastComponent(target)) })) : [{ target: ops[0], name: last }];
    }

    const out = new Out();
    let code = 0;
    for (const { target, name } of pairs) {
      const path = absPath(ctx, name);
      if (force) {
        const existing = noDeref ? links.lstat(path, ctx.user) : lstatOperand(ctx, name, path);
        if (existing.ok && existing.value.type === 'dir') {
          out.errLine(`ln: ${q(name)}: cannot overwrite directory`);
          code = 1;
          continue;
        }
        if (existing.ok) {
          const gone = tree.unlink(path, ctx.user);
          if (!gone.ok) {
            out.errLine(`ln: cannot remove ${q(name)}: ${errnoMessage(gone.errno)}`);
            code = 1;
            continue;
          }
        }
      }
      const r = links.symlink(target, path, ctx.user);
      if (!r.ok) {
        out.errLine(`ln: failed to create symbolic link ${q(name)}: ${r.errno === 'ENOTSIM' ? LINKS_NOT_SIMULATED : errnoMessage(r.errno)}`);
        code = 1;
        continue;
      }
      if (has(p.opts, 'v')) out.out(`${q(name)} -> ${q(target)}\n`);
    }
    return out.done(code);
  },
});
