/**
 * The run file: everything that happened in one exercise run, as JSON Lines, written by the game
 * only. The first line is the header (format, version, the exercise, chapter, seed, participant);
 * every later line is one record with its wall time, the exercise clock (running time, pauses
 * left out) and the machine's virtual time since the chapter opened. The file is only ever
 * appended to, each record flushed to disk before the game goes on, so a run killed at any moment
 * keeps every record before the one in flight and a reader can follow it while it grows.
 */
import * as fs from 'node:fs';
import { z } from 'zod';
import type { GameInspection, GameResult, OutputBlock } from '../../engine/index';
import { fsyncDir } from '../saves/durable';
import { HINT_MODES } from './exerciseFile';

export const RUN_FORMAT = 'grimoire-exercise-run';
export const RUN_VERSION = 1;
export const RUN_FILE = 'run.jsonl';
export const CONTROL_FILE = 'control.jsonl';

export interface RunHeader {
  format: typeof RUN_FORMAT;
  version: typeof RUN_VERSION;
  exercise: { name: string; file: string; timeBox: string; timeBoxMs: number; hints: (typeof HINT_MODES)[number]; chapters: string[]; participants: string[] };
  participant: string | null;
  chapter: string;
  chapterTitle: string;
  seed: number;
  engineVersion: number;
  startedAt: string;
}

/** when a record happened: the wall clock, the exercise's clock and the machine's */
export interface Stamp {
  wall: string;
  clockMs: number;
  virtualMs: number;
}

export type EndReason = 'solved' | 'time' | 'facilitator' | 'quit' | 'left';

export type FacilitatorAction = 'hint' | 'pause' | 'resume' | 'inject' | 'end';

export type RunRecord = Stamp &
  (
    | { t: 'open'; blocks: OutputBlock[] }
    /** a line the player typed; `refused` when the exercise answered it instead of the game */
    | { t: 'line'; n: number; input: string; blocks: OutputBlock[]; refused?: 'paused' | 'hints-off' | 'hints-locked' }
    | { t: 'objective'; line: number | null; id: string; label: string; status: string; detail?: string }
    | { t: 'clue'; line: number | null; id: string; text: string }
    | { t: 'hint'; line: number | null; level: number; total: number; by: 'player' | 'facilitator' }
    /** a wrong fix the chapter recognised, with the line that did it and what the story said of it */
    | { t: 'wrong-fix'; line: number | null; kind: string; input: string; said: string }
    /** blocks shown to the player between lines (a revealed hint, what an injection set off, the debrief) */
    | { t: 'notice'; blocks: OutputBlock[] }
    /** the facilitator's view after each change: what the player cannot see */
    | { t: 'state'; state: GameInspection }
    /** a facilitator's action, acknowledged: done or refused, with what came of it */
    | { t: 'action'; id: string; action: FacilitatorAction; injection?: string; ok: boolean; message: string }
    | { t: 'clock'; event: 'start' | 'pause' | 'resume'; remainingMs: number }
    | { t: 'end'; reason: EndReason; result: GameResult }
  );

// ---- checking what is read ----------------------------------------------------------------

const stamp = { wall: z.string(), clockMs: z.number().nonnegative(), virtualMs: z.number() };
const block = z.looseObject({ kind: z.string() });
const lineRef = z.int().nonnegative().nullable();

const headerSchema = z.strictObject({
  format: z.literal(RUN_FORMAT),
  version: z.literal(RUN_VERSION),
  exercise: z.strictObject({
    name: z.string(),
    file: z.string(),
    timeBox: z.string(),
    timeBoxMs: z.int().positive(),
    hints: z.enum(HINT_MODES),
    chapters: z.array(z.string()),
    participants: z.array(z.string()),
  }),
  participant: z.string().nullable(),
  chapter: z.string(),
  chapterTitle: z.string(),
  seed: z.int().nonnegative(),
  engineVersion: z.int().nonnegative(),
  startedAt: z.string(),
});

const inspectionSchema = z.looseObject({
  chapter: z.string(),
  diagnosis: z.string().nullable(),
  fixInEffect: z.boolean(),
  objectives: z.array(z.looseObject({ id: z.string(), label: z.string(), status: z.string(), detail: z.string().optional() })),
  clues: z.strictObject({ found: z.array(z.string()), notFound: z.array(z.string()) }),
  hints: z.strictObject({ used: z.int(), total: z.int() }),
  wrongFixes: z.array(z.string()),
  spells: z.int(),
  solved: z.boolean(),
  elapsedMs: z.number(),
  injections: z.array(z.strictObject({ id: z.string(), label: z.string() })),
});

