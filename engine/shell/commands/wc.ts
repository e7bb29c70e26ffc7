import { Out, ok } from '../io';
import { getopt, has } from '../getopt';
import { absPath, operandChunks, tryHelp, unreadableReason } from './util';
import { defineCommand } from './define';

interface Counts {
  lines: number;
  words: number;
  chars: number;
  bytes: number;
  longest: number;
}

const NON_ASCII = /[^\x00-\x7f]/;

/** Every count in one pass over the UTF-16 units (a million lines is 7 MB of text). */
function count(text: string): Counts {
  let lines = 0;
  let longest = 0;
  let col = 0;
  let chars = 0;
  let bytes = 0;
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    chars++;
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      // a surrogate pair is one character of four bytes
      bytes += 4;
      i++;
    } else bytes += 3;
    // blanks as wc's isspace: space, \t, \n, \v, \f, \r
    const blank = c === 0x20 || (c >= 0x09 && c <= 0x0d);
    if (blank) inWord = false;
    else if (!inWord) {
      inWord = true;
      words++;
    }
    if (c === 0x0a) {
      lines++;
      longest = Math.max(longest, col);
      col = 0;
    } else if (c === 0x09) col += 8 - (col % 8);
    else col++;
  }
  longest = Math.max(longest, col);
  return { lines, words, chars, bytes, longest };
}

export const wc = defineCommand({
  name: 'wc',
  summary: 'count lines, words and bytes',
  category: 'text',
  argKind: 'path',
  completions: ['-l', '-w', '-c', '-m', '-L'],
  synopsis: ['wc [-lwcmL] [FILE]...'],
  description: [
    'Counts the newlines, words (runs of non-blank characters) and bytes in each FILE, or in standard input, and prints them in that order followed by the file name. With several files a total line follows. Options choose which counts to print; the order of the columns stays the same.',
  ],
  options: [
    ['-l', 'Newlines (a last line without one is not counted).'],
    ['-w', 'Words.'],
    ['-c', 'Bytes.'],
    ['-m', 'Characters.'],
    ['-L', 'Length of the longest line.'],
  ],
  examples: [
    ['ps aux | wc -l', 'Number of lines ps printed (processes plus the header).'],
    ['wc /etc/passwd', 'Lines, words and bytes of a file.'],
  ],
  run(ctx) {
    const p = getopt('wc', ctx.argv.slice(1), [
      { key: 'l', short: 'l', long: 'lines' },
      { key: 'w', short: 'w', long: 'words' },
      { key: 'c', short: 'c', long: 'bytes' },
      { key: 'm', short: 'm', long: 'chars' },
      { key: 'L', short: 'L', long: 'max-line-length' },
    ], { builtinHelp: true });
    if (p.help) return ok('Usage: wc [OPTION]... [FILE]...\n');
    if (p.error !== undefined) return tryHelp('wc', p.error);
    let keys = (['l', 'w', 'm', 'c', 'L'] as const).filter((k) => has(p.opts, k));
    if (keys.length === 0) keys = ['l', 'w', 'c'];
    const files = p.operands.length ? p.operands : ['-'];
    // coreutils pads to the digits of the total size of regular files, 7 when a pipe is involved,
    // and not at all for one count of one input
    let width = 1;
    if (!(files.length === 1 && keys.length === 1)) {
      let total = 0;
      let minimum = 1;
      for (const f of files) {
        if (f === '-') minimum = 7;
        else {
          const st = ctx.env.fs.stat(absPath(ctx, f));
          if (st.ok) total += st.value.type === 'file' ? st.value.size : 0;
          if (st.ok && st.value.type === 'dir') minimum = 7;
        }
      }
      width = Math.max(String(total).length, minimum);
    }
    const newlinesOnly = keys.every((k) => k === 'l');
    // ASCII text has as many bytes and characters as UTF-16 units
    const sizesOnly = keys.every((k) => k === 'l' || k === 'c' || k === 'm');
    const out = new Out();
    let code = 0;
    const sum: Counts = { lines: 0, words: 0, chars: 0, bytes: 0, longest: 0 };
    const line = (c: Counts, name: string | null) => {
      const cols = keys.map((k) => {
        const v = k === 'l' ? c.lines : k === 'w' ? c.words : k === 'm' ? c.chars : k === 'c' ? c.bytes : c.longest;
        return String(v).padStart(width);
      });
      return cols.join(' ') + (name !== null ? ` ${name}` : '') + '\n';
    };
    for (const f of files) {
      const r = operandChunks(ctx, f);
      if (!r.ok) {
        out.errLine(`wc: ${f}: ${unreadableReason(r.errno, f, `zcat ${f} | wc counts what it holds`)}`);
        code = 1;
        if (r.errno === 'EISDIR') out.out(line({ lines: 0, words: 0, chars: 0, bytes: 0, longest: 0 }, f));
        continue;
      }
      // counted a chunk at a time: a line's newline ends any word, so the sums are the whole file's
      const c: Counts = { lines: 0, words: 0, chars: 0, bytes: 0, longest: 0 };
      for (const chunk of r.value) {
        if (newlinesOnly) {
          // a log's chunk knows its newlines without its text being rendered
          c.lines += chunk.newlines;
          continue;
        }
        const text = chunk.text;
        const x = sizesOnly && !NON_ASCII.test(text) ? { lines: chunk.newlines, words: 0, chars: text.length, bytes: text.length, longest: 0 } : count(text);
        c.lines += x.lines;
        c.words += x.words;
        c.chars += x.chars;
        c.bytes += x.bytes;
        c.longest = Math.max(c.longest, x.longest);
      }
      sum.lines += c.lines;
      sum.words += c.words;
      sum.chars += c.chars;
      sum.bytes += c.bytes;
      sum.longest = Math.max(sum.longest, c.longest);
      out.out(line(c, f === '-' && p.operands.length === 0 ? null : f));
    }
    if (files.length > 1) out.out(line(sum, 'total'));
    return out.done(code);
  },
});
