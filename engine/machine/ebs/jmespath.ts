/**
 * `--query`: jmespath 0.7.1 (the version botocore 0.107.0 pins), ported from its lexer, Pratt
 * parser and tree interpreter (jmespath/lexer.py, parser.py, visitor.py at tag 0.7.1) with their
 * error messages: fields, sub-expressions, indexes, projections ([*], .*, []), filters with
 * comparisons, multi-select lists and hashes (a hash is a Python dict: its keys come out in
 * Python 2.7's order), pipes and ||. Functions, slices and & expressions are not simulated and
 * say so.
 */
import { pyDict } from './py2dict';
import { pyTruthy, type PyValue } from './output';

type Tok = { type: string; value: string | number | PyValue; start: number };

export class QueryError extends Error {}
/** a query that uses a part of JMESPath this box leaves out */
export class QueryUnsupported extends Error {}

const TOKENS: Array<[string, string]> = [
  ['number', '-?\\d+'],
  ['unquoted_identifier', '[a-zA-Z_][a-zA-Z_0-9]*'],
  ['quoted_identifier', '"(?:\\\\\\\\|\\\\"|[^"])*"'],
  ['string_literal', "'(?:\\\\\\\\|\\\\'|[^'])*'"],
  ['literal', '`(?:\\\\\\\\|\\\\`|[^`])*`'],
  ['filter', '\\[\\?'],
  ['or', '\\|\\|'],
  ['pipe', '\\|'],
  ['ne', '!='],
  ['rbrace', '\\}'],
  ['eq', '=='],
  ['dot', '\\.'],
  ['star', '\\*'],
  ['gte', '>='],
  ['lparen', '\\('],
  ['lbrace', '\\{'],
  ['lte', '<='],
  ['flatten', '\\[\\]'],
  ['rbracket', '\\]'],
  ['lbracket', '\\['],
  ['rparen', '\\)'],
  ['comma', ','],
  ['colon', ':'],
  ['lt', '<'],
  ['expref', '&'],
  ['gt', '>'],
  ['current', '@'],
  ['skip', '[ \\t]+'],
];
const MASTER = new RegExp(TOKENS.map(([n, re]) => `(?<${n}>${re})`).join('|'), 'g');

function lexerError(position: number, message: string, expression: string): QueryError {
  return new QueryError(`Bad jmespath expression: ${message}:\n${expression}\n${' '.repeat(position)}^`);
}

function looksLikeJson(v: string): boolean {
  if (!v) return false;
  if ('"{['.includes(v[0]!)) return true;
  if (['true', 'false', 'null'].includes(v)) return true;
  if ('-0123456789'.includes(v[0]!)) {
    try {
      JSON.parse(v);
      return true;
    } catch {
      return false;
    }
  }
  return false;
}

