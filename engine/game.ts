import type { Completion, GameHandle, GameInspection, GameResult, MachineFile, SavedGame, StepOptions } from './api';
import { machineFile } from './machineFile';
import type { ChapterBinding, ChapterModule, ChapterProgress, TerminalProgram } from './chapter';
import { loadChapter } from './chapters/registry';
import { formatElapsed, formatClock } from './clock';
import { advanceFlow, type FlowEvent, type FlowPhase } from './flow';
import { createObjectivesMachine, evaluateObjectives, type ObjectivesMachine } from './objectives';
import { RngStreams, type StreamsState } from './rng';
import { gameCommandSpecs, GAME_COMMANDS } from './gameCommands';
import { complete as completeLine } from './shell/complete';
import { runLine, initialShellState, type ShellState } from './shell/exec';
import { LIMITS } from './shell/limits';
import { createRegistry, genericCommands } from './shell/registry';
import type { CommandRegistry, CommandSpec, ShellEnv } from './shell/types';
import { clueKnot, STORY_KNOTS, STORY_TAGS, STORY_VARIABLES, talkKnot } from './story/contract';
import { InkRunner, type InkOutput } from './story/inkRunner';
import type { Chart, Json, ObjectiveView, OutputBlock } from './types';
import { ENGINE_VERSION } from './version';
import { Vfs } from './vfs/vfs';

const HISTORY_LIMIT = 1000;
/** a spell takes a second or two of the machine's time before it runs */
const LINE_LIMIT_SLACK_MS = 60_000;

/**
 * One typed line's hold on the clock: the virtual time it may take the world to (LIMITS.lineTime
 * after it starts), and the front end's Ctrl-C, which stays pressed once it has been.
 */
class LineClock {
  deadline: number;
  private stopped = false;

  constructor(
    start: number,
    private readonly ask: (() => boolean) | undefined,
    limitMs: number = LIMITS.lineTime,
  ) {
    // a world's own limit is on what the line asks for: the moment each spell itself takes comes on top
    this.deadline = start + Math.min(LIMITS.lineTime, limitMs + LINE_LIMIT_SLACK_MS);
  }

  readonly interrupted = (): boolean => {
    if (!this.stopped && this.ask) {
      try {
        this.stopped = this.ask() === true;
      } catch {
        // a front end's check that fails is no Ctrl-C
      }
    }
    return this.stopped;
  };
}

interface JournalEntry {
  id: string;
  text: string;
  /** virtual ms */
  at: number;
}

/** Everything about one game, as JSON. */
interface GameState {
  chapter: string;
  seed: number;
  /** the named random streams drawn from so far (the rest are derived from the seed again) */
  streams: StreamsState;
  world: Json;
  shell: ShellState;
  flow: unknown;
  objectives: unknown;
  story: string | null;
  progress: ChapterProgress;
  hintLevel: number;
  journal: JournalEntry[];
  /** spells the player has cast, in the order first cast */
  learned: string[];
  history: string[];
  /** a conversation is waiting for the player to pick a numbered choice */
  conversation: boolean;
  started: boolean;
}

/** Objects rebuilt from the state whenever it is created or restored; never saved. */
interface Runtime {
  chapter: ChapterModule;
  streams: RngStreams;
  binding: ChapterBinding;
  registry: CommandRegistry;
  vfs: Vfs;
  ink: InkRunner;
  machine: ObjectivesMachine;
}

/** a chapter's objectives chart, built once: a chart is a definition, each evaluation runs its own actor */
const objectivesMachines = new WeakMap<ChapterModule, ObjectivesMachine>();

/** a line that went through since the last checkpoint, as the rollback plays it again */
interface JournalStep {
  kind: 'step';
  line: string;
  /** which call of the front end's Ctrl-C check first said yes (1 the first), or null when none did */
  stopAt: number | null;
}
/** a facilitator's injection (GameHandle.inject) between lines */
interface JournalInjection {
  kind: 'inject';
  id: string;
}
type Replayable = { kind: 'start' } | JournalStep | JournalInjection;

