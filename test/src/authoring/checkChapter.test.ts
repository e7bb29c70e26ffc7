import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkChapter, checkListed, UnknownChapterError } from '../../../src/authoring/checkChapter';
import { formatReport, reportOk, type CheckReport } from '../../../src/authoring/checklist';
import { buildStories, edit, REPO_ROOTS, scaffoldTemp } from './tempChapter';

/** the failed items' titles and reasons */
const failures = (r: CheckReport): string[] => r.items.filter((i) => !i.ok).map((i) => `${i.title}: ${i.reason}`);
const item = (r: CheckReport, title: RegExp) => {
  const found = r.items.filter((i) => title.test(i.title));
  expect(found.length).toBeGreaterThan(0);
  return found;
};

describe('check-chapter on a scaffold', () => {
  const cleanups: Array<() => void> = [];
  afterAll(() => cleanups.forEach((c) => c()));
  const fresh = () => {
    const s = scaffoldTemp();
    cleanups.push(s.cleanup);
    return s;
  };

  it('passes every check as generated, and says so item by item', () => {
    const s = fresh();
    const r = checkChapter(s.name, s.roots);
    expect(failures(r)).toEqual([]);
    expect(reportOk(r)).toBe(true);
    const text = formatReport(r);
    expect(text).toContain(`check-chapter ${s.name}\n`);
    expect(text).toContain('  [ok] the story compiles with no warnings');
    expect(text).toContain('  [ok] walkthrough scripts/walkthrough.txt solves the chapter');
    expect(text).toContain('  [ok] wrong fix scripts/wrong-fix.txt does not solve the chapter');
    expect(text).toMatch(/all 10 checks passed\n$/);
  });

  it('fails a story that compiles with a warning', () => {
    const s = fresh();
    writeFileSync(join(s.dir, 'story', `${s.name}.ink`), readFileSync(join(s.dir, 'story', `${s.name}.ink`), 'utf8') + '\n=== loose_end ===\nA line that runs out of story.\n');
    const r = checkChapter(s.name, s.roots);
    const [story] = item(r, /^the story compiles/);
    expect(story!.ok).toBe(false);
    expect(story!.reason).toMatch(/WARNING/);
    expect(reportOk(r)).toBe(false);
  });

  it('fails a story that breaks its contract: a clue without its knot, an external the contract does not list', () => {
    const s = fresh();
    const story = join(s.dir, 'story', `${s.name}.ink`);
    edit(story, /=== clue_runs_by_hand ===\n[^\n]*\n-> DONE\n/, '');
    edit(story, 'EXTERNAL missed_runs()', 'EXTERNAL missed_runs()\nEXTERNAL spells_cast()');
    edit(story, 'that is {missed_runs()} runs', 'that is {missed_runs()} runs ({spells_cast()})');
    buildStories(s.dir);
    const r = checkChapter(s.name, s.roots);
    const [contract] = item(r, /^the story keeps its contract/);
    expect(contract!.ok).toBe(false);
    expect(contract!.reason).toBe('knots the engine runs but the story lacks: clue_runs_by_hand\nthe story calls externals the contract does not list: spells_cast');
  });

  it('fails a story that names a command the contract does not list, or the shell does not know', () => {
    const s = fresh();
    edit(join(s.dir, 'story', `${s.name}.ink`), 'When did it last run?', 'When did it last run? `uptime` says how long the box has been up.');
    edit(join(s.chapterDir, 'storyContract.ts'), "'sleep'] as const;", "'sleep', 'frobnicate'] as const;");
    buildStories(s.dir);
    const r = checkChapter(s.name, s.roots);
    const [cmds] = item(r, /^every command the story names/);
    expect(cmds!.ok).toBe(false);
    expect(cmds!.reason).toBe("the story names commands STORY_COMMANDS does not list: uptime\nthe chapter's shell does not know: frobnicate");
  });

  it('fails a walkthrough that does not solve the chapter, naming what is not done', () => {
    const s = fresh();
    const file = join(s.chapterDir, 'scripts', 'walkthrough.txt');
    writeFileSync(file, readFileSync(file, 'utf8').split('\n').slice(0, 3).join('\n') + '\n');
    const r = checkChapter(s.name, s.roots);
    const [walk] = item(r, /^walkthrough .* solves/);
    expect(walk!.ok).toBe(false);
    expect(walk!.reason).toMatch(/^not solved after its 3 lines with seed 1: 'Cron ran the export 3 times in a row' is failing/);
  });

  it('fails a wrong-fix script that solves the chapter', () => {
    const s = fresh();
    copyFileSync(join(s.chapterDir, 'scripts', 'walkthrough.txt'), join(s.chapterDir, 'scripts', 'wrong-fix-rename.txt'));
    const r = checkChapter(s.name, s.roots);
    const fixes = item(r, /^wrong fix /);
    expect(fixes.map((f) => [f.title, f.ok])).toEqual([
      ['wrong fix scripts/wrong-fix-rename.txt does not solve the chapter', false],
      ['wrong fix scripts/wrong-fix.txt does not solve the chapter', true],
    ]);
    expect(fixes[0]!.reason).toMatch(/it solved the chapter/);
  });

  it('fails an objective whose verdict never moves', () => {
    const s = fresh();
    const judge = join(s.chapterDir, 'judge.ts');
    edit(judge, "  { id: 'exports',", "  { id: 'quiet', label: 'Nothing anyone can see', kind: 'milestone' },\n  { id: 'exports',");
    const r = checkChapter(s.name, s.roots);
    const [obs] = item(r, /^each objective can be observed/);
    expect(obs!.ok).toBe(false);
    expect(obs!.reason).toBe("'Nothing anyone can see' never changed during the walkthrough (status showed it pending throughout)");
  });

  it('fails a hint ladder whose last hint does not give the answer', () => {
    const s = fresh();
    edit(join(s.dir, 'story', `${s.name}.ink`), "Give the job's file a name cron accepts: `sudo mv /etc/cron.d/report-export.cron /etc/cron.d/report-export`.", "Give the job's file a name cron accepts.");
    buildStories(s.dir);
    const r = checkChapter(s.name, s.roots);
    const [hints] = item(r, /^the hint ladder/);
    expect(hints!.ok).toBe(false);
    expect(hints!.reason).toMatch(/^hint 4 of 4 does not contain: sudo mv \/etc\/cron.d\/report-export.cron \/etc\/cron.d\/report-export\nit says: Hint 4\/4: Give the job's file a name cron accepts\./);
  });

  it('fails a story edited since the build (the chapter would play the old one)', () => {
    const s = fresh();
    edit(join(s.dir, 'story', `${s.name}.ink`), 'Start from the symptom.', 'Begin with the symptom.');
    const r = checkChapter(s.name, s.roots);
    const [built] = item(r, /^the chapter plays the story as it is now/);
    expect(built!.ok).toBe(false);
    expect(built!.reason).toMatch(/run npm run build$/);
  });

  it('fails a chapter whose two seeds give the same world', () => {
    const s = fresh();
    const index = join(s.chapterDir, 'index.ts');
    edit(index, "import type { RngStreams } from '../../rng';", "import { RngStreams } from '../../rng';");
    edit(index, 'createWorld: (streams) => createWorld(streams)', 'createWorld: () => createWorld(new RngStreams(7))');
    const r = checkChapter(s.name, s.roots);
    const [seeds] = item(r, /^seeds 1 and 2/);
    expect(seeds!.ok).toBe(false);
    expect(seeds!.reason).toMatch(/the two worlds are identical/);
  });

  it('fails a chapter that keeps state outside the saved world (save/load drift)', () => {
    const s = fresh();
    const index = join(s.chapterDir, 'index.ts');
    // a count kept in the binding's closure: a loaded game starts it again from zero
    edit(index, '  const machine = bindMachine(w, streams);', '  const machine = bindMachine(w, streams);\n  let linesSeen = 0;');
    edit(index, '        hearWrongFixes(w, argvs, wrongFix);', '        linesSeen++;\n        hearWrongFixes(w, argvs, wrongFix);');
    edit(index, 'exports_since: () => cronRunsSince(w, progress.openedAt),', 'exports_since: () => cronRunsSince(w, progress.openedAt) + linesSeen,');
    const r = checkChapter(s.name, s.roots);
    const [save] = item(r, /^a save\/load round trip/);
    expect(save!.ok).toBe(false);
    expect(save!.reason).toMatch(/^after loading a save made after line 3, line \d \(`.*`\) answers differently/);
    expect(save!.reason).toMatch(/something the chapter keeps is not in the saved world$/);
  });

  it('refuses a chapter that does not exist (unknown name, no story)', () => {
    expect(() => checkChapter('no-such-chapter', REPO_ROOTS)).toThrow(UnknownChapterError);
    expect(() => checkChapter('../ch1', REPO_ROOTS)).toThrow(/is not a chapter's name/);
    const s = fresh();
    expect(existsSync(join(s.dir, 'story', `${s.name}.ink`))).toBe(true);
    expect(() => checkChapter('ch9', s.roots)).toThrow(/there is no chapter 'ch9'/);
  });
});

describe('a chapter grimoire chapters does not list', () => {
  it('is named with the chapter whose number it shares, or pointed at the build', () => {
    expect(checkListed({ id: 'twin', number: 1, title: 'twin', blurb: '' })).toEqual({
      title: 'grimoire chapters lists it',
      ok: false,
      reason: "its number 1 is also 'it's coming from INSIDE THE KERNEL' (1): give meta.ts another number",
    });
    expect(checkListed({ id: 'unbuilt', number: 977, title: 'unbuilt', blurb: '' }).reason).toBe('it is not in generated/chapters.json: run npm run build');
    expect(checkListed({ id: 'cron-dot', number: 101, title: 'the export that stopped', blurb: '' })).toEqual({ title: 'grimoire chapters lists it', ok: true, reason: 'as 101' });
  });
});
