import { Out, failure, ok } from '../io';
import { getopt, has, last } from '../getopt';
import { errnoMessage } from '../../vfs/errno';
import { absPath, tryHelp } from './util';
import { defineCommand } from './define';
import { NO_TREE_OPS, q, treeOps } from './fileops';

interface Opener {
  open(path: string, user: string, opts: { truncate: boolean }): { ok: true; value: void } | { ok: false; errno: Parameters<typeof errnoMessage>[0] };
}

export const touch = defineCommand({
  name: 'touch',
  summary: 'change file timestamps, or create empty files',
  category: 'files',
  argKind: 'path',
  completions: ['-c', '-r'],
  synopsis: ['touch [-c] [-r REF] FILE...'],
  description: [
    'Sets the modification time of each FILE to now, creating it empty if it does not exist. Setting it to now takes write permission on the file (or owning it); setting it to another time (-r) takes owning it.',
  ],
  options: [
    ['-c', 'Create no files.'],
    ['-r REF', 'Use REF\'s modification time instead of now.'],
    ['-m', 'Change the modification time only (the default here: access times are not kept).'],
  ],
  examples: [['touch /tmp/marker', 'An empty file to mark a moment.']],
  notes: ['Access times and directories\' own times are not kept in this world; -d and -t (dates written out) are refused in one line.'],
  run(ctx) {
    const p = getopt('touch', ctx.argv.slice(1), [
      { key: 'c', short: 'c', long: 'no-create' },
      { key: 'r', short: 'r', long: 'reference', arg: 'required' },
      { key: 'a', short: 'a' },
      { key: 'm', short: 'm' },
      { key: 'f', short: 'f' },
      { key: 'd', short: 'd', long: 'date', arg: 'required' },
      { key: 't', short: 't', arg: 'required' },
    ], { builtinHelp: true });
    if (p.help) return ok('Usage: touch [OPTION]... FILE...\nUpdate the access and modification times of each FILE to the current time.\n');
    if (p.error !== undefined) return tryHelp('touch', p.error);
    if (has(p.opts, 'd') || has(p.opts, 't')) return failure('touch: -d and -t (a date written out) are not simulated: use -r FILE to copy a file\'s time\n');
    if (p.operands.length === 0) return tryHelp('touch', 'touch: missing file operand');
    const fs = treeOps(ctx);
    if (!fs) return failure(`touch: ${NO_TREE_OPS}\n`);
    let mtime: number | null = null;
    const ref = last(p.opts, 'r');
    if (ref !== undefined) {
      const st = ctx.env.fs.stat(absPath(ctx, ref));
      if (!st.ok) return failure(`touch: failed to get attributes of ${q(ref)}: ${errnoMessage(st.errno)}\n`);
      mtime = st.value.mtime;
    }
    const noCreate = has(p.opts, 'c');
    // -a alone changes only the access time, which this world does not keep
    const mtimeToo = has(p.opts, 'm') || !has(p.opts, 'a');
    const out = new Out();
    let code = 0;
    for (const name of p.operands) {
      const path = absPath(ctx, name);
      const exists = ctx.env.fs.stat(path);
      if (!exists.ok && exists.errno === 'ENOENT') {
        if (noCreate) continue;
        const made = (ctx.env.fs as unknown as Opener).open(path, ctx.user, { truncate: false });
        if (!made.ok) {
          out.errLine(`touch: cannot touch ${q(name)}: ${errnoMessage(made.errno)}`);
          code = 1;
          continue;
        }
      }
      if (!mtimeToo) continue;
      const r = fs.utime(path, ctx.user, mtime);
      if (!r.ok) {
        // the open touch.c tries first failed for the same want of permission: that is the one it names
        out.errLine(r.errno === 'EACCES' || r.errno === 'ENOENT' || r.errno === 'ENOTDIR' ? `touch: cannot touch ${q(name)}: ${errnoMessage(r.errno)}` : `touch: setting times of ${q(name)}: ${errnoMessage(r.errno)}`);
        code = 1;
      }
    }
    return out.done(code);
  },
});
