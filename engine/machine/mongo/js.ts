/**
 * The JavaScript the mongo shell is used with on one line: `;`-separated statements, `var`,
 * assignments, member chains and calls, `new`, object and array literals, strings, numbers,
 * booleans, null, and the operators a one-liner uses. Malformed input gets the message V8 3.12
 * (the 2.6 shell's engine) gives: "Unexpected token )", "Unexpected end of input",
 * "Unexpected identifier", "Unexpected string", "Unexpected number", "Unexpected token ILLEGAL".
 * Function literals (`function (d) { printjson(d) }`, for a cursor's forEach) take the same
 * statements plus `return`. Control flow is valid JavaScript this shell does not run: it is
 * refused as such, never as a syntax error.
 */

export type Expr =
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 'bool'; v: boolean }
  | { k: 'null' }
  | { k: 'ident'; name: string }
  | { k: 'obj'; props: Array<[string, Expr]> }
  | { k: 'arr'; items: Expr[] }
  | { k: 'member'; obj: Expr; prop: string }
  | { k: 'index'; obj: Expr; idx: Expr }
  | { k: 'call'; callee: Expr; args: Expr[] }
  | { k: 'new'; callee: Expr; args: Expr[] }
  | { k: 'unary'; op: '!' | '-' | '+' | 'typeof'; e: Expr }
  | { k: 'bin'; op: string; l: Expr; r: Expr }
  | { k: 'logic'; op: '&&' | '||'; l: Expr; r: Expr }
  | { k: 'cond'; test: Expr; yes: Expr; no: Expr }
  | { k: 'assign'; target: Expr; value: Expr }
  | { k: 'fn'; params: string[]; body: Stmt[] };

export type Stmt = { k: 'expr'; e: Expr } | { k: 'var'; decls: Array<[string, Expr | undefined]> } | { k: 'return'; e: Expr | undefined } | { k: 'empty' };

/** a syntax error as V8 words it (without the "SyntaxError: " prefix it prints before it) */
export class JsSyntaxError extends Error {
  constructor(
    readonly kind: 'SyntaxError' | 'ReferenceError',
    message: string,
  ) {
    super(message);
  }
}

/** valid JavaScript this shell does not evaluate (a function literal, a loop) */
export class JsNotSimulated extends Error {}

type Tok =
  | { t: 'punct'; v: string }
  | { t: 'ident'; v: string }
  | { t: 'kw'; v: string }
  | { t: 'num'; v: number }
  | { t: 'str'; v: string }
  | { t: 'illegal' }
  | { t: 'eos' };

const KEYWORDS = new Set(['break', 'case', 'catch', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'finally', 'for', 'function', 'if', 'in', 'instanceof', 'new', 'return', 'switch', 'this', 'throw', 'try', 'typeof', 'var', 'void', 'while', 'with', 'true', 'false', 'null']);
const FUTURE_RESERVED = new Set(['class', 'const', 'enum', 'export', 'extends', 'import', 'super']);
const CONTROL = new Set(['function', 'if', 'for', 'while', 'do', 'switch', 'try', 'throw', 'return', 'break', 'continue', 'with', 'this', 'delete', 'void', 'in', 'instanceof', 'debugger']);
const PUNCTS = ['===', '!==', '==', '!=', '<=', '>=', '&&', '||', '++', '--', '+=', '-=', '{', '}', '(', ')', '[', ']', '.', ';', ',', ':', '?', '+', '-', '*', '/', '%', '!', '=', '<', '>'];

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\u00a0') {
      i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) {
        out.push({ t: 'illegal' });
        return out;
      }
      i = end + 2;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[\w$]/.test(src[j]!)) j++;
      const word = src.slice(i, j);
      out.push(KEYWORDS.has(word) || FUTURE_RESERVED.has(word) ? { t: 'kw', v: word } : { t: 'ident', v: word });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(src.slice(i))!;
      const text = m[1]!;
      // a number running straight into an identifier (3in, 1x) is V8's ILLEGAL
      if (/[A-Za-z_$]/.test(src[i + text.length] ?? '')) {
        out.push({ t: 'illegal' });
        return out;
      }
      out.push({ t: 'num', v: Number(text) });
      i += text.length;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      let closed = false;
      while (j < src.length) {
        const d = src[j]!;
        if (d === c) {
          closed = true;
          break;
        }
        if (d === '\n') break;
        if (d === '\\') {
          const e = src[j + 1];
          if (e === undefined) break;
          const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };
          if (e in simple) {
            s += simple[e];
            j += 2;
          } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(j + 2, j + 6))) {
            s += String.fromCharCode(parseInt(src.slice(j + 2, j + 6), 16));
            j += 6;
          } else if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(src.slice(j + 2, j + 4))) {
            s += String.fromCharCode(parseInt(src.slice(j + 2, j + 4), 16));
            j += 4;
          } else {
            s += e;
            j += 2;
          }
          continue;
        }
        s += d;
        j++;
      }
      if (!closed) {
        out.push({ t: 'illegal' });
        return out;
      }
      out.push({ t: 'str', v: s });
      i = j + 1;
      continue;
    }
    const p = PUNCTS.find((x) => src.startsWith(x, i));
    if (!p) {
      out.push({ t: 'illegal' });
      return out;
    }
    out.push({ t: 'punct', v: p });
    i += p.length;
  }
  out.push({ t: 'eos' });
  return out;
}

