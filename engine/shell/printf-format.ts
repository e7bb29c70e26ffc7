/**
 * C printf conversions as bash's printf and awk's printf/sprintf use them:
 * %d %i %u %o %x %X %c %s %f %F %e %E %g %G %%, with flags (- + space 0 #), width and precision.
 */

export interface Conversion {
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

export function pad(s: string, c: Conversion, numeric: boolean): string {
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

/** Formats one floating conversion (f F e E g G). */
export function formatFloat(n: number, c: Conversion): string {
  const prec = c.precision ?? 6;
  let body: string;
  if (!Number.isFinite(n)) body = Number.isNaN(n) ? 'nan' : 'inf';
  else {
    const abs = Math.abs(n);
    switch (c.conv) {
      case 'f':
      case 'F':
        body = abs.toFixed(prec);
        break;
      case 'e':
      case 'E':
        body = cExponent(abs, prec);
        break;
      default:
        body = cGeneral(abs, prec === 0 ? 1 : prec, c.flags.includes('#'));
    }
  }
  if (c.conv === 'E' || c.conv === 'G' || c.conv === 'F') body = body.toUpperCase();
  const sign = n < 0 || Object.is(n, -0) ? '-' : c.flags.includes('+') ? '+' : c.flags.includes(' ') ? ' ' : '';
  return pad(sign + body, c, Number.isFinite(n));
}

function cExponent(abs: number, prec: number): string {
  const [mant, exp] = abs.toExponential(prec).split('e');
  const e = Number(exp);
  return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

function cGeneral(abs: number, prec: number, keepZeros: boolean): string {
  if (abs === 0) return '0';
  const rounded = Number(abs.toExponential(prec - 1));
  const e = rounded === 0 ? 0 : Math.floor(Math.log10(rounded));
  let out: string;
  if (e < -4 || e >= prec) {
    out = cExponent(abs, prec - 1);
    if (!keepZeros) out = out.replace(/\.?0+e/, 'e');
  } else {
    out = abs.toFixed(Math.max(0, prec - 1 - e));
    if (!keepZeros && out.includes('.')) out = out.replace(/\.?0+$/, '');
  }
  return out;
}

export function formatString(s: string, c: Conversion): string {
  const cut = c.precision !== null ? s.slice(0, c.precision) : s;
  return pad(cut, c, false);
}
