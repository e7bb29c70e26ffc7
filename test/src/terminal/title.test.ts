import type { ChapterInfo } from '../../../engine/index';
import { plainColors } from '../../../src/terminal/render';
import { isExitPromptError, loadInquirerMenu, runTitleScreen, TITLE_ART, titleArt, type ContinueState, type MenuChoice, type MenuOptions, type TitleScreenDeps } from '../../../src/terminal/title';
import { Capture, ExitPromptError, ScriptedMenu, taggingColors, type MenuCall } from './fakes';

const CHAPTERS: ChapterInfo[] = [
  { id: 'ch2-disk', number: 2, title: 'Full Disk', blurb: 'The logs ate the root partition.' },
  { id: 'ch1-dns', number: 1, title: 'The Quiet Zone', blurb: 'Name resolution fails, sometimes.' },
];

function deps(menu: ScriptedMenu, extra: Partial<TitleScreenDeps> = {}): TitleScreenDeps & { output: Capture } {
  return { menu, output: new Capture(), chapters: CHAPTERS, continueState: { available: false }, ...extra } as TitleScreenDeps & { output: Capture };
}

const choice = (call: MenuCall, value: unknown) => call.choices.find((c) => c.value === value)!;

describe('runTitleScreen', () => {
  it('starts a new game at the lowest-numbered chapter', async () => {
    const menu = new ScriptedMenu(['new']);
    await expect(runTitleScreen(deps(menu))).resolves.toEqual({ action: 'new', chapter: 'ch1-dns' });
    expect(menu.calls[0].choices.map((c) => c.name)).toEqual(['New game', 'Continue', 'Chapters', 'Quit']);
  });

  it('disables Continue without a save', async () => {
    const menu = new ScriptedMenu(['quit']);
    await runTitleScreen(deps(menu));
    expect(choice(menu.calls[0], 'continue').disabled).toBeTruthy();
  });

  it('continues when there is a save', async () => {
    const menu = new ScriptedMenu([
      (call: MenuCall) => {
        expect(choice(call, 'continue').disabled).toBeFalsy();
        return 'continue';
      },
    ]);
    await expect(runTitleScreen(deps(menu, { continueState: { available: true } }))).resolves.toEqual({ action: 'continue' });
  });

  it('makes Continue the default when there is a saved game, New game otherwise', async () => {
    const withSave = new ScriptedMenu(['quit']);
    await runTitleScreen(deps(withSave, { continueState: { available: true, description: 'Chapter 1 (2/5 objectives done)' } }));
    expect(withSave.calls[0].options?.default).toBe('continue');
    expect(choice(withSave.calls[0], 'continue').description).toBe('Chapter 1 (2/5 objectives done)');
    const without = new ScriptedMenu(['quit']);
    await runTitleScreen(deps(without));
    expect(without.calls[0].options?.default).toBe('new');
  });

  it('says a damaged saved game is damaged, and where it is, instead of "no saved game"', async () => {
    const message = 'saves/autosave.json is damaged (truncated). There is no previous copy (saves/autosave.bak.json does not exist).';
    const d = deps(new ScriptedMenu(['quit']), {
      continueState: { available: false, problem: { file: 'saves/autosave.json', message } },
      art: false,
      width: 60,
    });
    await runTitleScreen(d);
    const cont = choice((d.menu as ScriptedMenu).calls[0], 'continue');
    expect(cont.disabled).toBe('saved game damaged: saves/autosave.json');
    // the whole message, wrapped to the terminal, before the menu
    expect(d.output.text.replace(/\s+/g, ' ')).toContain(message);
    expect(Math.max(...d.output.text.split('\n').map((l) => l.length))).toBeLessThan(60);
  });

  it('lists chapters in a submenu with number, title and blurb; choosing one starts it', async () => {
    const menu = new ScriptedMenu(['chapters', 'ch2-disk']);
    await expect(runTitleScreen(deps(menu))).resolves.toEqual({ action: 'new', chapter: 'ch2-disk' });
    const sub = menu.calls[1];
    expect(sub.choices.slice(0, 2).map((c) => [c.name, c.description])).toEqual([
      ['1. The Quiet Zone', 'Name resolution fails, sometimes.'],
      ['2. Full Disk', 'The logs ate the root partition.'],
    ]);
    expect(sub.choices[2].name).toBe('Back');
  });

  it('goes back from the chapters submenu to the main menu', async () => {
    const menu = new ScriptedMenu([
      'chapters',
      (call: MenuCall) => call.choices.find((c) => c.name === 'Back')!.value,
      'quit',
    ]);
    await expect(runTitleScreen(deps(menu))).resolves.toEqual({ action: 'quit' });
    expect(menu.calls.map((c) => c.message)).toEqual(['The grimoire', 'Chapters', 'The grimoire']);
  });

  it('quits', async () => {
    await expect(runTitleScreen(deps(new ScriptedMenu(['quit'])))).resolves.toEqual({ action: 'quit' });
  });

  it('treats Ctrl-C in the menu (ExitPromptError) as quit, in the main menu and the submenu', async () => {
    const thrower = () => {
      throw new ExitPromptError('User force closed the prompt with SIGINT');
    };
    await expect(runTitleScreen(deps(new ScriptedMenu([thrower])))).resolves.toEqual({ action: 'quit' });
    await expect(runTitleScreen(deps(new ScriptedMenu(['chapters', thrower])))).resolves.toEqual({ action: 'quit' });
  });

  it('lets other errors through', async () => {
    const menu = new ScriptedMenu([
      () => {
        throw new Error('broken terminal');
      },
    ]);
    await expect(runTitleScreen(deps(menu))).rejects.toThrow('broken terminal');
  });

  it('disables New game and Chapters when no chapters exist', async () => {
    const menu = new ScriptedMenu(['quit']);
    await runTitleScreen(deps(menu, { chapters: [] }));
    expect(choice(menu.calls[0], 'new').disabled).toBeTruthy();
    expect(choice(menu.calls[0], 'chapters').disabled).toBeTruthy();
  });

  it('prints the banner unless told not to', async () => {
    const withArt = deps(new ScriptedMenu(['quit']));
    await runTitleScreen(withArt);
    expect(withArt.output.text).toContain('t h e   g r i m o i r e');
    const without = deps(new ScriptedMenu(['quit']), { art: false });
    await runTitleScreen(without);
    expect(without.output.text).toBe('');
  });
});

