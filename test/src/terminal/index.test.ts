// The interactive front end must never load the ESM-only packages when they are injected or
// colour is off: if it tried, these mocks would throw.
jest.mock('chalk', () => {
  throw new Error('chalk must not be loaded in this test');
});
jest.mock('inquirer', () => {
  throw new Error('inquirer must not be loaded in this test');
});

import { PassThrough } from 'node:stream';
import type { ChapterInfo } from '../../../engine/index';
import type { PlaySession } from '../../../src/session-api';
import { runTerminalGame, type SessionChoice } from '../../../src/terminal';
import { blocks, Capture, ExitPromptError, FakeSession, ScriptedMenu, waitFor } from './fakes';

const CHAPTERS: ChapterInfo[] = [{ id: 'ch1', number: 1, title: 'The Quiet Zone', blurb: 'DNS, sometimes.' }];

const CTRL_C = '\x03';
const CTRL_D = '\x04';

type ContinueState = { available: boolean; description?: string; problem?: { file?: string; message: string } };

interface GameOptions {
  /** stdin claims to be a terminal (default true) */
  tty?: boolean;
  continueState?: () => Promise<ContinueState>;
  continueGuess?: () => Promise<ContinueState>;
  start?: SessionChoice;
}

/** The title -> game loop over fake streams. At a "terminal" lines end with \r, as keys do. */
function game(menu: ScriptedMenu, createSession: (c: SessionChoice) => Promise<PlaySession>, opts: GameOptions = {}) {
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
  if (opts.tty !== false) stdin.isTTY = true;
  const stdout = new Capture();
  const done = runTerminalGame({
    createSession,
    chapters: CHAPTERS,
    continueState: opts.continueState ?? (async () => ({ available: false })),
    ...(opts.continueGuess ? { continueGuess: opts.continueGuess } : {}),
    stdin,
    stdout,
    color: false,
    menu,
    art: true,
    ...(opts.start ? { start: opts.start } : {}),
  } as Parameters<typeof runTerminalGame>[0]);
  return { stdin, stdout, done };
}

const PROMPT = 'ops@ns2:~$ ';

