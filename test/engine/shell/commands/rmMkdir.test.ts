import { harness, type Harness } from '../fake-env';

let h: Harness;
beforeEach(() => {
  h = harness();
  h.run('cd /home/ops');
});

describe('rm', () => {
  test('removes a file: gone from ls and from the store', () => {
    expect(h.run('rm notes.txt')).toMatchObject({ stdout: '', stderr: '', code: 0 });
    expect(h.store.files['/home/ops/notes.txt']).toBeUndefined();
    expect(h.run('ls').stdout).not.toContain('notes.txt');
    expect(h.run('cat notes.txt').stderr).toBe('cat: notes.txt: No such file or directory\n');
  });

  test('coreutils 8.21 words for missing operands, missing files and directories', () => {
    expect(h.run('rm')).toMatchObject({ stderr: "rm: missing operand\nTry 'rm --help' for more information.\n", code: 1 });
    expect(h.run('rm -f')).toMatchObject({ stderr: '', code: 0 });
    expect(h.run('rm x')).toMatchObject({ stderr: 'rm: cannot remove \u2018x\u2019: No such file or directory\n', code: 1 });
    expect(h.run('rm -f x')).toMatchObject({ stderr: '', code: 0 });
    expect(h.run('rm -f /root/nothing')).toMatchObject({ stderr: 'rm: cannot remove \u2018/root/nothing\u2019: Permission denied\n', code: 1 });
    expect(h.run('rm /var/empty')).toMatchObject({ stderr: 'rm: cannot remove \u2018/var/empty\u2019: Is a directory\n', code: 1 });
    expect(h.run('rm -z a').stderr).toBe("rm: invalid option -- 'z'\nTry 'rm --help' for more information.\n");
    expect(h.run('rm -i notes.txt').code).toBe(1);
    expect(h.store.files['/home/ops/notes.txt']).toBeDefined();
  });

  test('permission comes from the directory; root may; /proc refuses with EPERM', () => {
    expect(h.run('rm /etc/passwd')).toMatchObject({ stderr: 'rm: cannot remove \u2018/etc/passwd\u2019: Permission denied\n', code: 1 });
    expect(h.run('rm /proc/meminfo').stderr).toBe('rm: cannot remove \u2018/proc/meminfo\u2019: Permission denied\n');
    expect(h.run('sudo rm /proc/meminfo').stderr).toBe('rm: cannot remove \u2018/proc/meminfo\u2019: Operation not permitted\n');
    expect(h.run('sudo rm -v /usr/local/bin/fix.sh')).toMatchObject({ stdout: 'removed \u2018/usr/local/bin/fix.sh\u2019\n', code: 0 });
    // the directory only the file implied stays
    expect(h.run('ls -d /usr/local/bin').stdout).toBe('/usr/local/bin\n');
  });

  test('sticky /tmp: only the owner removes', () => {
    h.run('echo x > /tmp/mine');
    h.run('sudo tee /tmp/roots < /dev/null');
    expect(h.run('rm /tmp/roots').stderr).toBe('rm: cannot remove \u2018/tmp/roots\u2019: Operation not permitted\n');
    expect(h.run('rm /tmp/mine').code).toBe(0);
  });

  test('-r removes a tree depth first; . and / are refused', () => {
    h.run('mkdir -p d/e/f; echo 1 > d/a; echo 2 > d/e/b');
    expect(h.run('rm -rv d')).toMatchObject({
      stdout: 'removed \u2018d/a\u2019\nremoved \u2018d/e/b\u2019\nremoved directory: \u2018d/e/f\u2019\nremoved directory: \u2018d/e\u2019\nremoved directory: \u2018d\u2019\n',
      code: 0,
    });
    expect(h.run('ls d').code).not.toBe(0);
    expect(h.run('rm -r .').stderr).toBe('rm: cannot remove directory: \u2018.\u2019\n');
    expect(h.run('sudo rm -rf /')).toMatchObject({
      stderr: 'rm: it is dangerous to operate recursively on \u2018/\u2019\nrm: use --no-preserve-root to override this failsafe\n',
      code: 1,
    });
  });

  test('a tree with a file that cannot go keeps its directories', () => {
    h.run('sudo mkdir /srv; sudo mkdir /srv/keep; sudo tee /srv/keep/f < /dev/null; sudo chmod 777 /srv');
    const r = h.run('rm -r /srv/keep');
    expect(r.stderr).toBe('rm: cannot remove \u2018/srv/keep/f\u2019: Permission denied\n');
    expect(h.store.dirs['/srv/keep']).toBeDefined();
  });
});

