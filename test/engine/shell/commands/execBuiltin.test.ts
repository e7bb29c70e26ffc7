/**
 * exec as bash 4.3 and dash have it: the command replaces the shell, so nothing after it runs and
 * the shell's status is the command's; exec with only redirections keeps them for the rest of
 * the shell. At the login prompt it is not simulated, in one line.
 */
import { harness, type Harness } from '../fake-env';

let h: Harness;
beforeEach(() => {
  h = harness();
  h.run('cd /home/ops');
});

const out = (line: string) => {
  const r = h.run(line);
  return { stdout: r.stdout, stderr: r.stderr, code: r.code };
};

describe('exec', () => {
  test('exec CMD: the command runs, nothing after it does, its status is the shell\'s', () => {
    expect(out("sh -c 'exec echo replaced; echo never'; echo \"status $?\"")).toEqual({ stdout: 'replaced\nstatus 0\n', stderr: '', code: 0 });
    expect(out("sh -c 'echo first; exec false; echo never'; echo \"status $?\"")).toEqual({ stdout: 'first\nstatus 1\n', stderr: '', code: 0 });
    expect(out("bash -c 'exec grep -c a notes.txt; echo never'")).toEqual({ stdout: '3\n', stderr: '', code: 0 });
  });

  test("exec's own redirections apply to the command it runs", () => {
    expect(out("sh -c 'exec echo hidden > /tmp/e.txt; echo never'; cat /tmp/e.txt")).toEqual({ stdout: 'hidden\n', stderr: '', code: 0 });
  });

  test('a command that is not there: dash and bash name exec, and the shell ends with 127', () => {
    expect(out("sh -c 'exec fstrim-all; echo never'; echo \"status $?\"")).toEqual({ stdout: 'status 127\n', stderr: 'sh: 1: exec: fstrim-all: not found\n', code: 0 });
    expect(out("bash -c 'exec nosuch'; echo \"status $?\"")).toEqual({ stdout: 'status 127\n', stderr: 'bash: exec: nosuch: not found\n', code: 0 });
  });

  test('exec with only redirections: the rest of the shell writes there, its caller does not', () => {
    expect(out("sh -c 'exec >/tmp/log.txt; echo one; echo two'; echo after; cat /tmp/log.txt")).toEqual({ stdout: 'after\none\ntwo\n', stderr: '', code: 0 });
    expect(out('( exec > /tmp/sub.txt; echo inside ); echo outside; cat /tmp/sub.txt')).toEqual({ stdout: 'outside\ninside\n', stderr: '', code: 0 });
    h.store.files['/home/ops/logs.sh'] = { content: '#!/bin/sh\nexec >/tmp/script.txt\necho from the script\n', mode: 0o755, owner: 'ops', group: 'ops', mtime: 0 };
    expect(out('./logs.sh; echo back at the prompt; cat /tmp/script.txt')).toEqual({ stdout: 'back at the prompt\nfrom the script\n', stderr: '', code: 0 });
  });

  test("options: bash's -a -c -l not simulated, others refused; dash's exec takes none", () => {
    expect(out("bash -c 'exec -x'")).toEqual({ stdout: '', stderr: 'bash: exec: -x: invalid option\nexec: usage: exec [-cl] [-a name] [command [arguments ...]] [redirection ...]\n', code: 2 });
    expect(out("bash -c 'exec -l echo x'")).toEqual({ stdout: '', stderr: 'bash: exec: -l: not simulated in this shell (exec COMMAND ARGUMENTS without options is)\n', code: 1 });
    expect(out("sh -c 'exec -x'; echo \"status $?\"")).toEqual({ stdout: 'status 127\n', stderr: 'sh: 1: exec: -x: not found\n', code: 0 });
    expect(out("bash -c 'exec -- echo ok'")).toEqual({ stdout: 'ok\n', stderr: '', code: 0 });
  });

  test('at the login prompt: one line saying it is not simulated; a builtin sudo cannot run', () => {
    expect(out('exec echo hi')).toEqual({ stdout: '', stderr: 'bash: exec: replacing your login shell is not simulated (the session would end with echo): run echo without exec\n', code: 1 });
    expect(out('exec >/tmp/x')).toEqual({ stdout: '', stderr: 'bash: exec: redirecting your login shell itself is not simulated: redirect each command instead\n', code: 1 });
    expect(out('echo still here')).toEqual({ stdout: 'still here\n', stderr: '', code: 0 });
    expect(out('type exec')).toEqual({ stdout: 'exec is a shell builtin\n', stderr: '', code: 0 });
    expect(out('sudo exec ls')).toEqual({ stdout: '', stderr: 'sudo: exec: command not found\n', code: 1 });
  });
});
