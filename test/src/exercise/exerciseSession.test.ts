/**
 * The exercise session on a real chapter 1 game, with a fake wall clock and records kept in
 * memory: hint gating, the time box, pauses, what each line records, facilitator actions.
 */
import type { OutputBlock } from '../../../engine/index';
import { ExerciseClock } from '../../../src/exercise/clock';
import type { ControlAction } from '../../../src/exercise/control';
import type { HintMode } from '../../../src/exercise/exerciseFile';
import { ExerciseSession } from '../../../src/exercise/exerciseSession';
import { MemorySink, type RunRecord } from '../../../src/exercise/runFile';
import { GameSession } from '../../../src/session';
import { blocksToPlainText } from '../../../src/text/plain';
import { FakeClock } from './helpers';

function setup(hints: HintMode, boxMs = 30 * 60_000) {
  const wall = new FakeClock();
  const game = GameSession.newGame('1', 42, { store: null, autosaveSlot: null, now: () => new Date(wall.now()) });
  const sink = new MemorySink();
  const clock = new ExerciseClock(wall.now, boxMs);
  const session = new ExerciseSession(game, { name: 'drill', hints, clock, sink });
  const notices: Array<{ blocks: readonly OutputBlock[]; end: boolean }> = [];
  session.notify = (blocks, opts) => void notices.push({ blocks, end: opts?.end === true });
  session.open();
  return { wall, session, sink, notices };
}

const of = <T extends RunRecord['t']>(sink: MemorySink, t: T) => sink.records.filter((r): r is Extract<RunRecord, { t: T }> => r.t === t);
let nextId = 0;
const action = (a: Omit<ControlAction, 'id' | 'at'>): ControlAction => ({ id: `a${++nextId}`, at: '2026-12-03T14:00:00.000Z', ...a });

describe('hint gating', () => {
  test('off: hint is answered by the exercise, the game counts none, and the facilitator cannot reveal one', async () => {
    const { session, sink, notices } = setup('off');
    const out = await session.handle('hint');
    expect(blocksToPlainText(out.blocks)).toBe('Hints are off in this exercise. (`journal` and `status` show where you are.)');
    expect(session.inspect().hints.used).toBe(0);
    expect(of(sink, 'line')).toMatchObject([{ n: 1, input: 'hint', refused: 'hints-off' }]);
    await session.act(action({ action: 'hint' }));
    expect(of(sink, 'action')).toMatchObject([{ action: 'hint', ok: false, message: 'hints are off in this exercise' }]);
    expect(notices).toEqual([]);
    expect(session.inspect().hints.used).toBe(0);
  });

  test('facilitator: locked for the player until the facilitator reveals the next one', async () => {
    const { session, sink, notices } = setup('facilitator');
    expect(blocksToPlainText((await session.handle('hint')).blocks)).toBe('Hints are locked in this exercise: the facilitator reveals the next one when it is time.');
    expect(session.inspect().hints.used).toBe(0);
    await session.act(action({ action: 'hint' }));
    expect(notices).toHaveLength(1);
    expect(notices[0]!.blocks[0]).toEqual({ kind: 'system', text: 'The facilitator reveals a hint:' });
    expect(notices[0]!.blocks[1]).toMatchObject({ kind: 'hint', level: 1, total: 6 });
    expect(session.inspect().hints.used).toBe(1);
    expect(of(sink, 'hint')).toMatchObject([{ level: 1, total: 6, by: 'facilitator', line: null }]);
    expect(of(sink, 'action')).toMatchObject([{ action: 'hint', ok: true, message: 'hint 1 of 6 revealed' }]);
    // still locked for the player afterwards
    expect((await session.handle('hint')).blocks[0]).toEqual({ kind: 'system', text: 'Hints are locked in this exercise: the facilitator reveals the next one when it is time.' });
  });

  test('allowed: the player asks, and the record says so', async () => {
    const { session, sink } = setup('allowed');
    const out = await session.handle('hint');
    expect(out.blocks[0]).toMatchObject({ kind: 'hint', level: 1, total: 6 });
    expect(of(sink, 'hint')).toMatchObject([{ level: 1, by: 'player', line: 1 }]);
  });
});

describe('the time box', () => {
  test('the prompt shows the time left; at the box the game ends with a debrief of what was reached', async () => {
    const { wall, session, sink, notices } = setup('allowed', 10 * 60_000);
    expect(session.prompt()).toBe('[10:00 left] ops@auth-ns2:~$ ');
    await session.handle('cat /proc/meminfo');
    wall.advance(4 * 60_000 + 30_000);
    expect(session.prompt()).toBe('[5:30 left] ops@auth-ns2:~$ ');
    wall.advance(31_000);
    await session.tick();
    expect(notices.map((n) => blocksToPlainText(n.blocks))).toEqual(['5m left on the clock.']);
    wall.advance(5 * 60_000);
    await session.tick();
    const last = notices[notices.length - 1]!;
    expect(last.end).toBe(true);
    const text = blocksToPlainText(last.blocks);
    expect(text).toMatch(/Time is up/);
    expect(text).toMatch(/10m of 10m on the clock/);
    expect(text).toMatch(/Clues found: 1 of 10\.\n {2}- /);
    expect(text).toMatch(/Spells cast: 1\. Hints used: 0 of 6\./);
    expect(text).toMatch(/What was really wrong: On kernel 3\.16 every fork adds a level to the anon_vma hierarchy/);
    expect(of(sink, 'end')).toMatchObject([{ reason: 'time', result: { solved: false, spells: 1 } }]);
    // the 1m warning never came: the clock went past it between two looks
    expect(notices.filter((n) => /1m left/.test(blocksToPlainText(n.blocks)))).toEqual([]);
    expect(await session.handle('free -m')).toEqual({ blocks: [{ kind: 'system', text: 'The exercise is over.' }], quit: true });
  });

  test('a line typed after the box closed is not run: the debrief comes instead', async () => {
    const { wall, session, sink } = setup('allowed', 60_000);
    wall.advance(61_000);
    const out = await session.handle('free -m');
    expect(out.quit).toBe(true);
    expect(blocksToPlainText(out.blocks)).toMatch(/^.*Time is up/s);
    expect(of(sink, 'line')).toEqual([]);
  });
});