/** the state as it was at a moment, and every line since */
interface Checkpoint {
  state: string;
  /** the machine's clock then (virtual ms) */
  at: number;
  journal: Replayable[];
}

const CHECKPOINT_LINES = 32;
const CHECKPOINT_VIRTUAL_MS = 24 * 3600_000;

export class Game implements GameHandle {
  private state: GameState;
  private rt: Runtime;
  private checkpoint: Checkpoint | null = null;

  private constructor(state: GameState) {
    this.state = state;
    this.rt = this.buildRuntime();
  }

  static create(chapterId: string, seed: number): Game {
    const chapter = loadChapter(chapterId);
    const streams = new RngStreams(seed);
    const world = chapter.createWorld(streams);
    const state: GameState = {
      chapter: chapter.info.id,
      seed,
      streams: streams.getState(),
      world,
      shell: initialShellState(),
      flow: null,
      objectives: null,
      story: null,
      progress: { clues: [], notes: {}, hintsUsed: 0, spellsCast: 0, openedAt: 0, solvedAt: null },
      hintLevel: 0,
      journal: [],
      learned: [],
      history: [],
      conversation: false,
      started: false,
    };
    const game = new Game(state);
    game.state.progress.openedAt = game.rt.binding.machine.now();
    game.state.flow = advanceFlow(null, []).persisted;
    game.state.objectives = evaluateObjectives(game.rt.machine, chapter.objectives, null, null).persisted;
    return game;
  }

  /** Restores a game saved by snapshot(). Throws a RangeError with a clear message when it can't. */
  static restore(saved: SavedGame): Game {
    if (saved.format !== 'grimoire-game') throw new RangeError('this is not a grimoire game');
    if (saved.engineVersion !== ENGINE_VERSION) {
      throw new RangeError(`this game was saved by engine version ${saved.engineVersion}; this is version ${ENGINE_VERSION}`);
    }
    const chapter = loadChapter(saved.chapter);
    // a story whose words were mended since the save still takes the game over: its state is
    // variables and visit counts by knot name, and the flow sits between knots after every step
    const storyChanged = saved.storyVersion !== chapter.story().version;
    // zod and the schema load only when a game is restored: a new game never pays for them
    (require('./stateSchema') as typeof import('./stateSchema')).validateSavedGame(saved);
    // copied once: the world by its chapter's unpackWorld (its logs built from their columns), the rest here
    const world = (saved.state as unknown as GameState).world;
    const state = JSON.parse(JSON.stringify({ ...(saved.state as unknown as GameState), world: null })) as GameState;
    try {
      state.world = chapter.unpackWorld ? chapter.unpackWorld(world, state.streams as unknown as { [name: string]: Json }) : (JSON.parse(JSON.stringify(world)) as Json);
      return new Game(state);
    } catch (e) {
      if (storyChanged) {
        throw new RangeError(`this game was saved with another version of chapter ${saved.chapter}'s story, and this one cannot take over its place in it`, { cause: e });
      }
      // something below what validateSavedGame looks at (the world's insides, the story's state): the JavaScript error is the cause, not the message
      throw new RangeError(`this game could not be restored: what the save holds could not be rebuilt into a running game`, { cause: e });
    }
  }

  get chapter(): string {
    return this.state.chapter;
  }

  get seed(): number {
    return this.state.seed;
  }

  prompt(): string {
    const b = this.rt.binding.machine;
    // a program holding the terminal (the mongo shell) asks with its own prompt
    const held = b.program?.prompt() ?? null;
    if (held !== null) return held;
    const home = b.home;
    const cwd = this.state.shell.cwd;
    const shown = cwd === home ? '~' : cwd.startsWith(home + '/') ? '~' + cwd.slice(home.length) : cwd;
    return `${b.loginUser}@${b.hostname}:${shown}$ `;
  }

  programRunning(): boolean {
    return (this.rt.binding.machine.program?.prompt() ?? null) !== null;
  }

  endOfInput(): OutputBlock[] | null {
    const program = this.rt.binding.machine.program;
    if (!program || program.prompt() === null) return null;
    const out = program.eof();
    return out === '' ? [] : [{ kind: 'spell-output', text: out }];
  }

