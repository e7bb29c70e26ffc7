import type { ChunkedResult } from './io';
import type { ShellState } from './state';
import type { CommandContext, CommandSpec } from './types';

/**
 * What a shell builtin (cd, export, sudo, sh -c, repeat) may do beyond an ordinary command:
 * change the shell's own state and run other commands through the shell.
 */
export interface ShellAccess {
  /** the live state of the shell running the builtin; changes persist after the line */
  readonly state: ShellState;
  /** the user the shell itself runs as */
  readonly user: string;
  /** runs one command by argv, as sudo or env would exec it (no parsing, no redirections) */
  runArgv(argv: string[], user: string, stdin: string, extraVars?: Record<string, string>): ChunkedResult;
  /** runs a line in a child shell (sh -c, bash -c); `args` become $0, $1, ... */
  runChild(line: string, user: string, stdin: string, dialect: 'bash' | 'sh', args: string[]): ChunkedResult;
  /** a variable as $NAME expands */
  lookup(name: string): string | undefined;
  /** the environment commands receive */
  environment(): Record<string, string>;
  /** the login user's home directory ($HOME) */
  home(): string;
  /** is there a command (registered, or a shell builtin) by this name */
  isCommand(name: string): boolean;
  /** close names for a mistyped command, for a friendly hint */
  suggestions(name: string): string[];
  /** what starts the shell's own complaints: 'bash', 'sh: 1', './fix.sh: line 1' */
  readonly messagePrefix?: string;
  /** the shell is dash (sh -c, sh FILE, a #!/bin/sh script), which words its complaints its own way */
  readonly dash?: boolean;
  /** false in the player's login shell, where `exit` is the front end's (it closes the book) */
  readonly canExit?: boolean;
  /** set -e / set +e: whether a failing command ends this shell */
  setErrexit?(on: boolean): void;
}

/**
 * Thrown by `exit` to stop the shell that runs it, with its status; the shell that owns the
 * script (sh -c, a script file, a subshell) catches it and returns the status.
 */
export class ShellExit extends Error {
  constructor(
    readonly code: number,
    /** what the shell says as it stops (exit foo) */
    readonly said = '',
  ) {
    super(`exit ${code}`);
  }
}

/**
 * Thrown by `exec CMD`: the command ran in the shell's place, so the shell ends with its status.
 * Its output is what the shell writes last, where exec's own redirections send it.
 */
export class ShellExec extends ShellExit {
  constructor(readonly result: ChunkedResult) {
    super(result.code);
  }
}

export interface BuiltinSpec extends CommandSpec {
  builtin(ctx: CommandContext, sh: ShellAccess): ChunkedResult;
}

/** Builtins need the shell; called on their own (outside runLine) they can only say so. */
export function builtinOnly(name: string): (ctx: CommandContext) => ChunkedResult {
  return () => ({ stdout: '', stderr: `${name}: only the shell can run this builtin\n`, code: 1 });
}
