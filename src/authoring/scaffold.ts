import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { chapterSourceDir, storyPath, testPath, type ChapterRoots } from './paths';

/**
 * `grimoire new-chapter NAME`: a copy of the example chapter (engine/chapters/cron-dot, "the
 * export that stopped") under the new name, so a team starts from a chapter that passes
 * `check-chapter` as generated and changes it into its own incident (docs/write-a-chapter.md).
 */
export const TEMPLATE = 'cron-dot';

export interface ScaffoldOptions {
  /** where the files go */
  into: ChapterRoots;
  /** where the example chapter is read from (the game's own sources) */
  from: ChapterRoots;
  /** the title card's number: the first free one from 101 */
  number: number;
}

/** every file under dir, as paths relative to it, sorted */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const r = rel ? path.join(rel, name) : name;
      if (statSync(path.join(dir, r)).isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk('');
  return out;
}

/** the example's text under the new name: its id, story name and scenario name are all TEMPLATE */
function rename(text: string, name: string): string {
  return text.split(TEMPLATE).join(name);
}

function titleCard(text: string, name: string, number: number): string {
  return text
    .replace(/number: \d+,/, `number: ${number},`)
    .replace(/title: '[^']*',/, `title: '${name}',`)
    .replace(/blurb: '[^']*',/, `blurb: 'Scaffolded from the example chapter: make it your own incident (docs/write-a-chapter.md).',`);
}

const testStub = (name: string): string => `import { join } from 'node:path';
import { checkChapter } from '../../../../src/authoring/checkChapter';

/**
 * Chapter '${name}' passes \`grimoire check-chapter ${name}\`: its story compiles with no warning
 * and keeps its contract, its walkthroughs solve it, its wrong fixes do not, and the rest of the
 * checklist (src/authoring/checkChapter.ts). Under jest the chapter's TypeScript is checked; the
 * story is the one \`npm run build\` compiled.
 */
const ROOT = join(__dirname, '..', '..', '..', '..');

it('passes check-chapter', () => {
  const report = checkChapter('${name}', { sourceRoot: ROOT, codeRoot: ROOT });
  expect(report.items.filter((i) => !i.ok).map((i) => \`\${i.title}: \${i.reason}\`)).toEqual([]);
});
`;

/**
 * Writes the new chapter's files; refuses (throws, having written nothing) when any of them
 * already exists, and a file that appears meanwhile is not replaced either. Returns the paths written.
 */
export function scaffoldChapter(name: string, opts: ScaffoldOptions): string[] {
  const fromDir = chapterSourceDir(opts.from, TEMPLATE);
  const plan: Array<{ to: string; text: string }> = [];
  for (const rel of filesUnder(fromDir)) {
    let text = rename(readFileSync(path.join(fromDir, rel), 'utf8'), name);
    if (rel === 'meta.ts') text = titleCard(text, name, opts.number);
    plan.push({ to: path.join(chapterSourceDir(opts.into, name), rel), text });
  }
  plan.push({ to: storyPath(opts.into, name), text: rename(readFileSync(storyPath(opts.from, TEMPLATE), 'utf8'), name) });
  plan.push({ to: testPath(opts.into, name), text: testStub(name) });
  const there = plan.find((f) => existsSync(f.to));
  if (there) throw new Error(`${there.to} already exists; new-chapter never overwrites.`);
  const written: string[] = [];
  for (const f of plan) {
    mkdirSync(path.dirname(f.to), { recursive: true });
    // 'wx': a file that appeared since the name was checked is never replaced
    writeFileSync(f.to, f.text, { flag: 'wx' });
    written.push(f.to);
  }
  return written;
}
