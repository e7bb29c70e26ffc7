import { Out, ok } from '../io';
import { getopt, has, last } from '../getopt';
import { errnoMessage } from '../../vfs/errno';
import { readOperand, splitLines, tryHelp } from './util';
import { defineCommand } from './define';

type Range = [number, number];

/** "1,3-5,7-" → ranges; null when the list is malformed */
function parseList(list: string): Range[] | 'zero' | null {
  const out: Range[] = [];
  for (const part of list.split(/[,\s]/)) {
    const m = /^(\d*)(-?)(\d*)$/.exec(part);
    if (!m || part === '' || part === '-') return null;
    const a = m[1] ? Number(m[1]) : 1;
    const b = m[2] ? (m[3] ? Number(m[3]) : Infinity) : a;
    if ((m[1] && a === 0) || (m[3] && Number(m[3]) === 0)) return 'zero';
    if (b < a) return null;
    out.push([a, b]);
  }
  return out;
}

const selected = (ranges: Range[], i: number) => ranges.some(([a, b]) => i >= a && i <= b);

export const cut = defineCommand({
  name: 'cut',
  summary: 'print selected fields or characters of each line',
  category: 'text',
  argKind: 'path',
  completions: ['-d', '-f', '-c', '-b', '-s'],
  synopsis: ['cut -f LIST [-d DELIM] [-s] [FILE]...', 'cut -c LIST [FILE]...'],
  description: [
    'Prints parts of each line of the FILEs (or of standard input). With -f, lines are split into fields at each DELIM character (a tab unless -d says otherwise); with -c, the parts are character positions.',
    'LIST is made of numbers and ranges separated by commas: 3 (the third), 2-4, 5- (fifth to last), -2 (first and second). Parts are printed in their order on the line, whatever the order in LIST. Runs of spaces are not merged: each space is a delimiter, which is why awk is often handier for the output of ps.',
  ],
  options: [
    ['-f LIST', 'Select fields.'],
    ['-d DELIM', 'Fields are separated by the single character DELIM.'],
    ['-c LIST, -b LIST', 'Select characters.'],
    ['-s', 'With -f, skip lines that contain no delimiter (normally they are printed whole).'],
    ['--output-delimiter=STRING', 'Join the selected fields with STRING.'],
  ],
  examples: [
    ['cut -d: -f1,7 /etc/passwd', 'User names and their shells.'],
    ['cut -c1-20 /var/log/syslog', 'The first twenty characters of each log line (the timestamp).'],
  ],
  run(ctx) {
    const p = getopt('cut', ctx.argv.slice(1), [
      { key: 'f', short: 'f', long: 'fields', arg: 'required' },
      { key: 'd', short: 'd', long: 'delimiter', arg: 'required' },
      { key: 'c', short: 'c', long: 'characters', arg: 'required' },
      { key: 'c', short: 'b', long: 'bytes', arg: 'required' },
      { key: 's', short: 's', long: 'only-delimited' },
      { key: 'o', long: 'output-delimiter', arg: 'required' },
      { key: 'n', short: 'n' },
    ], { builtinHelp: true });
    if (p.help) return ok('Usage: cut OPTION... [FILE]...\n');
    if (p.error !== undefined) return tryHelp('cut', p.error);
    const fields = last(p.opts, 'f');
    const chars = last(p.opts, 'c');
    if (fields === undefined && chars === undefined) return tryHelp('cut', 'cut: you must specify a list of bytes, characters, or fields');
    if (fields !== undefined && chars !== undefined) return tryHelp('cut', 'cut: only one type of list may be specified');
    const delim = last(p.opts, 'd');
    if (delim !== undefined && chars !== undefined) return tryHelp('cut', 'cut: an input delimiter may be specified only when operating on fields');
    if (delim !== undefined && delim.length !== 1) return tryHelp('cut', 'cut: the delimiter must be a single character');
    const ranges = parseList((fields ?? chars)!);
    if (ranges === 'zero') return tryHelp('cut', `cut: ${fields !== undefined ? 'fields' : 'byte/character positions'} are numbered from 1`);
    if (!ranges) return tryHelp('cut', `cut: invalid ${fields !== undefined ? 'field' : 'byte/character position'} list`);
    const d = delim ?? '\t';
    const outDelim = last(p.opts, 'o') ?? (fields !== undefined ? d : '');
    const out = new Out();
    let code = 0;
    for (const f of p.operands.length ? p.operands : ['-']) {
      const r = readOperand(ctx, f);
      if (!r.ok) {
        out.errLine(`cut: ${f}: ${errnoMessage(r.errno)}`);
        code = 1;
        continue;
      }
      let text = '';
      for (const line of splitLines(r.value)) {
        if (fields !== undefined) {
          if (!line.includes(d)) {
            if (!has(p.opts, 's')) text += line + '\n';
            continue;
          }
          text += line.split(d).filter((_, i) => selected(ranges, i + 1)).join(outDelim) + '\n';
        } else {
          const cs = [...line];
          if (last(p.opts, 'o') === undefined) text += cs.filter((_, i) => selected(ranges, i + 1)).join('') + '\n';
          else {
            // with an output delimiter, each contiguous run of positions is one piece
            const pieces: string[] = [];
            let cur = '';
            cs.forEach((c, i) => {
              if (selected(ranges, i + 1)) cur += c;
              else if (cur) {
                pieces.push(cur);
                cur = '';
              }
            });
            if (cur) pieces.push(cur);
            text += pieces.join(outDelim) + '\n';
          }
        }
      }
      out.out(text);
    }
    return out.done(code);
  },
});
