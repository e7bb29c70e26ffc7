/**
 * The parts of Python 2.7's argparse that aws-cli 1.7's three parsers rely on, with its exact
 * messages: parse_known_args (unknown options and stray words are handed on, in order), long
 * options given in full, with `=`, or by any unambiguous prefix (`--desc` for `--description`),
 * one-value, list (nargs='+') and flag options, a leading positional with aws-cli's own
 * "Invalid choice" message (awscli/argparser.py), and the required-argument check.
 */
import { getCloseMatches } from './difflib';
import { py2DictOrder } from './py2dict';

export interface OptSpec {
  /** '--volume-id' */
  flag: string;
  kind: 'value' | 'list' | 'true' | 'false';
  /** where the value goes (two flags may share one: --dry-run / --no-dry-run) */
  dest: string;
  required?: boolean;
  choices?: readonly string[];
}

export interface PositionalSpec {
  name: string;
  /** '1' must be there; '?' only when the first word is not an option */
  nargs: '1' | '?';
  choices?: readonly string[];
}

export type ParseResult =
  | { ok: true; values: Record<string, string | string[] | boolean>; positional: string | null; extras: string[] }
  | { ok: false; message: string };

export const USAGE = 'usage: aws [options] <command> <subcommand> [parameters]';

/** what argparse's error() prints before exiting with status 2 */
export const argparseError = (message: string): string => `${USAGE}\naws: error: ${message}\n`;

/** awscli/argparser.py CLIArgParser._check_value: choices two to a line, then close matches */
export function invalidChoice(name: string, value: string, choices: readonly string[]): string {
  const msg = ['Invalid choice, valid choices are:\n'];
  for (let i = 0; i < choices.length; i += 2) msg.push(choices.slice(i, i + 2).map((c) => c.padEnd(40)).join(' | '));
  const possible = getCloseMatches(value, choices);
  if (possible.length) {
    msg.push(`\n\nInvalid choice: ${pyRepr(value)}, maybe you meant:\n`);
    for (const p of possible) msg.push(`  * ${p}`);
  }
  return `argument ${name}: ${msg.join('\n')}`;
}

/** Python 2's repr() of a byte string as argv holds it */
export function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(/[\\\n\r\t]/g, (c) => ({ '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!).replace(quote === "'" ? /'/g : /(?!)/g, "\\'");
  return quote + body + quote;
}

const NEGATIVE_NUMBER = /^-\d+$|^-\d*\.\d+$/;

/** argparse's view of one word: an option it knows (with a value glued on by '='), an unknown option, or a plain word */
type Word = { kind: 'opt'; spec: OptSpec; explicit: string | null } | { kind: 'unknown' } | { kind: 'arg' };

function classify(word: string, opts: readonly OptSpec[]): Word | { kind: 'error'; message: string } {
  if (!word || word[0] !== '-' || word.length === 1) return { kind: 'arg' };
  const exact = opts.find((o) => o.flag === word);
  if (exact) return { kind: 'opt', spec: exact, explicit: null };
  if (word.includes('=')) {
    const [name, value] = [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)];
    const o = opts.find((x) => x.flag === name);
    if (o) return { kind: 'opt', spec: o, explicit: value };
  }
  if (word.startsWith('--')) {
    const prefix = word.includes('=') ? word.slice(0, word.indexOf('=')) : word;
    const explicit = word.includes('=') ? word.slice(word.indexOf('=') + 1) : null;
    const hits = opts.filter((o) => o.flag.startsWith(prefix));
    if (hits.length > 1) {
      // the parser's option table is a dict: the candidates come out in Python 2.7's order
      const order = py2DictOrder(opts.map((o) => o.flag));
      const names = order.filter((f) => hits.some((h) => h.flag === f));
      return { kind: 'error', message: `ambiguous option: ${word} could match ${names.join(', ')}` };
    }
    if (hits.length === 1) return { kind: 'opt', spec: hits[0]!, explicit };
  }
  if (NEGATIVE_NUMBER.test(word)) return { kind: 'arg' };
  if (word.includes(' ')) return { kind: 'arg' };
  return { kind: 'unknown' };
}

export function parseKnownArgs(args: readonly string[], opts: readonly OptSpec[], positional: PositionalSpec | null): ParseResult {
  const words: Array<Word | { kind: 'error'; message: string }> = args.map((a) => classify(a, opts));
  const values: Record<string, string | string[] | boolean> = {};
  const extras: string[] = [];
  let pos: string | null = null;
  let posSeen = false;
  const seen = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const w = words[i]!;
    if (w.kind === 'error') return { ok: false, message: w.message };
    if (w.kind === 'unknown') {
      extras.push(args[i]!);
      continue;
    }
    if (w.kind === 'arg') {
      if (args[i] === '--') continue;
      if (positional && !posSeen && (positional.nargs === '1' || i === 0)) {
        posSeen = true;
        pos = args[i]!;
        if (positional.choices && !positional.choices.includes(pos)) return { ok: false, message: invalidChoice(positional.name, pos, positional.choices) };
      } else extras.push(args[i]!);
      continue;
    }
    const o = w.spec;
    seen.add(o.flag);
    if (o.kind === 'true' || o.kind === 'false') {
      if (w.explicit !== null) return { ok: false, message: `argument ${o.flag}: ignored explicit argument ${pyRepr(w.explicit)}` };
      values[o.dest] = o.kind === 'true';
      continue;
    }
    const taken: string[] = [];
    if (w.explicit !== null) taken.push(w.explicit);
    else
      while (i + 1 < args.length && words[i + 1]!.kind === 'arg' && args[i + 1] !== '--') {
        taken.push(args[++i]!);
        if (o.kind === 'value') break;
      }
    if (!taken.length) return { ok: false, message: `argument ${o.flag}: expected ${o.kind === 'list' ? 'at least one argument' : 'one argument'}` };
    if (o.choices && !o.choices.includes(taken[0]!)) return { ok: false, message: invalidChoice(o.flag, taken[0]!, o.choices) };
    values[o.dest] = o.kind === 'list' ? taken : taken[0]!;
  }
  if (positional && positional.nargs === '1' && !posSeen) return { ok: false, message: 'too few arguments' };
  for (const o of opts) if (o.required && !seen.has(o.flag)) return { ok: false, message: `argument ${o.flag} is required` };
  return { ok: true, values, positional: pos, extras };
}
