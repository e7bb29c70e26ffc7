import { harness } from './fake-env';

describe('exit', () => {
  test('stops sh -c and bash -c with its status; what came before stays', () => {
    const h = harness();
    expect(h.run("sh -c 'echo x; exit 4; echo no'; echo $?").stdout).toBe('x\n4\n');
    expect(h.run("bash -c 'exit 300'; echo $?").stdout).toBe('44\n');
    expect(h.run("sh -c 'false; exit'; echo $?").stdout).toBe('1\n');
    expect(h.run("sh -c '[ -x /usr/bin/updatedb.mlocate ] || exit 0; echo ran'")).toMatchObject({ stdout: '', stderr: '', code: 0 });
  });

  test('inside a loop or an if, it leaves the whole script', () => {
    const h = harness();
    expect(h.run("sh -c 'for i in 1 2 3; do echo $i; if [ $i = 2 ]; then exit 7; fi; done; echo after'; echo $?").stdout).toBe('1\n2\n7\n');
  });

  test('a script file run by path or by sh FILE', () => {
    const h = harness();
    h.store.files['/home/ops/s.sh'] = { content: '#!/bin/sh\necho one\nexit 3\necho two\n', mode: 0o755, owner: 'ops', group: 'ops', mtime: 0 };
    expect(h.run('sh /home/ops/s.sh; echo $?').stdout).toBe('one\n3\n');
    expect(h.run('bash s.sh; echo $?').stdout).toBe('one\n3\n');
    expect(h.run('./s.sh; echo $?').stdout).toBe('one\n3\n');
  });

  test('a subshell, a command substitution and a pipeline stage end only themselves', () => {
    const h = harness();
    expect(h.run('(exit 5); echo $?').stdout).toBe('5\n');
    expect(h.run('x=$(echo in; exit 2); echo $? $x').stdout).toBe('2 in\n');
    expect(h.run("sh -c 'exit 9 | cat; echo still'").stdout).toBe('still\n');
  });

  test('bad arguments, in each shell\'s words', () => {
    const h = harness();
    expect(h.run("bash -c 'exit foo; echo no'")).toMatchObject({ stdout: '', stderr: 'bash: exit: foo: numeric argument required\n', code: 255 });
    expect(h.run("sh -c 'exit foo; echo no'")).toMatchObject({ stdout: '', stderr: 'sh: 1: exit: Illegal number: foo\n', code: 2 });
    expect(h.run("bash -c 'exit 1 2; echo went on'")).toMatchObject({ stdout: 'went on\n', stderr: 'bash: exit: too many arguments\n' });
  });

  test("the login shell's exit is unchanged: the front end closes the book before the shell sees it", () => {
    const h = harness();
    expect(h.run('echo a; exit; echo b')).toMatchObject({ stdout: 'a\nb\n', stderr: 'bash: exit: command not found\n' });
  });
});