  history(): string[] {
    return [...this.state.history];
  }

  solved(): boolean {
    return this.state.progress.solvedAt !== null;
  }

  progress(): { done: number; total: number } {
    const views = this.objectiveViews();
    return { done: views.filter((v) => v.status === 'done').length, total: views.length };
  }

  result(): GameResult {
    return {
      chapter: this.state.chapter,
      solved: this.solved(),
      hints: this.state.progress.hintsUsed,
      spells: this.state.progress.spellsCast,
      virtualTime: formatElapsed(this.rt.binding.machine.now() - this.state.progress.openedAt),
    };
  }

  snapshot(): SavedGame {
    this.syncRuntimeIntoState();
    return {
      format: 'grimoire-game',
      engineVersion: ENGINE_VERSION,
      storyVersion: this.rt.chapter.story().version,
      chapter: this.state.chapter,
      seed: this.state.seed,
      state: this.savedState(),
    };
  }

  /** the state as a save holds it: a copy sharing nothing with the live one, the world as its chapter packs it */
  private savedState(): Json {
    const pack = this.rt.chapter.packWorld;
    if (!pack) return JSON.parse(JSON.stringify(this.state)) as Json;
    const state = JSON.parse(JSON.stringify({ ...this.state, world: null })) as { [key: string]: Json };
    state.world = pack(this.state.world, state.streams as { [name: string]: Json });
    return state;
  }

  start(): OutputBlock[] {
    if (this.state.started) return [];
    return this.transaction({ kind: 'start' }, () => this.briefing());
  }

  step(input: string, opts: StepOptions = {}): OutputBlock[] {
    const line = input.replace(/\r?\n$/, '');
    if (line.trim() === '') return [];
    const entry: JournalStep = { kind: 'step', line, stopAt: null };
    const ask = opts.interrupted;
    let asked = 0;
    // the journal notes which question first got a yes, so that a replay stops where this line did
    const interrupted = ask
      ? () => {
          asked++;
          const yes = ask();
          if (yes === true && entry.stopAt === null) entry.stopAt = asked;
          return yes;
        }
      : undefined;
    return this.transaction(entry, () => this.runStep(line, interrupted ? { interrupted } : {}));
  }

  machineFile(path: string): MachineFile {
    const b = this.rt.binding.machine;
    return machineFile(this.rt.vfs, b.files, b.loginUser, this.state.shell.cwd, b.home, path);
  }

  inspect(): GameInspection {
    const p = this.state.progress;
    const chapter = this.rt.chapter;
    const notes = p.notes;
    const tried = Array.isArray(notes.wrongFixes) ? notes.wrongFixes.filter((k): k is string => typeof k === 'string') : [];
    return {
      chapter: this.state.chapter,
      diagnosis: chapter.diagnosis ?? null,
      fixInEffect: this.rt.binding.judge.fixInEffect(),
      objectives: this.objectiveViews(),
      clues: { found: [...p.clues], notFound: (chapter.clueIds ?? []).filter((c) => !p.clues.includes(c)) },
      hints: { used: p.hintsUsed, total: chapter.hintLevels },
      wrongFixes: tried,
      spells: p.spellsCast,
      solved: this.solved(),
      elapsedMs: this.rt.binding.machine.now() - p.openedAt,
      injections: (chapter.injections ?? []).map((i) => ({ id: i.id, label: i.label })),
    };
  }

  inject(id: string): { ok: true; happened: string; blocks: OutputBlock[] } | { ok: false; message: string } {
    const injection = (this.rt.chapter.injections ?? []).find((i) => i.id === id);
    if (!injection) {
      const known = (this.rt.chapter.injections ?? []).map((i) => i.id);
      return { ok: false, message: `chapter ${this.state.chapter} has no injection '${id}'${known.length > 0 ? ` (it has: ${known.join(', ')})` : ' (it defines none)'}` };
    }
    let happened = '';
    const blocks = this.transaction({ kind: 'inject', id }, () => {
      happened = this.applyInjection(id);
      return this.afterStep();
    });
    if (happened === '') return { ok: false, message: blocks.map((b) => ('text' in b ? b.text : '')).join(' ') };
    return { ok: true, happened, blocks };
  }

