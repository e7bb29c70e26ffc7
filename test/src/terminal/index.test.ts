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
import { Capture, FakeSession, ScriptedMenu } from './fakes';

const CHAPTERS: ChapterInfo[] = [{ id: 'ch1', number: 1, title: 'The Quiet Zone', blurb: 'DNS, sometimes.' }];

function game(menu: ScriptedMenu, createSession: (c: SessionChoice) => Promise<PlaySession>, hasContinue = async () => false) {
  const stdin = new PassThrough();
  const stdout = new Capture();
  const done = runTerminalGame({ createSession, chapters: CHAPTERS, hasContinue, stdin, stdout, color: false, menu, art: true });
  return { stdin, stdout, done };
}

describe('runTerminalGame', () => {
  it('goes title -> session -> shell -> title -> quit', async () => {
    const sessions: FakeSession[] = [];
    const choices: SessionChoice[] = [];
    const hasContinue = jest.fn(async () => sessions.length > 0);
    const menu = new ScriptedMenu(['new', 'continue', 'quit']);
    const { stdin, stdout, done } = game(
      menu,
      async (c) => {
        choices.push(c);
        const s = new FakeSession({ reply: (line) => ({ blocks: [], quit: line === 'quit' }) });
        sessions.push(s);
        return s;
      },
      hasContinue,
    );
    stdin.write('whoami\nquit\n');
    // the second session reads the next lines
    setTimeout(() => stdin.write('ls\nexit\nquit\n'), 20);
    const runs = await done;
    expect(choices).toEqual([{ action: 'new', chapter: 'ch1' }, { action: 'continue' }]);
    expect(runs.map((r) => r.exit)).toEqual(['quit', 'quit']);
    expect(sessions[0].handled).toEqual(['whoami', 'quit']);
    expect(sessions[1].handled).toEqual(['ls', 'exit', 'quit']);
    expect(sessions.map((s) => s.closed)).toEqual([1, 1]);
    expect(hasContinue).toHaveBeenCalledTimes(3);
    // the banner only on the first title screen
    expect(stdout.text.split('t h e   g r i m o i r e').length - 1).toBe(1);
    expect(stdout.text).not.toContain('\x1b');
  });

  it('shows a failure to open a session and returns to the title screen', async () => {
    const menu = new ScriptedMenu(['continue', 'quit']);
    const { stdout, done } = game(
      menu,
      async () => {
        throw new Error('save file is corrupt');
      },
      async () => true,
    );
    const runs = await done;
    expect(runs).toEqual([{ choice: { action: 'continue' }, exit: 'failed' }]);
    expect(stdout.text).toContain('could not open the saved game: save file is corrupt');
    expect(menu.calls).toHaveLength(2);
  });

  it('stops when the input ends (nothing left to read from)', async () => {
    const menu = new ScriptedMenu(['new']);
    const { stdin, done } = game(menu, async () => new FakeSession());
    stdin.end('ls\n');
    const runs = await done;
    expect(runs).toEqual([{ choice: { action: 'new', chapter: 'ch1' }, exit: 'eof' }]);
  });
});
