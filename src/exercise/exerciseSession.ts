/**
 * A play session wrapped as an exercise: the same game, with a clock in the prompt, hints gated
 * as the exercise says, a facilitator who can act between lines, and everything recorded as it
 * happens (each line with its output blocks, objective changes, clues, hints, wrong fixes, and
 * the facilitator's view after every change). Everything that touches the game goes through one
 * queue, so a facilitator's action never runs in the middle of a player's line.
 */
import type { Completion, GameInspection, GameResult, OutputBlock } from '../../engine/index';
import type { HandleOptions, PlaySession, SessionOutput } from '../session-api';
import type { ExerciseClock } from './clock';
import type { ControlAction } from './control';
import type { HintMode } from './exerciseFile';
import type { EndReason, RecordSink, RunRecord, Stamp } from './runFile';
import { formatDuration, formatRemaining } from './timeBox';

/** what the exercise needs of the game's session beyond playing it */
export interface InspectableSession extends PlaySession {
  inspect(): GameInspection;
  inject(id: string): { ok: true; happened: string; blocks: OutputBlock[] } | { ok: false; message: string };
}

export type Notify = (blocks: readonly OutputBlock[], opts?: { end?: boolean }) => void;

const QUIT_WORDS = new Set(['quit', 'exit', 'logout']);
/** warnings before the box closes, when the box is at least twice as long */
const WARNINGS_MS = [5 * 60_000, 60_000];

const sys = (text: string): OutputBlock => ({ kind: 'system', text });

const HINT_WORDS: Record<HintMode, string> = {
  allowed: 'type hint when you are stuck',
  off: 'none in this exercise',
  facilitator: 'the facilitator reveals them',
};

/** the narration and system words of a line, joined: what the story said of it */
function said(blocks: readonly OutputBlock[]): string {
  return blocks
    .filter((b): b is Extract<OutputBlock, { kind: 'narration' | 'system' }> => b.kind === 'narration' || b.kind === 'system')
    .map((b) => ('speaker' in b && b.speaker ? `${b.speaker}: ${b.text}` : b.text))
    .join(' ');
}

