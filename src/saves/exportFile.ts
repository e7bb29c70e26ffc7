/**
 * Exported saves: one self-contained file a player can keep, send or move to another machine.
 * Same envelope and checksum as a slot file, with format "grimoire-export"; importSave runs every
 * check a slot read does and returns a save ready to be written to a slot.
 */
import * as path from 'node:path';
import { decodeSave, EXPORT_FORMAT, encodeSave, SAVE_FORMAT, type EngineCompat, type FormatMigration, type SaveData } from './envelope';
import { writeFileDurable } from './durable';
import { DEFAULT_MAX_SAVE_BYTES, readFileLimited, relativeToCwd } from './fsStore';
import type { SaveProblemReason } from './store';

interface ImportOptions {
  engine?: EngineCompat;
  formatMigrations?: Record<number, FormatMigration>;
  maxBytes?: number;
  /** how the path is shown in messages; default relative to the working directory when inside it */
  displayPath?: (absolutePath: string) => string;
}

type ImportResult =
  | { ok: true; save: SaveData; migrated: { fromFormatVersion?: number; fromEngineVersion?: number } | null }
  | { ok: false; reason: SaveProblemReason; message: string };

/** Writes `save` to `filePath` as an export file, atomically and durably. The folder must exist. */
export async function exportSave(save: SaveData, filePath: string): Promise<void> {
  const text = encodeSave(save, { format: EXPORT_FORMAT });
  await writeFileDurable(path.resolve(filePath), text);
}

/**
 * Reads and fully checks an export file (a copied slot file is accepted too). Never throws for
 * anything wrong with the file; the message names it.
 */
export async function importSave(filePath: string, opts: ImportOptions = {}): Promise<ImportResult> {
  const abs = path.resolve(filePath);
  const shown = (opts.displayPath ?? relativeToCwd)(abs);
  let bytes: Buffer | null;
  try {
    bytes = await readFileLimited(abs, opts.maxBytes ?? DEFAULT_MAX_SAVE_BYTES);
  } catch (e) {
    const why = e instanceof RangeError ? e.message : ((e as NodeJS.ErrnoException).code ?? String(e));
    return { ok: false, reason: 'unreadable', message: `${shown} could not be read (${why}).` };
  }
  if (bytes === null) return { ok: false, reason: 'missing', message: `${shown} does not exist.` };
  const d = decodeSave(bytes.toString('utf8'), shown, {
    accept: [EXPORT_FORMAT, SAVE_FORMAT],
    engine: opts.engine,
    formatMigrations: opts.formatMigrations,
  });
  if (!d.ok) return { ok: false, reason: d.reason, message: `${d.message} Nothing was imported.` };
  return { ok: true, save: d.save, migrated: d.migrated };
}
