/**
 * `grimoire grade --chapter N --script FILE [--seed S]`: plays a script through the same recorded
 * session an exercise uses (hints allowed, no time box to speak of) and prints the run's JSON
 * report. Exit status 0 when the chapter is solved, 1 when not, 2 on bad input, so a team can put
 * an exercise into its own CI.
 */
import { ENGINE_VERSION, findChapter, listChapters } from '../../engine/index';
import { describeFsError, PlainFileError } from '../saves/fsErrors';
import { readFileLimited } from '../saves/readLimited';
import { randomSeed } from '../seed';
import { ExerciseClock } from './clock';
import { ExerciseSession } from './exerciseSession';
import { buildReport } from './report';
import { MemorySink, RUN_FORMAT, RUN_VERSION, type RunHeader } from './runFile';

export interface GradeOptions {
  chapter: string;
  script: string;
  seed?: number;
}

export interface GradeDeps {
  stdin: NodeJS.ReadableStream;
  out: (text: string) => void;
  err: (message: string) => void;
  now: () => number;
}

const MAX_SCRIPT = 8 * 1024 * 1024;
/** a grade has no time box: a day of wall clock is more than any script takes */
const NO_BOX_MS = 24 * 3600_000;

async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += b.length;
    if (total > MAX_SCRIPT) throw new PlainFileError('the script on standard input is larger than 8 MiB');
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function runGrade(opts: GradeOptions, deps: GradeDeps): Promise<number> {
  const info = findChapter(opts.chapter);
  if (!info) {
    deps.err(`there is no chapter '${opts.chapter}'. Chapters: ${listChapters().map((c) => `${c.number} (${c.title})`).join(', ')}.`);
    return 2;
  }
  let text: string;
  try {
    if (opts.script === '-') text = await readStdin(deps.stdin);
    else {
      const bytes = await readFileLimited(opts.script, MAX_SCRIPT, { followLinks: true });
      if (bytes === null) {
        deps.err(`cannot read script '${opts.script}': no such file.`);
        return 2;
      }
      text = bytes.toString('utf8');
    }
  } catch (e) {
    const why = e instanceof PlainFileError && e.code === 'EFBIG' ? 'it is larger than 8 MiB' : describeFsError(e);
    deps.err(`cannot read script '${opts.script}': ${why}.`);
    return 2;
  }
  const seed = opts.seed ?? randomSeed();
  if (opts.seed === undefined) deps.err(`seed ${seed} (grade this world again with --seed ${seed})`);

  const { GameSession } = require('../session') as typeof import('../session');
  const game = GameSession.newGame(info.id, seed, { store: null, autosaveSlot: null, now: () => new Date(deps.now()) });
  const sink = new MemorySink();
  const session = new ExerciseSession(game, { name: 'grade', hints: 'allowed', clock: new ExerciseClock(deps.now, NO_BOX_MS), sink });
  const header: RunHeader = {
    format: RUN_FORMAT,
    version: RUN_VERSION,
    exercise: { name: 'grade', file: opts.script, timeBox: '24h', timeBoxMs: NO_BOX_MS, hints: 'allowed', chapters: [info.id], participants: [] },
    participant: null,
    chapter: info.id,
    chapterTitle: info.title,
    seed,
    engineVersion: ENGINE_VERSION,
    startedAt: new Date(deps.now()).toISOString(),
  };
  session.open();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const out = await session.handle(line);
    if (out.quit || session.endReason !== null) break;
  }
  await session.close();
  const report = buildReport({ header, records: sink.records });
  deps.out(JSON.stringify(report, null, 2) + '\n');
  return report.solved ? 0 : 1;
}