describe('runTerminalGame', () => {
  it('goes title -> session -> shell; a finished chapter goes back to the title, where Continue is offered', async () => {
    const sessions: FakeSession[] = [];
    const choices: SessionChoice[] = [];
    const continueState = jest.fn(async () => ({ available: sessions.length > 0 }));
    const menu = new ScriptedMenu(['new', 'continue', 'quit']);
    const { stdin, stdout, done } = game(
      menu,
      async (c) => {
        choices.push(c);
        const s = new FakeSession({
          reply: (line) => (line === 'fix' ? blocks({ kind: 'chapter-end', chapter: 'ch1', solved: true }) : { blocks: [], quit: line === 'quit' }),
        });
        sessions.push(s);
        return s;
      },
      { continueState },
    );
    await waitFor(() => sessions.length === 1 && stdout.text.includes(PROMPT), 'the first game');
    stdin.write('whoami\rfix\r');
    await waitFor(() => stdout.text.includes('Press Enter'), 'the chapter end');
    stdin.write('\r');
    await waitFor(() => sessions.length === 2 && stdout.text.split(PROMPT).length > 3, 'the second game');
    stdin.write('ls\rquit\r');
    const runs = await done;
    expect(choices).toEqual([{ action: 'new', chapter: 'ch1' }, { action: 'continue' }]);
    expect(runs.map((r) => r.exit)).toEqual(['chapter-end', 'quit']);
    expect(sessions[0].handled).toEqual(['whoami', 'fix']);
    expect(sessions[1].handled).toEqual(['ls', 'quit']);
    expect(sessions.map((s) => s.closed)).toEqual([1, 1]);
    // quit leaves the game: the title screen is not shown a third time
    expect(menu.calls).toHaveLength(2);
    expect(continueState).toHaveBeenCalledTimes(2);
    // the banner only on the first title screen
    expect(stdout.text.split('t h e   g r i m o i r e').length - 1).toBe(1);
    expect(stdout.text).not.toContain('\x1b[3');
  });

  it('the first title screen is previewed from the guess at the saves; later ones are not', async () => {
    const previews: string[] = [];
    class PreviewMenu extends ScriptedMenu {
      preview(message: string): void {
        previews.push(message);
      }
    }
    const menu = new PreviewMenu(['new', 'quit']);
    const continueGuess = jest.fn(async () => ({ available: false }));
    const continueState = jest.fn(async () => ({ available: false }));
    const session = new FakeSession({ reply: () => blocks({ kind: 'chapter-end', chapter: 'ch1', solved: true }) });
    const { stdin, stdout, done } = game(menu, async () => session, { continueGuess, continueState });
    await waitFor(() => stdout.text.includes(PROMPT), 'the game');
    stdin.write('fix\r');
    await waitFor(() => stdout.text.includes('Press Enter'), 'the chapter end');
    stdin.write('\r');
    await done;
    expect(menu.calls).toHaveLength(2);
    expect(previews).toEqual(['The grimoire']);
    expect(continueGuess).toHaveBeenCalledTimes(1);
    expect(continueState).toHaveBeenCalledTimes(2);
  });

  it('Ctrl-D at an empty prompt leaves the game (it does not go back to the title screen)', async () => {
    const session = new FakeSession();
    const menu = new ScriptedMenu(['new']);
    const { stdin, stdout, done } = game(menu, async () => session);
    await waitFor(() => stdout.text.includes(PROMPT), 'prompt');
    stdin.write('ls\r');
    await waitFor(() => session.handled.length === 1, 'a line');
    stdin.write(CTRL_D);
    await expect(done).resolves.toEqual([{ choice: { action: 'new', chapter: 'ch1' }, exit: 'eof' }]);
    expect(menu.calls).toHaveLength(1);
    expect(session.closed).toBe(1);
  });

  it('Ctrl-C at the prompt neither leaves nor goes to the title screen', async () => {
    const session = new FakeSession();
    const menu = new ScriptedMenu(['new']);
    const { stdin, stdout, done } = game(menu, async () => session);
    await waitFor(() => stdout.text.includes(PROMPT), 'prompt');
    stdin.write(CTRL_C);
    await waitFor(() => stdout.text.split(PROMPT).length > 2, 'a fresh prompt');
    stdin.write('ls\r');
    await waitFor(() => session.handled.length === 1, 'the next line');
    expect(menu.calls).toHaveLength(1);
    stdin.write(CTRL_D);
    await expect(done).resolves.toHaveLength(1);
  });

  it('shows a failure to open a session and returns to the title screen', async () => {
    const menu = new ScriptedMenu(['continue', 'quit']);
    const { stdout, done } = game(
      menu,
      async () => {
        throw new Error('save file is corrupt');
      },
      { continueState: async () => ({ available: true }) },
    );
    const runs = await done;
    expect(runs).toEqual([{ choice: { action: 'continue' }, exit: 'failed' }]);
    expect(stdout.text).toContain('could not open the saved game: save file is corrupt');
    expect(menu.calls).toHaveLength(2);
  });

  it('makes Continue the default when a saved game exists', async () => {
    const menu = new ScriptedMenu(['quit']);
    const { done } = game(menu, async () => new FakeSession(), { continueState: async () => ({ available: true }) });
    await done;
    expect(menu.calls[0].options?.default).toBe('continue');
  });

  it('names a damaged saved game and its file on the title screen', async () => {
    const menu = new ScriptedMenu(['quit']);
    const problem = { file: 'saves/autosave.json', message: 'saves/autosave.json is damaged (truncated). There is no previous copy.' };
    const { stdout, done } = game(menu, async () => new FakeSession(), { continueState: async () => ({ available: false, problem }) });
    await done;
    expect(stdout.text).toContain(problem.message);
    expect(menu.calls[0].choices.find((c) => c.value === 'continue')!.disabled).toMatch(/damaged: saves\/autosave\.json/);
  });

  it('Ctrl-C in the title menu leaves', async () => {
    const menu = new ScriptedMenu([
      () => {
        throw new ExitPromptError('User force closed the prompt with SIGINT');
      },
    ]);
    await expect(game(menu, async () => new FakeSession()).done).resolves.toEqual([]);
  });

  describe('input that is not a terminal', () => {
    it('is never read by the title menu: without a chapter to start, nothing is shown', async () => {
      const menu = new ScriptedMenu([]);
      const { stdin, stdout, done } = game(menu, async () => new FakeSession(), { tty: false });
      stdin.write('new\nls\n');
      await expect(done).resolves.toEqual([]);
      expect(menu.calls).toHaveLength(0);
      expect(stdout.text).toMatch(/needs a terminal[\s\S]*--script -/);
      // the lines are still there for whoever reads the input next
      expect(stdin.read()?.toString()).toBe('new\nls\n');
    });

    it('plays the chapter it was started with, and stops when that game ends (no title screen after)', async () => {
      const session = new FakeSession({ reply: (line) => (line === 'fix' ? blocks({ kind: 'chapter-end', chapter: 'ch1', solved: true }) : blocks()) });
      const menu = new ScriptedMenu([]);
      const { stdin, done } = game(menu, async () => session, { tty: false, start: { action: 'new', chapter: 'ch1' } });
      stdin.write('ls\nfix\nnew\n');
      await expect(done).resolves.toEqual([{ choice: { action: 'new', chapter: 'ch1' }, exit: 'chapter-end' }]);
      expect(session.handled).toEqual(['ls', 'fix']);
      expect(menu.calls).toHaveLength(0);
    });

    it('stops when the input ends', async () => {
      const menu = new ScriptedMenu([]);
      const { stdin, done } = game(menu, async () => new FakeSession(), { tty: false, start: { action: 'new', chapter: 'ch1' } });
      stdin.end('ls\n');
      await expect(done).resolves.toEqual([{ choice: { action: 'new', chapter: 'ch1' }, exit: 'eof' }]);
    });
  });
});