/** V8's "Unexpected ..." for the token it did not expect */
function unexpected(tok: Tok): JsSyntaxError {
  switch (tok.t) {
    case 'eos':
      return new JsSyntaxError('SyntaxError', 'Unexpected end of input');
    case 'num':
      return new JsSyntaxError('SyntaxError', 'Unexpected number');
    case 'str':
      return new JsSyntaxError('SyntaxError', 'Unexpected string');
    case 'ident':
      return new JsSyntaxError('SyntaxError', 'Unexpected identifier');
    case 'illegal':
      return new JsSyntaxError('SyntaxError', 'Unexpected token ILLEGAL');
    case 'kw':
      return new JsSyntaxError('SyntaxError', FUTURE_RESERVED.has(tok.v) ? 'Unexpected reserved word' : `Unexpected token ${tok.v}`);
    case 'punct':
      return new JsSyntaxError('SyntaxError', `Unexpected token ${tok.v}`);
  }
}

class Parser {
  private i = 0;
  /** how many function bodies the parser is inside: `return` is a statement only there */
  private fnDepth = 0;
  constructor(private readonly toks: Tok[]) {}

  private peek(): Tok {
    return this.toks[this.i]!;
  }
  private next(): Tok {
    const t = this.toks[this.i]!;
    if (t.t !== 'eos') this.i++;
    return t;
  }
  private isPunct(v: string): boolean {
    const t = this.peek();
    return t.t === 'punct' && t.v === v;
  }
  private expect(v: string): void {
    const t = this.next();
    if (t.t !== 'punct' || t.v !== v) throw unexpected(t);
  }

  program(): Stmt[] {
    const out: Stmt[] = [];
    while (this.peek().t !== 'eos') out.push(this.statement());
    return out;
  }

