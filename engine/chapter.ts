import type { ChapterInfo } from './api';
import type { ObjectiveDef, ObjectiveVerdicts } from './objectives';
import type { RngStreams } from './rng';
import type { CommandResult, CommandSpec, SudoEvent } from './shell/types';
import type { Json } from './types';
import type { VfsProvider, VfsDisk } from './vfs/vfs';
import type { FileStore } from './vfs/store';

/**
 * What a chapter folder provides, split by concern: the machine it builds (its world), the spells
 * it adds, how it is judged, and its story. The engine owns the flow, the story runner, hints,
 * journal and the shell. A chapter holds no state of its own: bind() wraps the JSON world that
 * lives in the game state, so saving and loading never needs the chapter's cooperation.
 */
export interface ChapterModule {
  info: ChapterInfo;
  /** the objectives `status` lists, judged by the binding's judge */
  objectives: readonly ObjectiveDef[];
  /** how many graduated hints the story has; the last one gives the answer */
  hintLevels: number;
  /** the compiled ink story and its version (a content hash); it follows engine/story/contract.ts */
  story(): { json: object; version: string };
  /** a fresh world for this seed, history included (the incident is already under way) */
  createWorld(streams: RngStreams): Json;
  bind(world: Json, streams: RngStreams, progress: ChapterProgress): ChapterBinding;
  /** a world saved by an older engine, in this engine's shape (the whole game state is at hand, to move things between the two) */
  migrateWorld?(world: Json, fromEngineVersion: number, state: { [key: string]: Json }): Json;
  /**
   * the world as a save holds it (a JSON copy sharing nothing with the live one), given the
   * random streams' present state; without it, a save holds the world as it is
   */
  packWorld?(world: Json, streams: { [name: string]: Json }): Json;
  /** the live world back from packWorld's form, sharing nothing with it (the saved form is left as it was), given the same streams */
  unpackWorld?(saved: Json, streams: { [name: string]: Json }): Json;
  /** every clue id the judge can report, so a facilitator sees the ones not found yet */
  clueIds?: readonly string[];
  /** what is really wrong, in a few sentences for a facilitator (never shown to the player) */
  diagnosis?: string;
  /** symptoms a facilitator may inject into a running exercise (another OOM kill, a burst of traffic) */
  injections?: readonly ChapterInjection[];
}

/**
 * A symptom a facilitator can make happen now. It changes the live world only through the
 * simulation's own functions (a daemon's own actions, traffic arriving the way it always does), at the
 * machine's present virtual time, drawing randomness only from `streams`; the world stays JSON.
 */
export interface ChapterInjection {
  id: string;
  /** one line for the facilitator: what happens */
  label: string;
  /** returns what happened, in a line or two for the facilitator */
  apply(world: Json, ctx: InjectionContext): string;
}

export interface InjectionContext {
  streams: RngStreams;
  /** the machine's clock (virtual ms) */
  now(): number;
  /** lets the machine run ms of virtual time, as a spell's own moment does */
  advance(ms: number): void;
}

/** What the engine remembers about the player's progress, shared with the chapter's judges. */
export interface ChapterProgress {
  /** clue ids found, in the order found */
  clues: string[];
  /** per-clue partial observations (e.g. which halves of a two-part clue were seen) */
  notes: Record<string, Json>;
  hintsUsed: number;
  spellsCast: number;
  /** virtual ms when the chapter opened */
  openedAt: number;
  /** virtual ms when the objectives were all met, if they were */
  solvedAt: number | null;
}

export interface ChapterBinding {
  /** the machine the player is logged in to */
  machine: MachineBinding;
  /** the chapter's own spells, on top of the machine's everyday ones */
  spells: CommandSpec[];
  judge: JudgeBinding;
  story: StoryBinding;
}

/** What the game lends the machine's clock while it runs something (a typed line, a conversation). */
export interface GameClock {
  /** cron jobs the world starts run through this; what they wrote tells cron whether there was mail to send */
  runCommand(line: string, user: string): CommandResult | void;
  /** the clock may not pass this virtual ms (one typed line's limit) */
  deadline?: number;
  /** Ctrl-C: asked between the scheduler's events; true stops the clock there */
  interrupted?(): boolean;
}

/** The player's login on the simulated machine, and the machine's clock. */
export interface MachineBinding {
  loginUser: string;
  hostname: string;
  home: string;
  sudoers: readonly string[];
  vars: Record<string, string>;
  files: FileStore;
  providers: VfsProvider[];
  /** the filesystems the stored files take room on (the VFS refuses writes past their free space) */
  disk?: VfsDisk;
  /** the everyday spells every machine answers */
  commands: CommandSpec[];
  now(): number;
  /**
   * Runs the world up to ms, or to clock.deadline if that comes first, or until clock.interrupted
   * says stop. The machine's own spells advance with the same clock until the next call.
   */
  advanceTo(ms: number, clock: GameClock): void;
  pids(): number[];
  /** the player's login bash, 0 while they have none */
  shellPid(): number;
  /** sudo ran a command, from the player's terminal or from a cron job's shell */
  sudoRan?(e: SudoEvent, fromTerminal: boolean): void;
  /** CPU ms the processes on the player's terminal have used so far */
  sessionCpu?(): { userMs: number; sysMs: number };
  /**
   * Before each spell: if the player's session was lost (the machine went down), wait for the
   * machine, log back in, and say what happened. advance lets virtual time pass meanwhile.
   */
  beforeSpell(advance: (ms: number) => void): string[];
  /** the world as JSON (the binding may have replaced parts of it) */
  world(): Json;
  /**
   * A world whose every event is costly to run (each packet of a connection) lets one line pass
   * at most this much virtual time, and says why; the engine's own limit otherwise.
   */
  lineLimit?: { ms: number; why: string };
  /** a program that can hold the player's terminal (an interactive client's own prompt): its lines while it does */
  program?: TerminalProgram;
}

/**
 * A program the player started that reads the terminal itself: while prompt() is not null, each
 * typed line is its input instead of bash's, and its state lives in the world (a save made inside
 * it resumes inside it).
 */
export interface TerminalProgram {
  /** the program's prompt while it holds the terminal; null while bash has it */
  prompt(): string | null;
  /** one typed line: what the program printed, and the command line a chapter's clues read it as */
  line(text: string): { stdout: string; stderr: string; argv: string[] };
  /** the terminal went away under it (the ssh session was lost): it ends without a word */
  hangup(): void;
  /** the end of input at its prompt (Ctrl-D): what it prints as it ends */
  eof(): string;
}

/** How the chapter judges the machine and the player. */
export interface JudgeBinding {
  /** the simulation's verdict on every objective right now */
  verdicts(): ObjectiveVerdicts;
  /** is a real fix in effect (starts the week-long check)? */
  fixInEffect(): boolean;
  /**
   * After each spell: what the player saw (plain text) and ran; returns clue ids newly found.
   * Partial observations go into progress.notes.
   */
  detectClues(argvs: string[][], shown: string): string[];
  /** the journal line for a clue, with numbers from the world at this moment */
  journalEntry(clueId: string): string;
  /** world happenings since the last call that the story reacts to: knot names (e.g. 'event_oom_again') */
  drainEvents(): string[];
}

export interface StoryBinding {
  /** functions ink may call; side-effect free */
  externals(): Record<string, (...args: any[]) => string | number | boolean>;
}
