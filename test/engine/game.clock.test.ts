import { createGame, restoreGame, type GameHandle, type OutputBlock } from '../../engine/index';

/**
 * What one typed line may do with the clock: at most thirty days of virtual time, absurd sleeps
 * refused before the clock moves, and Ctrl-C (StepOptions.interrupted) stopping a long line at an
 * event boundary with the world consistent.
 */
const DAY = 86_400_000;
const SEED = 4242;

const text = (blocks: OutputBlock[], kind?: OutputBlock['kind']): string =>
  blocks
    .filter((b) => kind === undefined || b.kind === kind)
    .map((b) => ('text' in b ? b.text : ''))
    .join('');

/** the world's virtual clock, read from the saved state */
const now = (g: GameHandle): number => (g.snapshot().state as { world: { now: number } }).world.now;

function fresh(): GameHandle {
  const g = createGame('1', SEED);
  g.start();
  return g;
}

/** runs a step and fails if it took more than `ms` of wall time (the old engine took minutes) */
function quick(g: GameHandle, line: string, opts: Parameters<GameHandle['step']>[1] = {}, ms = 5000): OutputBlock[] {
  const t0 = Date.now();
  const blocks = g.step(line, opts);
  expect({ line, slow: Date.now() - t0 > ms }).toEqual({ line, slow: false });
  return blocks;
}

describe('one line may let at most thirty days pass', () => {
  // one game for all: a refused sleep leaves nothing behind for the next case
  const g = fresh();

  test.each([
    ['sleep 3500d', '3500d'],
    ['sleep 1000000d', '1000000d'],
    [`sleep ${'9'.repeat(40)}`, '9'.repeat(40)],
    ['sleep 1e400', '1e400'],
    ['sleep inf', 'inf'],
    ['sleep 31d', '31d'],
  ])('%s is refused before the clock moves, and nothing after it runs', (line, asked) => {
    const before = now(g);
    const blocks = quick(g, `${line}; echo after`);
    expect(text(blocks, 'error')).toBe(`sleep: ${asked} is longer than one line may wait in this world (30 days at most); nothing after it ran\n`);
    expect(text(blocks, 'spell-output')).toBe('');
    // only the moment any spell takes
    expect(now(g) - before).toBeLessThan(10_000);
    expect(text(g.step('echo $?'), 'spell-output')).toBe('1\n');
  });

  test('the limit is for the whole line: the second of two long sleeps is refused', () => {
    const before = now(g);
    const blocks = quick(g, 'sleep 20d; sleep 11d; echo after', {}, 60_000);
    expect(text(blocks, 'error')).toBe('sleep: 11d would take this line past 30 days of virtual time, the most one line may let pass; nothing after it ran\n');
    expect(text(blocks, 'spell-output')).toBe('');
    const passed = now(g) - before;
    expect(passed).toBeGreaterThanOrEqual(20 * DAY);
    expect(passed).toBeLessThan(20 * DAY + 10_000);
    // the next line has thirty days of its own
    expect(text(quick(g, 'sleep 10d; echo ok', {}, 60_000), 'spell-output')).toBe('ok\n');
  });

  test('sleep reads what coreutils reads and says what it cannot', () => {
    const before = now(g);
    expect(text(g.step('sleep 1e2 .5m 0.25h; echo ok'), 'spell-output')).toBe('ok\n');
    expect(now(g) - before).toBeGreaterThanOrEqual((100 + 30 + 900) * 1000);
    expect(text(g.step('sleep 1x'), 'error')).toBe("sleep: invalid time interval '1x'\nTry 'sleep --help' for more information.\n");
    expect(text(g.step('sleep nan'), 'error')).toBe("sleep: invalid time interval 'nan'\nTry 'sleep --help' for more information.\n");
  });
});

describe('Ctrl-C: StepOptions.interrupted', () => {
  /** an interrupted() that says true from its n-th call on, counting the calls */
  function pressAfter(n: number) {
    const calls = { n: 0 };
    return { calls, interrupted: () => ++calls.n >= n };
  }

  test('stops sleep 20d early, at an event boundary, and the game plays on, saves and restores', () => {
    const g = fresh();
    const before = now(g);
    const ctrlC = pressAfter(200);
    const blocks = quick(g, 'echo before; sleep 20d; echo after', { interrupted: ctrlC.interrupted });
    expect(text(blocks, 'spell-output')).toBe('before\n');
    expect(blocks.some((b) => b.kind === 'error' && /internal|fizzled/.test(b.text))).toBe(false);
    const passed = now(g) - before;
    expect(passed).toBeGreaterThan(0);
    expect(passed).toBeLessThan(20 * DAY);
    expect(ctrlC.calls.n).toBeGreaterThanOrEqual(200);
    // bash's status after SIGINT
    expect(text(g.step('echo $?'), 'spell-output')).toBe('130\n');
    // the world goes on from where it stopped
    const t = now(g);
    expect(text(g.step('sleep 1h; echo on'), 'spell-output')).toBe('on\n');
    expect(now(g)).toBeGreaterThanOrEqual(t + 3_600_000);
    const saved = g.snapshot();
    const copy = restoreGame(JSON.parse(JSON.stringify(saved)));
    expect(copy.snapshot()).toEqual(saved);
    expect(text(copy.step('uptime'), 'spell-output')).toMatch(/load average/);
    expect(text(copy.step('sleep 1d; echo restored'), 'spell-output')).toBe('restored\n');
  });

  test('stops a loop between two commands', () => {
    const g = fresh();
    const blocks = quick(g, 'for i in $(seq 1000); do echo $i; done; echo after', { interrupted: pressAfter(50).interrupted });
    const lines = text(blocks, 'spell-output').split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.length).toBeLessThan(1000);
    expect(lines).not.toContain('after');
    expect(text(g.step('echo $?'), 'spell-output')).toBe('130\n');
  });

  test('a Ctrl-C that never comes changes nothing, and each game has its own', () => {
    const a = fresh();
    const b = fresh();
    const never = { n: 0 };
    const blocksA = a.step('sleep 2d; echo done', { interrupted: () => (never.n++, false) });
    // b is interrupted at once while a is not: no state is shared between games
    const blocksB = b.step('sleep 2d; echo done', { interrupted: () => true });
    expect(text(blocksA, 'spell-output')).toBe('done\n');
    expect(text(blocksB, 'spell-output')).toBe('');
    expect(never.n).toBeGreaterThan(0);
    expect(now(a) - now(b)).toBeGreaterThan(DAY);
    const c = fresh();
    c.step('sleep 2d; echo done');
    expect(now(c)).toBe(now(a));
  });

  test('a check that throws is no Ctrl-C', () => {
    const g = fresh();
    const blocks = g.step('sleep 1h; echo done', {
      interrupted: () => {
        throw new Error('the terminal went away');
      },
    });
    expect(text(blocks, 'spell-output')).toBe('done\n');
  });
});
