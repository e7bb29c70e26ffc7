#!/usr/bin/env -S node --max-semi-space-size=2
import * as path from 'node:path';
import type { Command } from 'commander';
import { EXIT, type GlobalOptions, type PlayOptions } from './options';

/**
 * The `grimoire` command. Each mode loads only what it needs: script mode never loads chalk or
 * inquirer, and `chapters` never compiles or starts a game. In the modes that start a game (the
 * title screen, play), everything past this file, commander too, is loaded once the compile
 * cache is on (main), so it all compiles from the cache.
 */

function commander(): typeof import('commander') {
  return require('commander') as typeof import('commander');
}

function parseSeed(value: string): number {
  if (!/^\d{1,10}$/.test(value) || Number(value) > 0xffffffff) {
    throw new (commander().InvalidArgumentError)('a seed is a whole number from 0 to 4294967295.');
  }
  return Number(value);
}

/** package.json sits one level above src/ in the sources and two above dist/src/ once built */
function packageVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = require(rel) as { name?: string; version?: string };
      if (pkg.name === 'grimoire' && pkg.version) return pkg.version;
    } catch {
      // try the next place
    }
  }
  return 'unknown';
}

function buildProgram(): Command {
  const program = new (commander().Command)();
  program
    .name('grimoire')
    .description(
      'A text adventure about how real systems fail. A cursed operating-systems textbook opens a ' +
        'chapter: a simulated Linux machine in the middle of a production incident. Cast real ' +
        'commands against its kernel, find the cause, fix it, and watch the fix hold.',
    )
    .version(packageVersion(), '-V, --version')
    .option('--no-color', 'print without colour (also honoured: the NO_COLOR environment variable)')
    .option('--saves-dir <dir>', 'where save slots live (default: saves/ in the game folder)')
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str) })
    .addHelpText(
      'after',
      `
Playing:
  npm start                      the title screen: new game, continue, chapters, quit
                                 (needs a terminal; with input from a pipe use --script -)
  grimoire play 1                play chapter 1 at the prompt

Script mode (for tests, graders and onboarding checks):
  grimoire play 1 --script FILE  read FILE one line at a time as if typed at the prompt
  grimoire play 1 --script -     the same from standard input; each line's output is written
                                 and flushed before the next line is read
  --seed N                       fix the world; without it a seed is chosen and printed to stderr
  --json                         JSON Lines: {"input", "output", "blocks"} per line (blocks: the
                                 typed output), then {"result": {...}}
  --save NAME / --load NAME      save the run to a slot when input ends / start from a slot
  --transcript FILE              write a Markdown transcript of the run; FILE's folder must exist,
                                 and a FILE that is not a grimoire transcript is only replaced
                                 with --force (both are checked before the run starts)
  If the output is closed early (| head), the run stops there quietly; the transcript is still
  written and the exit status says whether the chapter was solved by then.
  Exit status: 0 solved, 1 not solved, 2 usage error (options, files, paths),
  3 a save that cannot be used (damaged with no good copy, or from a newer game).

Your own chapter (docs/write-a-chapter.md):
  grimoire new-chapter NAME      scaffold engine/chapters/NAME, story/NAME.ink, its scripts and a
                                 test: a working copy of the example chapter (cron-dot) to change
  grimoire check-chapter NAME    the checklist (after npm run build): the story compiles with no
                                 warnings and keeps its contract, walkthroughs solve it, wrong
                                 fixes do not, objectives move, the last hint is the answer, two
                                 seeds differ, save/load changes nothing. Exit 0 all passed,
                                 1 a check failed, 2 no such chapter or a refused name.

At the game prompt: help, man SPELL, hint, talk, status, journal, grimoire (your spellbook),
save [NAME], load [NAME], saves, export FILE, import FILE, transcript FILE, download PATH [LOCAL], quit.
Ctrl-C stops the spell that is running, or clears the line; quit or Ctrl-D on an empty line
leaves the game (Continue on the title screen resumes it).
Saves are written atomically to saves/ after every spell (the "autosave" slot).

Onboarding exercises (grimoire exercise --help for more):
  grimoire exercise init FILE    write an exercise file (.yaml or .json): chapters, time box, hints
                                 (allowed | off | facilitator), seed or seeds, participants
  grimoire exercise run FILE --participant NAME   play it with a clock; recorded in runs/RUN/
  grimoire exercise watch RUN    the facilitator's view: status, hint, pause, resume, inject ID, end
  grimoire exercise report RUN [--out DIR]        report.md + report.json
  grimoire exercise summary RUN...                a cohort table
  grimoire grade --chapter N --script FILE [--seed S]
                                 the JSON report; exit 0 solved, 1 not solved, 2 bad input`,
    );

  program
    .command('play')
    .description('play a chapter (interactive, or with --script)')
    .argument('<chapter>', 'chapter number (see: grimoire chapters)')
    .option('--script <file>', 'read spells from FILE (- for standard input) instead of the keyboard')
    .option('--seed <n>', 'seed for the world (same seed + same spells = same transcript)', parseSeed)
    .option('--json', 'with --script: print JSON Lines instead of text')
    .option('--save <name>', 'save the game to this slot (autosaved as it goes, and when input ends)')
    .option('--load <name>', 'continue from this save slot')
    .option('--transcript <file>', 'write a Markdown transcript of the run to FILE')
    .option('--force', 'with --transcript: replace FILE even if it is not a grimoire transcript')
    .action(async (chapter: string, opts: PlayOptions) => {
      const global = program.opts<GlobalOptions>();
      const { runPlay } = (require('./play') as typeof import('./play'));
      process.exitCode = await runPlay(chapter, { ...opts, ...global });
    });

  program
    .command('chapters')
    .description('list the chapters with their numbers and titles')
    .action(async () => {
      const { listChapters } = (require('../engine/index') as typeof import('../engine/index'));
      // a chapter that is not the book's is also played by its name
      for (const c of listChapters()) process.stdout.write(`${c.number}  ${c.title}${c.id !== String(c.number) ? `  (${c.id})` : ''}\n`);
    });

  program
    .command('new-chapter')
    .description("scaffold a chapter of your own (a working copy of the example chapter) under engine/chapters/NAME")
    .argument('<name>', 'the chapter\'s name: lower-case letters, digits and hyphens, e.g. disk-full')
    .action(async (name: string) => {
      const { runNewChapter } = (require('./authoring/commands') as typeof import('./authoring/commands'));
      process.exitCode = runNewChapter(name);
    });

  program
    .command('check-chapter')
    .description('check a chapter: story, contract, walkthroughs, wrong fixes, objectives, hints, seeds, save/load')
    .argument('<name>', 'the chapter\'s name (its folder under engine/chapters/)')
    .action(async (name: string) => {
      const { runCheckChapter } = (require('./authoring/commands') as typeof import('./authoring/commands'));
      process.exitCode = runCheckChapter(name);
    });

  // exercise init|run|watch|report|summary, and grade: each loads its module when it runs
  (require('./exercise/commands') as typeof import('./exercise/commands')).addExerciseCommands(program, parseSeed);

  program.action(async () => {
    const global = program.opts<GlobalOptions>();
    const { runInteractive } = (require('./interactive') as typeof import('./interactive'));
    process.exitCode = await runInteractive(global);
  });

  return program;
}

