/**
 * The interactive shell: reads lines with node:readline, hands them to a PlaySession one at a
 * time, and renders what comes back. Streams are injected, so tests drive it with PassThroughs.
 */
import * as readline from 'node:readline';
import type { OutputBlock } from '../../engine/index';
import type { PlaySession, SessionOutput } from '../session-api';
import { NO_INTERRUPTS, type InterruptSource } from './interrupt';
import type { Renderer } from './render';

/** How the loop ended. */
export type ReplExit =
  /** the session said quit (quit, exit, logout) */
  | 'quit'
  /** Ctrl-D on an empty line, or the input stream ended */
  | 'eof'
  /** a process SIGINT when input is not a terminal (at a terminal Ctrl-C clears the line, or stops the running one) */
  | 'interrupt'
  /** the chapter ended and the player went back to the title screen */
  | 'chapter-end';

/** What happens after output containing a chapter-end block. */
export type ChapterEndMode =
  /** wait for Enter ("press Enter to return to the title screen"), then end; in a TTY only */
  | 'pause'
  /** end the loop at once */
  | 'stop'
  /** keep playing; only quit / Ctrl-D / Ctrl-C end the loop */
  | 'continue';

export interface ReplDeps {
  session: PlaySession;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  renderer: Renderer;
  /** input is a terminal: raw-mode line editing, history, completion, Ctrl-C handling */
  isTTY: boolean;
  /**
   * Where process-level SIGINT arrives (pass `process`). Only needed when input is not a
   * terminal: a terminal's Ctrl-C reaches readline as a key instead. The listener is removed
   * when the loop ends.
   */
  signals?: Pick<NodeJS.EventEmitter, 'on' | 'removeListener'>;
  /**
   * How a running line learns of Ctrl-C (see interrupt.ts): begun before each line, its check is
   * handed to session.handle as StepOptions.interrupted. Default: never interrupted.
   */
  interrupts?: InterruptSource;
  /** echo each line after its prompt (default: when input is not a TTY, so transcripts read well) */
  echo?: boolean;
  /** default 'pause' ('stop' when input is not a TTY) */
  onChapterEnd?: ChapterEndMode;
  /** printed when the player leaves with Ctrl-D (or the input ends, or a signal) */
  goodbye?: string;
  /**
   * Things that happen between the player's lines (a facilitator's hint, an exercise's clock
   * running out): called once with a function that shows blocks at once when the prompt waits, or
   * right after the line being handled; `end` then finishes the loop (as 'quit'). Returns what
   * stops them; called when the loop ends.
   */
  notices?: (show: (blocks: readonly OutputBlock[], opts?: { end?: boolean }) => void) => () => void;
}

export const DEFAULT_GOODBYE = 'The grimoire snaps shut.';
const RETURN_NOTE = 'Press Enter to return to the title screen.';

/** The readline completer contract: [candidates, the substring they replace]. */
type CompleterResult = [string[], string];

/** A readline completer backed by session.complete: the substring is line.slice(from). */
export function createCompleter(session: Pick<PlaySession, 'complete'>): (line: string) => CompleterResult {
  return (line: string): CompleterResult => {
    try {
      const { from, candidates } = session.complete(line);
      const start = Math.max(0, Math.min(line.length, Number.isInteger(from) ? from : line.length));
      return [[...candidates], line.slice(start)];
    } catch {
      return [[], line];
    }
  };
}

