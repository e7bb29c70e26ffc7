import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import type { GameResult } from '../../engine/index';
import { runScript } from '../../src/script';
import type { SessionOutput } from '../../src/session-api';
import { blocksToPlainText } from '../../src/text/plain';
import { CLI, grimoire, requireBuild, script } from './cli.helpers';
import { spawnSync } from 'node:child_process';
import { blocks, Capture, FakeSession, waitFor, type FakeSessionOptions } from './terminal/fakes';

/**
 * Script mode (src/script.ts): lines are read as they arrive; each one is answered, written and
 * flushed before the next is taken; text mode echoes every line after its prompt, --json writes
 * one object per line and a result line; the answer says whether the chapter was solved.
 */

/** a fake session that counts opens and can say it was solved */
class ScriptSession extends FakeSession {
  opened = 0;
  solved = false;
  constructor(opts: FakeSessionOptions = {}) {
    super(opts);
  }
  override open(): SessionOutput {
    this.opened++;
    return super.open();
  }
  override result(): GameResult {
    return { ...super.result(), solved: this.solved };
  }
}

const input = (text: string): Readable => Readable.from([text]);

async function run(session: ScriptSession, text: string, opts: { json: boolean; showOpening: boolean }): Promise<{ solved: boolean; out: string }> {
  const out = new Capture();
  const solved = await runScript(session, input(text), out, opts);
  return { solved, out: out.text };
}

const TEXT = { json: false, showOpening: true };
const JSON_MODE = { json: true, showOpening: true };

function summary(r: GameResult): string {
  return `\n-- ${r.solved ? 'solved' : 'not solved'}: chapter ${r.chapter}, ${r.spells} ${r.spells === 1 ? 'spell' : 'spells'}, ${r.hints} ${r.hints === 1 ? 'hint' : 'hints'}, ${r.virtualTime} of machine time --\n`;
}

describe('runScript, text mode', () => {
  it('prints the opening, then every line after the prompt it was typed at, then a summary', async () => {
    let n = 0;
    // the prompt changes after each line, as a cd would change it
    const s = new ScriptSession({ prompt: 'p0$ ', reply: (line, self) => ((self.promptText = `p${++n}$ `), blocks({ kind: 'spell-output', text: `out:${line}\n` })) });
    const opening = blocksToPlainText(s.open().blocks);
    s.opened = 0;
    const { solved, out } = await run(s, 'uname -r\nfree -m\n', TEXT);
    expect(s.handled).toEqual(['uname -r', 'free -m']);
    expect(out).toBe(`${opening}\np0$ uname -r\nout:uname -r\np1$ free -m\nout:free -m\n${summary(s.result())}`);
    expect(solved).toBe(false);
    expect(s.opened).toBe(1);
    expect(s.closed).toBe(1);
  });

  it('a line with no output is just echoed; without showOpening the opening is not printed', async () => {
    const s = new ScriptSession({ reply: (line) => (line === 'quiet' ? blocks() : blocks({ kind: 'error', text: `bash: ${line}: command not found\n` })) });
    const { out } = await run(s, 'quiet\nnope\n', { json: false, showOpening: false });
    expect(out).toBe(`ops@ns2:~$ quiet\nops@ns2:~$ nope\nbash: nope: command not found\n${summary(s.result())}`);
    expect(s.opened).toBe(1);
  });

  it('takes CRLF line ends and a last line without a newline', async () => {
    const s = new ScriptSession();
    await run(s, 'a\r\nb\r\nc', TEXT);
    expect(s.handled).toEqual(['a', 'b', 'c']);
  });

  it('stops at a line that quits and ignores what follows', async () => {
    const s = new ScriptSession({ reply: (line) => (line === 'quit' ? { blocks: [{ kind: 'system', text: 'bye' }], quit: true } : blocks({ kind: 'spell-output', text: `out:${line}\n` })) });
    const { out } = await run(s, 'one\nquit\ntwo\nthree\n', TEXT);
    expect(s.handled).toEqual(['one', 'quit']);
    expect(out).toContain('ops@ns2:~$ quit\nbye\n');
    expect(out).not.toContain('two');
    expect(out.endsWith(summary(s.result()))).toBe(true);
    expect(s.closed).toBe(1);
  });

  it('answers true when the session says the chapter is solved, false otherwise', async () => {
    const solvedSession = new ScriptSession({ reply: (_line, self) => (((self as ScriptSession).solved = true), blocks()) });
    const solved = await run(solvedSession, 'sleep 8d\n', TEXT);
    expect(solved.solved).toBe(true);
    expect(solved.out.endsWith(summary(solvedSession.result()))).toBe(true);
    expect(solved.out).toContain('-- solved: ');
    expect((await run(new ScriptSession(), 'x\n', TEXT)).solved).toBe(false);
    expect((await run(new ScriptSession(), '', TEXT)).solved).toBe(false);
  });
});

