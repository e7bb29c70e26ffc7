/**
 * C's printf as glibc does it, the one number formatter of this world: bash's printf builtin,
 * awk's printf, sprintf and number-to-string (OFMT, CONVFMT), and the tools' own formatting
 * (procps free and top, slabtop, apt) all print through it.
 *
 * glibc prints the exact binary value of the number, correctly rounded in the current rounding
 * mode: to nearest, an exact tie to even. So "%.2f" of 0.125 (exact in binary, a tie) is "0.12",
 * of 2.675 (really 2.67499999999999982236431605997495353221893310546875) "2.67", and "%.0f" of
 * 2.5 is "2". Number.prototype.toFixed rounds ties up ((0.125).toFixed(2) is "0.13"), so digits
 * here come from BigInt arithmetic on the exact value instead.
 *
 * The value is a double for awk and the tools, but bash's printf reads its arguments with
 * strtold into an x86-64 long double (64-bit significand), which rounds differently:
 * `printf '%.3f' 0.0005` is "0.000" in bash and "0.001" in awk. strtold() below gives that value.
 */

// ---- exact values ----------------------------------------------------------------------------

/** A C floating-point value: finite ones exactly, as (-1)^negative × mant × 2^exp. */
export type CNumber =
  | { kind: 'finite'; negative: boolean; mant: bigint; exp: number }
  | { kind: 'inf'; negative: boolean }
  | { kind: 'nan'; negative: boolean };

