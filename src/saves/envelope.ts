/**
 * The envelope of a save: one JSON object around the engine's SavedGame.
 *
 *   {
 *     "format": "grimoire-save",        // "grimoire-export" for a file made by exportSave
 *     "formatVersion": 2,
 *     "game": "grimoire",
 *     "engineVersion": 3,               // = payload.engineVersion
 *     "storyVersion": "…",              // = payload.storyVersion
 *     "savedAt": "2025-01-01T12:00:00.000Z",
 *     "slot": "slot1",
 *     "meta": { "chapter", "chapterTitle", "progress", "virtualTime", "hints", "spells" },
 *     "history": ["ls", "df -h"],
 *     "payload": { "format": "grimoire-game", … },   // the engine's SavedGame, untouched
 *     "checksum": "sha256:<hex>"
 *   }
 *
 * This module reads and writes it as one pretty-printed JSON document (encodeSave, decodeSave):
 * how an export is written and how every save was written up to format 1. A save slot's file
 * holds the same envelope as a header line and a compressed body (slotFile.ts); decodeSaveFile
 * there reads both kinds.
 *
 * The checksum is SHA-256 over canonicalJson (canonical.ts) of the envelope without its
 * checksum field. That frame (format, formatVersion, game, checksum-over-the-rest) is kept by
 * every format version, so a damaged file is always reported as damaged, never as "too new".
 *
 * Format versions: 0, the pre-release layout (migrateFormatV0toV1); 1, this envelope, always
 * written as one JSON document; 2, the same fields, and a slot file may hold them as a header
 * line plus a compressed body (slotFile.ts). Migrating 1 to 2 changes no field.
 *
 * Everything here is pure: no clock, no file system. savedAt comes from the caller. zod (slow to
 * load) is required only when a whole envelope is checked.
 */
import type { Json, SavedGame } from '../../engine/index';
import { CHECKSUM_PATTERN, checksumOf } from './canonical';
import { EXPORT_FORMAT, FORMAT_VERSION, GAME_ID, SAVE_FORMAT, type EnvelopeFormat } from './formatIds';
import { checkJsonPrefix, lineColumn } from './jsonPrefix';

export { EXPORT_FORMAT, FORMAT_VERSION, SAVE_FORMAT } from './formatIds';

/** the zod schemas, loaded the first time a whole envelope is checked */
const schemas = (): typeof import('./schema') => require('./schema') as typeof import('./schema');

/** What a save list shows about a save without loading the game. */
export interface SaveMeta {
  /** chapter id; must equal payload.chapter */
  chapter: string;
  chapterTitle: string;
  /** short, e.g. '3/5 objectives holding' */
  progress: string;
  /** virtual time elapsed in the chapter, e.g. '2h 13m' */
  virtualTime: string;
  hints: number;
  spells: number;
}

/** What a front end hands to the store. */
export interface SaveContent {
  meta: SaveMeta;
  /** prompt history, oldest first */
  history: string[];
  payload: SavedGame;
}

/** A save as stored: the content plus where and when. */
export interface SaveData extends SaveContent {
  slot: string;
  /** ISO 8601, supplied by the caller */
  savedAt: string;
}

export type DecodeFailureReason = 'empty' | 'not-json' | 'truncated' | 'checksum' | 'schema' | 'foreign' | 'too-new' | 'too-old';

export interface DecodeFailure {
  ok: false;
  reason: DecodeFailureReason;
  /** one or two sentences for the player, naming the file */
  message: string;
}

interface DecodeSuccess {
  ok: true;
  save: SaveData;
  /** which kind of file it was */
  format: EnvelopeFormat;
  /** set when the file was written by an older grimoire and converted while loading */
  migrated: { fromFormatVersion?: number; fromEngineVersion?: number } | null;
}

export type DecodeResult = DecodeSuccess | DecodeFailure;

/** Converts an envelope body (everything but the checksum) of format version n to version n + 1. */
export type FormatMigration = (old: Record<string, unknown>) => Record<string, unknown>;
/** Converts a SavedGame of engine version n to engine version n + 1. */
type EngineMigration = (old: SavedGame) => SavedGame;

