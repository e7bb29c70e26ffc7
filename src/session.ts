import * as path from 'node:path';
import type { Completion, GameHandle, GameInspection, GameResult, OutputBlock } from '../engine/index';
import { createGame, findChapter, restoreGame } from '../engine/index';
import { ENGINE_COMPAT } from './engineCompat';
import type { SaveData, SaveInfo, SaveStore } from './saves/index';
import { AUTOSAVE_SLOT, checkSlotName } from './saves/slotName';
import { checkOutputTarget, type TargetCheck } from './saves/ownFiles';
import { downloadMachineFile } from './saves/downloadFile';
import type { ArchivedSave, WriteReport } from './saves/store';
import type { HandleOptions, PlaySession, SessionOutput } from './session-api';
import { TRANSCRIPT_FILE, TranscriptRecorder, writeTranscript } from './transcript/markdown';

/**
 * The play session shared by every front end: the game plus the things that touch the outside
 * world. Lines that are about the player's files (save, load, saves, export, import, transcript,
 * quit) are answered here; everything else goes to the engine.
 */
interface SessionDeps {
  /** where saves go; null plays without saving */
  store: SaveStore | null;
  /** written after every line (interactive: 'autosave'; script mode: the --save slot, if any) */
  autosaveSlot: string | null;
  /** the wall clock, for save timestamps and transcript headers */
  now: () => Date;
  /** write a Markdown transcript here when the session closes */
  transcriptPath?: string | null;
  /**
   * replace transcriptPath even if it is not a grimoire transcript (the CLI's --force); never a
   * link, a folder or a device
   */
  transcriptForce?: boolean;
}

export { ENGINE_COMPAT };

/**
 * Whether `file` may be written as a transcript: it does not exist yet, it is an earlier grimoire
 * transcript, or `force` is given and it is a plain file. A front end can ask before a run starts
 * (the CLI's --transcript); the session asks again when it writes. Never throws.
 */
export function checkTranscriptTarget(file: string, opts: { force?: boolean; forceHint?: string; display?: string } = {}): Promise<TargetCheck> {
  return checkOutputTarget(file, TRANSCRIPT_FILE, {
    force: opts.force,
    display: opts.display ?? file,
    forceHint: opts.forceHint ?? `transcript --force ${file}`,
  });
}

/** The message for a save or export that restoreGame refused: never a stack trace. */
function unreadableGame(source: string, e: unknown): string {
  const why = e instanceof Error ? e.message : String(e);
  return `${source} is not a grimoire save this grimoire can read: ${why}.`;
}

const QUIT_WORDS = new Set(['quit', 'exit', 'logout']);

/**
 * While more input is already waiting, autosaves are made at most this often, or four times as
 * long as the last save took if that is longer (so saving never takes more than a quarter of a
 * fast script's time, however slow the machine), and whenever the input runs dry, and at close:
 * a script of 200 lines costs a few saves, not 200. Each save is still durable; a crash in the
 * middle of a burst of queued lines loses at most the lines of this last stretch, which are still
 * in the input. A line the game then waits after is on disk before it waits.
 */
export const AUTOSAVE_DEFER_MS = 250;
const AUTOSAVE_DEFER_FACTOR = 4;
/**
 * An autosave after a spell is one line appended to the slot's step log (SaveStore.appendSteps)
 * while the log holds fewer than this many; then the game is saved whole again, and the log starts
 * over. A read plays the logged spells again, so this bounds what loading a slot can cost.
 */
export const MAX_LOGGED_STEPS = 32;

/**
 * Export and import, with the save formats, brotli and the store behind them, load when a player
 * first asks for one: a script played without saves never needs them.
 */
function saveFiles(): typeof import('./saves/exportFile') {
  return require('./saves/exportFile') as typeof import('./saves/exportFile');
}

function sys(text: string): OutputBlock {
  return { kind: 'system', text };
}

function err(text: string): OutputBlock {
  return { kind: 'error', text };
}

