/**
 * Exported saves: one self-contained file a player can keep, send or move to another machine.
 * Same envelope and checksum as a slot file, with format "grimoire-export", written as one
 * pretty-printed JSON document (readable, and any JSON tool can look inside; size matters less
 * for a file made once than for one written after every line). importSave runs every check a
 * slot read does (a copied slot file is accepted too) and returns a save ready for a slot.
 *
 * An export replaces an existing file only if that file is an earlier export (or with force);
 * see ownFiles.ts. An import reads only a plain file (a link to one is fine), never more than the
 * size limit.
 */
import * as path from 'node:path';
import { EXPORT_FORMAT, encodeSave, SAVE_FORMAT, type EngineCompat, type FormatMigration, type SaveData } from './envelope';
import type { DurableFs } from './durable';
import { describeFsError, formatBytes } from './fsErrors';
import { relativeToCwd } from './displayPath';
import { DEFAULT_MAX_SAVE_BYTES } from './fsStore';
import { OutputRefusedError, writeOwnFile, type OwnFileKind } from './ownFiles';
import { readFileLimited } from './readLimited';
import { decodeSaveFile } from './slotFile';
import type { SaveProblemReason } from './store';

interface ImportOptions {
  engine?: EngineCompat;
  formatMigrations?: Record<number, FormatMigration>;
  maxBytes?: number;
  /** how the path is shown in messages; default relative to the working directory when inside it */
  displayPath?: (absolutePath: string) => string;
}

interface ExportOptions {
  /** replace the file even if it is not an earlier export (never a link, a folder or a device) */
  force?: boolean;
  /** the largest file import reads; an export larger than this is not written */
  maxBytes?: number;
  displayPath?: (absolutePath: string) => string;
  /** how the player asks to replace a file that is not an export; default 'export --force FILE' */
  forceHint?: string;
  /** the calls the write makes; default the real ones */
  fs?: DurableFs;
}

type ImportResult =
  | { ok: true; save: SaveData; migrated: { fromFormatVersion?: number; fromEngineVersion?: number } | null }
  | { ok: false; reason: SaveProblemReason; message: string };

/** An export file as this game writes it, even cut off: its envelope's first field. */
const EXPORT_HEAD = /^\uFEFF?\s*\{\s*"format"\s*:\s*"grimoire-export"/;

const EXPORT_FILE: OwnFileKind = {
  what: 'a grimoire export',
  headBytes: 256,
  isOurs: (head) => EXPORT_HEAD.test(head.toString('utf8')),
};

/**
 * Writes `save` to `filePath` as an export file, atomically and durably. The folder must exist.
 * Throws an OutputRefusedError when the file may not be replaced or the export would be too big
 * to import, a DurableWriteError when the write failed; both messages are for the player.
 */
export async function exportSave(save: SaveData, filePath: string, opts: ExportOptions = {}): Promise<void> {
  const abs = path.resolve(filePath);
  const shown = (opts.displayPath ?? relativeToCwd)(abs);
  const text = encodeSave(save, { format: EXPORT_FORMAT });
  const max = opts.maxBytes ?? DEFAULT_MAX_SAVE_BYTES;
  const size = Buffer.byteLength(text, 'utf8');
  if (size > max) {
    throw new OutputRefusedError(
      `This game would export as ${formatBytes(size)}, more than the ${formatBytes(max)} import reads, so ${shown} was not written.`,
    );
  }
  await writeOwnFile(abs, text, EXPORT_FILE, { force: opts.force, display: shown, forceHint: opts.forceHint ?? `export --force ${filePath}`, fs: opts.fs });
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
    bytes = await readFileLimited(abs, opts.maxBytes ?? DEFAULT_MAX_SAVE_BYTES, { followLinks: true });
  } catch (e) {
    return { ok: false, reason: 'unreadable', message: `${shown} could not be read: ${describeFsError(e)}. Nothing was imported.` };
  }
  if (bytes === null) return { ok: false, reason: 'missing', message: `${shown} does not exist.` };
  const d = decodeSaveFile(bytes, shown, {
    accept: [EXPORT_FORMAT, SAVE_FORMAT],
    engine: opts.engine,
    formatMigrations: opts.formatMigrations,
  });
  if (!d.ok) return { ok: false, reason: d.reason, message: `${d.message} Nothing was imported.` };
  return { ok: true, save: d.save, migrated: d.migrated };
}
