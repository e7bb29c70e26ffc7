/**
 * Tools that print again after each interval (free -s/-c, vmstat DELAY COUNT, top -n): the world's
 * clock moves by the interval between two prints. A line may let only so much time pass and print
 * only so much, so a repeat too long for one line is refused before it starts, as sleep refuses.
 */
import { LIMITS } from '../../shell/limits';
import type { CommandContext, CommandResult } from '../../shell/types';
import type { MachineContext } from './context';

/** the most prints one repeating command may make in one line, like the rounds of one loop */
export const MAX_REPEATS = LIMITS.loopIterations;

export interface Repeat {
  tool: string;
  count: number;
  intervalMs: number;
  /** the i-th print (0-based), read from the world as it is when it is printed */
  frame: (i: number) => string;
  /** written between two prints, before the wait */
  between: string;
}

export function runRepeat(c: MachineContext, ctx: CommandContext, r: Repeat): CommandResult {
  if (r.count > MAX_REPEATS) {
    return { stdout: '', stderr: `${r.tool}: ${r.count} prints are more than one line may make in this world (${MAX_REPEATS} at most)\n`, code: 1 };
  }
  const waitMs = (r.count - 1) * r.intervalMs;
  const left = ctx.env.timeLeft?.() ?? Infinity;
  if (waitMs > left) {
    const days = LIMITS.lineTime / 86_400_000;
    return { stdout: '', stderr: `${r.tool}: ${r.count} prints ${r.intervalMs / 1000} s apart would take this line past ${days} days of virtual time, the most one line may let pass\n`, code: 1 };
  }
  let out = '';
  for (let i = 0; i < r.count; i++) {
    out += r.frame(i);
    if (i === r.count - 1) break;
    out += r.between;
    if (ctx.env.interrupted?.()) break;
    c.advance(r.intervalMs);
    // Ctrl-C during the wait: what was printed stays, the shell ends the line
    if (ctx.env.interrupted?.()) break;
  }
  return { stdout: out, stderr: '', code: 0 };
}

/** A repeat with no count runs until Ctrl-C on a real box; here it would never hand the turn back. */
export function endlessRepeat(tool: string, countHint: string): CommandResult {
  return { stdout: '', stderr: `${tool}: without ${countHint} this repeats until interrupted, which a line here cannot wait for; give ${countHint}\n`, code: 1 };
}