describe('title art', () => {
  it('is short, plain ASCII and fits 80 columns', () => {
    expect(TITLE_ART.length).toBeLessThanOrEqual(12);
    for (const line of TITLE_ART) {
      expect(line.length).toBeLessThanOrEqual(80);
      expect(/^[\x20-\x7e]*$/.test(line)).toBe(true);
    }
    expect(titleArt(plainColors)).toBe(TITLE_ART.join('\n') + '\n\n');
    expect(titleArt(taggingColors())).toContain('<magenta>');
  });
});

describe('isExitPromptError', () => {
  it('recognises inquirer errors by name', () => {
    expect(isExitPromptError(new ExitPromptError('x'))).toBe(true);
    const abort = new Error('x');
    abort.name = 'AbortPromptError';
    expect(isExitPromptError(abort)).toBe(true);
    expect(isExitPromptError(new Error('x'))).toBe(false);
    expect(isExitPromptError('ExitPromptError')).toBe(false);
  });
});

/** A menu that draws previews, logging what happens in order, with the title screen's writes. */
class PreviewMenu extends ScriptedMenu {
  constructor(script: unknown[], readonly log: string[]) {
    super(script);
  }
  preview<T>(message: string, choices: MenuChoice<T>[], options?: MenuOptions<T>): void {
    const cont = choices.find((c) => c.value === 'continue');
    this.log.push(`preview ${message}: Continue ${cont?.disabled ? 'disabled' : 'enabled'}, default ${String(options?.default)}`);
  }
  clearPreview(): void {
    this.log.push('clear');
  }
  override async select<T>(message: string, choices: MenuChoice<T>[], options?: MenuOptions<T>): Promise<T> {
    const cont = choices.find((c) => c.value === 'continue');
    this.log.push(`select ${message}: Continue ${cont?.disabled ? 'disabled' : 'enabled'}, default ${String(options?.default)}`);
    return super.select(message, choices, options);
  }
}

