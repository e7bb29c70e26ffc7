import { AwkSyntaxError, tokenize, type Tok } from './lexer';

export type Expr =
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 'regex'; re: string }
  | { k: 'var'; name: string }
  | { k: 'field'; index: Expr }
  | { k: 'index'; name: string; subs: Expr[] }
  | { k: 'group'; list: Expr[] }
  | { k: 'assign'; op: string; target: Expr; value: Expr }
  | { k: 'cond'; c: Expr; a: Expr; b: Expr }
  | { k: 'logic'; op: '&&' | '||'; a: Expr; b: Expr }
  | { k: 'in'; subs: Expr[]; name: string }
  | { k: 'match'; neg: boolean; a: Expr; re: Expr }
  | { k: 'cmp'; op: string; a: Expr; b: Expr }
  | { k: 'concat'; a: Expr; b: Expr }
  | { k: 'bin'; op: string; a: Expr; b: Expr }
  | { k: 'unary'; op: string; a: Expr }
  | { k: 'incdec'; op: '++' | '--'; prefix: boolean; target: Expr }
  | { k: 'call'; name: string; args: Expr[] };

interface Dest {
  append: boolean;
  file: Expr;
}

export type Stmt =
  | { k: 'print'; args: Expr[]; dest: Dest | null }
  | { k: 'printf'; args: Expr[]; dest: Dest | null }
  | { k: 'expr'; e: Expr }
  | { k: 'if'; c: Expr; t: Stmt; e: Stmt | null }
  | { k: 'while'; c: Expr; body: Stmt }
  | { k: 'do'; body: Stmt; c: Expr }
  | { k: 'for'; init: Expr | null; c: Expr | null; step: Expr | null; body: Stmt }
  | { k: 'forin'; v: string; arr: string; body: Stmt }
  | { k: 'block'; body: Stmt[] }
  | { k: 'next' }
  | { k: 'exit'; e: Expr | null }
  | { k: 'break' }
  | { k: 'continue' }
  | { k: 'delete'; name: string; subs: Expr[] | null };

export interface Item {
  pattern: Expr | 'BEGIN' | 'END' | null;
  action: Stmt[] | null;
}

const ASSIGN_OPS = new Set(['=', '+=', '-=', '*=', '/=', '%=', '^=', '**=']);
const UNSUPPORTED = 'this world\'s awk does not know';

export function parseAwk(src: string): Item[] {
  return new AwkParser(tokenize(src)).program();
}

