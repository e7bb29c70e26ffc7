import type { FsResult } from '../types';
import { Out, ok } from '../io';
import { getopt, has } from '../getopt';
import { errnoMessage } from '../../vfs/errno';
import { absPath, tryHelp } from './util';
import { defineCommand } from './define';

interface Openable {
  open(path: string, user: string, opts: { truncate: boolean }): FsResult<void>;
}

export const tee = defineCommand({
  name: 'tee',
  summary: 'copy standard input to files and to standard output',
  category: 'text',
  argKind: 'path',
  completions: ['-a'],
  synopsis: ['tee [-a] [FILE]...'],
  description: [
    'Reads standard input and writes it both to standard output and to every FILE, which is overwritten (or created) unless -a is given.',
    'tee opens the files itself, as the user it runs as. That is why echo 3 | sudo tee /proc/sys/vm/drop_caches works where sudo echo 3 > /proc/sys/vm/drop_caches does not: in the second form your own shell opens the file, as you.',
  ],
  options: [['-a', 'Append to the FILEs instead of overwriting them.']],
  examples: [
    ['echo 1 | sudo tee /proc/sys/vm/drop_caches', 'Write 1 to a root-only kernel tunable.'],
    ['free -m | tee before.txt', 'See the output and keep a copy.'],
  ],
  run(ctx) {
    const p = getopt('tee', ctx.argv.slice(1), [
      { key: 'a', short: 'a', long: 'append' },
      { key: 'i', short: 'i', long: 'ignore-interrupts' },
    ], { builtinHelp: true });
    if (p.help) return ok('Usage: tee [OPTION]... [FILE]...\n');
    if (p.error !== undefined) return tryHelp('tee', p.error);
    const append = has(p.opts, 'a');
    const out = new Out();
    let code = 0;
    out.out(ctx.stdin);
    for (const f of p.operands) {
      const path = absPath(ctx, f);
      const fs = ctx.env.fs as Partial<Openable>;
      const r =
        ctx.stdin === '' && typeof fs.open === 'function' ? fs.open(path, ctx.user, { truncate: !append }) : ctx.env.fs.write(path, ctx.stdin, ctx.user, { append });
      if (!r.ok) {
        out.errLine(`tee: ${f}: ${errnoMessage(r.errno)}`);
        code = 1;
      }
    }
    return out.done(code);
  },
});