export class GameSession implements PlaySession {
  private game: GameHandle;
  private transcript: TranscriptRecorder;
  private opened = false;
  private resumedFrom: string | null;
  /** the slot a bare `save` writes to */
  private currentSlot: string | null;
  /** where the autosave goes: deps.autosaveSlot, or where it was diverted to */
  private autosaveSlot: string | null;
  /** a line ran whose autosave was put off (HandleOptions.moreQueued) */
  private autosavePending = false;
  /**
   * when the last autosave was written (performance.now()), or never, and how long it took; node's
   * global performance loads its module at first use, which a game that never autosaves never pays
   */
  private lastAutosaveAt = Number.NEGATIVE_INFINITY;
  private lastAutosaveMs = 0;
  /** the autosave this session last wrote whole, and how many spells are logged after it */
  private logged: { slot: string; base: string; count: number } | null = null;

  private constructor(game: GameHandle, private readonly deps: SessionDeps, resumedFrom: string | null, slot: string | null) {
    this.game = game;
    this.resumedFrom = resumedFrom;
    this.currentSlot = slot;
    this.autosaveSlot = deps.autosaveSlot;
    this.transcript = this.newTranscript();
  }

  static newGame(chapter: string, seed: number, deps: SessionDeps): GameSession {
    return new GameSession(createGame(chapter, seed), deps, null, null);
  }

  /** A session continuing a stored save; throws with a clear message (never a stack trace) when it can't. */
  static fromSave(save: SaveData, deps: SessionDeps, source: string): GameSession {
    let game: GameHandle;
    try {
      game = restoreGame(save.payload);
    } catch (e) {
      throw new Error(unreadableGame(source, e));
    }
    // the prompt history travels inside the game state; save.history mirrors it for other readers
    return new GameSession(game, deps, source, save.slot === AUTOSAVE_SLOT ? null : save.slot);
  }

  get chapter(): string {
    return this.game.chapter;
  }

  get seed(): number {
    return this.game.seed;
  }

  prompt(): string {
    return this.game.prompt();
  }

  history(): readonly string[] {
    return this.game.history();
  }

  result(): GameResult {
    return this.game.result();
  }

  complete(line: string): Completion {
    return this.game.complete(line);
  }

  /** what a facilitator sees (exercise runs); reading it changes nothing */
  inspect(): GameInspection {
    return this.game.inspect();
  }

  /** a facilitator's injection, applied between lines and written to the transcript like a line's output */
  inject(id: string): ReturnType<GameHandle['inject']> {
    const r = this.game.inject(id);
    // a spell logged after this would be played again without it: the next autosave is whole
    if (r.ok) this.logged = null;
    if (r.ok) this.transcript.record({ input: `(facilitator: inject ${id})`, blocks: r.blocks, virtualTime: this.game.result().virtualTime });
    return r;
  }

  open(): SessionOutput {
    if (this.opened) return { blocks: [] };
    this.opened = true;
    const blocks = this.resumedFrom
      ? [sys(`The grimoire falls open where you left it (${this.resumedFrom}).`), ...this.game.start()]
      : this.game.start();
    this.transcript.opening(blocks, this.game.result().virtualTime);
    return { blocks };
  }

  async handle(line: string, opts: HandleOptions = {}): Promise<SessionOutput> {
    const trimmed = line.trim();
    const [head = '', ...args] = trimmed.split(/\s+/);
    const { moreQueued, ...stepOptions } = opts;
    let out: SessionOutput;
    // inside a program holding the terminal (the mongo shell), exit is the program's own word
    if (QUIT_WORDS.has(head) && args.length <= 1 && !this.game.programRunning?.()) {
      out = { blocks: [sys('You close the book. The machine keeps running without you.')], quit: true };
      // the game the player leaves is on disk before they leave
      await this.flushAutosave(out.blocks);
    } else if (this.isMeta(head, args)) {
      // a put-off autosave belongs to the game as it is now, before a load or an import replaces it
      const pending: OutputBlock[] = [];
      await this.flushAutosave(pending);
      out = { blocks: [...pending, ...(await this.meta(head, args))] };
    } else {
      // a line Ctrl-C stopped is saved whole: played again, it would run to its end
      let stopped = false;
      const ask = stepOptions.interrupted;
      const interrupted = ask ? () => (ask() ? (stopped = true) : false) : undefined;
      out = { blocks: this.game.step(line, interrupted ? { ...stepOptions, interrupted } : stepOptions) };
      if (trimmed !== '') {
        const wait = Math.max(AUTOSAVE_DEFER_MS, AUTOSAVE_DEFER_FACTOR * this.lastAutosaveMs);
        if (moreQueued && performance.now() - this.lastAutosaveAt < wait) this.autosavePending = true;
        else await this.autosave(out.blocks, this.autosavePending || stopped ? undefined : line);
      } else if (!moreQueued) {
        await this.flushAutosave(out.blocks);
      }
    }
    this.transcript.record({ input: line, blocks: out.blocks, virtualTime: this.game.result().virtualTime });
    return out;
  }

