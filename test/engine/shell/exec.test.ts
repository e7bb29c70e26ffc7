import { runLine } from '../../../engine/shell/exec';
import { harness } from './fake-env';

describe('sudo and who opens redirections', () => {
  test('sudo echo > root-only file fails: the shell opens it as ops', () => {
    const h = harness();
    const r = h.run('sudo echo 3 > /proc/sys/vm/drop_caches');
    expect(r.stderr).toBe('bash: /proc/sys/vm/drop_caches: Permission denied\n');
    expect(r.code).toBe(1);
    expect(h.dropWrites).toEqual([]);
    // the command itself never ran
    expect(h.calls).toEqual([]);
  });

  test('echo | sudo tee works, and tee echoes to stdout', () => {
    const h = harness();
    const r = h.run('echo 3 | sudo tee /proc/sys/vm/drop_caches');
    expect(r).toMatchObject({ stdout: '3\n', stderr: '', code: 0 });
    expect(h.dropWrites).toEqual(['3\n']);
  });

  test("sudo sh -c 'echo 3 > ...' works: root's child shell opens the file", () => {
    const h = harness();
    const r = h.run("sudo sh -c 'echo 3 > /proc/sys/vm/drop_caches'");
    expect(r).toMatchObject({ stdout: '', stderr: '', code: 0 });
    expect(h.dropWrites).toEqual(['3\n']);
    expect(h.run("sudo bash -c 'echo 2 >/proc/sys/vm/drop_caches'").code).toBe(0);
    expect(h.dropWrites).toEqual(['3\n', '2\n']);
  });

  test('a bad value reaches the kernel and fails as a write error', () => {
    const h = harness();
    expect(h.run('echo 7 | sudo tee /proc/sys/vm/drop_caches').stderr).toBe('tee: /proc/sys/vm/drop_caches: Invalid argument\n');
    expect(h.run("sudo bash -c 'echo 7 > /proc/sys/vm/drop_caches'").stderr).toBe('bash: echo: write error: Invalid argument\n');
  });

  test('not in sudoers', () => {
    const h = harness({ sudoers: [] });
    expect(h.run('sudo cat /proc/slabinfo')).toMatchObject({ stderr: 'ops is not in the sudoers file.  This incident will be reported.\n', code: 1 });
  });

  test('sudo runs as root, keeps stdin, refuses root shells and builtins', () => {
    const h = harness();
    expect(h.run('sudo whoami').stdout).toBe('root\n');
    expect(h.run('sudo -u nsd whoami').stdout).toBe('nsd\n');
    expect(h.run('echo abc | sudo cat').stdout).toBe('abc\n');
    expect(h.run('sudo cat /proc/slabinfo | head -1').stdout).toBe('slabinfo - version: 2.1\n');
    for (const l of ['sudo -i', 'sudo -s', 'sudo su', 'sudo bash', 'sudo sh']) expect(h.run(l).stderr).toMatch(/^sudo: the grimoire hands out no root shells/);
    expect(h.run('sudo cd /root')).toMatchObject({ stderr: 'sudo: cd: command not found\n', code: 1 });
    expect(h.run('sudo slabtpo').stderr).toBe('sudo: slabtpo: command not found\nDid you mean: slabtop\n');
    expect(h.run('sudo').stderr).toMatch(/^usage: sudo -h \| -K \| -k \| -V\n/);
    expect(h.run('sudo -l').stdout).toBe('User ops may run the following commands on ns2:\n    (ALL : ALL) ALL\n');
  });

  test('onCommand sees the inner command as root, then sudo itself', () => {
    const h = harness();
    h.run('echo 1 | sudo tee /proc/sys/vm/drop_caches');
    expect(h.calls.map((c) => [c.argv.join(' '), c.user, c.result.code])).toEqual([
      ['echo 1', 'ops', 0],
      ['tee /proc/sys/vm/drop_caches', 'root', 0],
      ['sudo tee /proc/sys/vm/drop_caches', 'ops', 0],
    ]);
  });

  test('root reads what ops may not', () => {
    const h = harness();
    expect(h.run('cat /proc/slabinfo')).toMatchObject({ stderr: 'cat: /proc/slabinfo: Permission denied\n', code: 1 });
    expect(h.run('slabtop').stderr).toBe('fopen /proc/slabinfo: Permission denied\n');
    expect(h.run('sudo slabtop').stdout).toBe(' Active / Total Objects\n');
    expect(runLine('cat /root/secret', h.env, h.state, { user: 'root' }).stdout).toBe('top secret\n');
  });
});

