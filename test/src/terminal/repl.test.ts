import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { createRenderer, plainColors } from '../../../src/terminal/render';
import { createCompleter, readlineHistory, runRepl, DEFAULT_GOODBYE, type ReplDeps } from '../../../src/terminal/repl';
import { blocks, Capture, delay, FakeInterrupts, FakeSession, longSpell, waitFor } from './fakes';

const PROMPT = 'ops@ns2:~$ ';
const UP = '\x1b[A';
const CTRL_C = '\x03';
const CTRL_D = '\x04';

function setup(session: FakeSession, isTTY: boolean, extra: Partial<ReplDeps> = {}) {
  const input = new PassThrough();
  const output = new Capture();
  const renderer = createRenderer(plainColors, { width: 80 });
  const done = runRepl({ session, input, output, renderer, isTTY, ...extra });
  return { input, output, done };
}

const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

describe('runRepl (line mode, input not a terminal)', () => {
  it('shows the opening blocks, then the prompt', async () => {
    const session = new FakeSession();
    const { input, output, done } = setup(session, false);
    await waitFor(() => output.text.includes(PROMPT), 'prompt');
    expect(output.text.startsWith('The book opens by itself.\n' + PROMPT)).toBe(true);
    input.end();
    await done;
  });

  it('processes pasted lines one at a time, in order', async () => {
    const delays: Record<string, number> = { a: 30, b: 1, c: 10 };
    const session = new FakeSession({
      reply: async (line) => {
        await delay(delays[line] ?? 0);
        return blocks({ kind: 'spell-output', text: `out:${line}\n` });
      },
    });
    const { input, output, done } = setup(session, false);
    input.write('a\nb\nc\n');
    input.end();
    await expect(done).resolves.toBe('eof');
    expect(session.handled).toEqual(['a', 'b', 'c']);
    expect(session.maxInFlight).toBe(1);
    const t = output.text;
    expect(t.indexOf('out:a')).toBeLessThan(t.indexOf('out:b'));
    expect(t.indexOf('out:b')).toBeLessThan(t.indexOf('out:c'));
    // each line is echoed after its prompt, so a transcript reads like a terminal
    expect(t).toContain(`${PROMPT}a\nout:a\n${PROMPT}b\nout:b\n${PROMPT}c\nout:c\n`);
  });

  it('refreshes the prompt after every line', async () => {
    const session = new FakeSession({
      reply: (line, s) => {
        if (line.startsWith('cd ')) s.promptText = `ops@ns2:${line.slice(3)}$ `;
        return blocks();
      },
    });
    const { input, output, done } = setup(session, false);
    input.write('cd /tmp\n');
    await waitFor(() => output.text.includes('ops@ns2:/tmp$ '), 'new prompt');
    input.end();
    await done;
  });

  it('ends the loop when the session says quit, without reading further lines', async () => {
    const session = new FakeSession({
      reply: (line) => (line === 'exit' ? { blocks: [{ kind: 'system', text: 'logout' }], quit: true } : blocks()),
    });
    const { input, output, done } = setup(session, false);
    input.write('ls\nexit\nls -la\n');
    await expect(done).resolves.toBe('quit');
    expect(session.handled).toEqual(['ls', 'exit']);
    expect(session.closed).toBe(1);
    expect(output.text).toContain('logout\n');
    expect(output.text).not.toContain(DEFAULT_GOODBYE);
  });

  it('closes cleanly at the end of input (Ctrl-D): goodbye, session.close()', async () => {
    const session = new FakeSession();
    const { input, output, done } = setup(session, false);
    await waitFor(() => output.text.includes(PROMPT), 'prompt');
    input.end();
    await expect(done).resolves.toBe('eof');
    expect(session.closed).toBe(1);
    expect(output.text.endsWith(`${PROMPT}\n${DEFAULT_GOODBYE}\n`)).toBe(true);
  });

  it('shows an exception from handle() as an error and keeps going', async () => {
    const session = new FakeSession({
      reply: (line) => {
        if (line === 'boom') throw new Error('the kernel caught fire');
        return blocks({ kind: 'spell-output', text: `ok:${line}\n` });
      },
    });
    const { input, output, done } = setup(session, false);
    input.write('boom\nafter\n');
    input.end();
    await expect(done).resolves.toBe('eof');
    expect(output.text).toContain('grimoire: the kernel caught fire\n');
    expect(output.text).toContain('ok:after\n');
    expect(session.handled).toEqual(['boom', 'after']);
  });

  it('survives a rejected close()', async () => {
    const session = new FakeSession();
    session.close = async () => {
      throw new Error('disk full');
    };
    const { input, output, done } = setup(session, false);
    input.end();
    await expect(done).resolves.toBe('eof');
    expect(output.text).toContain('could not close the session: disk full');
  });

  it('stops after a chapter-end block when the input is not a terminal', async () => {
    const session = new FakeSession({
      reply: (line) => (line === 'fix' ? blocks({ kind: 'chapter-end', chapter: 'ch1', solved: true }) : blocks()),
    });
    const { input, done } = setup(session, false);
    input.write('fix\nls\n');
    await expect(done).resolves.toBe('chapter-end');
    expect(session.handled).toEqual(['fix']);
  });

  it('quits on a process SIGINT and removes its listener', async () => {
    const signals = new EventEmitter();
    const session = new FakeSession();
    const { output, done } = setup(session, false, { signals });
    await waitFor(() => output.text.includes(PROMPT), 'prompt');
    expect(signals.listenerCount('SIGINT')).toBe(1);
    signals.emit('SIGINT');
    await expect(done).resolves.toBe('interrupt');
    expect(signals.listenerCount('SIGINT')).toBe(0);
    expect(session.closed).toBe(1);
    expect(output.text).toContain(DEFAULT_GOODBYE);
  });

  it('ends at once when the opening says quit', async () => {
    const session = new FakeSession({ opening: { blocks: [{ kind: 'error', text: 'save is corrupt' }], quit: true } });
    const { output, done } = setup(session, false);
    await expect(done).resolves.toBe('quit');
    expect(output.text).toBe('save is corrupt\n');
    expect(session.closed).toBe(1);
  });
});