function tokenize(expression: string): Tok[] {
  if (!expression) throw new QueryError('Invalid JMESPath expression: cannot be empty.');
  const out: Tok[] = [];
  let previous = 0;
  let end = 0;
  MASTER.lastIndex = 0;
  for (let m = MASTER.exec(expression); m; m = MASTER.exec(expression)) {
    const type = Object.entries(m.groups!).find(([, v]) => v !== undefined)![0];
    const value = m[0];
    const start = m.index;
    end = start + value.length;
    if (type === 'skip') {
      previous = end;
      continue;
    }
    if (start !== previous) {
      const bad = expression.slice(previous, start);
      throw lexerError(previous, bad === '"' ? 'Starting quote is missing the ending quote' : 'Unknown character', expression);
    }
    previous = end;
    let v: Tok['value'] = value;
    if (type === 'number') v = parseInt(value, 10);
    else if (type === 'quoted_identifier') {
      try {
        v = JSON.parse(value) as string;
      } catch {
        throw lexerError(start, 'Invalid control character at', expression);
      }
    } else if (type === 'string_literal') v = value.slice(1, -1);
    else if (type === 'literal') {
      const raw = value.slice(1, -1).replace(/\\`/g, '`').replace(/^\s+/, '');
      try {
        v = (looksLikeJson(raw) ? JSON.parse(raw) : JSON.parse(`"${raw}"`)) as PyValue;
      } catch {
        throw lexerError(start, `Bad token ${value}`, expression);
      }
    }
    out.push({ type, value: v, start });
  }
  if (end !== expression.length) throw lexerError(end, 'Unknown characters at the end of the expression', expression);
  out.push({ type: 'eof', value: '', start: expression.length });
  return out;
}

type Node =
  | { type: 'field'; name: string }
  | { type: 'sub'; children: Node[] }
  | { type: 'index'; n: number }
  | { type: 'index_expression'; children: Node[] }
  | { type: 'projection' | 'value_projection'; left: Node; right: Node }
  | { type: 'filter_projection'; left: Node; right: Node; cond: Node }
  | { type: 'flatten'; child: Node }
  | { type: 'identity' | 'current' }
  | { type: 'literal'; value: PyValue }
  | { type: 'comparator'; op: string; left: Node; right: Node }
  | { type: 'multi_list'; children: Node[] }
  | { type: 'multi_hash'; pairs: Array<[string, Node]> }
  | { type: 'pipe' | 'or'; left: Node; right: Node };

const BP: Record<string, number> = {
  eof: 0, unquoted_identifier: 0, quoted_identifier: 0, rbracket: 0, rparen: 0, comma: 0, rbrace: 0, number: 0, current: 0, expref: 0, colon: 0,
  pipe: 1, eq: 2, gt: 2, lt: 2, gte: 2, lte: 2, ne: 2, or: 5, flatten: 6, star: 20, filter: 21, dot: 40, lbrace: 50, lbracket: 55, lparen: 60,
  string_literal: 0, literal: 0,
};

/** Python 2's str() of a token's value, as ParseError prints it */
const tokStr = (v: Tok['value']): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : JSON.stringify(v));
const pyList = (xs: string[]): string => `[${xs.map((x) => `'${x}'`).join(', ')}]`;

