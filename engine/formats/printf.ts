/**
 * The few pieces of C printf the real tools rely on, reproduced exactly: glibc rounds an exact
 * decimal tie to even ("%.2f" of 0.125 is "0.12"), which Number.prototype.toFixed does not, and
 * tools that compute in float (procps free, top) round differently from double.
 */

/** Splits a finite double into sign, integer mantissa and binary exponent: |x| = mant * 2^exp. */
function decompose(x: number): { negative: boolean; mant: bigint; exp: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const negative = (hi >>> 31) === 1;
  const biased = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased === 0) return { negative, mant: frac, exp: -1074 };
  return { negative, mant: frac | (1n << 52n), exp: biased - 1075 };
}

/** printf("%.<prec>f", x) with glibc's round-half-to-even on the exact binary value. */
export function cFixed(x: number, prec: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? '-nan' : x > 0 ? 'inf' : '-inf';
  const { negative, mant, exp } = decompose(x);
  const scale = 10n ** BigInt(prec);
  let q: bigint;
  if (exp >= 0) {
    q = (mant << BigInt(exp)) * scale;
  } else {
    const den = 1n << BigInt(-exp);
    const num = mant * scale;
    q = num / den;
    const twice = (num % den) * 2n;
    if (twice > den || (twice === den && q % 2n === 1n)) q += 1n;
  }
  let digits = q.toString();
  if (prec > 0) {
    digits = digits.padStart(prec + 1, '0');
    digits = `${digits.slice(0, -prec)}.${digits.slice(-prec)}`;
  }
  return negative ? `-${digits}` : digits;
}

/** printf("%<width>.<prec>f"). */
export function cFixedW(x: number, width: number, prec: number): string {
  return cFixed(x, prec).padStart(width, ' ');
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

/** C integer division toward zero, for the unsigned arithmetic the tools do. */
export function idiv(a: number, b: number): number {
  return Math.trunc(a / b);
}
