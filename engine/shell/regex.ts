import type { RE2JS } from 're2js';
import { bracketToRe } from './bracket';

/**
 * POSIX regular expressions (GNU flavour) from the player, matched in bounded time.
 *
 * A pattern is parsed into a tree here, then matched by one of two engines:
 *  - re2js, which runs in time linear in the text whatever the pattern (`(a+)+$` included), for
 *    every pattern it can express: everything but back-references;
 *  - a small backtracking matcher for the rest (`\(a\)\1`), which gives up with
 *    RegexTooComplex once one match has taken more steps than a generous budget.
 * Both find the leftmost-longest match, as GNU grep, sed and awk do.
 *
 * Basic expressions (grep without -E) treat ( ) { } | + ? as literal unless backslashed; extended
 * ones the other way round. Errors use GNU grep's wording.
 */
export class RegexError extends Error {}

/** re2js loads on the first regular expression the linear engine compiles: a new game never needs it */
let re2: typeof RE2JS | null = null;
function RE2(): typeof RE2JS {
  re2 ??= (require('./re2') as typeof import('./re2')).RE2JS;
  return re2;
}

/** leftmost-longest, as GNU tools match */
function linearCompile(src: string, ignoreCase: boolean, lookbehind: boolean): RE2JS {
  const R = RE2();
  return R.compile(src, R.LONGEST_MATCH | (ignoreCase ? R.CASE_INSENSITIVE : 0) | (lookbehind ? R.LOOKBEHINDS : 0));
}

/** The backtracking matcher ran out of steps: the pattern is too costly for this world. */
export class RegexTooComplex extends Error {
  constructor() {
    super('pattern too complex for this world (matching it would take too long)');
  }
}

export interface RegexOptions {
  extended: boolean;
  ignoreCase?: boolean;
  /** awk's dialect: \n \t \r \f \v \a and octal \ddd stand for characters, and . matches a newline */
  awk?: boolean;
  /**
   * Charged with the work each match does (characters looked at, backtracking steps), so a line
   * that matches in a loop has a bound too; it throws to stop the line.
   */
  work?: (units: number) => void;
}

export interface Match {
  index: number;
  /** where the match ends (exclusive) */
  end: number;
}

/** A compiled pattern. */
export interface Regex {
  /** does it match anywhere in s */
  test(s: string): boolean;
  /** the leftmost-longest match that starts at `from` or later; anchors still see the whole of s */
  exec(s: string, from?: number): Match | null;
  /** which engine matches it: 'literal' (a plain string), 'linear' (re2js) or 'bounded' (backtracking with a step budget) */
  readonly engine: 'literal' | 'linear' | 'bounded';
}

// ---- the tree ----

type Assertion = 'bol' | 'eol' | 'word' | 'nonword' | 'wordStart' | 'wordEnd' | 'notAfterWord' | 'notBeforeWord';

export type RegexNode =
  | { t: 'empty' }
  | { t: 'lit'; c: string }
  | { t: 'any' }
  | { t: 'set'; src: string }
  | { t: 'cat'; items: RegexNode[] }
  | { t: 'alt'; items: RegexNode[] }
  | { t: 'rep'; node: RegexNode; min: number; max: number }
  | { t: 'group'; n: number; node: RegexNode }
  | { t: 'ref'; n: number }
  | { t: 'assert'; a: Assertion };

/** GNU's RE_DUP_MAX: the largest count in a{n,m} */
const DUP_MAX = 32767;
/** nested groups a pattern may have */
const MAX_NESTING = 500;
/** instructions the backtracking matcher's program may have */
const MAX_PROGRAM = 50_000;
const AWK_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', '/': '/', '"': '"' };

interface ParseState {
  p: string;
  i: number;
  extended: boolean;
  awk: boolean;
  /** groups opened so far (numbered from 1, plus the offset for several patterns) */
  groups: number;
  base: number;
  closed: Set<number>;
  depth: number;
}

/**
 * Parses a POSIX pattern. `groupBase` numbers its groups after those of earlier patterns, so that
 * several -e patterns can be matched as one alternation with each \1 still its own.
 */
export function parsePosix(pattern: string, opts: RegexOptions, groupBase = 0): { node: RegexNode; groups: number } {
  const st: ParseState = { p: pattern, i: 0, extended: opts.extended, awk: opts.awk === true, groups: 0, base: groupBase, closed: new Set(), depth: 0 };
  const node = parseAlt(st);
  if (st.i < pattern.length) {
    // only an unmatched \) can stop the top level early
    throw new RegexError('Unmatched ) or \\)');
  }
  return { node, groups: st.groups };
}

function parseAlt(st: ParseState): RegexNode {
  const items: RegexNode[] = [parseCat(st)];
  for (;;) {
    if (st.extended && st.p[st.i] === '|') st.i += 1;
    else if (!st.extended && st.p.startsWith('\\|', st.i)) st.i += 2;
    else break;
    items.push(parseCat(st));
  }
  return items.length === 1 ? items[0]! : { t: 'alt', items };
}

