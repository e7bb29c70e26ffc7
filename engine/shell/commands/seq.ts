import { failure, ok } from '../io';
import { getopt, has, last } from '../getopt';
import { LIMITS } from '../limits';
import { tryHelp } from './util';
import { defineCommand } from './define';

const NUM_RE = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** how many numbers first, first+step, ... up to last are (0 when none), exactly */
function bigCount(first: bigint, step: bigint, last: bigint): bigint {
  if (step > 0n ? last < first : last > first) return 0n;
  return (last - first) / step + 1n;
}

function decimals(s: string): number {
  if (/[eE]/.test(s)) return 0;
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

export const seq = defineCommand({
  name: 'seq',
  summary: 'print a sequence of numbers',
  category: 'text',
  completions: ['-s', '-w'],
  synopsis: ['seq [-s SEP] [-w] LAST', 'seq [-s SEP] [-w] FIRST LAST', 'seq [-s SEP] [-w] FIRST INCREMENT LAST'],
  description: [
    'Prints the numbers from FIRST (default 1) up to LAST, stepping by INCREMENT (default 1), one per line. A negative INCREMENT counts down. With decimal arguments the numbers keep as many decimals as FIRST and INCREMENT have.',
    `The usual companion of for loops: for i in $(seq 5); do ...; done. This world's seq stops at ${LIMITS.seqCount} numbers.`,
  ],
  options: [
    ['-s SEP', 'Separate the numbers with SEP instead of a newline.'],
    ['-w', 'Pad with leading zeros so all numbers have the same width.'],
  ],
  examples: [
    ['seq 3', 'Prints 1, 2 and 3 on separate lines.'],
    ['seq 10 -2 0', 'Counts down from 10 to 0 by twos.'],
  ],
  run(ctx) {
    // a negative number is an operand, not an option
    const args = ctx.argv.slice(1).map((a) => (NUM_RE.test(a) && a.startsWith('-') ? `\u0000${a}` : a));
    const p = getopt('seq', args, [
      { key: 's', short: 's', long: 'separator', arg: 'required' },
      { key: 'w', short: 'w', long: 'equal-width' },
      { key: 'f', short: 'f', long: 'format', arg: 'required' },
    ], { builtinHelp: true });
    if (p.help) return ok('Usage: seq [OPTION]... LAST\n  or:  seq [OPTION]... FIRST LAST\n  or:  seq [OPTION]... FIRST INCREMENT LAST\n');
    if (p.error !== undefined) return tryHelp('seq', p.error);
    if (has(p.opts, 'f')) return failure('seq: -f is not available in this world; use printf in a loop\n');
    const ops = p.operands.map((a) => a.replace(/^\u0000/, ''));
    if (ops.length === 0) return tryHelp('seq', 'seq: missing operand');
    if (ops.length > 3) return tryHelp('seq', `seq: extra operand '${ops[3]}'`);
    for (const o of ops) if (!NUM_RE.test(o)) return tryHelp('seq', `seq: invalid floating point argument: '${o}'`);
    const [firstS, stepS, lastS] = ops.length === 1 ? ['1', '1', ops[0]] : ops.length === 2 ? [ops[0], '1', ops[1]] : ops;
    const first = Number(firstS);
    const step = Number(stepS);
    const lastN = Number(lastS);
    if (step === 0) return tryHelp('seq', `seq: invalid Zero increment value: '${stepS}'`);
    const prec = Math.max(decimals(firstS), decimals(stepS));
    if (prec > 100) return failure(`seq: this world's seq prints at most 100 digits after the decimal point\n`);
    const integers = [firstS, stepS, lastS].every((x) => /^[-+]?\d+$/.test(x));
    // whole numbers are counted exactly, however many digits they have (a double keeps 15 or so)
    const exact = integers ? bigCount(BigInt(firstS), BigInt(stepS), BigInt(lastS)) : null;
    const count = exact !== null ? (exact > BigInt(LIMITS.seqCount) ? Infinity : Number(exact)) : Math.floor((lastN - first) / step + 1e-9) + 1;
    if (!(count <= LIMITS.seqCount)) {
      const how = exact !== null ? `${exact} numbers is more` : Number.isFinite(count) ? `${count} numbers is more` : 'that is more numbers';
      return failure(`seq: ${how} than this world's seq prints (${LIMITS.seqCount})\n`);
    }
    const sep = last(p.opts, 's') ?? '\n';
    const nums: string[] = [];
    if (integers) for (let i = 0, v = BigInt(firstS); i < count; i++, v += BigInt(stepS)) nums.push(String(v));
    else for (let i = 0; i < count; i++) nums.push((first + i * step).toFixed(prec));
    if (has(p.opts, 'w')) {
      let width = integers ? String(BigInt(lastS)).length : lastN.toFixed(prec).length;
      for (const n of nums) width = Math.max(width, n.length);
      for (let i = 0; i < nums.length; i++) {
        const neg = nums[i].startsWith('-');
        const body = neg ? nums[i].slice(1) : nums[i];
        nums[i] = (neg ? '-' : '') + body.padStart(width - (neg ? 1 : 0), '0');
      }
    }
    return ok(nums.length ? nums.join(sep) + '\n' : '');
  },
});