describe('the first title screen, drawn before the saves are read', () => {
  const logged = (log: string[]) => ({ write: (s: string) => (log.push(`write ${s.trim().split('\n')[0]}`), true) }) as unknown as NodeJS.WritableStream;
  const reading = (log: string[], state: ContinueState) => async () => {
    log.push('read the saves');
    return state;
  };

  it('draws the menu from the guess, then reads the saves and selects with what they hold', async () => {
    const log: string[] = [];
    const menu = new PreviewMenu(['quit'], log);
    const d = deps(menu, { output: logged(log) as never, art: false, continueGuess: { available: true }, continueState: reading(log, { available: true, description: 'Chapter 1 (1/5)' }) });
    await expect(runTitleScreen(d)).resolves.toEqual({ action: 'quit' });
    expect(log).toEqual([
      'preview The grimoire: Continue enabled, default continue',
      'read the saves',
      'select The grimoire: Continue enabled, default continue',
    ]);
    expect(choice(menu.calls[0]!, 'continue').description).toBe('Chapter 1 (1/5)');
  });

  it('a save that turns out damaged: the preview goes, the note takes its place, the menu follows without Continue', async () => {
    const log: string[] = [];
    const problem = { file: 'saves/autosave.json', message: 'saves/autosave.json is damaged (truncated).' };
    const menu = new PreviewMenu(['quit'], log);
    const d = deps(menu, { output: logged(log) as never, art: false, continueGuess: { available: true }, continueState: reading(log, { available: false, problem }) });
    await runTitleScreen(d);
    expect(log).toEqual([
      'preview The grimoire: Continue enabled, default continue',
      'read the saves',
      'clear',
      'write saves/autosave.json is damaged (truncated).',
      'select The grimoire: Continue disabled, default new',
    ]);
  });

  it('no guess, or a menu that cannot preview: nothing is drawn before the saves are read', async () => {
    const log: string[] = [];
    await runTitleScreen(deps(new PreviewMenu(['quit'], log), { output: logged(log) as never, art: false, continueState: reading(log, { available: false }) }));
    expect(log).toEqual(['read the saves', 'select The grimoire: Continue disabled, default new']);
    const plain = new ScriptedMenu(['quit']);
    await expect(runTitleScreen(deps(plain, { continueGuess: { available: true }, continueState: async () => ({ available: false }) }))).resolves.toEqual({ action: 'quit' });
    expect(choice(plain.calls[0]!, 'continue').disabled).toBeTruthy();
  });
});

describe('loadInquirerMenu', () => {
  /** a terminal 80 columns wide that records what is written to it */
  function terminal() {
    const out = new Capture() as Capture & { isTTY: boolean; columns: number };
    out.isTTY = true;
    out.columns = 80;
    const raw: boolean[] = [];
    return { out, input: { setRawMode: (r: boolean) => raw.push(r) } as unknown as NodeJS.ReadableStream, raw };
  }
  const entries: MenuChoice<string>[] = [
    { name: 'New game', value: 'new' },
    { name: 'Continue', value: 'continue', disabled: 'no saved game' },
    { name: 'Quit', value: 'quit' },
  ];

  it('a preview draws the first frame at once, in raw mode; clearPreview takes exactly its rows off again', async () => {
    const { out, input, raw } = terminal();
    const menu = await loadInquirerMenu({ input, output: out });
    menu.preview!('The grimoire', entries, { default: 'new' });
    expect(out.text).toBe('? The grimoire\n\u276f New game\n- Continue no saved game\n  Quit\n');
    expect(raw).toEqual([true]);
    menu.preview!('The grimoire', entries, { default: 'new' });
    expect(out.text).toBe('? The grimoire\n\u276f New game\n- Continue no saved game\n  Quit\n');
    menu.clearPreview!();
    expect(out.text.endsWith('\x1b[4A\r\x1b[J')).toBe(true);
    menu.clearPreview!();
    expect(out.text.match(/\x1b\[4A/g)).toHaveLength(1);
  });
});