describe('commands and errors', () => {
  test('unknown command: bash message, exit 127, and a suggestion from the registry', () => {
    const h = harness();
    expect(h.run('slabtpo -o')).toMatchObject({ stdout: '', stderr: 'bash: slabtpo: command not found\nDid you mean: slabtop\n', code: 127 });
    expect(h.run('grpe x').stderr).toBe('bash: grpe: command not found\nDid you mean: grep\n');
    expect(h.run('xyzzy').stderr).toBe('bash: xyzzy: command not found\n');
    expect(h.run('echo $?').stdout).toBe('127\n');
    expect(h.run("sh -c 'xyzzy'").stderr).toBe('sh: 1: xyzzy: not found\n');
  });

  test('a command that throws becomes an error, not a crash', () => {
    const h = harness();
    expect(h.run('boom; echo after')).toMatchObject({ stdout: 'after\n', stderr: 'boom: internal error: kaboom\n' });
  });

  test('stdout and stderr keep their order', () => {
    const h = harness();
    const r = h.run('echo a; echo b >&2; noisy; echo c');
    expect(r.output).toEqual([
      { stream: 'stdout', text: 'a\n' },
      { stream: 'stderr', text: 'b\n' },
      { stream: 'stdout', text: 'out\n' },
      { stream: 'stderr', text: 'err\n' },
      { stream: 'stdout', text: 'out2\nc\n' },
    ]);
    expect(r.stdout).toBe('a\nout\nout2\nc\n');
    expect(r.stderr).toBe('b\nerr\n');
    expect(r.code).toBe(0);
  });

  test('cat with a missing file in the middle interleaves like a terminal', () => {
    const h = harness();
    expect(h.run('cat /etc/hostname notes.txt').output).toEqual([
      { stream: 'stderr', text: 'cat: /etc/hostname: No such file or directory\n' },
      { stream: 'stdout', text: 'alpha\nbeta\ngamma\n' },
    ]);
  });

  test('redirections: 2>&1, 2>/dev/null, &>, >>, <, order matters', () => {
    const h = harness();
    expect(h.run('noisy 2>&1 | wc -l').stdout).toBe('3\n');
    expect(h.run('noisy 2>/dev/null').output).toEqual([{ stream: 'stdout', text: 'out\nout2\n' }]);
    expect(h.run('noisy > /dev/null').output).toEqual([{ stream: 'stderr', text: 'err\n' }]);
    h.run('noisy &> /tmp/all');
    expect(h.store.files['/tmp/all'].content).toBe('out\nerr\nout2\n');
    h.run('noisy 2>&1 > /tmp/out');
    expect(h.store.files['/tmp/out'].content).toBe('out\nout2\n');
    h.run('echo more >> /tmp/out');
    expect(h.store.files['/tmp/out'].content).toBe('out\nout2\nmore\n');
    expect(h.run('wc -l < /tmp/out').stdout).toBe('3\n');
    expect(h.run('cat < /nope')).toMatchObject({ stderr: 'bash: /nope: No such file or directory\n', code: 1 });
    expect(h.run('echo x > /etc/passwd')).toMatchObject({ stderr: 'bash: /etc/passwd: Permission denied\n', code: 1 });
    expect(h.run('echo x > /var/empty/new')).toMatchObject({ stderr: 'bash: /var/empty/new: Permission denied\n', code: 1 });
    expect(h.run('echo x > /nodir/f').stderr).toBe('bash: /nodir/f: No such file or directory\n');
    expect(h.run('echo x > /tmp').stderr).toBe('bash: /tmp: Is a directory\n');
    expect(h.run('echo x > $NOPE').stderr).toBe('bash: $NOPE: ambiguous redirect\n');
    expect(h.run('echo hi |& cat').stdout).toBe('hi\n');
    expect(h.run('noisy |& grep -c .').stdout).toBe('3\n');
    expect(h.run('cat <<< "here string"').stdout).toBe('here string\n');
  });

  test('a redirection that fails stops the command: nothing runs, nothing is written', () => {
    const h = harness();
    h.run('echo before > /tmp/f');
    expect(h.run('echo x > /tmp/f > /etc/passwd').code).toBe(1);
    // bash truncates /tmp/f before failing on /etc/passwd, exactly like this
    expect(h.store.files['/tmp/f'].content).toBe('');
    expect(h.calls.map((c) => c.argv[0])).toEqual(['echo']);
  });

  test('&& || ! and $?', () => {
    const h = harness();
    expect(h.run('false && echo no || echo yes').stdout).toBe('yes\n');
    expect(h.run('true || echo no; echo $?').stdout).toBe('0\n');
    expect(h.run('! false; echo $?').stdout).toBe('0\n');
    expect(h.run('grep -q zzz notes.txt; echo $?').stdout).toBe('1\n');
    expect(h.run('false | true; echo $?').stdout).toBe('0\n');
  });

  test('if, while and until', () => {
    const h = harness();
    expect(h.run('if false; then echo a; elif true; then echo b; else echo c; fi').stdout).toBe('b\n');
    expect(h.run('until true; do echo never; done; echo end').stdout).toBe('end\n');
    const r = h.run('while true; do :; done');
    expect(r.stderr).toBe('bash: while: loop stopped after 10000 rounds, the most this world allows\n');
  });

  test('subshells and groups', () => {
    const h = harness();
    expect(h.run('(cd /tmp; pwd); pwd').stdout).toBe('/tmp\n/home/ops\n');
    expect(h.run('{ echo a; echo b; } | wc -l').stdout).toBe('2\n');
    expect(h.run('{ cd /tmp; }; pwd').stdout).toBe('/tmp\n');
  });

  test('full paths to commands and scripts in the VFS', () => {
    const h = harness();
    expect(h.run('/bin/echo hi').stdout).toBe('hi\n');
    expect(h.run('/usr/bin/slabtop').stderr).toBe('fopen /proc/slabinfo: Permission denied\n');
    expect(h.run('/usr/local/bin/fix.sh').stdout).toBe('fixing\nops\n');
    expect(h.run('sudo /usr/local/bin/fix.sh').stdout).toBe('fixing\nroot\n');
    expect(h.run('./noexec.sh')).toMatchObject({ stderr: 'bash: ./noexec.sh: Permission denied\n', code: 126 });
    expect(h.run('./nope.sh')).toMatchObject({ stderr: 'bash: ./nope.sh: No such file or directory\n', code: 127 });
    expect(h.run('/tmp')).toMatchObject({ stderr: 'bash: /tmp: Is a directory\n', code: 126 });
    expect(h.run('sh noexec.sh').stdout).toBe('hi\n');
  });
});

