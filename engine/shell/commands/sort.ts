import { Out, failure, ok } from '../io';
import { getopt, has, last } from '../getopt';
import { bytewiseCollation, collationKey, compareCollationKeys, type CollationKey } from '../collate';
import { errnoMessage } from '../../vfs/errno';
import { absPath, readOperand, splitLines, tryHelp } from './util';
import { defineCommand } from './define';

type Kind = 'text' | 'n' | 'h' | 'g';

interface KeyFlags {
  kind: Kind;
  reverse: boolean;
  blanks: boolean;
  fold: boolean;
}

interface Key extends KeyFlags {
  startField: number;
  startChar: number;
  endField: number | null;
  endChar: number;
}

const SUFFIX = 'KMGTPEZY';

/** what one key of a line compares by: a number, a -h pair, bytes (LC_ALL=C) or a collation key */
type SortValue = number | [number, number] | string | CollationKey;

interface Row {
  line: string;
  values: SortValue[];
  /** the whole line's collation key, computed only when a tie needs it */
  whole: SortValue | null;
}

/** numeric prefix of a string, as sort -n reads it: blanks, sign, digits, decimal point */
function numericValue(s: string): number {
  const m = /^[ \t]*(-?)(\d*)(\.\d*)?/.exec(s);
  if (!m || (m[2] === '' && (!m[3] || m[3] === '.'))) return 0;
  return Number(`${m[1]}${m[2] || '0'}${m[3] && m[3] !== '.' ? m[3] : ''}`);
}

/** sort -h: the suffix decides first (K < M < G), then the number */
function humanValue(s: string): [number, number] {
  const m = /^[ \t]*(-?)(\d*\.?\d*)([kKMGTPEZY]?)/.exec(s);
  if (!m || m[2] === '' || m[2] === '.') return [0, 0];
  const n = Number(`${m[1]}${m[2]}`);
  const mag = m[3] ? SUFFIX.indexOf(m[3].toUpperCase()) + 1 : 0;
  return [n === 0 ? 0 : Math.sign(n) * mag, n];
}

function generalValue(s: string): number {
  const v = parseFloat(s.trim());
  return Number.isNaN(v) ? -Infinity : v;
}

function parseFlags(s: string, base: KeyFlags): KeyFlags | null {
  const f = { ...base };
  let any = false;
  for (const c of s) {
    any = true;
    if (c === 'n') f.kind = 'n';
    else if (c === 'h') f.kind = 'h';
    else if (c === 'g') f.kind = 'g';
    else if (c === 'r') f.reverse = true;
    else if (c === 'b') f.blanks = true;
    else if (c === 'f') f.fold = true;
    else return null;
  }
  return any ? f : base;
}

function parseKey(spec: string, global: KeyFlags): Key | string {
  const m = /^(\d+)(?:\.(\d+))?([a-zA-Z]*)(?:,(\d+)(?:\.(\d+))?([a-zA-Z]*))?$/.exec(spec);
  if (!m) return `sort: invalid number at field start: invalid count at start of '${spec}'`;
  if (m[1] === '0') return `sort: field number is zero: invalid field specification '${spec}'`;
  if (m[2] === '0') return `sort: character offset is zero: invalid field specification '${spec}'`;
  const own = (m[3] ?? '') + (m[6] ?? '');
  const flags = own ? parseFlags(own, { kind: 'text', reverse: false, blanks: false, fold: false }) : global;
  if (!flags) return `sort: invalid option -- '${own.replace(/[nhgrbf]/g, '')[0]}'`;
  return {
    ...flags,
    startField: Number(m[1]),
    startChar: m[2] ? Number(m[2]) : 1,
    endField: m[4] ? Number(m[4]) : null,
    endChar: m[5] ? Number(m[5]) : 0,
  };
}

/** Start offsets of each field: with -t, after each separator; otherwise blanks lead a field. */
function fieldStarts(line: string, sep: string | null): number[] {
  const starts = [0];
  if (sep !== null) {
    for (let i = line.indexOf(sep); i >= 0; i = line.indexOf(sep, i + 1)) starts.push(i + 1);
    return starts;
  }
  for (let i = 0; i < line.length; i++) {
    const blank = line[i] === ' ' || line[i] === '\t';
    const prevBlank = i > 0 && (line[i - 1] === ' ' || line[i - 1] === '\t');
    if (blank && i > 0 && !prevBlank) starts.push(i);
  }
  return starts;
}

