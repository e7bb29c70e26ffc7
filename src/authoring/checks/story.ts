import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { GameHandle } from '../../../engine/index';
import { fail, pass, type CheckItem } from '../checklist';
import type { LoadedChapter } from '../loadChapter';
import { storyPath, type ChapterRoots } from '../paths';
import { blocksToPlainText } from '../../text/plain';

interface Compiled {
  json: string | null;
  hash: string | null;
  messages: string[];
}

/** the build's own ink compiler (scripts/compile-ink.js), from the game's sources */
function compileInk(roots: ChapterRoots, file: string): Compiled {
  const lib = require(path.join(roots.sourceRoot, 'scripts', 'compile-ink.js')) as { compileInk(f: string, o?: { dirLabel?: string }): Compiled };
  return lib.compileInk(file, { dirLabel: 'story' });
}

/** Knot names of a compiled story: the named content of its root container. */
export function knotsOf(json: string): Set<string> {
  const root = (JSON.parse(json) as { root: unknown[] }).root;
  const named = root[root.length - 1];
  if (!named || typeof named !== 'object') return new Set();
  return new Set(Object.keys(named).filter((k) => k !== '#f' && k !== '#n' && k !== 'global decl'));
}

/** The external functions a compiled story calls ({"x()": name} in ink's JSON). */
export function externalsOf(json: string): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o['x()'] === 'string') out.add(o['x()']);
      Object.values(o).forEach(walk);
    }
  };
  walk(JSON.parse(json));
  return out;
}

/** sudo's options that take the next word as their value (sudo 1.8.9) */
const SUDO_VALUE_OPTIONS = new Set(['-u', '-g', '-C', '-p', '-U', '-r', '-t']);

/** the command sudo would run: the first word after its options */
function afterSudo(words: string[]): string | undefined {
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') return words[i + 1];
    if (!w.startsWith('-')) return w;
    if (SUDO_VALUE_OPTIONS.has(w)) i++;
  }
  return undefined;
}

/** The commands the story's text tells the player to type: the first word of each `backticked` pipeline stage, after sudo. */
export function commandsNamed(ink: string): Set<string> {
  const out = new Set<string>();
  for (const raw of ink.split('\n')) {
    if (raw.trimStart().startsWith('//')) continue;
    for (const m of raw.matchAll(/`([^`]+)`/g)) {
      const text = m[1]!.replace(/\\\|/g, '|').replace(/\\\/\\\//g, '//');
      for (const stage of text.split(/\|\||&&|[|;]/)) {
        const words = stage.trim().split(/\s+/).filter((w) => w !== '' && !/^[A-Z_]+=/.test(w));
        const word = words[0] === 'sudo' ? afterSudo(words) : words[0];
        if (word) out.add(word);
      }
    }
  }
  return out;
}

/** words the front ends answer before the game's shell sees the line (src/session.ts) */
const FRONT_END_WORDS = new Set(['save', 'load', 'saves', 'export', 'import', 'transcript', 'download', 'quit', 'exit']);

/** Does the chapter's shell know this command? `type` says so for spells, the game's words have help. */
function known(game: GameHandle, word: string): boolean {
  if (FRONT_END_WORDS.has(word)) return true;
  const typed = blocksToPlainText(game.step(`type ${word}`));
  if (!/not found/.test(typed)) return true;
  const help = blocksToPlainText(game.step(`help ${word}`));
  return help.trim() !== '' && !/no (such|help)|unknown|not found/i.test(help);
}

export interface StoryFindings {
  items: CheckItem[];
  /** the compiled story, when it compiled */
  json: string | null;
}

/** The story compiles with no warning, is the one the chapter was built with, and keeps the contract. */
export function checkStory(name: string, roots: ChapterRoots, chapter: LoadedChapter, probe: () => GameHandle): StoryFindings {
  const items: CheckItem[] = [];
  const file = storyPath(roots, name);
  const contract = chapter.contract;
  let compiled: Compiled;
  try {
    compiled = compileInk(roots, file);
  } catch (e) {
    items.push(fail('the story compiles with no warnings', `cannot compile ${file}: ${e instanceof Error ? e.message : String(e)}`));
    return { items, json: null };
  }
  if (compiled.json === null || compiled.messages.length > 0) {
    items.push(fail('the story compiles with no warnings', compiled.messages.join('\n') || 'the compiler gave no story'));
    return { items, json: null };
  }
  items.push(pass('the story compiles with no warnings', `story/${name}.ink`));
  let built: string;
  try {
    built = chapter.module.story().version;
  } catch (e) {
    built = `missing (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`;
  }
  items.push(
    built === compiled.hash
      ? pass('the chapter plays the story as it is now')
      : fail('the chapter plays the story as it is now', `the chapter's compiled story is ${built}, story/${name}.ink compiles to ${compiled.hash}: run npm run build`),
  );

  const json = compiled.json;
  const problems: string[] = [];
  const knots = knotsOf(json);
  const wanted = [...new Set([...Object.values(contract.KNOTS), ...contract.CLUE_IDS.map((id) => `clue_${id}`)])];
  const missing = wanted.filter((k) => !knots.has(k));
  if (missing.length) problems.push(`knots the engine runs but the story lacks: ${missing.join(', ')}`);
  if (contract.STORY_NAME !== name) problems.push(`STORY_NAME is '${contract.STORY_NAME}', the story is story/${name}.ink`);
  const called = externalsOf(json);
  const declared = new Set(Object.keys(contract.EXTERNALS));
  const undeclared = [...called].filter((x) => !declared.has(x));
  if (undeclared.length) problems.push(`the story calls externals the contract does not list: ${undeclared.join(', ')}`);
  const unused = [...declared].filter((x) => !called.has(x));
  if (unused.length) problems.push(`the contract lists externals the story never calls: ${unused.join(', ')}`);
  items.push(problems.length ? fail('the story keeps its contract (knots, externals, clue ids)', problems.join('\n')) : pass('the story keeps its contract (knots, externals, clue ids)'));

  const ink = readFileSync(file, 'utf8');
  const named = commandsNamed(ink);
  const listed = new Set(contract.STORY_COMMANDS);
  const notListed = [...named].filter((c) => !listed.has(c));
  let unknown: string[];
  try {
    const game = probe();
    unknown = [...listed].filter((c) => !known(game, c));
  } catch (e) {
    items.push(fail('every command the story names exists in the chapter', `the game does not start: ${(e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').trim()}`));
    return { items, json };
  }
  const cmdProblems = [
    ...(notListed.length ? [`the story names commands STORY_COMMANDS does not list: ${notListed.join(', ')}`] : []),
    ...(unknown.length ? [`the chapter's shell does not know: ${unknown.join(', ')}`] : []),
  ];
  items.push(cmdProblems.length ? fail('every command the story names exists in the chapter', cmdProblems.join('\n')) : pass('every command the story names exists in the chapter', `${listed.size} commands`));
  return { items, json };
}