  private applyInjection(id: string): string {
    const injection = (this.rt.chapter.injections ?? []).find((i) => i.id === id)!;
    const b = this.rt.binding.machine;
    // the binding holds the live world: the injection changes it in place, as a spell would
    return injection.apply(b.world(), {
      streams: this.rt.streams,
      now: () => b.now(),
      advance: (ms) => this.advanceWorld(b.now() + Math.max(0, ms)),
    }) || id;
  }

  complete(line: string): Completion {
    // bash's completion knows nothing of a program's language
    if ((this.rt.binding.machine.program?.prompt() ?? null) !== null) return { from: line.length, candidates: [] };
    try {
      return completeLine(line, this.shellEnv(), this.state.shell);
    } catch {
      return { from: line.length, candidates: [] };
    }
  }

  // ---- internals ------------------------------------------------------------------------

  private briefing(): OutputBlock[] {
    const info = this.rt.chapter.info;
    const blocks: OutputBlock[] = [{ kind: 'title', text: `Chapter ${info.number}: ${info.title}`, subtitle: info.blurb }];
    blocks.push(...this.inkBlocks(this.rt.ink.run(STORY_KNOTS.briefing)));
    this.state.started = true;
    this.sendFlow([{ type: 'BRIEFED' }]);
    // the objectives start from what the machine looks like on arrival, without announcing it
    this.state.objectives = evaluateObjectives(this.rt.machine, this.rt.chapter.objectives, this.state.objectives, this.rt.binding.judge.verdicts()).persisted;
    return blocks;
  }

  private runStep(line: string, opts: StepOptions): OutputBlock[] {
    this.state.history.push(line);
    if (this.state.history.length > HISTORY_LIMIT) this.state.history.splice(0, this.state.history.length - HISTORY_LIMIT);
    if (!this.state.started) this.state.started = true;
    const blocks = this.dispatch(line.trim(), opts);
    blocks.push(...this.afterStep());
    return blocks;
  }

  /**
   * Runs fn; if anything throws, the state is put back exactly as it was and the error shown.
   *
   * Copying the whole state before every line would cost each line a walk of the world (megabytes
   * of logs in a long game). Instead the state is copied now and then (a checkpoint), and each line
   * that went through since is journaled; a line that throws puts the checkpoint back and plays the
   * journal over it again. The engine is deterministic, so that is the state as it was: the same
   * lines from the same state, each Ctrl-C answered at the same question as the first time.
   */
  private transaction(entry: Replayable, fn: () => OutputBlock[]): OutputBlock[] {
    this.checkpointIfDue();
    try {
      const blocks = fn();
      this.syncRuntimeIntoState();
      this.checkpoint!.journal.push(entry);
      return blocks;
    } catch (err) {
      const lost = this.rollBack();
      const why = err instanceof Error ? err.message : String(err);
      if (lost === 0) return [{ kind: 'error', text: `grimoire: that spell fizzled (${why}); nothing changed.` }];
      return [{ kind: 'error', text: `grimoire: that spell fizzled (${why}), and the game could only go back to where it was ${lost} line${lost === 1 ? '' : 's'} ago.` }];
    }
  }

  /**
   * A new checkpoint once the journal would take long to play again: after CHECKPOINT_LINES lines,
   * or once the lines since have moved the world on by CHECKPOINT_VIRTUAL_MS (simulated time is
   * what a replay pays for). Either way a copy costs at most a fraction of what the lines did.
   */
  private checkpointIfDue(): void {
    const now = this.rt.binding.machine.now();
    const cp = this.checkpoint;
    if (cp && cp.journal.length < CHECKPOINT_LINES && now - cp.at < CHECKPOINT_VIRTUAL_MS) return;
    this.syncRuntimeIntoState();
    this.checkpoint = { state: JSON.stringify(this.state), at: now, journal: [] };
  }

