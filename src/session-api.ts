import type { Completion, GameResult, OutputBlock, StepOptions } from '../engine/index';

/**
 * A front-end-agnostic play session: the game plus everything that touches the outside world
 * (save slots, export/import, transcripts). Terminal, script mode and the Discord bot all drive
 * one of these; they differ only in how they read lines and render blocks.
 */
export interface SessionOutput {
  blocks: OutputBlock[];
  /** the player asked to leave (quit, exit, logout) */
  quit?: boolean;
}

export interface PlaySession {
  readonly chapter: string;
  readonly seed: number;
  prompt(): string;
  /** the opening blocks (briefing on a new game, a "resumed" note on a loaded one) */
  open(): SessionOutput;
  /** `opts` goes to the engine's step (e.g. `interrupted`, polled while a long line runs) */
  handle(line: string, opts?: StepOptions): Promise<SessionOutput>;
  complete(line: string): Completion;
  /** lines typed so far, oldest first (restored with a save) */
  history(): readonly string[];
  result(): GameResult;
  /**
   * Flush whatever must survive the process (the transcript). Resolves with blocks to show the
   * player when something could not be written (a transcript refused or failed); never rejects
   * for that.
   */
  close(): Promise<SessionOutput>;
}
