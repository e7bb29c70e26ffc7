import type { AndOr, Assignment, Command, ParamOp, Pipeline, Redirect, RedirectOp, Script, Word, WordPart } from './ast';
import { LIMITS } from './limits';

/**
 * Why a line could not be parsed. The executor turns these into the exact words bash (or dash,
 * for `sh -c`) would print, so the parser stays free of any one shell's phrasing.
 */
export type ParseFailure =
  | { kind: 'token'; token: string }
  | { kind: 'eof' }
  | { kind: 'match'; char: string }
  | { kind: 'bad-substitution'; text: string }
  | { kind: 'unsupported'; what: string }
  | { kind: 'limit'; what: string };

type ParseResult = { ok: true; script: Script } | { ok: false; error: ParseFailure };

type OpToken = '|' | '||' | '&&' | ';' | ';;' | '&' | '(' | ')' | '|&' | '\n';

type Token =
  | { k: 'word'; w: Word; plain: string | null }
  | { k: 'op'; v: OpToken }
  | { k: 'redir'; fd: number | null; op: RedirectOp; text: string }
  | { k: 'eof' };

class ParseError extends Error {
  constructor(readonly failure: ParseFailure) {
    super('parse error');
  }
}

const RESERVED_ENDS = new Set(['do', 'done', 'then', 'fi', 'else', 'elif', '}', 'esac']);
const UNSUPPORTED = new Set(['case', 'function', 'select', '[[', 'coproc']);
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parse(src: string): ParseResult {
  if (src.length > LIMITS.lineLength) return { ok: false, error: { kind: 'limit', what: 'line' } };
  try {
    const p = new Parser(src, 0);
    const script = p.parseScript(new Set(), null);
    const t = p.next();
    if (t.k !== 'eof') throw new ParseError({ kind: 'token', token: tokenText(t) });
    return { ok: true, script };
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, error: e.failure };
    if (e instanceof RangeError) return { ok: false, error: { kind: 'limit', what: 'nesting' } };
    throw e;
  }
}

function tokenText(t: Token): string {
  switch (t.k) {
    case 'word':
      return t.plain ?? wordSource(t.w);
    case 'op':
      return t.v === '\n' ? 'newline' : t.v;
    case 'redir':
      return t.text;
    case 'eof':
      return 'newline';
  }
}

/** Best-effort source text of a word, for error messages only. */
export function wordSource(w: Word): string {
  return w.map((p) => (p.t === 'lit' ? p.v : p.t === 'param' ? `$${p.name}` : p.t === 'tilde' ? `~${p.user}` : '$(...)')).join('');
}

const isBlank = (c: string) => c === ' ' || c === '\t';
const isMeta = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '|' || c === '&' || c === ';' || c === '(' || c === ')' || c === '<' || c === '>';

class Parser {
  private pos = 0;
  private peeked: Token | null = null;
  private level = 0;

  constructor(
    private readonly src: string,
    private readonly depth: number,
  ) {
    if (depth > LIMITS.nesting) throw new ParseError({ kind: 'limit', what: 'nesting' });
  }

  // ---- grammar ----