  programRunning(): boolean {
    return this.game.programRunning?.() ?? false;
  }

  async endOfInput(): Promise<SessionOutput | null> {
    const blocks = this.game.endOfInput?.() ?? null;
    if (blocks === null) return null;
    await this.autosave(blocks);
    this.transcript.record({ input: '^D', blocks, virtualTime: this.game.result().virtualTime });
    return { blocks };
  }

  async close(): Promise<SessionOutput> {
    const blocks: OutputBlock[] = [];
    await this.flushAutosave(blocks);
    this.transcript.finish(this.game.result());
    const file = this.deps.transcriptPath;
    if (!file) return { blocks };
    try {
      await writeTranscript(file, this.transcript.toMarkdown(), { force: this.deps.transcriptForce, display: file, forceHint: `--transcript ${file} --force` });
      return { blocks };
    } catch (e) {
      return { blocks: [...blocks, err(`transcript not written: ${e instanceof Error ? e.message : String(e)}`)] };
    }
  }

  /**
   * Writes the autosave now, whether or not a line ran: a front end that must have a new game on
   * disk before it answers (the Discord bot's /play) calls this. What it says comes back as blocks.
   */
  async saveNow(): Promise<OutputBlock[]> {
    const blocks: OutputBlock[] = [];
    await this.autosave(blocks);
    return blocks;
  }

  /** Writes the autosave put off by earlier lines, if any (what it says goes to `blocks`). */
  private async flushAutosave(blocks: OutputBlock[]): Promise<void> {
    if (this.autosavePending) await this.autosave(blocks);
  }

  // ---- the player's files -------------------------------------------------------------

  private isMeta(head: string, args: string[]): boolean {
    const force = args.includes(FORCE);
    const rest = args.filter((a) => a !== FORCE);
    switch (head) {
      case 'save':
      case 'load':
      case 'saves':
      case 'import':
        return args.length <= 1;
      case 'transcript':
        return rest.length <= 1 && args.filter((a) => a === FORCE).length <= 1;
      case 'download':
        return rest.length <= 2 && args.filter((a) => a === FORCE).length <= 1;
      case 'export':
        // bash's own `export VAR=1` stays bash's; a file name with a dot or a slash is ours, and so is anything after --force
        return rest.length === 1 && args.length <= 2 && !rest[0]!.includes('=') && (force || /[./]/.test(rest[0]!));
      default:
        return false;
    }
  }

  private async meta(head: string, args: string[]): Promise<OutputBlock[]> {
    const force = args.includes(FORCE);
    const rest = args.filter((a) => a !== FORCE);
    try {
      switch (head) {
        case 'save':
          return await this.save(args[0]);
        case 'load':
          return await this.load(args[0]);
        case 'saves':
          return await this.listSaves();
        case 'export':
          return await this.exportTo(rest[0]!, force);
        case 'download':
          return rest[0] ? [sys(await downloadMachineFile(this.game, rest[0], rest[1], { force }))] : [err('download: which file? (download PATH [LOCAL])')];
        case 'import':
          return args[0] ? await this.importFrom(args[0]) : [err('import: which file? (import FILE)')];
        case 'transcript':
          return await this.writeTranscriptNow(rest[0], force);
        default:
          return [];
      }
    } catch (e) {
      return [err(`${head}: ${e instanceof Error ? e.message : String(e)}`)];
    }
  }

  private saveMeta(): SaveData['meta'] {
    const r = this.game.result();
    const info = findChapter(this.game.chapter);
    return {
      chapter: this.game.chapter,
      chapterTitle: info?.title ?? `Chapter ${this.game.chapter}`,
      progress: progressOf(this.game),
      virtualTime: r.virtualTime,
      hints: r.hints,
      spells: r.spells,
    };
  }