describe('runScript, --json', () => {
  it('writes one {input, output, blocks} object per line, then {result}, and no opening', async () => {
    const s = new ScriptSession({ reply: (line) => blocks({ kind: 'spell-output', text: `out:${line}\n` }, { kind: 'system', text: 'note' }) });
    const lines = ['uname -r', '', 'hint'];
    const { out } = await run(s, lines.join('\n') + '\n', JSON_MODE);
    expect(out.endsWith('\n')).toBe(true);
    const rows = out.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(lines.length + 1);
    rows.slice(0, -1).forEach((row, i) => {
      expect(Object.keys(row).sort()).toEqual(['blocks', 'input', 'output']);
      expect(row.input).toBe(lines[i]);
      expect(row.output).toBe(blocksToPlainText(blocks({ kind: 'spell-output', text: `out:${lines[i]}\n` }, { kind: 'system', text: 'note' }).blocks));
      // the blocks as the session returned them, beside the flat text
      expect(row.blocks).toEqual([
        { kind: 'spell-output', text: `out:${lines[i]}\n` },
        { kind: 'system', text: 'note' },
      ]);
    });
    expect(rows[rows.length - 1]).toEqual({ result: s.result() });
    // the session was opened (a new game starts) but its opening is not part of the JSON
    expect(s.opened).toBe(1);
    expect(out).not.toContain('The book opens by itself.');
  });

  it('answers true on a solved chapter and says so in the result line', async () => {
    const s = new ScriptSession({ reply: (_line, self) => (((self as ScriptSession).solved = true), blocks()) });
    const { solved, out } = await run(s, 'x\n', JSON_MODE);
    expect(solved).toBe(true);
    const last = JSON.parse(out.trimEnd().split('\n').pop()!) as { result: GameResult };
    expect(last.result.solved).toBe(true);
  });
});

describe('runScript, one line at a time', () => {
  it.each([[false], [true]])('each answer is written before the next line is taken (json %s)', async (json) => {
    const pipe = new PassThrough();
    const out = new Capture();
    const seenBefore: string[] = [];
    const s = new ScriptSession({
      reply: (line) => {
        seenBefore.push(out.text);
        return blocks({ kind: 'spell-output', text: `out:${line}\n` });
      },
    });
    const done = runScript(s, pipe, out, { json, showOpening: false });
    const lines = ['first', 'second', 'third'];
    for (const line of lines) {
      pipe.write(`${line}\n`);
      // the answer arrives while the input is still open: nothing waits for the end of the script
      await waitFor(() => out.text.includes(`out:${line}`), `the answer to ${line}`);
    }
    pipe.end();
    expect(await done).toBe(false);
    expect(s.handled).toEqual(lines);
    expect(s.maxInFlight).toBe(1);
    // when a line was handled, every earlier line's answer had already been written
    lines.forEach((_, i) => {
      for (const earlier of lines.slice(0, i)) expect(seenBefore[i]).toContain(`out:${earlier}`);
      expect(seenBefore[i]).not.toContain(`out:${lines[i]}`);
    });
  });
});

/** An output whose reader went away after `accept` writes: later writes fail with EPIPE, as a closed pipe's do. */
class ClosedPipe extends Writable {
  text = '';
  constructor(private accept: number) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.accept-- > 0) {
      this.text += chunk.toString();
      cb();
    } else {
      cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    }
  }
}

/** An endless input (like `yes ls |`), counting how many lines were pulled from it. */
function endless(line: string): Readable & { pulled: () => number } {
  let n = 0;
  const r = new Readable({
    read() {
      n++;
      this.push(`${line}\n`);
    },
  });
  return Object.assign(r, { pulled: () => n });
}

