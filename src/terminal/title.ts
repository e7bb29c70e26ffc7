/**
 * The title screen: a short banner and a menu (New game, Continue, Chapters, Quit).
 *
 * The menu logic talks to a `Menu` interface; `loadInquirerMenu` is the real, thin adapter over
 * inquirer's select prompt (ESM-only, so it is loaded with a dynamic import when the title
 * screen first runs, in the background while the menu's first frame is already on the screen).
 * Tests script the menu instead.
 */
import type { ChapterInfo } from '../../engine/index';
import { plainColors, wrapText, type Colors } from './render';

export interface MenuChoice<T> {
  name: string;
  value: T;
  description?: string;
  /** true, or the reason shown next to the greyed-out entry */
  disabled?: boolean | string;
}

export interface MenuOptions<T> {
  /** the entry the cursor starts on (the first selectable one when absent) */
  default?: T;
}

export interface Menu {
  /** resolves with the chosen value; rejects with an error named ExitPromptError on Ctrl-C */
  select<T>(message: string, choices: MenuChoice<T>[], options?: MenuOptions<T>): Promise<T>;
  /**
   * Draws a menu at once, as select would first show it, when select itself may take a moment
   * to come; the next select replaces it. Optional: a menu that is always ready has none.
   */
  preview?<T>(message: string, choices: MenuChoice<T>[], options?: MenuOptions<T>): void;
  /** takes a preview off the screen now (so text can go where it was) */
  clearPreview?(): void;
}

export type TitleChoice = { action: 'new'; chapter: string } | { action: 'continue' } | { action: 'quit' };

/** What the title screen knows about a game to continue. */
export interface ContinueState {
  /** a saved game Continue can open */
  available: boolean;
  /** what Continue opens, shown under it (e.g. 'Chapter 1, 2/5 objectives done') */
  description?: string;
  /** a saved game that could not be used: what is wrong, and the file (shown so the player can look) */
  problem?: { file?: string; message: string };
}

export const NO_SAVED_GAME: ContinueState = Object.freeze({ available: false });

export interface TitleScreenDeps {
  menu: Menu;
  output: NodeJS.WritableStream;
  chapters: readonly ChapterInfo[];
  /** what Continue opens; or how to find out, when that means reading the saves */
  continueState: ContinueState | (() => Promise<ContinueState>);
  /**
   * With continueState to be read: what it most likely is (whether there is a save at all). The
   * menu is drawn from it at once, and the saves are read behind it: the menu's first lines show
   * no description, so only a save that turns out damaged changes what was drawn.
   */
  continueGuess?: ContinueState;
  /** print the banner first (default true) */
  art?: boolean;
  colors?: Colors;
  /** terminal width, for wrapping notes (default 80) */
  width?: number;
}

/** Our own banner: a cursed textbook that opens itself. 10 lines, ASCII only. */
export const TITLE_ART: readonly string[] = [
  "                  .  '  *  '  .",
  '        __________________ __________________',
  "      .'  ~~~~~~~~~~~~~  \\ /  ~~~~~~~~~~~~   '.",
  '      |   ~~~~~~ ~~~~~    |   ~~~~~~~~~~~~    |',
  '      |   ~~~~~~~~~~      |   ~~~~~ ~~~~~~    |',
  '      |   ~~~~~~~~~~~~    |   ~~~~~~~~        |',
  "      '.________________.'|'.________________.'",
  '',
  '               t h e   g r i m o i r e',
  '    a cursed textbook that opens itself at 3 a.m.',
];

export function titleArt(colors: Colors = plainColors): string {
  const c = colors;
  return (
    TITLE_ART.map((line, i) => {
      if (i === 0) return c.magenta(line);
      if (i < 7) return c.dim(line);
      if (i === 8) return c.bold(c.magenta(line));
      return c.italic(c.gray(line));
    }).join('\n') + '\n\n'
  );
}

