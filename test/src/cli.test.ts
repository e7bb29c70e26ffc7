import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { converse, grimoire, script, tempDir } from './cli.helpers';

/** The non-interactive contract graders rely on: `grimoire play N --script`, exactly as documented. */

describe('grimoire (the command)', () => {
  it('lists the chapters', () => {
    const r = grimoire(['chapters']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^1\s+it's coming from INSIDE THE KERNEL$/m);
  });

  it('--help explains script mode and exits 0', () => {
    const r = grimoire(['--help']);
    expect(r.status).toBe(0);
    for (const word of ['--script', '--seed', '--json', '--save', '--load', '--transcript', '--force', 'NO_COLOR']) expect(r.stdout).toContain(word);
  });

  it('--help documents every exit status, the unusable save (3) included, and the keys at the prompt', () => {
    const r = grimoire(['--help']);
    expect(r.stdout).toMatch(/Exit status: 0 solved, 1 not solved, 2 usage error[\s\S]*3 a save that cannot be used/);
    expect(r.stdout).toMatch(/Ctrl-C stops the spell that is running/);
    expect(r.stdout).toMatch(/Ctrl-D on an empty line\s+leaves the game/);
  });

  it('the title screen with input from a pipe refuses (exit 2) and points to script mode, reading nothing', () => {
    const dir = tempDir();
    const r = grimoire(['--saves-dir', dir, '--no-color'], script(['new', 'uname -r']));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/needs a terminal[\s\S]*play N --script -/);
  });

  it.each([
    [['play', '9', '--script', '-']],
    [['play', '1', '--json']],
    [['play', '1', '--seed', 'banana', '--script', '-']],
    [['play', '1', '--script', '/no/such/file']],
    [['play', '1', '--script', '-', '--save', '../../etc/passwd']],
    [['frobnicate']],
  ])('usage errors exit 2: %j', (args) => {
    const r = grimoire(args, '');
    expect(r.status).toBe(2);
    expect(r.stderr.length).toBeGreaterThan(0);
  });
});

describe('grimoire play 1 --script', () => {
  it('prints what a player sees, without colour, and exits 1 when unsolved', () => {
    const r = grimoire(['play', '1', '--seed', '11', '--script', '-'], script(['uname -r', 'free -m']));
    expect(r.status).toBe(1);
    expect(r.stdout).not.toMatch(/\u001b\[/);
    expect(r.stdout).toMatch(/ops@\S+:~\$ uname -r\n3\.16\.0-30-generic/);
    expect(r.stdout).toMatch(/Mem:\s+\d+/);
  });

  it('chooses and prints a seed when none is given, and that seed replays the run', () => {
    const r = grimoire(['play', '1', '--script', '-'], script(['pidof nsd']));
    const seed = /seed (\d+)/.exec(r.stderr)?.[1];
    expect(seed).toBeDefined();
    const again = grimoire(['play', '1', '--seed', seed!, '--script', '-'], script(['pidof nsd']));
    expect(again.stdout).toBe(r.stdout);
  });

  it('--json prints one object per line and a result line', () => {
    const lines = ['uname -r', 'hint', 'status'];
    const r = grimoire(['play', '1', '--seed', '11', '--script', '-', '--json'], script(lines));
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(lines.length + 1);
    rows.slice(0, -1).forEach((row, i) => {
      expect(Object.keys(row).sort()).toEqual(['blocks', 'input', 'output']);
      expect(row.input).toBe(lines[i]);
    });
    expect(rows[0].output).toMatch(/3\.16\.0-30-generic/);
    // the same output as typed blocks: what uname printed, then the spell entering the spellbook
    expect(rows[0].blocks).toEqual([
      { kind: 'spell-output', text: '3.16.0-30-generic\n' },
      { kind: 'spell-learned', name: 'uname' },
    ]);
    expect(rows[1].blocks).toEqual([{ kind: 'hint', level: 1, total: 6, text: expect.any(String) }]);
    expect(rows[2].blocks.map((b: { kind: string }) => b.kind)).toEqual(['status']);
    const result = rows[rows.length - 1].result;
    expect(result).toEqual({ chapter: '1', solved: false, hints: 1, spells: 1, virtualTime: expect.any(String) });
  });

  it('reads a script file and handles each line as it arrives through a pipe', async () => {
    const { outputs, code } = await converse(['play', '1', '--seed', '5', '--script', '-', '--json'], ['uname -r', 'whoami', 'hostname'], (out) => out.includes('"input"'));
    expect(outputs.map((o) => JSON.parse(o.trim().split('\n')[0]!).input)).toEqual(['uname -r', 'whoami', 'hostname']);
    expect(code).toBe(1);
  });

  it('--save writes a slot that --load continues, and --transcript writes Markdown', () => {
    const dir = tempDir();
    const md = join(dir, 'run.md');
    const first = grimoire(['--saves-dir', dir, 'play', '1', '--seed', '21', '--script', '-', '--save', 'mine', '--transcript', md], script(['sleep 1h', 'uname -r']));
    expect(first.status).toBe(1);
    // a slot file's first line is its header, JSON (the body after it is compressed)
    const saved = JSON.parse(readFileSync(join(dir, 'mine.json'), 'latin1').split('\n')[0]!);
    expect(saved.format).toBe('grimoire-save');
    expect(readFileSync(md, 'utf8')).toMatch(/\$ uname -r/);
    const second = grimoire(['--saves-dir', dir, 'play', '1', '--script', '-', '--load', 'mine', '--json'], script(['history']));
    const rows = second.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows[0].output).toMatch(/sleep 1h[\s\S]*uname -r/);
  });

  it('a damaged save is refused with its own exit status (3) and a message naming the file, and nothing crashes', () => {
    const dir = tempDir();
    grimoire(['--saves-dir', dir, 'play', '1', '--seed', '21', '--script', '-', '--save', 'slot1'], script(['uname -r']));
    const file = join(dir, 'slot1.json');
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 200));
    const r = grimoire(['--saves-dir', dir, 'play', '1', '--script', '-', '--load', 'slot1'], script(['uname -r']));
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/slot1\.json/);
  });

  it('a slot that does not exist is a usage error (2)', () => {
    const r = grimoire(['--saves-dir', tempDir(), 'play', '1', '--script', '-', '--load', 'nothing-here'], script(['uname -r']));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/nothing-here/);
  });

  it('--save into a saves folder that cannot be created is refused before the run starts', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), 'not a folder\n');
    const r = grimoire(['--saves-dir', join(dir, 'file', 'saves'), 'play', '1', '--seed', '1', '--script', '-', '--save', 'mine'], script(['uname -r']));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--save: .*not a folder/);
  });

  it('works through npm start -- play 1 --script -', () => {
    const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
    const r = spawnSync('npm', ['start', '--silent', '--', 'play', '1', '--seed', '3', '--script', '-'], {
      input: 'uname -r\n',
      encoding: 'utf8',
      cwd: join(__dirname, '..', '..'),
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.stdout).toMatch(/3\.16\.0-30-generic/);
    expect(r.status).toBe(1);
  });
});
