import type { Errno, Vfs } from './types';
import type { OutputChunk } from './io';
import { LIMITS } from './limits';

/**
 * Thrown to stop the whole line: it has done more work than one turn allows, or the player pressed
 * Ctrl-C. The message is printed after `who: ` (bash's own name unless a command is named), and
 * the line ends with `code` as its status.
 */
export class ShellAbort extends Error {
  constructor(
    message: string,
    readonly opts: { who?: string; code?: number; silent?: boolean } = {},
  ) {
    super(message);
  }
}

/** Ctrl-C: the line stops where it is, as bash's would on SIGINT, with status 130 and nothing printed. */
export class Interrupted extends ShellAbort {
  constructor() {
    super('interrupted', { code: 130, silent: true });
  }
}

/** Work done so far by one typed line, shared by every nested shell it starts. */
export class Budget {
  output = 0;
  commands = 0;

  terminal = 0;

  spendOutput(n: number): void {
    this.output += n;
    if (this.output > LIMITS.output) {
      throw new ShellAbort(`output limit reached: one line may print, pipe and write at most ${LIMITS.output} characters; the rest was not run`);
    }
  }

  spendTerminal(n: number): void {
    this.terminal += n;
    if (this.terminal > LIMITS.terminal) {
      throw new ShellAbort(`output limit reached: one line may print at most ${LIMITS.terminal} characters; the rest was not run`);
    }
    this.spendOutput(n);
  }

  work = 0;

  spendWork(n: number): void {
    this.work += n;
    if (this.work > LIMITS.work) {
      throw new ShellAbort(`work limit reached: this line read and matched more text than one turn allows; the rest was not run`);
    }
  }

  spendCommand(): void {
    this.commands += 1;
    if (this.commands > LIMITS.commands) {
      throw new ShellAbort(`work limit reached: one line may run at most ${LIMITS.commands} commands; the rest was not run`);
    }
  }
}

/** Where a file descriptor's bytes go. */
export interface Sink {
  write(text: string): void;
  /** does this end at the player's terminal (ls prints columns there) */
  readonly tty: boolean;
}

export class TerminalSink implements Sink {
  readonly tty = true;
  constructor(
    private readonly chunks: OutputChunk[],
    private readonly stream: 'stdout' | 'stderr',
    private readonly budget: Budget,
  ) {}

  write(text: string): void {
    if (!text) return;
    this.budget.spendTerminal(text.length);
    this.chunks.push({ stream: this.stream, text });
  }
}

/** A pipe or a command substitution: collects text for whoever reads it next. */
export class BufferSink implements Sink {
  readonly tty = false;
  private readonly parts: string[] = [];
  constructor(private readonly budget: Budget) {}

  write(text: string): void {
    if (!text) return;
    this.budget.spendOutput(text.length);
    this.parts.push(text);
  }

  text(): string {
    return this.parts.join('');
  }
}

/** Output of a command run by a builtin (sudo, repeat), kept in order for the builtin's result. */
export class CaptureSink implements Sink {
  constructor(
    private readonly chunks: OutputChunk[],
    private readonly stream: 'stdout' | 'stderr',
    private readonly budget: Budget,
    readonly tty: boolean,
  ) {}

  write(text: string): void {
    if (!text) return;
    this.budget.spendOutput(text.length);
    this.chunks.push({ stream: this.stream, text });
  }
}

/** A file opened by a redirection; each write appends, since the open already truncated. */
export class FileSink implements Sink {
  readonly tty = false;
  /** the first write that failed, to be reported once the command is done */
  failed: Errno | null = null;

  constructor(
    private readonly fs: Vfs,
    readonly path: string,
    private readonly user: string,
    private readonly budget: Budget,
  ) {}

  write(text: string): void {
    if (!text || this.failed) return;
    this.budget.spendOutput(text.length);
    const r = this.fs.write(this.path, text, this.user, { append: true });
    if (!r.ok) this.failed = r.errno;
  }
}

export class NullSink implements Sink {
  readonly tty = false;
  write(): void {}
}

export interface Io {
  stdin: string;
  out: Sink;
  err: Sink;
}
