import type { ChapterBinding, ChapterModule, ChapterProgress } from '../../chapter';
import { bindMachine } from '../../machine/bind';
import { packMachineWorld, unpackMachineWorld } from '../../machine/savedWorld';
import type { RngStreams } from '../../rng';
import { drainQueued, fixChanged, tryWrongFix } from '../../story/fixEvents';
import type { Json } from '../../types';
import { detectClues, journalEntry } from './clues';
import { cronRunsSince, currentFix, OBJECTIVES, verdicts } from './judge';
import { info } from './meta';
import { createWorld, deploy } from './sim/create';
import './sim/scenario';
import { DOTTED_JOB_FILE, JOB_FILE, SCRIPT, type CronDotWorld } from './sim/world';
import { CLUE_IDS, HINT_LEVELS, KNOTS, STORY_NAME, type WrongFixKind } from './storyContract';

/**
 * "the export that stopped", an example of a chapter written from a team's own postmortem
 * (docs/write-a-chapter.md walks through it): a deploy renamed a cron job's file in /etc/cron.d
 * to a name with a dot, and Debian's cron skips such files without a word. The world is sim/,
 * the words story/cron-dot.ink, the judging judge.ts and clues.ts.
 */

function loadStory(): { json: object; version: string } {
  // compiled by scripts/compile-ink.js at build time
  const json = require(`../../../generated/story/${STORY_NAME}.json`) as object;
  const versions = require('../../../generated/story/versions.json') as Record<string, string>;
  return { json, version: versions[STORY_NAME] ?? 'unknown' };
}

let storyCache: { json: object; version: string } | null = null;

const bare = (argv: string[]): string[] => (argv[0] === 'sudo' ? argv.slice(1) : argv);

/** what the lines the player ran say about wrong fixes: running the job by hand, making the table executable */
function hearWrongFixes(w: CronDotWorld, argvs: string[][], wrongFix: (k: Exclude<WrongFixKind, 'none'>) => void): void {
  for (const a of argvs.map(bare)) {
    if (a[0] === SCRIPT) wrongFix('hand_run');
    // judged from the file's mode afterwards: only a chmod that did make it executable counts
    const table = w.files.files[DOTTED_JOB_FILE];
    if (a[0] === 'chmod' && a.includes(DOTTED_JOB_FILE) && table && (table.mode & 0o111) !== 0) wrongFix('made_executable');
  }
}

function bind(worldJson: Json, streams: RngStreams, progress: ChapterProgress): ChapterBinding {
  const w = worldJson as unknown as CronDotWorld;
  const notes = progress.notes;
  const wrongFix = (kind: Exclude<WrongFixKind, 'none'>): void => {
    // a wrong fix is only wrong while the job is still out of cron's reach
    if (currentFix(w) === 'none') tryWrongFix(notes, KNOTS.eventWrongFix, kind);
  };
  const machine = bindMachine(w, streams);
  const hhmm = (t: number): string => new Date(t).toISOString().slice(11, 16);
  return {
    machine: machine.binding,
    spells: [],
    judge: {
      verdicts: () => verdicts(w, progress.clues, progress.openedAt),
      fixInEffect: () => currentFix(w) !== 'none',
      detectClues: (argvs, shown) => {
        hearWrongFixes(w, argvs, wrongFix);
        return detectClues(w, progress, argvs, shown);
      },
      journalEntry: (clue) => journalEntry(w, clue),
      drainEvents: () => [...fixChanged(notes, currentFix(w), { applied: KNOTS.eventFixApplied, regressed: KNOTS.eventRegressed }), ...drainQueued(notes)],
    },
    story: {
      externals: () => ({
        found: (id: string) => progress.clues.includes(String(id)),
        fix_kind: () => currentFix(w),
        wrong_fix_kind: () => (typeof notes.wrongFix === 'string' ? notes.wrongFix : 'none'),
        hostname: () => w.p.hostname,
        deploy_time: () => hhmm(w.report.deployAt),
        last_export: () => hhmm(w.report.lastExportAt),
        exports_since: () => cronRunsSince(w, progress.openedAt),
        missed_runs: () => Math.floor((w.now - w.report.lastExportAt) / 300_000),
      }),
    },
  };
}

export const chapter: ChapterModule = {
  info,
  objectives: OBJECTIVES,
  hintLevels: HINT_LEVELS,
  story: () => (storyCache ??= loadStory()),
  createWorld: (streams) => createWorld(streams) as unknown as Json,
  bind,
  clueIds: CLUE_IDS,
  diagnosis:
    "A deploy rewrote the export's cron table as /etc/cron.d/report-export.cron. Debian's cron only reads files in /etc/cron.d named with letters, digits, hyphens and underscores, so it skips this one without a log line: the job stopped at the deploy. Fix: rename the file to report-export (or put the line in a crontab cron reads). Running the export by hand works once; chmod +x changes nothing.",
  injections: [
    {
      id: 'redeploy',
      label: 'Config management runs again and writes the job as report-export.cron',
      apply: (world, ctx) => {
        const w = world as unknown as CronDotWorld;
        deploy(w, ctx.now());
        return `The deploy wrote ${DOTTED_JOB_FILE} again at ${new Date(ctx.now()).toISOString().slice(11, 16)} UTC and removed ${JOB_FILE}.`;
      },
    },
  ],
  packWorld: (world) => packMachineWorld(world),
  unpackWorld: (saved) => unpackMachineWorld(saved),
};