/** inquirer's Ctrl-C error (and its abort sibling): the player wants out. */
export function isExitPromptError(err: unknown): boolean {
  return err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError');
}

type MainValue = 'new' | 'continue' | 'chapters' | 'quit';
/** the submenu's way back; not a valid chapter id */
const BACK = '\u0000back';

/** The title menu's entries for what the saves hold. */
function mainMenu(chapters: readonly ChapterInfo[], saved: ContinueState): MenuChoice<MainValue>[] {
  const first = chapters[0];
  const hasContinue = saved.available;
  const unavailable = saved.problem ? (saved.problem.file ? `saved game damaged: ${saved.problem.file}` : 'saved game unreadable') : 'no saved game';
  return [
    {
      name: 'New game',
      value: 'new',
      description: first ? `Start at chapter ${first.number}: ${first.title}` : undefined,
      disabled: first ? false : 'no chapters installed',
    },
    {
      name: 'Continue',
      value: 'continue',
      description: hasContinue ? (saved.description ?? 'Pick up where you left off') : undefined,
      disabled: hasContinue ? false : unavailable,
    },
    {
      name: 'Chapters',
      value: 'chapters',
      description: 'Choose any chapter to play',
      disabled: chapters.length ? false : true,
    },
    { name: 'Quit', value: 'quit', description: 'Close the book' },
  ];
}

const TITLE = 'The grimoire';
// with a saved game, Enter continues it: starting over is the choice that needs a keypress
const mainDefault = (saved: ContinueState): MenuOptions<MainValue> => ({ default: saved.available ? 'continue' : 'new' });

export async function runTitleScreen(deps: TitleScreenDeps): Promise<TitleChoice> {
  const { menu, output } = deps;
  const chapters = [...deps.chapters].sort((a, b) => a.number - b.number);
  const c = deps.colors ?? plainColors;
  if (deps.art !== false) output.write(titleArt(deps.colors));
  let saved: ContinueState;
  if (typeof deps.continueState === 'function') {
    if (deps.continueGuess && menu.preview) menu.preview(TITLE, mainMenu(chapters, deps.continueGuess), mainDefault(deps.continueGuess));
    saved = await deps.continueState();
  } else {
    saved = deps.continueState;
  }
  const hasContinue = saved.available;
  // a damaged save is named, with its file, before the menu (the menu line only has room for a word)
  if (saved.problem) {
    menu.clearPreview?.();
    const lines = wrapText(saved.problem.message, Math.max(20, (deps.width ?? 80) - 1));
    output.write(lines.map((l) => c.yellow(l)).join('\n') + '\n\n');
  }

  try {
    for (;;) {
      const first = chapters[0];
      const picked = await menu.select(TITLE, mainMenu(chapters, saved), mainDefault(saved));
      switch (picked) {
        case 'new':
          if (first) return { action: 'new', chapter: first.id };
          break;
        case 'continue':
          if (hasContinue) return { action: 'continue' };
          break;
        case 'quit':
          return { action: 'quit' };
        case 'chapters': {
          const list: MenuChoice<string>[] = chapters.map((ch) => ({
            name: `${ch.number}. ${ch.title}`,
            value: ch.id,
            description: ch.blurb,
          }));
          list.push({ name: 'Back', value: BACK });
          const chosen = await menu.select('Chapters', list);
          if (chosen !== BACK) return { action: 'new', chapter: chosen };
          break;
        }
      }
    }
  } catch (err) {
    if (isExitPromptError(err)) return { action: 'quit' };
    throw err;
  }
}

