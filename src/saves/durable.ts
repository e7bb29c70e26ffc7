/**
 * Writing a file so that it survives a crash at any moment: the new bytes go to a temporary file
 * in the same folder, which is fsynced, then renamed over the target (rename is atomic: readers
 * see the old file or the new one, never a mix), and then the folder itself is fsynced so the
 * rename is on disk too. This is what the game teaches; its own files are written this way.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/** fsync a directory, so a rename or unlink in it is durable. A no-op where directories can't be opened (Windows). */
export async function fsyncDir(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // Windows can't open directories; some file systems refuse fsync on them. Nothing more to do there.
    if (process.platform === 'win32' || code === 'EISDIR' || code === 'EINVAL' || code === 'ENOTSUP' || code === 'EPERM') return;
    throw e;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** mkdir -p, making the new folder's entry durable in its parent. */
export async function ensureDir(dir: string): Promise<void> {
  const created = await fs.mkdir(dir, { recursive: true });
  if (created !== undefined) await fsyncDir(path.dirname(created));
}

/** Temp file → fsync → rename over `file` → fsync the folder. */
export async function writeFileDurable(file: string, data: string | Buffer): Promise<void> {
  // a fresh options object every time: write-file-atomic fills in mode/chown on the one it is given
  await writeFileAtomic(file, data, { fsync: true });
  await fsyncDir(path.dirname(path.resolve(file)));
}

/** Leftover temp files of writeFileDurable (write-file-atomic names them `<file>.<number>`). */
export function isTempFileOf(name: string, target: string): boolean {
  return name.startsWith(`${target}.`) && /^\d+$/.test(name.slice(target.length + 1));
}
