import { ok } from '../io';
import { tryHelp } from './util';
import { defineCommand } from './define';

const UNIT_MS: Record<string, number> = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export const sleep = defineCommand({
  name: 'sleep',
  summary: 'let time pass',
  category: 'shell',
  synopsis: ['sleep NUMBER[SUFFIX]...'],
  description: [
    'Waits for the sum of the given times. NUMBER may have a fraction (0.5); SUFFIX is s for seconds (the default), m for minutes, h for hours or d for days.',
    'Time in the grimoire is virtual: sleep moves the world\'s clock forward at once, and everything that would have happened meanwhile (caches growing, daemons logging) happens.',
  ],
  examples: [
    ['sleep 30', 'Let half a minute pass.'],
    ['sleep 1h; free -m', 'Look at memory an hour from now.'],
  ],
  run(ctx) {
    const args = ctx.argv.slice(1).filter((a) => a !== '--');
    if (args.length === 0) return tryHelp('sleep', 'sleep: missing operand');
    let total = 0;
    for (const a of args) {
      const m = /^\+?(\d+\.?\d*|\.\d+)([smhd]?)$/.exec(a);
      if (!m) return tryHelp('sleep', `sleep: invalid time interval '${a}'`);
      total += Number(m[1]) * UNIT_MS[m[2]];
    }
    if (!Number.isFinite(total)) return tryHelp('sleep', `sleep: invalid time interval '${args[0]}'`);
    ctx.env.advance(Math.round(total));
    return ok();
  },
});
