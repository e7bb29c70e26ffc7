import { harness, type Harness } from '../fake-env';

let h: Harness;
beforeEach(() => {
  h = harness();
});

/** a stored file's or directory's permission bits, in octal */
const modeOf = (path: string): string => ((h.store.files[path] ?? h.store.dirs[path])!.mode & 0o7777).toString(8);

describe('chmod', () => {
  test('octal modes set every bit; symbolic ones change the bits and classes named', () => {
    const f = '/home/ops/notes.txt';
    expect(h.run('chmod 600 notes.txt')).toMatchObject({ stdout: '', stderr: '', code: 0 });
    expect(modeOf(f)).toBe('600');
    for (const [mode, want] of [
      ['u+x', '700'],
      ['go+r', '744'],
      ['g+w,o-r', '760'],
      ['a=rX', '555'],
      ['u+w', '755'],
      ['o=u', '757'],
      ['u-x,g=', '607'],
      ['=', '0'],
      ['u=rw,+t', '1600'],
      ['=755', '755'],
      ['+2000', '2755'],
    ] as const) {
      h.run(`chmod ${mode} notes.txt`);
      expect([mode, modeOf(f)]).toEqual([mode, want]);
    }
  });

  test('without a class the umask decides (002 for ops), and X gives execute to a directory but not to a plain file', () => {
    h.run('chmod 600 notes.txt');
    h.run('chmod +rwx notes.txt');
    expect(modeOf('/home/ops/notes.txt')).toBe('775');
    h.run('mkdir d; chmod 600 d notes.txt; chmod a+X d notes.txt');
    expect([modeOf('/home/ops/d'), modeOf('/home/ops/notes.txt')]).toEqual(['711', '600']);
  });

  test('a directory keeps its set-group-ID bit under a four-digit octal mode, and loses it under five digits or g-s', () => {
    h.run('mkdir d; chmod g+s d');
    expect(modeOf('/home/ops/d')).toBe('2775');
    h.run('chmod 750 d');
    expect(modeOf('/home/ops/d')).toBe('2750');
    h.run('chmod 00750 d');
    expect(modeOf('/home/ops/d')).toBe('750');
    h.run('chmod 2750 d; chmod g-s d');
    expect(modeOf('/home/ops/d')).toBe('750');
  });

  test('-v and -c say what changed in coreutils words; -w says when the umask kept bits a naive reading expected gone', () => {
    h.run('chmod 644 notes.txt');
    expect(h.run('chmod -v 644 notes.txt').stdout).toBe('mode of \u2018notes.txt\u2019 retained as 0644 (rw-r--r--)\n');
    expect(h.run('chmod -c 644 notes.txt').stdout).toBe('');
    expect(h.run('chmod -c u+s,o+t notes.txt').stdout).toBe('mode of \u2018notes.txt\u2019 changed from 0644 (rw-r--r--) to 5644 (rwSr--r-T)\n');
    h.run('chmod 666 notes.txt');
    expect(h.run('chmod -w notes.txt')).toMatchObject({ stderr: 'chmod: notes.txt: new permissions are r--r--rw-, not r--r--r--\n', code: 1 });
    expect(modeOf('/home/ops/notes.txt')).toBe('446');
  });

  test('errors as chmod 8.21 words them, and -f keeps quiet about the files', () => {
    expect(h.run('chmod')).toMatchObject({ stderr: "chmod: missing operand\nTry 'chmod --help' for more information.\n", code: 1 });
    expect(h.run('chmod 755').stderr).toBe("chmod: missing operand after \u2018755\u2019\nTry 'chmod --help' for more information.\n");
    expect(h.run('chmod -x').stderr).toBe("chmod: missing operand\nTry 'chmod --help' for more information.\n");
    expect(h.run('chmod +q notes.txt')).toMatchObject({ stderr: "chmod: invalid mode: \u2018+q\u2019\nTry 'chmod --help' for more information.\n", code: 1 });
    expect(h.run('chmod 8 notes.txt').stderr).toBe("chmod: invalid mode: \u20188\u2019\nTry 'chmod --help' for more information.\n");
    expect(h.run('chmod -Z 644 notes.txt').stderr).toBe("chmod: invalid option -- 'Z'\nTry 'chmod --help' for more information.\n");
    const before = modeOf('/etc/passwd');
    expect(h.run('chmod 777 /etc/passwd nothing notes.txt')).toMatchObject({
      stderr: 'chmod: changing permissions of \u2018/etc/passwd\u2019: Operation not permitted\nchmod: cannot access \u2018nothing\u2019: No such file or directory\n',
      code: 1,
    });
    expect(modeOf('/etc/passwd')).toBe(before);
    expect(modeOf('/home/ops/notes.txt')).toBe('777');
    expect(h.run('chmod -f 777 /etc/passwd nothing')).toMatchObject({ stderr: '', code: 1 });
    expect(h.run('sudo chmod 600 /etc/passwd').code).toBe(0);
    expect(modeOf('/etc/passwd')).toBe('600');
  });

  test('-R changes a directory before what it holds: taking away its own search permission stops the walk there', () => {
    h.run('mkdir -p t/in; echo x > t/in/f; echo y > t/g');
    expect(h.run('chmod -R go-rwx t').code).toBe(0);
    expect(['t', 't/in', 't/in/f', 't/g'].map((p) => modeOf(`/home/ops/${p}`))).toEqual(['700', '700', '600', '600']);
    // t can still be listed (r), but nothing in it can be reached without search permission (x)
    expect(h.run('chmod -R u-x t')).toMatchObject({
      stderr: 'chmod: cannot access \u2018t/g\u2019: Permission denied\nchmod: cannot access \u2018t/in\u2019: Permission denied\n',
      code: 1,
    });
    expect(modeOf('/home/ops/t')).toBe('600');
    expect(modeOf('/home/ops/t/in')).toBe('700');
    // and without read permission it cannot even be listed
    h.run('chmod 700 t');
    expect(h.run('chmod -R u-r t').stderr).toBe('chmod: cannot read directory \u2018t\u2019: Permission denied\n');
  });

  test('--reference copies another file\'s mode', () => {
    expect(h.run('chmod --reference=/usr/local/bin/fix.sh notes.txt').code).toBe(0);
    expect(modeOf('/home/ops/notes.txt')).toBe('755');
    expect(h.run('chmod --reference=nothing notes.txt').stderr).toBe('chmod: failed to get attributes of \u2018nothing\u2019: No such file or directory\n');
  });
});
