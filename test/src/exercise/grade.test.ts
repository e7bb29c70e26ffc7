/** `grimoire grade` through the built CLI, as a team's CI runs it: the exit status is the verdict. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunReport } from '../../../src/exercise/report';
import { grimoire, script, tempDir } from '../cli.helpers';

// chapter 1 solved by booting the kernel PPA's mainline 3.19 (as test/src/script.test.ts does)
const KERNEL = 'linux-image-3.19.0-031900-generic_3.19.0-031900.201502091451_amd64.deb';
const SOLVE = ['sudo slabtop -o', `wget -q http://kernel.ubuntu.com/~kernel-ppa/mainline/v3.19-vivid/${KERNEL}`, `sudo dpkg -i ${KERNEL}`, 'sudo reboot', 'sleep 8d'];

describe('grimoire grade', () => {
  test('exit 0 and the JSON report when the script solves the chapter', () => {
    const file = path.join(tempDir(), 'solve.txt');
    fs.writeFileSync(file, script(SOLVE));
    const r = grimoire(['grade', '--chapter', '1', '--script', file, '--seed', '1234']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as RunReport;
    expect(report).toMatchObject({ format: 'grimoire-exercise-report', chapter: '1', seed: 1234, solved: true, endReason: 'solved', spells: SOLVE.length, lines: SOLVE.length });
    expect(report.clues.found.map((c) => c.id)).toContain('anon_vma_top');
    expect(report.objectives.every((o) => o.status === 'done')).toBe(true);
  });

  test('exit 1 when it does not; the script may come on standard input; without --seed the seed is told', () => {
    const r = grimoire(['grade', '--chapter', '1', '--script', '-'], script(['uname -r']));
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as RunReport;
    expect(report).toMatchObject({ solved: false, spells: 1 });
    expect(r.stderr).toBe(`grimoire: seed ${report.seed} (grade this world again with --seed ${report.seed})\n`);
  });

  test('exit 2 on bad input, with the problem named and nothing on standard output', () => {
    const dir = tempDir();
    const cases: Array<[string[], RegExp]> = [
      [['grade', '--chapter', '9', '--script', '-'], /^grimoire: there is no chapter '9'\. Chapters: 1 \(/],
      [['grade', '--chapter', '1', '--script', path.join(dir, 'none.txt')], /^grimoire: cannot read script '.*none\.txt': no such file\.\n$/],
      [['grade', '--chapter', '1', '--script', dir], /^grimoire: cannot read script '.*': it is a folder, not a plain file\.\n$/],
      [['grade', '--chapter', '1', '--script', '/dev/zero'], /^grimoire: cannot read script '\/dev\/zero': it is a device, not a plain file\.\n$/],
      [['grade', '--script', '-'], /required option '--chapter <n>' not specified/],
      [['grade', '--chapter', '1', '--script', '-', '--seed', 'x'], /a seed is a whole number/],
    ];
    for (const [args, message] of cases) {
      const r = grimoire(args, '');
      expect([args, r.status]).toEqual([args, 2]);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });
});

describe('grimoire exercise (the built CLI)', () => {
  test('init, then a report of a run that does not exist, and summary of a file the game did not write: exit 2 with the problem', () => {
    const dir = tempDir();
    const file = path.join(dir, 'team.yaml');
    expect(grimoire(['exercise', 'init', file]).status).toBe(0);
    const again = grimoire(['exercise', 'init', file]);
    expect(again.status).toBe(2);
    expect(again.stderr).toBe(`grimoire: ${file} already exists; exercise init never replaces a file. Name a new one.\n`);
    const report = grimoire(['exercise', 'report', path.join(dir, 'runs', 'x')]);
    expect(report.status).toBe(2);
    expect(report.stderr).toBe(`grimoire: there is no run at ${path.join(dir, 'runs', 'x')}\n`);
    const summary = grimoire(['exercise', 'summary', file]);
    expect(summary.status).toBe(2);
    expect(summary.stderr).toBe(`grimoire: ${file} is not a grimoire exercise run file (its first line is not JSON)\n`);
    const run = grimoire(['exercise', 'run', path.join(dir, 'missing.yaml')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^grimoire: cannot read exercise file .*missing\.yaml: no such file/);
  });

  test('a whole run played from a pipe, then its report, from the command line', () => {
    const dir = tempDir();
    const file = path.join(dir, 'drill.json');
    fs.writeFileSync(file, JSON.stringify({ format: 'grimoire-exercise', version: 1, name: 'drill', chapters: [1], timeBox: '10m', hints: 'off', seed: 7, participants: ['ann'] }));
    const run = grimoire(['exercise', 'run', file, '--runs-dir', path.join(dir, 'runs')], script(['hint', 'free -m', 'quit']));
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('[10:00 left] ');
    expect(run.stdout).toContain('Hints are off in this exercise.');
    const [runDir] = fs.readdirSync(path.join(dir, 'runs'));
    expect(runDir).toMatch(/^drill-ann-ch1-\d{8}-\d{6}$/);
    const rep = grimoire(['exercise', 'report', path.join(dir, 'runs', runDir!)]);
    expect(rep.status).toBe(0);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'runs', runDir!, 'report.json'), 'utf8')) as RunReport;
    expect(json).toMatchObject({ participant: 'ann', endReason: 'quit', lines: 3, spells: 1, hintMode: 'off' });
  });
});