describe('runRepl (terminal mode)', () => {
  it('offers the session history to the up arrow, newest first', async () => {
    const session = new FakeSession({ history: ['ls -l', 'uptime'] });
    const { input, output, done } = setup(session, true);
    await waitFor(() => output.text.includes(PROMPT), 'prompt');
    input.write(`${UP}\r`);
    await waitFor(() => session.handled.length === 1, 'first line');
    input.write('df -h\r');
    await waitFor(() => session.handled.length === 2, 'second line');
    // readline keeps what was typed too: df -h, uptime, ls -l
    input.write(`${UP}${UP}${UP}\r`);
    await waitFor(() => session.handled.length === 3, 'third line');
    expect(session.handled).toEqual(['uptime', 'df -h', 'ls -l']);
    input.write(CTRL_D);
    await expect(done).resolves.toBe('eof');
  });

  it('completes with tab through session.complete', async () => {
    const session = new FakeSession({
      complete: (line) => (line === 'ca' ? { from: 0, candidates: ['cat '] } : { from: line.length, candidates: [] }),
    });
    const { input, output, done } = setup(session, true);
    await waitFor(() => output.text.includes(PROMPT), 'prompt');
    input.write('ca\t');
    await waitFor(() => session.completed.includes('ca'), 'completion');
    input.write('/etc/hosts\r');
    await waitFor(() => session.handled.length === 1, 'line');
    expect(session.handled).toEqual(['cat /etc/hosts']);
    input.write(CTRL_D);
    await done;
  });

  it('Ctrl-C with text on the line clears it like bash', async () => {
    const session = new FakeSession();
    const { input, output, done } = setup(session, true);
    await waitFor(() => output.text.includes(PROMPT), 'prompt');
    input.write(`rm -rf /${CTRL_C}`);
    await waitFor(() => output.text.includes('^C'), '^C');
    expect(count(output.text, PROMPT)).toBeGreaterThanOrEqual(2);
    input.write('ls\r');
    await waitFor(() => session.handled.length === 1, 'line');
    expect(session.handled).toEqual(['ls']);
    expect(session.closed).toBe(0);
    input.write(CTRL_D);
    await expect(done).resolves.toBe('eof');
  });

  it('Ctrl-C on an empty line shows ^C and a fresh prompt, like bash; the game goes on', async () => {
    const session = new FakeSession();
    const { input, output, done } = setup(session, true);
    await waitFor(() => output.text.includes(PROMPT), 'prompt');
    input.write(CTRL_C);
    await waitFor(() => count(output.text, PROMPT) >= 2, 'a fresh prompt');
    expect(output.text).toContain('^C');
    expect(output.text).not.toContain(DEFAULT_GOODBYE);
    expect(session.closed).toBe(0);
    input.write('ls\r');
    await waitFor(() => session.handled.length === 1, 'the next line');
    expect(session.handled).toEqual(['ls']);
    input.write(CTRL_D);
    await expect(done).resolves.toBe('eof');
  });

  it('Ctrl-C during a long line stops it (interrupted() says so), shows ^C, drops what was typed ahead, and the game goes on', async () => {
    const session = new FakeSession({ reply: longSpell() });
    const interrupts = new FakeInterrupts([1]);
    const { input, output, done } = setup(session, true, { interrupts } as Partial<ReplDeps>);
    await waitFor(() => output.text.includes(PROMPT), 'prompt');
    // `ls` is typed ahead while the long line runs; the Ctrl-C discards it, as a terminal does
    input.write('sleep 300d\rls\r');
    await waitFor(() => output.text.includes('^C'), '^C');
    expect(output.text).toContain('sleep 300d: stopped after 0\n^C\n');
    await waitFor(() => count(output.text, PROMPT) >= 2, 'a fresh prompt');
    input.write('uname\r');
    await waitFor(() => output.text.includes('uname: done\n'), 'the next line');
    expect(session.handled).toEqual(['sleep 300d', 'uname']);
    expect(session.stepOptions.every((o) => typeof o.interrupted === 'function')).toBe(true);
    expect(session.closed).toBe(0);
    input.write(CTRL_D);
    await expect(done).resolves.toBe('eof');
  });

  it('a Ctrl-C that arrives with the line (after it ran) is shown once, and nothing ends', async () => {
    const session = new FakeSession({ reply: async (line) => (await delay(20), blocks({ kind: 'spell-output', text: `out:${line}\n` })) });
    const { input, output, done } = setup(session, true);
    await waitFor(() => output.text.includes(PROMPT), 'prompt');
    input.write(`one\r${CTRL_C}`);
    await waitFor(() => output.text.includes('out:one\n^C\n'), 'the line, then ^C');
    await waitFor(() => count(output.text, PROMPT) >= 2, 'a fresh prompt');
    expect(session.closed).toBe(0);
    input.write(CTRL_D);
    await expect(done).resolves.toBe('eof');
    expect(session.handled).toEqual(['one']);
  });

  it('Ctrl-D on an empty line quits cleanly', async () => {
    const session = new FakeSession();
    const { input, output, done } = setup(session, true);
    await waitFor(() => output.text.includes(PROMPT), 'prompt');
    input.write(CTRL_D);
    await expect(done).resolves.toBe('eof');
    expect(session.closed).toBe(1);
    expect(output.text).toContain(DEFAULT_GOODBYE);
  });

  it('Ctrl-D at the prompt of a program holding the terminal ends the program, not the game; the next one ends the game', async () => {
    const session = new FakeSession({
      reply: (line, s) => {
        if (line === 'mongo') s.program = { prompt: 'rs0:SECONDARY> ', bye: 'bye\n' };
        return blocks();
      },
    });
    const prompt = (): string => session.program?.prompt ?? PROMPT;
    session.prompt = prompt;
    const { input, output, done } = setup(session, true);
    await waitFor(() => output.text.includes(PROMPT), 'prompt');
    input.write('mongo\r');
    await waitFor(() => output.text.includes('rs0:SECONDARY> '), "the program's prompt");
    input.write(CTRL_D);
    await waitFor(() => output.text.includes('bye\n'), 'bye');
    await waitFor(() => output.text.lastIndexOf(PROMPT) > output.text.indexOf('bye\n'), "bash's prompt again");
    expect(session.endsOfInput).toBe(1);
    expect(session.closed).toBe(0);
    input.write(CTRL_D);
    await expect(done).resolves.toBe('eof');
    expect(session.endsOfInput).toBe(1);
    expect(session.closed).toBe(1);
    expect(session.handled).toEqual(['mongo']);
  });

  it('processes a pasted block of lines in order, showing each at its prompt', async () => {
    const session = new FakeSession({
      reply: async (line) => {
        await delay(5);
        return blocks({ kind: 'spell-output', text: `out:${line}\n` });
      },
    });
    const { input, output, done } = setup(session, true);
    await waitFor(() => output.text.includes(PROMPT), 'prompt');
    input.write('one\rtwo\rthree\r');
    await waitFor(() => session.handled.length === 3 && output.text.includes('out:three'), 'three lines');
    expect(session.handled).toEqual(['one', 'two', 'three']);
    expect(session.maxInFlight).toBe(1);
    expect(output.text).toContain(`${PROMPT}two\n`);
    expect(output.text).toContain(`${PROMPT}three\n`);
    input.write(CTRL_D);
    await done;
  });

  it('waits for Enter after the chapter ends', async () => {
    const session = new FakeSession({
      reply: () => blocks({ kind: 'chapter-end', chapter: 'ch1', solved: true }),
    });
    const { input, output, done } = setup(session, true);
    await waitFor(() => output.text.includes(PROMPT), 'prompt');
    input.write('systemctl restart named\r');
    await waitFor(() => output.text.includes('Press Enter'), 'press enter');
    input.write('\r');
    await expect(done).resolves.toBe('chapter-end');
    expect(session.handled).toEqual(['systemctl restart named']);
    expect(session.closed).toBe(1);
  });
});

