import type { ChapterInfo } from '../api';
import type { ChapterModule } from '../chapter';

/**
 * The chapters, listed without loading them: `grimoire chapters` and the title screen need only
 * the titles, and a chapter's module (story, simulation) loads when it is played.
 */
const CHAPTERS: ReadonlyArray<ChapterInfo & { load: () => ChapterModule }> = [
  {
    id: '1',
    number: 1,
    title: "it's coming from INSIDE THE KERNEL",
    blurb: 'A DNS secondary keeps losing its name server to the OOM killer, yet no process is using much memory.',
    load: () => require('./ch1').chapter1 as ChapterModule,
  },
];

export function listChapters(): ChapterInfo[] {
  return CHAPTERS.map(({ load: _load, ...info }) => info);
}

export function findChapter(id: string): ChapterInfo | undefined {
  return listChapters().find((c) => c.id === id || String(c.number) === id);
}

export function loadChapter(id: string): ChapterModule {
  const entry = CHAPTERS.find((c) => c.id === id || String(c.number) === id);
  if (!entry) throw new RangeError(`no chapter '${id}'`);
  return entry.load();
}
