/**
 * A live exercise run driven through injected streams, a fake wall clock and the control file:
 * the facilitator's actions arrive as `exercise watch` sends them, between lines and while the
 * prompt waits, and each is acknowledged in the run file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { appendAction } from '../../../src/exercise/control';
import { readRun } from '../../../src/exercise/runDir';
import { BASE, exerciseFile, FakeClock, records, startRun, tempDir, waitFor } from './helpers';

describe('exercise run', () => {
  test('the facilitator pauses, resumes, injects and ends a live run through the control file', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const run = await startRun(exerciseFile(dir, BASE), { runsDir: path.join(dir, 'runs') }, clock);
    expect(run.errors).toEqual([]);
    expect(path.basename(run.dir())).toBe('drill-alice-ch1-20261203-140000');
    await run.type('free -m', 'Mem:');
    const control = path.join(run.dir(), 'control.jsonl');
    const now = clock.now;

    const pause = appendAction(control, { action: 'pause' }, now);
    await waitFor(() => run.output.text.includes('The facilitator pauses the exercise: the clock stops at 30:00 left.'), 'the pause', 10_000);
    await run.type('uptime', 'The facilitator has paused the exercise');
    const resume = appendAction(control, { action: 'resume' }, now);
    await waitFor(() => run.output.text.includes('The facilitator resumes the exercise'), 'the resume', 10_000);
    const inject = appendAction(control, { action: 'inject', injection: 'reload-burst' }, now);
    await waitFor(() => records(run.dir()).some((r) => r.t === 'action' && r.id === inject.id), 'the injection acknowledged', 60_000);
    const end = appendAction(control, { action: 'end' }, now);
    expect(await run.done).toBe(0);
    expect(run.output.text).toMatch(/The facilitator ends the exercise/);

    const acks = records(run.dir()).filter((r) => r.t === 'action');
    expect(acks.map((a) => [a.id, a.action, a.ok])).toEqual([
      [pause.id, 'pause', true],
      [resume.id, 'resume', true],
      [inject.id, 'inject', true],
      [end.id, 'end', true],
    ]);
    const lines = records(run.dir()).filter((r) => r.t === 'line');
    expect(lines.map((l) => [l.input, l.refused ?? null])).toEqual([
      ['free -m', null],
      ['uptime', 'paused'],
    ]);
    // the file reads back whole, and says how it ended
    const back = readRun(run.dir());
    expect(back.ok && back.run.ended).toBe(true);
    expect(back.ok && back.run.records.at(-1)).toMatchObject({ t: 'end', reason: 'facilitator' });
  });

  test('the time box ends a run while the prompt waits, with the debrief', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const run = await startRun(exerciseFile(dir, { ...BASE, timeBox: '2m' }), { runsDir: path.join(dir, 'runs') }, clock);
    await run.type('cat /proc/meminfo', 'SUnreclaim');
    clock.advance(2 * 60_000);
    expect(await run.done).toBe(0);
    expect(run.output.text).toMatch(/Time is up/);
    expect(run.output.text).toMatch(/Clues found: 1 of 10\./);
    expect(records(run.dir()).at(-1)).toMatchObject({ t: 'end', reason: 'time', clockMs: 120_000 });
  });

  test('a player who leaves ends the run as left; actions that are not actions are reported, not done', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const run = await startRun(exerciseFile(dir, BASE), { runsDir: path.join(dir, 'runs') }, clock);
    fs.appendFileSync(path.join(run.dir(), 'control.jsonl'), '{"id":"x","action":"explode","at":"now"}\n');
    await waitFor(() => run.errors.length > 0, 'the bad action reported', 10_000);
    expect(run.errors[0]).toMatch(/control\.jsonl is not an action .*; it was ignored$/);
    run.input.end();
    expect(await run.done).toBe(0);
    expect(records(run.dir()).at(-1)).toMatchObject({ t: 'end', reason: 'left' });
  });

  test('one world per participant: each run plays its participant\'s seed, named in the header', async () => {
    const dir = tempDir();
    const { seed: _, ...noSeed } = BASE;
    const file = exerciseFile(dir, { ...noSeed, participants: ['alice', 'bob'], seeds: { alice: 7, bob: 8 } });
    for (const [participant, seed] of [['alice', 7], ['bob', 8]] as const) {
      const run = await startRun(file, { participant, runsDir: path.join(dir, 'runs') }, new FakeClock());
      run.input.end();
      expect(await run.done).toBe(0);
      const back = readRun(run.dir());
      expect(back.ok && back.run.header).toMatchObject({ participant, seed, chapter: '1', exercise: { name: 'drill', hints: 'allowed', timeBoxMs: 1_800_000 } });
    }
    const nobody = await startRun(file, { runsDir: path.join(dir, 'runs') }, new FakeClock());
    expect(await nobody.done).toBe(2);
    expect(nobody.errors).toEqual([`${file} gives each participant a world: say whose run this is with --participant NAME (alice, bob)`]);
  });

  test('bad input: a participant not in the exercise, a chapter not in it, a broken exercise file; no run folder is made', async () => {
    const dir = tempDir();
    const runs = path.join(dir, 'runs');
    const clock = new FakeClock();
    const two = exerciseFile(dir, { ...BASE, participants: ['alice', 'bob'] }, 'two.json');
    for (const [file, opts, message] of [
      [two, { participant: 'mallory' }, `'mallory' is not a participant of ${two} (participants: alice, bob)`],
      [two, {}, 'whose run is it? --participant NAME (alice, bob)'],
      [two, { participant: 'bob', chapter: '2' }, `chapter '2' is not in ${two} (its chapters: 1)`],
      [exerciseFile(dir, '{', 'broken.json'), {}, `${path.join(dir, 'broken.json')} is not valid JSON: `],
    ] as const) {
      const run = await startRun(file, { ...opts, runsDir: runs }, clock);
      expect(await run.done).toBe(2);
      expect(run.errors.join('\n')).toContain(message);
    }
    expect(fs.existsSync(runs)).toBe(false);
  });
});
