/**
 * Command-line options shared by the `grimoire` command (cli.ts) and the modes it starts
 * (play.ts, interactive.ts), and its exit statuses. Types and constants only, so importing it
 * never loads anything.
 */

/** Options on the `grimoire` command itself, before any subcommand. */
export interface GlobalOptions {
  color: boolean;
  savesDir?: string;
}

/** `grimoire play N` options, together with the global ones. */
export interface PlayOptions extends GlobalOptions {
  script?: string;
  seed?: number;
  json?: boolean;
  save?: string;
  load?: string;
  transcript?: string;
  /** overwrite an existing --transcript FILE even if it is not a grimoire transcript */
  force?: boolean;
}

/** Exit statuses, as `grimoire --help` documents them. */
export const EXIT = Object.freeze({
  /** script mode: the chapter is solved; otherwise: all went well */
  ok: 0,
  /** script mode: the chapter is not solved when the input ends (or the output is closed) */
  notSolved: 1,
  /** a usage error: bad options, a missing file or slot, an output path that cannot be written */
  usage: 2,
  /** a save that cannot be used: damaged with no good copy, or made by a newer game */
  badSave: 3,
});
