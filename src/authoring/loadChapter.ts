import { existsSync } from 'node:fs';
import type { ChapterModule } from '../../engine/index';
import { chapterCodeDir, type ChapterRoots } from './paths';

/**
 * What check-chapter reads of a chapter's story contract (its storyContract.ts): the knots the
 * engine may run, the clue ids, the externals, the commands the story names, and the answer the
 * last hint must give.
 */
export interface StoryContract {
  STORY_NAME: string;
  KNOTS: Record<string, string>;
  CLUE_IDS: readonly string[];
  EXTERNALS: Record<string, { args: readonly string[]; returns: string }>;
  STORY_COMMANDS: readonly string[];
  ANSWER: readonly string[];
}

export interface LoadedChapter {
  module: ChapterModule;
  contract: StoryContract;
}

export type LoadResult = { ok: true; chapter: LoadedChapter } | { ok: false; message: string };

const CONTRACT_FIELDS: ReadonlyArray<keyof StoryContract> = ['STORY_NAME', 'KNOTS', 'CLUE_IDS', 'EXTERNALS', 'STORY_COMMANDS', 'ANSWER'];

/**
 * Loads a chapter's folder the way the registry does (index exports `chapter`), by path, since a
 * team's chapter is a plug-in the engine's facade does not name; and its story contract beside it.
 */
export function loadChapterFolder(name: string, roots: ChapterRoots): LoadResult {
  const dir = chapterCodeDir(roots, name);
  if (!existsSync(dir)) return { ok: false, message: `there is no chapter folder ${dir}${roots.codeRoot !== roots.sourceRoot ? ' (build it first: npm run build)' : ''}.` };
  let module: ChapterModule | undefined;
  let contract: Partial<StoryContract>;
  try {
    module = (require(dir) as { chapter?: ChapterModule }).chapter;
    contract = require(`${dir}/storyContract`) as Partial<StoryContract>;
  } catch (e) {
    return { ok: false, message: `chapter '${name}' does not load: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!module || typeof module.createWorld !== 'function') return { ok: false, message: `${dir}/index exports no \`chapter\` (a ChapterModule).` };
  const missing = CONTRACT_FIELDS.filter((f) => contract[f] === undefined);
  if (missing.length) return { ok: false, message: `${dir}/storyContract exports no ${missing.join(', ')}.` };
  return { ok: true, chapter: { module, contract: contract as StoryContract } };
}
