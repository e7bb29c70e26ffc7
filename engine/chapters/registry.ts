import type { ChapterInfo } from '../api';
import type { ChapterModule } from '../chapter';
import { ch1Info } from './ch1/meta';
import { ch2Info } from './ch2/meta';

/**
 * The chapters, listed without loading them: `grimoire chapters` and the title screen need only
 * the title cards (each chapter's meta.ts), and a chapter's module (story, simulation) loads when
 * it is played.
 */
const CHAPTERS: Array<{ info: ChapterInfo; load: () => ChapterModule }> = [
  { info: ch1Info, load: () => require('./ch1').chapter1 as ChapterModule },
  { info: ch2Info, load: () => require('./ch2').chapter2 as ChapterModule },
];

export function listChapters(): ChapterInfo[] {
  return CHAPTERS.map((c) => c.info);
}

export function findChapter(id: string): ChapterInfo | undefined {
  return CHAPTERS.find((c) => c.info.id === id || String(c.info.number) === id)?.info;
}

export function loadChapter(id: string): ChapterModule {
  const entry = CHAPTERS.find((c) => c.info.id === id || String(c.info.number) === id);
  if (!entry) throw new RangeError(`no chapter '${id}'`);
  return entry.load();
}

/**
 * Adds a chapter that is not one of the book's (a test's stub, a team's own incident). It is
 * listed after the book's own; registering an id twice replaces the earlier one.
 */
export function registerChapter(module: ChapterModule): void {
  const at = CHAPTERS.findIndex((c) => c.info.id === module.info.id);
  const entry = { info: module.info, load: () => module };
  if (at >= 0) CHAPTERS[at] = entry;
  else CHAPTERS.push(entry);
}