interface InquirerMenuOptions {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

/** The slice of inquirer's prompt module this adapter uses. */
type SelectPromptFn = (questions: {
  type: 'select';
  name: 'value';
  message: string;
  choices: MenuChoice<unknown>[];
  default?: unknown;
  loop?: boolean;
}[]) => Promise<{ value: unknown }>;

/**
 * The menu as inquirer's select prompt first draws it, in plain text: the message, then one line
 * per entry, the cursor on the default (or the first selectable) one. Each line is cut to the
 * terminal's width, so the frame is exactly as many rows as lines.
 */
export function firstFrame<T>(message: string, choices: MenuChoice<T>[], options: MenuOptions<T>, width = 80): string[] {
  const selectable = choices.filter((c) => !c.disabled);
  const at = ('default' in options ? selectable.find((c) => c.value === options.default) : undefined) ?? selectable[0];
  const lines = [`? ${message}`];
  for (const c of choices) {
    if (c.disabled) lines.push(`- ${c.name} ${typeof c.disabled === 'string' ? c.disabled : '(disabled)'}`);
    else lines.push(`${c === at ? '\u276f' : ' '} ${c.name}`);
  }
  return lines.map((l) => [...l].slice(0, Math.max(1, width - 1)).join(''));
}

/**
 * A Menu over inquirer 14's select prompt. inquirer takes longer to load than node takes to
 * start, so the first preview() or select() draws the menu at once (its first frame,
 * firstFrame), then loads inquirer; select erases that frame and hands over to the real prompt,
 * which draws the same menu and takes the keys (keys typed meanwhile wait in the terminal, in
 * raw mode as the prompt reads them).
 */
export async function loadInquirerMenu(opts: InquirerMenuOptions = {}): Promise<Menu> {
  // started once the first frame is drawn: loading inquirer's many modules would otherwise hold up the title itself
  let loading: Promise<SelectPromptFn> | null = null;
  const load = (): Promise<SelectPromptFn> => {
    if (!loading) {
      loading = import('inquirer').then(({ default: inquirer }) => inquirer.createPromptModule({ input: opts.input, output: opts.output }) as unknown as SelectPromptFn);
      // a failure is select's to report; a preview nobody selects from must not leave it unhandled
      loading.catch(() => undefined);
    }
    return loading;
  };
  let prompt: SelectPromptFn | null = null;
  /** rows of a first frame still on the screen */
  let frameRows = 0;
  const out = opts.output as (NodeJS.WritableStream & { isTTY?: boolean; columns?: number }) | undefined;
  const drawFrame = <T>(message: string, choices: MenuChoice<T>[], options: MenuOptions<T>): void => {
    if (!out?.isTTY) return;
    // keys typed before the prompt is there wait for it as keys: Ctrl-C too, which in the
    // terminal's line mode would be a signal instead of the prompt's way out
    (opts.input as { setRawMode?: (raw: boolean) => void } | undefined)?.setRawMode?.(true);
    // a terminal that does not say its width (0) is taken to be 80 wide, as inquirer takes it
    const frame = firstFrame(message, choices, options, out.columns || 80);
    out.write(frame.join('\n') + '\n');
    frameRows = frame.length;
  };
  // back to where the frame began, and clear it: the prompt (or a note) goes there
  const clearFrame = (): void => {
    if (frameRows > 0) out!.write(`\x1b[${frameRows}A\r\x1b[J`);
    frameRows = 0;
  };
  return {
    preview<T>(message: string, choices: MenuChoice<T>[], options: MenuOptions<T> = {}): void {
      if (prompt || frameRows > 0) return;
      drawFrame(message, choices, options);
      void load();
    },
    clearPreview: clearFrame,
    async select<T>(message: string, choices: MenuChoice<T>[], options: MenuOptions<T> = {}): Promise<T> {
      if (!prompt) {
        // the menu stays on the screen while inquirer loads (a preview taken off for a note is drawn again below it)
        if (frameRows === 0) drawFrame(message, choices, options);
        prompt = await load();
        clearFrame();
      }
      const answer = await prompt([
        {
          type: 'select',
          name: 'value',
          message,
          choices: choices as MenuChoice<unknown>[],
          ...('default' in options ? { default: options.default } : {}),
          loop: false,
        },
      ]);
      return answer.value as T;
    },
  };
}
