import { existsSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Where a chapter's parts live. The sources (story/NAME.ink, the folder's scripts/) are read from
 * the game's source tree; the chapter's code is loaded from wherever the running game's engine
 * is: the TypeScript itself under ts-jest, dist/ once built (so `grimoire check-chapter` checks
 * what `npm run build` made, and a chapter edited since needs a build first).
 */
export interface ChapterRoots {
  /** the folder holding story/, engine/chapters/ and test/ */
  sourceRoot: string;
  /** the folder holding the engine the chapter's code is loaded from (sourceRoot, or dist/) */
  codeRoot: string;
}

/** The roots of the game this module belongs to: src/authoring in the sources, dist/src/authoring once built. */
export function ownRoots(): ChapterRoots {
  const codeRoot = path.resolve(__dirname, '..', '..');
  const parent = path.dirname(codeRoot);
  const built = path.basename(codeRoot) === 'dist' && existsSync(path.join(parent, 'package.json'));
  return { sourceRoot: built ? parent : codeRoot, codeRoot };
}

export const chapterSourceDir = (roots: ChapterRoots, name: string): string => path.join(roots.sourceRoot, 'engine', 'chapters', name);
export const chapterCodeDir = (roots: ChapterRoots, name: string): string => path.join(roots.codeRoot, 'engine', 'chapters', name);
export const storyPath = (roots: ChapterRoots, name: string): string => path.join(roots.sourceRoot, 'story', `${name}.ink`);
export const scriptsDir = (roots: ChapterRoots, name: string): string => path.join(chapterSourceDir(roots, name), 'scripts');
export const testPath = (roots: ChapterRoots, name: string): string => path.join(roots.sourceRoot, 'test', 'engine', 'chapters', name, 'check.test.ts');
