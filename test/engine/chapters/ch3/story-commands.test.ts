import * as fs from 'node:fs';
import { blocksToPlainText } from '../../../../src/text/plain';
import { createGame } from '../../../../engine/index';
import { STORY_COMMANDS } from '../../../../engine/chapters/ch3/storyContract';
import { CH3_INK } from './story.helpers';

/** Every command Chapter 3's story tells the player to type is a spell this chapter's shell knows. */
describe('the story only names spells that exist', () => {
  const g = createGame('3', 12);
  g.start();
  it.each([...STORY_COMMANDS])('%s', (name) => {
    const out = blocksToPlainText(g.step(`help ${name}`));
    expect(out).not.toMatch(/no help topics match/);
    expect(out).toMatch(new RegExp(`^${name.replace(/[-]/g, '\\-')} - `, 'm'));
  });
});

/** The lines the last hint gives, typed on the chapter's box, do what the hint says they do. */
describe("the last hint's lines, typed as written", () => {
  const source = fs.readFileSync(CH3_INK, 'utf8');
  const level6 = source.slice(source.indexOf('= level_6'), source.indexOf('=== function hint_stage'));
  const typed = (pattern: RegExp): string => {
    const m = pattern.exec(level6);
    if (!m) throw new Error(`the last hint has no line matching ${pattern}`);
    return m[1].replace(/\\\|/g, '|');
  };
  const SCRIPT = '/usr/local/bin/ebs-backup.sh';

  test('the copy, then the lock before the snapshot and the unlock after it', () => {
    const g = createGame('3', 12);
    g.start();
    // the first read finds the backup_script clue, and the story's reaction follows the file
    expect(blocksToPlainText(g.step(`cat ${SCRIPT}`))).toMatch(/Nothing in between holds the writes back/);
    const before = blocksToPlainText(g.step(`cat ${SCRIPT}`));
    expect(before).toMatch(/aws ec2 create-snapshot/);
    blocksToPlainText(g.step(typed(/`(cat \/usr\/local\/bin\/ebs-backup\.sh \\\| tee [^`]+)`/)));
    expect(blocksToPlainText(g.step('cat /tmp/ebs-backup.sh.orig'))).toBe(before);
    const lockLine = typed(/`(sudo sed -i '\/create-snapshot\/i [^`]+)`/);
    const unlockLine = typed(/`(sudo sed -i '\/create-snapshot\/a [^`]+)`/);
    // sed -i prints nothing of its own (the grimoire may note a newly learned spell); the lock alone is no fix yet
    const afterLock = blocksToPlainText(g.step(lockLine));
    expect(afterLock.split('\n').filter((l) => l !== '' && !/^✦ The grimoire inks a new spell/.test(l))).toEqual([]);
    // with the unlock in too, the engine judges the script fixed and the story says so
    const afterUnlock = blocksToPlainText(g.step(unlockLine));
    expect(afterUnlock).not.toMatch(/^(sed|sudo|bash): /m);
    expect(afterUnlock).toMatch(/The backup script now locks writes before it asks for the snapshot/);
    const lines = blocksToPlainText(g.step(`cat ${SCRIPT}`)).split('\n');
    const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
    const fsync = at(/db\.adminCommand\(\{fsync: 1\}\)/);
    const lock = at(/^mongo --quiet --eval "printjson\(db\.fsyncLock\(\)\)"$/);
    const snap = at(/^aws ec2 create-snapshot /);
    const unlock = at(/^mongo --quiet --eval "printjson\(db\.fsyncUnlock\(\)\)"$/);
    expect([fsync, lock, snap, unlock].every((i) => i >= 0)).toBe(true);
    // "fsync, lock, snapshot, unlock": the order the hint promises, each once
    expect(fsync < lock && lock + 1 === snap && snap + 1 === unlock).toBe(true);
    expect(lines.length).toBe(before.split('\n').length + 2);
    // no `set -e` in the script, so the unlock runs whatever the aws call returned (the hint says so)
    expect(lines.some((l) => /^\s*set -e/.test(l))).toBe(false);
  });
});

/**
 * Every whole command line the story suggests, typed as written on the chapter's box (seed 12),
 * runs without an error of its tool. Left out: bare names (`help`, `mongod`: names, not lines), lines
 * with the world's volume id in them (filled in only at run time), the hint's two sed edits and
 * Nadia's scratch mongod (tested above, or already running: a second one would rightly refuse its
 * port), and a mongod restart (a wrong fix, on purpose).
 */
describe('every command line the story suggests runs on the box', () => {
  const source = fs
    .readFileSync(CH3_INK, 'utf8')
    .split('\n')
    .filter((l) => !/^\s*\/\//.test(l))
    .join('\n');
  const lines = [...new Set([...source.matchAll(/`([^`]+)`/g)].map((m) => m[1].replace(/\\([|{}])/g, '$1')))];
  const runnable = lines.filter(
    (s) => s.includes(' ') && !s.includes('{data_volume()}') && !/sed -i|^mongod --dbpath|service mongod|^aws ec2 (create|attach)-volume$/.test(s),
  );
  const g = createGame('3', 12);
  g.start();

  test('the story suggests enough whole lines to be worth checking', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(20);
  });

  it.each(runnable)('%s', (line) => {
    const out = blocksToPlainText(g.step(line));
    expect(out).not.toMatch(/command not found|[Uu]sage:|Unknown options|invalid option|No such file or directory|Permission denied|SyntaxError|not simulated|couldn't connect/);
    // a grep at the end of a pipeline may rightly find nothing on this night's bytes; anything else answers
    if (!/\| grep /.test(line)) expect(out.trim()).not.toBe('');
  });
});
