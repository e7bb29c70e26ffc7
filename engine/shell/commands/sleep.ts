import { ok } from '../io';
import { LIMITS } from '../limits';
import { ShellAbort } from '../sinks';
import { tryHelp } from './util';
import { defineCommand } from './define';

const UNIT_MS: Record<string, number> = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** what coreutils' sleep reads with strtod: a decimal number with an exponent, or infinity */
const INTERVAL = /^\+?((?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|inf|infinity)([smhd]?)$/i;
const DAYS = LIMITS.lineTime / UNIT_MS.d!;

export const sleep = defineCommand({
  name: 'sleep',
  summary: 'let time pass',
  category: 'shell',
  synopsis: ['sleep NUMBER[SUFFIX]...'],
  description: [
    'Waits for the sum of the given times. NUMBER may have a fraction (0.5) or an exponent (1e3); SUFFIX is s for seconds (the default), m for minutes, h for hours or d for days.',
    'Time in the grimoire is virtual: sleep moves the world\'s clock forward at once, and everything that would have happened meanwhile (caches growing, daemons logging) happens.',
    `One typed line may let at most ${DAYS} days pass, all its sleeps and spells together: a longer sleep is refused before it starts, and the rest of the line does not run. Ctrl-C stops a long sleep where the world has got to.`,
  ],
  examples: [
    ['sleep 30', 'Let half a minute pass.'],
    ['sleep 1h; free -m', 'Look at memory an hour from now.'],
    ['sleep 7d', 'A week: long enough to see whether a fix holds.'],
  ],
  run(ctx) {
    const args = ctx.argv.slice(1).filter((a) => a !== '--');
    if (args.length === 0) return tryHelp('sleep', 'sleep: missing operand');
    let total = 0;
    for (const a of args) {
      const m = INTERVAL.exec(a);
      if (!m) return tryHelp('sleep', `sleep: invalid time interval '${a}'`);
      const n = /^inf/i.test(m[1]!) ? Infinity : Number(m[1]);
      total += n * UNIT_MS[m[2]!.toLowerCase()]!;
    }
    if (Number.isNaN(total)) return tryHelp('sleep', `sleep: invalid time interval '${args[0]}'`);
    const asked = args.join(' ');
    // checked before the clock moves: a refused sleep leaves the world exactly as it was
    if (total > LIMITS.lineTime) {
      throw new ShellAbort(`${asked} is longer than one line may wait in this world (${DAYS} days at most); nothing after it ran`, { who: 'sleep' });
    }
    const own = ctx.env.lineLimit;
    if (own && total > own.ms) {
      throw new ShellAbort(`${asked} is longer than one line may wait on this machine (${own.why}); nothing after it ran`, { who: 'sleep' });
    }
    const left = ctx.env.timeLeft?.() ?? Infinity;
    if (total > left && own) {
      throw new ShellAbort(`${asked} would take this line past what one line may let pass on this machine (${own.why}); nothing after it ran`, { who: 'sleep' });
    }
    if (total > left) {
      throw new ShellAbort(`${asked} would take this line past ${DAYS} days of virtual time, the most one line may let pass; nothing after it ran`, { who: 'sleep' });
    }
    ctx.env.advance(Math.round(total));
    return ok();
  },
});
