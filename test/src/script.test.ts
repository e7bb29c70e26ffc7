import { PassThrough, Readable } from 'node:stream';
import type { GameResult } from '../../engine/index';
import { runScript } from '../../src/script';
import type { SessionOutput } from '../../src/session-api';
import { blocksToPlainText } from '../../src/text/plain';
import { grimoire, script } from './cli.helpers';
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
  return `\n-- ${r.solved ? 'solved' : 'not solved'}: chapter ${r.chapter}, ${r.spells} spells, ${r.hints} hints, ${r.virtualTime} of machine time --\n`;
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
  it('writes one {input, output} object per line, then {result}, and no opening', async () => {
    const s = new ScriptSession({ reply: (line) => blocks({ kind: 'spell-output', text: `out:${line}\n` }, { kind: 'system', text: 'note' }) });
    const lines = ['uname -r', '', 'hint'];
    const { out } = await run(s, lines.join('\n') + '\n', JSON_MODE);
    expect(out.endsWith('\n')).toBe(true);
    const rows = out.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(lines.length + 1);
    rows.slice(0, -1).forEach((row, i) => {
      expect(Object.keys(row).sort()).toEqual(['input', 'output']);
      expect(row.input).toBe(lines[i]);
      expect(row.output).toBe(blocksToPlainText(blocks({ kind: 'spell-output', text: `out:${lines[i]}\n` }, { kind: 'system', text: 'note' }).blocks));
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

describe('grimoire play --script (the built CLI)', () => {
  // chapter 1 solved by upgrading NSD (see test/engine/chapters/ch1/fixes.test.ts)
  const SOLVE = ['sudo slabtop -o', 'sudo apt-get install nsd', 'sudo nsd-control reload', 'sleep 10', 'sleep 8d'];

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
    expect(r.stdout).toMatch(/\n-- not solved: chapter 1, 1 spells, 0 hints, .+ of machine time --\n$/);
  });
});