function atGroupEnd(st: ParseState): boolean {
  if (st.i >= st.p.length) return true;
  if (st.extended) return st.p[st.i] === '|' || (st.p[st.i] === ')' && st.depth > 0);
  return st.p.startsWith('\\|', st.i) || st.p.startsWith('\\)', st.i);
}

function parseCat(st: ParseState): RegexNode {
  const items: RegexNode[] = [];
  /** where * is literal and ^ an anchor in a basic expression: the start of a group or alternative */
  let atStart = true;
  while (!atGroupEnd(st)) {
    const p = st.p;
    const c = p[st.i]!;
    const startHere = atStart;
    atStart = false;
    // quantifiers first: they apply to the last item
    const q = quantifier(st, startHere || items.length === 0);
    if (q) {
      const last = items.pop();
      if (!last || last.t === 'assert') {
        // nothing to repeat: GNU takes the operator literally
        if (last) items.push(last);
        items.push(...q.literal.split('').map((ch): RegexNode => ({ t: 'lit', c: ch })));
        continue;
      }
      if (q.min > q.max) throw new RegexError('Invalid content of \\{\\}');
      if (q.max !== Infinity && q.max > DUP_MAX) throw new RegexError('Regular expression too big');
      items.push(repeat(last, q.min, q.max));
      continue;
    }
    if (c === '[') {
      const end = bracketEnd(p, st.i);
      if (end < 0) throw new RegexError('Unmatched [ or [^');
      const src = bracketToRe(p.slice(st.i + 1, end));
      checkSet(src);
      items.push({ t: 'set', src });
      st.i = end + 1;
      continue;
    }
    if (c === '\\') {
      if (st.i + 1 >= p.length) throw new RegexError('Trailing backslash');
      const n = p[st.i + 1]!;
      if (!st.extended && n === '(') {
        st.i += 2;
        items.push(parseGroup(st));
        continue;
      }
      if (st.awk) {
        const oct = /^[0-7]{1,3}/.exec(p.slice(st.i + 1, st.i + 4));
        if (oct) {
          items.push({ t: 'lit', c: String.fromCharCode(parseInt(oct[0], 8)) });
          st.i += 1 + oct[0].length;
          continue;
        }
        if (AWK_ESCAPES[n] !== undefined) {
          items.push({ t: 'lit', c: AWK_ESCAPES[n]! });
          st.i += 2;
          continue;
        }
      }
      const escaped = String.fromCodePoint(p.codePointAt(st.i + 1)!);
      st.i += 1 + escaped.length;
      if (n === '<') items.push({ t: 'assert', a: 'wordStart' });
      else if (n === '>') items.push({ t: 'assert', a: 'wordEnd' });
      else if (n === 'b') items.push({ t: 'assert', a: 'word' });
      else if (n === 'B') items.push({ t: 'assert', a: 'nonword' });
      else if (n === '`') items.push({ t: 'assert', a: 'bol' });
      else if (n === "'") items.push({ t: 'assert', a: 'eol' });
      else if (n === 'w') items.push({ t: 'set', src: '[A-Za-z0-9_]' });
      else if (n === 'W') items.push({ t: 'set', src: '[^A-Za-z0-9_]' });
      else if (n === 's') items.push({ t: 'set', src: '[ \\t\\n\\r\\f\\v]' });
      else if (n === 'S') items.push({ t: 'set', src: '[^ \\t\\n\\r\\f\\v]' });
      else if (/[1-9]/.test(n)) {
        const num = Number(n);
        if (num > st.groups || !st.closed.has(st.base + num)) throw new RegexError('Invalid back reference');
        items.push({ t: 'ref', n: st.base + num });
      } else items.push({ t: 'lit', c: escaped });
      continue;
    }
    if (st.extended && c === '(') {
      st.i += 1;
      items.push(parseGroup(st));
      continue;
    }
    if (c === '^') {
      if (st.extended || startHere) {
        items.push({ t: 'assert', a: 'bol' });
        atStart = true;
      } else items.push({ t: 'lit', c });
      st.i += 1;
      continue;
    }
    if (c === '$') {
      const next = st.i + 1;
      const atEnd = next >= p.length || (!st.extended && (p.startsWith('\\)', next) || p.startsWith('\\|', next)));
      items.push(st.extended || atEnd ? { t: 'assert', a: 'eol' } : { t: 'lit', c });
      st.i += 1;
      continue;
    }
    if (c === '.') {
      items.push({ t: 'any' });
      st.i += 1;
      continue;
    }
    // one character, a surrogate pair included
    const cp = String.fromCodePoint(p.codePointAt(st.i)!);
    items.push({ t: 'lit', c: cp });
    st.i += cp.length;
  }
  if (items.length === 0) return { t: 'empty' };
  return items.length === 1 ? items[0]! : { t: 'cat', items };
}

/**
 * node{min,max}. Stacked *, + and ? (GNU accepts a**, a+?, (x*)*...) fold into one, so ten
 * thousand stars are one loop rather than ten thousand nested ones.
 */
