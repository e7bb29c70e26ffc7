import { harness, T0, type Harness } from '../fake-env';

let h: Harness;
beforeEach(() => {
  h = harness();
  // a small tree in the home directory: d/ holds a log an hour old, a big file, an empty file and an empty dir
  h.run('mkdir -p d/empty d/sub; echo hello > d/a.log; seq 1000 > d/sub/B.LOG; touch d/zero');
});
const out = (line: string): string => h.run(line).stdout;

describe('find (findutils 4.4.2)', () => {
  test('walks from each starting point, printing every name under it, a directory before what it holds', () => {
    expect(out('find d')).toBe(['d', 'd/a.log', 'd/empty', 'd/sub', 'd/sub/B.LOG', 'd/zero', ''].join('\n'));
    expect(out('cd d; find')).toBe(['.', './a.log', './empty', './sub', './sub/B.LOG', './zero', ''].join('\n'));
    expect(out('find /home/ops/d/ -maxdepth 1 -name "*.log"')).toBe('/home/ops/d/a.log\n');
  });

  test('tests on names, paths, types and depth', () => {
    expect(out("find d -name '*.log'")).toBe('d/a.log\n');
    expect(out("find d -iname '*.log'")).toBe('d/a.log\nd/sub/B.LOG\n');
    expect(out("find d -path '*sub*'")).toBe('d/sub\nd/sub/B.LOG\n');
    expect(out('find d -type d')).toBe('d\nd/empty\nd/sub\n');
    expect(out('find d -mindepth 2 -type f')).toBe('d/sub/B.LOG\n');
    expect(out('find d -maxdepth 0')).toBe('d\n');
    expect(out('find d -empty')).toBe('d/empty\nd/zero\n');
  });

  test('sizes round up to whole units, so -size -1k is only an empty file; times count whole days and minutes', () => {
    expect(out('find d -type f -size +1k')).toBe('d/sub/B.LOG\n');
    expect(out('find d -type f -size -1k')).toBe('d/zero\n');
    expect(out('find d -type f -size 6c')).toBe('d/a.log\n');
    expect(out('find d -type f -size 8')).toBe('d/sub/B.LOG\n');
    h.clock.now = T0 + 90 * 60_000;
    h.run('touch d/zero');
    expect(out('find d -type f -mmin -30')).toBe('d/zero\n');
    expect(out('find d -type f -mmin +30')).toBe('d/a.log\nd/sub/B.LOG\n');
    expect(out('find d -type f -mtime 0 -newer d/a.log')).toBe('d/zero\n');
    expect(out('find d -type f -mtime +0')).toBe('');
  });

  test('modes and owners', () => {
    expect(out('find /usr/local/bin -perm 755')).toBe('/usr/local/bin\n/usr/local/bin/fix.sh\n');
    expect(out('find /usr/local/bin -type f -perm -u+x,g+x')).toBe('/usr/local/bin/fix.sh\n');
    expect(out('find /usr/local/bin -perm /o+w')).toBe('');
    expect(out('find /var/log -group adm')).toBe('/var/log/syslog\n');
    expect(out('find d/sub -user ops')).toBe('d/sub\nd/sub/B.LOG\n');
    expect(h.run('find d -user nobody-here')).toMatchObject({ stderr: "find: `nobody-here' is not the name of a known user\n", code: 1 });
  });

  test('operators: not, and, or, parentheses, and -prune to leave a directory out', () => {
    expect(out('find d ! -type d')).toBe('d/a.log\nd/sub/B.LOG\nd/zero\n');
    expect(out("find d -name '*.log' -o -name zero")).toBe('d/a.log\nd/zero\n');
    expect(out("find d \\( -name sub -o -name empty \\) -type d")).toBe('d/empty\nd/sub\n');
    expect(out('find d -name sub -prune -o -type f -print')).toBe('d/a.log\nd/zero\n');
  });

  test('-exec runs a command for each file, or once for many with +; its status is the test', () => {
    expect(out('find d -name "*.log" -exec echo found {} \\;')).toBe('found d/a.log\n');
    expect(out('find d -type f -exec echo {} +')).toBe('d/a.log d/sub/B.LOG d/zero\n');
    expect(out('find d -type f -exec test -s {} \\; -print')).toBe('d/a.log\nd/sub/B.LOG\n');
    // {} inside a word is replaced too; a command that fails makes the test false, so -o -print prints the file
    expect(h.run('find d -name "*.log" -exec cat {}.missing \\; -o -print')).toMatchObject({
      stdout: 'd\nd/a.log\nd/empty\nd/sub\nd/sub/B.LOG\nd/zero\n',
      stderr: 'cat: d/a.log.missing: No such file or directory\n',
    });
  });

  test('-delete removes files, and directories once emptied (it walks depth first)', () => {
    expect(h.run('find d/sub -delete')).toMatchObject({ stdout: '', stderr: '', code: 0 });
    expect(h.store.dirs['/home/ops/d/sub']).toBeUndefined();
    expect(h.store.files['/home/ops/d/sub/B.LOG']).toBeUndefined();
    expect(h.run('find /etc/passwd -delete')).toMatchObject({ stderr: "find: cannot delete `/etc/passwd': Permission denied\n", code: 1 });
    expect(h.store.files['/etc/passwd']).toBeDefined();
  });

  test('what it cannot read or find, and expressions it cannot take, in its own words', () => {
    expect(h.run('find /root')).toMatchObject({ stdout: '/root\n', stderr: "find: `/root': Permission denied\n", code: 1 });
    expect(h.run('find nothing d/zero')).toMatchObject({ stdout: 'd/zero\n', stderr: "find: `nothing': No such file or directory\n", code: 1 });
    const usage = 'Usage: find [-H] [-L] [-P] [-Olevel] [-D help|tree|search|stat|rates|opt|exec] [path...] [expression]\n';
    // an unquoted pattern the shell expanded into two names: the classic
    h.run('touch x.log y.log');
    expect(h.run('find . -name *.log')).toMatchObject({ stderr: `find: paths must precede expression: y.log\n${usage}`, code: 1 });
    expect(h.run('find d -name').stderr).toBe("find: missing argument to `-name'\n");
    expect(h.run('find d -bogus').stderr).toBe("find: unknown predicate `-bogus'\n");
    expect(h.run('find d -type q').stderr).toBe('find: Unknown argument to -type: q\n');
    expect(h.run('find d -printf x').stderr).toMatch(/^find: -printf is not simulated here: /);
    expect(h.run('find d \\( -name x').stderr).toBe("find: invalid expression; I was expecting to find a ')' somewhere but did not see one.\n");
    expect(h.run('find d -type d -maxdepth 1')).toMatchObject({
      stdout: 'd\nd/empty\nd/sub\n',
      stderr:
        'find: warning: you have specified the -maxdepth option after a non-option argument -type, but options are not positional (-maxdepth affects tests specified before it as well as those specified after it).  Please specify options before other arguments.\n\n',
    });
  });
});
