import type { Script, Word, WordPart } from './ast';
import { ArithError, evalArith } from './arith';
import { expandBraces } from './brace';
import { hasGlobChars } from './glob';
import { LIMITS } from './limits';

/** An expansion that bash would refuse; the message is printed after `bash: `. */
export class ExpansionError extends Error {}

/** What word expansion needs from the running shell. */
export interface ExpandContext {
  lookup(name: string): string | undefined;
  assign(name: string, value: string): void;
  /** runs a command substitution and returns its stdout */
  substitute(script: Script): string;
  /** '' is the current user's $HOME; undefined when the user is unknown */
  home(user: string): string | undefined;
  /** matches of a glob pattern (quoted metacharacters backslash-escaped), [] when none */
  glob(pattern: string): string[];
}

interface Segment {
  text: string;
  /** came from unquoted text or an unquoted expansion, so glob characters in it are live */
  live: boolean;
}

interface Field {
  segs: Segment[];
  /** a quoted part, even an empty one, keeps the field alive */
  quoted: boolean;
}

/** Full expansion of command words: braces, parameters, substitutions, splitting, globbing. */
export function expandWords(words: readonly Word[], cx: ExpandContext): string[] {
  const out: string[] = [];
  for (const w of words) {
    for (const braced of braceWord(w)) {
      for (const f of splitFields(braced, cx)) {
        const pattern = f.segs.map((s) => (s.live ? s.text : escapeGlob(s.text))).join('');
        const matches = hasGlobChars(pattern) ? cx.glob(pattern) : [];
        if (matches.length > 0) for (const m of matches) out.push(m);
        else out.push(f.segs.map((s) => s.text).join(''));
        if (out.length > LIMITS.loopIterations * 10) throw new ExpansionError('too many words after expansion');
      }
    }
  }
  return out;
}

/** Expansion without splitting or globbing: assignments, here-strings. */
export function expandString(w: Word, cx: ExpandContext): string {
  return w.map((p) => expandPart(p, cx)).join('');
}

function splitFields(w: Word, cx: ExpandContext): Field[] {
  const fields: Field[] = [];
  let cur: Field | null = null;
  const append = (text: string, live: boolean, quoted: boolean) => {
    if (!cur) cur = { segs: [], quoted: false };
    cur.segs.push({ text, live });
    if (quoted) cur.quoted = true;
  };
  const breakField = () => {
    if (cur && (cur.quoted || cur.segs.some((s) => s.text !== ''))) fields.push(cur);
    cur = null;
  };
  for (const p of w) {
    if (p.t === 'lit') {
      append(p.v, !p.q, p.q);
      continue;
    }
    if (p.t === 'tilde') {
      append(expandPart(p, cx), false, true);
      continue;
    }
    const value = expandPart(p, cx);
    if (p.q) {
      append(value, false, true);
      continue;
    }
    const pieces = value.split(/[ \t\n]+/);
    pieces.forEach((piece, i) => {
      if (i > 0) breakField();
      if (piece) append(piece, true, false);
    });
  }
  breakField();
  return fields;
}

function expandPart(p: WordPart, cx: ExpandContext): string {
  let v: string;
  switch (p.t) {
    case 'lit':
      return p.v;
    case 'tilde': {
      const home = cx.home(p.user);
      return home ?? `~${p.user}`;
    }
    case 'param':
      v = expandParam(p, cx);
      break;
    case 'cmd':
      v = cx.substitute(p.script).replace(/\n+$/, '');
      break;
    case 'arith': {
      const expr = expandString(p.expr, cx);
      try {
        v = String(evalArith(expr, (n) => cx.lookup(n)));
      } catch (e) {
        if (e instanceof ArithError) throw new ExpansionError(e.message);
        throw new ExpansionError(`${expr}: expression recursion level exceeded`);
      }
      break;
    }
  }
  if (v.length > LIMITS.wordLength) throw new ExpansionError(`word too long after expansion (over ${LIMITS.wordLength} characters)`);
  return v;
}

function expandParam(p: Extract<WordPart, { t: 'param' }>, cx: ExpandContext): string {
  const value = cx.lookup(p.name);
  if (!p.op) return value ?? '';
  if (p.op === '#') return String((value ?? '').length);
  const arg = () => expandString(p.arg ?? [], cx);
  const unsetOrEmpty = p.op.startsWith(':') ? value === undefined || value === '' : value === undefined;
  switch (p.op) {
    case ':-':
    case '-':
      return unsetOrEmpty ? arg() : (value ?? '');
    case ':=':
    case '=': {
      if (!unsetOrEmpty) return value ?? '';
      if (!/^[A-Za-z_]/.test(p.name)) throw new ExpansionError(`$${p.name}: cannot assign in this way`);
      const a = arg();
      cx.assign(p.name, a);
      return a;
    }
    case ':+':
    case '+':
      return unsetOrEmpty ? '' : arg();
  }
}

/** Brace expansion applies to unquoted literal text only, one literal part at a time. */
function braceWord(w: Word, from = 0): Word[] {
  const idx = w.findIndex((p, i) => i >= from && p.t === 'lit' && !p.q && p.v.includes('{') && p.v.includes('}'));
  if (idx < 0) return [w];
  const part = w[idx] as { t: 'lit'; v: string; q: boolean };
  let alts: string[];
  try {
    alts = expandBraces(part.v, LIMITS.loopIterations * 10);
  } catch {
    throw new ExpansionError('brace expansion too large');
  }
  if (alts.length === 1 && alts[0] === part.v) return braceWord(w, idx + 1);
  const out: Word[] = [];
  for (const a of alts) {
    const copy: Word = [...w.slice(0, idx), { t: 'lit', v: a, q: false }, ...w.slice(idx + 1)];
    for (const expanded of braceWord(copy, idx + 1)) {
      out.push(expanded);
      // braces in separate stretches multiply: {1..1000}""{1..1000} is a million words
      if (out.length > LIMITS.loopIterations * 10) throw new ExpansionError('brace expansion too large');
    }
  }
  return out;
}

function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}