describe('mkdir and rmdir', () => {
  test('mkdir makes a directory with the umask; errors in coreutils words', () => {
    expect(h.run('mkdir -v new')).toMatchObject({ stdout: 'mkdir: created directory \u2018new\u2019\n', code: 0 });
    expect(h.store.dirs['/home/ops/new']).toEqual({ mode: 0o775, owner: 'ops', group: 'ops', mtime: expect.any(Number) });
    expect(h.run('mkdir new').stderr).toBe('mkdir: cannot create directory \u2018new\u2019: File exists\n');
    expect(h.run('mkdir a/b')).toMatchObject({ stderr: 'mkdir: cannot create directory \u2018a/b\u2019: No such file or directory\n', code: 1 });
    expect(h.run('mkdir /etc/x').stderr).toBe('mkdir: cannot create directory \u2018/etc/x\u2019: Permission denied\n');
    expect(h.run('mkdir')).toMatchObject({ stderr: "mkdir: missing operand\nTry 'mkdir --help' for more information.\n", code: 1 });
    expect(h.run('mkdir notes.txt/x').stderr).toBe('mkdir: cannot create directory \u2018notes.txt/x\u2019: Not a directory\n');
    expect(h.run('sudo mkdir /root/d').code).toBe(0);
    expect(h.store.dirs['/root/d']).toEqual({ mode: 0o755, owner: 'root', group: 'root', mtime: expect.any(Number) });
  });

  test('-p makes each missing parent, names each with -v, and is quiet about existing ones', () => {
    expect(h.run('mkdir -pv a/b/c').stdout).toBe('mkdir: created directory \u2018a\u2019\nmkdir: created directory \u2018a/b\u2019\nmkdir: created directory \u2018a/b/c\u2019\n');
    expect(h.run('mkdir -p a/b/c')).toMatchObject({ stdout: '', stderr: '', code: 0 });
    expect(h.run('mkdir -m 700 priv').code).toBe(0);
    expect(h.store.dirs['/home/ops/priv']!.mode).toBe(0o700);
    expect(h.run('mkdir -m 9 z').stderr).toBe('mkdir: invalid mode \u20189\u2019\n');
    // a symbolic mode changes rwxrwxrwx; without a class, the umask (002 for ops) keeps its bits off
    expect(h.run('mkdir -m go-w pub; mkdir -m =rx ro; mkdir -m u=rwx,g=rx,o= grp').code).toBe(0);
    expect(['pub', 'ro', 'grp'].map((d) => h.store.dirs[`/home/ops/${d}`]!.mode.toString(8))).toEqual(['755', '555', '750']);
    expect(h.run('mkdir -m u+q z').stderr).toBe('mkdir: invalid mode \u2018u+q\u2019\n');
  });

  test('rmdir removes empty directories only; -p walks up the operand', () => {
    h.run('mkdir -p a/b/c; echo x > a/f');
    expect(h.run('rmdir a')).toMatchObject({ stderr: 'rmdir: failed to remove \u2018a\u2019: Directory not empty\n', code: 1 });
    expect(h.run('rmdir notes.txt').stderr).toBe('rmdir: failed to remove \u2018notes.txt\u2019: Not a directory\n');
    expect(h.run('rmdir -pv a/b/c')).toMatchObject({
      stdout: 'rmdir: removing directory, \u2018a/b/c\u2019\nrmdir: removing directory, \u2018a/b\u2019\nrmdir: removing directory, \u2018a\u2019\n',
      stderr: 'rmdir: failed to remove directory \u2018a\u2019: Directory not empty\n',
      code: 1,
    });
    expect(h.store.dirs['/home/ops/a/b']).toBeUndefined();
    expect(h.run('rmdir --ignore-fail-on-non-empty a')).toMatchObject({ stderr: '', code: 0 });
    expect(h.run('rmdir')).toMatchObject({ stderr: "rmdir: missing operand\nTry 'rmdir --help' for more information.\n", code: 1 });
  });
});

describe('touch', () => {
  test('creates an empty file, or moves its mtime to now', () => {
    h.clock.now += 60_000;
    expect(h.run('touch new.txt')).toMatchObject({ stderr: '', code: 0 });
    expect(h.store.files['/home/ops/new.txt']).toMatchObject({ content: '', owner: 'ops', mtime: h.clock.now });
    const before = h.store.files['/home/ops/notes.txt']!.mtime;
    expect(h.run('touch notes.txt').code).toBe(0);
    expect(h.store.files['/home/ops/notes.txt']!.mtime).toBe(h.clock.now);
    expect(h.store.files['/home/ops/notes.txt']!.mtime).not.toBe(before);
    expect(h.run('touch -r /etc/passwd notes.txt').code).toBe(0);
    expect(h.store.files['/home/ops/notes.txt']!.mtime).toBe(h.store.files['/etc/passwd']!.mtime);
  });

  test('-c creates nothing; permission errors in touch.c words', () => {
    expect(h.run('touch -c nothing')).toMatchObject({ stderr: '', code: 0 });
    expect(h.store.files['/home/ops/nothing']).toBeUndefined();
    expect(h.run('touch /etc/new').stderr).toBe('touch: cannot touch \u2018/etc/new\u2019: Permission denied\n');
    expect(h.run('touch /etc/passwd').stderr).toBe('touch: cannot touch \u2018/etc/passwd\u2019: Permission denied\n');
    expect(h.run('touch -r notes.txt /etc/passwd').stderr).toBe('touch: setting times of \u2018/etc/passwd\u2019: Operation not permitted\n');
    expect(h.run('touch')).toMatchObject({ stderr: "touch: missing file operand\nTry 'touch --help' for more information.\n", code: 1 });
  });
});
