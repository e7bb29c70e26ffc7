import { Out, failure, ok } from '../io';
import { getopt, has } from '../getopt';
import { errnoMessage } from '../../vfs/errno';
import { readOperand, splitLines, tryHelp } from './util';
import { defineCommand } from './define';

export const uniq = defineCommand({
  name: 'uniq',
  summary: 'collapse repeated adjacent lines',
  category: 'text',
  argKind: 'path',
  completions: ['-c', '-d', '-u', '-i'],
  synopsis: ['uniq [-c] [-d | -u] [-i] [FILE]'],
  description: [
    'Prints the lines of FILE (or standard input), writing a run of identical adjacent lines only once. Only neighbours are compared, so sort first to gather equal lines: sort | uniq -c | sort -rn is the classic way to count how often each line occurs.',
  ],
  options: [
    ['-c', 'Prefix each line with the number of times it occurred.'],
    ['-d', 'Print only lines that were repeated.'],
    ['-u', 'Print only lines that were not repeated.'],
    ['-i', 'Ignore case when comparing.'],
  ],
  examples: [['cut -d: -f7 /etc/passwd | sort | uniq -c', 'How many accounts use each login shell.']],
  run(ctx) {
    const p = getopt('uniq', ctx.argv.slice(1), [
      { key: 'c', short: 'c', long: 'count' },
      { key: 'd', short: 'd', long: 'repeated' },
      { key: 'u', short: 'u', long: 'unique' },
      { key: 'i', short: 'i', long: 'ignore-case' },
    ], { builtinHelp: true });
    if (p.help) return ok('Usage: uniq [OPTION]... [INPUT [OUTPUT]]\n');
    if (p.error !== undefined) return tryHelp('uniq', p.error);
    if (p.operands.length > 2) return tryHelp('uniq', `uniq: extra operand '${p.operands[2]}'`);
    const f = p.operands[0] ?? '-';
    const r = readOperand(ctx, f);
    if (!r.ok) return failure(`uniq: ${f}: ${errnoMessage(r.errno)}\n`);
    const same = has(p.opts, 'i') ? (a: string, b: string) => a.toLowerCase() === b.toLowerCase() : (a: string, b: string) => a === b;
    const lines = splitLines(r.value);
    const out = new Out();
    const kept: string[] = [];
    const counted = has(p.opts, 'c');
    const onlyRepeated = has(p.opts, 'd');
    const onlyUnique = has(p.opts, 'u');
    for (let i = 0; i < lines.length; ) {
      let j = i + 1;
      while (j < lines.length && same(lines[i], lines[j])) j++;
      const n = j - i;
      const keep = onlyRepeated ? n > 1 : onlyUnique ? n === 1 : true;
      if (keep && !(onlyRepeated && onlyUnique)) kept.push((counted ? `${String(n).padStart(7)} ` : '') + lines[i] + '\n');
      i = j;
    }
    const text = kept.join('');
    if (p.operands[1] !== undefined) {
      const w = ctx.env.fs.write(p.operands[1].startsWith('/') ? p.operands[1] : `${ctx.cwd}/${p.operands[1]}`, text, ctx.user);
      if (!w.ok) return failure(`uniq: ${p.operands[1]}: ${errnoMessage(w.errno)}\n`);
      return out.done(0);
    }
    return out.out(text).done(0);
  },
});