/** one spell logged after a save (stepLog.ts): what was typed, when, and the save list's view of the game after it */
export interface LoggedStep {
  line: string;
  savedAt: string;
  meta: SaveMeta;
}

/** What the running engine can load. Without it, decoding does not look at engine versions. */
export interface EngineCompat {
  /** the running engine's ENGINE_VERSION */
  version: number;
  /** keyed by the version migrated from */
  migrations?: Record<number, EngineMigration>;
  /**
   * Throws (a RangeError saying why) when the game inside, once migrated, is not one the engine can
   * restore: engine/index.ts validateSavedGame. A save that fails it is "not a save this grimoire
   * can read", never loaded.
   */
  validate?: (saved: SavedGame) => void;
  /**
   * Plays a slot's logged spells (stepLog.ts) on its save's game again and returns the save of the
   * game after them: how many it played, and why it stopped early, if it did (a spell that did not
   * end where the log says it did). Without it a store neither logs spells nor reads a log.
   */
  replay?: (save: SaveData, steps: readonly LoggedStep[]) => { save: SaveData; played: number; problem: string | null };
}

export interface DecodeOptions {
  /** which kinds of file are accepted; default [SAVE_FORMAT] */
  accept?: readonly EnvelopeFormat[];
  /** keyed by the version migrated from; default FORMAT_MIGRATIONS */
  formatMigrations?: Record<number, FormatMigration>;
  engine?: EngineCompat;
}

// ---------------------------------------------------------------------------------------------
// Migrations

/** Format 0, the pre-release layout (schema.ts formatV0Schema): the SavedGame fields flat, no meta block. */
function migrateFormatV0toV1(old: Record<string, unknown>): Record<string, unknown> {
  const v0 = schemas().formatV0Schema.parse(old);
  return {
    format: v0.format,
    formatVersion: 1,
    game: v0.game,
    engineVersion: v0.engineVersion,
    storyVersion: v0.storyVersion,
    savedAt: v0.savedAt,
    slot: v0.slot,
    meta: {
      chapter: v0.chapter,
      chapterTitle: v0.chapter,
      progress: 'saved by an older grimoire',
      virtualTime: '',
      hints: v0.hintsUsed ?? 0,
      spells: v0.spellsCast ?? 0,
    },
    history: v0.history ?? [],
    payload: {
      format: 'grimoire-game',
      engineVersion: v0.engineVersion,
      storyVersion: v0.storyVersion,
      chapter: v0.chapter,
      seed: v0.seed,
      state: v0.state,
    },
  };
}

/**
 * Format 1 to 2: the fields are the same. What changed is where they may be: a slot file of
 * format 2 holds them as a header line and a compressed body (slotFile.ts).
 */
function migrateFormatV1toV2(old: Record<string, unknown>): Record<string, unknown> {
  return { ...old, formatVersion: 2 };
}

/** Envelope migrations, keyed by the format version they convert from. */
const FORMAT_MIGRATIONS: Readonly<Record<number, FormatMigration>> = Object.freeze({
  0: migrateFormatV0toV1,
  1: migrateFormatV1toV2,
});

// ---------------------------------------------------------------------------------------------
// Encoding

export class SaveEncodeError extends Error {
  override readonly name = 'SaveEncodeError';
}

/**
 * The file text of a save: pretty-printed JSON ending in a newline. Throws a SaveEncodeError if
 * the save is not valid (that is a bug in the caller, never something a player did).
 */
