import type { CommandContext, FsResult } from '../types';
import { Out, failure, ok, type ChunkedResult } from '../io';
import { getopt, has, type ParsedOpt } from '../getopt';
import { Gathered, operandChunks, readOperand, tryHelp, unreadableReason } from './util';
import { defineCommand } from './define';

/** Lines with their newlines kept, so a last line without one stays without one. */
function piecesOf(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/);
}

interface Amount {
  bytes: boolean;
  n: number;
  /** head: -n -N means all but the last N; tail: -n +N means from line N on */
  sign: '' | '-' | '+';
}

function parseAmount(cmd: string, opts: ParsedOpt[]): Amount | ChunkedResult {
  let amount: Amount = { bytes: false, n: 10, sign: '' };
  for (const o of opts) {
    if (o.key !== 'n' && o.key !== 'c') continue;
    const v = o.value ?? '';
    const m = /^([-+]?)(\d+)([kKmMbB]?)$/.exec(v.trim());
    if (!m) return failure(`${cmd}: invalid number of ${o.key === 'n' ? 'lines' : 'bytes'}: '${v}'\n`);
    const mult = { '': 1, b: 512, k: 1024, K: 1024, m: 1048576, M: 1048576, B: 1 }[m[3]] ?? 1;
    amount = { bytes: o.key === 'c', n: Number(m[2]) * mult, sign: m[1] as Amount['sign'] };
  }
  return amount;
}

/** The obsolete -5 form, allowed as the first argument. */
function expandShorthand(args: string[]): string[] {
  const m = args.length ? /^-(\d+)([cl]?)$/.exec(args[0]) : null;
  if (!m) return args;
  return [m[2] === 'c' ? '-c' : '-n', m[1], ...args.slice(1)];
}

/** the first n lines of a file, or (fromEnd) its last n, in file order */
export function firstLines(ctx: CommandContext, f: string, n: number, fromEnd: boolean): FsResult<string> {
  const r = operandChunks(ctx, f, { reverse: fromEnd });
  if (!r.ok) return r;
  const taken: string[] = [];
  const size = new Gathered();
  const take = (piece: string): boolean => {
    size.count(piece.length);
    taken.push(piece);
    return taken.length >= n;
  };
  if (n > 0) {
    // from the end, chunks come newest first but each one's lines are in file order
    reading: for (const chunk of r.value) {
      const pieces = piecesOf(chunk.text);
      if (fromEnd) {
        for (let k = pieces.length - 1; k >= 0; k--) if (take(pieces[k]!)) break reading;
      } else {
        for (const piece of pieces) if (take(piece)) break reading;
      }
    }
  }
  if (fromEnd) taken.reverse();
  return { ok: true, value: taken.join('') };
}

function headOrTail(cmd: 'head' | 'tail', ctx: CommandContext, pick: (text: string, a: Amount) => string): ChunkedResult {
  const p = getopt(cmd, expandShorthand(ctx.argv.slice(1)), [
    { key: 'n', short: 'n', long: 'lines', arg: 'required' },
    { key: 'c', short: 'c', long: 'bytes', arg: 'required' },
    { key: 'q', short: 'q', long: 'quiet' },
    { key: 'q', long: 'silent' },
    { key: 'v', short: 'v', long: 'verbose' },
    { key: 'f', short: 'f', long: 'follow' },
    { key: 'f', short: 'F' },
  ], { builtinHelp: true });
  if (p.help) return ok(`Usage: ${cmd} [OPTION]... [FILE]...\n`);
  if (p.error !== undefined) return tryHelp(cmd, p.error);
  if (has(p.opts, 'f')) {
    return failure(`${cmd}: following a file is not possible in this world; let time pass and look again: sleep 60; ${cmd} FILE\n`);
  }
  const amount = parseAmount(cmd, p.opts);
  if ('code' in amount) return amount;
  const files = p.operands.length ? p.operands : ['-'];
  const headers = has(p.opts, 'v') || (files.length > 1 && !has(p.opts, 'q'));
  const out = new Out();
  let code = 0;
  let first = true;
  // the first or last N lines are read a line at a time: tail of a day's log renders only its end
  const byLines = !amount.bytes && amount.sign === '';
  for (const f of files) {
    const r: FsResult<string> = byLines ? firstLines(ctx, f, amount.n, cmd === 'tail') : readOperand(ctx, f);
    if (!r.ok) {
      out.errLine(
        r.errno === 'EISDIR' ? `${cmd}: error reading '${f}': Is a directory` : `${cmd}: cannot open '${f}' for reading: ${unreadableReason(r.errno, f, `zcat ${f} | ${cmd} shows what it holds`)}`,
      );
      code = 1;
      continue;
    }
    if (headers) {
      out.out(`${first ? '' : '\n'}==> ${f === '-' ? 'standard input' : f} <==\n`);
    }
    first = false;
    out.out(byLines ? r.value : pick(r.value, amount));
  }
  return out.done(code);
}

export const head = defineCommand({
  name: 'head',
  summary: 'print the first lines of files',
  category: 'text',
  argKind: 'path',
  completions: ['-n', '-c', '-q', '-v'],
  synopsis: ['head [-n N | -N | -c N] [FILE]...'],
  description: [
    'Prints the first 10 lines of each FILE, or of standard input. With several files, each part starts with a ==> FILE <== header.',
  ],
  options: [
    ['-n N, -N', 'Print the first N lines. With -n -N, print all but the last N.'],
    ['-c N', 'Print the first N bytes; with -c -N, all but the last N.'],
    ['-q, -v', 'Never, or always, print headers.'],
  ],
  examples: [
    ['ps aux --sort=-rss | head -5', 'The header and the four biggest processes.'],
    ['head -n 2 /proc/meminfo', 'MemTotal and MemFree.'],
  ],
  run: (ctx) =>
    headOrTail('head', ctx, (text, a) => {
      if (a.bytes) return a.sign === '-' ? text.slice(0, Math.max(0, text.length - a.n)) : text.slice(0, a.n);
      const lines = piecesOf(text);
      return (a.sign === '-' ? lines.slice(0, Math.max(0, lines.length - a.n)) : lines.slice(0, a.n)).join('');
    }),
});

export const tail = defineCommand({
  name: 'tail',
  summary: 'print the last lines of files',
  category: 'text',
  argKind: 'path',
  completions: ['-n', '-c', '-q', '-v'],
  synopsis: ['tail [-n N | -n +N | -N | -c N] [FILE]...'],
  description: [
    'Prints the last 10 lines of each FILE, or of standard input. With several files, each part starts with a ==> FILE <== header.',
  ],
  options: [
    ['-n N, -N', 'Print the last N lines.'],
    ['-n +N', 'Print everything from line N on (tail -n +2 skips a header line).'],
    ['-c N, -c +N', 'The same, counted in bytes.'],
    ['-q, -v', 'Never, or always, print headers.'],
  ],
  examples: [
    ['tail -n 20 /var/log/syslog', 'The latest twenty log lines.'],
    ['ps aux | tail -n +2 | wc -l', 'Count processes without the header line.'],
  ],
  notes: ['tail -f is not available: the world only moves when you let time pass (sleep), so look again afterwards.'],
  run: (ctx) =>
    headOrTail('tail', ctx, (text, a) => {
      if (a.bytes) return a.sign === '+' ? text.slice(Math.max(0, a.n - 1)) : a.n === 0 ? '' : text.slice(-a.n);
      const lines = piecesOf(text);
      if (a.sign === '+') return lines.slice(Math.max(0, a.n - 1)).join('');
      return a.n === 0 ? '' : lines.slice(-a.n).join('');
    }),
});