/** `hint` as the engine reads it: the game's own command, not part of a pipeline */
function isHintCommand(line: string): boolean {
  const words = line.trim().split(/\s+/);
  return words[0] === 'hint' && !/[|;&<>`$]/.test(line);
}

export class ExerciseSession implements PlaySession {
  private lines = 0;
  private ended: EndReason | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private warned = new Set<number>();
  private knownWrongFixes: string[] = [];
  private clueTexts = new Map<string, string>();
  /** shows blocks to the player between lines; the runner connects it to the terminal */
  notify: Notify = () => undefined;

  constructor(
    private readonly game: InspectableSession,
    private readonly opts: { name: string; hints: HintMode; clock: ExerciseClock; sink: RecordSink },
  ) {}

  get chapter(): string {
    return this.game.chapter;
  }

  get seed(): number {
    return this.game.seed;
  }

  /** why the exercise ended, or null while it goes on */
  get endReason(): EndReason | null {
    return this.ended;
  }

  prompt(): string {
    return `[${this.clockLabel()}] ${this.game.prompt()}`;
  }

  private clockLabel(): string {
    const c = this.opts.clock;
    if (this.ended) return 'over';
    if (c.paused) return `paused, ${formatRemaining(c.remaining())} left`;
    return `${formatRemaining(c.remaining())} left`;
  }

  complete(line: string): Completion {
    return this.game.complete(line);
  }

  history(): readonly string[] {
    return this.game.history();
  }

  result(): GameResult {
    return this.game.result();
  }

  inspect(): GameInspection {
    return this.game.inspect();
  }

  open(): SessionOutput {
    const out = this.game.open();
    this.opts.clock.start();
    const intro = sys(
      `Exercise "${this.opts.name}": ${formatDuration(this.opts.clock.boxMs)} on the clock, the time left is in your prompt. Hints: ${HINT_WORDS[this.opts.hints]}.`,
    );
    const blocks = [...out.blocks, intro];
    const state = this.game.inspect();
    this.knownWrongFixes = [...state.wrongFixes];
    const at = this.stamp(state);
    this.record({ t: 'clock', event: 'start', remainingMs: this.opts.clock.remaining(), ...at });
    this.record({ t: 'open', blocks, ...at });
    this.record({ t: 'state', state, ...at });
    return { ...out, blocks };
  }

  handle(line: string, opts: HandleOptions = {}): Promise<SessionOutput> {
    return this.serial(() => this.handleNow(line, opts));
  }

  private async handleNow(line: string, opts: HandleOptions): Promise<SessionOutput> {
    if (this.ended) return { blocks: [sys('The exercise is over.')], quit: true };
    const clock = this.opts.clock;
    if (clock.expired()) return { blocks: this.finish('time'), quit: true };
    const trimmed = line.trim();
    if (trimmed === '') return this.game.handle(line, opts);
    const head = trimmed.split(/\s+/)[0]!;
    const n = ++this.lines;
    if (clock.paused && !QUIT_WORDS.has(head)) {
      return this.refuse(n, line, 'paused', 'The facilitator has paused the exercise: the clock is stopped, and so is the machine until they resume.');
    }
    if (isHintCommand(trimmed) && this.opts.hints !== 'allowed') {
      return this.opts.hints === 'off'
        ? this.refuse(n, line, 'hints-off', 'Hints are off in this exercise. (`journal` and `status` show where you are.)')
        : this.refuse(n, line, 'hints-locked', 'Hints are locked in this exercise: the facilitator reveals the next one when it is time.');
    }
    const out = await this.game.handle(line, opts);
    this.recordLine(n, line, out.blocks);
    if (out.blocks.some((b) => b.kind === 'chapter-end')) {
      return { ...out, blocks: [...out.blocks, ...this.finish('solved')] };
    }
    if (out.quit) this.finish('quit');
    return out;
  }

  private refuse(n: number, input: string, refused: 'paused' | 'hints-off' | 'hints-locked', text: string): SessionOutput {
    const blocks = [sys(text)];
    this.record({ t: 'line', n, input, blocks, refused, ...this.stamp() });
    return { blocks };
  }

  /** the line's record, then what it changed: objectives, clues, hints, wrong fixes, and the view after it */
  private recordLine(n: number, input: string, blocks: OutputBlock[]): void {
    const state = this.game.inspect();
    const at = this.stamp(state);
    this.record({ t: 'line', n, input, blocks, ...at });
    this.recordChanges(blocks, n, input, state, at, 'player');
  }

  private recordChanges(blocks: readonly OutputBlock[], line: number | null, input: string, state: GameInspection, at: Stamp, by: 'player' | 'facilitator'): void {
    for (const b of blocks) {
      if (b.kind === 'objective') this.record({ t: 'objective', line, id: b.id, label: b.label, status: b.status, ...(b.detail ? { detail: b.detail } : {}), ...at });
      if (b.kind === 'journal') {
        this.clueTexts.set(b.id, b.text);
        this.record({ t: 'clue', line, id: b.id, text: b.text, ...at });
      }
      if (b.kind === 'hint') this.record({ t: 'hint', line, level: b.level, total: b.total, by, ...at });
    }
    for (const kind of state.wrongFixes) {
      if (this.knownWrongFixes.includes(kind)) continue;
      this.knownWrongFixes.push(kind);
      this.record({ t: 'wrong-fix', line, kind, input, said: said(blocks), ...at });
    }
    this.record({ t: 'state', state, ...at });
  }

  /** Does one facilitator action and acknowledges it in the run file. */
  act(a: ControlAction): Promise<void> {
    return this.serial(async () => {
      const ack = (ok: boolean, message: string): void =>
        this.record({ t: 'action', id: a.id, action: a.action, ...(a.injection ? { injection: a.injection } : {}), ok, message, ...this.stamp() });
      if (this.ended) return ack(false, 'the exercise is over');
      const clock = this.opts.clock;
      switch (a.action) {
        case 'hint': {
          if (this.opts.hints === 'off') return ack(false, 'hints are off in this exercise');
          const out = await this.game.handle('hint');
          const blocks = [sys('The facilitator reveals a hint:'), ...out.blocks];
          const state = this.game.inspect();
          const at = this.stamp(state);
          this.record({ t: 'notice', blocks, ...at });
          this.recordChanges(out.blocks, null, 'hint (facilitator)', state, at, 'facilitator');
          this.notify(blocks);
          const h = out.blocks.find((b) => b.kind === 'hint');
          return ack(h !== undefined, h && h.kind === 'hint' ? `hint ${h.level} of ${h.total} revealed` : 'there are no more hints: the last one was the answer');
        }
        case 'pause':
        case 'resume': {
          const pausing = a.action === 'pause';
          if (!(pausing ? clock.pause() : clock.resume())) return ack(false, pausing ? 'the clock is already paused' : 'the clock is running already');
          const text = pausing
            ? `The facilitator pauses the exercise: the clock stops at ${formatRemaining(clock.remaining())} left.`
            : `The facilitator resumes the exercise: ${formatRemaining(clock.remaining())} left on the clock.`;
          const at = this.stamp();
          this.record({ t: 'clock', event: a.action, remainingMs: clock.remaining(), ...at });
          this.record({ t: 'notice', blocks: [sys(text)], ...at });
          this.notify([sys(text)]);
          return ack(true, pausing ? 'clock paused' : 'clock resumed');
        }
        case 'inject': {
          if (!a.injection) return ack(false, 'which injection? (inject ID)');
          const r = this.game.inject(a.injection);
          if (!r.ok) return ack(false, r.message);
          const state = this.game.inspect();
          const at = this.stamp(state);
          if (r.blocks.length > 0) {
            // the player sees what the machine and the story make of it, not that it was injected
            this.record({ t: 'notice', blocks: r.blocks, ...at });
            this.notify(r.blocks);
          }
          this.recordChanges(r.blocks, null, `inject ${a.injection} (facilitator)`, state, at, 'facilitator');
          return ack(true, r.happened);
        }
        case 'end': {
          // acknowledged first: the end record is the run's last
          ack(true, 'exercise ended');
          const blocks = this.finish('facilitator');
          this.notify(blocks, { end: true });
          return;
        }
      }
    });
  }

  /** Between lines and while the prompt waits: the time box, and warnings before it closes. */
  tick(): Promise<void> {
    return this.serial(async () => {
      if (this.ended) return;
      const clock = this.opts.clock;
      if (clock.expired()) {
        this.notify(this.finish('time'), { end: true });
        return;
      }
      for (const w of WARNINGS_MS) {
        if (this.warned.has(w) || clock.boxMs < 2 * w || clock.remaining() > w) continue;
        this.warned.add(w);
        // the shorter warnings include the longer ones' moment
        for (const longer of WARNINGS_MS) if (longer > w) this.warned.add(longer);
        this.notify([sys(`${formatDuration(w)} left on the clock.`)]);
      }
    });
  }

  async close(): Promise<SessionOutput> {
    await this.serial(async () => {
      if (!this.ended) this.finish('left');
    });
    return this.game.close();
  }

  /** Ends the exercise: the end record, and the debrief of what was reached (nothing more for a player who left). */
  private finish(reason: EndReason): OutputBlock[] {
    this.ended = reason;
    const state = this.game.inspect();
    const result = this.game.result();
    const at = this.stamp(state);
    this.record({ t: 'state', state, ...at });
    this.record({ t: 'end', reason, result, ...at });
    if (reason === 'quit' || reason === 'left') return [];
    const clockText = `${formatDuration(Math.min(this.opts.clock.elapsed(), this.opts.clock.boxMs))} of ${formatDuration(this.opts.clock.boxMs)}`;
    if (reason === 'solved') return [sys(`Exercise over: solved in ${clockText} on the clock.`)];
    const blocks: OutputBlock[] = [
      { kind: 'title', text: reason === 'time' ? 'Time is up' : 'The facilitator ends the exercise', subtitle: `${clockText} on the clock, ${result.virtualTime} of the machine's time` },
      { kind: 'status', objectives: state.objectives, solved: state.solved, virtualTime: result.virtualTime },
    ];
    const found = state.clues.found;
    const total = found.length + state.clues.notFound.length;
    const clueLines = found.map((id) => `  - ${this.clueTexts.get(id) ?? id}`);
    blocks.push(sys([`Clues found: ${found.length} of ${total}.`, ...clueLines].join('\n')));
    const tried = state.wrongFixes.length > 0 ? ` Wrong fixes tried: ${state.wrongFixes.join(', ')}.` : '';
    blocks.push(sys(`Spells cast: ${state.spells}. Hints used: ${state.hints.used} of ${state.hints.total}.${tried}`));
    if (state.diagnosis) blocks.push(sys(`What was really wrong: ${state.diagnosis}`));
    return blocks;
  }

  private stamp(state?: GameInspection): Stamp {
    const c = this.opts.clock;
    return { wall: new Date(c.wall()).toISOString(), clockMs: c.elapsed(), virtualMs: (state ?? this.game.inspect()).elapsedMs };
  }

  private record(r: RunRecord): void {
    this.opts.sink.append(r);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.queue.then(fn, fn);
    this.queue = p.catch(() => undefined);
    return p;
  }
}