function repeat(node: RegexNode, min: number, max: number): RegexNode {
  const simple = (lo: number, hi: number) => lo <= 1 && (hi === 1 || hi === Infinity);
  if (node.t === 'rep' && simple(node.min, node.max) && simple(min, max)) {
    return { t: 'rep', node: node.node, min: Math.min(node.min, min), max: Math.max(node.max, max) };
  }
  return { t: 'rep', node, min, max };
}

function parseGroup(st: ParseState): RegexNode {
  if (++st.depth > MAX_NESTING) throw new RegexError('Regular expression too big');
  const n = st.base + ++st.groups;
  const node = parseAlt(st);
  if (st.extended) {
    if (st.p[st.i] !== ')') throw new RegexError('Unmatched ( or \\(');
    st.i += 1;
  } else {
    if (!st.p.startsWith('\\)', st.i)) throw new RegexError('Unmatched ( or \\(');
    st.i += 2;
  }
  st.depth--;
  st.closed.add(n);
  return { t: 'group', n, node };
}

/** A repetition operator at st.i, consumed; null (nothing consumed) when there is none. */
function quantifier(st: ParseState, atStart: boolean): { min: number; max: number; literal: string } | null {
  const p = st.p;
  const c = p[st.i];
  if (st.extended) {
    if (c === '*' || c === '+' || c === '?') {
      if (atStart) return null;
      st.i += 1;
      return c === '*' ? { min: 0, max: Infinity, literal: c } : c === '+' ? { min: 1, max: Infinity, literal: c } : { min: 0, max: 1, literal: c };
    }
    if (c === '{' && !atStart) {
      const m = /^\{(\d*)(,(\d*))?\}/.exec(p.slice(st.i, st.i + 32));
      if (!m || (m[1] === '' && !m[3])) return null;
      st.i += m[0].length;
      return interval(m[1]!, m[2] !== undefined, m[3] ?? '', m[0]);
    }
    return null;
  }
  if (c === '*') {
    if (atStart) return null;
    st.i += 1;
    return { min: 0, max: Infinity, literal: '*' };
  }
  if (c !== '\\') return null;
  const n = p[st.i + 1];
  if (n === '+' || n === '?') {
    if (atStart) return null;
    st.i += 2;
    return n === '+' ? { min: 1, max: Infinity, literal: n } : { min: 0, max: 1, literal: n };
  }
  if (n === '{') {
    const close = p.indexOf('\\}', st.i + 2);
    if (close < 0) throw new RegexError('Unmatched \\{');
    const body = p.slice(st.i + 2, close);
    const m = /^(\d*)(,(\d*))?$/.exec(body);
    if (!m || body === '' || body === ',') throw new RegexError('Invalid content of \\{\\}');
    st.i = close + 2;
    return interval(m[1]!, m[2] !== undefined, m[3] ?? '', `{${body}}`);
  }
  return null;
}

function interval(minS: string, comma: boolean, maxS: string, literal: string): { min: number; max: number; literal: string } {
  const min = minS === '' ? 0 : Number(minS);
  const max = !comma ? min : maxS === '' ? Infinity : Number(maxS);
  if (min > DUP_MAX) throw new RegexError('Regular expression too big');
  return { min, max, literal };
}

function bracketEnd(p: string, start: number): number {
  let i = start + 1;
  if (p[i] === '^') i++;
  if (p[i] === ']') i++;
  for (; i < p.length; i++) {
    if (p[i] === '[' && (p[i + 1] === ':' || p[i + 1] === '.' || p[i + 1] === '=')) {
      const close = p.indexOf(p[i + 1] + ']', i + 2);
      if (close < 0) return -1;
      i = close + 1;
    } else if (p[i] === ']') return i;
  }
  return -1;
}

/** The JavaScript class that tests one character against a bracket expression (safe: one character). */
function setRegExp(src: string, ignoreCase: boolean): RegExp {
  return new RegExp(`^${src}$`, ignoreCase ? 'iu' : 'u');
}

function checkSet(src: string): void {
  try {
    setRegExp(src, false);
  } catch {
    throw new RegexError('Invalid range end');
  }
}

// ---- building patterns for the tools ----

/** A string matched literally (grep -F). */
export function literalNode(text: string): RegexNode {
  const items: RegexNode[] = [];
  for (const ch of text) items.push({ t: 'lit', c: ch });
  return items.length === 0 ? { t: 'empty' } : items.length === 1 ? items[0]! : { t: 'cat', items };
}

export function anyOf(nodes: RegexNode[]): RegexNode {
  return nodes.length === 1 ? nodes[0]! : { t: 'alt', items: nodes };
}

/** grep -x: the whole line */
export function wholeLine(node: RegexNode): RegexNode {
  return { t: 'cat', items: [{ t: 'assert', a: 'bol' }, { t: 'group', n: 0, node }, { t: 'assert', a: 'eol' }] };
}

