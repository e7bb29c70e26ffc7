import type { BuiltinSpec } from '../builtin';
import { Out } from '../io';
import { getopt, has, last } from '../getopt';
import { defineBuiltin } from './define';

/**
 * GNU xargs 4.4.2 (Ubuntu 14.04's findutils): words from standard input become arguments of a
 * command, run as few times as the command-line limit and -n/-L/-I allow.
 */

/** the default and largest command line xargs builds here (--show-limits on trusty says 131072) */
const MAX_CHARS = 131_072;

const USAGE =
  'Usage: xargs [-0prtx] [--interactive] [--null] [-d|--delimiter=delim]\n' +
  '       [-E eof-str] [-e[eof-str]]  [--eof[=eof-str]]\n' +
  '       [-L max-lines] [-l[max-lines]] [--max-lines[=max-lines]]\n' +
  '       [-I replace-str] [-i[replace-str]] [--replace[=replace-str]]\n' +
  '       [-n max-args] [--max-args=max-args]\n' +
  '       [-s max-chars] [--max-chars=max-chars]\n' +
  '       [-P max-procs]  [--max-procs=max-procs] [--show-limits]\n' +
  '       [--verbose] [--exit] [--no-run-if-empty] [--arg-file=file]\n' +
  '       [--version] [--help] [command [initial-arguments]]\n';

class XargsError extends Error {}

/** xargs' default reading: blanks and newlines separate, quotes and backslashes keep them; one array per input line */
function wordsByLine(input: string, eof: string | undefined): string[][] {
  const lines: string[][] = [];
  let line: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\n') throw new XargsError(`unmatched ${quote === '"' ? 'double' : 'single'} quote; by default quotes are special to xargs unless you use the -0 option`);
      else word += c;
      continue;
    }
    if (c === '\\' && i + 1 < input.length) {
      word += input[++i];
      inWord = true;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) {
        if (eof !== undefined && word === eof) return lines.concat(line.length ? [line] : []);
        line.push(word);
      }
      word = '';
      inWord = false;
      // a line ending in a blank goes on to the next (-L counts nonblank lines so)
      if (c === '\n' && line.length > 0 && input[i - 1] !== ' ' && input[i - 1] !== '\t') {
        lines.push(line);
        line = [];
      }
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new XargsError(`unmatched ${quote === '"' ? 'double' : 'single'} quote; by default quotes are special to xargs unless you use the -0 option`);
  if (inWord && !(eof !== undefined && word === eof)) line.push(word);
  if (line.length) lines.push(line);
  return lines;
}

function positive(opt: string, v: string): number {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new XargsError(`value for ${opt} option should be >= 1`);
  return Number(v);
}

