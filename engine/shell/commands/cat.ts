import { Out, ok } from '../io';
import { getopt, has } from '../getopt';
import { Gathered, operandChunks, tryHelp, unreadableReason } from './util';
import { defineCommand } from './define';

export const cat = defineCommand({
  name: 'cat',
  summary: 'print files and standard input',
  category: 'files',
  argKind: 'path',
  completions: ['-n', '-b', '-A'],
  synopsis: ['cat [-n] [FILE]...'],
  description: [
    'Prints each FILE in turn; with no FILE, or where FILE is -, prints standard input. Reading a file needs read permission on it: /proc/slabinfo, for one, is readable by root only.',
  ],
  options: [
    ['-n', 'Number every output line, right-aligned in six columns followed by a tab.'],
    ['-b', 'Number only the non-empty lines.'],
    ['-A', 'Show tabs as ^I and mark each line end with $.'],
  ],
  examples: [
    ['cat /proc/meminfo', 'Memory figures straight from the kernel.'],
    ['sudo cat /proc/slabinfo', 'The slab allocator\'s caches; root only.'],
  ],
  run(ctx) {
    const p = getopt('cat', ctx.argv.slice(1), [
      { key: 'n', short: 'n', long: 'number' },
      { key: 'b', short: 'b', long: 'number-nonblank' },
      { key: 'A', short: 'A', long: 'show-all' },
      { key: 'u', short: 'u' },
    ], { builtinHelp: true });
    if (p.help) return ok('Usage: cat [OPTION]... [FILE]...\nConcatenate FILE(s), or standard input, to standard output.\n');
    if (p.error !== undefined) return tryHelp('cat', p.error);
    const files = p.operands.length ? p.operands : ['-'];
    const out = new Out();
    let code = 0;
    let lineNo = 0;
    let atLineStart = true;
    const number = has(p.opts, 'n') || has(p.opts, 'b');
    const nonBlank = has(p.opts, 'b');
    const showAll = has(p.opts, 'A');
    for (const f of files) {
      const r = operandChunks(ctx, f);
      if (!r.ok) {
        out.errLine(`cat: ${f}: ${unreadableReason(r.errno, f, `zcat ${f} prints what it holds`)}`);
        code = 1;
        continue;
      }
      const gathered = new Gathered();
      for (const chunk of r.value) gathered.add(chunk.text);
      let text = gathered.text();
      if (showAll) text = text.replace(/\t/g, '^I').replace(/\n/g, '$\n');
      if (number) {
        // numbering continues across files, and a file without a final newline joins the next
        let res = '';
        for (const piece of text.split(/(?<=\n)/)) {
          if (atLineStart && !(nonBlank && piece === '\n')) res += `${String(++lineNo).padStart(6)}\t`;
          res += piece;
          atLineStart = piece.endsWith('\n');
        }
        text = res;
      }
      out.out(text);
    }
    return out.done(code);
  },
});
