import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkNewChapterName } from '../../../src/authoring/names';
import { freeNumber, newChapter } from '../../../src/authoring/newChapter';
import { REPO_ROOTS, tempGame } from './tempChapter';

describe('new-chapter names', () => {
  const t = tempGame();
  afterAll(() => t.cleanup());

  it.each([
    ['../etc', /cannot name a chapter: a name is 2 to 32 lower-case letters/],
    ['a/b', /cannot name a chapter/],
    ['Disk-Full', /cannot name a chapter/],
    ['x', /cannot name a chapter/],
    ['disk-', /cannot name a chapter/],
    ['ch4', /reserved for the book's own chapters/],
    ['registry', /'registry' is reserved/],
  ])('refuses %s', (name, message) => {
    const r = checkNewChapterName(name, t.roots);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(message);
  });

  it('refuses the name of a chapter that is listed, and of a folder or story already there', () => {
    expect(checkNewChapterName('cron-dot', t.roots, ['1', 'cron-dot'])).toEqual({ ok: false, message: "there is already a chapter 'cron-dot' (see: grimoire chapters)." });
    mkdirSync(join(t.dir, 'engine', 'chapters', 'disk-full'));
    expect(checkNewChapterName('disk-full', t.roots)).toEqual({ ok: false, message: `${join(t.dir, 'engine', 'chapters', 'disk-full')} already exists; new-chapter never overwrites. Pick another name or move it away.` });
    writeFileSync(join(t.dir, 'story', 'oom-night.ink'), '-> DONE\n');
    expect(checkNewChapterName('oom-night', t.roots).ok).toBe(false);
    expect(checkNewChapterName('swap-storm', t.roots)).toEqual({ ok: true });
  });
});

describe('new-chapter', () => {
  const t = tempGame();
  afterAll(() => t.cleanup());

  it('writes the chapter folder, its story, its scripts and a test, under the new name', () => {
    const r = newChapter('disk-full', t.roots, REPO_ROOTS);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.files).toEqual(
      expect.arrayContaining([
        'engine/chapters/disk-full/meta.ts',
        'engine/chapters/disk-full/index.ts',
        'engine/chapters/disk-full/judge.ts',
        'engine/chapters/disk-full/clues.ts',
        'engine/chapters/disk-full/storyContract.ts',
        'engine/chapters/disk-full/sim/scenario.ts',
        'engine/chapters/disk-full/scripts/walkthrough.txt',
        'engine/chapters/disk-full/scripts/wrong-fix.txt',
        'story/disk-full.ink',
        'test/engine/chapters/disk-full/check.test.ts',
      ]),
    );
    const meta = readFileSync(join(t.dir, 'engine', 'chapters', 'disk-full', 'meta.ts'), 'utf8');
    expect(meta).toContain("id: 'disk-full',");
    expect(meta).toContain(`number: ${r.number},`);
    expect(meta).toContain("title: 'disk-full',");
    // nothing of the example's name is left: its scenario and story are registered under the new one
    for (const f of r.files) expect(readFileSync(join(t.dir, f), 'utf8')).not.toContain('cron-dot');
    expect(readFileSync(join(t.dir, 'test', 'engine', 'chapters', 'disk-full', 'check.test.ts'), 'utf8')).toContain("checkChapter('disk-full'");
  });

  it('numbers it after every listed chapter, from 101', () => {
    expect(freeNumber()).toBeGreaterThanOrEqual(101);
  });

  it('never overwrites: a second run with the same name is refused and changes nothing', () => {
    const story = join(t.dir, 'story', 'disk-full.ink');
    writeFileSync(story, '// ours\n');
    const r = newChapter('disk-full', t.roots, REPO_ROOTS);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/already exists; new-chapter never overwrites/);
    expect(readFileSync(story, 'utf8')).toBe('// ours\n');
    expect(existsSync(join(t.dir, 'engine', 'chapters', 'disk-full', 'index.ts'))).toBe(true);
  });
});
