import type { Chart } from '../types';

/**
 * The contract between the shell (parser, pipes, expansions, text utilities) and the world it
 * runs in. The shell knows nothing of kernels or chapters: a chapter hands it a ShellEnv.
 */

export interface CommandResult {
  stdout: string;
  stderr: string;
  /** exit status, 0 = success */
  code: number;
}

/** ENOTSIM is the grimoire's own, not the kernel's: a change to a file this world renders rather than keeps (a syslog stream) */
export type Errno = 'ENOENT' | 'EACCES' | 'EISDIR' | 'ENOTDIR' | 'EINVAL' | 'EROFS' | 'EPERM' | 'EEXIST' | 'ENOSPC' | 'EDQUOT' | 'ESRCH' | 'EBUSY' | 'ENOMEM' | 'ENOTEMPTY' | 'EXDEV' | 'ENOTSIM' | 'ELOOP';

export type FsResult<T> = { ok: true; value: T } | { ok: false; errno: Errno };

export interface FsStat {
  /** 'link' only from lstat: stat follows a symbolic link to what it names */
  type: 'file' | 'dir' | 'link';
  /** permission bits, e.g. 0o400 */
  mode: number;
  owner: string;
  group: string;
  size: number;
  /** virtual ms since the epoch */
  mtime: number;
  /** a symbolic link's target, as readlink(2) gives it (lstat of a link only) */
  target?: string;
}

/** The simulated filesystem as the shell sees it. user is the effective user of the caller. */
export interface Vfs {
  stat(path: string): FsResult<FsStat>;
  read(path: string, user: string): FsResult<string>;
  write(path: string, data: string, user: string, opts?: { append?: boolean }): FsResult<void>;
  list(path: string, user: string): FsResult<string[]>;
  remove(path: string, user: string): FsResult<void>;
  /**
   * The file in chunks of whole lines, oldest first or, with reverse, newest chunk first (the
   * lines inside a chunk stay in file order), without the whole text in memory when the file is
   * rendered from records. An array is text already in memory; anything else is rendered as it is
   * read. `gunzip` reads a compressed file's content, as zcat does; without it a compressed file
   * is EINVAL.
   */
  readChunks?(path: string, user: string, opts?: { reverse?: boolean; gunzip?: boolean }): FsResult<Iterable<TextChunk>>;
}

/**
 * Some whole lines of a file, each with its newline (only the file's last line may lack one). A
 * log of hundreds of MB is read this way, a record at a time rather than a line at a time, and a
 * reader that only counts lines need not have the text rendered at all.
 */
export interface TextChunk {
  /** the newlines in text */
  readonly newlines: number;
  /** the lines (a chunk rendered from records may render them only when this is read) */
  readonly text: string;
  /**
   * What the lines are made of, when the chunk knows without rendering them: line k is one of
   * `leads`, then `digits` decimal digits, then `tails[k]` (its newline included). A string that
   * starts with no digit and is neither in a lead nor starts with a lead's end can only be in a
   * tail: grep counts it there.
   */
  readonly parts?: ChunkParts;
}

export interface ChunkParts {
  readonly leads: readonly string[];
  readonly digits: number;
  readonly tails: readonly string[];
  /** tails the chunk shares with others: its own are these but at `changed`, so a search of them can be kept */
  readonly shared?: { readonly tails: readonly string[]; readonly changed: readonly number[] };
  /** line k alone, with its newline: what it is in text */
  line(k: number): string;
}

/** what sudo logs of a command it ran: who, as whom, from where, and the program with its arguments */
export interface SudoEvent {
  user: string;
  runas: string;
  cwd: string;
  /** the program's full path and its arguments, as sudo's COMMAND= shows them */
  command: string;
  /** sudo logs the command before it runs it ('run'), and closes its PAM session after ('done') */
  phase: 'run' | 'done';
  /** virtual ms */
  at: number;
}

export interface CommandContext {
  /** argv[0] is the command name as typed */
  argv: string[];
  /** what was piped in ('' when nothing) */
  stdin: string;
  /** the effective user: 'root' under sudo, otherwise the login user */
  user: string;
  /** the current directory */
  cwd: string;
  env: ShellEnv;
}

export type CommandCategory = 'shell' | 'text' | 'files' | 'processes' | 'memory' | 'network' | 'packages' | 'logs' | 'game' | 'incantation';

export interface CommandSpec {
  name: string;
  /** one line for `help` */
  summary: string;
  /** the man page, in our own words: NAME, SYNOPSIS, DESCRIPTION, EXAMPLES sections */
  man: string;
  category: CommandCategory;
  run(ctx: CommandContext): CommandResult;
  /** extra words for tab completion of this command's arguments (flags, sub-commands) */
  completions?: readonly string[];
  /** what this command's arguments usually are, so tab completion can offer the right things */
  argKind?: 'path' | 'pid' | 'command' | 'none';
  /** where the program lives on the box, when not where the base system keeps it (e.g. a chapter's daemon in /usr/sbin) */
  path?: string;
}

export interface CommandRegistry {
  get(name: string): CommandSpec | undefined;
  names(): string[];
}

export interface ShellEnv {
  commands: CommandRegistry;
  fs: Vfs;
  /** the login user (the shell's own user; redirections use this even under sudo) */
  loginUser: string;
  hostname: string;
  /** can this user sudo? */
  sudoers: readonly string[];
  /** virtual ms since the epoch */
  now(): number;
  /**
   * let virtual time pass (sleep, slow commands); the world runs meanwhile. It may stop short:
   * at the line's limit of virtual time, or at Ctrl-C (then interrupted() says so).
   */
  advance(ms: number): void;
  /** virtual ms this line may still let pass; unlimited when absent */
  timeLeft?(): number;
  /** the world's own, tighter limit on one line's virtual time, and why it has one */
  lineLimit?: { ms: number; why: string };
  /**
   * true once the player has pressed Ctrl-C while this line runs: the shell stops the line before
   * its next command, as bash does on SIGINT. Asked now and then; it must stay true once true.
   */
  interrupted?(): boolean;
  /** PIDs of live processes, for tab completion */
  pids(): number[];
  /** $$: the PID of the player's login shell, 0 when the player has none (cron's shell, no login) */
  shellPid?(): number;
  /** environment variables visible to $VAR expansion */
  vars: Record<string, string>;
  /** called once per simple command that ran, for the spellbook and objectives */
  onCommand?(argv: string[], user: string, result: CommandResult): void;
  /** sudo ran a command: the machine's auth.log records it */
  onSudo?(e: SudoEvent): void;
  /** a command drew a chart on the terminal (its data; the text is in its output as well) */
  onChart?(chart: Chart): void;
  /** bills the moment a spell takes now, so that `time` measures only what the pipeline itself took */
  startClock?(): void;
  /** CPU ms the simulated processes of this session have used so far (utime, stime) */
  cpuUsed?(): { userMs: number; sysMs: number };
  /**
   * Charges work a command does in bulk (characters a pattern looked at, backtracking steps) to
   * the line's budget; throws to stop the line once it is used up. The shell provides it to the
   * commands it runs.
   */
  work?(units: number): void;
}