/**
 * A reader that went away (`grimoire --help | head -1`) is not an error: the output just ends, as
 * with any Unix tool. Script mode notices it on its own writes and stops the run.
 */
function endQuietlyOnClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') return;
      throw err;
    });
  }
}

/** what makes a run only print something (help, the version) */
const QUICK_FLAGS = new Set(['-h', '--help', 'help', '-V', '--version']);

/**
 * V8's budget before it considers a function for its optimizing compiler, for `play` (script
 * mode included): eight times its default. A game's process lives a second or a few, and at the
 * default TurboFan compiles code it never earns back (a new game and the walkthrough took 11-16 %
 * longer; see README, Speed). The title screen keeps the default: its menu drew about 7 ms later
 * with the larger budget. So does the long-lived Discord bot.
 */
const INTERRUPT_BUDGET = 8 * 67_584;

async function main(argv: string[]): Promise<void> {
  endQuietlyOnClosedPipes();
  // a cache file for each mode, holding what it loads; the quick commands load a dozen modules, and
  // the cache would cost them more (node:crypto, its own file) than it saves
  const args = argv.slice(2);
  if (!args.includes('chapters') && !args.some((a) => QUICK_FLAGS.has(a))) {
    const play = args.includes('play');
    // before any of the game's code is compiled: cached code is only taken under the flags it was made with
    if (play) (require('node:v8') as typeof import('node:v8')).setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
    const { enableCompileCache } = require('./compileCache') as typeof import('./compileCache');
    // the game's folder: dist/src/cli.js once built
    enableCompileCache(path.resolve(__dirname, '..', '..'), { mode: play ? 'play' : 'title' });
  }
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof commander().CommanderError) {
      // --help and --version end here too, with exit code 0
      process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    process.stderr.write(`grimoire: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) {
  void main(process.argv);
}
