import { duSize, formatDu, parseDuArgs, type DuEntry } from '../../../engine/formats/du';

function opts(argv: string[]) {
  const p = parseDuArgs(argv);
  if (!p.ok) throw new Error(p.stderr);
  return p.options;
}

const tree: { entries: DuEntry[]; kb: number } = {
  entries: [
    { kind: 'entry', path: '/srv/a/x.log', kb: 12, dir: false, depth: 2 },
    { kind: 'entry', path: '/srv/a', kb: 16, dir: true, depth: 1 },
    { kind: 'entry', path: '/srv/big', kb: 1_536_004, dir: false, depth: 1 },
    { kind: 'error', message: "du: cannot read directory '/srv/locked': Permission denied" },
    { kind: 'entry', path: '/srv/locked', kb: 4, dir: true, depth: 1 },
    { kind: 'entry', path: '/srv', kb: 1_536_028, dir: true, depth: 0 },
  ],
  kb: 1_536_028,
};

describe('du (coreutils 8.21)', () => {
  it('prints directories after their contents, in 1K blocks, a tab before the name', () => {
    expect(formatDu([tree], opts(['/srv']))).toEqual({
      stdout: '16\t/srv/a\n4\t/srv/locked\n1536028\t/srv\n',
      stderr: "du: cannot read directory '/srv/locked': Permission denied\n",
      code: 1,
      // written as the walk met them: the error before the size of the directory it could not read
      output: [
        { stream: 'stdout', text: '16\t/srv/a\n' },
        { stream: 'stderr', text: "du: cannot read directory '/srv/locked': Permission denied\n" },
        { stream: 'stdout', text: '4\t/srv/locked\n1536028\t/srv\n' },
      ],
    });
  });

  it('-a adds files, -s only the top, -c a total, --max-depth cuts the depth', () => {
    expect(formatDu([tree], opts(['-a', '/srv'])).stdout).toBe('12\t/srv/a/x.log\n16\t/srv/a\n1536004\t/srv/big\n4\t/srv/locked\n1536028\t/srv\n');
    expect(formatDu([tree, tree], opts(['-sc', '/srv', '/srv'])).stdout).toBe('1536028\t/srv\n1536028\t/srv\n3072056\ttotal\n');
    expect(formatDu([tree], opts(['--max-depth=0', '/srv'])).stdout).toBe('1536028\t/srv\n');
  });

  it('-h rounds up to one decimal below 10, -m to whole MiB', () => {
    expect(duSize(4, opts(['-h']))).toBe('4.0K');
    expect(duSize(16, opts(['-h']))).toBe('16K');
    expect(duSize(1_536_028, opts(['-h']))).toBe('1.5G');
    expect(duSize(1_025, opts(['-m']))).toBe('2');
  });

  it('refuses what du refuses', () => {
    expect(parseDuArgs(['-s', '-a'])).toMatchObject({ ok: false, stderr: "du: cannot both summarize and show all entries\nTry 'du --help' for more information.\n", code: 1 });
    expect(parseDuArgs(['--max-depth=x'])).toMatchObject({ ok: false, stderr: "du: invalid maximum depth 'x'\nTry 'du --help' for more information.\n", code: 1 });
  });
});