  private content() {
    return { meta: this.saveMeta(), history: this.game.history(), payload: this.game.snapshot() };
  }

  /**
   * Writes the autosave slot. A save of another game there is moved to a slot of its own first; a
   * file there that cannot be read is left alone and the autosave goes to a new slot from then
   * on. Both are told to the player; so is a failed write (the game goes on).
   */
  private async autosave(blocks: OutputBlock[], spell?: string): Promise<void> {
    const { store } = this.deps;
    const slot = this.autosaveSlot;
    this.autosavePending = false;
    const logged = this.logged;
    this.logged = null;
    if (!store || !slot) return;
    const started = performance.now();
    this.lastAutosaveAt = started;
    try {
      // one spell after the save this session wrote: logged, not saved whole
      if (spell !== undefined && store.appendSteps && logged && logged.slot === slot && logged.count < MAX_LOGGED_STEPS) {
        const done = await store.appendSteps(slot, logged.base, [{ line: spell, savedAt: this.deps.now().toISOString(), meta: this.saveMeta() }]).catch(() => false);
        if (done) {
          this.logged = { ...logged, count: logged.count + 1 };
          return;
        }
      }
      const report = await store.write(slot, { ...this.content(), savedAt: this.deps.now().toISOString() }, { ifUnusable: 'divert' });
      blocks.push(...this.reportBlocks(report));
      if (report.diverted) this.autosaveSlot = report.save.slot;
      if (report.base) this.logged = { slot: report.save.slot, base: report.base, count: 0 };
    } catch (e) {
      blocks.push(err(`autosave failed: ${e instanceof Error ? e.message : String(e)}`));
    } finally {
      this.lastAutosaveMs = performance.now() - started;
    }
  }

  /** What the player is told about saves moved out of the way or a slot that could not be used. */
  private reportBlocks(report: WriteReport): OutputBlock[] {
    const blocks = report.archived.map((a) => sys(archivedNote(a)));
    if (report.diverted) {
      const { from, problem } = report.diverted;
      blocks.push(
        err(
          `Slot "${from}" holds a file this grimoire cannot read, so it was left as it is: ${problem.message} This game now autosaves to slot "${report.save.slot}" instead.`,
        ),
      );
    }
    return blocks;
  }

  private async save(name: string | undefined): Promise<OutputBlock[]> {
    const store = this.deps.store;
    if (!store) return [err('save: saving is switched off in this session')];
    const slot = name ?? this.currentSlot ?? 'quicksave';
    const check = checkSlotName(slot);
    if (!check.ok) return [err(`save: ${check.message}`)];
    const report = await store.write(check.slot, { ...this.content(), savedAt: this.deps.now().toISOString() });
    const saved = report.save;
    this.currentSlot = saved.slot;
    return [...this.reportBlocks(report), sys(`Saved to slot "${saved.slot}" (${saved.meta.progress}, ${saved.meta.virtualTime} in).`)];
  }

  private async load(name: string | undefined): Promise<OutputBlock[]> {
    const store = this.deps.store;
    if (!store) return [err('load: saving is switched off in this session')];
    let slot = name;
    if (!slot) {
      const latest = await store.latest();
      if (!latest) return [err('load: there are no saves yet (save NAME makes one)')];
      slot = latest.slot;
    }
    const check = checkSlotName(slot, { allowReserved: true });
    if (!check.ok) return [err(`load: ${check.message}`)];
    const res = await store.read(check.slot);
    if (res.status === 'missing' || res.status === 'damaged') return [err(res.message)];
    const blocks: OutputBlock[] = res.status === 'recovered' ? [err(res.message)] : [];
    let game: GameHandle;
    try {
      game = restoreGame(res.save.payload);
    } catch (e) {
      return [err(`load: ${unreadableGame(res.file, e)} Nothing was loaded; the game goes on as it was.`)];
    }
    this.game = game;
    // spells of this game are never logged after a save of the one it replaced
    this.logged = null;
    this.currentSlot = check.slot === AUTOSAVE_SLOT ? null : check.slot;
    this.transcript = this.newTranscript();
    blocks.push(sys(`Loaded "${check.slot}": chapter ${res.save.meta.chapter}, ${res.save.meta.progress}, ${res.save.meta.virtualTime} in.`));
    return blocks;
  }