describe('runScript, when the run cannot go on as usual', () => {
  it('a closed output ends the run quietly: no more lines are read, the session is still closed, the answer is the result', async () => {
    const s = new ScriptSession({ reply: (line, self) => (((self as ScriptSession).solved = true), blocks({ kind: 'spell-output', text: `out:${line}\n` })) });
    const out = new ClosedPipe(2);
    const input = endless('ls');
    const warnings: string[] = [];
    const solved = await runScript(s, input, out, { json: false, showOpening: true, warn: (m) => warnings.push(m) });
    expect(solved).toBe(true);
    expect(s.closed).toBe(1);
    expect(s.handled.length).toBeLessThanOrEqual(2);
    expect(warnings).toEqual([]);
    const pulled = input.pulled();
    await new Promise((r) => setTimeout(r, 50));
    expect(input.pulled()).toBe(pulled);
    input.destroy();
  });

  it('quit leaves the rest of the input unread, so an endless input does not keep the process alive', async () => {
    const s = new ScriptSession({ reply: (line) => (line === 'quit' ? { blocks: [], quit: true } : blocks()) });
    const input = endless('quit');
    const out = new Capture();
    await runScript(s, input, out, TEXT);
    const pulled = input.pulled();
    await new Promise((r) => setTimeout(r, 50));
    expect(input.pulled()).toBe(pulled);
    input.destroy();
  });

  it.each([
    ['says so', async () => blocks({ kind: 'error', text: 'transcript not written: run.md: no space left on device (ENOSPC).' })],
    ['fails', async () => Promise.reject(new Error('ENOSPC: no space left on device, write'))],
  ])('a session that cannot write its transcript when it closes (%s) still reports the run: the result line, a warning, the true answer', async (_how, close) => {
    const s = new ScriptSession({ reply: (_line, self) => (((self as ScriptSession).solved = true), blocks()) });
    s.close = close as () => Promise<SessionOutput>;
    for (const opts of [TEXT, JSON_MODE]) {
      const out = new Capture();
      const warnings: string[] = [];
      const solved = await runScript(s, input('sleep 8d\n'), out, { ...opts, warn: (m) => warnings.push(m) });
      expect(solved).toBe(true);
      expect(out.text).toMatch(opts.json ? /"solved":true/ : /-- solved: /);
      expect(warnings.join('\n')).toMatch(/ENOSPC/);
    }
  });
});

// chapter 1 solved by booting the kernel PPA's mainline 3.19 (see test/engine/chapters/ch1/fixes.test.ts)
const KERNEL = 'linux-image-3.19.0-031900-generic_3.19.0-031900.201502091451_amd64.deb';
const SOLVE = ['sudo slabtop -o', `wget -q http://kernel.ubuntu.com/~kernel-ppa/mainline/v3.19-vivid/${KERNEL}`, `sudo dpkg -i ${KERNEL}`, 'sudo reboot', 'sleep 8d'];

describe('grimoire play --script (the built CLI)', () => {

  it('exits 0 when the script solves the chapter, echoing each line after its prompt', () => {
    const r = grimoire(['play', '1', '--seed', '1234', '--script', '-'], script(SOLVE));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const line of SOLVE) expect(r.stdout).toMatch(new RegExp(`\\$ ${line.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}\\n`));
    expect(r.stdout).toMatch(/\n-- solved: chapter 1, \d+ spells, 0 hints, .+ of machine time --\n$/);
  });

  it('--json: the same run ends with a solved result line and exit 0', () => {
    const r = grimoire(['play', '1', '--seed', '1234', '--script', '-', '--json'], script(SOLVE));
    expect(r.status).toBe(0);
    const rows = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { input?: string; result?: GameResult });
    expect(rows.slice(0, -1).map((row) => row.input)).toEqual(SOLVE);
    expect(rows[rows.length - 1]!.result).toMatchObject({ chapter: '1', solved: true, hints: 0, spells: SOLVE.length });
  });

  it('exits 1 when the script ends with the chapter unsolved', () => {
    const r = grimoire(['play', '1', '--seed', '1234', '--script', '-'], script(['uname -r']));
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/\n-- not solved: chapter 1, 1 spell, 0 hints, .+ of machine time --\n$/);
  });
});

