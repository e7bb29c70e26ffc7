/**
 * The facilitator's view on a live run: it follows the run file as it grows, shows what the
 * player cannot see, and its commands reach the running game through the control file.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { runWatch } from '../../../src/exercise/watch';
import { BASE, Capture, exerciseFile, FakeClock, startRun, tempDir, waitFor } from './helpers';

function watch(run: string, clock: FakeClock) {
  const input = new PassThrough();
  const output = new Capture();
  const errors: string[] = [];
  const done = runWatch(run, { input, output, now: clock.now, pollMs: 10, err: (m) => errors.push(m) });
  return { input, output, errors, done };
}

describe('exercise watch on a live run', () => {
  test('shows the lines, the truth behind the game, and sends hint, inject and end', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const run = await startRun(exerciseFile(dir, { ...BASE, hints: 'facilitator' }), { runsDir: path.join(dir, 'runs') }, clock);
    await run.type('sudo slabtop -o', 'anon_vma');
    const w = watch(run.dir(), clock);
    await waitFor(() => w.output.text.includes('$ sudo slabtop -o'), 'the line so far', 10_000);
    expect(w.output.text).toMatch(/^Watching drill: alice on chapter 1 \(.+\), seed 42, 30m on the clock, hints facilitator\.\n/);
    expect(w.output.text).toMatch(/clue found: anon_vma_top: /);
    expect(w.output.text).toMatch(/objective culprit: done/);

    // a line typed now appears as the game records it
    await run.type('hint', 'Hints are locked');
    await waitFor(() => w.output.text.includes('$ hint   (refused: hints-locked)'), 'the refused hint', 10_000);

    w.input.write('status\n');
    await waitFor(() => w.output.text.includes('Wrong fixes tried: none'), 'the status', 10_000);
    expect(w.output.text).toMatch(/What is really wrong: On kernel 3\.16 every fork adds a level to the anon_vma hierarchy/);
    expect(w.output.text).toMatch(/A real fix is in effect: no/);
    expect(w.output.text).toMatch(/\[x\] Find out what is eating the memory: done/);
    expect(w.output.text).toMatch(/Clues found \(1\): anon_vma_top\n/);
    expect(w.output.text).toMatch(/Clues not found \(9\): dns_failing, oom_in_logs, /);
    expect(w.output.text).toMatch(/Hints used: 0 of 6 {3}spells cast: 1/);

    w.input.write('hint\n');
    await waitFor(() => run.output.text.includes('The facilitator reveals a hint:'), 'the hint at the player\'s prompt', 10_000);
    await waitFor(() => w.output.text.includes('your hint: done: hint 1 of 6 revealed'), 'the acknowledgement', 10_000);

    w.input.write('inject\n');
    await waitFor(() => w.output.text.includes('inject ID, with ID one of:\n  reload-burst: '), 'the list of injections', 10_000);
    w.input.write('inject meteor\n');
    await waitFor(() => w.output.text.includes("no injection 'meteor' in this chapter (reload-burst, next-oom-kill)"), 'a refused injection', 10_000);
    w.input.write('dance\n');
    await waitFor(() => w.output.text.includes("dance: not a facilitator's command (help lists them)"), 'an unknown command', 10_000);

    w.input.write('end\n');
    expect(await w.done).toBe(0);
    expect(await run.done).toBe(0);
    expect(w.output.text).toMatch(/your end: done: exercise ended/);
    expect(w.output.text).toMatch(/the exercise ends \(ended by the facilitator\): not solved, 1 spell, 1 hint/);
    expect(w.errors).toEqual([]);
  });

  test('quit stops watching and leaves the run going', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const run = await startRun(exerciseFile(dir, BASE), { runsDir: path.join(dir, 'runs') }, clock);
    const w = watch(path.join(run.dir(), 'run.jsonl'), clock);
    w.input.write('quit\n');
    expect(await w.done).toBe(0);
    await run.type('uptime', 'load average');
    run.input.end();
    expect(await run.done).toBe(0);
  });
});

describe('exercise watch: bad input', () => {
  const refused = async (arg: string): Promise<string> => {
    const w = watch(arg, new FakeClock());
    expect(await w.done).toBe(2);
    return w.errors.join('\n');
  };

  test('nothing there, a folder without a run, a FIFO, a device', async () => {
    const dir = tempDir();
    expect(await refused(path.join(dir, 'nope'))).toBe(`there is no run at ${path.join(dir, 'nope')}`);
    expect(await refused(dir)).toBe(`${dir} is a folder without a run in it (no run.jsonl)`);
    execFileSync('mkfifo', [path.join(dir, 'fifo')]);
    expect(await refused(path.join(dir, 'fifo'))).toBe(`${path.join(dir, 'fifo')} is a named pipe (FIFO), not a run file or a run folder`);
    expect(await refused('/dev/null')).toBe('/dev/null is a device, not a run file or a run folder');
  });

  test('a file the game did not write, and a run file of another version', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'my notes\n');
    expect(await refused(path.join(dir, 'notes.txt'))).toBe(`${path.join(dir, 'notes.txt')} is not a grimoire exercise run file (its first line is not JSON)`);
    fs.writeFileSync(path.join(dir, 'other.json'), '{"format":"something"}\n');
    expect(await refused(path.join(dir, 'other.json'))).toBe(`${path.join(dir, 'other.json')} is not a grimoire exercise run file (no 'grimoire-exercise-run' header)`);
    fs.writeFileSync(path.join(dir, 'v2.jsonl'), '{"format":"grimoire-exercise-run","version":2}\n');
    expect(await refused(path.join(dir, 'v2.jsonl'))).toBe(
      `${path.join(dir, 'v2.jsonl')} is a run file of version 2; this grimoire reads version 1 (update grimoire, or use the one that ran it)`,
    );
  });
});
