import { harness, type Harness } from '../fake-env';

/**
 * The sizes a real shell handles: a million lines through a pipeline. Nothing here may end in a
 * JavaScript error text (a spread of a million arguments into push overflows the stack).
 */
let h: Harness;
beforeEach(() => {
  h = harness();
});

const noInternalErrors = (text: string) => {
  expect(text).not.toMatch(/internal error|Maximum call stack|RangeError|at .*\.js:\d+/);
};

describe('a million lines', () => {
  test('seq 130000 | sort, the line that used to overflow the stack', () => {
    const r = h.run('seq 130000 | sort | tail -2');
    noInternalErrors(r.stderr);
    expect(r).toMatchObject({ stdout: '99998\n99999\n', stderr: '', code: 0 });
  });

  test('seq -w 1 1000000 pads every number to the widest', () => {
    const r = h.run('seq -w 1 1000000 | head -2; seq -w 1 1000000 | tail -1');
    noInternalErrors(r.stderr);
    expect(r).toMatchObject({ stdout: '0000001\n0000002\n1000000\n', stderr: '', code: 0 });
  });

  test('seq 1000000 | sort | uniq -c | wc -l', () => {
    const r = h.run('seq 1000000 | sort | uniq -c | wc -l');
    noInternalErrors(r.stderr);
    expect(r).toMatchObject({ stdout: '1000000\n', stderr: '', code: 0 });
  });

  test('every text tool takes a few hundred thousand lines', () => {
    const cases: Array<[string, string]> = [
      ['seq 200000 | sort -n | tail -1', '200000\n'],
      ['seq 200000 | sort -rn | head -1', '200000\n'],
      ['seq 200000 | sort -t: -k1,1n | tail -1', '200000\n'],
      ['seq 200000 | LC_ALL=C sort -u | wc -l', '200000\n'],
      ['seq 200000 | cut -c1 | sort | uniq -c | sort -rn | head -1', ' 111111 1\n'],
      ['seq 200000 | grep -c 7', '81902\n'],
      ['seq 200000 | grep -o 7 | wc -l', '100000\n'],
      ["seq 200000 | awk '{ n++; s += $1 % 7 } END { print n, s }'", '200000 599997\n'],
      ['seq 200000 | wc', ' 200000  200000 1288895\n'],
      ['seq 200000 | tr 0-9 a-j | tail -1', 'caaaaa\n'],
      ['seq 200000 | head -c 100000 | tail -1', '1851'],
      ['seq 200000 | tee /tmp/big | tail -1; tail -1 /tmp/big', '200000\n200000\n'],
    ];
    for (const [line, want] of cases) {
      const r = h.run(line);
      noInternalErrors(r.stderr);
      expect({ line, stdout: r.stdout, stderr: r.stderr, code: r.code }).toEqual({ line, stdout: want, stderr: '', code: 0 });
    }
  });

  test('a line past every limit says which limit, in words', () => {
    const r = h.run('seq 1000000; seq 1000000; seq 1000000');
    noInternalErrors(r.stderr);
    expect(r.stderr).toMatch(/^bash: output limit reached: one line may print at most \d+ characters; the rest was not run\n$/);
  });

  test('braces in separate stretches of a word cannot multiply past the word limit', () => {
    const r = h.run('echo {1..1000}""{1..1000}""{1..1000} | wc -c');
    noInternalErrors(r.stderr);
    expect(r.stderr).toBe('bash: brace expansion too large\n');
  });

  test('ls of a directory with many entries', () => {
    for (let i = 0; i < 150_000; i++) h.store.files[`/tmp/f${i}`] = { content: '', mode: 0o644, owner: 'ops', group: 'ops', mtime: 0 };
    const r = h.run('ls /tmp | wc -l');
    noInternalErrors(r.stderr);
    expect(r.stdout).toBe('150000\n');
  });
});
