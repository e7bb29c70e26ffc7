import { harness, type Harness } from '../fake-env';

let h: Harness;
beforeEach(() => {
  h = harness();
});

describe('xargs (findutils 4.4.2)', () => {
  test('words from standard input become arguments, as many to a command line as fit; echo when no command is given', () => {
    expect(h.run('printf "a b\\nc\\n" | xargs')).toMatchObject({ stdout: 'a b c\n', code: 0 });
    expect(h.run('printf "one\\ntwo\\nthree\\n" | xargs echo got').stdout).toBe('got one two three\n');
    expect(h.run('printf "1 2 3 4 5\\n" | xargs -n 2').stdout).toBe('1 2\n3 4\n5\n');
    expect(h.run('printf "a b\\nc\\nd e\\n" | xargs -L 1 echo line').stdout).toBe('line a b\nline c\nline d e\n');
  });

  test('quotes and backslashes keep blanks inside a word; an unmatched quote stops it', () => {
    expect(h.run(`printf '"a b" c\\\\ d e\\n' | xargs -n 1`).stdout).toBe('a b\nc d\ne\n');
    expect(h.run(`printf "it's\\n" | xargs echo`)).toMatchObject({
      stdout: '',
      stderr: 'xargs: unmatched single quote; by default quotes are special to xargs unless you use the -0 option\n',
      code: 1,
    });
  });

  test('-I runs the command once per line with the line in place of the string; -0 and -d split on one character', () => {
    expect(h.run('printf "x\\n  y z\\n" | xargs -I {} echo [{}]').stdout).toBe('[x]\n[y z]\n');
    expect(h.run('printf "a b\\0c\\0" | xargs -0 -n 1 echo').stdout).toBe('a b\nc\n');
    expect(h.run('printf "a:b c" | xargs -d : -n 1 echo').stdout).toBe('a\nb c\n');
  });

  test('with find: the names it prints become one command line', () => {
    h.run('mkdir d; touch d/x.log d/y.log');
    expect(h.run("find d -name '*.log' | xargs ls").stdout).toBe('d/x.log\nd/y.log\n');
    expect(h.run("find d -name '*.log' -print0 | xargs -0 -t rm")).toMatchObject({ stderr: 'rm d/x.log d/y.log\n', code: 0 });
    expect(h.store.files['/home/ops/d/x.log']).toBeUndefined();
  });

  test('nothing on standard input still runs the command once, unless -r; statuses say how the commands did', () => {
    expect(h.run('true | xargs echo ran').stdout).toBe('ran\n');
    expect(h.run('true | xargs -r echo ran').stdout).toBe('');
    expect(h.run('printf "nothing-here\\n" | xargs cat')).toMatchObject({ stderr: 'cat: nothing-here: No such file or directory\n', code: 123 });
    expect(h.run('printf "x\\n" | xargs no-such-command')).toMatchObject({ stderr: 'xargs: no-such-command: No such file or directory\n', code: 127 });
    expect(h.run('printf "x\\n" | xargs -n 0 echo')).toMatchObject({ stderr: 'xargs: value for -n option should be >= 1\n', code: 1 });
    expect(h.run('printf "x\\n" | xargs -p echo').code).toBe(1);
  });
});