export const xargs: BuiltinSpec = defineBuiltin({
  name: 'xargs',
  summary: 'build and run command lines from standard input',
  category: 'shell',
  argKind: 'command',
  completions: ['-0', '-I', '-n', '-L', '-r', '-t', '-d'],
  synopsis: ['COMMAND | xargs [-0] [-r] [-t] [-n N | -L N | -I STR] [COMMAND [ARG]...]'],
  description: [
    'Reads words from standard input (separated by blanks and newlines; quotes and backslashes keep a blank inside a word) and runs COMMAND (echo when none is given) with as many of them as fit on one command line after the ARGs given. If nothing arrives, COMMAND still runs once, unless -r.',
    '-n N puts at most N words on each command line, -L N the words of at most N lines; -I STR runs COMMAND once per line, with STR in the ARGs replaced by it. -0 reads names separated by NUL characters (find -print0), -d C by the character C. -t prints each command line on standard error before running it.',
    'The status is 123 when a run of COMMAND failed, 127 when COMMAND does not exist, and 0 otherwise.',
  ],
  options: [
    ['-n N', 'At most N words on each command line.'],
    ['-L N', 'The words of at most N input lines on each command line.'],
    ['-I STR', 'Once per input line, with STR in the arguments replaced by the line.'],
    ['-0, -d C', 'Items end at a NUL character (find -print0), or at the character C; quotes mean nothing then.'],
    ['-r', 'Run nothing when standard input holds nothing.'],
    ['-t', 'Print each command line on standard error before running it.'],
  ],
  examples: [
    ["find /var/log -name '*.gz' | xargs ls -l", 'Long listings of the rotated logs.'],
    ['pgrep cron | xargs -r -I{} grep VmRSS /proc/{}/status', "Each cron process's resident memory; nothing runs when pgrep finds none (-r)."],
    ["find /etc/cron.d -type f -print0 | xargs -0 -I{} sh -c 'echo {}; cat {}'", 'One command per file.'],
  ],
  notes: ['-P runs the commands one after another here; -p (asking before each) is not simulated.'],
  builtin(ctx, sh) {
    const out = new Out();
    const p = getopt('xargs', ctx.argv.slice(1), [
      { key: '0', short: '0', long: 'null' },
      { key: 'd', short: 'd', long: 'delimiter', arg: 'required' },
      { key: 'E', short: 'E', arg: 'required' },
      { key: 'I', short: 'I', arg: 'required' },
      { key: 'I', long: 'replace', arg: 'optional' },
      { key: 'i', short: 'i', arg: 'optional' },
      { key: 'L', short: 'L', long: 'max-lines', arg: 'required' },
      { key: 'n', short: 'n', long: 'max-args', arg: 'required' },
      { key: 's', short: 's', long: 'max-chars', arg: 'required' },
      { key: 'P', short: 'P', long: 'max-procs', arg: 'required' },
      { key: 'r', short: 'r', long: 'no-run-if-empty' },
      { key: 't', short: 't', long: 'verbose' },
      { key: 'x', short: 'x', long: 'exit' },
      { key: 'p', short: 'p', long: 'interactive' },
      { key: 'help', long: 'help' },
    ], { permute: false });
    if (has(p.opts, 'help')) return out.out(USAGE).done(0);
    if (p.error !== undefined) return out.errLine(p.error).err(USAGE).done(1);
    if (has(p.opts, 'p')) return out.errLine('xargs: -p is not simulated here: there is no terminal to ask on, so nothing would run').done(1);
    const command = p.operands.length > 0 ? p.operands : ['echo'];
    let items: string[][];
    let maxArgs = Infinity;
    let maxLines = Infinity;
    let replace: string | undefined;
    let maxChars = MAX_CHARS;
    try {
      const n = last(p.opts, 'n');
      if (n !== undefined) maxArgs = positive('-n', n);
      const l = last(p.opts, 'L');
      if (l !== undefined) maxLines = positive('-L', l);
      const s = last(p.opts, 's');
      if (s !== undefined) maxChars = Math.min(MAX_CHARS, positive('-s', s));
      const iOpt = p.opts.filter((o) => o.key === 'I' || o.key === 'i').pop();
      if (iOpt) {
        replace = iOpt.value === undefined || iOpt.value === '' ? '{}' : iOpt.value;
        maxLines = 1;
      }
      const delim = last(p.opts, 'd');
      if (has(p.opts, '0') || delim !== undefined) {
        const sep = has(p.opts, '0') ? '\0' : delimiter(delim!);
        const parts = ctx.stdin.split(sep);
        if (parts[parts.length - 1] === '') parts.pop();
        // with -0 and -d every item is a line of its own
        items = parts.map((x) => [x]);
      } else if (replace !== undefined) {
        // -I: each line is one argument, leading blanks dropped
        items = ctx.stdin.split('\n').map((x) => x.replace(/^[ \t]+/, '')).filter((x) => x !== '').map((x) => [x]);
      } else {
        items = wordsByLine(ctx.stdin, last(p.opts, 'E'));
      }
    } catch (e) {
      if (e instanceof XargsError) return out.errLine(`xargs: ${e.message}`).done(1);
      throw e;
    }

    let status = 0;
    const run = (argv: string[]): boolean => {
      if (has(p.opts, 't')) out.err(`${argv.join(' ')}\n`);
      const r = sh.runArgv(argv, ctx.user, '');
      out.result(r);
      if (r.code === 127 || r.code === 126) {
        status = r.code;
        return false;
      }
      if (r.code === 255) {
        out.errLine(`xargs: ${argv[0]}: exited with status 255; aborting`);
        status = 124;
        return false;
      }
      if (r.code !== 0) status = 123;
      return true;
    };
    if (!sh.isCommand(command[0]!)) {
      if (items.length === 0 && has(p.opts, 'r')) return out.done(0);
      return out.errLine(`xargs: ${command[0]}: No such file or directory`).done(127);
    }

    if (replace !== undefined) {
      for (const [item] of items) if (!run(command.map((a) => a.split(replace!).join(item!)))) break;
      return out.done(status);
    }
    if (items.length === 0) {
      if (!has(p.opts, 'r')) run(command);
      return out.done(status);
    }
    const base = command.reduce((n, a) => n + a.length + 1, 0);
    let args: string[] = [];
    let lines = 0;
    let size = base;
    const flush = (): boolean => {
      if (args.length === 0) return true;
      const ok = run([...command, ...args]);
      args = [];
      lines = 0;
      size = base;
      return ok;
    };
    outer: for (const line of items) {
      for (const word of line) {
        if (base + word.length + 1 > maxChars) {
          out.errLine('xargs: argument line too long');
          status = 1;
          break outer;
        }
        if (args.length >= maxArgs || size + word.length + 1 > maxChars) if (!flush()) break outer;
        args.push(word);
        size += word.length + 1;
      }
      lines++;
      if (lines >= maxLines && !flush()) break;
    }
    flush();
    return out.done(status);
  },
});

/** -d's delimiter: one character, or an escape (\n, \t, \0, \\, an octal \NNN) */
function delimiter(d: string): string {
  if (d.length === 1) return d;
  const esc: Record<string, string> = { '\\n': '\n', '\\t': '\t', '\\0': '\0', '\\\\': '\\', '\\a': '\x07', '\\b': '\b', '\\f': '\f', '\\r': '\r', '\\v': '\v' };
  if (esc[d] !== undefined) return esc[d];
  const oct = /^\\([0-7]{1,3})$/.exec(d);
  if (oct) return String.fromCharCode(parseInt(oct[1]!, 8));
  throw new XargsError(`Invalid input delimiter specification ${d}: the delimiter must be either a single character or an escape sequence starting with \\.`);
}
