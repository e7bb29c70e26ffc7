import { harness, T0 } from '../fake-env';

function withParts() {
  const h = harness();
  const f = (content: string, mode = 0o755) => ({ content, mode, owner: 'root', group: 'root', mtime: T0 });
  h.store.dirs['/etc/parts'] = { mode: 0o755, owner: 'root', group: 'root' };
  h.store.dirs['/etc/parts/subdir'] = { mode: 0o755, owner: 'root', group: 'root' };
  h.store.files['/etc/parts/b-quiet'] = f('#!/bin/sh\n[ -x /usr/sbin/nothing ] || exit 0\necho never\n');
  h.store.files['/etc/parts/a_talks'] = f('#!/bin/sh\necho "hello $1"\n');
  h.store.files['/etc/parts/Zfails'] = f('#!/bin/sh\necho oops >&2\nexit 3\n');
  h.store.files['/etc/parts/c.sh'] = f('#!/bin/sh\necho dotted\n');
  h.store.files['/etc/parts/.placeholder'] = f('# skipped\n', 0o644);
  h.store.files['/etc/parts/readme'] = f('not executable\n', 0o644);
  h.store.files['/etc/parts/noshebang'] = f('echo hi\n');
  return h;
}

describe('run-parts', () => {
  test('--list: every valid name, executable or only readable, in C order; dots and directories skipped', () => {
    const h = withParts();
    expect(h.run('LC_ALL=C run-parts --list /etc/parts')).toMatchObject({
      stdout: '/etc/parts/Zfails\n/etc/parts/a_talks\n/etc/parts/b-quiet\n/etc/parts/noshebang\n/etc/parts/readme\n',
      stderr: '',
      code: 0,
    });
  });

  test('--test: only what would run', () => {
    const h = withParts();
    expect(h.run('run-parts --test --regex=^[ab] /etc/parts')).toMatchObject({ stdout: '/etc/parts/a_talks\n/etc/parts/b-quiet\n', code: 0 });
    expect(h.run('run-parts --test --regex=^c /etc/parts').stdout).toBe('/etc/parts/c.sh\n');
  });

  test('runs each script; --report names a script before its first output; failures are reported', () => {
    const h = withParts();
    // en_US.UTF-8 collation: a_talks, b-quiet, Zfails
    const r = h.run('sudo run-parts --report --regex=^[abZ] -a world /etc/parts');
    expect(r.output).toEqual([
      { stream: 'stdout', text: '/etc/parts/a_talks:\nhello world\n' },
      { stream: 'stderr', text: '/etc/parts/Zfails:\noops\nrun-parts: /etc/parts/Zfails exited with return code 3\n' },
    ]);
    expect(r.code).toBe(1);
  });

  test('-v says what it executes; a file without #! cannot be executed', () => {
    const h = withParts();
    expect(h.run('sudo run-parts -v --regex=^[an] /etc/parts').output).toEqual([
      { stream: 'stderr', text: 'run-parts: executing /etc/parts/a_talks\n' },
      { stream: 'stdout', text: 'hello \n' },
      {
        stream: 'stderr',
        text: 'run-parts: executing /etc/parts/noshebang\nrun-parts: failed to exec /etc/parts/noshebang: Exec format error\nrun-parts: /etc/parts/noshebang exited with return code 1\n',
      },
    ]);
  });

  test("debianutils 4.4's errors", () => {
    const h = withParts();
    expect(h.run('run-parts /x')).toMatchObject({ stdout: '', stderr: 'run-parts: failed to open directory /x: No such file or directory\n', code: 1 });
    expect(h.run('run-parts /etc/passwd')).toMatchObject({ stderr: 'run-parts: failed to open directory /etc/passwd: Not a directory\n', code: 1 });
    expect(h.run('run-parts')).toMatchObject({ stderr: "run-parts: missing operand\nTry `run-parts --help' for more information.\n", code: 1 });
    expect(h.run('run-parts --list --test /etc/parts')).toMatchObject({ stderr: "run-parts: --list and --test can not be used together\nTry `run-parts --help' for more information.\n", code: 1 });
    expect(h.run('run-parts --bogus /etc/parts')).toMatchObject({ stderr: "run-parts: unrecognized option '--bogus'\nTry `run-parts --help' for more information.\n", code: 1 });
    expect(h.run('run-parts -u 9 /etc/parts')).toMatchObject({ stderr: 'run-parts: bad umask value\n', code: 1 });
    expect(h.run('run-parts --regex=a\\( /etc/parts')).toMatchObject({ stderr: 'Unable to build regexp: Unmatched ( or \\(', code: 1 });
  });

  test('nothing in a directory of placeholders: silent success', () => {
    const h = harness();
    h.store.dirs['/etc/cron.hourly'] = { mode: 0o755, owner: 'root', group: 'root' };
    h.store.files['/etc/cron.hourly/.placeholder'] = { content: '# run-parts skips this file.\n', mode: 0o644, owner: 'root', group: 'root', mtime: T0 };
    expect(h.run('cd / && run-parts --report /etc/cron.hourly')).toMatchObject({ stdout: '', stderr: '', code: 0 });
  });
});

test('which and type find run-parts in /bin, and test, [ and set as bash builtins', () => {
  const h = harness();
  expect(h.run('which run-parts').stdout).toBe('/bin/run-parts\n');
  expect(h.run('type test [ set').stdout).toBe('test is a shell builtin\n[ is a shell builtin\nset is a shell builtin\n');
});
