import type { ChapterInfo } from '../api';
import type { ChapterModule } from '../chapter';
import { ch1Info } from './ch1/meta';
import { ch2Info } from './ch2/meta';
import { ch3Info } from './ch3/meta';

/**
 * The chapters, listed without loading them: `grimoire chapters` and the title screen need only
 * the title cards (each chapter's meta.ts), and a chapter's module (story, simulation) loads when
 * it is played.
 */
const CHAPTERS: Array<{ info: ChapterInfo; load: () => ChapterModule }> = [
  { info: ch1Info, load: () => require('./ch1').chapter1 as ChapterModule },
  { info: ch2Info, load: () => require('./ch2').chapter2 as ChapterModule },
  { info: ch3Info, load: () => require('./ch3').chapter3 as ChapterModule },
];

/**
 * Chapters that are not the book's: folders under engine/chapters/ that scripts/compile-ink.js
 * found at build time (generated/chapters.json), each with meta.ts exporting `info` and index.ts
 * exporting `chapter`. They are listed after the book's; one whose id or number is taken is left out.
 */
let discovered = false;

function discoverChapters(): void {
  if (discovered) return;
  discovered = true;
  let dirs: string[] = [];
  try {
    const list = require('../../generated/chapters.json') as { chapters?: Array<{ dir?: unknown }> };
    dirs = (list.chapters ?? []).map((c) => c.dir).filter((d): d is string => typeof d === 'string' && /^[a-z][a-z0-9-]*$/.test(d));
  } catch {
    // not built yet: only the book's chapters
  }
  for (const dir of dirs) {
    let info: ChapterInfo | undefined;
    try {
      info = (require(`./${dir}/meta`) as { info?: ChapterInfo }).info;
    } catch {
      continue;
    }
    if (!info || CHAPTERS.some((c) => c.info.id === info!.id || c.info.number === info!.number)) continue;
    CHAPTERS.push({ info, load: () => (require(`./${dir}`) as { chapter: ChapterModule }).chapter });
  }
}

export function listChapters(): ChapterInfo[] {
  discoverChapters();
  return CHAPTERS.map((c) => c.info);
}

export function findChapter(id: string): ChapterInfo | undefined {
  discoverChapters();
  return CHAPTERS.find((c) => c.info.id === id || String(c.info.number) === id)?.info;
}

export function loadChapter(id: string): ChapterModule {
  discoverChapters();
  const entry = CHAPTERS.find((c) => c.info.id === id || String(c.info.number) === id);
  if (!entry) throw new RangeError(`no chapter '${id}'`);
  return entry.load();
}

/**
 * Adds a chapter that is not one of the book's (a test's stub, a team's own incident). It is
 * listed after the book's own; registering an id twice replaces the earlier one.
 */
export function registerChapter(module: ChapterModule): void {
  discoverChapters();
  const at = CHAPTERS.findIndex((c) => c.info.id === module.info.id);
  const entry = { info: module.info, load: () => module };
  if (at >= 0) CHAPTERS[at] = entry;
  else CHAPTERS.push(entry);
}
