import * as path from 'node:path';
import { listChapters } from '../../engine/index';
import { checkNewChapterName } from './names';
import { scaffoldChapter } from './scaffold';
import type { ChapterRoots } from './paths';

export type NewChapterResult = { ok: true; files: string[]; number: number } | { ok: false; message: string };

/** the first title-card number from 101 that no listed chapter uses */
export function freeNumber(): number {
  const used = new Set(listChapters().map((c) => c.number));
  let n = 101;
  while (used.has(n)) n++;
  return n;
}

/** `grimoire new-chapter NAME` into `into`, from the example chapter in `from`. */
export function newChapter(name: string, into: ChapterRoots, from: ChapterRoots = into): NewChapterResult {
  const taken = listChapters().flatMap((c) => [c.id, String(c.number)]);
  const check = checkNewChapterName(name, into, taken);
  if (!check.ok) return check;
  const number = freeNumber();
  try {
    const files = scaffoldChapter(name, { into, from, number });
    return { ok: true, files: files.map((f) => path.relative(into.sourceRoot, f)), number };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}