const recordSchema = z.discriminatedUnion('t', [
  z.strictObject({ ...stamp, t: z.literal('open'), blocks: z.array(block) }),
  z.strictObject({ ...stamp, t: z.literal('line'), n: z.int().positive(), input: z.string(), blocks: z.array(block), refused: z.enum(['paused', 'hints-off', 'hints-locked']).optional() }),
  z.strictObject({ ...stamp, t: z.literal('objective'), line: lineRef, id: z.string(), label: z.string(), status: z.string(), detail: z.string().optional() }),
  z.strictObject({ ...stamp, t: z.literal('clue'), line: lineRef, id: z.string(), text: z.string() }),
  z.strictObject({ ...stamp, t: z.literal('hint'), line: lineRef, level: z.int(), total: z.int(), by: z.enum(['player', 'facilitator']) }),
  z.strictObject({ ...stamp, t: z.literal('wrong-fix'), line: lineRef, kind: z.string(), input: z.string(), said: z.string() }),
  z.strictObject({ ...stamp, t: z.literal('notice'), blocks: z.array(block) }),
  z.strictObject({ ...stamp, t: z.literal('state'), state: inspectionSchema }),
  z.strictObject({ ...stamp, t: z.literal('action'), id: z.string(), action: z.enum(['hint', 'pause', 'resume', 'inject', 'end']), injection: z.string().optional(), ok: z.boolean(), message: z.string() }),
  z.strictObject({ ...stamp, t: z.literal('clock'), event: z.enum(['start', 'pause', 'resume']), remainingMs: z.number().nonnegative() }),
  z.strictObject({ ...stamp, t: z.literal('end'), reason: z.enum(['solved', 'time', 'facilitator', 'quit', 'left']), result: z.looseObject({ chapter: z.string(), solved: z.boolean(), hints: z.int(), spells: z.int(), virtualTime: z.string() }) }),
]);

/** Why a run file's first line is not a header this grimoire reads, or the header. */
export function checkHeader(line: string, display: string): { ok: true; header: RunHeader } | { ok: false; message: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { ok: false, message: `${display} is not a grimoire exercise run file (its first line is not JSON)` };
  }
  const r = raw as { format?: unknown; version?: unknown };
  if (typeof raw !== 'object' || raw === null || r.format !== RUN_FORMAT) {
    return { ok: false, message: `${display} is not a grimoire exercise run file (no '${RUN_FORMAT}' header)` };
  }
  if (r.version !== RUN_VERSION) {
    return { ok: false, message: `${display} is a run file of version ${JSON.stringify(r.version)}; this grimoire reads version ${RUN_VERSION} (update grimoire, or use the one that ran it)` };
  }
  const h = headerSchema.safeParse(raw);
  if (!h.success) {
    const i = h.error.issues[0]!;
    return { ok: false, message: `${display} has a damaged header (${i.path.join('.') || 'header'}: ${i.message})` };
  }
  return { ok: true, header: h.data as RunHeader };
}

/** One record line, checked; a message naming the line when it is not one of ours. */
export function checkRecord(line: string, lineNo: number, display: string): { ok: true; record: RunRecord } | { ok: false; message: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { ok: false, message: `${display}, line ${lineNo}: not JSON (the file was changed by something other than the game)` };
  }
  const r = recordSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    return { ok: false, message: `${display}, line ${lineNo}: not a record this grimoire writes (${i.path.join('.') || 'record'}: ${i.message})` };
  }
  return { ok: true, record: r.data as RunRecord };
}

// ---- writing ----------------------------------------------------------------------------

/** Where records go: a run file on disk, or memory (grade keeps its run in memory). */
export interface RecordSink {
  append(record: RunRecord): void;
}

export class MemorySink implements RecordSink {
  readonly records: RunRecord[] = [];
  append(record: RunRecord): void {
    this.records.push(record);
  }
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < bytes.length) {
    const n = fs.writeSync(fd, bytes, off, bytes.length - off);
    if (n === 0) throw new Error('the disk took no more bytes');
    off += n;
  }
}

/**
 * Appends records to a run file, each whole line written and fsynced before append returns
 * (synchronously: records keep the order things happened in, and a line's record is on disk
 * before its output is shown).
 */
export class RunFileWriter implements RecordSink {
  private constructor(
    private readonly fd: number,
    readonly file: string,
  ) {}

  /** creates the file (never an existing one) with its header */
  static create(file: string, header: RunHeader): RunFileWriter {
    const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_APPEND, 0o644);
    const w = new RunFileWriter(fd, file);
    writeAll(fd, JSON.stringify(header) + '\n');
    fs.fsyncSync(fd);
    return w;
  }

  append(record: RunRecord): void {
    writeAll(this.fd, JSON.stringify(record) + '\n');
    fs.fdatasyncSync(this.fd);
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

/** makes the new run folder's entry (and the file's) durable */
export async function syncFolder(dir: string): Promise<void> {
  await fsyncDir(dir).catch(() => undefined);
}
