/**
 * The `grimoire exercise ...` and `grimoire grade` commands, added to the CLI's program. Only the
 * commander definitions live here: each command loads its module when it runs.
 */
import type { Command } from 'commander';
import { EXIT, type GlobalOptions } from '../options';

const err = (message: string): void => void process.stderr.write(`grimoire: ${message}\n`);

export function addExerciseCommands(program: Command, parseSeed: (value: string) => number): void {
  const exercise = program
    .command('exercise')
    .description('onboarding exercises: a time box, hints the facilitator controls, a recorded run, a report')
    .addHelpText(
      'after',
      `
  grimoire exercise init onboarding.yaml        write an exercise file to edit (never over an existing one)
  grimoire exercise run onboarding.yaml --participant alice
                                                play it; the run is recorded in runs/<name>-<participant>-ch<N>-<time>/
  grimoire exercise watch runs/RUN              the facilitator's view, from a second terminal
  grimoire exercise report runs/RUN             report.md and report.json in the run folder (or --out DIR)
  grimoire exercise summary runs/*              one table for a cohort`,
    );

  exercise
    .command('init')
    .description('write a new exercise file (YAML or JSON by its extension; an existing file is never replaced)')
    .argument('[file]', 'the file to write', 'exercise.yaml')
    .action(async (file: string) => {
      const { writeNewExerciseFile } = require('./exerciseFile') as typeof import('./exerciseFile');
      const { randomSeed } = require('../seed') as typeof import('../seed');
      const r = writeNewExerciseFile(file, randomSeed());
      if (!r.ok) {
        err(r.message);
        process.exitCode = EXIT.usage;
        return;
      }
      process.stdout.write(`Wrote ${file}. Edit it, then: grimoire exercise run ${file} --participant NAME\n`);
    });

  exercise
    .command('run')
    .description("play an exercise in the terminal, with the clock in the prompt, recorded in a run folder")
    .argument('<file>', 'the exercise file')
    .option('--participant <name>', "whose run this is (one of the exercise's participants)")
    .option('--chapter <n>', "which of the exercise's chapters (default: its first)")
    .option('--runs-dir <dir>', 'where run folders go', 'runs')
    .action(async (file: string, opts: { participant?: string; chapter?: string; runsDir: string }) => {
      const global = program.opts<GlobalOptions>();
      const { runExercise } = require('./run') as typeof import('./run');
      const { createRenderer, loadChalkColors, noColorRequested, plainColors } = require('../terminal/render') as typeof import('../terminal/render');
      const { ttyInterrupts } = require('../terminal/interrupt') as typeof import('../terminal/interrupt');
      const color = global.color !== false && !noColorRequested(process.env) && !!process.stdout.isTTY;
      const renderer = createRenderer(color ? await loadChalkColors() : plainColors, { width: () => process.stdout.columns, unicode: process.env.TERM !== 'dumb' });
      process.exitCode = await runExercise(
        file,
        { ...(opts.participant ? { participant: opts.participant } : {}), ...(opts.chapter ? { chapter: opts.chapter } : {}), runsDir: opts.runsDir },
        {
          input: process.stdin,
          output: process.stdout,
          isTTY: !!process.stdin.isTTY,
          renderer,
          now: () => Date.now(),
          err,
          signals: process,
          ...(process.stdin.isTTY ? { interrupts: ttyInterrupts({ input: process.stdin }) } : {}),
        },
      );
    });

  exercise
    .command('watch')
    .description("the facilitator's view of a live run: what is really wrong, clues, hints; reveal a hint, pause, inject, end")
    .argument('<run>', 'the run folder (or its run.jsonl)')
    .action(async (run: string) => {
      const { runWatch } = require('./watch') as typeof import('./watch');
      process.exitCode = await runWatch(run, { input: process.stdin, output: process.stdout, now: () => Date.now(), err });
    });

  exercise
    .command('report')
    .description('write report.md and report.json for a run: solved, times, clues, hints, wrong fixes, timeline')
    .argument('<run>', 'the run folder (or its run.jsonl)')
    .option('--out <dir>', 'write the report here instead of the run folder')
    .action(async (run: string, opts: { out?: string }) => {
      const { readRun } = require('./runDir') as typeof import('./runDir');
      const { writeReport } = require('./report') as typeof import('./report');
      const r = readRun(run);
      if (!r.ok) {
        err(r.message);
        process.exitCode = EXIT.usage;
        return;
      }
      const w = await writeReport(r.run, opts.out ?? r.run.paths.dir);
      if (!w.ok) {
        err(w.message);
        process.exitCode = EXIT.usage;
        return;
      }
      process.stdout.write(`Wrote ${w.files.join(' and ')}.\n`);
    });

  exercise
    .command('summary')
    .description('one table for many runs (a cohort)')
    .argument('<runs...>', 'run folders (or their run.jsonl files)')
    .option('--json', 'print the reports as one JSON array instead of the table')
    .action(async (runs: string[], opts: { json?: boolean }) => {
      const { readRun } = require('./runDir') as typeof import('./runDir');
      const { buildReport } = require('./report') as typeof import('./report');
      const { summaryMarkdown } = require('./summary') as typeof import('./summary');
      const reports = [];
      for (const run of runs) {
        const r = readRun(run);
        if (!r.ok) {
          err(r.message);
          process.exitCode = EXIT.usage;
          return;
        }
        reports.push(buildReport(r.run));
      }
      process.stdout.write(opts.json ? JSON.stringify(reports, null, 2) + '\n' : summaryMarkdown(reports));
    });

  program
    .command('grade')
    .description('play a script and print its JSON report: exit 0 when solved, 1 when not, 2 on bad input')
    .requiredOption('--chapter <n>', 'chapter number')
    .requiredOption('--script <file>', 'the spells, one a line (- for standard input)')
    .option('--seed <n>', 'seed for the world (without it one is chosen and printed to stderr)', parseSeed)
    .action(async (opts: { chapter: string; script: string; seed?: number }) => {
      const { runGrade } = require('./grade') as typeof import('./grade');
      process.exitCode = await runGrade(
        { chapter: opts.chapter, script: opts.script, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) },
        { stdin: process.stdin, out: (t) => void process.stdout.write(t), err, now: () => Date.now() },
      );
    });
}
