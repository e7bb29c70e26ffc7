/**
 * What a save list needs from a slot file without reading the game in it: the header line
 * (slotFile.ts), checked on its own. The header's checksum covers every field a list shows (and
 * the body's SHA-256), and the file's size must be what the header says, so a damaged header, a
 * cut-off file or one with bytes added is reported here, by name, as loading it would. What only
 * loading finds: a bit flipped inside the compressed body (its SHA-256 no longer matches), and a
 * game the engine refuses to restore; the slot's previous good copy is offered then.
 *
 * No zod, no decompression: listing 300 slots reads 300 first lines.
 */
import { checkFrame, fail, type DecodeFailure, type DecodeOptions, type SaveMeta } from './envelope';
import { FORMAT_VERSION } from './formatIds';
import { checkSlotName } from './slotName';
import { bodyInfoOf, isIsoTime, isSlotFile, lengthProblem, problemWithMeta } from './slotFile';

export interface SaveHeader {
  slot: string;
  savedAt: string;
  meta: SaveMeta;
}

const HEADER_KEYS = ['body', 'engineVersion', 'format', 'formatVersion', 'game', 'meta', 'savedAt', 'slot', 'storyVersion'];

/**
 * The header of a slot file from its first bytes (`head`: at least its first line) and its size;
 * 'not-a-slot-file' for a format 0/1 JSON document or anything else, which only a whole read can
 * judge.
 */
export function readSaveHeader(head: Buffer, size: number, f: string, opts: DecodeOptions = {}): { ok: true; header: SaveHeader } | DecodeFailure | 'not-a-slot-file' {
  if (!isSlotFile(head)) return 'not-a-slot-file';
  const nl = head.indexOf(0x0a);
  let parsed: unknown;
  try {
    parsed = JSON.parse(head.subarray(0, nl).toString('utf8'));
  } catch {
    return fail('not-json', `${f} is damaged (not JSON): its first line, the save's header, is not a JSON object.`);
  }
  const frame = checkFrame(parsed, f, opts);
  if (!frame.ok) return frame;
  const h = frame.unsealed;
  const invalid = (what: string): DecodeFailure => fail('schema', `${f} is not a valid save (${what}). It was written that way, not damaged later.`);
  if (h.formatVersion !== FORMAT_VERSION) return invalid(`formatVersion: a header line is format ${FORMAT_VERSION}`);
  const keys = Object.keys(h).sort();
  if (keys.length !== HEADER_KEYS.length || keys.some((k, i) => k !== HEADER_KEYS[i])) return invalid('the file: not the fields of a save');
  const body = bodyInfoOf(h, f);
  if ('ok' in body) return body;
  const short = lengthProblem(f, size, nl + 1, body);
  if (short) return short;
  const slot = checkSlotName(typeof h.slot === 'string' ? h.slot : '', { allowReserved: true });
  if (!slot.ok) return invalid(`slot: ${slot.message}`);
  if (!isIsoTime(h.savedAt)) return invalid('savedAt: not an ISO 8601 time');
  const metaProblem = problemWithMeta(h.meta);
  if (metaProblem) return invalid(metaProblem);
  if (!Number.isSafeInteger(h.engineVersion) || (h.engineVersion as number) < 0) return invalid('engineVersion: not a version number');
  if (typeof h.storyVersion !== 'string' || h.storyVersion.length > 200) return invalid('storyVersion: not a string of at most 200 characters');
  if ((h.meta as SaveMeta).chapter.length === 0) return invalid('meta.chapter: empty');
  const engineVersion = h.engineVersion as number;

  if (opts.engine) {
    // in the words loading would use (envelope.ts, step 8)
    const target = opts.engine.version;
    if (engineVersion > target) {
      return fail(
        'too-new',
        `${f} was made by a newer grimoire (engine version ${engineVersion}; this is version ${target}). Update grimoire to load it; the file was left as it is.`,
      );
    }
    const migrations = opts.engine.migrations ?? {};
    for (let v = engineVersion; v < target; v++) {
      if (!Object.prototype.hasOwnProperty.call(migrations, v)) {
        return fail(
          'too-old',
          `${f} was made by an older grimoire (engine version ${engineVersion}) and this version (${target}) cannot convert it. The file was left as it is.`,
        );
      }
    }
  }
  return { ok: true, header: { slot: h.slot as string, savedAt: h.savedAt as string, meta: h.meta as SaveMeta } };
}