  /** Puts the state back as it was before the line in flight; returns how many lines before that it could not replay (0 when none). */
  private rollBack(): number {
    const cp = this.checkpoint!;
    this.state = JSON.parse(cp.state) as GameState;
    this.rt = this.buildRuntime();
    try {
      for (const entry of cp.journal) {
        if (entry.kind === 'start') {
          this.briefing();
          continue;
        }
        if (entry.kind === 'inject') {
          this.applyInjection(entry.id);
          this.afterStep();
          continue;
        }
        const stopAt = entry.stopAt;
        let asked = 0;
        this.runStep(entry.line, stopAt === null ? {} : { interrupted: () => ++asked >= stopAt });
      }
      this.syncRuntimeIntoState();
      return 0;
    } catch {
      // a line that went through once and not twice would be a bug in the engine's determinism: the checkpoint, whole, is the best left
      const lost = cp.journal.length;
      this.state = JSON.parse(cp.state) as GameState;
      this.rt = this.buildRuntime();
      cp.journal = [];
      return lost;
    }
  }

  private buildRuntime(): Runtime {
    const chapter = loadChapter(this.state.chapter);
    const streams = new RngStreams(this.state.seed, this.state.streams);
    const binding = chapter.bind(this.state.world, streams, this.state.progress);
    const specs: CommandSpec[] = [...genericCommands(), ...binding.machine.commands, ...binding.spells, ...gameCommandSpecs(chapter.hintLevels)];
    const registry = createRegistry(specs);
    const vfs = new Vfs(binding.machine.files, binding.machine.providers, { now: () => binding.machine.now(), disk: binding.machine.disk });
    const story = chapter.story();
    const ink = new InkRunner(story.json, binding.story.externals(), this.state.story ?? undefined);
    let machine = objectivesMachines.get(chapter);
    if (!machine) objectivesMachines.set(chapter, (machine = createObjectivesMachine(chapter.info.id, chapter.objectives)));
    return { chapter, streams, binding, registry, vfs, ink, machine };
  }

  private syncRuntimeIntoState(): void {
    this.state.streams = this.rt.streams.getState();
    this.state.world = this.rt.binding.machine.world();
    this.state.story = this.rt.ink.saveState();
  }

  /**
   * The shell's view of the game. While a typed line runs, `line` bounds its virtual time and
   * carries Ctrl-C; `charge` bills the line's first command; `cron` is the shell cron starts,
   * which shares the line's clock but not its Ctrl-C (the signal goes to the player's terminal).
   */
  private shellEnv(opts: { charge?: () => void; line?: LineClock; cron?: boolean } = {}): ShellEnv {
    const b = this.rt.binding.machine;
    const registry = this.rt.registry;
    const { charge, line } = opts;
    const commands: CommandRegistry = charge
      ? {
          names: () => registry.names(),
          get: (name) => {
            const spec = registry.get(name);
            if (!spec) return undefined;
            return { ...spec, run: (ctx) => (charge(), spec.run(ctx)) };
          },
        }
      : registry;
    const typed = !!line && !opts.cron;
    // every key always there, undefined when it does not apply: objects of one shape keep the
    // shell's property reads monomorphic, where the player's shell and cron's took turns
    return {
      commands,
      fs: this.rt.vfs,
      loginUser: b.loginUser,
      hostname: b.hostname,
      sudoers: b.sudoers,
      now: () => b.now(),
      advance: (ms) => this.advanceWorld(b.now() + Math.max(0, ms), line),
      pids: () => b.pids(),
      shellPid: opts.cron ? undefined : () => b.shellPid(),
      onSudo: (e) => b.sudoRan?.(e, !opts.cron),
      cpuUsed: opts.cron || !b.sessionCpu ? undefined : () => b.sessionCpu!(),
      vars: b.vars,
      timeLeft: typed ? () => Math.max(0, line.deadline - b.now()) : undefined,
      interrupted: typed ? line.interrupted : undefined,
      lineLimit: typed ? b.lineLimit : undefined,
      // set per command (Runner.context): a key the copy only overwrites, as V8 adds a new one to
      // a spread copy through its slow path (about 2 us a command, against 0.07 us)
      work: undefined,
    };
  }

