import { harness, T0, type Harness } from '../fake-env';

let h: Harness;
beforeEach(() => {
  h = harness();
  h.run('cd /home/ops');
});

describe('cp', () => {
  test('copies a file as the user, mode less the umask; the source stays', () => {
    expect(h.run('cp /etc/passwd pw')).toMatchObject({ stdout: '', stderr: '', code: 0 });
    expect(h.store.files['/home/ops/pw']).toMatchObject({ content: h.store.files['/etc/passwd']!.content, owner: 'ops', mode: 0o644, mtime: h.clock.now });
    expect(h.store.files['/etc/passwd']).toBeDefined();
  });

  test('-p keeps mode and time; -v names each copy', () => {
    expect(h.run('cp -pv /usr/local/bin/fix.sh f').stdout).toBe('\u2018/usr/local/bin/fix.sh\u2019 -> \u2018f\u2019\n');
    expect(h.store.files['/home/ops/f']).toMatchObject({ mode: 0o755, mtime: T0 - 3600_000, owner: 'ops' });
  });

  test('many sources into a directory; coreutils 8.21 errors', () => {
    h.run('mkdir d');
    expect(h.run('cp notes.txt .bashrc d').code).toBe(0);
    expect(Object.keys(h.store.files).filter((k) => k.startsWith('/home/ops/d/')).sort()).toEqual(['/home/ops/d/.bashrc', '/home/ops/d/notes.txt']);
    expect(h.run('cp')).toMatchObject({ stderr: "cp: missing file operand\nTry 'cp --help' for more information.\n", code: 1 });
    expect(h.run('cp a').stderr).toBe("cp: missing destination file operand after \u2018a\u2019\nTry 'cp --help' for more information.\n");
    expect(h.run('cp notes.txt .bashrc nodir')).toMatchObject({ stderr: 'cp: target \u2018nodir\u2019 is not a directory\n', code: 1 });
    expect(h.run('cp d e')).toMatchObject({ stderr: 'cp: omitting directory \u2018d\u2019\n', code: 1 });
    expect(h.run('cp nope x').stderr).toBe('cp: cannot stat \u2018nope\u2019: No such file or directory\n');
    expect(h.run('cp /root/secret x').stderr).toBe('cp: cannot stat \u2018/root/secret\u2019: Permission denied\n');
    expect(h.run('cp /etc/shadow x').stderr).toBe('cp: cannot open \u2018/etc/shadow\u2019 for reading: Permission denied\n');
    expect(h.run('cp notes.txt /etc/x').stderr).toBe('cp: cannot create regular file \u2018/etc/x\u2019: Permission denied\n');
    expect(h.run('cp notes.txt notes.txt').stderr).toBe('cp: \u2018notes.txt\u2019 and \u2018notes.txt\u2019 are the same file\n');
    expect(h.run('cp notes.txt d/').code).toBe(0);
  });

  test('-r copies a tree; a directory into itself is refused', () => {
    h.run('mkdir -p t/u; echo 1 > t/u/one');
    expect(h.run('cp -rv t t2').stdout).toBe('\u2018t\u2019 -> \u2018t2\u2019\n\u2018t/u\u2019 -> \u2018t2/u\u2019\n\u2018t/u/one\u2019 -> \u2018t2/u/one\u2019\n');
    expect(h.store.files['/home/ops/t2/u/one']!.content).toBe('1\n');
    expect(h.store.dirs['/home/ops/t2/u']).toEqual({ mode: 0o775, owner: 'ops', group: 'ops', mtime: expect.any(Number) });
    expect(h.run('cp -r t t/u')).toMatchObject({ stderr: 'cp: cannot copy a directory, \u2018t\u2019, into itself, \u2018t/u/t\u2019\n', code: 1 });
  });
});

describe('mv', () => {
  test('renames a file: the old name is gone, owner and time stay', () => {
    const f = h.store.files['/home/ops/notes.txt'];
    expect(h.run('mv -v notes.txt n2')).toMatchObject({ stdout: '\u2018notes.txt\u2019 -> \u2018n2\u2019\n', code: 0 });
    expect(h.store.files['/home/ops/notes.txt']).toBeUndefined();
    expect(h.store.files['/home/ops/n2']).toBe(f);
    expect(h.run('ls').stdout).not.toContain('notes.txt');
  });

  test('moves a directory with everything under it; errors as mv.c and copy.c word them', () => {
    h.run('mkdir -p a/b; echo 1 > a/b/one; mkdir z');
    expect(h.run('mv a z').code).toBe(0);
    expect(h.store.files['/home/ops/z/a/b/one']!.content).toBe('1\n');
    expect(h.run('ls a').code).not.toBe(0);
    expect(h.run('mv z z/a')).toMatchObject({ stderr: 'mv: cannot move \u2018z\u2019 to a subdirectory of itself, \u2018z/a/z\u2019\n', code: 1 });
    expect(h.run('mv nope x').stderr).toBe('mv: cannot stat \u2018nope\u2019: No such file or directory\n');
    expect(h.run('mv /etc/passwd .').stderr).toBe('mv: cannot move \u2018/etc/passwd\u2019 to \u2018./passwd\u2019: Permission denied\n');
    expect(h.run('mv')).toMatchObject({ stderr: "mv: missing file operand\nTry 'mv --help' for more information.\n", code: 1 });
    h.run('mkdir -p y/a/q');
    expect(h.run('mv z/a y').stderr).toBe('mv: cannot move \u2018z/a\u2019 to \u2018y/a\u2019: Directory not empty\n');
    h.run('touch file');
    expect(h.run('mv z file').stderr).toBe('mv: cannot overwrite non-directory \u2018file\u2019 with directory \u2018z\u2019\n');
    expect(h.run('sudo mv /proc/meminfo /tmp').stderr).toBe('mv: cannot move \u2018/proc/meminfo\u2019 to \u2018/tmp/meminfo\u2019: Operation not permitted\n');
  });

  test('-n leaves an existing target alone', () => {
    h.run('echo new > n');
    expect(h.run('mv -n n notes.txt').code).toBe(0);
    expect(h.store.files['/home/ops/notes.txt']!.content).toBe('alpha\nbeta\ngamma\n');
    expect(h.store.files['/home/ops/n']).toBeDefined();
  });
});
