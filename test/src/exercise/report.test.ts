/**
 * Reports and cohort summaries from real runs: each run here is played by the exercise runner
 * (the code under test), recorded in its run folder, then read back.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildReport, writeReport, type RunReport } from '../../../src/exercise/report';
import { readRun, type RunData } from '../../../src/exercise/runDir';
import { summaryMarkdown } from '../../../src/exercise/summary';
import { BASE, exerciseFile, FakeClock, startRun, tempDir } from './helpers';

const WRONG = 'echo 3 | sudo tee /proc/sys/vm/drop_caches';

/** alice: a clue at 1:30, a hint at 2:00, a wrong fix at 3:00, then the box closes */
async function aliceRun(dir: string): Promise<RunData> {
  const clock = new FakeClock();
  const run = await startRun(exerciseFile(dir, { ...BASE, participants: ['alice', 'bob'] }), { participant: 'alice', runsDir: path.join(dir, 'runs') }, clock);
  clock.advance(90_000);
  await run.type('sudo slabtop -o', 'anon_vma');
  clock.advance(30_000);
  await run.type('hint', 'Hint 1/6');
  clock.advance(60_000);
  await run.type(WRONG);
  clock.advance(30 * 60_000);
  expect(await run.done).toBe(0);
  const r = readRun(run.dir());
  if (!r.ok) throw new Error(r.message);
  return r.run;
}

async function bobRun(dir: string): Promise<RunData> {
  const clock = new FakeClock();
  const run = await startRun(exerciseFile(dir, { ...BASE, participants: ['alice', 'bob'] }, 'ex2.json'), { participant: 'bob', runsDir: path.join(dir, 'runs') }, clock);
  clock.advance(60_000);
  await run.type('cat /proc/meminfo', 'SUnreclaim');
  run.input.write('quit\n');
  expect(await run.done).toBe(0);
  const r = readRun(run.dir());
  if (!r.ok) throw new Error(r.message);
  return r.run;
}

let dir: string;
let alice: RunData;
let bob: RunData;
beforeAll(async () => {
  dir = tempDir();
  alice = await aliceRun(dir);
  bob = await bobRun(dir);
});

describe('exercise report', () => {
  test('the JSON report: outcome, times, clues with when, hints, wrong fixes, timeline', () => {
    const r: RunReport = buildReport(alice);
    expect(r).toMatchObject({
      format: 'grimoire-exercise-report',
      version: 1,
      exercise: 'drill',
      participant: 'alice',
      chapter: '1',
      seed: 42,
      endReason: 'time',
      solved: false,
      clockMs: 30 * 60_000,
      lines: 3,
      spells: 2,
    });
    expect(r.wallMs).toBe(90_000 + 30_000 + 60_000 + 30 * 60_000);
    expect(r.clues.found.map((c) => [c.id, c.clockMs, c.line])).toEqual([['anon_vma_top', 90_000, 1]]);
    expect(r.clues.notFound).toHaveLength(9);
    expect(r.hints).toMatchObject([{ level: 1, total: 6, by: 'player', clockMs: 120_000 }]);
    expect(r.wrongFixes).toMatchObject([{ kind: 'drop_caches', input: WRONG, clockMs: 180_000 }]);
    expect(r.spellsLearned).toEqual(expect.arrayContaining(['slabtop', 'echo', 'tee']));
    expect(r.timeline.map((t) => t.what)).toEqual([
      'the chapter opens',
      '$ sudo slabtop -o',
      'clue found: anon_vma_top',
      'objective culprit: done',
      '$ hint',
      'hint 1 of 6 (player)',
      `$ ${WRONG}`,
      'wrong fix: drop_caches (echo 3 | sudo tee /proc/sys/vm/drop_caches)',
      'the exercise ends: time is up',
    ]);
    expect(r.virtualMs).toBeGreaterThan(0);
  });

  test('report.md and report.json in the run folder, with the time to each clue as a text chart', async () => {
    const w = await writeReport(alice, alice.paths.dir);
    expect(w).toEqual({ ok: true, files: [path.join(alice.paths.dir, 'report.md'), path.join(alice.paths.dir, 'report.json')] });
    const md = fs.readFileSync(path.join(alice.paths.dir, 'report.md'), 'utf8');
    expect(md.split('\n')[0]).toBe('<!-- grimoire exercise report: drill alice ch1 2026-12-03T14:00:00.000Z -->');
    expect(md).toContain('**Not solved** (time is up).');
    expect(md).toContain('| exercise clock | 30m of 30m |');
    expect(md).toContain('| clues | 1 of 10 |');
    // 1:30 of a 30m box is 1.5 of the bar's 30 columns: two marks
    expect(md).toContain('```\nanon_vma_top                 |##                            | 1:30\ndns_failing                  |                              | not found\n');
    expect(md).toContain('- hint 1 of 6 at 2:00 (asked)');
    expect(md).toMatch(/- \*\*drop_caches\*\* at 3:00, from `echo 3 \| sudo tee \/proc\/sys\/vm\/drop_caches`: \S/);
    expect(md).toContain('| 1:30 | +');
    const json = JSON.parse(fs.readFileSync(path.join(alice.paths.dir, 'report.json'), 'utf8')) as RunReport;
    expect(json).toEqual(buildReport(alice));
    // its own report is replaced when written again
    expect((await writeReport(alice, alice.paths.dir)).ok).toBe(true);
  });

  test('a file the report did not write is never replaced (neither file is written)', async () => {
    const out = tempDir();
    fs.writeFileSync(path.join(out, 'report.md'), 'my notes\n');
    expect(await writeReport(bob, out)).toEqual({
      ok: false,
      message: `${path.join(out, 'report.md')} exists and is not a grimoire exercise report; nothing was written (move it, or use --out DIR)`,
    });
    expect(fs.readFileSync(path.join(out, 'report.md'), 'utf8')).toBe('my notes\n');
    expect(fs.existsSync(path.join(out, 'report.json'))).toBe(false);
    expect(await writeReport(bob, path.join(out, 'nope'))).toEqual({ ok: false, message: `--out ${path.join(out, 'nope')} is not a folder` });
  });

  test('a run file changed by something else is refused, naming the line', () => {
    const copy = tempDir();
    const lines = fs.readFileSync(alice.paths.file, 'utf8').split('\n');
    lines[2] = '{"t":"line","n":"one"}';
    fs.writeFileSync(path.join(copy, 'run.jsonl'), lines.join('\n'));
    const r = readRun(copy);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(new RegExp(`^${path.join(copy, 'run.jsonl').replace(/[/.]/g, '\\$&')}, line 3: not a record this grimoire writes \\(`));
  });
});

describe('exercise summary', () => {
  test('one row per run and the cohort in a line', () => {
    const md = summaryMarkdown([buildReport(alice), buildReport(bob)]);
    const rows = md.split('\n');
    expect(rows[0]).toBe('| participant | chapter | seed | solved | clock | machine time | spells | clues | hints | wrong fixes | ended |');
    expect(rows[2]).toMatch(/^\| alice {7}\| 1 {7}\| 42 {3}\| no {5}\| 30m {3}\| .+ \| 2 {6}\| 1\/10 {2}\| 1 {5}\| drop_caches \| time  \|$/);
    expect(rows[3]).toMatch(/^\| bob {9}\| 1 {7}\| 42 {3}\| no {5}\| 1m {4}\| .+ \| 1 {6}\| 1\/10 {2}\| 0 {5}\| - {11}\| quit  \|$/);
    expect(rows[5]).toBe('2 runs, 0 solved; median clues found 1; hints used 1.');
  });
});
