import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChapterRoots } from '../../../src/authoring/paths';
import { newChapter } from '../../../src/authoring/newChapter';

/** the game's own sources: where the example chapter and the engine are */
export const REPO = join(__dirname, '..', '..', '..');
export const REPO_ROOTS: ChapterRoots = { sourceRoot: REPO, codeRoot: REPO };

// eslint-disable-next-line @typescript-eslint/no-var-requires
const ink = require(join(REPO, 'scripts', 'compile-ink.js')) as { compileAll(o: { storyDir: string; outDir: string }): { ok: boolean; results: Array<{ messages: string[] }> } };

/**
 * A throwaway game folder: the repository's engine (every part but its chapters, linked, so the
 * scaffolded chapter runs on the very modules the test's engine is), the shared ink include and
 * the build's scripts, with nothing of the repository written to.
 */
export function tempGame(): { roots: ChapterRoots; dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'grimoire-chapter-'));
  mkdirSync(join(dir, 'engine', 'chapters'), { recursive: true });
  for (const entry of readdirSync(join(REPO, 'engine'))) if (entry !== 'chapters') symlinkSync(join(REPO, 'engine', entry), join(dir, 'engine', entry));
  mkdirSync(join(dir, 'story'));
  symlinkSync(join(REPO, 'story', '_common.ink'), join(dir, 'story', '_common.ink'));
  symlinkSync(join(REPO, 'scripts'), join(dir, 'scripts'));
  return { roots: { sourceRoot: dir, codeRoot: dir }, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** compiles the folder's stories into its generated/story, as npm run build would */
export function buildStories(dir: string): void {
  const r = ink.compileAll({ storyDir: join(dir, 'story'), outDir: join(dir, 'generated', 'story') });
  if (!r.ok) throw new Error(r.results.flatMap((x) => x.messages).join('\n'));
}

let made = 0;

/** A new chapter scaffolded into a fresh temporary game folder and built. */
export function scaffoldTemp(): { roots: ChapterRoots; dir: string; name: string; chapterDir: string; cleanup(): void } {
  const t = tempGame();
  // each scaffold gets its own name: a scenario is registered once per name in the test's engine
  const name = `team-incident-${++made}-${process.pid % 1000}`;
  const r = newChapter(name, t.roots, REPO_ROOTS);
  if (!r.ok) throw new Error(r.message);
  buildStories(t.dir);
  return { ...t, name, chapterDir: join(t.dir, 'engine', 'chapters', name) };
}

/** rewrites a file of the scaffold, failing loudly when the text to replace is not there */
export function edit(file: string, from: string | RegExp, to: string): void {
  const text = readFileSync(file, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${file}: nothing matched ${String(from)}`);
  writeFileSync(file, next);
}
