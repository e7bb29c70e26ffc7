import type { SaveData } from '../saves/index';
import { EXPORT_FORMAT, SAVE_FORMAT, encodeSave } from '../saves/envelope';
import { formatBytes } from '../saves/fsErrors';
import { decodeSaveFile } from '../saves/slotFile';
import { ENGINE_COMPAT } from '../session';
import type { OutgoingFile } from './wire';

/**
 * Files in and out of a game on Discord: an export goes out as an attachment and an import comes
 * in as one, never by a path on the bot's disk. An attachment is fetched only from Discord's own
 * file hosts, never more than the size limit, and checked exactly as an import file is (envelope,
 * checksum, versions, the engine's schema) before anything is replaced.
 */

/** Discord's upload limit without boosts is 10 MiB; a save is far smaller */
export const MAX_ATTACHMENT_IMPORT_BYTES = 8 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 10_000;

/** where Discord serves attachments */
export const DISCORD_ATTACHMENT_ORIGINS = ['https://cdn.discordapp.com', 'https://media.discordapp.net'];

export function exportAttachment(save: SaveData): OutgoingFile | { error: string } {
  const text = encodeSave(save, { format: EXPORT_FORMAT });
  const data = Buffer.from(text, 'utf8');
  if (data.length > MAX_ATTACHMENT_IMPORT_BYTES) return { error: `This game would export as ${formatBytes(data.length)}, more than the ${formatBytes(MAX_ATTACHMENT_IMPORT_BYTES)} an import takes, so it was not sent.` };
  return { name: `grimoire-ch${save.meta.chapter}-export.json`, data, contentType: 'application/json' };
}

export interface AttachmentInfo {
  url: unknown;
  filename: unknown;
  size: unknown;
}

export type ImportedFile = { ok: true; save: SaveData; name: string } | { ok: false; message: string };

/** Fetches and checks an attached export (or a copied slot file). Never throws: a failure says why. */
export async function importAttachment(a: AttachmentInfo, allowedOrigins: readonly string[]): Promise<ImportedFile> {
  const name = typeof a.filename === 'string' ? a.filename.replace(/[^\w.\- ]/g, '_').slice(0, 100) : 'the attachment';
  if (typeof a.size === 'number' && a.size > MAX_ATTACHMENT_IMPORT_BYTES) {
    return { ok: false, message: `${name} is ${formatBytes(a.size)}; an import takes at most ${formatBytes(MAX_ATTACHMENT_IMPORT_BYTES)}. Nothing was imported.` };
  }
  let url: URL;
  try {
    url = new URL(String(a.url));
  } catch {
    return { ok: false, message: 'That attachment has no address the bot can read. Nothing was imported.' };
  }
  if (!allowedOrigins.includes(url.origin)) return { ok: false, message: `${name} is not on Discord's file servers, so it was not fetched. Nothing was imported.` };

  let bytes: Buffer;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
    if (!res.ok || !res.body) return { ok: false, message: `${name} could not be fetched (HTTP ${res.status}). Nothing was imported.` };
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > MAX_ATTACHMENT_IMPORT_BYTES) return { ok: false, message: `${name} is larger than the ${formatBytes(MAX_ATTACHMENT_IMPORT_BYTES)} an import takes. Nothing was imported.` };
      chunks.push(Buffer.from(chunk));
    }
    bytes = Buffer.concat(chunks);
  } catch (e) {
    return { ok: false, message: `${name} could not be fetched: ${e instanceof Error ? e.message : String(e)}. Nothing was imported.` };
  }
  const d = decodeSaveFile(bytes, name, { accept: [EXPORT_FORMAT, SAVE_FORMAT], engine: ENGINE_COMPAT });
  if (!d.ok) return { ok: false, message: `${d.message} Nothing was imported.` };
  return { ok: true, save: d.save, name };
}