  private statement(): Stmt {
    const t = this.peek();
    if (t.t === 'punct' && t.v === ';') {
      this.next();
      return { k: 'empty' };
    }
    if (t.t === 'punct' && t.v === '{') throw new JsNotSimulated('a block statement');
    if (t.t === 'kw' && t.v === 'return' && this.fnDepth > 0) {
      this.next();
      const after = this.peek();
      const bare = after.t === 'eos' || (after.t === 'punct' && (after.v === ';' || after.v === '}'));
      const s: Stmt = { k: 'return', e: bare ? undefined : this.expression() };
      if (this.isPunct(';')) this.next();
      else if (this.peek().t !== 'eos' && !this.isPunct('}')) throw unexpected(this.peek());
      return s;
    }
    if (t.t === 'kw' && CONTROL.has(t.v)) throw new JsNotSimulated(`\`${t.v}\``);
    let s: Stmt;
    if (t.t === 'kw' && t.v === 'var') {
      this.next();
      const decls: Array<[string, Expr | undefined]> = [];
      for (;;) {
        const name = this.next();
        if (name.t !== 'ident') throw unexpected(name);
        let init: Expr | undefined;
        if (this.isPunct('=')) {
          this.next();
          init = this.assignment();
        }
        decls.push([name.v, init]);
        if (!this.isPunct(',')) break;
        this.next();
      }
      s = { k: 'var', decls };
    } else s = { k: 'expr', e: this.expression() };
    // automatic semicolon insertion: a statement ends at `;`, at the end, or (on one line) nowhere else
    const end = this.peek();
    if (end.t === 'punct' && end.v === ';') this.next();
    else if (end.t !== 'eos' && !(end.t === 'punct' && end.v === '}')) throw unexpected(end);
    return s;
  }

  private expression(): Expr {
    let e = this.assignment();
    while (this.isPunct(',')) {
      this.next();
      const r = this.assignment();
      e = { k: 'bin', op: ',', l: e, r };
    }
    return e;
  }

  private assignment(): Expr {
    const left = this.conditional();
    const t = this.peek();
    if (t.t === 'punct' && (t.v === '=' || t.v === '+=' || t.v === '-=')) {
      if (left.k !== 'ident' && left.k !== 'member' && left.k !== 'index') throw new JsSyntaxError('ReferenceError', 'Invalid left-hand side in assignment');
      this.next();
      const value = this.assignment();
      return { k: 'assign', target: left, value: t.v === '=' ? value : { k: 'bin', op: t.v[0]!, l: left, r: value } };
    }
    return left;
  }

  private conditional(): Expr {
    const test = this.binary(0);
    if (!this.isPunct('?')) return test;
    this.next();
    const yes = this.assignment();
    this.expect(':');
    const no = this.assignment();
    return { k: 'cond', test, yes, no };
  }

  private static readonly LEVELS: string[][] = [['||'], ['&&'], ['==', '!=', '===', '!=='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '/', '%']];

  private binary(level: number): Expr {
    if (level >= Parser.LEVELS.length) return this.unary();
    let l = this.binary(level + 1);
    for (;;) {
      const t = this.peek();
      if (t.t !== 'punct' || !Parser.LEVELS[level]!.includes(t.v)) return l;
      this.next();
      const r = this.binary(level + 1);
      l = t.v === '&&' || t.v === '||' ? { k: 'logic', op: t.v, l, r } : { k: 'bin', op: t.v, l, r };
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.t === 'punct' && (t.v === '!' || t.v === '-' || t.v === '+')) {
      this.next();
      return { k: 'unary', op: t.v, e: this.unary() };
    }
    if (t.t === 'kw' && t.v === 'typeof') {
      this.next();
      return { k: 'unary', op: 'typeof', e: this.unary() };
    }
    if (t.t === 'punct' && (t.v === '++' || t.v === '--')) throw new JsNotSimulated(`\`${t.v}\``);
    const e = this.postfix();
    const after = this.peek();
    if (after.t === 'punct' && (after.v === '++' || after.v === '--')) throw new JsNotSimulated(`\`${after.v}\``);
    return e;
  }

  private postfix(): Expr {
    let e: Expr;
    const t = this.peek();
    if (t.t === 'kw' && t.v === 'new') {
      this.next();
      let callee = this.primary();
      while (this.isPunct('.') || this.isPunct('[')) callee = this.memberStep(callee);
      const args = this.isPunct('(') ? this.args() : [];
      e = { k: 'new', callee, args };
    } else e = this.primary();
    for (;;) {
      if (this.isPunct('.') || this.isPunct('[')) e = this.memberStep(e);
      else if (this.isPunct('(')) e = { k: 'call', callee: e, args: this.args() };
      else return e;
    }
  }