/** grep -w: no word character just before or just after the match */
export function wholeWord(node: RegexNode): RegexNode {
  return { t: 'cat', items: [{ t: 'assert', a: 'notAfterWord' }, { t: 'group', n: 0, node }, { t: 'assert', a: 'notBeforeWord' }] };
}

/**
 * A string every match of the pattern contains, the longest this finds ('' when it finds none):
 * a match of a concatenation is its items' matches side by side, so a run of literal characters
 * in it (zero-width assertions between them take no room) is matched as it is written, and so is
 * anything a group, or a repetition that happens at least once, must contain. Alternatives,
 * classes and back-references promise nothing here.
 */
export function requiredLiteral(n: RegexNode): string {
  switch (n.t) {
    case 'lit':
      return n.c;
    case 'group':
      return requiredLiteral(n.node);
    case 'rep':
      return n.min >= 1 ? requiredLiteral(n.node) : '';
    case 'cat': {
      let best = '';
      let run = '';
      for (const item of n.items) {
        if (item.t === 'lit') {
          run += item.c;
          if (run.length > best.length) best = run;
        } else if (item.t === 'assert' || item.t === 'empty') {
          continue;
        } else {
          run = '';
          const inner = requiredLiteral(item);
          if (inner.length > best.length) best = inner;
        }
      }
      return best;
    }
    default:
      return '';
  }
}

/** the pattern is a plain string: it matches wherever that string is, and nowhere else */
export function isLiteral(n: RegexNode): boolean {
  return n.t === 'lit' || (n.t === 'cat' && n.items.length > 0 && n.items.every((x) => x.t === 'lit'));
}

/** A POSIX pattern, compiled; RegexError with GNU grep's complaint when it is not one. */
export function compilePosix(pattern: string, opts: RegexOptions): Regex {
  return compileNode(parsePosix(pattern, opts).node, opts);
}

type CompileOptions = { ignoreCase?: boolean; awk?: boolean; work?: (units: number) => void };

export function compileNode(node: RegexNode, opts: CompileOptions): Regex {
  const literal = literalRegex(node, opts);
  if (literal) return literal;
  if (!hasBackref(node)) {
    const linear = linearRegex(node, opts);
    if (linear) return linear;
  }
  return new BoundedRegex(node, opts);
}

function hasBackref(n: RegexNode): boolean {
  switch (n.t) {
    case 'ref':
      return true;
    case 'cat':
    case 'alt':
      return n.items.some(hasBackref);
    case 'rep':
    case 'group':
      return hasBackref(n.node);
    default:
      return false;
  }
}

// ---- a plain string: no engine at all ----

/**
 * Where `lit` next occurs in a text, from `from` on (-1: nowhere): indexOf, or with -i JavaScript's
 * /iu matching, which for ASCII folds the same characters together as re2 does (k with the Kelvin
 * sign, s with the long s). Null when that would not be what re2js finds: an empty string, a lone
 * surrogate (indexOf would find half of a pair), or with -i a character beyond ASCII.
 */
