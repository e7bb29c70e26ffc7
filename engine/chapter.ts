import type { ChapterInfo } from './api';
import type { ObjectiveDef, ObjectiveVerdicts } from './objectives';
import type { Rng } from './rng';
import type { CommandSpec } from './shell/types';
import type { Json } from './types';
import type { VfsProvider } from './vfs/vfs';
import type { FileStore } from './vfs/store';

/**
 * What a chapter folder provides. The engine owns the flow, the story runner, hints, journal and
 * the shell; a chapter owns its world (the simulated machine), its spells and how the world is
 * judged. A chapter holds no state of its own: bind() wraps the JSON world that lives in the game
 * state, so saving and loading never needs the chapter's cooperation.
 */
export interface ChapterModule {
  info: ChapterInfo;
  objectives: readonly ObjectiveDef[];
  /** how many graduated hints the story has; the last one gives the answer */
  hintLevels: number;
  /** the compiled ink story and its version (a content hash) */
  story(): { json: object; version: string };
  /** a fresh world for this seed, history included (the incident is already under way) */
  createWorld(rng: Rng): Json;
  bind(world: Json, rng: Rng, progress: ChapterProgress): ChapterBinding;
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
  loginUser: string;
  hostname: string;
  home: string;
  sudoers: readonly string[];
  vars: Record<string, string>;
  files: FileStore;
  providers: VfsProvider[];
  commands: CommandSpec[];
  now(): number;
  /** runs the world up to ms; cron jobs the world starts run through runCommand */
  advanceTo(ms: number, runCommand: (line: string, user: string) => void): void;
  pids(): number[];
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
  /**
   * Before each spell: if the player's session was lost (the machine went down), wait for the
   * machine, log back in, and say what happened. advance lets virtual time pass meanwhile.
   */
  beforeSpell(advance: (ms: number) => void): string[];
  /** world happenings since the last call that the story reacts to (e.g. 'event_oom_again') */
  drainEvents(): string[];
  /** functions ink may call; side-effect free */
  externals(): Record<string, (...args: any[]) => string | number | boolean>;
  /** the world as JSON (the binding may have replaced parts of it) */
  world(): Json;
}
