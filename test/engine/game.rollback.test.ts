/**
 * A line that throws leaves the game exactly as it was before that line (engine/game.ts
 * transaction): the state is put back from a checkpoint and the lines since are played again.
 */
import { createGame, restoreGame, type GameHandle } from '../../engine/index';

/** makes the judge throw once, after the line's spell has already moved the world on */
function breakNextLine(g: GameHandle): void {
  const judge = (g as unknown as { rt: { binding: { judge: { verdicts: () => unknown } } } }).rt.binding.judge;
  judge.verdicts = () => {
    throw new Error('the judge fell over');
  };
}

const saved = (g: GameHandle): string => JSON.stringify(g.snapshot());

/** a Ctrl-C pressed on the n-th time the game asks */
const ctrlCAt = (n: number) => {
  let asked = 0;
  return () => ++asked >= n;
};

describe('a line that throws', () => {
  it('changes nothing: the game is the one that never typed it, and plays on the same', () => {
    const a = createGame('1', 7);
    const b = createGame('1', 7);
    for (const g of [a, b]) {
      g.start();
      g.step('free -m');
      g.step('sleep 2h');
    }
    breakNextLine(a);
    const blocks = a.step('sleep 3h');
    expect(blocks).toEqual([{ kind: 'error', text: 'grimoire: that spell fizzled (the judge fell over); nothing changed.' }]);
    expect(a.history()).toEqual(['free -m', 'sleep 2h']);
    expect(saved(a)).toBe(saved(b));
    expect(a.step('ps aux')).toEqual(b.step('ps aux'));
    expect(saved(a)).toBe(saved(b));
  });

  it('is undone the same after a line Ctrl-C stopped, and past the checkpoints of many lines and of a long sleep', () => {
    const a = createGame('1', 11);
    const b = createGame('1', 11);
    const lines = ['uptime', 'sleep 2d', ...Array.from({ length: 40 }, (_, i) => (i % 2 ? 'date' : 'free -m'))];
    for (const g of [a, b]) {
      g.start();
      for (const line of lines) g.step(line);
      // stopped part of the way through, as a player's Ctrl-C would
      g.step('sleep 5h', { interrupted: ctrlCAt(40) });
      g.step('cat /proc/loadavg');
    }
    // the stopped line is one the rollback plays again
    const journal = (a as unknown as { checkpoint: { journal: Array<{ line?: string; stopAt?: number | null }> } }).checkpoint.journal;
    expect(journal.find((e) => e.line === 'sleep 5h')?.stopAt).toBe(40);
    breakNextLine(a);
    expect(a.step('sleep 1h')[0]!.text).toMatch(/fizzled \(the judge fell over\); nothing changed/);
    expect(saved(a)).toBe(saved(b));
    expect(a.step('sleep 1h')).toEqual(b.step('sleep 1h'));
  });

  it('in a restored game, is undone to the restored state and the lines since', () => {
    const g = createGame('1', 3);
    g.start();
    g.step('sleep 1d');
    const snap = g.snapshot();
    const a = restoreGame(snap);
    const b = restoreGame(snap);
    for (const r of [a, b]) r.step('free -m');
    breakNextLine(a);
    a.step('sleep 1h');
    expect(saved(a)).toBe(saved(b));
  });
});

describe('restoring a save', () => {
  it('leaves the save as it was, however the game goes on', () => {
    const g = createGame('1', 5);
    g.start();
    g.step('sleep 2d');
    g.step('repeat 20 sudo nsd-control reload');
    const snap = g.snapshot();
    const text = JSON.stringify(snap);
    const r = restoreGame(snap);
    r.step('sleep 1d');
    r.step('sudo service nsd restart');
    expect(JSON.stringify(snap)).toBe(text);
    expect(saved(restoreGame(snap))).toBe(text);
  });
});
