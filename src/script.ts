import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { PlaySession, SessionOutput } from './session-api';
import { blocksToPlainText, countOf } from './text/plain';

/**
 * Script mode: lines are read as they arrive and each line's output is written and flushed before
 * the next line is taken, so another program can drive the game through a pipe, one line at a time.
 *
 * When the output is closed early (`| head -1`) the run stops there, quietly, as Unix tools do:
 * no more lines are read, the session is still closed (so a --transcript is written) and the
 * answer says whether the chapter was solved by then. What the session could not write when it
 * closed (the transcript) is reported on `warn`; the result line and the answer stay true.
 */
interface ScriptOptions {
  json: boolean;
  /** print the opening (briefing) before the first line; text mode only */
  showOpening: boolean;
  /** where problems that are not the game's output go (default: standard error) */
  warn?: (message: string) => void;
}

/** Writes in order, each flushed before the next; once the stream fails, every later write fails at once. */
class FlushedWriter {
  failed: Error | null = null;
  private readonly onError = (err: Error): void => {
    this.failed ??= err;
  };

  constructor(private readonly out: Writable) {
    // without a listener a closed pipe's EPIPE is thrown as an uncaught exception
    out.on('error', this.onError);
  }

  write(text: string): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => {
        this.out.removeListener('error', onError);
        reject(err);
      };
      // some failures reach only the 'error' event, others only the callback
      this.out.once('error', onError);
      this.out.write(text, (err) => {
        this.out.removeListener('error', onError);
        if (err) {
          this.failed ??= err;
          reject(err);
        } else {
          resolve();
        }
      });
    });
  }

  dispose(): void {
    // an error emitted after the run (a late EPIPE) must not crash the process either
    if (!this.failed) this.out.removeListener('error', this.onError);
  }
}

/**
 * The lines of a readline interface, one at a time, and whether more are already waiting. Reading
 * pauses while many are waiting (`yes |` never fills memory) and resumes as they are taken.
 */
class LineQueue {
  private readonly lines: string[] = [];
  private ended = false;
  private wake: (() => void) | null = null;
  private static readonly HIGH_WATER = 1024;

  constructor(private readonly rl: ReturnType<typeof createInterface>) {
    rl.on('line', (line) => {
      this.lines.push(line);
      if (this.lines.length >= LineQueue.HIGH_WATER) rl.pause();
      this.wake?.();
    });
    rl.on('close', () => {
      this.ended = true;
      this.wake?.();
    });
  }

  /** the next line, or null when the input has ended */
  async next(): Promise<string | null> {
    while (this.lines.length === 0 && !this.ended) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
    const line = this.lines.shift();
    if (this.lines.length < LineQueue.HIGH_WATER / 2) this.rl.resume();
    return line ?? null;
  }

  /** whether another line has arrived already */
  waiting(): boolean {
    return this.lines.length > 0;
  }
}

export async function runScript(session: PlaySession, input: Readable, output: Writable, opts: ScriptOptions): Promise<boolean> {
  const warn = opts.warn ?? ((message: string) => void process.stderr.write(`grimoire: ${message}\n`));
  const out = new FlushedWriter(output);
  let rl: ReturnType<typeof createInterface> | null = null;
  try {
    if (!opts.json && opts.showOpening) {
      const opening = blocksToPlainText(session.open().blocks);
      if (opening) await out.write(opening + '\n');
    } else {
      session.open();
    }
    // created right before the loop: lines readline emits before iteration begins would be lost
    rl = createInterface({ input, crlfDelay: Infinity, terminal: false });
    const lines = new LineQueue(rl);
    for (let raw = await lines.next(); raw !== null; raw = await lines.next()) {
      const line = raw.replace(/\r$/, '');
      const prompt = session.prompt();
      // with more lines already waiting, the session may put this line's autosave off (session-api.ts)
      const res = await session.handle(line, { moreQueued: lines.waiting() });
      const text = blocksToPlainText(res.blocks);
      if (opts.json) {
        // the typed blocks beside the flat text: a grader reads what kind each part is without parsing words
        await out.write(JSON.stringify({ input: line, output: text, blocks: res.blocks }) + '\n');
      } else {
        // each line appears after its prompt, as it would on a terminal
        await out.write(`${prompt}${line}\n${text ? text + '\n' : ''}`);
      }
      // after a quit the rest of the input is left unread (draining it could take forever: `yes |`)
      if (res.quit) break;
    }
  } catch (err) {
    // the output was closed (or failed): stop reading, but still close the session below
    if (!out.failed) throw err;
  } finally {
    rl?.close();
  }

  // the transcript is written here; a failure to write it is told, and changes nothing about the run
  let problems: string;
  try {
    const closed = (await session.close()) as Partial<SessionOutput> | undefined;
    problems = blocksToPlainText(closed?.blocks ?? []);
  } catch (err) {
    problems = err instanceof Error ? err.message : String(err);
  }
  if (problems) warn(problems);
  const result = session.result();
  try {
    if (opts.json) {
      await out.write(JSON.stringify({ result }) + '\n');
    } else {
      await out.write(
        `\n-- ${result.solved ? 'solved' : 'not solved'}: chapter ${result.chapter}, ${countOf(result.spells, 'spell')}, ${countOf(result.hints, 'hint')}, ${result.virtualTime} of machine time --\n`,
      );
    }
  } catch (err) {
    if (!out.failed) throw err;
  }
  out.dispose();
  return result.solved;
}
