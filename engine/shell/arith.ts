/**
 * $(( )) arithmetic: integers, + - * / % **, comparisons, && || !, parentheses and variable
 * names. Errors carry bash's own wording so the executor can print them as they are.
 */
export class ArithError extends Error {}

type Tok = { k: 'num'; v: number } | { k: 'id'; v: string } | { k: 'op'; v: string };

const OPS = ['**', '<=', '>=', '==', '!=', '&&', '||', '<<', '>>', '+', '-', '*', '/', '%', '<', '>', '!', '(', ')', '~', '&', '|', '^'];

export function evalArith(expr: string, lookup: (name: string) => string | undefined): number {
  const toks = tokenize(expr);
  let i = 0;
  const fail = (what: string): never => {
    throw new ArithError(`${expr.trim()}: ${what} (error token is "${remaining(toks, i)}")`);
  };
  const peekOp = (v: string) => i < toks.length && toks[i].k === 'op' && (toks[i] as { v: string }).v === v;
  const varValue = (name: string, depth = 0): number => {
    const raw = (lookup(name) ?? '').trim();
    if (raw === '') return 0;
    if (/^-?\d+$/.test(raw)) return Number(raw);
    if (depth < 8 && /^[A-Za-z_]\w*$/.test(raw)) return varValue(raw, depth + 1);
    return evalArith(raw, lookup);
  };

  const binary: [string[], (a: number, b: number, op: string) => number][] = [
    [['||'], (a, b) => (a || b ? 1 : 0)],
    [['&&'], (a, b) => (a && b ? 1 : 0)],
    [['|'], (a, b) => a | b],
    [['^'], (a, b) => a ^ b],
    [['&'], (a, b) => a & b],
    [['==', '!='], (a, b, op) => ((op === '==') === (a === b) ? 1 : 0)],
    [['<', '>', '<=', '>='], (a, b, op) => (op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b) ? 1 : 0],
    [['<<', '>>'], (a, b, op) => (op === '<<' ? a << b : a >> b)],
    [['+', '-'], (a, b, op) => (op === '+' ? a + b : a - b)],
    [
      ['*', '/', '%'],
      (a, b, op) => {
        if (op === '*') return a * b;
        if (b === 0) {
          i--;
          fail('division by 0');
        }
        return op === '/' ? Math.trunc(a / b) : a % b;
      },
    ],
  ];

  const level = (n: number): number => {
    if (n >= binary.length) return power();
    let left = level(n + 1);
    for (;;) {
      const t = toks[i];
      if (!t || t.k !== 'op' || !binary[n][0].includes(t.v)) return left;
      i++;
      const right = level(n + 1);
      left = binary[n][1](left, right, t.v);
    }
  };
  const power = (): number => {
    const base = unary();
    if (peekOp('**')) {
      i++;
      return Math.pow(base, power());
    }
    return base;
  };
  const unary = (): number => {
    const t = toks[i];
    if (t && t.k === 'op' && ['-', '+', '!', '~'].includes(t.v)) {
      i++;
      const v = unary();
      return t.v === '-' ? -v : t.v === '+' ? v : t.v === '!' ? (v ? 0 : 1) : ~v;
    }
    return primary();
  };
  const primary = (): number => {
    const t = toks[i];
    if (!t) return fail('syntax error: operand expected');
    if (t.k === 'num') {
      i++;
      return t.v;
    }
    if (t.k === 'id') {
      i++;
      return varValue(t.v);
    }
    if (t.v === '(') {
      i++;
      const v = level(0);
      if (!peekOp(')')) return fail('missing `)\'');
      i++;
      return v;
    }
    return fail('syntax error: operand expected');
  };

  if (toks.length === 0) return 0;
  const v = level(0);
  if (i < toks.length) fail(`syntax error in expression`);
  return Math.trunc(v);
}

function tokText(t: Tok): string {
  return String(t.v);
}

function remaining(toks: Tok[], i: number): string {
  return toks.slice(i).map(tokText).join(' ');
}

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^(0x[0-9a-fA-F]+|\d+)/.exec(s.slice(i));
    if (num) {
      const text = num[1];
      const v = text.startsWith('0x') ? parseInt(text, 16) : text.length > 1 && text.startsWith('0') ? parseInt(text, 8) : Number(text);
      if (Number.isNaN(v)) throw new ArithError(`${s.trim()}: value too great for base (error token is "${text}")`);
      out.push({ k: 'num', v });
      i += text.length;
      continue;
    }
    const id = /^[A-Za-z_]\w*/.exec(s.slice(i));
    if (id) {
      out.push({ k: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    const op = OPS.find((o) => s.startsWith(o, i));
    if (!op) throw new ArithError(`${s.trim()}: syntax error: invalid arithmetic operator (error token is "${s.slice(i)}")`);
    out.push({ k: 'op', v: op });
    i += op.length;
  }
  return out;
}