describe('grimoire play --script: output paths and closed pipes (the built CLI)', () => {
  const tmp = () => mkdtempSync(join(tmpdir(), 'grimoire-script-'));

  it('a --transcript in a folder that does not exist is refused before the run starts (exit 2, no run)', () => {
    const dir = tmp();
    const r = grimoire(['play', '1', '--seed', '1234', '--script', '-', '--transcript', join(dir, 'no', 'such', 'run.md')], script(['uname -r']));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--transcript: .*folder .* does not exist/);
  });

  it('an existing file that is not a transcript is left alone unless --force is given', () => {
    const dir = tmp();
    const notes = join(dir, 'notes.md');
    writeFileSync(notes, 'my own notes\n');
    const r = grimoire(['play', '1', '--seed', '1234', '--script', '-', '--transcript', notes], script(['uname -r']));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/not a grimoire transcript.*--force/);
    expect(readFileSync(notes, 'utf8')).toBe('my own notes\n');
    const forced = grimoire(['play', '1', '--seed', '1234', '--script', '-', '--transcript', notes, '--force'], script(['uname -r']));
    expect(forced.status).toBe(1);
    expect(readFileSync(notes, 'utf8')).toMatch(/^# The Grimoire: /m);
    // a transcript the game wrote may be written again without --force
    const again = grimoire(['play', '1', '--seed', '1234', '--script', '-', '--transcript', notes], script(['uname -r']));
    expect(again.status).toBe(1);
  });

  it('--force without --transcript is a usage error', () => {
    expect(grimoire(['play', '1', '--script', '-', '--force'], '').status).toBe(2);
  });

  it('a solved run with a transcript exits 0 and shows its result line', () => {
    const dir = tmp();
    const md = join(dir, 'run.md');
    const r = grimoire(['play', '1', '--seed', '1234', '--script', '-', '--transcript', md], script(SOLVE));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/-- solved: chapter 1/);
    expect(readFileSync(md, 'utf8')).toMatch(/\| Result \| solved \|/);
  });

  /** runs `node cli ARGS | true`: the reader is gone before the game writes a byte */
  function intoClosedPipe(args: string[], input: string): { stderr: string; status: number } {
    requireBuild();
    const quoted = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const r = spawnSync('bash', ['-c', `${quoted} | true; exit \${PIPESTATUS[0]}`], { input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
    return { stderr: r.stderr, status: r.status ?? -1 };
  }

  it('grimoire --help into a closed pipe ends quietly', () => {
    const r = intoClosedPipe(['--help'], '');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('a script run into a closed pipe ends quietly and still writes its transcript', () => {
    const dir = tmp();
    const md = join(dir, 'run.md');
    const r = intoClosedPipe(['play', '1', '--seed', '7', '--script', '-', '--transcript', md], script(['uname -r', 'free -m']));
    expect(r.stderr).not.toMatch(/EPIPE|Error|at /);
    expect(r.status).toBe(1);
    expect(existsSync(md)).toBe(true);
    expect(readFileSync(md, 'utf8')).toMatch(/^# The Grimoire: /m);
  });

  it('an endless input into a closed pipe does not hang', () => {
    requireBuild();
    const r = spawnSync('bash', ['-c', `yes uname | '${process.execPath}' '${CLI}' play 1 --seed 7 --script - | head -1 >/dev/null; exit \${PIPESTATUS[1]}`], { encoding: 'utf8', timeout: 60_000 });
    expect(r.error).toBeUndefined();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
  });
});

describe('grimoire play --script loads what the run needs (the built CLI)', () => {
  /** runs the CLI with a preload that writes, at exit, the game's own modules and node's built-ins the run loaded */
  function loaded(args: string[], input: string): { own: string[]; builtins: string[]; stdout: string } {
    requireBuild();
    const dir = mkdtempSync(join(tmpdir(), 'grimoire-loads-'));
    const probe = join(dir, 'probe.js');
    const out = join(dir, 'loaded.json');
    writeFileSync(
      probe,
      `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify({ own: Object.keys(require.cache), builtins: process.moduleLoadList })));\n`,
    );
    const r = spawnSync(process.execPath, ['-r', probe, CLI, ...args], { input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', GRIMOIRE_NO_COMPILE_CACHE: '1' } });
    const seen = JSON.parse(readFileSync(out, 'utf8')) as { own: string[]; builtins: string[] };
    return { own: seen.own.map((f) => f.replace(/\\/g, '/')), builtins: seen.builtins, stdout: r.stdout };
  }
  const store = (own: string[]) => own.filter((f) => /\/src\/saves\/(fsStore|slotFile|envelope|exportFile)\.js$/.test(f));

  it('without saves, neither the save store nor brotli; with --save, both', () => {
    const plain = loaded(['play', '1', '--seed', '3', '--script', '-'], 'uname -r\n');
    expect(plain.stdout).toContain('3.16.0-30-generic');
    expect(store(plain.own)).toEqual([]);
    expect(plain.builtins).not.toContain('NativeModule zlib');

    const saving = loaded(['play', '1', '--seed', '3', '--script', '-', '--save', 'probe', '--saves-dir', mkdtempSync(join(tmpdir(), 'grimoire-loads-saves-'))], 'uname -r\n');
    expect(saving.stdout).toContain('3.16.0-30-generic');
    expect(store(saving.own).length).toBeGreaterThan(0);
    expect(saving.builtins).toContain('NativeModule zlib');
  });

  it('export and import still work when nothing was saved before them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'grimoire-loads-export-'));
    const file = join(dir, 'game.grimoire');
    const r = loaded(['play', '1', '--seed', '3', '--script', '-'], `uname -r\nexport ${file}\nimport ${file}\n`);
    expect(existsSync(file)).toBe(true);
    expect(r.stdout).toMatch(/Exported this game to [\s\S]*Imported /);
    expect(store(r.own)).toContain(r.own.find((f) => f.endsWith('/src/saves/exportFile.js')));
  });
});
