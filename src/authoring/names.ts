import { existsSync } from 'node:fs';
import { chapterSourceDir, storyPath, testPath, type ChapterRoots } from './paths';

/**
 * What a team may call its chapter: the folder's name under engine/chapters/, the story's file
 * name and the id `grimoire play` takes. Lower-case letters, digits and hyphens, starting with a
 * letter; the book's own names (ch1, ch2, ...) and the files the folder sits beside are taken.
 */
export const NAME_RULE = 'a name is 2 to 32 lower-case letters, digits and hyphens, starting with a letter (e.g. disk-full)';

/** names the book, the engine or the game's own commands use */
const RESERVED = new Set(['registry', 'index', 'chapter', 'chapters', 'stub', 'story', 'common', 'template', 'new-chapter', 'check-chapter', 'play', 'all', 'autosave']);

export type NameCheck = { ok: true } | { ok: false; message: string };

/** Whether NAME can be a new chapter here; `taken` are the ids and numbers already listed. */
export function checkNewChapterName(name: string, roots: ChapterRoots, taken: ReadonlyArray<string> = []): NameCheck {
  if (!/^[a-z][a-z0-9-]{1,31}$/.test(name) || name.endsWith('-') || name.includes('--')) {
    return { ok: false, message: `'${name}' cannot name a chapter: ${NAME_RULE}.` };
  }
  if (/^ch\d+$/.test(name)) return { ok: false, message: `'${name}' is reserved for the book's own chapters (ch1, ch2, ...); pick a name of your own.` };
  if (RESERVED.has(name)) return { ok: false, message: `'${name}' is reserved; pick another name.` };
  if (taken.includes(name)) return { ok: false, message: `there is already a chapter '${name}' (see: grimoire chapters).` };
  for (const p of [chapterSourceDir(roots, name), storyPath(roots, name), testPath(roots, name)]) {
    if (existsSync(p)) return { ok: false, message: `${p} already exists; new-chapter never overwrites. Pick another name or move it away.` };
  }
  return { ok: true };
}
