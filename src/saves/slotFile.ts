/**
 * A save slot's file, format 2: the envelope (envelope.ts) as one line of compact JSON, the
 * header, followed by the bulky part compressed, the body.
 *
 *   {"format":"grimoire-save","formatVersion":2,"game":"grimoire","engineVersion":3,
 *    "storyVersion":"…","savedAt":"…","slot":"slot1","meta":{…},
 *    "body":{"encoding":"br","bytes":N,"sha256":"<hex>"},"checksum":"sha256:<hex>"}\n
 *   N bytes: brotli (or gzip) of the compact JSON {"history":[…],"payload":{…}}
 *
 * The header keeps the frame every format keeps (format, formatVersion, game, and a checksum over
 * canonicalJson of the rest), and the rest includes the SHA-256 of the body's bytes: the checksum
 * covers the whole file, as in format 1, and the header alone can be checked without reading the
 * body. That is what a save list reads (header.ts): the first line and the file's size, never the
 * game.
 *
 * Compressed, a chapter 1 save is about a twentieth of its pretty-printed JSON; see README "Speed".
 */
import { createHash } from 'node:crypto';
import { brotliCompress, brotliDecompressSync, constants as zlibConstants, gunzipSync } from 'node:zlib';
import { checksumOf } from './canonical';
import { decodeParsed, decodeSave, fail, SaveEncodeError, type DecodeFailure, type DecodeOptions, type DecodeResult, type SaveData } from './envelope';
import { FORMAT_VERSION, GAME_ID, SAVE_FORMAT, type EnvelopeFormat } from './formatIds';
import { checkSlotName } from './slotName';

/** The longest header line read; a real one is well under 1 KiB. */
export const MAX_HEADER_BYTES = 64 * 1024;
const SHA256_HEX = /^[0-9a-f]{64}$/;
/** the encodings a body may have; brotli is what this grimoire writes */
const ENCODINGS = new Set(['br', 'gzip']);
/**
 * Brotli quality 4: on a chapter 1 snapshot smaller than gzip's default level and faster; quality 5
 * is 3 % smaller for 75 % more time on every save (the figures are in README "Speed").
 */
const BROTLI_QUALITY = 4;
/**
 * A body of JSON smaller than this is compressed at quality 2, to at most about 45 of the 64 KiB a
 * save may take on disk either way, and in less than half the time of quality 4 (a bot saves after
 * every step of every player, and most games are young). Bigger bodies need quality 4 to stay
 * under that cap. Figures in README "Speed".
 */
export const QUICK_BODY_BYTES = 512 * 1024;
const QUICK_BROTLI_QUALITY = 2;

/** the brotli quality a body of `bytes` bytes of JSON is written with */
export function brotliQualityFor(bytes: number): number {
  return bytes < QUICK_BODY_BYTES ? QUICK_BROTLI_QUALITY : BROTLI_QUALITY;
}

/** How a slot file's first line begins (every format from 2 on). */
const HEADER_START = Buffer.from('{"format":"grimoire-');

export interface BodyInfo {
  encoding: string;
  bytes: number;
  sha256: string;
}

/**
 * Whether these bytes are a slot file of format 2 or later, as opposed to a format 0/1 JSON
 * document (or not a save at all): a first line that begins as ours do, or one that is a JSON
 * object with a body (a header with a damaged field is still a header, and is judged as one).
 */