  private memberStep(obj: Expr): Expr {
    const t = this.next();
    if (t.t === 'punct' && t.v === '.') {
      const name = this.next();
      // ES5 allows any identifier name after a dot, reserved words included (db.delete)
      if (name.t === 'ident' || name.t === 'kw') return { k: 'member', obj, prop: name.v };
      throw unexpected(name);
    }
    const idx = this.expression();
    this.expect(']');
    return { k: 'index', obj, idx };
  }

  private args(): Expr[] {
    this.expect('(');
    const out: Expr[] = [];
    if (this.isPunct(')')) {
      this.next();
      return out;
    }
    for (;;) {
      out.push(this.assignment());
      const t = this.next();
      if (t.t === 'punct' && t.v === ')') return out;
      if (!(t.t === 'punct' && t.v === ',')) throw unexpected(t);
    }
  }

  private primary(): Expr {
    const t = this.next();
    switch (t.t) {
      case 'num':
        return { k: 'num', v: t.v };
      case 'str':
        return { k: 'str', v: t.v };
      case 'ident':
        return { k: 'ident', name: t.v };
      case 'kw':
        if (t.v === 'true' || t.v === 'false') return { k: 'bool', v: t.v === 'true' };
        if (t.v === 'null') return { k: 'null' };
        if (t.v === 'function') return this.functionLit();
        if (CONTROL.has(t.v)) throw new JsNotSimulated(`\`${t.v}\``);
        throw unexpected(t);
      case 'punct':
        if (t.v === '(') {
          const e = this.expression();
          this.expect(')');
          return e;
        }
        if (t.v === '[') return this.arrayLit();
        if (t.v === '{') return this.objectLit();
        if (t.v === '/') throw new JsNotSimulated('a regular expression');
        throw unexpected(t);
      default:
        throw unexpected(t);
    }
  }

  /** `function [name](a, b) { statements }`, after the keyword */
  private functionLit(): Expr {
    if (this.peek().t === 'ident') this.next();
    this.expect('(');
    const params: string[] = [];
    if (this.isPunct(')')) this.next();
    else
      for (;;) {
        const p = this.next();
        if (p.t !== 'ident') throw unexpected(p);
        params.push(p.v);
        const t = this.next();
        if (t.t === 'punct' && t.v === ')') break;
        if (!(t.t === 'punct' && t.v === ',')) throw unexpected(t);
      }
    this.expect('{');
    this.fnDepth++;
    const body: Stmt[] = [];
    while (!this.isPunct('}')) {
      if (this.peek().t === 'eos') throw unexpected(this.peek());
      body.push(this.statement());
    }
    this.next();
    this.fnDepth--;
    return { k: 'fn', params, body };
  }

  private arrayLit(): Expr {
    const items: Expr[] = [];
    for (;;) {
      if (this.isPunct(']')) {
        this.next();
        return { k: 'arr', items };
      }
      items.push(this.assignment());
      const t = this.next();
      if (t.t === 'punct' && t.v === ']') return { k: 'arr', items };
      if (!(t.t === 'punct' && t.v === ',')) throw unexpected(t);
    }
  }

  private objectLit(): Expr {
    const props: Array<[string, Expr]> = [];
    for (;;) {
      const key = this.next();
      if (key.t === 'punct' && key.v === '}') return { k: 'obj', props };
      let name: string;
      if (key.t === 'ident' || key.t === 'kw' || key.t === 'str') name = key.v;
      else if (key.t === 'num') name = String(key.v);
      else throw unexpected(key);
      this.expect(':');
      const value = this.assignment();
      const i = props.findIndex(([k]) => k === name);
      if (i >= 0) props[i] = [name, value];
      else props.push([name, value]);
      const t = this.next();
      if (t.t === 'punct' && t.v === '}') return { k: 'obj', props };
      if (!(t.t === 'punct' && t.v === ',')) throw unexpected(t);
    }
  }
}

/** Parses a line of the shell's JavaScript; throws JsSyntaxError or JsNotSimulated. */
export function parseJs(src: string): Stmt[] {
  return new Parser(lex(src)).program();
}
