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

/** What a front end tells the session about a line, besides what the engine takes. */
export interface HandleOptions extends StepOptions {
  /**
   * More input is already waiting (script mode reading a file or a pipe): the autosave of this
   * line may be put off and made with a later one (at most AUTOSAVE_DEFER_MS after the last
   * save), or when the input runs dry, or at close(). A line the game then waits after is always
   * saved before the game waits.
   */
  moreQueued?: boolean;
}

export interface PlaySession {
  readonly chapter: string;
  readonly seed: number;
  prompt(): string;
  /** the opening blocks (briefing on a new game, a "resumed" note on a loaded one) */
  open(): SessionOutput;
  /** `opts` goes to the engine's step (e.g. `interrupted`, polled while a long line runs) */
  handle(line: string, opts?: HandleOptions): Promise<SessionOutput>;
  /**
   * Ctrl-D on an empty line: a program holding the terminal (the mongo shell) ends, as at a real
   * terminal, and null comes back when bash has the terminal (the player is leaving).
   */
  endOfInput?(): Promise<SessionOutput | null>;
  /** a program the player started holds the terminal (the mongo shell) */
  programRunning?(): boolean;
  complete(line: string): Completion;
  /** lines typed so far, oldest first (restored with a save) */
  history(): readonly string[];
  result(): GameResult;
  /**
   * Flush whatever must survive the process (an autosave put off, the transcript). Resolves with blocks to show the
   * player when something could not be written (a transcript refused or failed); never rejects
   * for that.
   */
  close(): Promise<SessionOutput>;
}