export function isSlotFile(bytes: Uint8Array): boolean {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, MAX_HEADER_BYTES));
  if (buf.length < 2 || buf[0] !== 0x7b || buf[1] !== 0x22) return false;
  const nl = buf.indexOf(0x0a);
  // a compact JSON document of format 0 or 1 (written by a tool, not by the game) has no newline, or only at its end
  if (nl < 0 || nl >= bytes.length - 1) return false;
  if (buf.subarray(0, HEADER_START.length).equals(HEADER_START)) return true;
  try {
    const first = JSON.parse(buf.subarray(0, nl).toString('utf8')) as unknown;
    return typeof first === 'object' && first !== null && 'body' in first;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Writing

/** Throws a SaveEncodeError naming the first thing that would not read back. */
function checkForWrite(save: SaveData): void {
  const problem = problemWithSave(save);
  if (problem !== null) throw new SaveEncodeError(`cannot save slot ${JSON.stringify(save.slot)}: ${problem}`);
}

/**
 * What is wrong with a save's fields, or null: the checks of the envelope's schema (schema.ts),
 * written out so that writing and reading a slot file never load zod.
 */
function problemWithSave(save: SaveData, parsed = false): string | null {
  const slot = checkSlotName(typeof save.slot === 'string' ? save.slot : '', { allowReserved: true });
  if (!slot.ok) return `slot: ${slot.message}`;
  if (!isIsoTime(save.savedAt)) return 'savedAt: not an ISO 8601 time';
  const metaProblem = problemWithMeta(save.meta);
  if (metaProblem) return metaProblem;
  const m = save.meta as unknown as Record<string, unknown>;
  if (!Array.isArray(save.history) || !save.history.every((l) => typeof l === 'string')) return 'history: not a list of lines';
  const p = save.payload as unknown as Record<string, unknown>;
  if (!p || typeof p !== 'object' || Array.isArray(p) || p.format !== 'grimoire-game') return 'payload: not a grimoire game';
  if (!Number.isSafeInteger(p.engineVersion) || (p.engineVersion as number) < 0) return 'payload.engineVersion: not a version number';
  if (typeof p.storyVersion !== 'string' || p.storyVersion.length > 200) return 'payload.storyVersion: not a string of at most 200 characters';
  if (typeof p.chapter !== 'string' || p.chapter.length === 0 || p.chapter.length > 200) return 'payload.chapter: not a chapter id';
  if (typeof p.seed !== 'number' || !Number.isFinite(p.seed)) return 'payload.seed: not a number';
  if (Object.keys(p).length !== 6 || !('state' in p)) return "payload: not the engine's six fields";
  // what JSON.parse gave back is JSON: walking a read save's state again would only cost time
  const where = parsed ? null : notJson(p.state);
  if (where !== null) return `payload.state${where}: not JSON`;
  if (m.chapter !== p.chapter) return `meta.chapter (${String(m.chapter)}) does not match payload.chapter (${String(p.chapter)})`;
  return null;
}

/** The shape of a format 2 envelope read from a slot file (decodeParsed's `shape`). */
function problemWithEnvelope(env: Record<string, unknown>): string | null {
  const keys = Object.keys(env).sort();
  const want = ['engineVersion', 'format', 'formatVersion', 'game', 'history', 'meta', 'payload', 'savedAt', 'slot', 'storyVersion'];
  if (keys.length !== want.length || keys.some((k, i) => k !== want[i])) return 'the file: not the fields of a save';
  if (env.formatVersion !== FORMAT_VERSION) return `formatVersion: not ${FORMAT_VERSION}`;
  const problem = problemWithSave(env as unknown as SaveData, true);
  if (problem !== null) return problem;
  const p = env.payload as Record<string, unknown>;
  if (env.engineVersion !== p.engineVersion) return 'engineVersion: does not match payload.engineVersion';
  if (env.storyVersion !== p.storyVersion) return 'storyVersion: does not match payload.storyVersion';
  return null;
}

/** What is wrong with a meta block (the six fields a save list shows), or null. */
export function problemWithMeta(meta: unknown): string | null {
  const m = meta as Record<string, unknown> | null;
  if (!m || typeof m !== 'object' || Array.isArray(m)) return 'meta: missing';
  for (const [k, max] of [['chapter', 200], ['chapterTitle', 200], ['progress', 200], ['virtualTime', 100]] as const) {
    if (typeof m[k] !== 'string' || (m[k] as string).length > max) return `meta.${k}: not a string of at most ${max} characters`;
  }
  if ((m.chapter as string).length === 0) return 'meta.chapter: empty';
  for (const k of ['hints', 'spells'] as const) if (!Number.isSafeInteger(m[k]) || (m[k] as number) < 0) return `meta.${k}: not a whole number`;
  if (Object.keys(m).length !== 6) return 'meta: unknown keys';
  return null;
}

export function isIsoTime(v: unknown): v is string {
  return typeof v === 'string' && ISO_DATETIME.test(v) && !Number.isNaN(Date.parse(v));
}

const ISO_DATETIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)$/;

/** What one value is to JSON: held as it is, not held, or a container whose values are to be checked. */
function jsonKind(v: unknown): 'leaf' | 'bad' | 'array' | 'object' {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return 'leaf';
  if (typeof v === 'number') return Number.isFinite(v) ? 'leaf' : 'bad';
  if (typeof v !== 'object') return 'bad';
  if (Array.isArray(v)) return 'array';
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null ? 'object' : 'bad';
}

/** Is every value in `value` one JSON holds as it is? The walk of every save: no paths built on the way. */
function allJson(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    const kind = jsonKind(v);
    if (kind === 'bad') return false;
    if (kind === 'array') for (let i = 0; i < (v as unknown[]).length; i++) stack.push((v as unknown[])[i]);
    else if (kind === 'object') for (const k in v as Record<string, unknown>) stack.push((v as Record<string, unknown>)[k]);
  }
  return true;
}

/** Where in `value` something JSON cannot hold is ('' for the value itself), or null. Iterative: a deep state does not overflow the stack. */
function notJson(value: unknown): string | null {
  // the path of a problem is worked out only when there is one
  if (allJson(value)) return null;
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [v, at] = stack.pop()!;
    const kind = jsonKind(v);
    if (kind === 'bad') return at;
    if (kind === 'array') for (let i = 0; i < (v as unknown[]).length; i++) stack.push([(v as unknown[])[i], `${at}[${i}]`]);
    else if (kind === 'object') for (const k of Object.keys(v as object)) stack.push([(v as Record<string, unknown>)[k], `${at}.${k}`]);
  }
  return null;
}

function compress(data: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    brotliCompress(
      data,
      { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: brotliQualityFor(data.length), [zlibConstants.BROTLI_PARAM_SIZE_HINT]: data.length } },
      (err, out) => (err ? reject(err) : resolve(out)),
    ),
  );
}

