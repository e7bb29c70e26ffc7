/**
 * Ctrl-C while a line runs.
 *
 * The engine runs a line synchronously, so neither readline's keypress handler nor a SIGINT
 * listener can run until the line is over. Instead the engine polls `interrupted()` (engine/api.ts
 * StepOptions) now and then, and this module answers it by reading the terminal itself: while a
 * line runs, /dev/tty is opened with O_NONBLOCK and read without waiting, at most once every
 * `intervalMs` of wall time. readline keeps the terminal in raw mode, so Ctrl-C arrives there as
 * the byte 0x03 instead of a signal.
 *
 * Bytes read that are not a Ctrl-C are keys typed ahead; they are handed back to the input stream
 * readline reads, in order, so nothing typed is lost. Like a terminal's own interrupt, a Ctrl-C
 * discards the keys typed ahead with it. Without a terminal (no /dev/tty, a pipe) nothing is read
 * and `interrupted()` is always false.
 */
import * as fs from 'node:fs';

/** Where a running line learns that the player pressed Ctrl-C. */
export interface InterruptSource {
  /** a line starts running: returns the check to hand to the engine (StepOptions.interrupted) */
  begin(): () => boolean;
  /** the line is done: whether Ctrl-C was pressed while it ran */
  end(): boolean;
}

/** Never interrupted: for input that is not a terminal. */
export const NO_INTERRUPTS: InterruptSource = Object.freeze({
  begin: () => () => false,
  end: () => false,
});

const CTRL_C = 0x03;
export const DEFAULT_INTERVAL_MS = 50;
/** typed-ahead keys kept per line at most; a paste bigger than this loses its tail, never the game */
const MAX_TYPEAHEAD = 64 * 1024;

type FsLike = Pick<typeof fs, 'openSync' | 'readSync' | 'closeSync'>;

interface TtyInterruptOptions {
  /** the stream readline reads: typed-ahead keys are pushed back onto it */
  input: NodeJS.ReadableStream;
  /** default /dev/tty */
  path?: string;
  /** read the terminal at most this often (default 50 ms) */
  intervalMs?: number;
  /** the wall clock in ms (default Date.now) */
  now?: () => number;
  /** injected in tests */
  fs?: FsLike;
}

/** The terminal as an interrupt source (see the top of this file). */
export function ttyInterrupts(opts: TtyInterruptOptions): InterruptSource {
  const io: FsLike = opts.fs ?? fs;
  const file = opts.path ?? '/dev/tty';
  const interval = opts.intervalMs ?? DEFAULT_INTERVAL_MS;
  const now = opts.now ?? Date.now;
  const input = opts.input as NodeJS.ReadableStream & { push?: (chunk: Buffer) => boolean; readableEnded?: boolean; destroyed?: boolean };

  let fd: number | null = null;
  let unavailable = false; // opening failed once: no terminal to read, don't try again
  let fired = false;
  let lastRead = 0;
  let typedAhead = 0;
  const buf = Buffer.alloc(4096);

  const close = (): void => {
    if (fd === null) return;
    try {
      io.closeSync(fd);
    } catch {
      // nothing to do
    }
    fd = null;
  };

  const giveBack = (chunk: Buffer): void => {
    if (typedAhead + chunk.length > MAX_TYPEAHEAD) return;
    typedAhead += chunk.length;
    // The line runs synchronously and readline's input is paused meanwhile: nothing else can be read
    // from the terminal until it is over, so appending keeps every key in the order it was typed.
    if (typeof input.push !== 'function' || input.readableEnded || input.destroyed) return;
    try {
      input.push(chunk);
    } catch {
      // the stream is gone; so is whoever would have read the keys
    }
  };

  const poll = (): void => {
    while (fd !== null) {
      let n: number;
      try {
        n = io.readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK') close(); // the terminal went away
        return;
      }
      if (n <= 0) return close();
      const chunk = Buffer.from(buf.subarray(0, n));
      if (chunk.includes(CTRL_C)) {
        // a terminal flushes its input on an interrupt; so do we, and stop reading
        fired = true;
        return close();
      }
      giveBack(chunk);
    }
  };

  const interrupted = (): boolean => {
    if (fired || fd === null) return fired;
    const t = now();
    if (t - lastRead < interval) return false;
    lastRead = t;
    poll();
    return fired;
  };

  return {
    begin() {
      close();
      fired = false;
      typedAhead = 0;
      lastRead = now();
      if (!unavailable) {
        try {
          fd = io.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | (fs.constants.O_NOCTTY ?? 0));
        } catch {
          unavailable = true;
        }
      }
      return interrupted;
    },
    end() {
      close();
      return fired;
    },
  };
}