  /** A list of and-or lists, up to one of `ends` (reserved words) or the `closer` operator. */
  parseScript(ends: Set<string>, closer: OpToken | null): Script {
    const items: AndOr[] = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.k === 'eof') break;
      if (t.k === 'op' && t.v === closer) break;
      if (t.k === 'word' && t.plain !== null && ends.has(t.plain)) break;
      items.push(this.parseAndOr());
      const sep = this.peek();
      if (sep.k === 'op' && (sep.v === ';' || sep.v === '&' || sep.v === '\n')) {
        this.next();
        continue;
      }
      break;
    }
    return { items };
  }

  private parseAndOr(): AndOr {
    const first = this.parsePipeline();
    const rest: AndOr['rest'] = [];
    for (;;) {
      const t = this.peek();
      if (t.k !== 'op' || (t.v !== '&&' && t.v !== '||')) break;
      this.next();
      this.skipNewlines();
      rest.push({ op: t.v, pipeline: this.parsePipeline() });
    }
    return { first, rest };
  }

  private parsePipeline(): Pipeline {
    let negate = false;
    let timed: Pipeline['timed'];
    // bash's grammar: [time [-p]] [!] command [| command]...
    if (this.peekPlain() === 'time') {
      this.next();
      timed = 'bash';
      if (this.peekPlain() === '-p') {
        this.next();
        timed = 'posix';
      }
      // a bare `time` times nothing and still prints
      const after = this.peek();
      if (after.k === 'eof' || (after.k === 'op' && after.v !== '(')) return { timed, negate, commands: [], pipeStderr: [] };
    }
    const t = this.peek();
    if (t.k === 'word' && t.plain === '!') {
      this.next();
      negate = true;
    }
    const commands = [this.parseCommand()];
    const pipeStderr: boolean[] = [];
    for (;;) {
      const op = this.peek();
      if (op.k !== 'op' || (op.v !== '|' && op.v !== '|&')) break;
      this.next();
      pipeStderr.push(op.v === '|&');
      this.skipNewlines();
      commands.push(this.parseCommand());
    }
    return timed ? { timed, negate, commands, pipeStderr } : { negate, commands, pipeStderr };
  }

  private peekPlain(): string | null {
    const t = this.peek();
    return t.k === 'word' ? t.plain : null;
  }

  private parseCommand(): Command {
    const t = this.peek();
    if (t.k === 'eof') throw new ParseError({ kind: 'eof' });
    if (t.k === 'op') {
      if (t.v === '(') {
        this.next();
        const body = this.nested(() => this.parseScript(new Set(), ')'));
        this.expectOp(')');
        if (body.items.length === 0) throw new ParseError({ kind: 'token', token: ')' });
        return { kind: 'subshell', body, redirs: this.parseRedirs() };
      }
      throw new ParseError({ kind: 'token', token: tokenText(t) });
    }
    if (t.k === 'word' && t.plain !== null) {
      switch (t.plain) {
        case 'for':
          return this.parseFor();
        case 'while':
        case 'until':
          return this.parseWhile(t.plain === 'until');
        case 'if':
          return this.parseIf();
        case '{': {
          this.next();
          const body = this.body(new Set(['}']));
          this.expectWord('}');
          return { kind: 'group', body, redirs: this.parseRedirs() };
        }
      }
      if (RESERVED_ENDS.has(t.plain)) throw new ParseError({ kind: 'token', token: t.plain });
      if (UNSUPPORTED.has(t.plain)) throw new ParseError({ kind: 'unsupported', what: t.plain });
    }
    return this.parseSimple();
  }

  private parseSimple(): Command {
    const assigns: Assignment[] = [];
    const words: Word[] = [];
    const redirs: Redirect[] = [];
    for (;;) {
      const t = this.peek();
      if (t.k === 'word') {
        this.next();
        const a = words.length === 0 ? asAssignment(t.w) : null;
        if (a) assigns.push(a);
        else words.push(t.w);
      } else if (t.k === 'redir') {
        redirs.push(this.parseRedir());
      } else break;
    }
    return { kind: 'simple', assigns, words, redirs };
  }

  private parseRedirs(): Redirect[] {
    const out: Redirect[] = [];
    while (this.peek().k === 'redir') out.push(this.parseRedir());
    return out;
  }

  private parseRedir(): Redirect {
    const r = this.next();
    if (r.k !== 'redir') throw new ParseError({ kind: 'token', token: tokenText(r) });
    const target = this.next();
    if (target.k !== 'word') throw new ParseError({ kind: 'token', token: tokenText(target) });
    const defaultFd = r.op === '<' || r.op === '<&' || r.op === '<<<' ? 0 : 1;
    return { fd: r.fd ?? defaultFd, op: r.op, target: target.w };
  }

  private parseFor(): Command {
    this.next();
    const nameTok = this.next();
    if (nameTok.k === 'op' && nameTok.v === '(') throw new ParseError({ kind: 'unsupported', what: 'for ((' });
    if (nameTok.k !== 'word') throw new ParseError({ kind: 'token', token: tokenText(nameTok) });
    if (nameTok.plain === null || !NAME_RE.test(nameTok.plain)) {
      throw new ParseError({ kind: 'token', token: tokenText(nameTok) });
    }
    const words: Word[] = [];
    let t = this.peek();
    const hasIn = (() => {
      while (t.k === 'op' && t.v === '\n') {
        this.next();
        t = this.peek();
      }
      return t.k === 'word' && t.plain === 'in';
    })();
    if (hasIn) {
      this.next();
      for (;;) {
        const w = this.peek();
        if (w.k !== 'word') break;
        this.next();
        words.push(w.w);
      }
      const sep = this.next();
      if (sep.k === 'eof') throw new ParseError({ kind: 'eof' });
      if (sep.k !== 'op' || (sep.v !== ';' && sep.v !== '\n')) throw new ParseError({ kind: 'token', token: tokenText(sep) });
    } else {
      const sep = this.peek();
      if (sep.k === 'op' && sep.v === ';') this.next();
      // `for x; do` loops over the positional parameters, which a command line never has
    }
    this.skipNewlines();
    this.expectWord('do');
    const body = this.body(new Set(['done']));
    this.expectWord('done');
    return { kind: 'for', name: nameTok.plain, words: hasIn ? words : [], body, redirs: this.parseRedirs() };
  }

  private parseWhile(until: boolean): Command {
    this.next();
    const cond = this.body(new Set(['do']));
    this.expectWord('do');
    const body = this.body(new Set(['done']));
    this.expectWord('done');
    return { kind: 'while', until, cond, body, redirs: this.parseRedirs() };
  }

  private parseIf(): Command {
    this.next();
    const clauses: { cond: Script; body: Script }[] = [];
    let elseBody: Script | null = null;
    for (;;) {
      const cond = this.body(new Set(['then']));
      this.expectWord('then');
      const body = this.body(new Set(['elif', 'else', 'fi']));
      clauses.push({ cond, body });
      const t = this.next();
      if (t.k === 'word' && t.plain === 'elif') continue;
      if (t.k === 'word' && t.plain === 'else') {
        elseBody = this.body(new Set(['fi']));
        this.expectWord('fi');
      } else if (!(t.k === 'word' && t.plain === 'fi')) {
        throw new ParseError(t.k === 'eof' ? { kind: 'eof' } : { kind: 'token', token: tokenText(t) });
      }
      break;
    }
    return { kind: 'if', clauses, elseBody, redirs: this.parseRedirs() };
  }

  /** A compound command's body: never empty, as bash insists. */
  private body(ends: Set<string>): Script {
    const s = this.nested(() => this.parseScript(ends, null));
    if (s.items.length === 0) {
      const t = this.peek();
      throw new ParseError(t.k === 'eof' ? { kind: 'eof' } : { kind: 'token', token: tokenText(t) });
    }
    return s;
  }

  private nested<T>(f: () => T): T {
    if (++this.level > LIMITS.nesting) throw new ParseError({ kind: 'limit', what: 'nesting' });
    try {
      return f();
    } finally {
      this.level--;
    }
  }

  private expectWord(w: string): void {
    const t = this.next();
    if (t.k === 'word' && t.plain === w) return;
    throw new ParseError(t.k === 'eof' ? { kind: 'eof' } : { kind: 'token', token: tokenText(t) });
  }

  private expectOp(op: OpToken): void {
    const t = this.next();
    if (t.k === 'op' && t.v === op) return;
    throw new ParseError(t.k === 'eof' ? { kind: 'eof' } : { kind: 'token', token: tokenText(t) });
  }

  private skipNewlines(): void {
    for (;;) {
      const t = this.peek();
      if (t.k === 'op' && t.v === '\n') this.next();
      else return;
    }
  }

  // ---- tokens ----

  peek(): Token {
    if (!this.peeked) this.peeked = this.lex();
    return this.peeked;
  }

  next(): Token {
    const t = this.peek();
    this.peeked = null;
    return t;
  }

  private lex(): Token {
    const s = this.src;
    for (;;) {
      while (this.pos < s.length && isBlank(s[this.pos])) this.pos++;
      if (s.startsWith('\\\n', this.pos)) {
        this.pos += 2;
        continue;
      }
      if (s[this.pos] === '#') {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
      }
      break;
    }
    if (this.pos >= s.length) return { k: 'eof' };
    const c = s[this.pos];
    const two = s.slice(this.pos, this.pos + 2);
    const three = s.slice(this.pos, this.pos + 3);
    const op = (v: OpToken, n: number): Token => {
      this.pos += n;
      return { k: 'op', v };
    };
    const redir = (fd: number | null, o: RedirectOp, n: number, text: string): Token => {
      this.pos += n;
      return { k: 'redir', fd, op: o, text };
    };
    switch (c) {
      case '\n':
        return op('\n', 1);
      case '|':
        if (two === '||') return op('||', 2);
        if (two === '|&') return op('|&', 2);
        return op('|', 1);
      case '&':
        if (three === '&>>') return redir(null, '&>>', 3, '&>>');
        if (two === '&&') return op('&&', 2);
        if (two === '&>') return redir(null, '&>', 2, '&>');
        return op('&', 1);
      case ';':
        if (two === ';;') return op(';;', 2);
        if (two === ';&') return op(';;', 2);
        return op(';', 1);
      case '(':
        return op('(', 1);
      case ')':
        return op(')', 1);
      case '<':
      case '>':
        return this.lexRedir(null);
    }
    const digits = /^[0-9]+/.exec(s.slice(this.pos, this.pos + 12));
    if (digits && (s[this.pos + digits[0].length] === '>' || s[this.pos + digits[0].length] === '<')) {
      this.pos += digits[0].length;
      return this.lexRedir(Number(digits[0]));
    }
    return this.lexWord();
  }

  private lexRedir(fd: number | null): Token {
    const s = this.src;
    const at = (str: string) => s.startsWith(str, this.pos);
    const make = (o: RedirectOp, n: number): Token => {
      const text = s.slice(this.pos, this.pos + n);
      this.pos += n;
      return { k: 'redir', fd, op: o, text };
    };
    if (at('<<<')) return make('<<<', 3);
    if (at('<<')) throw new ParseError({ kind: 'unsupported', what: '<<' });
    if (at('<&')) return make('<&', 2);
    if (at('<>')) throw new ParseError({ kind: 'unsupported', what: '<>' });
    if (at('<')) return make('<', 1);
    if (at('>>')) return make('>>', 2);
    if (at('>&')) return make('>&', 2);
    if (at('>|')) return make('>', 2);
    return make('>', 1);
  }

  private lexWord(): Token {
    const parts = this.readWord((c) => isMeta(c), false, true);
    const plain = parts.every((p) => p.t === 'lit' && !p.q) ? parts.map((p) => (p as { v: string }).v).join('') : null;
    return { k: 'word', w: parts, plain: parts.length === 0 ? '' : plain };
  }

  /**
   * Reads word parts until `stop` says an unquoted character ends the word. `inDq` is for text
   * inside double quotes (and the `${x:-word}` argument), where quotes and backslashes work differently.
   */
  private readWord(stop: (c: string) => boolean, inDq: boolean, tildeOk: boolean): WordPart[] {
    const s = this.src;
    const parts: WordPart[] = [];
    const lit = (v: string, q: boolean) => {
      const last = parts[parts.length - 1];
      if (last && last.t === 'lit' && last.q === q) last.v += v;
      else parts.push({ t: 'lit', v, q });
    };
    if (tildeOk && s[this.pos] === '~') {
      const m = /^~([A-Za-z0-9_.-]*)/.exec(s.slice(this.pos, this.pos + 64));
      const after = s[this.pos + (m ? m[0].length : 1)];
      if (m && (after === undefined || after === '/' || stop(after))) {
        parts.push({ t: 'tilde', user: m[1] });
        this.pos += m[0].length;
      }
    }
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (stop(c)) break;
      if (c === '\\') {
        const n = s[this.pos + 1];
        if (n === undefined) {
          lit('\\', true);
          this.pos++;
        } else if (n === '\n') {
          this.pos += 2;
        } else if (inDq && !'$`"\\'.includes(n)) {
          lit('\\' + n, true);
          this.pos += 2;
        } else {
          lit(n, true);
          this.pos += 2;
        }
        continue;
      }
      if (c === "'" && !inDq) {
        const end = s.indexOf("'", this.pos + 1);
        if (end < 0) throw new ParseError({ kind: 'match', char: "'" });
        lit(s.slice(this.pos + 1, end), true);
        this.pos = end + 1;
        continue;
      }
      if (c === '"' && !inDq) {
        this.pos++;
        const inner = this.readWord((ch) => ch === '"', true, false);
        if (s[this.pos] !== '"') throw new ParseError({ kind: 'match', char: '"' });
        this.pos++;
        if (inner.length === 0) parts.push({ t: 'lit', v: '', q: true });
        for (const p of inner) {
          if (p.t === 'lit') lit(p.v, true);
          else parts.push(p);
        }
        continue;
      }
      if (c === '`') {
        parts.push(this.readBackquote(inDq));
        continue;
      }
      if (c === '$') {
        const p = this.readDollar(inDq);
        if (p.t === 'lit') lit(p.v, p.q);
        else parts.push(p);
        continue;
      }
      lit(c, inDq);
      this.pos++;
    }
    return parts;
  }

  private readDollar(inDq: boolean): WordPart {
    const s = this.src;
    const start = this.pos;
    const n = s[start + 1];
    if (s.startsWith('$((', start)) {
      const end = findArithEnd(s, start + 3);
      if (end < 0) throw new ParseError({ kind: 'match', char: ')' });
      const sub = new Parser(s.slice(start + 3, end), this.depth + 1);
      const expr = sub.readWord(() => false, true, false);
      this.pos = end + 2;
      return { t: 'arith', expr, q: inDq };
    }
    if (n === '(') {
      this.pos = start + 2;
      const sub = new Parser(s, this.depth + 1);
      sub.pos = this.pos;
      const script = sub.parseScript(new Set(), ')');
      const close = sub.next();
      if (close.k === 'eof') throw new ParseError({ kind: 'match', char: ')' });
      if (!(close.k === 'op' && close.v === ')')) throw new ParseError({ kind: 'token', token: tokenText(close) });
      this.pos = sub.pos;
      return { t: 'cmd', script, q: inDq };
    }
    if (n === '{') return this.readBraceParam(inDq);
    if (n === "'" && !inDq) {
      this.pos = start + 2;
      return { t: 'lit', v: this.readAnsiC(), q: true };
    }
    if (n === '"' && !inDq) {
      this.pos = start + 1;
      return { t: 'lit', v: '', q: true };
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(start + 1, start + 1 + 256));
    if (name) {
      this.pos = start + 1 + name[0].length;
      return { t: 'param', name: name[0], q: inDq };
    }
    if (n !== undefined && '?$#!0123456789@*-'.includes(n)) {
      this.pos = start + 2;
      return { t: 'param', name: n, q: inDq };
    }
    this.pos = start + 1;
    return { t: 'lit', v: '$', q: inDq };
  }

  private readBraceParam(inDq: boolean): WordPart {
    const s = this.src;
    const start = this.pos;
    this.pos += 2;
    let length = false;
    if (s[this.pos] === '#' && s[this.pos + 1] !== '}') {
      length = true;
      this.pos++;
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?$#!@*-])/.exec(s.slice(this.pos, this.pos + 256));
    const close = s.indexOf('}', this.pos);
    const bad = () => {
      if (close < 0) throw new ParseError({ kind: 'match', char: '}' });
      throw new ParseError({ kind: 'bad-substitution', text: s.slice(start, close + 1) });
    };
    if (!m) return bad();
    this.pos += m[1].length;
    if (length) {
      if (s[this.pos] !== '}') return bad();
      this.pos++;
      return { t: 'param', name: m[1], q: inDq, op: '#' };
    }
    if (s[this.pos] === '}') {
      this.pos++;
      return { t: 'param', name: m[1], q: inDq };
    }
    const opm = /^(:-|:=|:\+|-|=|\+)/.exec(s.slice(this.pos, this.pos + 2));
    if (!opm) return bad();
    this.pos += opm[1].length;
    const arg = this.readWord((c) => c === '}', inDq, !inDq);
    if (s[this.pos] !== '}') throw new ParseError({ kind: 'match', char: '}' });
    this.pos++;
    return { t: 'param', name: m[1], q: inDq, op: opm[1] as ParamOp, arg };
  }

  private readAnsiC(): string {
    const s = this.src;
    let out = '';
    while (this.pos < s.length && s[this.pos] !== "'") {
      const c = s[this.pos];
      if (c === '\\' && this.pos + 1 < s.length) {
        const n = s[this.pos + 1];
        const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };
        out += map[n] ?? '\\' + n;
        this.pos += 2;
      } else {
        out += c;
        this.pos++;
      }
    }
    if (this.pos >= s.length) throw new ParseError({ kind: 'match', char: "'" });
    this.pos++;
    return out;
  }

  private readBackquote(inDq: boolean): WordPart {
    const s = this.src;
    let i = this.pos + 1;
    let inner = '';
    while (i < s.length && s[i] !== '`') {
      if (s[i] === '\\' && i + 1 < s.length && '$`\\'.includes(s[i + 1])) {
        inner += s[i + 1];
        i += 2;
      } else {
        inner += s[i];
        i++;
      }
    }
    if (i >= s.length) throw new ParseError({ kind: 'match', char: '`' });
    this.pos = i + 1;
    const sub = new Parser(inner, this.depth + 1);
    const script = sub.parseScript(new Set(), null);
    const t = sub.next();
    if (t.k !== 'eof') throw new ParseError({ kind: 'token', token: tokenText(t) });
    return { t: 'cmd', script, q: inDq };
  }
}

/** Index of the `))` closing a `$((`, skipping nested parentheses; -1 if none. */
function findArithEnd(s: string, from: number): number {
  let depth = 0;
  for (let i = from; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')') {
      if (depth === 0) return s[i + 1] === ')' ? i : -1;
      depth--;
    }
  }
  return -1;
}

function asAssignment(w: Word): Assignment | null {
  const first = w[0];
  if (!first || first.t !== 'lit' || first.q) return null;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.v);
  if (!m) return null;
  const rest = first.v.slice(m[0].length);
  const value: Word = [];
  if (rest.startsWith('~') && (rest.length === 1 || rest[1] === '/')) {
    value.push({ t: 'tilde', user: '' });
    if (rest.length > 1) value.push({ t: 'lit', v: rest.slice(1), q: false });
  } else if (rest) value.push({ t: 'lit', v: rest, q: false });
  value.push(...w.slice(1));
  return { name: m[1], value };
}
