import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, requireBuild, tempDir } from './cli.helpers';

/**
 * The interactive game as a player meets it: the built CLI in a real pseudo-terminal (util-linux
 * `script` provides one), with keys typed into it. The title menu is inquirer's, the prompt is
 * readline's in raw mode, so Ctrl-C and Ctrl-D arrive as the bytes a terminal sends.
 */

const HAS_SCRIPT = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
const ENTER = '\r';
const CTRL_C = '\x03';
const CTRL_D = '\x04';

class Terminal {
  readonly child: ChildProcessWithoutNullStreams;
  raw = '';
  readonly exited: Promise<number | null>;

  constructor(args: string[], savesDir: string) {
    requireBuild();
    const command = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    this.child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: { ...process.env, NO_COLOR: '1', TERM: 'xterm', GRIMOIRE_SAVES_DIR: savesDir },
    });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (d: string) => (this.raw += d));
    this.child.stderr.on('data', (d: Buffer) => (this.raw += d.toString()));
    this.exited = new Promise((resolve) => this.child.on('close', resolve));
  }

  /** what is on screen, roughly: escape sequences removed */
  get text(): string {
    // eslint-disable-next-line no-control-regex
    return this.raw.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
  }

  /** the output since `mark` */
  since(mark: number): string {
    // eslint-disable-next-line no-control-regex
    return this.raw.slice(mark).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
  }

  type(keys: string): void {
    this.child.stdin.write(keys);
  }

  async waitFor(test: RegExp | (() => boolean), what: string, timeoutMs = 20_000): Promise<void> {
    const ok = typeof test === 'function' ? test : () => test.test(this.text);
    const start = Date.now();
    while (!ok()) {
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}; screen ends with:\n${this.text.slice(-800)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

const PROMPT = /ops@[\w-]+:~\$ $/;
const atPrompt = (t: Terminal, mark: number) => () => PROMPT.test(t.since(mark).trimEnd() + ' ');

(HAS_SCRIPT ? describe : describe.skip)('the interactive game in a terminal (the built CLI in a pty)', () => {
  const terminals: Terminal[] = [];
  const open = (args: string[], savesDir: string) => {
    const t = new Terminal(args, savesDir);
    terminals.push(t);
    return t;
  };
  afterAll(() => terminals.forEach((t) => t.kill()));

  it('Ctrl-C at the prompt gives a fresh prompt; Ctrl-D leaves, saved; Continue is then the default', async () => {
    const saves = tempDir();
    const t = open([], saves);
    await t.waitFor(/New game/, 'the title menu');
    t.type(ENTER);
    let mark = t.raw.length;
    await t.waitFor(atPrompt(t, mark), 'the first prompt');
    t.type('uname -r' + ENTER);
    await t.waitFor(/3\.16\.0-30-generic/, 'uname -r');
    mark = t.raw.length;
    t.type(CTRL_C);
    await t.waitFor(() => t.since(mark).includes('^C') && atPrompt(t, mark)(), 'a fresh prompt after ^C');
    t.type('whoami' + ENTER);
    await t.waitFor(/\nops\n/, 'whoami: the game went on after Ctrl-C');
    mark = t.raw.length;
    t.type(CTRL_D);
    expect(await t.exited).toBe(0);
    // it left: no title menu after the game
    expect(t.since(mark)).not.toMatch(/New game/);

    const again = open([], saves);
    await again.waitFor(/Continue/, 'the title menu');
    await again.waitFor(/Chapter 1: .*\(/, 'what Continue opens');
    again.type(ENTER);
    await again.waitFor(/falls open where you left it/, 'the saved game');
    again.type('history' + ENTER);
    await again.waitFor(/uname -r[\s\S]*whoami[\s\S]*history/, 'the history of the saved game');
    again.type('quit' + ENTER);
    expect(await again.exited).toBe(0);
  });

  it('Ctrl-C during a long spell stops it: the machine clock stops short, ^C is shown, and the game goes on', async () => {
    const t = open(['play', '1', '--seed', '5'], tempDir());
    let mark = t.raw.length;
    await t.waitFor(atPrompt(t, mark), 'the prompt');
    const upDays = async (): Promise<number> => {
      const from = t.raw.length;
      t.type('uptime' + ENTER);
      await t.waitFor(() => /up (\d+) days?/.test(t.since(from)) && atPrompt(t, from)(), 'uptime');
      return Number(/up (\d+) days?/.exec(t.since(from))![1]);
    };
    const before = await upDays();
    mark = t.raw.length;
    // a month of the machine's time takes seconds of ours; Ctrl-C comes well before the end
    t.type('sleep 30d' + ENTER);
    await t.waitFor(() => t.since(mark).includes('sleep 30d'), 'the line to start');
    await new Promise((r) => setTimeout(r, 400));
    t.type(CTRL_C);
    await t.waitFor(() => t.since(mark).includes('^C') && atPrompt(t, mark)(), '^C and a fresh prompt');
    const after = await upDays();
    expect(after - before).toBeLessThan(29);
    t.type(CTRL_D);
    expect(await t.exited).toBe(0);
  });

  it('names a damaged autosave and its file on the title screen', async () => {
    const saves = tempDir();
    const t = open(['play', '1'], saves);
    let mark = t.raw.length;
    await t.waitFor(atPrompt(t, mark), 'the prompt');
    t.type('uname -r' + ENTER);
    await t.waitFor(/3\.16\.0-30-generic/, 'uname -r');
    t.type('quit' + ENTER);
    expect(await t.exited).toBe(0);
    const file = join(saves, 'autosave.json');
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 300));
    for (const backup of ['autosave.bak.json']) writeFileSync(join(saves, backup), 'garbage');

    const title = open([], saves);
    await title.waitFor(/New game/, 'the title menu');
    await title.waitFor(/damaged/, 'the damaged note');
    expect(title.text.replace(/\s+/g, '')).toContain(file.replace(/\s+/g, ''));
    expect(title.text).not.toMatch(/no saved game/);
    title.type(CTRL_C);
    expect(await title.exited).toBe(0);
  });
});