  private async listSaves(): Promise<OutputBlock[]> {
    const store = this.deps.store;
    if (!store) return [err('saves: saving is switched off in this session')];
    const scan = await store.scan();
    const blocks: OutputBlock[] = [];
    if (scan.saves.length === 0) blocks.push(sys('No saves yet. `save NAME` makes one; the game also autosaves after every spell.'));
    else blocks.push({ kind: 'spell-output', text: formatSaveList(scan.saves) });
    for (const p of scan.damaged) blocks.push(err(p.message));
    for (const s of scan.saves) if (s.recoveredFrom) blocks.push(err(s.recoveredFrom.message));
    return blocks;
  }

  private async exportTo(file: string, force: boolean): Promise<OutputBlock[]> {
    const save: SaveData = { ...this.content(), slot: this.currentSlot ?? 'export', savedAt: this.deps.now().toISOString() };
    await saveFiles().exportSave(save, path.resolve(file), { force, displayPath: () => file, forceHint: `export --force ${file}` });
    return [sys(`Exported this game to ${file}. Whoever gets it can type: import ${file}`)];
  }

  private async importFrom(file: string): Promise<OutputBlock[]> {
    const res = await saveFiles().importSave(path.resolve(file), { engine: ENGINE_COMPAT, displayPath: () => file });
    if (!res.ok) return [err(res.message)];
    try {
      this.game = restoreGame(res.save.payload);
    } catch (e) {
      return [err(`${unreadableGame(file, e)} Nothing was imported.`)];
    }
    this.logged = null;
    this.transcript = this.newTranscript();
    this.currentSlot = null;
    const blocks: OutputBlock[] = [
      sys(`Imported ${file}: chapter ${res.save.meta.chapter}, ${res.save.meta.progress}, ${res.save.meta.virtualTime} in.`),
    ];
    await this.autosave(blocks);
    return blocks;
  }

  /** The transcript of this sitting as Markdown, as `transcript` writes it: for a front end that sends it as a file (the Discord bot). */
  transcriptMarkdown(): string {
    const copy = TranscriptRecorder.fromJSON(this.transcript.toJSON());
    copy.finish(this.game.result());
    return copy.toMarkdown();
  }

  private async writeTranscriptNow(file: string | undefined, force: boolean): Promise<OutputBlock[]> {
    const target = file ?? `transcript-ch${this.game.chapter}-${this.game.seed}.md`;
    await writeTranscript(path.resolve(target), this.transcriptMarkdown(), { force, display: target, forceHint: `transcript --force ${target}` });
    return [sys(`Transcript written to ${target}.`)];
  }

  private newTranscript(): TranscriptRecorder {
    const info = findChapter(this.game.chapter);
    return new TranscriptRecorder({
      chapter: { number: info?.number ?? Number(this.game.chapter), title: info?.title ?? '', id: this.game.chapter },
      seed: this.game.seed,
      startedAt: this.deps.now().toISOString(),
    });
  }
}

const FORCE = '--force';

function archivedNote(a: ArchivedSave): string {
  const when = a.savedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return (
    `Slot "${a.from}" held another game (chapter ${a.meta.chapter}, ${a.meta.progress}, ${a.meta.virtualTime} in, saved ${when}); ` +
    `it was not overwritten but moved to slot "${a.slot}" (load ${a.slot} brings it back).`
  );
}

/** '3/5 objectives done' — the short progress line a save list shows. */
function progressOf(game: GameHandle): string {
  if (game.solved()) return 'solved';
  const { done, total } = game.progress();
  return `${done}/${total} objectives done`;
}

function formatSaveList(saves: readonly SaveInfo[]): string {
  const rows = saves.map((s) => [s.slot, `ch${s.chapter}`, s.progress, s.virtualTime, s.savedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z')]);
  const head = ['SLOT', 'CHAPTER', 'PROGRESS', 'TIME IN', 'SAVED'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [fmt(head), ...rows.map(fmt)].join('\n') + '\n';
}
