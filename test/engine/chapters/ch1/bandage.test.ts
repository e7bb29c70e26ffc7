import type { GameHandle } from '../../../../engine/index';
import { newGame, play } from './walkthrough.helpers';

/**
 * The daily-restart bandage, placed while the storm is on: the cron file is dated by the
 * machine's clock, the OOM kills that go on until the first restart count against it, and the
 * chapter stays open until a whole week has passed without one.
 */

interface Objective {
  id: string;
  status: string;
  detail?: string;
}

function objectives(g: GameHandle): { list: Objective[]; solved: boolean } {
  const block = g.step('status').find((b) => b.kind === 'status');
  if (!block || block.kind !== 'status') throw new Error('status printed no status block');
  return { list: block.objectives as Objective[], solved: block.solved };
}

/** what the spell itself printed, without the story's lines around it */
function spellOutput(g: GameHandle, line: string): string {
  return g
    .step(line)
    .map((b) => (b.kind === 'spell-output' ? b.text : ''))
    .join('');
}

const byId = (list: Objective[], id: string) => list.find((o) => o.id === id)!;

/** "1d 2h 3m 4s" (before any " of 7d") as milliseconds */
function elapsedMs(text: string): number {
  const units: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };
  let ms = 0;
  for (const [, n, u] of text.split(' of ')[0]!.matchAll(/(\d+)([dhms])/g)) ms += Number(n) * units[u!]!;
  return ms;
}

describe('chapter 1: a daily restart put in place during the storm', () => {
  it.each([1234, 7])('does not pass while OOM kills continue, and counts from the last kill (seed %i)', (seed) => {
    const g = newGame(seed);
    play(g, ['sudo slabtop -o', 'echo "0 4 * * * root /usr/sbin/service nsd restart" | sudo tee /etc/cron.d/nsd-restart']);

    // the file is dated by the machine's clock, not 1970
    const [ls, day] = ['ls -l /etc/cron.d/nsd-restart', "date '+%b %e'"].map((l) => spellOutput(g, l));
    expect(ls).toMatch(new RegExp(` ${day!.trim().replace(/ +/, ' +')} \\d\\d:\\d\\d /etc/cron.d/nsd-restart`));

    // the fix counts from when it was written: seconds, not decades
    const fix = byId(objectives(g).list, 'fix');
    expect(fix.status).toBe('holding');
    expect(elapsedMs(fix.detail ?? '')).toBeLessThan(60_000);

    // the chain is still deep until the first restart: the killer goes on, and that shows
    let sawKillAfterBandage = false;
    for (let i = 0; i < 24 && !sawKillAfterBandage; i++) {
      play(g, ['sleep 1h']);
      const noOom = byId(objectives(g).list, 'no_oom');
      if (noOom.status === 'failing' || /struck/.test(noOom.detail ?? '')) sawKillAfterBandage = true;
      // and whatever happened, one day in is not a week of anything
      expect(objectives(g).solved).toBe(false);
      expect(noOom.status).not.toBe('done');
    }
    expect(sawKillAfterBandage).toBe(true);

    // six days later the streak, counted from the last kill, is still short of a week
    play(g, ['sleep 6d']);
    const mid = objectives(g);
    expect(mid.solved).toBe(false);
    const noOom = byId(mid.list, 'no_oom');
    expect(noOom.status).toBe('holding');
    const streak = elapsedMs(noOom.detail ?? '');
    const inPlace = elapsedMs(byId(mid.list, 'fix').detail ?? '');
    expect(streak).toBeLessThan(inPlace);
    expect(streak).toBeLessThan(7 * 86_400_000);

    // once the restarts have held a whole week after the last kill, the objective is met
    play(g, ['sleep 2d']);
    expect(byId(objectives(g).list, 'no_oom').status).toBe('done');
  });
});