export function encodeSave(save: SaveData, opts: { format?: EnvelopeFormat } = {}): string {
  const { saveDataSchema, describeIssues } = schemas();
  const parsed = saveDataSchema.safeParse(save);
  if (!parsed.success) throw new SaveEncodeError(`cannot save slot ${JSON.stringify(save.slot)}: ${describeIssues(parsed.error)}`);
  const s = parsed.data;
  if (s.meta.chapter !== s.payload.chapter) {
    throw new SaveEncodeError(`cannot save: meta.chapter (${s.meta.chapter}) does not match payload.chapter (${s.payload.chapter})`);
  }
  const body = {
    format: opts.format ?? SAVE_FORMAT,
    formatVersion: FORMAT_VERSION,
    game: GAME_ID,
    engineVersion: s.payload.engineVersion,
    storyVersion: s.payload.storyVersion,
    savedAt: s.savedAt,
    slot: s.slot,
    meta: s.meta,
    history: s.history,
    payload: s.payload,
  };
  return `${JSON.stringify({ ...body, checksum: checksumOf(body) }, null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------
// Decoding

/** How every save and export file this game writes begins: pretty-printed (encodeSave), or a slot file's header line. */
const ENVELOPE_STARTS = ['{\n  "format": "grimoire-', '{"format":"grimoire-'];

/**
 * Whether text that is not JSON is one of ours, damaged (cut off, bits flipped), rather than some
 * other file: it names a grimoire format near its start, or it is the start of how ours begin.
 */
export function looksLikeOurs(body: string): boolean {
  const head = body.replace(/^\s+/, '').slice(0, 4096);
  if (/"grimoire-(?:save|export|game)"/.test(head)) return true;
  return head.length > 0 && ENVELOPE_STARTS.some((start) => start.startsWith(head.slice(0, start.length)));
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describeJsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return `a ${typeof v}`;
}

/** Reads a save file's text. Never throws; a failure says why, naming `fileName`. */
export function decodeSave(text: string, fileName: string, opts: DecodeOptions = {}): DecodeResult {
  try {
    return decodeUnsafe(text, fileName, opts);
  } catch (e) {
    return fail('schema', `${fileName} could not be read: ${e instanceof Error ? e.message : String(e)}.`);
  }
}

export function fail(reason: DecodeFailureReason, message: string): DecodeFailure {
  return { ok: false, reason, message };
}

function decodeUnsafe(raw: string, f: string, opts: DecodeOptions): DecodeResult {
  const body = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;

  // 1. empty
  if (/^[\s\0]*$/.test(body)) {
    if (raw.length === 0) return fail('empty', `${f} is empty (0 bytes): nothing was written to it, or writing it was cut off at the start.`);
    const zeros = /^\0+$/.test(body);
    return fail('empty', `${f} is empty: it holds ${zeros ? 'only zero bytes' : 'only blank space'}, no save.`);
  }

  // 2. JSON, cut off or not JSON at all
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    if (!looksLikeOurs(body)) {
      // /etc/passwd, a zip file, a note: not a save that was damaged, just not a save
      const binary = /[\0-\x08\x0e-\x1f]/.test(body.slice(0, 4096));
      return fail('foreign', `${f} is not a grimoire save: it is not JSON${binary ? ' (it holds binary data)' : ''}, and nothing in it looks like a save.`);
    }
    const withoutZeroTail = body.replace(/\0+$/, '');
    const verdict = checkJsonPrefix(withoutZeroTail);
    if (verdict.kind === 'incomplete') {
      return fail(
        'truncated',
        `${f} is damaged (truncated): it stops in the middle of the save${withoutZeroTail.length < body.length ? ' and the rest is zero bytes' : ''}, as if writing it was interrupted.`,
      );
    }
    const at = verdict.kind === 'invalid' ? verdict.at : withoutZeroTail.length;
    const { line, column } = lineColumn(body, at);
    const ch = body[at];
    const what = ch === undefined ? 'the end' : ch === '\0' ? 'a zero byte' : JSON.stringify(ch);
    return fail('not-json', `${f} is damaged (not JSON): unexpected ${what} at line ${line}, column ${column}.`);
  }

  return decodeParsed(parsed, f, opts, (unsealed) => ({ ok: true, envelope: unsealed }));
}

/**
 * Steps 3 to 9 for a parsed file (or a slot file's header line): ours at all, intact, the right
 * kind, the right version, the right shape, a game the engine can run. `open` turns the sealed
 * object into the envelope (for a slot file: reads its body); it runs only once the seal and the
 * version are known good, and may fail in words.
 */
export function decodeParsed(
  parsed: unknown,
  f: string,
  opts: DecodeOptions,
  open: (unsealed: Record<string, unknown>) => { ok: true; envelope: Record<string, unknown> } | DecodeFailure,
  /** checks the shape of a current-format envelope, saying what is wrong; default: the zod schema */
  shape?: (envelope: Record<string, unknown>) => string | null,
): DecodeResult {
  const frame = checkFrame(parsed, f, opts);
  if (!frame.ok) return frame;
  const opened = open(frame.unsealed);
  if (!opened.ok) return opened;
  return decodeSealed(opened.envelope, frame.unsealed.formatVersion as number, f, opts, shape);
}

/** Steps 3 to 6a: ours, intact (the checksum over all but itself), the kind accepted, a version not newer than ours. */
export function checkFrame(parsed: unknown, f: string, opts: DecodeOptions): { ok: true; unsealed: Record<string, unknown> } | DecodeFailure {
  const accept = opts.accept ?? [SAVE_FORMAT];
  // 3. ours at all?
  if (!isPlainObject(parsed)) {
    return fail('foreign', `${f} is not a grimoire save: it holds ${describeJsonType(parsed)}, not a save.`);
  }
  const format = parsed.format;
  if (format === 'grimoire-game') {
    return fail('foreign', `${f} is not a save file but a bare game snapshot (format "grimoire-game"): it has no checksum, so it cannot be trusted.`);
  }
  if (format !== SAVE_FORMAT && format !== EXPORT_FORMAT && parsed.game !== GAME_ID) {
    const looksLikePackage = 'name' in parsed && 'version' in parsed && ('dependencies' in parsed || 'scripts' in parsed);
    return fail(
      'foreign',
      `${f} is not a grimoire save: it is some other JSON file${looksLikePackage ? ' (it looks like a package.json)' : ''}.`,
    );
  }

  // 4. intact? (checked before anything else is believed, including the version fields)
  const { checksum, ...unsealed } = parsed;
  if (checksum === undefined) {
    return fail('checksum', `${f} is damaged (no checksum): its "checksum" field is missing, so it cannot be trusted.`);
  }
  if (typeof checksum !== 'string' || !CHECKSUM_PATTERN.test(checksum)) {
    return fail('checksum', `${f} is damaged (unreadable checksum): its "checksum" field is not a sha256 checksum.`);
  }
  if (checksumOf(unsealed) !== checksum) {
    return fail('checksum', `${f} is damaged (checksum mismatch): it was changed after it was written.`);
  }

  // 5. the right kind of grimoire file?
  if (format !== SAVE_FORMAT && format !== EXPORT_FORMAT) {
    return fail('foreign', `${f} is a grimoire file of another kind (${JSON.stringify(format)}), not a save.`);
  }
  if (!accept.includes(format)) {
    return fail(
      'foreign',
      format === EXPORT_FORMAT
        ? `${f} is an exported save, not a save slot: import it instead of loading it.`
        : `${f} is a save slot, not an exported save.`,
    );
  }

  const fromFormat = unsealed.formatVersion;
  if (typeof fromFormat !== 'number' || !Number.isInteger(fromFormat) || fromFormat < 0) {
    return fail('schema', `${f} is not a valid save: its formatVersion is not a version number.`);
  }
  if (fromFormat > FORMAT_VERSION) {
    return fail(
      'too-new',
      `${f} was made by a newer grimoire (save format ${fromFormat}; this grimoire reads format ${FORMAT_VERSION} and older). Update grimoire to load it; the file was left as it is.`,
    );
  }
  return { ok: true, unsealed };
}

/** Steps 6b to 9: migrate the format, check the shape, migrate and check the game. */
function decodeSealed(
  unsealed: Record<string, unknown>,
  fromFormat: number,
  f: string,
  opts: DecodeOptions,
  shape?: (envelope: Record<string, unknown>) => string | null,
): DecodeResult {
  // 6. format version: migrate older (newer was refused by checkFrame)
  let current: Record<string, unknown> = unsealed;
  const formatMigrations = opts.formatMigrations ?? FORMAT_MIGRATIONS;
  for (let v = fromFormat; v < FORMAT_VERSION; v++) {
    const migrate = Object.prototype.hasOwnProperty.call(formatMigrations, v) ? formatMigrations[v] : undefined;
    if (!migrate) {
      return fail(
        'too-old',
        `${f} was made by an older grimoire (save format ${fromFormat}) and this grimoire cannot convert it (nothing converts format ${v} to ${v + 1}). The file was left as it is.`,
      );
    }
    let next: Record<string, unknown>;
    try {
      next = migrate(current);
    } catch (e) {
      return fail(
        'schema',
        `${f} was made by an older grimoire (save format ${fromFormat}) and converting it failed: ${schemas().isZodError(e) ? schemas().describeIssues(e as never) : e instanceof Error ? e.message : String(e)}. The file was left as it is.`,
      );
    }
    if (!isPlainObject(next) || next.formatVersion !== v + 1) {
      return fail('schema', `${f}: converting save format ${v} to ${v + 1} gave something else. The file was left as it is.`);
    }
    current = next;
  }

  // 7. the shape of the current format
  let env: { format: EnvelopeFormat; slot: string; savedAt: string; meta: SaveMeta; history: string[]; payload: unknown };
  if (shape) {
    const problem = shape(current);
    if (problem !== null) return fail('schema', `${f} is not a valid save (${problem}). It was written that way, not damaged later.`);
    env = current as typeof env;
  } else {
    const { envelopeBodySchema, describeIssues } = schemas();
    const checked = envelopeBodySchema.safeParse(current);
    if (!checked.success) {
      return fail('schema', `${f} is not a valid save (${describeIssues(checked.error)}). It was written that way, not damaged later.`);
    }
    env = checked.data;
  }
  let payload = env.payload as SavedGame;

  // 8. engine version: migrate older, refuse newer
  let fromEngine: number | undefined;
  if (opts.engine) {
    const target = opts.engine.version;
    const saved = payload.engineVersion;
    if (saved > target) {
      return fail(
        'too-new',
        `${f} was made by a newer grimoire (engine version ${saved}; this is version ${target}). Update grimoire to load it; the file was left as it is.`,
      );
    }
    const engineMigrations = opts.engine.migrations ?? {};
    for (let v = saved; v < target; v++) {
      const migrate = Object.prototype.hasOwnProperty.call(engineMigrations, v) ? engineMigrations[v] : undefined;
      if (!migrate) {
        return fail(
          'too-old',
          `${f} was made by an older grimoire (engine version ${saved}) and this version (${target}) cannot convert it. The file was left as it is.`,
        );
      }
      let next: unknown;
      try {
        next = migrate(payload);
      } catch (e) {
        return fail('schema', `${f}: converting the game from engine version ${v} to ${v + 1} failed: ${e instanceof Error ? e.message : String(e)}. The file was left as it is.`);
      }
      const ok = schemas().savedGameSchema.safeParse(next);
      if (!ok.success || ok.data.engineVersion !== v + 1) {
        return fail('schema', `${f}: converting the game from engine version ${v} to ${v + 1} gave something else. The file was left as it is.`);
      }
      payload = ok.data as SavedGame;
    }
    if (saved < target) fromEngine = saved;
  }

  // 9. a game the engine can run (a recomputed checksum proves nothing about what is inside)
  if (opts.engine?.validate) {
    try {
      opts.engine.validate(payload);
    } catch (e) {
      return fail('schema', `${f} is not a grimoire save this grimoire can read: ${e instanceof Error ? e.message : String(e)}. The file was left as it is.`);
    }
  }

  const migrated =
    fromFormat < FORMAT_VERSION || fromEngine !== undefined
      ? {
          ...(fromFormat < FORMAT_VERSION ? { fromFormatVersion: fromFormat } : {}),
          ...(fromEngine !== undefined ? { fromEngineVersion: fromEngine } : {}),
        }
      : null;
  return {
    ok: true,
    format: env.format,
    migrated,
    save: {
      slot: env.slot,
      savedAt: env.savedAt,
      meta: env.meta,
      history: env.history,
      payload: { ...payload, state: payload.state as Json },
    },
  };
}