describe('the facilitator', () => {
  test('pause stops the clock and the casting; resume starts both again', async () => {
    const { wall, session, sink, notices } = setup('allowed');
    await session.act(action({ action: 'pause' }));
    expect(blocksToPlainText(notices[0]!.blocks)).toBe('The facilitator pauses the exercise: the clock stops at 30:00 left.');
    const before = session.inspect().elapsedMs;
    wall.advance(20 * 60_000);
    expect(session.prompt()).toBe('[paused, 30:00 left] ops@auth-ns2:~$ ');
    const refused = await session.handle('sleep 1h');
    expect(blocksToPlainText(refused.blocks)).toBe('The facilitator has paused the exercise: the clock is stopped, and so is the machine until they resume.');
    expect(session.inspect().elapsedMs).toBe(before);
    await session.act(action({ action: 'pause' }));
    await session.act(action({ action: 'resume' }));
    wall.advance(60_000);
    expect(session.prompt()).toBe('[29:00 left] ops@auth-ns2:~$ ');
    await session.handle('sleep 1h');
    expect(session.inspect().elapsedMs).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(of(sink, 'action').map((a) => [a.action, a.ok, a.message])).toEqual([
      ['pause', true, 'clock paused'],
      ['pause', false, 'the clock is already paused'],
      ['resume', true, 'clock resumed'],
    ]);
    expect(of(sink, 'clock').map((c) => c.event)).toEqual(['start', 'pause', 'resume']);
  });

  test('inject runs the chapter\'s symptom on the machine and says what happened; an unknown one is refused', async () => {
    const { session, sink } = setup('allowed');
    await session.act(action({ action: 'inject', injection: 'reload-burst' }));
    await session.act(action({ action: 'inject', injection: 'meteor' }));
    const acks = of(sink, 'action');
    expect(acks[0]).toMatchObject({ action: 'inject', injection: 'reload-burst', ok: true });
    expect(acks[0]!.message).toMatch(/^50 reloads, SUnreclaim [\d,]+ MB -> [\d,]+ MB, \d+ OOM kills?\.$/);
    expect(acks[1]).toMatchObject({ ok: false, message: "chapter 1 has no injection 'meteor' (it has: reload-burst, next-oom-kill)" });
    // the burst took the machine's time, and the player's spells are untouched
    expect(session.inspect().elapsedMs).toBeGreaterThanOrEqual(50 * 1500);
    expect(session.inspect().spells).toBe(0);
  });

  test('end closes the exercise with the debrief; later actions are refused', async () => {
    const { session, sink, notices } = setup('allowed');
    await session.act(action({ action: 'end' }));
    expect(notices[0]!.end).toBe(true);
    expect(blocksToPlainText(notices[0]!.blocks)).toMatch(/The facilitator ends the exercise/);
    await session.act(action({ action: 'hint' }));
    expect(of(sink, 'action').map((a) => [a.action, a.ok, a.message])).toEqual([
      ['end', true, 'exercise ended'],
      ['hint', false, 'the exercise is over'],
    ]);
    expect(of(sink, 'end')).toMatchObject([{ reason: 'facilitator' }]);
  });
});

describe('what a line records', () => {
  test('the line and its blocks, the clue and the objective it found, and the view after it, each with wall, clock and machine time', async () => {
    const { wall, session, sink } = setup('allowed');
    wall.advance(90_000);
    const out = await session.handle('sudo slabtop -o');
    const line = of(sink, 'line')[0]!;
    expect(line).toMatchObject({ n: 1, input: 'sudo slabtop -o', wall: '2026-12-03T14:01:30.000Z', clockMs: 90_000 });
    expect(line.blocks).toEqual(out.blocks);
    expect(line.virtualMs).toBeGreaterThan(0);
    expect(of(sink, 'clue')).toMatchObject([{ id: 'anon_vma_top', line: 1, clockMs: 90_000, virtualMs: line.virtualMs }]);
    expect(of(sink, 'objective')).toMatchObject([{ id: 'culprit', status: 'done', line: 1 }]);
    const state = of(sink, 'state').pop()!.state;
    expect(state.clues.found).toEqual(['anon_vma_top']);
    expect(state.clues.notFound).not.toContain('anon_vma_top');
    expect(state.objectives.find((o) => o.id === 'culprit')!.status).toBe('done');
  });

  test('a wrong fix is recorded with the line that did it and what the story said', async () => {
    const { session, sink } = setup('allowed');
    await session.handle('echo 3 | sudo tee /proc/sys/vm/drop_caches');
    const wrong = of(sink, 'wrong-fix');
    expect(wrong).toMatchObject([{ kind: 'drop_caches', line: 1, input: 'echo 3 | sudo tee /proc/sys/vm/drop_caches' }]);
    expect(wrong[0]!.said.length).toBeGreaterThan(0);
    expect(session.inspect().wrongFixes).toEqual(['drop_caches']);
  });
});