  private advanceWorld(to: number, line?: LineClock): void {
    const b = this.rt.binding.machine;
    b.advanceTo(to, {
      runCommand: (cronLine, user) => {
        // cron's own shell: what it writes goes to cron, which would mail it (this box has no MTA)
        const cronState = { ...initialShellState(), cwd: '/' };
        return runLine(cronLine, this.shellEnv({ line, cron: true }), cronState, { user });
      },
      ...(line ? { deadline: line.deadline, interrupted: line.interrupted } : {}),
    });
  }

  private dispatch(line: string, opts: StepOptions): OutputBlock[] {
    const words = line.split(/\s+/);
    const head = words[0]!;
    if (this.state.conversation && /^\d+$/.test(line)) return this.chooseInConversation(Number(line));
    if (GAME_COMMANDS.has(head) && !/[|;&<>`$]/.test(line)) return this.gameCommand(head, words.slice(1));
    const program = this.rt.binding.machine.program;
    if (program && program.prompt() !== null) return this.programLine(line, program, opts);
    return this.castSpell(line, opts);
  }

  /**
   * A line typed to the program holding the terminal: it takes a spell's moment of virtual time,
   * counts as a spell, and the chapter reads it for clues under the command line the program
   * gives (the mongo shell's: mongo --eval LINE).
   */
  private programLine(line: string, program: TerminalProgram, opts: StepOptions): OutputBlock[] {
    const b = this.rt.binding.machine;
    this.state.conversation = false;
    const lost = b.beforeSpell((ms) => this.advanceWorld(b.now() + ms));
    if (lost.length > 0) {
      // the session went down under the program, and the program with it: the line went nowhere
      program.hangup();
      return lost.map((text) => ({ kind: 'system', text }));
    }
    const clock = new LineClock(b.now(), opts.interrupted, b.lineLimit?.ms);
    const ms = this.rt.streams.stream('spells').int(800, 2600);
    clock.deadline += ms;
    this.advanceWorld(b.now() + ms, clock);
    const out = program.line(line);
    const blocks: OutputBlock[] = [];
    if (out.stdout !== '') blocks.push({ kind: 'spell-output', text: out.stdout });
    if (out.stderr !== '') blocks.push({ kind: 'error', text: out.stderr });
    this.state.progress.spellsCast += 1;
    if (out.argv.length > 0) {
      for (const clue of this.rt.binding.judge.detectClues([out.argv], out.stdout + out.stderr)) blocks.push(...this.clueFound(clue));
    }
    return blocks;
  }

  private castSpell(line: string, opts: StepOptions): OutputBlock[] {
    const b = this.rt.binding.machine;
    // casting a spell walks away from any conversation
    this.state.conversation = false;
    // waiting for a rebooting machine is not part of the line: no limit, and Ctrl-C waits for it
    const blocks: OutputBlock[] = b.beforeSpell((ms) => this.advanceWorld(b.now() + ms)).map((text) => ({ kind: 'system', text }));
    const clock = new LineClock(b.now(), opts.interrupted, b.lineLimit?.ms);
    let charged = false;
    // A spell takes a moment of virtual time, but only if something actually ran: a typo costs nothing.
    const charge = () => {
      if (charged) return;
      charged = true;
      const ms = this.rt.streams.stream('spells').int(800, 2600);
      // the moment is the spell's own: it does not count against the line's limit
      clock.deadline += ms;
      this.advanceWorld(b.now() + ms, clock);
    };
    const argvs: string[][] = [];
    const env = this.shellEnv({ charge, line: clock });
    env.onCommand = (argv) => argvs.push(argv);
    const charts: Chart[] = [];
    env.onChart = (chart) => charts.push(chart);
    env.startClock = charge;
    const run = runLine(line, env, this.state.shell);
    this.state.shell = run.state;
    for (const chunk of run.output) {
      if (chunk.text === '') continue;
      blocks.push(chunk.stream === 'stdout' ? { kind: 'spell-output', text: chunk.text } : { kind: 'error', text: chunk.text });
    }
    for (const chart of charts) blocks.push({ kind: 'chart', chart });
    if (argvs.length > 0) {
      this.state.progress.spellsCast += 1;
      blocks.push(...this.learnSpells(argvs));
      const shown = run.output.map((c) => c.text).join('');
      for (const clue of this.rt.binding.judge.detectClues(argvs, shown)) blocks.push(...this.clueFound(clue));
    }
    return blocks;
  }

  private learnSpells(argvs: string[][]): OutputBlock[] {
    const blocks: OutputBlock[] = [];
    for (const argv of argvs) {
      const name = argv[0] === 'sudo' && argv.length > 1 ? argv[1]! : argv[0]!;
      const spec = this.rt.registry.get(name);
      if (!spec || spec.category === 'game' || this.state.learned.includes(name)) continue;
      this.state.learned.push(name);
      blocks.push({ kind: 'spell-learned', name });
    }
    return blocks;
  }

  private clueFound(clue: string): OutputBlock[] {
    const p = this.state.progress;
    if (p.clues.includes(clue)) return [];
    p.clues.push(clue);
    const text = this.rt.binding.judge.journalEntry(clue);
    this.state.journal.push({ id: clue, text, at: this.rt.binding.machine.now() });
    const blocks: OutputBlock[] = [{ kind: 'journal', id: clue, text }];
    if (this.rt.ink.hasKnot(clueKnot(clue))) blocks.push(...this.inkBlocks(this.rt.ink.run(clueKnot(clue))));
    return blocks;
  }

  private gameCommand(name: string, args: string[]): OutputBlock[] {
    switch (name) {
      case 'hint':
        return this.hint();
      case 'talk':
        return this.talk(args);
      case 'status':
        return [this.statusBlock()];
      case 'journal':
        return this.journalBlocks();
      case 'grimoire':
      case 'spellbook':
        return this.spellbook();
      case 'history':
        return [
          {
            kind: 'spell-output',
            text: this.state.history.map((h, i) => `${String(i + 1).padStart(5)}  ${h}`).join('\n') + '\n',
          },
        ];
      default:
        return [{ kind: 'error', text: `${name}: not available here` }];
    }
  }

  private hint(): OutputBlock[] {
    const total = this.rt.chapter.hintLevels;
    if (this.state.hintLevel >= total) {
      return [{ kind: 'system', text: 'The grimoire has no more hints to give: the last one was the answer. (`journal` and `status` show where you are.)' }];
    }
    this.state.hintLevel += 1;
    this.state.progress.hintsUsed += 1;
    this.rt.ink.setVariable(STORY_VARIABLES.hintLevel, this.state.hintLevel);
    const out = this.rt.ink.run(STORY_KNOTS.hints);
    const text = out.lines.map((l) => l.text).join('\n');
    return [{ kind: 'hint', level: this.state.hintLevel, total, text }];
  }

  private talk(args: string[]): OutputBlock[] {
    const b = this.rt.binding.machine;
    this.advanceWorld(b.now() + 60_000);
    const knot = args.length > 0 && this.rt.ink.hasKnot(talkKnot(args[0]!)) ? talkKnot(args[0]!) : STORY_KNOTS.talk;
    return this.conversationBlocks(this.rt.ink.run(knot));
  }

  private chooseInConversation(n: number): OutputBlock[] {
    const out = this.rt.ink.currentChoices();
    if (out.length === 0) {
      this.state.conversation = false;
      return [{ kind: 'error', text: 'Nobody is waiting for an answer. (talk starts a conversation.)' }];
    }
    if (n < 1 || n > out.length) {
      return [{ kind: 'error', text: `Pick one of the numbered answers (1-${out.length}), or cast a spell to leave the conversation.` }];
    }
    return this.conversationBlocks(this.rt.ink.choose(n - 1));
  }

  private conversationBlocks(out: InkOutput): OutputBlock[] {
    const blocks = this.inkBlocks(out);
    this.state.conversation = out.choices.length > 0;
    return blocks;
  }

  private inkBlocks(out: InkOutput): OutputBlock[] {
    const blocks: OutputBlock[] = out.lines
      .filter((l) => l.text.trim() !== '')
      .map((l): OutputBlock => {
        if (l.tags.includes(STORY_TAGS.heading)) return { kind: 'title', text: l.text };
        return l.speaker ? { kind: 'narration', text: l.text, speaker: l.speaker } : { kind: 'narration', text: l.text };
      });
    if (out.choices.length > 0) {
      blocks.push({ kind: 'choices', options: out.choices.map((c) => ({ index: c.index + 1, text: c.text })) });
    }
    return blocks;
  }

  private statusBlock(): OutputBlock {
    const b = this.rt.binding.machine;
    const views = this.objectiveViews();
    return {
      kind: 'status',
      objectives: views,
      solved: this.solved(),
      virtualTime: `${formatClock(b.now())} (${formatElapsed(b.now() - this.state.progress.openedAt)} since you arrived)`,
    };
  }

  private objectiveViews(): ObjectiveView[] {
    return evaluateObjectives(this.rt.machine, this.rt.chapter.objectives, this.state.objectives, this.rt.binding.judge.verdicts()).views;
  }

  private journalBlocks(): OutputBlock[] {
    if (this.state.journal.length === 0) {
      return [{ kind: 'system', text: 'Your journal is empty. Things you find out will be written here.' }];
    }
    const opened = this.state.progress.openedAt;
    const text = this.state.journal
      .map((j, i) => `${String(i + 1).padStart(2)}. [+${formatElapsed(j.at - opened)}] ${j.text}`)
      .join('\n');
    return [{ kind: 'spell-output', text: text + '\n' }];
  }

  private spellbook(): OutputBlock[] {
    if (this.state.learned.length === 0) {
      return [{ kind: 'system', text: 'The spellbook is blank. Cast a spell (try `help`) and it will be written here.' }];
    }
    const width = Math.max(...this.state.learned.map((n) => n.length));
    const lines = this.state.learned.map((n) => `  ${n.padEnd(width)}  ${this.rt.registry.get(n)?.summary ?? ''}`);
    return [{ kind: 'spell-output', text: `Spells you have cast (${lines.length}):\n${lines.join('\n')}\n` }];
  }

  /** After every line: world events the story reacts to, objectives, and the flow. */
  private afterStep(): OutputBlock[] {
    const blocks: OutputBlock[] = [];
    // running another knot would end a conversation mid-sentence: news waits until it is over
    if (!this.state.conversation) {
      for (const ev of this.rt.binding.judge.drainEvents()) {
        if (this.rt.ink.hasKnot(ev)) blocks.push(...this.inkBlocks(this.rt.ink.run(ev)));
      }
    }
    const evaluated = evaluateObjectives(
      this.rt.machine,
      this.rt.chapter.objectives,
      this.state.objectives,
      this.rt.binding.judge.verdicts(),
    );
    this.state.objectives = evaluated.persisted;
    for (const o of evaluated.changed) {
      blocks.push({ kind: 'objective', id: o.id, label: o.label, status: o.status, ...(o.detail ? { detail: o.detail } : {}) });
    }
    const events: FlowEvent[] = [];
    const phase = this.flowPhase();
    const fix = this.rt.binding.judge.fixInEffect();
    if (phase === 'investigating' && fix) events.push({ type: 'FIX_IN_EFFECT' });
    if (phase === 'verifying' && !fix) events.push({ type: 'FIX_LOST' });
    if ((phase === 'investigating' || phase === 'verifying') && evaluated.allDone) events.push({ type: 'OBJECTIVES_MET' });
    const next = this.sendFlow(events);
    if (next === 'solved' && this.state.progress.solvedAt === null) {
      this.state.progress.solvedAt = this.rt.binding.machine.now();
      blocks.push({ kind: 'chapter-end', chapter: this.state.chapter, solved: true });
      blocks.push(...this.inkBlocks(this.rt.ink.run(STORY_KNOTS.debrief)));
      this.sendFlow([{ type: 'DEBRIEFED' }]);
    }
    return blocks;
  }

  private flowPhase(): FlowPhase {
    return advanceFlow(this.state.flow, []).phase;
  }

  private sendFlow(events: FlowEvent[]): FlowPhase {
    const r = advanceFlow(this.state.flow, events);
    this.state.flow = r.persisted;
    return r.phase;
  }
}
