/**
 * The zod schemas of the envelope. Loading zod takes longer than starting node itself, so this
 * module is required only when a whole save is encoded or decoded (envelope.ts), never to list
 * slots or draw the title screen (those read a slot's header, header.ts).
 */
import { z } from 'zod';
import { EXPORT_FORMAT, FORMAT_VERSION, GAME_ID, SAVE_FORMAT } from './formatIds';
import { checkSlotName } from './slotName';

const text = (max: number) => z.string().max(max);

export const savedGameSchema = z.strictObject({
  format: z.literal('grimoire-game'),
  engineVersion: z.int().nonnegative(),
  storyVersion: text(200),
  chapter: text(200).min(1),
  seed: z.number(),
  state: z.json(),
});

/**
 * A game as a save file holds it, when the file is read: the state came out of JSON.parse, so it
 * is JSON already, and walking it (z.json() copies every value of a world's megabyte) would only
 * say so again. What is inside is the engine's to check (ENGINE_COMPAT's validate, run before a
 * game is restored).
 */
const savedGameReadSchema = savedGameSchema.extend({
  state: z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), { message: 'expected an object' }),
});

export const saveMetaSchema = z.strictObject({
  chapter: text(200).min(1),
  chapterTitle: text(200),
  progress: text(200),
  virtualTime: text(100),
  hints: z.int().nonnegative(),
  spells: z.int().nonnegative(),
});

const slotSchema = z.string().check((ctx) => {
  const r = checkSlotName(ctx.value, { allowReserved: true });
  if (!r.ok) ctx.issues.push({ code: 'custom', message: r.message, input: ctx.value });
});

/** The envelope of the current format version as read, without its checksum. Strict: unknown keys are refused. */
export const envelopeBodySchema = z
  .strictObject({
    format: z.enum([SAVE_FORMAT, EXPORT_FORMAT]),
    formatVersion: z.literal(FORMAT_VERSION),
    game: z.literal(GAME_ID),
    engineVersion: z.int().nonnegative(),
    storyVersion: text(200),
    savedAt: z.iso.datetime({ offset: true }),
    slot: slotSchema,
    meta: saveMetaSchema,
    history: z.array(z.string()),
    payload: savedGameReadSchema,
  })
  .check((ctx) => {
    const b = ctx.value;
    const issue = (path: string[], message: string) => ctx.issues.push({ code: 'custom', path, message, input: b });
    if (b.engineVersion !== b.payload.engineVersion) issue(['engineVersion'], 'does not match payload.engineVersion');
    if (b.storyVersion !== b.payload.storyVersion) issue(['storyVersion'], 'does not match payload.storyVersion');
    if (b.meta.chapter !== b.payload.chapter) issue(['meta', 'chapter'], 'does not match payload.chapter');
  });

export const saveDataSchema = z.strictObject({
  slot: slotSchema,
  savedAt: z.iso.datetime({ offset: true }),
  meta: saveMetaSchema,
  history: z.array(z.string()),
  payload: savedGameSchema,
});

/**
 * Format 0, the pre-release layout (kept so the migration path is real and tested): the
 * SavedGame fields sat flat in the envelope and there was no meta block.
 *
 *   { format: 'grimoire-save', formatVersion: 0, game: 'grimoire', slot, savedAt,
 *     engineVersion, storyVersion, chapter, seed, state, history?, hintsUsed?, spellsCast?,
 *     checksum }
 */
export const formatV0Schema = z.strictObject({
  format: z.enum([SAVE_FORMAT, EXPORT_FORMAT]),
  formatVersion: z.literal(0),
  game: z.literal(GAME_ID),
  slot: z.string(),
  savedAt: z.string(),
  engineVersion: z.int().nonnegative(),
  storyVersion: z.string(),
  chapter: z.string().min(1),
  seed: z.number(),
  state: z.json(),
  history: z.array(z.string()).optional(),
  hintsUsed: z.int().nonnegative().optional(),
  spellsCast: z.int().nonnegative().optional(),
});

export function isZodError(e: unknown): e is z.ZodError {
  return e instanceof z.ZodError;
}

export function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 3).map((i) => `${i.path.length > 0 ? i.path.join('.') : 'the file'}: ${i.message}`);
  if (error.issues.length > 3) shown.push(`and ${error.issues.length - 3} more`);
  return shown.join('; ');
}