describe('shell state', () => {
  test('cd, pwd, cd -, cd errors', () => {
    const h = harness();
    expect(h.state.cwd).toBe('/home/ops');
    h.run('cd /proc/sys');
    expect(h.run('pwd').stdout).toBe('/proc/sys\n');
    expect(h.run('cd ../..; pwd').stdout).toBe('/\n');
    expect(h.run('cd -').stdout).toBe('/proc/sys\n');
    expect(h.run('cd').code).toBe(0);
    expect(h.state.cwd).toBe('/home/ops');
    expect(h.run('cd /nope').stderr).toBe('bash: cd: /nope: No such file or directory\n');
    expect(h.run('cd /etc/passwd').stderr).toBe('bash: cd: /etc/passwd: Not a directory\n');
    expect(h.run('cd /root').stderr).toBe('bash: cd: /root: Permission denied\n');
    expect(h.state.cwd).toBe('/home/ops');
    expect(JSON.parse(JSON.stringify(h.state))).toEqual(h.state);
  });

  test('the input state is never modified', () => {
    const h = harness();
    const before = JSON.stringify(h.state);
    const r = runLine('cd /tmp; X=1; export Y=2', h.env, h.state);
    expect(JSON.stringify(h.state)).toBe(before);
    expect(r.state).toMatchObject({ cwd: '/tmp', vars: { X: '1', Y: '2' }, exported: ['Y'] });
  });

  test('variables: plain, exported, per-command, unset', () => {
    const h = harness();
    h.run('A=1; export B=2');
    expect(h.run('echo $A $B').stdout).toBe('1 2\n');
    expect(h.run('printenv A B').stdout).toBe('2\n');
    expect(h.run('C=3 printenv C').stdout).toBe('3\n');
    expect(h.run('echo ${C:-unset}').stdout).toBe('unset\n');
    expect(h.run('export').stdout).toContain('declare -x B="2"\n');
    expect(h.run('export 1x=2').stderr).toBe("bash: export: `1x=2': not a valid identifier\n");
    h.run('unset A B');
    expect(h.run('echo "[$A$B]"').stdout).toBe('[]\n');
    expect(h.run('env | grep ^HOME=').stdout).toBe('HOME=/home/ops\n');
    expect(h.run('env X=9 printenv X').stdout).toBe('9\n');
    expect(h.run('sudo printenv USER').stdout).toBe('root\n');
  });

  test('$(...) runs in a subshell and sets $?', () => {
    const h = harness();
    expect(h.run('X=$(cd /tmp; pwd); echo $X; pwd').stdout).toBe('/tmp\n/home/ops\n');
    expect(h.run('X=$(false); echo $?').stdout).toBe('1\n');
  });

  test('sleep lets virtual time pass', () => {
    const h = harness();
    const t = h.clock.now;
    expect(h.run('sleep 1.5').code).toBe(0);
    expect(h.clock.now - t).toBe(1500);
    h.run('sleep 2m 1h 1d 1s');
    expect(h.clock.now - t).toBe(1500 + 120_000 + 3_600_000 + 86_400_000 + 1000);
    expect(h.run('sleep x').stderr).toBe("sleep: invalid time interval 'x'\nTry 'sleep --help' for more information.\n");
    expect(h.run('sleep').stderr).toBe("sleep: missing operand\nTry 'sleep --help' for more information.\n");
  });
});

