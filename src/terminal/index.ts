/**
 * The interactive terminal game: title screen -> session -> shell -> back to the title screen.
 *
 * Start-up stays lean: chalk and inquirer (both ESM-only) are loaded with dynamic imports only
 * here, only when the interactive mode actually runs, and only if not injected.
 */
import type { ChapterInfo } from '../../engine/index';
import type { PlaySession } from '../session-api';
import type { InterruptSource } from './interrupt';
import { createRenderer, loadChalkColors, plainColors, type Colors } from './render';
import type { ChapterEndMode, ReplExit } from './repl';
import { loadInquirerMenu, NO_SAVED_GAME, runTitleScreen, type ContinueState, type Menu, type TitleChoice } from './title';

// src/interactive.ts takes these from here (through require()): colour, and Ctrl-C during a line
export { noColorRequested } from './render';
export { ttyInterrupts } from './interrupt';
export type { ContinueState } from './title';

/** What the title screen can ask a session for. */
export type SessionChoice = Exclude<TitleChoice, { action: 'quit' }>;

interface TerminalGameDeps {
  /** a new game at a chapter, or the saved game (the session owns saves) */
  createSession: (choice: SessionChoice) => Promise<PlaySession>;
  chapters: readonly ChapterInfo[];
  /** asked before every title screen: a save may have appeared (or been damaged) since */
  continueState: () => Promise<ContinueState>;
  /**
   * What continueState will most likely say, found without reading the saves (whether any is
   * there): the first title screen is drawn from it while they are read.
   */
  continueGuess?: () => Promise<ContinueState>;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** colour wanted (the CLI decides: --no-color, NO_COLOR, not a TTY...) */
  color: boolean;
  /** injected in tests; loaded from inquirer otherwise */
  menu?: Menu;
  /** injected in tests; chalk (when color) or plain otherwise */
  colors?: Colors;
  /** box drawing and check marks (default true); false for TERM=dumb style terminals */
  unicode?: boolean;
  /** print the banner on the title screen (default true) */
  art?: boolean;
  /** process-level SIGINT source for non-TTY input (pass `process`) */
  signals?: Pick<NodeJS.EventEmitter, 'on' | 'removeListener'>;
  /** how a running line learns of Ctrl-C (ttyInterrupts for a terminal); never interrupted without it */
  interrupts?: InterruptSource;
  onChapterEnd?: ChapterEndMode;
  /** skip the title screen the first time round and start with this (`grimoire play N`) */
  start?: SessionChoice;
}

/** One finished play-through of the title -> shell loop, for callers that want to log it. */
interface TerminalGameRun {
  choice: SessionChoice;
  exit: ReplExit | 'failed';
}

/**
 * The title screen and the game, until the player leaves. Leaving is `quit` (exit, logout), Ctrl-D
 * on an empty line, or the input ending; only a finished chapter goes back to the title screen.
 * The title screen needs a terminal: with input from a pipe the game starts with `start` (or
 * nothing is shown at all) and ends when that game does, so no line meant for the game is ever
 * read by the menu.
 */
export async function runTerminalGame(deps: TerminalGameDeps): Promise<TerminalGameRun[]> {
  const { stdin, stdout } = deps;
  const isTTY = Boolean(stdin.isTTY);
  const runs: TerminalGameRun[] = [];
  if (!isTTY && !deps.start) {
    stdout.write('grimoire: the title screen needs a terminal. To feed spells from a pipe or a file: grimoire play N --script -\n');
    return runs;
  }
  // the first title screen's guess at the saves is looked up (a folder listing) while chalk loads
  const guessing = isTTY && !deps.start && deps.continueGuess ? deps.continueGuess().catch(() => undefined) : undefined;
  const [colors, menu] = await Promise.all([
    deps.colors ?? (deps.color ? loadChalkColors() : Promise.resolve(plainColors)),
    // no menu without a terminal: inquirer is never loaded, and never reads the player's lines
    isTTY ? (deps.menu ?? loadInquirerMenu({ input: stdin, output: stdout })) : Promise.resolve(null),
  ]);
  const chapterNames = new Map(deps.chapters.map((ch) => [ch.id, `Chapter ${ch.number}: ${ch.title}`]));
  const renderer = createRenderer(colors, {
    width: () => stdout.columns,
    unicode: deps.unicode,
    chapterName: (id) => chapterNames.get(id),
  });

  let firstScreen = true;
  for (;;) {
    const direct = firstScreen ? deps.start : undefined;
    let choice: TitleChoice;
    if (direct) {
      choice = direct;
    } else {
      if (!menu) return runs;
      const continueState = (): Promise<ContinueState> =>
        Promise.resolve()
          .then(() => deps.continueState())
          .catch((err: unknown) => ({ ...NO_SAVED_GAME, problem: { message: `The saved games could not be read: ${errorText(err)}` } }));
      // a guess is worth it only while the menu still has to be drawn before inquirer is there
      const continueGuess = firstScreen ? await guessing : undefined;
      choice = await runTitleScreen({
        menu,
        output: stdout,
        chapters: deps.chapters,
        continueState,
        ...(continueGuess ? { continueGuess } : {}),
        art: deps.art !== false && firstScreen,
        colors,
        width: stdout.columns,
      });
    }
    firstScreen = false;
    if (choice.action === 'quit') return runs;

    let session: PlaySession;
    try {
      session = await deps.createSession(choice);
    } catch (err) {
      const what = choice.action === 'continue' ? 'the saved game' : `chapter ${choice.chapter}`;
      stdout.write(renderer.render([{ kind: 'error', text: `grimoire: could not open ${what}: ${errorText(err)}` }]));
      runs.push({ choice, exit: 'failed' });
      if (!menu) return runs;
      continue;
    }
    // the shell (and node:readline) once a game starts: the title screen is drawn without them
    const { runRepl } = require('./repl') as typeof import('./repl');
    const exit = await runRepl({
      session,
      input: stdin,
      output: stdout,
      renderer,
      isTTY,
      signals: deps.signals,
      interrupts: deps.interrupts,
      onChapterEnd: deps.onChapterEnd,
    });
    runs.push({ choice, exit });
    stdout.write('\n');
    // quit, Ctrl-D, a signal, or the input ran dry: the player has left. A finished chapter goes
    // back to the title screen, if there is one and someone left to read it.
    if (exit !== 'chapter-end' || !menu || inputEnded(stdin)) return runs;
  }
}

function inputEnded(stream: NodeJS.ReadableStream): boolean {
  const s = stream as NodeJS.ReadableStream & { readableEnded?: boolean; destroyed?: boolean };
  return Boolean(s.readableEnded || s.destroyed);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