class Parser {
  private i = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly expression: string,
  ) {}

  private parseError(t: Tok, msg: string): QueryError {
    return new QueryError(`${msg}: Parse error at column ${t.start}, token "${tokStr(t.value)}" (${t.type.toUpperCase()}), for expression:\n"${this.expression}"\n${' '.repeat(t.start + 1)}^`);
  }
  private incomplete(): QueryError {
    return new QueryError(`Invalid jmespath expression: Incomplete expression:\n"${this.expression}"\n${' '.repeat(this.expression.length + 1)}^`);
  }
  private cur(): string {
    return this.toks[this.i]!.type;
  }
  private look(n: number): Tok {
    return this.toks[Math.min(this.i + n, this.toks.length - 1)]!;
  }
  private match(type: string): void {
    if (this.cur() === type) {
      this.i++;
      return;
    }
    const t = this.look(0);
    if (t.type === 'eof') throw this.incomplete();
    throw this.parseError(t, `Expecting: ${type}, got: ${t.type}`);
  }

  parse(): Node {
    const node = this.expr(0);
    if (this.cur() !== 'eof') {
      const t = this.look(0);
      throw this.parseError(t, `Unexpected token: ${tokStr(t.value)}`);
    }
    return node;
  }

  private expr(bp: number): Node {
    const t = this.look(0);
    this.i++;
    let left = this.nud(t);
    while (bp < (BP[this.cur()] ?? 0)) {
      const type = this.cur();
      if (!LED.has(type)) throw this.parseError(this.look(0), 'Invalid token');
      this.i++;
      left = this.led(type, left);
    }
    return left;
  }

  private nud(t: Tok): Node {
    switch (t.type) {
      case 'string_literal':
      case 'literal':
        return { type: 'literal', value: t.value as PyValue };
      case 'unquoted_identifier':
        return { type: 'field', name: t.value as string };
      case 'quoted_identifier':
        if (this.cur() === 'lparen') throw this.parseError(this.look(0), 'Quoted identifier not allowed for function names.');
        return { type: 'field', name: t.value as string };
      case 'star':
        return { type: 'value_projection', left: { type: 'identity' }, right: this.cur() === 'rbracket' ? { type: 'identity' } : this.projectionRhs(BP.star!) };
      case 'filter':
        return this.led('filter', { type: 'identity' });
      case 'lbrace':
        return this.multiHash();
      case 'flatten':
        return { type: 'projection', left: { type: 'flatten', child: { type: 'identity' } }, right: this.projectionRhs(BP.flatten!) };
      case 'lbracket':
        if (this.cur() === 'number' || this.cur() === 'colon') return this.indexExpr({ type: 'identity' });
        if (this.cur() === 'star' && this.look(1).type === 'rbracket') {
          this.i += 2;
          return { type: 'projection', left: { type: 'identity' }, right: this.projectionRhs(BP.star!) };
        }
        return this.multiList();
      case 'current':
        return { type: 'current' };
      case 'expref':
        throw new QueryUnsupported('&');
      case 'eof':
        throw this.incomplete();
    }
    throw this.parseError(t, 'Invalid token.');
  }

  private indexExpr(left: Node): Node {
    if (this.cur() === 'colon' || this.look(1).type === 'colon') throw new QueryUnsupported('slice');
    const n = this.look(0).value as number;
    this.i++;
    this.match('rbracket');
    const idx: Node = { type: 'index', n };
    if (left.type === 'index_expression') {
      left.children.push(idx);
      return left;
    }
    return { type: 'index_expression', children: [left, idx] };
  }

  private led(type: string, left: Node): Node {
    switch (type) {
      case 'dot':
        if (this.cur() !== 'star') {
          const right = this.dotRhs(BP.dot!);
          if (left.type === 'sub') {
            left.children.push(right);
            return left;
          }
          return { type: 'sub', children: [left, right] };
        }
        this.i++;
        return { type: 'value_projection', left, right: this.projectionRhs(BP.dot!) };
      case 'pipe':
        return { type: 'pipe', left, right: this.expr(BP.pipe!) };
      case 'or':
        return { type: 'or', left, right: this.expr(BP.or!) };
      case 'lparen':
        throw new QueryUnsupported('functions');
      case 'filter': {
        const cond = this.expr(0);
        this.match('rbracket');
        const right: Node = this.cur() === 'flatten' ? { type: 'identity' } : this.projectionRhs(BP.filter!);
        return { type: 'filter_projection', left, right, cond };
      }
      case 'eq':
      case 'ne':
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        return { type: 'comparator', op: type, left, right: this.expr(BP[type]!) };
      case 'flatten':
        return { type: 'projection', left: { type: 'flatten', child: left }, right: this.projectionRhs(BP.flatten!) };
      case 'lbracket': {
        const t = this.look(0);
        if (t.type === 'number' || t.type === 'colon') return this.indexExpr(left);
        this.match('star');
        this.match('rbracket');
        return { type: 'projection', left, right: this.projectionRhs(BP.star!) };
      }
    }
    throw this.parseError(this.look(0), 'Invalid token');
  }

  private multiList(): Node {
    const children: Node[] = [];
    while (this.cur() !== 'rbracket') {
      children.push(this.expr(0));
      if (this.cur() === 'comma') {
        this.match('comma');
        if (this.cur() === 'rbracket') throw this.parseError(this.look(0), `Token rbracket not allowed to be: ('rbracket',)`);
      }
    }
    this.match('rbracket');
    return { type: 'multi_list', children };
  }

  private multiHash(): Node {
    const pairs: Array<[string, Node]> = [];
    for (;;) {
      const key = this.look(0);
      if (key.type !== 'quoted_identifier' && key.type !== 'unquoted_identifier') {
        if (key.type === 'eof') throw this.incomplete();
        throw this.parseError(key, `Expecting: ${pyList(['quoted_identifier', 'unquoted_identifier'])}, got: ${key.type}`);
      }
      this.i++;
      this.match('colon');
      pairs.push([key.value as string, this.expr(0)]);
      if (this.cur() === 'comma') this.match('comma');
      else if (this.cur() === 'rbrace') {
        this.match('rbrace');
        break;
      }
    }
    return { type: 'multi_hash', pairs };
  }

  private projectionRhs(bp: number): Node {
    const c = this.cur();
    if ((BP[c] ?? 0) < 10) return { type: 'identity' };
    if (c === 'lbracket' || c === 'filter') return this.expr(bp);
    if (c === 'dot') {
      this.match('dot');
      return this.dotRhs(bp);
    }
    throw this.parseError(this.look(0), 'syntax error');
  }

  private dotRhs(bp: number): Node {
    const c = this.cur();
    if (c === 'quoted_identifier' || c === 'unquoted_identifier' || c === 'star') return this.expr(bp);
    if (c === 'lbracket') {
      this.match('lbracket');
      return this.multiList();
    }
    if (c === 'lbrace') {
      this.match('lbrace');
      return this.multiHash();
    }
    const t = this.look(0);
    throw this.parseError(t, `Expecting: ${pyList(['quoted_identifier', 'unquoted_identifier', 'lbracket', 'lbrace'])}, got: ${t.type}`);
  }
}