function extract(line: string, key: Key, sep: string | null): string {
  const starts = fieldStarts(line, sep);
  /** end of 1-based field f: where field f+1 starts (minus its separator), or the line's end */
  const fieldEnd = (f: number) => (f < starts.length ? (sep !== null ? starts[f] - 1 : starts[f]) : line.length);
  if (key.startField - 1 >= starts.length) return '';
  let from = starts[key.startField - 1];
  if (key.blanks) while (from < line.length && (line[from] === ' ' || line[from] === '\t')) from++;
  from = Math.min(line.length, from + key.startChar - 1);
  let to = line.length;
  if (key.endField !== null) {
    if (key.endChar === 0) to = fieldEnd(key.endField);
    else {
      const fs = key.endField - 1 < starts.length ? starts[key.endField - 1] : line.length;
      to = Math.min(line.length, fs + key.endChar);
    }
  }
  return to > from ? line.slice(from, to) : '';
}

export const sort = defineCommand({
  name: 'sort',
  summary: 'sort lines of text',
  category: 'text',
  argKind: 'path',
  completions: ['-n', '-r', '-k', '-t', '-u', '-h', '-f', '-b', '-g', '-s'],
  synopsis: ['sort [-nrhgfbsu] [-t SEP] [-k FIELD[,FIELD]]... [FILE]...'],
  description: [
    'Prints the lines of the FILEs (or of standard input) in order. By default whole lines are compared as text, in the order of the locale (en_US.UTF-8 here: case and punctuation matter only to break ties; set LC_ALL=C for plain byte order).',
    'With -k, only part of each line counts: -k 3 compares from field 3 to the end of the line, -k 3,3 compares field 3 alone, -k 2.4 starts at the 4th character of field 2. Fields are separated by blanks unless -t gives a separator. A key may carry its own letters: -k 3,3nr sorts numerically, in reverse, by field 3. Lines whose keys are equal are ordered by the whole line, unless -s.',
  ],
  options: [
    ['-n', 'Compare by numeric value (leading blanks, a minus sign, digits and a decimal point).'],
    ['-h', 'Compare human-readable sizes: 2K < 1M < 3G.'],
    ['-g', 'Compare as floating-point numbers (1e3 works).'],
    ['-r', 'Reverse the order.'],
    ['-k POS1[,POS2]', 'Sort by the key from POS1 to POS2 (see above); may be repeated.'],
    ['-t SEP', 'Fields are separated by the character SEP.'],
    ['-u', 'Print only the first of lines with equal keys.'],
    ['-f', 'Fold lower case to upper case when comparing.'],
    ['-b', 'Ignore leading blanks in keys.'],
    ['-s', 'Stable: keep the input order of lines with equal keys.'],
  ],
  examples: [
    ['ps aux | sort -k4 -nr | head', 'Processes by memory share, biggest first.'],
    ['sort -t: -k3,3n /etc/passwd', 'Accounts ordered by user id.'],
    ['du -h /var/log/* | sort -h', 'Sizes in human units, smallest first.'],
  ],
  run(ctx) {
    const p = getopt('sort', ctx.argv.slice(1), [
      { key: 'n', short: 'n', long: 'numeric-sort' },
      { key: 'h', short: 'h', long: 'human-numeric-sort' },
      { key: 'g', short: 'g', long: 'general-numeric-sort' },
      { key: 'r', short: 'r', long: 'reverse' },
      { key: 'k', short: 'k', long: 'key', arg: 'required' },
      { key: 't', short: 't', long: 'field-separator', arg: 'required' },
      { key: 'u', short: 'u', long: 'unique' },
      { key: 'f', short: 'f', long: 'ignore-case' },
      { key: 'b', short: 'b', long: 'ignore-leading-blanks' },
      { key: 's', short: 's', long: 'stable' },
      { key: 'o', short: 'o', long: 'output', arg: 'required' },
    ], { builtinHelp: true });
    if (p.help) return ok('Usage: sort [OPTION]... [FILE]...\n');
    if (p.error !== undefined) return tryHelp('sort', p.error, 2);
    const global: KeyFlags = {
      kind: has(p.opts, 'n') ? 'n' : has(p.opts, 'h') ? 'h' : has(p.opts, 'g') ? 'g' : 'text',
      reverse: has(p.opts, 'r'),
      blanks: has(p.opts, 'b'),
      fold: has(p.opts, 'f'),
    };
    const sepOpt = last(p.opts, 't');
    if (sepOpt !== undefined && sepOpt.length !== 1) {
      return failure(sepOpt === '' ? 'sort: empty tab\n' : `sort: multi-character tab '${sepOpt}'\n`, 2);
    }
    const sep = sepOpt ?? null;
    const keys: Key[] = [];
    for (const o of p.opts.filter((x) => x.key === 'k')) {
      const k = parseKey(o.value ?? '', global);
      if (typeof k === 'string') return tryHelp('sort', k, 2);
      keys.push(k);
    }
    const out = new Out();
    const lines: string[] = [];
    for (const f of p.operands.length ? p.operands : ['-']) {
      const r = readOperand(ctx, f);
      if (!r.ok) return failure(`sort: ${r.errno === 'EISDIR' ? 'read failed' : 'open failed'}: ${f}: ${errnoMessage(r.errno)}\n`, 2);
      for (const l of splitLines(r.value)) lines.push(l);
    }
    // Each line is decorated once with what its keys compare by: a million lines sort in seconds.
    const bytewise = bytewiseCollation(ctx.env.vars);
    const keyList: KeyFlags[] = keys.length === 0 ? [global] : keys;
    const valueOf = (text: string, k: KeyFlags): SortValue => {
      if (k.kind === 'n') return numericValue(text);
      if (k.kind === 'g') return generalValue(text);
      if (k.kind === 'h') return humanValue(text);
      let x = k.blanks ? text.replace(/^[ \t]+/, '') : text;
      if (k.fold) x = x.toUpperCase();
      return bytewise ? x : collationKey(x);
    };
    const rows: Row[] = lines.map((line) => ({
      line,
      values: keyList.map((k, i) => valueOf(keys.length === 0 ? line : extract(line, keys[i], sep), k)),
      whole: null,
    }));
    const compareValues = (x: SortValue, y: SortValue, k: KeyFlags): number => {
      let c: number;
      if (typeof x === 'number' && typeof y === 'number') c = k.kind === 'g' ? (x === y ? 0 : x < y ? -1 : 1) : x - y;
      else if (Array.isArray(x) && Array.isArray(y)) c = x[0] !== y[0] ? x[0] - y[0] : x[1] - y[1];
      else if (typeof x === 'string' && typeof y === 'string') c = x < y ? -1 : x > y ? 1 : 0;
      else c = compareCollationKeys(x as CollationKey, y as CollationKey);
      c = Math.sign(c);
      return k.reverse ? -c : c;
    };
    const keyCompare = (a: Row, b: Row): number => {
      for (let i = 0; i < keyList.length; i++) {
        const c = compareValues(a.values[i]!, b.values[i]!, keyList[i]!);
        if (c !== 0) return c;
      }
      return 0;
    };
    const wholeLine = (r: Row): SortValue => (r.whole ??= bytewise ? r.line : collationKey(r.line));
    const lastResort = !has(p.opts, 's') && !has(p.opts, 'u') && (keys.length > 0 || global.kind !== 'text' || global.fold || global.blanks);
    rows.sort((a, b) => {
      const c = keyCompare(a, b);
      if (c !== 0 || !lastResort) return c;
      const x = wholeLine(a);
      const y = wholeLine(b);
      const d = typeof x === 'string' ? (x < (y as string) ? -1 : x > (y as string) ? 1 : 0) : compareCollationKeys(x as CollationKey, y as CollationKey);
      return global.reverse ? -d : d;
    });
    const result = has(p.opts, 'u') ? rows.filter((r, i) => i === 0 || keyCompare(rows[i - 1]!, r) !== 0) : rows;
    const text = result.map((r) => r.line + '\n').join('');
    const target = last(p.opts, 'o');
    if (target !== undefined) {
      const w = ctx.env.fs.write(absPath(ctx, target), text, ctx.user);
      if (!w.ok) {
        // the file opened, the disk (or the quota) was full when sort wrote to it
        const when = w.errno === 'ENOSPC' || w.errno === 'EDQUOT' ? 'write failed' : 'open failed';
        return failure(`sort: ${when}: ${target}: ${errnoMessage(w.errno)}\n`, 2);
      }
      return out.done(0);
    }
    out.out(text);
    return out.done(0);
  },
});
