/**
 * $(( )) arithmetic: integers, + - * / % **, comparisons, && || !, parentheses and variable
 * names. Errors carry bash's own wording so the executor can print them as they are.
 *
 * As in bash, numbers are 64-bit signed integers (intmax_t) that wrap around: a number of many
 * digits keeps every digit that fits, 2**63 is -9223372036854775808, and 2**1000000000 takes no
 * longer than 2**10.
 */
export class ArithError extends Error {}

type Tok = { k: 'num'; v: bigint } | { k: 'id'; v: string } | { k: 'op'; v: string };

/** intmax_t's wrap-around */
const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);
const bool = (b: boolean): bigint => (b ? 1n : 0n);

/** base ** exp in 64 bits, by squaring */
function power64(base: bigint, exp: bigint): bigint {
  let result = 1n;
  let b = wrap(base);
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = wrap(result * b);
    b = wrap(b * b);
    e >>= 1n;
  }
  return result;
}

const OPS = ['**', '<=', '>=', '==', '!=', '&&', '||', '<<', '>>', '+', '-', '*', '/', '%', '<', '>', '!', '(', ')', '~', '&', '|', '^'];

export function evalArith(expr: string, lookup: (name: string) => string | undefined): bigint {
  const toks = tokenize(expr);
  let i = 0;
  const fail = (what: string): never => {
    throw new ArithError(`${expr.trim()}: ${what} (error token is "${remaining(toks, i)}")`);
  };
  const peekOp = (v: string) => i < toks.length && toks[i].k === 'op' && (toks[i] as { v: string }).v === v;
  const varValue = (name: string, depth = 0): bigint => {
    const raw = (lookup(name) ?? '').trim();
    if (raw === '') return 0n;
    if (/^-?\d+$/.test(raw)) return wrap(BigInt(raw));
    if (depth < 8 && /^[A-Za-z_]\w*$/.test(raw)) return varValue(raw, depth + 1);
    return evalArith(raw, lookup);
  };

  const binary: [string[], (a: bigint, b: bigint, op: string) => bigint][] = [
    [['||'], (a, b) => bool(a !== 0n || b !== 0n)],
    [['&&'], (a, b) => bool(a !== 0n && b !== 0n)],
    [['|'], (a, b) => a | b],
    [['^'], (a, b) => a ^ b],
    [['&'], (a, b) => a & b],
    [['==', '!='], (a, b, op) => bool((op === '==') === (a === b))],
    [['<', '>', '<=', '>='], (a, b, op) => bool(op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b)],
    // x86-64 shifts by the count's low six bits
    [['<<', '>>'], (a, b, op) => wrap(op === '<<' ? a << (b & 63n) : a >> (b & 63n))],
    [['+', '-'], (a, b, op) => wrap(op === '+' ? a + b : a - b)],
    [
      ['*', '/', '%'],
      (a, b, op) => {
        if (op === '*') return wrap(a * b);
        if (b === 0n) {
          i--;
          fail('division by 0');
        }
        return wrap(op === '/' ? a / b : a % b);
      },
    ],
  ];

  const level = (n: number): bigint => {
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
  const power = (): bigint => {
    const base = unary();
    if (peekOp('**')) {
      i++;
      const exp = power();
      if (exp < 0n) {
        i--;
        fail('exponent less than 0');
      }
      return power64(base, exp);
    }
    return base;
  };
  const unary = (): bigint => {
    const t = toks[i];
    if (t && t.k === 'op' && ['-', '+', '!', '~'].includes(t.v)) {
      i++;
      const v = unary();
      return t.v === '-' ? wrap(-v) : t.v === '+' ? v : t.v === '!' ? bool(v === 0n) : ~v;
    }
    return primary();
  };
  const primary = (): bigint => {
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

  if (toks.length === 0) return 0n;
  const v = level(0);
  if (i < toks.length) fail(`syntax error in expression`);
  return v;
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
      const octal = !text.startsWith('0x') && text.length > 1 && text.startsWith('0');
      if (octal && /[89]/.test(text)) throw new ArithError(`${s.trim()}: value too great for base (error token is "${text}")`);
      const v = wrap(octal ? BigInt('0o' + text.slice(1)) : BigInt(text));
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
