/** The names and version every save file carries in its first fields. No imports: reading them loads nothing. */
export const SAVE_FORMAT = 'grimoire-save';
export const EXPORT_FORMAT = 'grimoire-export';
/** the format version of the envelope this grimoire writes (envelope.ts says what each one was) */
export const FORMAT_VERSION = 2;
export const GAME_ID = 'grimoire';

export type EnvelopeFormat = typeof SAVE_FORMAT | typeof EXPORT_FORMAT;
