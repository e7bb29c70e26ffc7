/**
 * What the formatters' argument parsers hand back: the options to format with, or what the tool
 * prints and returns instead. The parsing itself is the shell's getopt (engine/shell/getopt.ts),
 * the one getopt_long of this world.
 */

/** What a command prints and returns when it does not go on to format anything. */
export interface ToolExit {
  stdout: string;
  stderr: string;
  code: number;
}

export type ParsedArgs<T> = { ok: true; options: T } | ({ ok: false } & ToolExit);

export function exitWith(stdout: string, stderr: string, code: number): { ok: false } & ToolExit {
  return { ok: false, stdout, stderr, code };
}

/** The "‘x’" quoting coreutils and util-linux use in a UTF-8 locale (Ubuntu's default en_US.UTF-8). */
export function quoteUtf8(s: string): string {
  return `\u2018${s}\u2019`;
}
