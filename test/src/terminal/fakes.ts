/** Test doubles for the terminal front end: a scripted session, a scripted menu, stream helpers. */
import { PassThrough } from 'node:stream';
import type { Completion, GameResult, OutputBlock, StepOptions } from '../../../engine/index';
import type { PlaySession, SessionOutput } from '../../../src/session-api';
import type { Colors } from '../../../src/terminal/render';
import type { Menu, MenuChoice } from '../../../src/terminal/title';


export interface FakeSessionOptions {
  prompt?: string;
  opening?: SessionOutput;
  history?: string[];
  /** what handle(line) returns; default echoes `out:<line>` as spell output */
  reply?: (line: string, session: FakeSession, opts: StepOptions) => SessionOutput | Promise<SessionOutput>;
  complete?: (line: string) => Completion;
}

export class FakeSession implements PlaySession {
  readonly chapter = 'ch1';
  readonly seed = 42;
  promptText: string;
  handled: string[] = [];
  /** the options each handle() call was given, in order */
  stepOptions: StepOptions[] = [];
  completed: string[] = [];
  closed = 0;
  inFlight = 0;
  maxInFlight = 0;
  private readonly opts: FakeSessionOptions;

  constructor(opts: FakeSessionOptions = {}) {
    this.opts = opts;
    this.promptText = opts.prompt ?? 'ops@ns2:~$ ';
  }

  prompt(): string {
    return this.promptText;
  }

  open(): SessionOutput {
    return this.opts.opening ?? { blocks: [{ kind: 'narration', text: 'The book opens by itself.' }] };
  }

  async handle(line: string, opts: StepOptions = {}): Promise<SessionOutput> {
    this.handled.push(line);
    this.stepOptions.push(opts);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.opts.reply) return await this.opts.reply(line, this, opts);
      return { blocks: [{ kind: 'spell-output', text: `out:${line}\n` }] };
    } finally {
      this.inFlight--;
    }
  }

  complete(line: string): Completion {
    this.completed.push(line);
    if (this.opts.complete) return this.opts.complete(line);
    return { from: line.length, candidates: [] };
  }

  history(): readonly string[] {
    return this.opts.history ?? [];
  }

  result(): GameResult {
    return { chapter: this.chapter, solved: false, hints: 0, spells: this.handled.length, virtualTime: '0s' };
  }

  async close(): Promise<SessionOutput> {
    this.closed++;
    return { blocks: [] };
  }

  /** a program holding the terminal (set by a test's reply, as the mongo shell would be started) */
  program: { prompt: string; bye: string } | null = null;
  endsOfInput = 0;

  programRunning(): boolean {
    return this.program !== null;
  }

  async endOfInput(): Promise<SessionOutput | null> {
    if (!this.program) return null;
    this.endsOfInput++;
    const bye = this.program.bye;
    this.program = null;
    return { blocks: [{ kind: 'spell-output', text: bye }] };
  }
}

/** An output stream that remembers everything written to it. */
export class Capture extends PassThrough {
  text = '';
  constructor() {
    super();
    this.setEncoding('utf8');
    this.on('data', (chunk: string) => {
      this.text += chunk;
    });
  }
}

export const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function waitFor(predicate: () => boolean, what = 'condition', timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await delay(2);
  }
}

/** Colours that wrap text in visible tags, to check which style was applied where. */
export function taggingColors(): Colors {
  const tag = (name: string) => (s: string) => `<${name}>${s}</${name}>`;
  return {
    enabled: true,
    bold: tag('b'),
    dim: tag('dim'),
    italic: tag('i'),
    underline: tag('u'),
    inverse: tag('inv'),
    red: tag('red'),
    green: tag('green'),
    yellow: tag('yellow'),
    blue: tag('blue'),
    magenta: tag('magenta'),
    cyan: tag('cyan'),
    gray: tag('gray'),
  };
}

/** Colours that produce real ANSI codes, without loading chalk. */
export function ansiColors(): Colors {
  const sgr = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
  return {
    enabled: true,
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    italic: sgr(3, 23),
    underline: sgr(4, 24),
    inverse: sgr(7, 27),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    blue: sgr(34, 39),
    magenta: sgr(35, 39),
    cyan: sgr(36, 39),
    gray: sgr(90, 39),
  };
}

export interface MenuCall {
  message: string;
  choices: MenuChoice<unknown>[];
  /** the third argument of select (e.g. { default }) */
  options?: { default?: unknown };
}

/** A menu answering from a script: a value to pick (by value), or a function (which may throw). */
export class ScriptedMenu implements Menu {
  calls: MenuCall[] = [];
  constructor(private readonly script: (unknown | ((call: MenuCall) => unknown))[]) {}

  async select<T>(message: string, choices: MenuChoice<T>[], options?: { default?: T }): Promise<T> {
    const call: MenuCall = { message, choices: choices as MenuChoice<unknown>[], options };
    this.calls.push(call);
    if (this.script.length === 0) throw new Error(`menu script exhausted at "${message}"`);
    const step = this.script.shift();
    const value = typeof step === 'function' ? (step as (c: MenuCall) => unknown)(call) : step;
    const choice = choices.find((ch) => ch.value === value);
    if (!choice) throw new Error(`no choice with value ${String(value)} in "${message}"`);
    if (choice.disabled) throw new Error(`choice ${choice.name} is disabled`);
    return choice.value;
  }
}

export class ExitPromptError extends Error {
  override name = 'ExitPromptError';
}

export function blocks(...b: OutputBlock[]): SessionOutput {
  return { blocks: b };
}

/**
 * An interrupt source (src/terminal/interrupt.ts) for tests: Ctrl-C is "pressed" while the lines
 * numbered in `pressedDuring` run (1 = the first line handled), the moment the session asks.
 */
export class FakeInterrupts {
  lines = 0;
  asked = 0;
  private fired = false;
  constructor(private readonly pressedDuring: number[] = []) {}

  begin(): () => boolean {
    const line = ++this.lines;
    this.fired = false;
    return () => {
      this.asked++;
      if (this.pressedDuring.includes(line)) this.fired = true;
      return this.fired;
    };
  }

  end(): boolean {
    return this.fired;
  }
}

/** A session reply that runs like a long spell: it asks interrupted() up to `steps` times and says how far it got. */
export function longSpell(steps = 1000): (line: string, session: FakeSession, opts: StepOptions) => SessionOutput {
  return (line, _session, opts) => {
    let done = 0;
    while (done < steps && !opts.interrupted?.()) done++;
    return blocks({ kind: 'spell-output', text: `${line}: ${done === steps ? 'done' : `stopped after ${done}`}\n` });
  };
}
