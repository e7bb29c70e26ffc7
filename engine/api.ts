import type { Json, ObjectiveView, OutputBlock } from './types';

/** What a finished or abandoned run reports (script mode's last JSON line). */
export interface GameResult {
  chapter: string;
  solved: boolean;
  hints: number;
  spells: number;
  /** virtual time elapsed since the chapter opened, e.g. '7d 2h 13m 5s' */
  virtualTime: string;
}

/** Tab completion: replace line.slice(from) with one of the candidates. */
export interface Completion {
  from: number;
  candidates: string[];
}

/** A game as JSON: everything needed to continue exactly where it stopped. */
export interface SavedGame {
  format: 'grimoire-game';
  engineVersion: number;
  storyVersion: string;
  chapter: string;
  seed: number;
  state: Json;
}

export interface ChapterInfo {
  id: string;
  number: number;
  title: string;
  blurb: string;
}

/** How a front end may steer one step while it runs. */
export interface StepOptions {
  /**
   * Asked now and then while a long line runs (a `sleep 20d`, a loop): true when the player has
   * pressed Ctrl-C. The line then stops at the next event boundary, as a real shell's would on
   * SIGINT, and the world stays consistent at that moment.
   */
  interrupted?: () => boolean;
}

/** One chapter being played. Everything it returns is data; it never does I/O. */
export interface GameHandle {
  readonly chapter: string;
  readonly seed: number;
  /** the shell prompt, e.g. 'ops@ns2:~$ ', or the prompt of a program holding the terminal ('rs0:SECONDARY> ') */
  prompt(): string;
  /** a program the player started holds the terminal (the mongo shell): `exit` and the like are its words, not the front end's */
  programRunning?(): boolean;
  /**
   * The end of input (Ctrl-D on an empty line) while a program holds the terminal: it ends as it
   * would at a real one (the mongo shell says bye) and bash has the terminal again. Null when bash
   * has it: then the end of input is the player leaving, the front end's to handle.
   */
  endOfInput?(): OutputBlock[] | null;
  /** what the player sees when the chapter opens; only the first call returns the briefing */
  start(): OutputBlock[];
  /** one line typed at the prompt */
  step(input: string, opts?: StepOptions): OutputBlock[];
  complete(line: string): Completion;
  /** lines typed so far, oldest first */
  history(): string[];
  solved(): boolean;
  /** how many of the chapter's objectives are done right now, for save lists */
  progress(): { done: number; total: number };
  result(): GameResult;
  snapshot(): SavedGame;
  /**
   * `download PATH`: a file of the simulated machine as the bytes it holds, read as the player's
   * login user from the shell's current directory. The front end writes them to the player's disk.
   */
  machineFile(path: string): MachineFile;
  /** what a facilitator sees and the player does not; reading it changes nothing */
  inspect(): GameInspection;
  /**
   * Applies one of the chapter's injections (GameInspection.injections) now, between lines; what
   * the world then makes of it (objectives, the story's reactions) comes back as blocks.
   */
  inject(id: string): { ok: true; happened: string; blocks: OutputBlock[] } | { ok: false; message: string };
}

/** The truth behind a game, for a facilitator's view (`grimoire exercise watch`). */
export interface GameInspection {
  chapter: string;
  /** the chapter's own account of what is really wrong, if it gives one */
  diagnosis: string | null;
  /** the judge's verdict: a real fix is in effect on the machine right now */
  fixInEffect: boolean;
  /** every objective as the simulation judges it now, with its details */
  objectives: ObjectiveView[];
  clues: { found: string[]; notFound: string[] };
  hints: { used: number; total: number };
  /** wrong fixes the player has tried, in the order first tried (the chapter's kinds) */
  wrongFixes: string[];
  spells: number;
  solved: boolean;
  /** virtual ms since the chapter opened */
  elapsedMs: number;
  injections: { id: string; label: string }[];
}

/** what machineFile finds: the file's absolute path and bytes, or why not, in words for the player */
export type MachineFile = { ok: true; path: string; bytes: Uint8Array } | { ok: false; message: string };