describe('limits', () => {
  test('long lines, deep nesting, huge loops and output are stopped with a message', () => {
    const h = harness();
    expect(h.run('echo ' + 'x'.repeat(20_000)).stderr).toMatch(/^bash: line too long/);
    expect(h.run('echo ' + '$('.repeat(60) + 'echo' + ')'.repeat(60)).stderr).toMatch(/too deeply nested/);
    expect(h.run('{ '.repeat(60) + 'echo; ' + '}; '.repeat(60)).stderr).toMatch(/too deeply nested/);
    expect(h.run('for i in $(seq 20000); do :; done').stderr).toBe('bash: for: 20000 items is more than this world allows in one loop (10000)\n');
    expect(h.run('for i in $(seq 10000); do for j in $(seq 10000); do :; done; done').stderr).toMatch(/^bash: work limit reached/);
    expect(h.run('X=xxxxxxxxxx; for i in $(seq 40); do X=$X$X; done').stderr).toMatch(/word too long/);
    expect(h.run('seq 2000000').stderr).toMatch(/^seq: 2000000 numbers is more than/);
    expect(h.run('repeat 10000 seq 100000 | wc -l').stderr).toMatch(/^bash: output limit reached/);
  });

  test('a script that runs itself stops', () => {
    const h = harness();
    h.run("echo './loop.sh' > /tmp/loop.sh");
    h.store.files['/tmp/loop.sh'].mode = 0o755;
    h.run('cd /tmp');
    expect(h.run('./loop.sh').stderr).toMatch(/too many nested shells/);
  });
});
