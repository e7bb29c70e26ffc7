import { Out, failure } from '../io';
import { formatFloat, formatInt, formatString, fromDouble, scanFormat, strtold, type CNumber } from '../../formats/printf';
import { echoEscapes } from './echo';
import { defineCommand } from './define';

/** printf's own escapes in the format: like echo -e, plus \" and octal without the leading 0 */
function formatEscapes(s: string): { text: string; stop: boolean } {
  return echoEscapes(s.replace(/\\([1-7][0-7]{0,2})/g, (_, d: string) => String.fromCharCode(parseInt(d, 8))).replace(/\\"/g, '"'));
}

/** bash accepts 'c as the character code of c, and 0x.. / 0.. as hex and octal */
function toNumber(arg: string): number | null {
  const t = arg.trim();
  if (t === '') return 0;
  if (/^['"]/.test(t)) return t.length > 1 ? t.charCodeAt(1) : 0;
  if (/^[-+]?0[xX][0-9a-fA-F]+$/.test(t)) return parseInt(t, 16);
  if (/^[-+]?0[0-7]+$/.test(t)) return parseInt(t, 8);
  if (/^[-+]?\d+$/.test(t)) return Number(t);
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return Number(t);
  return null;
}

/**
 * bash reads the argument of a floating conversion with strtold, into a long double, and uses
 * what it could read even when it complains about the rest (1.5abc prints 1.500000).
 */
function toLongDouble(arg: string): { value: CNumber; complaint: string | null } {
  if (/^['"]/.test(arg)) return { value: fromDouble(arg.length > 1 ? arg.charCodeAt(1) : 0), complaint: null };
  const { value, end } = strtold(arg);
  if (end === arg.length) return { value, complaint: null };
  // sh_invalidnum's three wordings
  const what = /^0\d/.test(arg) ? 'invalid octal number' : arg.startsWith('0x') ? 'invalid hex number' : 'invalid number';
  return { value, complaint: `bash: printf: ${arg}: ${what}` };
}

export const printf = defineCommand({
  name: 'printf',
  summary: 'print text laid out by a format',
  category: 'text',
  synopsis: ['printf FORMAT [ARGUMENT]...'],
  description: [
    'Prints FORMAT, replacing each conversion with the next ARGUMENT. Unlike echo, printf adds no newline of its own: write \\n where you want one. When there are more ARGUMENTs than conversions, FORMAT is used again until all are consumed.',
    'Conversions: %s a string, %d or %i a whole number, %u %o %x %X unsigned, octal and hex, %f %e %g a decimal number, %c the first character, %b a string whose backslash escapes are interpreted, %% a percent sign. Between % and the letter may come flags (- left-align, 0 zero-pad, + sign), a width and a .precision.',
  ],
  examples: [
    ['printf "%s has %d MB\\n" cache 512', 'Prints: cache has 512 MB'],
    ['printf "%-10s|%5.1f\\n" dentry 12.345', 'Left-aligned name, number with one decimal.'],
  ],
  run(ctx) {
    let args = ctx.argv.slice(1);
    if (args[0] === '--') args = args.slice(1);
    if (args.length === 0) return failure('bash: printf: usage: printf [-v var] format [arguments]\n', 2);
    if (args[0] === '-v') return failure('bash: printf: -v: assigning to variables is not available in this shell\n', 2);
    const [fmt, ...rest] = args;
    const parts = scanFormat(fmt);
    const conversions = parts.filter((p) => typeof p !== 'string').length;
    const out = new Out();
    let code = 0;
    let next = 0;
    do {
      for (const p of parts) {
        if (typeof p === 'string') {
          const e = formatEscapes(p);
          out.out(e.text);
          if (e.stop) return out.done(code);
          continue;
        }
        const arg = next < rest.length ? rest[next++] : undefined;
        if ('diouxX'.includes(p.conv)) {
          const n = arg === undefined ? 0 : toNumber(arg);
          if (n === null) {
            out.errLine(`bash: printf: ${arg}: invalid number`);
            code = 1;
          }
          out.out(formatInt(n ?? 0, p));
        } else if ('fFeEgG'.includes(p.conv)) {
          const { value, complaint } = toLongDouble(arg ?? '');
          if (complaint !== null) {
            out.errLine(complaint);
            code = 1;
          }
          out.out(formatFloat(value, p));
        } else if (p.conv === 'c') {
          out.out(formatString((arg ?? '').slice(0, 1), p));
        } else if (p.conv === 'b') {
          const e = echoEscapes(arg ?? '');
          out.out(formatString(e.text, p));
          if (e.stop) return out.done(code);
        } else out.out(formatString(arg ?? '', p));
      }
    } while (conversions > 0 && next < rest.length);
    return out.done(code);
  },
});