/** The exact value of a double. NaN counts as positive: JavaScript does not keep a NaN's sign. */
export function fromDouble(x: number): CNumber {
  if (Number.isNaN(x)) return { kind: 'nan', negative: false };
  if (!Number.isFinite(x)) return { kind: 'inf', negative: x < 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const negative = hi >>> 31 === 1;
  const biased = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased === 0) return { kind: 'finite', negative, mant: frac, exp: -1074 };
  return { kind: 'finite', negative, mant: frac | (1n << 52n), exp: biased - 1075 };
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** x87 extended precision, the long double of x86-64: 64-bit significand, exponents down to subnormal 2^-16445. */
const LD = { bits: 64, minExp: -16445, maxExp: 16384 };

/** num/den × 2^e2 rounded to nearest-even in long double; null when it overflows. */
function roundToLongDouble(negative: boolean, num: bigint, den: bigint, e2: number): CNumber | null {
  if (num === 0n) return { kind: 'finite', negative, mant: 0n, exp: 0 };
  let s = bitLength(num) - bitLength(den) + e2 - LD.bits;
  const quotient = (shift: number) => {
    const n = e2 - shift >= 0 ? num << BigInt(e2 - shift) : num;
    const d = e2 - shift >= 0 ? den : den << BigInt(shift - e2);
    return { q: n / d, r: n % d, d };
  };
  let { q, r, d } = quotient(s);
  if (q >= 1n << BigInt(LD.bits)) ({ q, r, d } = quotient(++s));
  if (s < LD.minExp) ({ q, r, d } = quotient((s = LD.minExp)));
  if (2n * r > d || (2n * r === d && (q & 1n) === 1n)) q += 1n;
  if (q === 1n << BigInt(LD.bits)) {
    q >>= 1n;
    s += 1;
  }
  if (s + LD.bits > LD.maxExp) return null;
  return { kind: 'finite', negative, mant: q, exp: s };
}

/**
 * glibc's strtold on x86-64 in the C locale: leading blanks, a sign, then a decimal number with an
 * optional exponent, a 0x hexadecimal one with an optional p exponent, inf, infinity or nan.
 * `end` is how much of s was read: 0 when nothing was, as strtold sets *endptr to s.
 */
export function strtold(s: string): { value: CNumber; end: number } {
  const zero: CNumber = { kind: 'finite', negative: false, mant: 0n, exp: 0 };
  let i = 0;
  while (i < s.length && ' \t\n\v\f\r'.includes(s[i])) i++;
  let negative = false;
  if (s[i] === '+' || s[i] === '-') negative = s[i++] === '-';
  const rest = s.slice(i);
  const word = /^(infinity|inf|nan(\([0-9A-Za-z_]*\))?)/i.exec(rest);
  if (word) {
    return { value: { kind: /^n/i.test(word[0]) ? 'nan' : 'inf', negative }, end: i + word[0].length };
  }
  const hex = /^0[xX](?:([0-9a-fA-F]+)\.?([0-9a-fA-F]*)|\.([0-9a-fA-F]+))(?:[pP]([-+]?\d+))?/.exec(rest);
  if (hex) {
    const digits = (hex[1] ?? '') + (hex[2] ?? hex[3] ?? '');
    const fracLen = (hex[2] ?? hex[3] ?? '').length;
    const e2 = Math.max(-20000, Math.min(20000, Number(hex[4] ?? '0'))) - 4 * fracLen;
    const v = roundToLongDouble(negative, BigInt('0x' + digits), 1n, e2);
    return { value: v ?? { kind: 'inf', negative }, end: i + hex[0].length };
  }
  const dec = /^(?:(\d+)\.?(\d*)|\.(\d+))(?:[eE]([-+]?\d+))?/.exec(rest);
  if (!dec) return { value: zero, end: 0 };
  const digits = ((dec[1] ?? '') + (dec[2] ?? dec[3] ?? '')).replace(/^0+/, '');
  const end = i + dec[0].length;
  if (digits === '') return { value: { kind: 'finite', negative, mant: 0n, exp: 0 }, end };
  const e10 = Number(dec[4] ?? '0') - (dec[2] ?? dec[3] ?? '').length;
  // far outside the long double range (about 3.6e-4951 to 1.2e4932): no need to build the number
  if (e10 + digits.length > 4940) return { value: { kind: 'inf', negative }, end };
  if (e10 + digits.length < -4960) return { value: { kind: 'finite', negative, mant: 0n, exp: 0 }, end };
  const n = BigInt(digits);
  const v = e10 >= 0 ? roundToLongDouble(negative, n * 10n ** BigInt(e10), 1n, 0) : roundToLongDouble(negative, n, 10n ** BigInt(-e10), 0);
  return { value: v ?? { kind: 'inf', negative }, end };
}

// ---- digits ----------------------------------------------------------------------------------

type Finite = Extract<CNumber, { kind: 'finite' }>;

/** |v| × 10^k rounded to an integer, an exact tie to even. */
function scaledRound(v: Finite, k: number): bigint {
  let num = v.mant;
  let den = 1n;
  if (v.exp >= 0) num <<= BigInt(v.exp);
  else den <<= BigInt(-v.exp);
  if (k >= 0) num *= 10n ** BigInt(k);
  else den *= 10n ** BigInt(-k);
  const q = num / den;
  const twice = (num % den) * 2n;
  return twice > den || (twice === den && (q & 1n) === 1n) ? q + 1n : q;
}

/** Whether |v| >= 10^e, exactly. */
function atLeastPow10(v: Finite, e: number): boolean {
  let left = v.mant;
  let right = 1n;
  if (v.exp >= 0) left <<= BigInt(v.exp);
  else right <<= BigInt(-v.exp);
  if (e >= 0) right *= 10n ** BigInt(e);
  else left *= 10n ** BigInt(-e);
  return left >= right;
}

/** The digits of %.<prec>f for |v|, without a sign. */
function fixedDigits(v: Finite, prec: number, alt: boolean): string {
  const digits = scaledRound(v, prec).toString().padStart(prec + 1, '0');
  if (prec === 0) return alt ? `${digits}.` : digits;
  return `${digits.slice(0, -prec)}.${digits.slice(-prec)}`;
}

/**
 * |v| rounded to prec+1 significant digits: the digits, the decimal exponent of the first, and
 * whether rounding carried into a new leading digit (9.995 at two decimals is 1.00e+01).
 */
function significant(v: Finite, prec: number): { digits: string; exp: number; carried: boolean } {
  if (v.mant === 0n) return { digits: '0'.repeat(prec + 1), exp: 0, carried: false };
  // an estimate from the binary exponent, then made exact
  let e = Math.floor((bitLength(v.mant) - 1 + v.exp) * Math.log10(2));
  while (!atLeastPow10(v, e)) e--;
  while (atLeastPow10(v, e + 1)) e++;
  const q = scaledRound(v, prec - e);
  if (q < 10n ** BigInt(prec + 1)) return { digits: q.toString(), exp: e, carried: false };
  return { digits: scaledRound(v, prec - e - 1).toString(), exp: e + 1, carried: true };
}

function exponentDigits(digits: string, exp: number, prec: number, alt: boolean): string {
  const mantissa = prec === 0 ? (alt ? `${digits}.` : digits) : `${digits[0]}.${digits.slice(1)}`;
  return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** %g: %e or %f by the exponent the value has at that precision; trailing zeros go unless '#'. */
function generalDigits(v: Finite, precision: number, alt: boolean): string {
  const p = precision === 0 ? 1 : precision;
  const { digits, exp, carried } = significant(v, p - 1);
  // glibc's quirk: a value with exactly p integer digits that rounds up to p+1 ("%#g" of
  // 999999.5) switches to %e after its digits were laid out for %f, and keeps none after the point
  if (alt && carried && exp === p) return exponentDigits(digits[0], exp, 0, true);
  let out = exp < -4 || exp >= p ? exponentDigits(digits, exp, p - 1, alt) : fixedDigits(v, p - 1 - exp, alt);
  if (!alt) out = out.includes('e') ? out.replace(/\.?0*e/, 'e') : out.includes('.') ? out.replace(/\.?0*$/, '') : out;
  return out;
}

// ---- printf conversions ----------------------------------------------------------------------

interface Conversion {
  flags: string;
  width: number | null;
  precision: number | null;
  conv: string;
}

/** Splits a format into literal text and conversions; `*` widths are not supported. */
export function scanFormat(fmt: string): (string | Conversion)[] {
  const out: (string | Conversion)[] = [];
  let lit = '';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c !== '%') {
      lit += c;
      continue;
    }
    const m = /^%([-+ 0#]*)(\d+)?(?:\.(\d*))?([diouxXcsfFeEgGb%])/.exec(fmt.slice(i));
    if (!m) {
      lit += c;
      continue;
    }
    if (m[4] === '%') {
      lit += '%';
      i += m[0].length - 1;
      continue;
    }
    if (lit) out.push(lit);
    lit = '';
    out.push({ flags: m[1], width: m[2] !== undefined ? Number(m[2]) : null, precision: m[3] !== undefined ? Number(m[3] || '0') : null, conv: m[4] });
    i += m[0].length - 1;
  }
  if (lit) out.push(lit);
  return out;
}

function pad(s: string, c: Conversion, numeric: boolean): string {
  const width = c.width ?? 0;
  if (s.length >= width) return s;
  if (c.flags.includes('-')) return s + ' '.repeat(width - s.length);
  if (numeric && c.flags.includes('0') && !(c.precision !== null && 'diouxX'.includes(c.conv))) {
    const sign = /^[-+ ]/.test(s) ? s[0] : '';
    const body = sign ? s.slice(1) : s;
    const prefix = /^0[xX]/.test(body) ? body.slice(0, 2) : '';
    return sign + prefix + '0'.repeat(width - s.length) + body.slice(prefix.length);
  }
  return ' '.repeat(width - s.length) + s;
}

/** Formats one integer conversion (d i o u x X). */
export function formatInt(n: number, c: Conversion): string {
  const v = Number.isFinite(n) ? Math.trunc(n) : 0;
  let digits: string;
  const neg = v < 0 && (c.conv === 'd' || c.conv === 'i');
  const abs = Math.abs(v);
  switch (c.conv) {
    case 'o':
      digits = (v < 0 ? BigInt.asUintN(64, BigInt(v)) : BigInt(v)).toString(8);
      if (c.flags.includes('#') && !digits.startsWith('0')) digits = '0' + digits;
      break;
    case 'x':
    case 'X':
      digits = (v < 0 ? BigInt.asUintN(64, BigInt(v)) : BigInt(v)).toString(16);
      if (c.conv === 'X') digits = digits.toUpperCase();
      if (c.flags.includes('#') && v !== 0) digits = (c.conv === 'X' ? '0X' : '0x') + digits;
      break;
    case 'u':
      digits = (v < 0 ? BigInt.asUintN(64, BigInt(v)) : BigInt(v)).toString();
      break;
    default:
      digits = String(abs);
  }
  if (c.precision !== null) {
    if (c.precision === 0 && v === 0) digits = '';
    else if (digits.length < c.precision) digits = '0'.repeat(c.precision - digits.length) + digits;
  }
  const sign = neg ? '-' : c.flags.includes('+') && (c.conv === 'd' || c.conv === 'i') ? '+' : c.flags.includes(' ') && (c.conv === 'd' || c.conv === 'i') ? ' ' : '';
  return pad(sign + digits, c, true);
}

/**
 * Formats one floating conversion (f F e E g G) of a double, or of an exact value such as the
 * long double strtold() read for bash.
 */
export function formatFloat(n: number | CNumber, c: Conversion): string {
  const v = typeof n === 'number' ? fromDouble(n) : n;
  const prec = c.precision ?? 6;
  const alt = c.flags.includes('#');
  let body: string;
  if (v.kind !== 'finite') body = v.kind;
  else if (c.conv === 'f' || c.conv === 'F') body = fixedDigits(v, prec, alt);
  else if (c.conv === 'e' || c.conv === 'E') {
    const { digits, exp } = significant(v, prec);
    body = exponentDigits(digits, exp, prec, alt);
  } else body = generalDigits(v, prec, alt);
  if (c.conv === 'E' || c.conv === 'G' || c.conv === 'F') body = body.toUpperCase();
  const sign = v.negative ? '-' : c.flags.includes('+') ? '+' : c.flags.includes(' ') ? ' ' : '';
  return pad(sign + body, c, v.kind === 'finite');
}

export function formatString(s: string, c: Conversion): string {
  const cut = c.precision !== null ? s.slice(0, c.precision) : s;
  return pad(cut, c, false);
}

// ---- the tools' shorthands -------------------------------------------------------------------

/**
 * printf("%.<prec>f", x) as the procps tools print it. Their NaN comes from 0.0/0.0, which has
 * the sign bit set on x86, hence "-nan".
 */
export function cFixed(x: number, prec: number): string {
  if (Number.isNaN(x)) return '-nan';
  return formatFloat(x, { flags: '', width: null, precision: prec, conv: 'f' });
}

/** C's (float) cast: the tools that print through a float lose precision exactly like this. */
export function toFloat32(x: number): number {
  return Math.fround(x);
}

/** %<width>s / %<width>d: right-aligned, never truncated. */
export function rpad(value: string | number, width: number): string {
  return String(value).padStart(width, ' ');
}

/** %-<width>s: left-aligned, never truncated. */
export function lpad(value: string | number, width: number): string {
  return String(value).padEnd(width, ' ');
}

/** %0<width>d */
export function zpad(value: number, width: number): string {
  const s = String(Math.abs(Math.trunc(value))).padStart(width, '0');
  return value < 0 ? `-${s}` : s;
}

/** The "%'d" thousands grouping of an en_US locale. */
export function groupThousands(digits: string): string {
  const neg = digits.startsWith('-');
  const body = neg ? digits.slice(1) : digits;
  const dot = body.indexOf('.');
  const int = dot === -1 ? body : body.slice(0, dot);
  const rest = dot === -1 ? '' : body.slice(dot);
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${grouped}${rest}`;
}
