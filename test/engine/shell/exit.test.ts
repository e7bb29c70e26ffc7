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

describe('set -e', () => {
  test('a failing command ends the script with its status', () => {
    const h = harness();
    expect(h.run("sh -c 'set -e; echo a; false; echo never'; echo $?").stdout).toBe('a\n1\n');
    expect(h.run("bash -c 'set -o errexit; cat /nonexistent; echo never'; echo $?")).toMatchObject({ stdout: '1\n', stderr: 'cat: /nonexistent: No such file or directory\n' });
    expect(h.run("sh -c 'set -e; set +e; false; echo went on'").stdout).toBe('went on\n');
  });

  test('tested commands may fail: if and while conditions, before && and ||, after !', () => {
    const h = harness();
    expect(h.run("sh -c 'set -e; if false; then :; fi; false || true; false && true; ! true; while false; do :; done; echo survived'").stdout).toBe('survived\n');
    expect(h.run("sh -c 'set -e; true && false; echo never'; echo $?").stdout).toBe('1\n');
    expect(h.run("sh -c 'set -e; [ -x /usr/bin/updatedb.mlocate ] || exit 0; echo never'")).toMatchObject({ stdout: '', stderr: '', code: 0 });
  });

  test('a subshell inherits it; the prompt does not take it; bad options in each shell\'s words', () => {
    const h = harness();
    expect(h.run("sh -c 'set -e; (false; echo never); echo never either'; echo $?").stdout).toBe('1\n');
    expect(h.run('set -e')).toMatchObject({ stderr: "bash: set: -e at the prompt is not simulated: a failing command would log you out; use it in sh -c '...' or a script\n", code: 1 });
    expect(h.run('false; echo still here').stdout).toBe('still here\n');
    expect(h.run("bash -c 'set -q'")).toMatchObject({ stderr: 'bash: set: -q: invalid option\nset: usage: set [-abefhkmnptuvxBCHP] [-o option-name] [--] [arg ...]\n', code: 2 });
    expect(h.run("sh -c 'set -q'")).toMatchObject({ stderr: 'sh: 1: set: Illegal option -q\n', code: 2 });
    // no /bin/set or /bin/exit for sudo to run
    expect(h.run("sh -c 'sudo set -e; false; echo went on'")).toMatchObject({ stdout: 'went on\n', stderr: 'sudo: set: command not found\n' });
    expect(h.run("sh -c 'sudo exit 3; echo went on'").stdout).toBe('went on\n');
  });
});