/**
 * The bytes of a slot file for `save`. Compression runs off the main thread. Throws (rejects with)
 * a SaveEncodeError if the save is not valid: a bug in the caller, never something a player did.
 */
export async function encodeSlotFile(save: SaveData, opts: { format?: EnvelopeFormat } = {}): Promise<Buffer> {
  checkForWrite(save);
  const body = await compress(Buffer.from(JSON.stringify({ history: save.history, payload: save.payload }), 'utf8'));
  const header = {
    format: opts.format ?? SAVE_FORMAT,
    formatVersion: FORMAT_VERSION,
    game: GAME_ID,
    engineVersion: save.payload.engineVersion,
    storyVersion: save.payload.storyVersion,
    savedAt: save.savedAt,
    slot: save.slot,
    meta: {
      chapter: save.meta.chapter,
      chapterTitle: save.meta.chapterTitle,
      progress: save.meta.progress,
      virtualTime: save.meta.virtualTime,
      hints: save.meta.hints,
      spells: save.meta.spells,
    },
    body: { encoding: 'br', bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') },
  };
  const line = Buffer.from(`${JSON.stringify({ ...header, checksum: checksumOf(header) })}\n`, 'utf8');
  return Buffer.concat([line, body], line.length + body.length);
}

// ---------------------------------------------------------------------------------------------
// Reading

/** The body descriptor of a sealed header, or why it is not one. */
export function bodyInfoOf(unsealed: Record<string, unknown>, f: string): BodyInfo | DecodeFailure {
  const b = unsealed.body as Record<string, unknown> | undefined;
  if (
    !b ||
    typeof b !== 'object' ||
    typeof b.encoding !== 'string' ||
    !ENCODINGS.has(b.encoding) ||
    !Number.isSafeInteger(b.bytes) ||
    (b.bytes as number) < 0 ||
    typeof b.sha256 !== 'string' ||
    !SHA256_HEX.test(b.sha256) ||
    Object.keys(b).length !== 3
  ) {
    return fail('schema', `${f} is not a valid save (body: not a description of a compressed body). It was written that way, not damaged later.`);
  }
  return { encoding: b.encoding, bytes: b.bytes as number, sha256: b.sha256 };
}

/** How the file's length compares with what its header says, in words; null when it matches. */
export function lengthProblem(f: string, total: number, headerLength: number, body: BodyInfo): DecodeFailure | null {
  const have = total - headerLength;
  if (have < body.bytes) {
    return fail('truncated', `${f} is damaged (truncated): it stops in the middle of the save, as if writing it was interrupted.`);
  }
  if (have > body.bytes) {
    return fail('checksum', `${f} is damaged (wrong length): it holds ${have - body.bytes} bytes more than the save it describes.`);
  }
  return null;
}

/**
 * Reads a save file of any format: a slot file (format 2 on) or one JSON document (format 0 and 1
 * slot files, every export). Never throws; a failure says why, naming `fileName`.
 */
export function decodeSaveFile(bytes: Buffer, fileName: string, opts: DecodeOptions = {}): DecodeResult {
  if (!isSlotFile(bytes)) return decodeSave(bytes.toString('utf8'), fileName, opts);
  try {
    return decodeSlotFile(bytes, fileName, opts);
  } catch (e) {
    return fail('schema', `${fileName} could not be read: ${e instanceof Error ? e.message : String(e)}.`);
  }
}

function decodeSlotFile(bytes: Buffer, f: string, opts: DecodeOptions): DecodeResult {
  const nl = bytes.indexOf(0x0a);
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.subarray(0, nl).toString('utf8'));
  } catch {
    // the first line of a slot file is one JSON object: anything else there is damage
    return fail('not-json', `${f} is damaged (not JSON): its first line, the save's header, is not a JSON object.`);
  }
  return decodeParsed(parsed, f, opts, (unsealed) => {
    const body = bodyInfoOf(unsealed, f);
    if ('ok' in body) return body;
    const short = lengthProblem(f, bytes.length, nl + 1, body);
    if (short) return short;
    const raw = bytes.subarray(nl + 1);
    if (createHash('sha256').update(raw).digest('hex') !== body.sha256) {
      return fail('checksum', `${f} is damaged (checksum mismatch): it was changed after it was written.`);
    }
    let inside: unknown;
    try {
      const json = body.encoding === 'br' ? brotliDecompressSync(raw) : gunzipSync(raw);
      inside = JSON.parse(json.toString('utf8'));
    } catch {
      return fail('schema', `${f} is not a valid save: its body, intact as written, is not compressed JSON. It was written that way, not damaged later.`);
    }
    if (!inside || typeof inside !== 'object' || Array.isArray(inside) || Object.keys(inside).length !== 2) {
      return fail('schema', `${f} is not a valid save: its body holds something other than the history and the game. It was written that way, not damaged later.`);
    }
    const { body: _descriptor, ...fields } = unsealed;
    const { history, payload } = inside as Record<string, unknown>;
    return { ok: true, envelope: { ...fields, history, payload } };
  }, problemWithEnvelope);
}

