/**
 * Command-line options shared by the `grimoire` command (cli.ts) and the modes it starts
 * (play.ts, interactive.ts). Types only, so importing it never loads anything.
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
}
