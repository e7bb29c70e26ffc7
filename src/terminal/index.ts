/**
 * The interactive terminal game: title screen -> session -> shell -> back to the title screen.
 *
 * Start-up stays lean: chalk and inquirer (both ESM-only) are loaded with dynamic imports only
 * here, only when the interactive mode actually runs, and only if not injected.
 */
import type { ChapterInfo } from '../../engine/index';
import type { PlaySession } from '../session-api';
import { createRenderer, loadChalkColors, plainColors, type Colors } from './render';
import { runRepl, type ChapterEndMode, type ReplExit } from './repl';
import { loadInquirerMenu, runTitleScreen, type Menu, type TitleChoice } from './title';

// src/interactive.ts takes it from here (through require()) to decide on colour
export { noColorRequested } from './render';

/** What the title screen can ask a session for. */
export type SessionChoice = Exclude<TitleChoice, { action: 'quit' }>;

interface TerminalGameDeps {
  /** a new game at a chapter, or the saved game (the session owns saves) */
  createSession: (choice: SessionChoice) => Promise<PlaySession>;
  chapters: readonly ChapterInfo[];
  /** asked before every title screen: a save may have appeared since */
  hasContinue: () => Promise<boolean>;
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
  onChapterEnd?: ChapterEndMode;
  /** skip the title screen the first time round and start with this (`grimoire play N`) */
  start?: SessionChoice;
}

/** One finished play-through of the title -> shell loop, for callers that want to log it. */
interface TerminalGameRun {
  choice: SessionChoice;
  exit: ReplExit | 'failed';
}

export async function runTerminalGame(deps: TerminalGameDeps): Promise<TerminalGameRun[]> {
  const { stdin, stdout } = deps;
  const isTTY = Boolean(stdin.isTTY);
  const [colors, menu] = await Promise.all([
    deps.colors ?? (deps.color ? loadChalkColors() : Promise.resolve(plainColors)),
    deps.menu ?? loadInquirerMenu({ input: stdin, output: stdout }),
  ]);
  const chapterNames = new Map(deps.chapters.map((ch) => [ch.id, `Chapter ${ch.number}: ${ch.title}`]));
  const renderer = createRenderer(colors, {
    width: () => stdout.columns,
    unicode: deps.unicode,
    chapterName: (id) => chapterNames.get(id),
  });

  const runs: TerminalGameRun[] = [];
  let firstScreen = true;
  for (;;) {
    let hasContinue = false;
    try {
      hasContinue = await deps.hasContinue();
    } catch {
      hasContinue = false;
    }
    const direct = firstScreen ? deps.start : undefined;
    const choice =
      direct ??
      (await runTitleScreen({
        menu,
        output: stdout,
        chapters: deps.chapters,
        hasContinue,
        art: deps.art !== false && firstScreen,
        colors,
      }));
    firstScreen = false;
    if (choice.action === 'quit') return runs;

    let session: PlaySession;
    try {
      session = await deps.createSession(choice);
    } catch (err) {
      const what = choice.action === 'continue' ? 'the saved game' : `chapter ${choice.chapter}`;
      stdout.write(renderer.render([{ kind: 'error', text: `grimoire: could not open ${what}: ${errorText(err)}` }]));
      runs.push({ choice, exit: 'failed' });
      continue;
    }
    const exit = await runRepl({
      session,
      input: stdin,
      output: stdout,
      renderer,
      isTTY,
      signals: deps.signals,
      onChapterEnd: deps.onChapterEnd,
    });
    runs.push({ choice, exit });
    stdout.write('\n');
    // the input itself ended (a pipe ran dry, the terminal went away): no one is left to ask
    if (exit === 'eof' && (!isTTY || inputEnded(stdin))) return runs;
  }
}

function inputEnded(stream: NodeJS.ReadableStream): boolean {
  const s = stream as NodeJS.ReadableStream & { readableEnded?: boolean; destroyed?: boolean };
  return Boolean(s.readableEnded || s.destroyed);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