export function plainFinder(lit: string, ignoreCase: boolean): ((text: string, from: number) => number) | null {
  if (lit === '' || /[\ud800-\udfff]/.test(lit.replace(/[\ud800-\udbff][\udc00-\udfff]/g, '')) || (ignoreCase && /[^\x00-\x7f]/.test(lit))) return null;
  if (!ignoreCase) return (text, from) => text.indexOf(lit, from);
  const re = new RegExp(lit.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'), 'giu');
  return (text, from) => {
    re.lastIndex = from;
    const m = re.exec(text);
    return m ? m.index : -1;
  };
}

/**
 * A pattern that is a plain string needs no regex engine. Most patterns players type are words,
 * so most of them never load re2js. Every match is as long as the string, so the leftmost match
 * is the leftmost-longest. It charges `work` as the linear engine does, so a line's budget does
 * not depend on which one ran.
 */
function literalRegex(node: RegexNode, opts: CompileOptions): Regex | null {
  if (!isLiteral(node)) return null;
  const lit = node.t === 'lit' ? node.c : (node as { items: Array<{ c: string }> }).items.map((x) => x.c).join('');
  const find = plainFinder(lit, opts.ignoreCase === true);
  if (!find) return null;
  const work = opts.work;
  return {
    engine: 'literal',
    test(s) {
      work?.(s.length + 1);
      return find(s, 0) >= 0;
    },
    exec(s, from = 0) {
      work?.(s.length - from + 1);
      const at = find(s, from);
      return at < 0 ? null : { index: at, end: at + lit.length };
    },
  };
}

// ---- the linear engine: re2js ----

/** RE2 syntax for the tree; `lookbehind` is set when it needs re2js's lookbehinds. */
function toRe2(n: RegexNode, dotAll: boolean, flags: { lookbehind: boolean; captures?: boolean }): string {
  switch (n.t) {
    case 'empty':
      return '(?:)';
    case 'lit':
      return /[\\.+*?()|[\]{}^$/]/.test(n.c) ? '\\' + n.c : n.c;
    case 'any':
      return dotAll ? '(?s:.)' : '.';
    case 'set':
      return n.src;
    case 'cat':
      return n.items.map((x) => (x.t === 'alt' ? `(?:${toRe2(x, dotAll, flags)})` : toRe2(x, dotAll, flags))).join('');
    case 'alt':
      return n.items.map((x) => toRe2(x, dotAll, flags)).join('|');
    case 'group':
      return flags.captures && n.n > 0 ? `(${toRe2(n.node, dotAll, flags)})` : `(?:${toRe2(n.node, dotAll, flags)})`;
    case 'rep': {
      const inner = n.node.t === 'lit' || n.node.t === 'any' || n.node.t === 'set' || n.node.t === 'group' ? toRe2(n.node, dotAll, flags) : `(?:${toRe2(n.node, dotAll, flags)})`;
      const q =
        n.min === 0 && n.max === Infinity ? '*'
        : n.min === 1 && n.max === Infinity ? '+'
        : n.min === 0 && n.max === 1 ? '?'
        : n.max === Infinity ? `{${n.min},}`
        : n.min === n.max ? `{${n.min}}`
        : `{${n.min},${n.max}}`;
      return inner + q;
    }
    case 'ref':
      throw new RegexError('back-references are not linear');
    case 'assert':
      switch (n.a) {
        case 'bol':
          return '^';
        case 'eol':
          return '$';
        case 'word':
          return '\\b';
        case 'nonword':
          return '\\B';
        case 'wordStart':
          flags.lookbehind = true;
          return '(?<!\\w)\\b';
        case 'wordEnd':
          flags.lookbehind = true;
          return '\\b(?<=\\w)';
        case 'notAfterWord':
          flags.lookbehind = true;
          return '(?<!\\w)';
        case 'notBeforeWord':
          // the next character is not a word character: a boundary after one, none after anything else
          flags.lookbehind = true;
          return '(?:(?<=\\w)\\b|(?<!\\w)\\B)';
      }
  }
}

function linearRegex(node: RegexNode, opts: CompileOptions): Regex | null {
  const flags = { lookbehind: false };
  let re: RE2JS;
  try {
    const src = toRe2(node, opts.awk === true, flags);
    re = linearCompile(src, opts.ignoreCase === true, flags.lookbehind);
  } catch {
    // counts above re2's 1000, programs too large for it: the bounded engine takes those
    return null;
  }
  const work = opts.work;
  return {
    engine: 'linear',
    test(s) {
      work?.(s.length + 1);
      return re.test(s);
    },
    exec(s, from = 0) {
      work?.(s.length - from + 1);
      const m = re.matcher(s);
      if (!m.find(from)) return null;
      return { index: m.start(), end: m.end() };
    },
  };
}

/**
 * A pattern whose groups are reported too, as sed's s command needs them for \1 to \9. The
 * spans are [start, end] pairs, the whole match first, then each group by number; -1 for a group
 * that took no part in the match.
 */
export interface CapturingRegex {
  readonly engine: 'linear' | 'bounded';
  test(s: string): boolean;
  exec(s: string, from?: number): number[] | null;
  /** successive searches in one string (sed's s///g): the string is prepared for matching once */
  searcher(s: string): (from: number) => number[] | null;
}

/**
 * Like compileNode, with the groups' spans. `dotAll`: . matches a newline too, as in sed, where
 * the pattern space may hold several lines. Which spans a group reports when a pattern can match
 * the same text several ways is the engine's choice (re2's, or the first way tried), not always
 * the one POSIX prescribes. A string every match contains (requiredLiteral) is looked for first,
 * so most lines that cannot match are passed over without running the matcher.
 */
export function compileCapturing(node: RegexNode, groups: number, opts: { ignoreCase?: boolean; dotAll?: boolean; work?: (units: number) => void }): CapturingRegex {
  const work = opts.work;
  const lit = opts.ignoreCase ? '' : requiredLiteral(node);
  const cannot = (s: string, from: number): boolean => lit !== '' && s.indexOf(lit, from) < 0;
  if (lit !== '' && isLiteral(node)) {
    // a plain string (s/foo/bar/) is found where it is, without a matcher
    const find = (s: string, from: number): number[] | null => {
      const at = s.indexOf(lit, from);
      work?.((at < 0 ? s.length : at + lit.length) - from + 1);
      return at < 0 ? null : [at, at + lit.length];
    };
    return { engine: 'linear', test: (s) => find(s, 0) !== null, exec: (s, from = 0) => find(s, from), searcher: (s) => (from) => find(s, from) };
  }
  if (!hasBackref(node)) {
    const flags = { lookbehind: false, captures: true };
    let re: RE2JS | null = null;
    try {
      const src = toRe2(node, opts.dotAll === true, flags);
      re = linearCompile(src, opts.ignoreCase === true, flags.lookbehind);
    } catch {
      re = null;
    }
    if (re) {
      const linear = re;
      const searcher = (s: string) => {
        let m: ReturnType<RE2JS['matcher']> | null = null;
        return (from: number): number[] | null => {
          if (cannot(s, from)) {
            work?.(s.length - from + 1);
            return null;
          }
          m ??= linear.matcher(s);
          if (!m.find(from)) {
            work?.(s.length - from + 1);
            return null;
          }
          // a search costs what it looked at: up to the end of its match
          work?.(m.end() - from + 1);
          const out: number[] = [];
          for (let k = 0; k <= groups; k++) out.push(m.start(k), m.end(k));
          return out;
        };
      };
      return {
        engine: 'linear',
        test(s) {
          work?.(s.length + 1);
          return !cannot(s, 0) && linear.test(s);
        },
        exec: (s, from = 0) => searcher(s)(from),
        searcher,
      };
    }
  }
  const bounded = new BoundedRegex(node, { ignoreCase: opts.ignoreCase, awk: opts.dotAll, work });
  return {
    engine: 'bounded',
    test: (s) => !cannot(s, 0) && bounded.test(s),
    exec: (s, from = 0) => (cannot(s, from) ? null : bounded.execGroups(s, from, groups)),
    searcher: (s) => (from) => (cannot(s, from) ? null : bounded.execGroups(s, from, groups)),
  };
}

/**
 * Compiled engine-built sources, by source and flag. The same few globs come back all the time
 * (logrotate's, every day of a long sleep), and a compiled pattern holds no state between matches.
 * Bounded in count and in the length of what is kept: a bot's players' thousand different globs,
 * or one glob of a megabyte, do not pile up in the process.
 */
const fromSource = new Map<string, { test(s: string): boolean } | null>();
const FROM_SOURCE_KEPT = 256;
const FROM_SOURCE_MAX_CHARS = 1024;

/** RE2 source for a regular expression built by the engine itself (globs): null when re2 refuses it. */
export function linearFromSource(src: string, ignoreCase = false): { test(s: string): boolean } | null {
  const key = (ignoreCase ? 'i' : '-') + src;
  const known = fromSource.get(key);
  if (known !== undefined) return known;
  let compiled: { test(s: string): boolean } | null;
  try {
    const re = RE2().compile(src, ignoreCase ? RE2().CASE_INSENSITIVE : 0);
    compiled = { test: (s) => re.test(s) };
  } catch {
    compiled = null;
  }
  if (key.length > FROM_SOURCE_MAX_CHARS) return compiled;
  if (fromSource.size >= FROM_SOURCE_KEPT) fromSource.clear();
  fromSource.set(key, compiled);
  return compiled;
}

// ---- the bounded engine: backtracking with a step budget ----

enum Op {
  Char,
  Any,
  Set,
  Split,
  Jmp,
  Save,
  Ref,
  Assert,
  Mark,
  Progress,
  Match,
}

type Inst =
  | { op: Op.Char; c: string }
  | { op: Op.Any; nl: boolean }
  | { op: Op.Set; re: RegExp }
  | { op: Op.Split; x: number; y: number }
  | { op: Op.Jmp; x: number }
  | { op: Op.Save; slot: number }
  | { op: Op.Ref; n: number }
  | { op: Op.Assert; a: Assertion }
  | { op: Op.Mark; r: number }
  | { op: Op.Progress; r: number }
  | { op: Op.Match };

/** steps one match may take: a fixed allowance plus some per character of the text */
const STEPS_BASE = 1_000_000;
const STEPS_PER_CHAR = 1_000;
/** steps charged to the line's work meter at a time */
const WORK_CHUNK = 10_000;

function nullable(n: RegexNode): boolean {
  switch (n.t) {
    case 'lit':
    case 'any':
    case 'set':
      return false;
    case 'cat':
      return n.items.every(nullable);
    case 'alt':
      return n.items.some(nullable);
    case 'rep':
      return n.min === 0 || nullable(n.node);
    case 'group':
      return nullable(n.node);
    default:
      return true;
  }
}

class Compiler {
  readonly prog: Inst[] = [];
  groups = 0;
  regs = 0;

  constructor(
    private readonly ignoreCase: boolean,
    private readonly dotAll: boolean,
  ) {}

  private emit(i: Inst): number {
    if (this.prog.length >= MAX_PROGRAM) throw new RegexError('Regular expression too big');
    this.prog.push(i);
    return this.prog.length - 1;
  }

  compile(n: RegexNode): void {
    switch (n.t) {
      case 'empty':
        return;
      case 'lit':
        this.emit({ op: Op.Char, c: this.ignoreCase ? n.c.toLowerCase() : n.c });
        return;
      case 'any':
        this.emit({ op: Op.Any, nl: this.dotAll });
        return;
      case 'set':
        this.emit({ op: Op.Set, re: setRegExp(n.src, this.ignoreCase) });
        return;
      case 'cat':
        for (const x of n.items) this.compile(x);
        return;
      case 'alt': {
        const jumps: number[] = [];
        n.items.forEach((x, k) => {
          if (k < n.items.length - 1) {
            const split = this.emit({ op: Op.Split, x: 0, y: 0 });
            (this.prog[split] as { x: number }).x = this.prog.length;
            this.compile(x);
            jumps.push(this.emit({ op: Op.Jmp, x: 0 }));
            (this.prog[split] as { y: number }).y = this.prog.length;
          } else this.compile(x);
        });
        for (const j of jumps) (this.prog[j] as { x: number }).x = this.prog.length;
        return;
      }
      case 'group':
        if (n.n === 0) return this.compile(n.node);
        this.groups = Math.max(this.groups, n.n);
        this.emit({ op: Op.Save, slot: 2 * n.n });
        this.compile(n.node);
        this.emit({ op: Op.Save, slot: 2 * n.n + 1 });
        return;
      case 'ref':
        this.emit({ op: Op.Ref, n: n.n });
        return;
      case 'assert':
        this.emit({ op: Op.Assert, a: n.a });
        return;
      case 'rep': {
        for (let k = 0; k < n.min; k++) this.compile(n.node);
        if (n.max === Infinity) {
          const loop = this.emit({ op: Op.Split, x: 0, y: 0 });
          (this.prog[loop] as { x: number }).x = this.prog.length;
          // an iteration that matched nothing would loop for ever: it must move on
          const guard = nullable(n.node) ? this.regs++ : -1;
          if (guard >= 0) this.emit({ op: Op.Mark, r: guard });
          this.compile(n.node);
          if (guard >= 0) this.emit({ op: Op.Progress, r: guard });
          this.emit({ op: Op.Jmp, x: loop });
          (this.prog[loop] as { y: number }).y = this.prog.length;
          return;
        }
        const exits: number[] = [];
        for (let k = n.min; k < n.max; k++) {
          const split = this.emit({ op: Op.Split, x: 0, y: 0 });
          (this.prog[split] as { x: number }).x = this.prog.length;
          exits.push(split);
          this.compile(n.node);
        }
        for (const s of exits) (this.prog[s] as { y: number }).y = this.prog.length;
        return;
      }
    }
  }
}

const isWordCode = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

class BoundedRegex implements Regex {
  readonly engine = 'bounded';
  private readonly prog: Inst[];
  private readonly slots: number;
  private readonly regBase: number;
  private readonly anchored: boolean;
  private readonly ignoreCase: boolean;
  private readonly work?: (units: number) => void;

  constructor(node: RegexNode, opts: CompileOptions) {
    const c = new Compiler(opts.ignoreCase === true, opts.awk === true);
    c.compile(node);
    c.prog.push({ op: Op.Match });
    this.prog = c.prog;
    this.regBase = 2 * (c.groups + 1);
    this.slots = this.regBase + c.regs;
    this.anchored = this.prog[0]?.op === Op.Assert && (this.prog[0] as { a: Assertion }).a === 'bol';
    this.ignoreCase = opts.ignoreCase === true;
    this.work = opts.work;
  }

  test(s: string): boolean {
    return this.search(s, 0, false) !== null;
  }

  exec(s: string, from = 0): Match | null {
    return this.search(s, from, true);
  }

  /** the leftmost-longest match with its groups' spans (see CapturingRegex) */
  execGroups(s: string, from: number, groups: number): number[] | null {
    const caps = new Array<number>(2 * (groups + 1)).fill(-1);
    const m = this.search(s, from, true, caps);
    if (!m) return null;
    caps[0] = m.index;
    caps[1] = m.end;
    return caps;
  }

  private search(s: string, from: number, longest: boolean, caps?: number[]): Match | null {
    const budget = { left: STEPS_BASE + STEPS_PER_CHAR * (s.length - from) };
    for (let start = from; start <= s.length; start++) {
      if (this.anchored && start > 0) break;
      // never start inside a surrogate pair
      if (start > 0 && start < s.length && isLow(s.charCodeAt(start)) && isHigh(s.charCodeAt(start - 1))) continue;
      const end = this.run(s, start, longest, budget, caps);
      if (end >= 0) return { index: start, end };
    }
    return null;
  }

  /** Steps taken: they come off this match's budget and go to the line's work meter. */
  private charge(budget: { left: number }, steps: number): void {
    budget.left -= steps;
    this.work?.(steps);
    if (budget.left < 0) throw new RegexTooComplex();
  }

  /** The end of the longest (or first) match starting at `start`, or -1. */
  private run(s: string, start: number, longest: boolean, budget: { left: number }, caps?: number[]): number {
    const prog = this.prog;
    const slots: number[] = new Array<number>(this.slots).fill(-1);
    // choice points, three numbers each: pc, sp, and how long the trail of slot writes was
    const stack: number[] = [];
    // slot writes to undo on backtracking, two numbers each: the slot and its old value
    const trail: number[] = [];
    let pc = 0;
    let sp = start;
    let best = -1;
    let steps = 0;
    for (;;) {
      if (++steps >= WORK_CHUNK) {
        this.charge(budget, steps);
        steps = 0;
      }
      const inst = prog[pc]!;
      let ok = true;
      switch (inst.op) {
        case Op.Char: {
          const cp = s.codePointAt(sp);
          if (cp === undefined) ok = false;
          else {
            const ch = String.fromCodePoint(cp);
            if ((this.ignoreCase ? ch.toLowerCase() : ch) === inst.c) {
              sp += ch.length;
              pc++;
            } else ok = false;
          }
          break;
        }
        case Op.Any: {
          const cp = s.codePointAt(sp);
          if (cp === undefined || (cp === 10 && !inst.nl)) ok = false;
          else {
            sp += cp > 0xffff ? 2 : 1;
            pc++;
          }
          break;
        }
        case Op.Set: {
          const cp = s.codePointAt(sp);
          if (cp === undefined) ok = false;
          else {
            const ch = String.fromCodePoint(cp);
            if (inst.re.test(ch)) {
              sp += ch.length;
              pc++;
            } else ok = false;
          }
          break;
        }
        case Op.Split:
          stack.push(inst.y, sp, trail.length);
          pc = inst.x;
          break;
        case Op.Jmp:
          pc = inst.x;
          break;
        case Op.Save:
        case Op.Mark: {
          const slot = inst.op === Op.Save ? inst.slot : this.regBase + inst.r;
          trail.push(slot, slots[slot]!);
          slots[slot] = sp;
          pc++;
          break;
        }
        case Op.Progress:
          if (slots[this.regBase + inst.r] === sp) ok = false;
          else pc++;
          break;
        case Op.Ref: {
          const a = slots[2 * inst.n]!;
          const b = slots[2 * inst.n + 1]!;
          if (a < 0 || b < 0) ok = false;
          else {
            const text = s.slice(a, b);
            steps += text.length;
            const here = s.slice(sp, sp + text.length);
            if (here.length === text.length && (this.ignoreCase ? here.toLowerCase() === text.toLowerCase() : here === text)) {
              sp += text.length;
              pc++;
            } else ok = false;
          }
          break;
        }
        case Op.Assert:
          if (assertionHolds(inst.a, s, sp)) pc++;
          else ok = false;
          break;
        case Op.Match:
          if (!longest) {
            this.charge(budget, steps);
            return sp;
          }
          if (sp > best) {
            best = sp;
            // the groups as this longest match so far set them (slots 0 and 1 are the caller's)
            if (caps) for (let k = 2; k < caps.length && k < this.regBase; k++) caps[k] = slots[k]!;
          }
          // nothing can be longer than the whole rest of the text
          if (best === s.length) {
            this.charge(budget, steps);
            return best;
          }
          ok = false;
          break;
      }
      if (ok) continue;
      if (stack.length === 0) {
        this.charge(budget, steps);
        return best;
      }
      const mark = stack.pop()!;
      sp = stack.pop()!;
      pc = stack.pop()!;
      while (trail.length > mark) {
        const old = trail.pop()!;
        const slot = trail.pop()!;
        slots[slot] = old;
      }
    }
  }
}

function assertionHolds(a: Assertion, s: string, sp: number): boolean {
  const prev = sp > 0 && isWordCode(s.charCodeAt(sp - 1));
  const next = sp < s.length && isWordCode(s.charCodeAt(sp));
  switch (a) {
    case 'bol':
      return sp === 0;
    case 'eol':
      return sp === s.length;
    case 'word':
      return prev !== next;
    case 'nonword':
      return prev === next;
    case 'wordStart':
      return !prev && next;
    case 'wordEnd':
      return prev && !next;
    case 'notAfterWord':
      return !prev;
    case 'notBeforeWord':
      return !next;
  }
}

const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

// ---- helpers for the tools ----

/** Every non-empty match, left to right, as grep -o prints them. */
export function nonEmptyMatches(re: Regex, s: string): Match[] {
  const out: Match[] = [];
  let from = 0;
  while (from <= s.length) {
    const m = re.exec(s, from);
    if (!m) break;
    if (m.end === m.index) {
      from = m.index + 1;
      continue;
    }
    out.push(m);
    from = m.end;
  }
  return out;
}

/**
 * Matches for substitution (awk's gsub): left to right, an empty match allowed except right where
 * the previous match ended, as POSIX awk (and sed's s///g) do.
 */
export function substitutionMatches(re: Regex, s: string, max = Infinity): Match[] {
  const out: Match[] = [];
  let from = 0;
  let lastEnd = -1;
  while (from <= s.length && out.length < max) {
    const m = re.exec(s, from);
    if (!m) break;
    if (m.end === m.index && m.index === lastEnd) {
      from = m.index + 1;
      continue;
    }
    out.push(m);
    lastEnd = m.end;
    from = m.end > m.index ? m.end : m.index + 1;
  }
  return out;
}

/** The pieces of s between non-empty matches (awk's split and FS). */
export function splitByRegex(re: Regex, s: string): string[] {
  const out: string[] = [];
  let last = 0;
  for (const m of nonEmptyMatches(re, s)) {
    out.push(s.slice(last, m.index));
    last = m.end;
  }
  out.push(s.slice(last));
  return out;
}