/** readline wants history newest first; the session keeps it oldest first. */
export function readlineHistory(session: Pick<PlaySession, 'history'>): string[] {
  try {
    return [...session.history()].filter((l) => l.trim().length > 0).reverse();
  } catch {
    return [];
  }
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

/** readline internals used to clear the line on Ctrl-C (present in Node 20+, guarded anyway). */
interface ReadlineInternals {
  line: string;
  cursor: number;
  clearLine?: () => void;
}

/** Ctrl-D at an empty prompt while a program holds the terminal, queued with the lines */
const END_OF_INPUT = Symbol('end of input');

export function runRepl(deps: ReplDeps): Promise<ReplExit> {
  const { session, input, output, renderer, isTTY } = deps;
  const echo = deps.echo ?? !isTTY;
  const chapterEnd: ChapterEndMode = deps.onChapterEnd ?? (isTTY ? 'pause' : 'stop');
  const goodbye = deps.goodbye ?? DEFAULT_GOODBYE;
  const interrupts = deps.interrupts ?? NO_INTERRUPTS;

  return new Promise<ReplExit>((resolve) => {
    const history = readlineHistory(session);
    const rl = readline.createInterface({
      input,
      output,
      terminal: isTTY,
      history,
      historySize: Math.max(1000, history.length),
      removeHistoryDuplicates: false,
      completer: createCompleter(session),
      crlfDelay: Infinity,
      tabSize: 4,
    });

    /** lines typed, and Ctrl-D given to a program holding the terminal, in the order they came */
    const queue: Array<string | typeof END_OF_INPUT> = [];
    let busy = false; // a line is being handled
    let inputClosed = false; // readline closed: Ctrl-D, end of input, or our own close
    let stopping: ReplExit | undefined; // the loop will end once the current line is done
    let atPrompt = false; // a prompt is on screen and the cursor sits after it
    let awaitingReturn = false; // chapter over, waiting for Enter
    let finished = false;
    let lateInterrupt = false; // Ctrl-C reached readline while a line was being finished

    const write = (text: string): void => {
      if (text.length > 0) output.write(text);
    };

    const showBlocks = (blocks: readonly OutputBlock[]): void => {
      try {
        write(renderer.render(blocks));
      } catch (err) {
        write(`grimoire: could not display output: ${messageOf(err)}\n`);
      }
    };

    const showError = (text: string): void => showBlocks([{ kind: 'error', text }]);

    const promptText = (): string => {
      if (awaitingReturn) return '';
      let p: string;
      try {
        p = session.prompt();
      } catch {
        p = '$ ';
      }
      return renderer.prompt(p);
    };

    const showPrompt = (): void => {
      rl.setPrompt(promptText());
      rl.prompt(); // also resumes input paused while a line was handled
      atPrompt = true;
    };

    const onSignal = (): void => {
      if (finished) return;
      if (atPrompt) write('\n');
      atPrompt = false;
      if (busy) stopping = 'interrupt';
      else void finish('interrupt');
    };
    deps.signals?.on('SIGINT', onSignal);

    async function finish(reason: ReplExit): Promise<void> {
      if (finished) return;
      finished = true;
      stopNotices?.();
      deps.signals?.removeListener('SIGINT', onSignal);
      input.removeListener('keypress', onKeypress);
      if (atPrompt) write('\n');
      atPrompt = false;
      if (reason === 'eof' || reason === 'interrupt') write(renderer.note(goodbye));
      if (!inputClosed) rl.close();
      try {
        // what could not be written (a transcript) comes back as blocks to show
        const closed = (await session.close()) as Partial<SessionOutput> | undefined;
        if (Array.isArray(closed?.blocks)) showBlocks(closed.blocks);
      } catch (err) {
        showError(`grimoire: could not close the session: ${messageOf(err)}`);
      }
      resolve(reason);
    }

    /** Ctrl-C stopped a line: show it as a terminal would, and drop what was typed ahead (the tty flushes it too) */
    const showInterrupted = (): void => {
      write('^C\n');
      queue.length = 0;
    };

    async function handleLine(line: string): Promise<void> {
      let out: SessionOutput;
      const interrupted = interrupts.begin();
      let stopped = false;
      try {
        out = await session.handle(line, { interrupted });
      } catch (err) {
        showError(`grimoire: ${messageOf(err)}`);
        return;
      } finally {
        stopped = interrupts.end() || lateInterrupt;
        lateInterrupt = false;
      }
      const blocks = Array.isArray(out?.blocks) ? out.blocks : [];
      showBlocks(blocks);
      if (stopped) showInterrupted();
      if (out?.quit) {
        stopping = 'quit';
      } else if (chapterEnd !== 'continue' && blocks.some((b) => b.kind === 'chapter-end')) {
        if (chapterEnd === 'pause' && isTTY) {
          write(renderer.note(RETURN_NOTE));
          awaitingReturn = true;
        } else {
          stopping = 'chapter-end';
        }
      }
    }

    async function drain(): Promise<void> {
      busy = true;
      rl.pause();
      while (queue.length > 0 && !stopping) {
        const line = queue.shift()!;
        if (line === END_OF_INPUT) {
          await handleEndOfInput();
          showHeldNotices();
          continue;
        }
        if (awaitingReturn) {
          atPrompt = false; // readline moved to a fresh line when Enter was pressed
          stopping = 'chapter-end';
          break;
        }
        if (atPrompt) {
          // readline already echoed what was typed at a terminal prompt
          if (echo) write(`${line}\n`);
        } else if (echo || isTTY) {
          // typed ahead or pasted while the previous line ran: show it at its own prompt
          write(`${promptText()}${line}\n`);
        }
        atPrompt = false;
        await handleLine(line);
        showHeldNotices();
      }
      showHeldNotices();
      busy = false;
      if (stopping) return void finish(stopping);
      if (inputClosed) return void finish(awaitingReturn ? 'chapter-end' : 'eof');
      showPrompt();
    }

    /** the program holding the terminal ends (the mongo shell says bye); bash's prompt comes back */
    async function handleEndOfInput(): Promise<void> {
      try {
        const out = await session.endOfInput?.();
        if (out) showBlocks(Array.isArray(out.blocks) ? out.blocks : []);
      } catch (err) {
        showError(`grimoire: ${messageOf(err)}`);
      }
      atPrompt = false;
    }

    /**
     * At a terminal, readline ends the input on Ctrl-D at an empty line. While a program holds the
     * terminal, the Ctrl-D is the program's, as it would be at a real one: this listener runs before
     * readline's and gives it a character to delete instead, so the input stays open.
     */
    const onKeypress = (_s: unknown, key: { ctrl?: boolean; name?: string } | undefined): void => {
      if (!key?.ctrl || key.name !== 'd' || finished || stopping || awaitingReturn) return;
      const internals = rl as unknown as { line: string; cursor: number };
      if (internals.line !== '' || !session.endOfInput || !session.programRunning?.()) return;
      internals.line = ' ';
      internals.cursor = 0;
      queue.push(END_OF_INPUT);
      if (!busy) void drain();
    };
    if (isTTY) input.prependListener('keypress', onKeypress);

    rl.on('line', (line: string) => {
      if (finished || stopping) return;
      queue.push(line);
      if (!busy) void drain();
    });

    rl.on('close', () => {
      inputClosed = true;
      if (!busy) void finish(awaitingReturn ? 'chapter-end' : 'eof');
    });

    rl.on('SIGINT', () => {
      if (finished) return;
      const internals = rl as unknown as ReadlineInternals;
      if (awaitingReturn) {
        write('^C\n');
        atPrompt = false;
        if (!busy) void finish('chapter-end');
        else stopping = 'chapter-end';
        return;
      }
      if (busy) {
        // typed together with the line being handled (which has already run): it stops that line
        // as a Ctrl-C during it would, and what was typed ahead with it is dropped
        lateInterrupt = true;
        queue.length = 0;
        internals.line = '';
        internals.cursor = 0;
        return;
      }
      // like bash: ^C after whatever was typed, the line dropped, a fresh prompt. Leaving is
      // Ctrl-D on an empty line, or quit.
      rl.write(null, { ctrl: true, name: 'e' });
      write('^C');
      if (typeof internals.clearLine === 'function') {
        internals.clearLine();
      } else {
        write('\n');
        internals.line = '';
        internals.cursor = 0;
      }
      showPrompt();
    });

    // notices that came while a line ran wait for its output
    const heldNotices: Array<{ blocks: readonly OutputBlock[]; end: boolean }> = [];
    function showHeldNotices(): void {
      for (const n of heldNotices.splice(0)) {
        showBlocks(n.blocks);
        if (n.end) stopping ??= 'quit';
      }
    }
    const stopNotices = deps.notices?.((blocks, opts) => {
      if (finished) return;
      const end = opts?.end === true;
      if (busy) {
        heldNotices.push({ blocks, end });
        return;
      }
      if (atPrompt) write('\n');
      atPrompt = false;
      showBlocks(blocks);
      if (end) void finish('quit');
      else showPrompt();
    });

    // the opening: briefing on a new game, a "resumed" note on a loaded one
    let opening: SessionOutput | undefined;
    try {
      opening = session.open();
    } catch (err) {
      showError(`grimoire: ${messageOf(err)}`);
    }
    if (opening) showBlocks(opening.blocks ?? []);
    if (opening?.quit) {
      void finish('quit');
      return;
    }
    showPrompt();
  });
}
