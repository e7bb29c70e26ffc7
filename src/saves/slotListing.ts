/**
 * Where the saves folder is and which slots it holds, from the folder's listing alone: the title
 * screen's first frame asks only whether there is any save, before the save store (and what it
 * loads: the file formats, compression, the engine's checks) is needed.
 */
import * as fsSync from 'node:fs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { checkSlotName } from './slotName';

/** `<slot>.json`: a slot's save */
export const SAVE_EXTENSION = '.json';
/** `<slot>.bak.json`: the previous good save of that slot */
export const BACKUP_EXTENSION = '.bak.json';

/** The folder holding package.json of this project, found from this file's location. */
function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    try {
      const parsed = JSON.parse(fsSync.readFileSync(pkg, 'utf8')) as { name?: unknown };
      if (parsed.name === 'grimoire') return dir;
    } catch {
      // not here
    }
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/** $GRIMOIRE_SAVES_DIR, or saves/ at the project root. */
export function defaultSavesDir(): string {
  const fromEnv = process.env.GRIMOIRE_SAVES_DIR;
  return fromEnv && fromEnv.length > 0 ? path.resolve(fromEnv) : path.join(projectRoot(), 'saves');
}

/** Slot names that have a save or a backup file in `dir`, sorted. Temp files and other files are ignored. */
export async function slotsIn(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const found = new Set<string>();
  for (const n of names) {
    const slot = n.endsWith(BACKUP_EXTENSION) ? n.slice(0, -BACKUP_EXTENSION.length) : n.endsWith(SAVE_EXTENSION) ? n.slice(0, -SAVE_EXTENSION.length) : null;
    if (slot !== null && checkSlotName(slot, { allowReserved: true }).ok) found.add(slot);
  }
  return [...found].sort();
}
