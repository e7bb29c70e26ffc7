/**
 * A slot's step log: the spells cast since its save was written, one line each, so that saving
 * after a spell is one short durable append instead of the whole game compressed and written
 * again. The engine is deterministic (the same game and the same line give the same game), so the
 * save and the spells after it are the game; reading the slot plays them again (EngineCompat.replay).
 *
 *   <slot>.steps   {"format":"grimoire-steps","formatVersion":1,"slot":"autosave","base":"<hex>"}
 *                  {"n":1,"line":"uname -r","savedAt":"…","meta":{…},"sum":"<hex>"}
 *                  …
 *
 * `base` is the SHA-256 of the body of the save the spells follow (its header's body.sha256): a
 * log whose base is not the slot's save is an old one, and is ignored. Each entry carries a
 * checksum of itself and the base, so a line torn by a crash mid-append (never answered: the
 * append is fsynced before the reply) or damaged later ends the log there.
 */
import { createHash } from 'node:crypto';
import { problemWithMeta, isIsoTime } from './slotFile';
import type { LoggedStep } from './envelope';

export type { LoggedStep } from './envelope';

export const STEP_LOG_FORMAT = 'grimoire-steps';
export const STEP_LOG_VERSION = 1;
/** the file name's ending, after the slot's name */
export const STEP_LOG_EXTENSION = '.steps';
/** a step log is never read beyond this (a real one holds a few dozen short lines) */
export const MAX_STEP_LOG_BYTES = 1024 * 1024;
/** a spell longer than this is saved the long way, never logged */
export const MAX_LOGGED_LINE = 4096;

export interface StepLog {
  slot: string;
  base: string;
  steps: LoggedStep[];
  /** set when a line could not be used: the log ends before it */
  problem: string | null;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** the body SHA-256 in a slot file's header line (`head`: its first bytes), or null */
export function baseOfSlotFile(head: Uint8Array): string | null {
  const buf = Buffer.from(head.buffer, head.byteOffset, head.length);
  const nl = buf.indexOf(0x0a);
  if (nl < 0) return null;
  try {
    const h = JSON.parse(buf.subarray(0, nl).toString('utf8')) as { body?: { sha256?: unknown } };
    const sha = h?.body?.sha256;
    return typeof sha === 'string' && HEX64.test(sha) ? sha : null;
  } catch {
    return null;
  }
}

function sumOf(base: string, n: number, step: LoggedStep): string {
  return createHash('sha256').update(JSON.stringify([base, n, step.line, step.savedAt, step.meta])).digest('hex').slice(0, 32);
}

export function stepLogHeader(slot: string, base: string): string {
  return `${JSON.stringify({ format: STEP_LOG_FORMAT, formatVersion: STEP_LOG_VERSION, slot, base })}\n`;
}

/** entries `first`, `first + 1`, … as lines of the log whose base is `base` */
export function stepLogLines(base: string, first: number, steps: readonly LoggedStep[]): string {
  return steps
    .map((s, i) => {
      const n = first + i;
      const meta = { chapter: s.meta.chapter, chapterTitle: s.meta.chapterTitle, progress: s.meta.progress, virtualTime: s.meta.virtualTime, hints: s.meta.hints, spells: s.meta.spells };
      const step = { line: s.line, savedAt: s.savedAt, meta };
      return `${JSON.stringify({ n, ...step, sum: sumOf(base, n, step) })}\n`;
    })
    .join('');
}

/** Whether `head` (a file's first bytes) begins as a step log's header does: a file of ours. */
export function isStepLog(head: Uint8Array): boolean {
  return parseHeader(Buffer.from(head.buffer, head.byteOffset, head.length).toString('utf8').split('\n', 1)[0] ?? '') !== null;
}

function parseHeader(line: string): { slot: string; base: string } | null {
  try {
    const h = JSON.parse(line) as Record<string, unknown>;
    if (!h || typeof h !== 'object' || h.format !== STEP_LOG_FORMAT || h.formatVersion !== STEP_LOG_VERSION) return null;
    if (typeof h.slot !== 'string' || typeof h.base !== 'string' || !HEX64.test(h.base)) return null;
    return { slot: h.slot, base: h.base };
  } catch {
    return null;
  }
}

/**
 * A step log from its bytes, or null when they are not one. Entries are taken in order while each
 * is whole, numbered next and checks out; the first that does not ends the log, and `problem`
 * says why unless it is the torn last line a crash mid-append leaves.
 */
export function parseStepLog(bytes: Uint8Array): StepLog | null {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
  const lines = text.split('\n');
  const header = parseHeader(lines[0] ?? '');
  if (!header) return null;
  const steps: LoggedStep[] = [];
  let problem: string | null = null;
  // the text after the last newline is a line not yet (or never) completed
  const whole = lines.slice(1, -1);
  for (let i = 0; i < whole.length; i++) {
    const n = i + 1;
    const bad = (why: string) => `spell ${n} of the log ${why}; the spells from there on were not played again`;
    let e: Record<string, unknown>;
    try {
      e = JSON.parse(whole[i]!) as Record<string, unknown>;
    } catch {
      problem = bad('is not JSON');
      break;
    }
    const step = { line: e?.line, savedAt: e?.savedAt, meta: e?.meta } as LoggedStep;
    if (!e || typeof e !== 'object' || e.n !== n || typeof step.line !== 'string' || step.line.length > MAX_LOGGED_LINE || !isIsoTime(step.savedAt) || problemWithMeta(step.meta) !== null) {
      problem = bad('is not a logged spell');
      break;
    }
    if (e.sum !== sumOf(header.base, n, step)) {
      problem = bad('does not match its checksum');
      break;
    }
    steps.push(step);
  }
  return { slot: header.slot, base: header.base, steps, problem };
}
