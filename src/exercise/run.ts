/**
 * `grimoire exercise run FILE`: one participant plays one chapter of an exercise in the terminal
 * game, with the clock in the prompt, while the run folder records it all and the facilitator's
 * actions arrive through the control file. Streams, the wall clock and the poll interval are
 * injected, so tests need no terminal and no real minutes.
 */
import * as path from 'node:path';
import { ENGINE_VERSION, findChapter } from '../../engine/index';
import type { InterruptSource } from '../terminal/interrupt';
import type { Renderer } from '../terminal/render';
import { ExerciseClock } from './clock';
import { ControlReader, createControlFile } from './control';
import { type Exercise, readExerciseFile, seedFor } from './exerciseFile';
import { ExerciseSession } from './exerciseSession';
import { makeRunDir, stampOf } from './runDir';
import { CONTROL_FILE, RUN_FILE, RUN_FORMAT, RUN_VERSION, RunFileWriter, syncFolder, type RunHeader } from './runFile';

export interface ExerciseRunOptions {
  participant?: string;
  chapter?: string;
  /** where run folders go (default: runs/ in the current folder) */
  runsDir?: string;
}

export interface ExerciseRunDeps {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  isTTY: boolean;
  renderer: Renderer;
  /** the wall clock, ms */
  now: () => number;
  /** how often the control file and the clock are looked at while the prompt waits (default 250 ms) */
  pollMs?: number;
  /** problems that are not the game's (bad options, files) */
  err: (message: string) => void;
  signals?: Pick<NodeJS.EventEmitter, 'on' | 'removeListener'>;
  interrupts?: InterruptSource;
  /** told the run folder once it exists (tests follow it from there) */
  onRunDir?: (dir: string) => void;
}

const POLL_MS = 250;

export type Prepared = { ok: true; exercise: Exercise; participant: string | null; chapter: string; seed: number } | { ok: false; message: string };

/** The exercise, the participant and the chapter of a run, checked before anything is written. */
export async function prepareRun(file: string, opts: ExerciseRunOptions): Promise<Prepared> {
  const read = await readExerciseFile(file);
  if (!read.ok) return read;
  const ex = read.exercise;
  let participant: string | null = opts.participant ?? null;
  if (participant !== null && ex.participants.length > 0 && !ex.participants.includes(participant)) {
    return { ok: false, message: `'${participant}' is not a participant of ${file} (participants: ${ex.participants.join(', ')})` };
  }
  if (participant === null && ex.participants.length === 1) participant = ex.participants[0]!;
  if (participant === null && ex.seeds !== undefined) {
    return { ok: false, message: `${file} gives each participant a world: say whose run this is with --participant NAME (${ex.participants.join(', ')})` };
  }
  if (participant === null && ex.participants.length > 1) {
    return { ok: false, message: `whose run is it? --participant NAME (${ex.participants.join(', ')})` };
  }
  let chapter = ex.chapters[0]!;
  if (opts.chapter !== undefined) {
    const info = findChapter(opts.chapter);
    if (!info || !ex.chapters.includes(info.id)) return { ok: false, message: `chapter '${opts.chapter}' is not in ${file} (its chapters: ${ex.chapters.join(', ')})` };
    chapter = info.id;
  }
  return { ok: true, exercise: ex, participant, chapter, seed: seedFor(ex, participant) };
}

export async function runExercise(file: string, opts: ExerciseRunOptions, deps: ExerciseRunDeps): Promise<number> {
  const prepared = await prepareRun(file, opts);
  if (!prepared.ok) {
    deps.err(prepared.message);
    return 2;
  }
  const { exercise: ex, participant, chapter, seed } = prepared;
  const info = findChapter(chapter)!;
  const started = deps.now();
  const root = opts.runsDir ?? 'runs';
  let dir: string;
  let writer: RunFileWriter;
  const header: RunHeader = {
    format: RUN_FORMAT,
    version: RUN_VERSION,
    exercise: { name: ex.name, file: path.resolve(file), timeBox: ex.timeBox, timeBoxMs: ex.timeBoxMs, hints: ex.hints, chapters: ex.chapters, participants: ex.participants },
    participant,
    chapter,
    chapterTitle: info.title,
    seed,
    engineVersion: ENGINE_VERSION,
    startedAt: new Date(started).toISOString(),
  };
  try {
    dir = makeRunDir(root, `${ex.name}-${participant ?? 'solo'}-ch${info.number}-${stampOf(started)}`);
    createControlFile(path.join(dir, CONTROL_FILE));
    writer = RunFileWriter.create(path.join(dir, RUN_FILE), header);
    await syncFolder(dir);
  } catch (e) {
    deps.err(`cannot make a run folder in ${root}: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  deps.onRunDir?.(dir);
  deps.output.write(deps.renderer.note(`Run folder: ${dir}  (the facilitator follows it with: grimoire exercise watch ${dir})`));

  const { GameSession } = require('../session') as typeof import('../session');
  const game = GameSession.newGame(chapter, seed, { store: null, autosaveSlot: null, now: () => new Date(deps.now()) });
  const clock = new ExerciseClock(deps.now, ex.timeBoxMs);
  const session = new ExerciseSession(game, { name: ex.name, hints: ex.hints, clock, sink: writer });
  const control = new ControlReader(path.join(dir, CONTROL_FILE));

  // the control file and the clock, looked at every pollMs while the game runs: a timer, not a loop
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let told = false;
  let polling: Promise<void> | null = null;
  const poll = async (): Promise<void> => {
    timer = null;
    try {
      const { actions, problems } = control.poll();
      for (const p of problems) deps.err(p);
      for (const a of actions) if (!stopped) await session.act(a);
    } catch (e) {
      // a control file that went away stops the facilitator's actions, not the game
      if (!told) deps.err(`the control file cannot be read (${e instanceof Error ? e.message : String(e)}); the game goes on without the facilitator's actions`);
      told = true;
    }
    if (!stopped) await session.tick();
    if (!stopped) timer = setTimeout(startPoll, deps.pollMs ?? POLL_MS);
  };
  const startPoll = (): void => {
    polling = poll().finally(() => (polling = null));
  };

  const { runRepl } = require('../terminal/repl') as typeof import('../terminal/repl');
  try {
    timer = setTimeout(startPoll, 0);
    await runRepl({
      session,
      input: deps.input,
      output: deps.output,
      renderer: deps.renderer,
      isTTY: deps.isTTY,
      onChapterEnd: 'stop',
      notices: (show) => {
        session.notify = show;
        return () => {
          session.notify = () => undefined;
        };
      },
      ...(deps.signals ? { signals: deps.signals } : {}),
      ...(deps.interrupts ? { interrupts: deps.interrupts } : {}),
    });
  } finally {
    stopped = true;
    if (timer) clearTimeout(timer);
    // a poll in flight finishes its records before the file is closed
    await polling;
    writer.close();
  }
  deps.output.write(deps.renderer.note(`The run is recorded in ${dir}. grimoire exercise report ${dir} writes its report.`));
  return 0;
}