const LED = new Set(['dot', 'pipe', 'or', 'lparen', 'filter', 'eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'flatten', 'lbracket']);

const isObj = (v: PyValue | undefined): v is { [k: string]: PyValue } => typeof v === 'object' && v !== null && !Array.isArray(v);

function equals(x: PyValue, y: PyValue): boolean {
  // jmespath's special case: 0 and 1 never equal a boolean
  if ((x === 0 || x === 1) && typeof y === 'boolean') return false;
  if ((y === 0 || y === 1) && typeof x === 'boolean') return false;
  return JSON.stringify(x) === JSON.stringify(y);
}

function compare(op: string, x: PyValue, y: PyValue): boolean {
  if (op === 'eq') return equals(x, y);
  if (op === 'ne') return !equals(x, y);
  // Python 2 orders numbers before strings and compares like types directly; other mixes are not simulated
  const rank = (v: PyValue): number => (v === null ? 0 : typeof v === 'number' || typeof v === 'boolean' ? 1 : typeof v === 'string' ? 3 : 2);
  const a = x as unknown as number | string;
  const b = y as unknown as number | string;
  const c = rank(x) !== rank(y) ? rank(x) - rank(y) : a < b ? -1 : a > b ? 1 : 0;
  return op === 'lt' ? c < 0 : op === 'lte' ? c <= 0 : op === 'gt' ? c > 0 : c >= 0;
}

const falsy = (v: PyValue): boolean => v === '' || v === null || v === false || (Array.isArray(v) && !v.length) || (isObj(v) && !Object.keys(v).length);

function visit(n: Node, v: PyValue): PyValue {
  switch (n.type) {
    case 'field':
      return isObj(v) && n.name in v ? v[n.name]! : null;
    case 'sub':
    case 'index_expression':
      return n.children.reduce((acc, c) => visit(c, acc), v);
    case 'index':
      if (!Array.isArray(v)) return null;
      return (n.n < 0 ? v[v.length + n.n] : v[n.n]) ?? null;
    case 'identity':
    case 'current':
      return v;
    case 'literal':
      return n.value;
    case 'comparator':
      return compare(n.op, visit(n.left, v), visit(n.right, v));
    case 'flatten': {
      const base = visit(n.child, v);
      if (!Array.isArray(base)) return null;
      return base.flatMap((e) => (Array.isArray(e) ? e : [e]));
    }
    case 'projection': {
      const base = visit(n.left, v);
      if (!Array.isArray(base)) return null;
      return base.map((e) => visit(n.right, e)).filter((e) => e !== null);
    }
    case 'value_projection': {
      const base = visit(n.left, v);
      if (!isObj(base)) return null;
      return Object.values(base)
        .map((e) => visit(n.right, e))
        .filter((e) => e !== null);
    }
    case 'filter_projection': {
      const base = visit(n.left, v);
      if (!Array.isArray(base)) return null;
      return base
        .filter((e) => pyTruthy(visit(n.cond, e)))
        .map((e) => visit(n.right, e))
        .filter((e) => e !== null);
    }
    case 'multi_list':
      return v === null ? null : n.children.map((c) => visit(c, v));
    case 'multi_hash':
      return v === null ? null : pyDict(n.pairs.map(([k, c]) => [k, visit(c, v)] as const));
    case 'pipe':
      return visit(n.right, visit(n.left, v));
    case 'or': {
      const a = visit(n.left, v);
      return falsy(a) ? visit(n.right, v) : a;
    }
  }
}

export interface CompiledQuery {
  search(v: PyValue): PyValue;
}

/** jmespath.compile: throws QueryError with jmespath's message, or QueryUnsupported */
export function compileQuery(expression: string): CompiledQuery {
  const ast = new Parser(tokenize(expression), expression).parse();
  return { search: (v) => visit(ast, v) };
}