describe('createCompleter / readlineHistory', () => {
  it('returns the readline tuple [candidates, line.slice(from)]', () => {
    const session = new FakeSession({ complete: () => ({ from: 4, candidates: ['/etc/', '/var/'] }) });
    const completer = createCompleter(session);
    expect(completer('cat /')).toEqual([['/etc/', '/var/'], '/']);
    expect(session.completed).toEqual(['cat /']);
  });

  it('never throws', () => {
    const completer = createCompleter({
      complete: () => {
        throw new Error('nope');
      },
    });
    expect(completer('x')).toEqual([[], 'x']);
  });

  it('reverses the session history for readline and drops blank lines', () => {
    expect(readlineHistory({ history: () => ['a', ' ', 'b', 'c'] })).toEqual(['c', 'b', 'a']);
  });
});

describe('runRepl notices (things that happen between lines)', () => {
  type Show = Parameters<NonNullable<ReplDeps['notices']>>[0];

  it('shows a notice at once while the prompt waits, and the prompt again after it', async () => {
    let show: Show | null = null;
    const session = new FakeSession();
    const { input, output, done } = setup(session, false, { notices: (s) => ((show = s), () => (show = null)) });
    await waitFor(() => output.text.endsWith(PROMPT), 'prompt');
    show!([{ kind: 'system', text: 'The facilitator reveals a hint.' }]);
    expect(output.text.endsWith(`${PROMPT}\nThe facilitator reveals a hint.\n${PROMPT}`)).toBe(true);
    input.end();
    await done;
    // the loop let go of its notices when it ended
    expect(show).toBeNull();
  });

  it('holds a notice that comes while a line runs until that line\'s output is shown; end finishes the loop as quit', async () => {
    let show: Show | null = null;
    let release: () => void = () => undefined;
    const session = new FakeSession({
      reply: async (line) => {
        await new Promise<void>((r) => (release = r));
        return blocks({ kind: 'spell-output', text: `out:${line}\n` });
      },
    });
    const { input, output, done } = setup(session, false, { notices: (s) => ((show = s), () => undefined) });
    await waitFor(() => output.text.endsWith(PROMPT), 'prompt');
    input.write('sleep 1h\n');
    await waitFor(() => session.inFlight === 1, 'the line running');
    show!([{ kind: 'system', text: 'Time is up.' }], { end: true });
    expect(output.text).not.toContain('Time is up.');
    release();
    await expect(done).resolves.toBe('quit');
    expect(output.text.endsWith(`${PROMPT}sleep 1h\nout:sleep 1h\nTime is up.\n`)).toBe(true);
    expect(session.closed).toBe(1);
  });
});
