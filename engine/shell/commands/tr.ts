import { ok } from '../io';
import { getopt, has } from '../getopt';
import { tryHelp } from './util';
import { defineCommand } from './define';

const CLASS_CHARS: Record<string, () => string[]> = {
  lower: () => range('a', 'z'),
  upper: () => range('A', 'Z'),
  digit: () => range('0', '9'),
  alpha: () => [...range('A', 'Z'), ...range('a', 'z')],
  alnum: () => [...range('0', '9'), ...range('A', 'Z'), ...range('a', 'z')],
  space: () => [' ', '\t', '\n', '\v', '\f', '\r'],
  blank: () => [' ', '\t'],
  punct: () => range('!', '~').filter((c) => !/[A-Za-z0-9]/.test(c)),
  xdigit: () => [...range('0', '9'), ...range('A', 'F'), ...range('a', 'f')],
  cntrl: () => [...range('\x00', '\x1f'), '\x7f'],
  print: () => range(' ', '~'),
  graph: () => range('!', '~'),
};

function range(a: string, b: string): string[] {
  const out: string[] = [];
  for (let c = a.charCodeAt(0); c <= b.charCodeAt(0); c++) out.push(String.fromCharCode(c));
  return out;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\' };

/** A SET operand as the list of characters it stands for; a string is an error message. */
function expandSet(set: string): string[] | string {
  const chars: string[] = [];
  // first resolve escapes into single characters, remembering which were escaped
  const raw: { c: string; esc: boolean }[] = [];
  for (let i = 0; i < set.length; i++) {
    if (set[i] === '\\' && i + 1 < set.length) {
      const n = set[i + 1];
      const oct = /^[0-7]{1,3}/.exec(set.slice(i + 1));
      if (oct) {
        raw.push({ c: String.fromCharCode(parseInt(oct[0], 8)), esc: true });
        i += oct[0].length;
      } else {
        raw.push({ c: ESCAPES[n] ?? n, esc: true });
        i++;
      }
    } else raw.push({ c: set[i], esc: false });
  }
  for (let i = 0; i < raw.length; i++) {
    const here = raw[i];
    if (!here.esc && here.c === '[' && raw[i + 1]?.c === ':') {
      const rest = raw.slice(i + 2).map((r) => r.c).join('');
      const m = /^([a-z]+):\]/.exec(rest);
      if (m) {
        const cls = CLASS_CHARS[m[1]];
        if (!cls) return `tr: invalid character class '${m[1]}'`;
        for (const ch of cls()) chars.push(ch);
        i += m[0].length + 1;
        continue;
      }
    }
    if (i + 2 < raw.length && raw[i + 1].c === '-' && !raw[i + 1].esc) {
      const to = raw[i + 2].c;
      if (to < here.c) {
        return `tr: range-endpoints of '${here.c}-${to}' are in reverse collating sequence order`;
      }
      for (const ch of range(here.c, to)) chars.push(ch);
      i += 2;
      continue;
    }
    chars.push(here.c);
  }
  return chars;
}

export const tr = defineCommand({
  name: 'tr',
  summary: 'translate or delete characters',
  category: 'text',
  completions: ['-d', '-s', '-c'],
  synopsis: ['tr [-c] [-s] SET1 SET2', 'tr [-c] -d [-s] SET1 [SET2]', 'tr -s SET1'],
  description: [
    'Copies standard input to standard output, replacing each character found in SET1 with the character at the same position in SET2 (SET2 is stretched by repeating its last character). tr reads standard input only; it takes no file names.',
    'A SET is a list of characters, ranges such as a-z, escapes such as \\n and \\t, and classes such as [:lower:], [:upper:], [:digit:], [:space:], [:alpha:], [:alnum:] and [:punct:].',
  ],
  options: [
    ['-d', 'Delete the characters in SET1 instead of translating.'],
    ['-s', 'Squeeze each run of a repeated character from the last SET given into one.'],
    ['-c', 'Use every character NOT in SET1 instead (tr -cd 0-9 keeps only digits).'],
  ],
  examples: [
    ["tr a-z A-Z", 'Upper-case everything.'],
    ["tr -s ' '", 'Squeeze runs of spaces into one, so cut -d\' \' can split ps output.'],
    ["tr ':' '\\n' <<< $PATH", 'One directory of $PATH per line.'],
  ],
  run(ctx) {
    const p = getopt('tr', ctx.argv.slice(1), [
      { key: 'd', short: 'd', long: 'delete' },
      { key: 's', short: 's', long: 'squeeze-repeats' },
      { key: 'c', short: 'c', long: 'complement' },
      { key: 'c', short: 'C' },
      { key: 't', short: 't', long: 'truncate-set1' },
    ], { builtinHelp: true });
    if (p.help) return ok('Usage: tr [OPTION]... SET1 [SET2]\n');
    if (p.error !== undefined) return tryHelp('tr', p.error);
    const del = has(p.opts, 'd');
    const squeeze = has(p.opts, 's');
    const ops = p.operands;
    if (ops.length === 0) return tryHelp('tr', 'tr: missing operand');
    if (del && !squeeze && ops.length > 1) return tryHelp('tr', `tr: extra operand '${ops[1]}'\nOnly one string may be given when deleting without squeezing repeats.`);
    if (!del && !squeeze && ops.length < 2) return tryHelp('tr', `tr: missing operand after '${ops[0]}'\nTwo strings must be given when translating.`);
    if (ops.length > 2) return tryHelp('tr', `tr: extra operand '${ops[2]}'`);
    const s1 = expandSet(ops[0]);
    if (typeof s1 === 'string') return { stdout: '', stderr: s1 + '\n', code: 1 };
    const s2 = ops[1] !== undefined ? expandSet(ops[1]) : [];
    if (typeof s2 === 'string') return { stdout: '', stderr: s2 + '\n', code: 1 };
    const inSet1 = new Set(s1);
    const complement = has(p.opts, 'c');
    const matches1 = (c: string) => inSet1.has(c) !== complement;
    if (!del && ops.length > 1 && s2.length === 0) return { stdout: '', stderr: 'tr: when not truncating set1, string2 must be non-empty\n', code: 1 };
    const map = new Map<string, string>();
    if (!del && s2.length > 0 && !complement) s1.forEach((c, i) => map.set(c, s2[Math.min(i, s2.length - 1)]));
    const squeezeSet = new Set(del || ops.length === 1 ? (del ? s2 : s1) : s2);
    const squeezeMatch = (c: string) => (ops.length === 1 && complement ? !squeezeSet.has(c) : squeezeSet.has(c));
    let out = '';
    let prev: string | null = null;
    for (const ch of ctx.stdin) {
      let c: string | null = ch;
      if (del && matches1(ch)) c = null;
      else if (!del && s2.length > 0) {
        if (complement) c = matches1(ch) ? s2[s2.length - 1] : ch;
        else c = map.get(ch) ?? ch;
      }
      if (c === null) continue;
      if (squeeze && prev === c && squeezeMatch(c)) continue;
      out += c;
      prev = c;
    }
    return ok(out);
  },
});