class AwkParser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}

  private peek(o = 0): Tok {
    return this.toks[Math.min(this.i + o, this.toks.length - 1)];
  }
  private next(): Tok {
    const t = this.peek();
    if (this.i < this.toks.length - 1) this.i++;
    return t;
  }
  private is(value: string, kind?: Tok['kind']): boolean {
    const t = this.peek();
    return t.value === value && (kind ? t.kind === kind : t.kind === 'op' || t.kind === 'keyword');
  }
  private fail(t: Tok = this.peek()): never {
    throw new AwkSyntaxError(t.line, t.kind === 'nl' ? 'end of line' : t.value);
  }
  private unsupported(what: string, t: Tok = this.peek()): never {
    throw new AwkSyntaxError(t.line, t.value, `${UNSUPPORTED} ${what} (see man awk)`);
  }
  private expect(value: string): Tok {
    if (!this.is(value)) this.fail();
    return this.next();
  }
  private skipNl(): void {
    while (this.peek().kind === 'nl') this.next();
  }
  private skipTerms(): void {
    while (this.peek().kind === 'nl' || this.is(';')) this.next();
  }

  program(): Item[] {
    const items: Item[] = [];
    this.skipTerms();
    while (this.peek().kind !== 'eof') {
      items.push(this.item());
      this.skipTerms();
    }
    return items;
  }

  private item(): Item {
    const t = this.peek();
    if (t.kind === 'keyword' && (t.value === 'BEGIN' || t.value === 'END')) {
      this.next();
      this.skipNl();
      if (!this.is('{')) this.fail();
      return { pattern: t.value, action: this.block() };
    }
    if (t.kind === 'keyword' && (t.value === 'function' || t.value === 'func')) this.unsupported('user-defined functions');
    if (this.is('{')) return { pattern: null, action: this.block() };
    const pattern = this.expr(false);
    if (this.is(',')) this.unsupported('range patterns (A, B)');
    if (this.is('{')) return { pattern, action: this.block() };
    return { pattern, action: null };
  }

  private block(): Stmt[] {
    this.expect('{');
    const body: Stmt[] = [];
    this.skipTerms();
    while (!this.is('}')) {
      if (this.peek().kind === 'eof') this.fail();
      body.push(this.stmt());
      this.skipTerms();
    }
    this.next();
    return body;
  }

  private endSimple(): void {
    const t = this.peek();
    if (t.kind === 'nl' || this.is(';')) {
      this.next();
      return;
    }
    if (this.is('}') || t.kind === 'eof') return;
    this.fail();
  }

  private stmt(): Stmt {
    const t = this.peek();
    if (this.is('{')) return { k: 'block', body: this.block() };
    if (this.is(';')) {
      this.next();
      return { k: 'block', body: [] };
    }
    if (t.kind === 'keyword') {
      switch (t.value) {
        case 'if': {
          this.next();
          this.expect('(');
          const c = this.expr(false);
          this.expect(')');
          this.skipNl();
          const then = this.stmt();
          const save = this.i;
          this.skipTerms();
          if (this.is('else')) {
            this.next();
            this.skipNl();
            return { k: 'if', c, t: then, e: this.stmt() };
          }
          this.i = save;
          return { k: 'if', c, t: then, e: null };
        }
        case 'while': {
          this.next();
          this.expect('(');
          const c = this.expr(false);
          this.expect(')');
          if (this.is(';')) {
            this.next();
            return { k: 'while', c, body: { k: 'block', body: [] } };
          }
          this.skipNl();
          return { k: 'while', c, body: this.stmt() };
        }
        case 'do': {
          this.next();
          this.skipNl();
          const body = this.stmt();
          this.skipTerms();
          if (!this.is('while')) this.fail();
          this.next();
          this.expect('(');
          const c = this.expr(false);
          this.expect(')');
          this.endSimple();
          return { k: 'do', body, c };
        }
        case 'for':
          return this.forStmt();
        case 'next':
        case 'break':
        case 'continue':
          this.next();
          this.endSimple();
          return { k: t.value } as Stmt;
        case 'nextfile':
          this.unsupported('nextfile');
          break;
        case 'exit': {
          this.next();
          const e = this.atEnd() ? null : this.expr(false);
          this.endSimple();
          return { k: 'exit', e };
        }
        case 'delete': {
          this.next();
          const n = this.next();
          if (n.kind !== 'name') this.fail(n);
          let subs: Expr[] | null = null;
          if (this.is('[')) {
            this.next();
            subs = this.exprList(false);
            this.expect(']');
          }
          this.endSimple();
          return { k: 'delete', name: n.value, subs };
        }
        case 'print':
        case 'printf': {
          this.next();
          let args: Expr[] = [];
          if (!this.atEnd() && !this.is('>') && !this.is('>>') && !this.is('|')) args = this.exprList(true);
          if (args.length === 1 && args[0].k === 'group') args = args[0].list;
          let dest: Dest | null = null;
          if (this.is('>') || this.is('>>')) {
            const append = this.next().value === '>>';
            dest = { append, file: this.concat() };
          } else if (this.is('|')) this.unsupported('output pipes (print | "command")');
          if (t.value === 'printf' && args.length === 0) this.fail();
          this.endSimple();
          return { k: t.value, args, dest } as Stmt;
        }
        case 'getline':
          this.unsupported('getline');
          break;
        case 'return':
          this.unsupported('return outside a function');
          break;
        default:
          this.fail();
      }
    }
    const e = this.expr(false);
    this.endSimple();
    return { k: 'expr', e };
  }

  private atEnd(): boolean {
    const t = this.peek();
    return t.kind === 'nl' || t.kind === 'eof' || this.is(';') || this.is('}');
  }

  private forStmt(): Stmt {
    this.next();
    this.expect('(');
    if (this.peek().kind === 'name' && this.peek(1).value === 'in' && this.peek(2).kind === 'name' && this.peek(3).value === ')') {
      const v = this.next().value;
      this.next();
      const arr = this.next().value;
      this.next();
      this.skipNl();
      return { k: 'forin', v, arr, body: this.stmt() };
    }
    const init = this.is(';') ? null : this.expr(false);
    this.expect(';');
    this.skipNl();
    const c = this.is(';') ? null : this.expr(false);
    this.expect(';');
    this.skipNl();
    const step = this.is(')') ? null : this.expr(false);
    this.expect(')');
    if (this.is(';')) {
      this.next();
      return { k: 'for', init, c, step, body: { k: 'block', body: [] } };
    }
    this.skipNl();
    return { k: 'for', init, c, step, body: this.stmt() };
  }

  private exprList(noGt: boolean): Expr[] {
    const list = [this.expr(noGt)];
    while (this.is(',')) {
      this.next();
      this.skipNl();
      list.push(this.expr(noGt));
    }
    return list;
  }

  // ---- expressions, lowest precedence first ----

  expr(noGt: boolean): Expr {
    const left = this.ternary(noGt);
    const t = this.peek();
    if (t.kind === 'op' && ASSIGN_OPS.has(t.value) && isLvalue(left)) {
      this.next();
      this.skipNl();
      return { k: 'assign', op: t.value, target: left, value: this.expr(noGt) };
    }
    return left;
  }

  private ternary(noGt: boolean): Expr {
    const c = this.or(noGt);
    if (!this.is('?')) return c;
    this.next();
    this.skipNl();
    const a = this.expr(noGt);
    this.skipNl();
    this.expect(':');
    this.skipNl();
    return { k: 'cond', c, a, b: this.expr(noGt) };
  }

  private or(noGt: boolean): Expr {
    let a = this.and(noGt);
    while (this.is('||')) {
      this.next();
      this.skipNl();
      a = { k: 'logic', op: '||', a, b: this.and(noGt) };
    }
    return a;
  }

  private and(noGt: boolean): Expr {
    let a = this.inExpr(noGt);
    while (this.is('&&')) {
      this.next();
      this.skipNl();
      a = { k: 'logic', op: '&&', a, b: this.inExpr(noGt) };
    }
    return a;
  }

  private inExpr(noGt: boolean): Expr {
    let a = this.matchExpr(noGt);
    while (this.is('in')) {
      this.next();
      const n = this.next();
      if (n.kind !== 'name') this.fail(n);
      a = { k: 'in', subs: a.k === 'group' ? a.list : [a], name: n.value };
    }
    return a;
  }

  private matchExpr(noGt: boolean): Expr {
    let a = this.cmp(noGt);
    while (this.is('~') || this.is('!~')) {
      const neg = this.next().value === '!~';
      a = { k: 'match', neg, a, re: this.cmp(noGt) };
    }
    return a;
  }

  private cmp(noGt: boolean): Expr {
    const a = this.concat();
    const t = this.peek();
    if (t.kind === 'op' && ['<', '<=', '!=', '==', '>=', ...(noGt ? [] : ['>'])].includes(t.value)) {
      this.next();
      return { k: 'cmp', op: t.value, a, b: this.concat() };
    }
    return a;
  }

  private concat(): Expr {
    let a = this.additive();
    for (;;) {
      const t = this.peek();
      const starts =
        t.kind === 'num' || t.kind === 'str' || t.kind === 'name' || t.kind === 'builtin' || t.kind === 'funcname' || t.kind === 'regex' ||
        (t.kind === 'op' && (t.value === '$' || t.value === '(' || t.value === '!' || t.value === '++' || t.value === '--'));
      if (!starts || (t.kind === 'op' && t.value === '!' && this.peek(1).value === '~')) return a;
      a = { k: 'concat', a, b: this.additive() };
    }
  }

  private additive(): Expr {
    let a = this.mult();
    while (this.is('+') || this.is('-')) {
      const op = this.next().value;
      a = { k: 'bin', op, a, b: this.mult() };
    }
    return a;
  }

  private mult(): Expr {
    let a = this.unary();
    while (this.is('*') || this.is('/') || this.is('%')) {
      const op = this.next().value;
      a = { k: 'bin', op, a, b: this.unary() };
    }
    return a;
  }

  private unary(): Expr {
    if (this.is('!') || this.is('-') || this.is('+')) {
      const op = this.next().value;
      return { k: 'unary', op, a: this.unary() };
    }
    return this.pow();
  }

  private pow(): Expr {
    const base = this.postfix();
    if (this.is('^') || this.is('**')) {
      this.next();
      return { k: 'bin', op: '^', a: base, b: this.unaryPow() };
    }
    return base;
  }

  /** the exponent: right-associative, and may carry a sign (2^-1) */
  private unaryPow(): Expr {
    if (this.is('-') || this.is('+') || this.is('!')) {
      const op = this.next().value;
      return { k: 'unary', op, a: this.unaryPow() };
    }
    return this.pow();
  }

  private postfix(): Expr {
    const p = this.primary();
    if (isLvalue(p) && (this.is('++') || this.is('--'))) {
      return { k: 'incdec', op: this.next().value as '++' | '--', prefix: false, target: p };
    }
    return p;
  }

  private primary(): Expr {
    const t = this.next();
    switch (t.kind) {
      case 'num':
        return { k: 'num', v: Number(t.value) };
      case 'str':
        return { k: 'str', v: t.value };
      case 'regex':
        return { k: 'regex', re: t.value };
      case 'name':
        if (this.is('[')) {
          this.next();
          const subs = this.exprList(false);
          this.expect(']');
          return { k: 'index', name: t.value, subs };
        }
        return { k: 'var', name: t.value };
      case 'funcname':
        return this.unsupported(`functions such as ${t.value}()`, t);
      case 'builtin': {
        if (!this.is('(')) {
          if (t.value === 'length') return { k: 'call', name: 'length', args: [] };
          this.fail();
        }
        this.next();
        const args = this.is(')') ? [] : this.exprList(false);
        this.expect(')');
        return { k: 'call', name: t.value, args };
      }
      case 'keyword':
        if (t.value === 'getline') this.unsupported('getline', t);
        return this.fail(t);
      case 'op':
        if (t.value === '$') {
          if (this.is('++') || this.is('--')) {
            const op = this.next().value as '++' | '--';
            return { k: 'field', index: { k: 'incdec', op, prefix: true, target: this.primary() } };
          }
          if (this.is('-')) {
            this.next();
            return { k: 'field', index: { k: 'unary', op: '-', a: this.primary() } };
          }
          return { k: 'field', index: this.primary() };
        }
        if (t.value === '(') {
          const list = this.exprList(false);
          this.expect(')');
          return list.length === 1 ? list[0] : { k: 'group', list };
        }
        if (t.value === '++' || t.value === '--') {
          const target = this.primary();
          if (!isLvalue(target)) this.fail(t);
          return { k: 'incdec', op: t.value, prefix: true, target };
        }
        if (t.value === '-' || t.value === '+' || t.value === '!') return { k: 'unary', op: t.value, a: this.unary() };
        return this.fail(t);
      default:
        return this.fail(t);
    }
  }
}

function isLvalue(e: Expr): boolean {
  return e.k === 'var' || e.k === 'field' || e.k === 'index';
}
