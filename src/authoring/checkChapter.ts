import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { listChapters, registerChapter, type ChapterInfo } from '../../engine/index';
import { fail, pass, type CheckItem, type CheckReport } from './checklist';
import { checkObjectives, checkWalkthroughs, checkWrongFixes, playScript, type Played, type Script } from './checks/scripts';
import { checkHintLadder, checkSaveLoad, checkSeeds } from './checks/rest';
import { checkStory } from './checks/story';
import { loadChapterFolder } from './loadChapter';
import { ownRoots, scriptsDir, storyPath, type ChapterRoots } from './paths';
import { newGame, readScript } from './runner';

/** the seeds every check plays with: fixed, so a report can be reproduced with `grimoire play NAME --seed` */
export const SEEDS = [1, 2] as const;

/** scripts/walkthrough*.txt and scripts/wrong-fix*.txt in the chapter's folder */
function scripts(roots: ChapterRoots, name: string, prefix: string): Script[] {
  const dir = scriptsDir(roots, name);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.txt'))
    .sort()
    .map((f) => ({ file: path.join(dir, f), lines: readScript(path.join(dir, f)) }));
}

export class UnknownChapterError extends Error {}

/** every .ts under dir, relative to it */
function tsFiles(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? tsFiles(dir, path.join(rel, d.name)) : d.name.endsWith('.ts') ? [path.join(rel, d.name)] : [],
  );
}

/** `grimoire chapters` and the title screen list it: built into generated/chapters.json, with a number no other chapter has. */
export function checkListed(info: ChapterInfo): CheckItem {
  const title = 'grimoire chapters lists it';
  const all = listChapters();
  if (all.some((c) => c.id === info.id)) return pass(title, `as ${info.number}`);
  const same = all.find((c) => c.number === info.number);
  return fail(title, same ? `its number ${info.number} is also '${same.title}' (${same.id}): give meta.ts another number` : 'it is not in generated/chapters.json: run npm run build');
}

/** When the chapter runs from a build (dist/), each of its sources is built and not newer than its build. */
function checkBuilt(name: string, roots: ChapterRoots): CheckItem {
  const title = 'the chapter is built from its sources as they are now';
  const src = path.join(roots.sourceRoot, 'engine', 'chapters', name);
  const out = path.join(roots.codeRoot, 'engine', 'chapters', name);
  const stale = tsFiles(src).filter((f) => {
    const js = path.join(out, f.replace(/\.ts$/, '.js'));
    return !existsSync(js) || statSync(js).mtimeMs < statSync(path.join(src, f)).mtimeMs;
  });
  return stale.length ? fail(title, `changed since the last build: ${stale.join(', ')}: run npm run build`) : pass(title);
}

/**
 * `grimoire check-chapter NAME`: the checklist a chapter must pass. Throws UnknownChapterError
 * when there is no such chapter to check (no folder, or no story).
 */
export function checkChapter(name: string, roots: ChapterRoots): CheckReport {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new UnknownChapterError(`'${name}' is not a chapter's name (lower-case letters, digits and hyphens).`);
  if (!existsSync(path.join(roots.sourceRoot, 'engine', 'chapters', name))) throw new UnknownChapterError(`there is no chapter '${name}': no folder engine/chapters/${name} (grimoire new-chapter ${name} makes one).`);
  if (!existsSync(storyPath(roots, name))) throw new UnknownChapterError(`chapter '${name}' has no story: story/${name}.ink is missing.`);
  const report: CheckReport = { chapter: name, items: [] };
  const loaded = loadChapterFolder(name, roots);
  if (!loaded.ok) {
    report.items.push(fail('the chapter loads', loaded.message));
    return report;
  }
  const chapter = loaded.chapter;
  const id = chapter.module.info.id;
  if (id !== name) {
    report.items.push(fail('the chapter loads', `its id is '${id}', its folder '${name}': meta.ts's id must be the folder's name`));
    return report;
  }
  // the game's own chapters are found by the build's list; a folder elsewhere (a test's) is not
  if (roots.sourceRoot === ownRoots().sourceRoot) report.items.push(checkListed(chapter.module.info));
  registerChapter(chapter.module);
  if (roots.codeRoot !== roots.sourceRoot) report.items.push(checkBuilt(name, roots));

  const story = checkStory(name, roots, chapter, () => newGame(id, SEEDS[0]).game);
  report.items.push(...story.items);
  if (story.json === null) return report;

  const walkthroughs = scripts(roots, name, 'walkthrough');
  const wrongFixes = scripts(roots, name, 'wrong-fix');
  const runsBySeed = SEEDS.map((seed) => ({ seed, runs: new Map<string, Played>(walkthroughs.map((w) => [w.file, playScript(id, seed, w.lines, { statusFirst: true })])) }));
  const runs = runsBySeed[0]!.runs;
  report.items.push(...checkWalkthroughs(chapter, walkthroughs, runsBySeed));
  report.items.push(...checkWrongFixes(id, SEEDS[0], wrongFixes));
  const first = walkthroughs[0];
  const straight = first ? runs.get(first.file) : undefined;
  report.items.push(...checkObjectives(chapter, straight));
  report.items.push(...checkHintLadder(chapter, id, SEEDS[0], walkthroughs));
  if (first && straight) {
    report.items.push(...checkSeeds(id, SEEDS, [straight, runsBySeed[1]!.runs.get(first.file)!]));
  } else report.items.push(fail(`seeds ${SEEDS[0]} and ${SEEDS[1]} give different details`, 'no walkthrough to play under two seeds'));
  report.items.push(...checkSaveLoad(id, SEEDS[0], first, straight));
  return report;
}
