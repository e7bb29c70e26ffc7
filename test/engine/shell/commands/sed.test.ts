/**
 * GNU sed 4.2.2 (Ubuntu 14.04): expected outputs written out from its manual and from what its
 * compile.c and execute.c do (error texts are theirs, character positions counted by hand).
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
const ok = (stdout: string) => ({ stdout, stderr: '', code: 0 });
const err = (stderr: string, code: number, stdout = '') => ({ stdout, stderr, code });

describe('sed: the s command', () => {
  test('first match, every match, the Nth, from the Nth on', () => {
    expect(out("echo 'hello world' | sed 's/o/0/'")).toEqual(ok('hell0 world\n'));
    expect(out("echo 'hello world' | sed 's/o/0/g'")).toEqual(ok('hell0 w0rld\n'));
    expect(out("echo 'hello world' | sed 's/o/0/2'")).toEqual(ok('hello w0rld\n'));
    expect(out("echo 'foo boo' | sed 's/o/0/2g'")).toEqual(ok('fo0 b00\n'));
    expect(out("echo 'hello world' | sed 's|o w|_|'")).toEqual(ok('hell_orld\n'));
  });

  test('& and \\1..\\9, basic and extended syntax, \\n in the replacement', () => {
    expect(out("echo 'hello world' | sed 's/\\(hel\\)lo/[\\1|&]/'")).toEqual(ok('[hel|hello] world\n'));
    expect(out("echo 'one two' | sed -r 's/(\\w+) (\\w+)/\\2 \\1/'")).toEqual(ok('two one\n'));
    expect(out("echo 'one two' | sed -E 's/(o+)/<\\1>/g'")).toEqual(ok('<o>ne tw<o>\n'));
    expect(out("echo 'a+b' | sed 's/a+b/X/'")).toEqual(ok('X\n'));
    expect(out("echo 'aab' | sed 's/a\\+b/X/'")).toEqual(ok('X\n'));
    expect(out("echo 'hello world' | sed 's/ /\\n/'")).toEqual(ok('hello\nworld\n'));
    expect(out("echo 'a&b' | sed 's/&/\\&\\&/'")).toEqual(ok('a&&b\n'));
  });

  test('the p and I flags', () => {
    expect(out("printf 'a\\nb\\n' | sed -n 's/b/B/p'")).toEqual(ok('B\n'));
    expect(out("echo 'Hello' | sed 's/HELLO/bye/I'")).toEqual(ok('bye\n'));
    expect(out("echo 'Hello' | sed 's/HELLO/bye/'")).toEqual(ok('Hello\n'));
  });

  test('GNU case conversion: \\U \\L \\E \\u \\l', () => {
    expect(out("echo 'hello world' | sed 's/\\w\\+/\\u&/g'")).toEqual(ok('Hello World\n'));
    expect(out("echo 'hello world' | sed 's/.*/\\U&/'")).toEqual(ok('HELLO WORLD\n'));
    expect(out("echo 'hello world' | sed 's/\\(hello\\) \\(world\\)/\\U\\1\\E \\2/'")).toEqual(ok('HELLO world\n'));
    expect(out("echo 'HELLO World' | sed 's/.*/\\L&/'")).toEqual(ok('hello world\n'));
    expect(out("echo 'HELLO' | sed 's/.*/\\l&/'")).toEqual(ok('hELLO\n'));
    expect(out("echo 'hello' | sed 's/.*/\\L\\u&/'")).toEqual(ok('Hello\n'));
  });

  test('empty matches: none right after the previous match (execute.c: baaac becomes xbxcx)', () => {
    expect(out("echo baaac | sed 's/a*/x/g'")).toEqual(ok('xbxcx\n'));
    expect(out("echo abc | sed 's/x*/-/g'")).toEqual(ok('-a-b-c-\n'));
  });

  test('a last line without a newline stays without one', () => {
    expect(out("printf 'a\\nb' | sed 's/b/c/'")).toEqual(ok('a\nc'));
  });
});

describe('sed: addresses', () => {
  test('numbers, $, regexes, ranges and !', () => {
    expect(out("sed -n '2p' notes.txt")).toEqual(ok('beta\n'));
    expect(out("sed '2d' notes.txt")).toEqual(ok('alpha\ngamma\n'));
    expect(out("sed -n '$p' notes.txt")).toEqual(ok('gamma\n'));
    expect(out("sed -n '/^b/,/^g/p' notes.txt")).toEqual(ok('beta\ngamma\n'));
    expect(out("sed '1!d' notes.txt")).toEqual(ok('alpha\n'));
    expect(out("sed -e 1d -e '$d' notes.txt")).toEqual(ok('beta\n'));
  });

  test('0,/re/ ends on line 1 when it matches there; 1,/re/ cannot', () => {
    expect(out("sed -n '0,/a/p' notes.txt")).toEqual(ok('alpha\n'));
    expect(out("sed -n '1,/a/p' notes.txt")).toEqual(ok('alpha\nbeta\n'));
  });

  test('first~step, addr,+N and addr,~N', () => {
    expect(out("seq 10 | sed -n '0~3p'")).toEqual(ok('3\n6\n9\n'));
    expect(out("seq 10 | sed -n '1~4p'")).toEqual(ok('1\n5\n9\n'));
    expect(out("seq 10 | sed -n '3,+2p'")).toEqual(ok('3\n4\n5\n'));
    expect(out("seq 10 | sed -n '5,~4p'")).toEqual(ok('5\n6\n7\n8\n'));
  });

  test('$ is the last line of the last file, or of each with -s', () => {
    expect(out("sed -n '$p' notes.txt .bashrc")).toEqual(ok('# bashrc\n'));
    expect(out("sed -s -n '$p' notes.txt .bashrc")).toEqual(ok('gamma\n# bashrc\n'));
    expect(out("sed -n '$=' notes.txt .bashrc")).toEqual(ok('4\n'));
  });
});

describe('sed: other commands', () => {
  test('a, i and c in the GNU one-line form', () => {
    expect(out("sed '2a after two' notes.txt")).toEqual(ok('alpha\nbeta\nafter two\ngamma\n'));
    expect(out("sed '2i before two' notes.txt")).toEqual(ok('alpha\nbefore two\nbeta\ngamma\n'));
    expect(out("sed '2c\\changed' notes.txt")).toEqual(ok('alpha\nchanged\ngamma\n'));
    expect(out("seq 5 | sed '2,4c\\gone'")).toEqual(ok('1\ngone\n5\n'));
    expect(out("sed '$a the end' notes.txt")).toEqual(ok('alpha\nbeta\ngamma\nthe end\n'));
  });

  test('a\\ with its text on following lines, from a -f script file', () => {
    h.run("printf '1a\\\\\\nfirst\\\\\\nsecond\\n3i\\\\\\n  indented\\n' > add.sed");
    expect(h.store.files['/home/ops/add.sed']!.content).toBe('1a\\\nfirst\\\nsecond\n3i\\\n  indented\n');
    expect(out('sed -f add.sed notes.txt')).toEqual(ok('alpha\nfirst\nsecond\nbeta\n  indented\ngamma\n'));
  });

  test('q and Q, with an exit status', () => {
    expect(out('seq 5 | sed 2q')).toEqual(ok('1\n2\n'));
    expect(out('seq 5 | sed 2Q')).toEqual(ok('1\n'));
    expect(out('seq 5 | sed 3q7')).toEqual({ stdout: '1\n2\n3\n', stderr: '', code: 7 });
  });

  test('=, y, l', () => {
    expect(out("printf 'a\\nb\\n' | sed =")).toEqual(ok('1\na\n2\nb\n'));
    expect(out("echo hello | sed 'y/abcdefghij/0123456789/'")).toEqual(ok('74llo\n'));
    expect(out("printf 'a\\tb\\\\\\n' | sed -n l")).toEqual(ok('a\\tb\\\\$\n'));
    expect(out("echo abcdefgh | sed -n 'l 5'")).toEqual(ok('abcd\\\nefgh$\n'));
  });

  test('{ } and !, hold space, N P D, labels and t', () => {
    expect(out("seq 6 | sed -n '2,4{/3/!p}'")).toEqual(ok('2\n4\n'));
    expect(out("printf 'a\\nb\\nc\\n' | sed -n '1!G;h;$p'")).toEqual(ok('c\nb\na\n'));
    expect(out("printf 'a\\nb\\nc\\n' | sed '$!N;s/\\n/+/'")).toEqual(ok('a+b\nc\n'));
    expect(out("printf 'a\\nb\\nc\\n' | sed -n '$!N;P;D'")).toEqual(ok('a\nb\nc\n'));
    expect(out("echo aaa | sed ':a;s/a/b/;ta'")).toEqual(ok('bbb\n'));
    expect(out("echo abc | sed -n 's/x/y/;T;p'")).toEqual(ok(''));
  });

  test('w writes the lines to a file', () => {
    expect(out("sed -n '/m/w picked.txt' notes.txt")).toEqual(ok(''));
    expect(h.store.files['/home/ops/picked.txt']!.content).toBe('gamma\n');
  });
});

describe('sed: errors in the words and statuses of 4.2.2', () => {
  test('malformed scripts: expression number and character', () => {
    expect(out("sed 's/a/b' notes.txt")).toEqual(err("sed: -e expression #1, char 5: unterminated `s' command\n", 1));
    expect(out("sed 's/a/b/q' notes.txt")).toEqual(err("sed: -e expression #1, char 7: unknown option to `s'\n", 1));
    expect(out('sed k notes.txt')).toEqual(err("sed: -e expression #1, char 1: unknown command: `k'\n", 1));
    expect(out("sed -e p -e 's/x' notes.txt")).toEqual(err("sed: -e expression #2, char 3: unterminated `s' command\n", 1));
    expect(out("sed '2' notes.txt")).toEqual(err('sed: -e expression #1, char 1: missing command\n', 1));
    expect(out("sed '3,p' notes.txt")).toEqual(err("sed: -e expression #1, char 3: unexpected `,'\n", 1));
    expect(out("sed 'p x' notes.txt")).toEqual(err('sed: -e expression #1, char 3: extra characters after command\n', 1));
    expect(out("sed '{p' notes.txt")).toEqual(err("sed: -e expression #1, char 0: unmatched `{'\n", 1));
    expect(out("sed 'p}' notes.txt")).toEqual(err("sed: -e expression #1, char 2: unexpected `}'\n", 1));
    expect(out("sed '/abc/' notes.txt")).toEqual(err('sed: -e expression #1, char 5: missing command\n', 1));
    expect(out("sed '/abc' notes.txt")).toEqual(err('sed: -e expression #1, char 4: unterminated address regex\n', 1));
    expect(out("sed 0p notes.txt")).toEqual(err('sed: -e expression #1, char 2: invalid usage of line address 0\n', 1));
    expect(out("sed 'y/abc/de/' notes.txt")).toEqual(err("sed: -e expression #1, char 9: strings for `y' command are different lengths\n", 1));
    expect(out("sed 's/x/y/gg' notes.txt")).toEqual(err("sed: -e expression #1, char 8: multiple `g' options to `s' command\n", 1));
  });

  test('regex errors come from the regex compiler; a reference beyond the groups is refused', () => {
    expect(out("sed 's/\\(a/b/' notes.txt")).toEqual(err('sed: -e expression #1, char 8: Unmatched ( or \\(\n', 1));
    expect(out("sed 's/a/\\1/' notes.txt")).toEqual(err("sed: -e expression #1, char 7: invalid reference \\1 on `s' command's RHS\n", 1));
  });

  test('a jump to a missing label is a panic (status 4)', () => {
    expect(out("sed 'b nowhere' notes.txt")).toEqual(err("sed: can't find label for jump to `nowhere'\n", 4));
  });

  test('a script file names its line', () => {
    h.run("printf 'p\\nk\\n' > bad.sed");
    expect(out('sed -f bad.sed notes.txt')).toEqual(err("sed: file bad.sed line 2: unknown command: `k'\n", 1));
    expect(out('sed -f nope.sed notes.txt')).toEqual(err("sed: couldn't open file nope.sed: No such file or directory\n", 4));
  });

  test('input files: missing (status 2, the others still read), directories and /dev/null', () => {
    expect(out('sed -n 1p nope notes.txt')).toEqual(err("sed: can't read nope: No such file or directory\n", 2, 'alpha\n'));
    expect(out('sed p /var/empty')).toEqual(err('sed: read error on /var/empty: Is a directory\n', 4));
    expect(out('sed p /dev/null')).toEqual(ok(''));
    expect(out('sed p /dev/zero')).toEqual(err("sed: can't read /dev/zero: this device is not simulated in this world\n", 2));
    expect(out('echo piped | sed p /dev/stdin')).toEqual(ok('piped\npiped\n'));
    expect(out('sed -i p /var/empty')).toEqual(err("sed: couldn't edit /var/empty: not a regular file\n", 4));
    expect(out('sed -i p /dev/null')).toEqual(err("sed: couldn't edit /dev/null: not a regular file\n", 4));
    expect(out('sed -i p')).toEqual(err('sed: no input files\n', 4));
  });

  test('usage: no script, bad options (status 4); --help and --version', () => {
    const usage = out('sed');
    expect(usage.code).toBe(4);
    expect(usage.stdout).toBe('');
    expect(usage.stderr.startsWith('Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n\n  -n, --quiet, --silent\n')).toBe(true);
    expect(usage.stderr.endsWith('GNU sed home page: <http://www.gnu.org/software/sed/>.\nGeneral help using GNU software: <http://www.gnu.org/gethelp/>.\n')).toBe(true);
    const bad = out('sed --bogus p notes.txt');
    expect(bad.code).toBe(4);
    expect(bad.stderr.startsWith("sed: unrecognized option '--bogus'\nUsage: sed [OPTION]...")).toBe(true);
    const help = out('sed --help');
    expect(help.code).toBe(0);
    expect(help.stdout.endsWith("E-mail bug reports to: <bug-sed@gnu.org>.\nBe sure to include the word ``sed'' somewhere in the ``Subject:'' field.\n")).toBe(true);
    expect(help.stdout).toContain('  -i[SUFFIX], --in-place[=SUFFIX]\n                 edit files in place (makes backup if SUFFIX supplied)\n');
    expect(out('sed --version')).toEqual(
      ok(
        'sed (GNU sed) 4.2.2\n' +
          'Copyright (C) 2012 Free Software Foundation, Inc.\n' +
          'License GPLv3+: GNU GPL version 3 or later <http://gnu.org/licenses/gpl.html>.\n' +
          'This is free software: you are free to change and redistribute it.\n' +
          'There is NO WARRANTY, to the extent permitted by law.\n' +
          '\n' +
          'Written by Jay Fenlason, Tom Lord, Ken Pizzini,\n' +
          'and Paolo Bonzini.\n' +
          'GNU sed home page: <http://www.gnu.org/software/sed/>.\n' +
          'General help using GNU software: <http://www.gnu.org/gethelp/>.\n' +
          'E-mail bug reports to: <bug-sed@gnu.org>.\n' +
          "Be sure to include the word ``sed'' somewhere in the ``Subject:'' field.\n",
      ),
    );
  });
});

describe('sed -i: editing in place through the filesystem', () => {
  test('edits a file the user may write; owner and mode stay', () => {
    expect(out("sed -i 's/beta/BETA/' notes.txt")).toEqual(ok(''));
    expect(out('cat notes.txt')).toEqual(ok('alpha\nBETA\ngamma\n'));
    expect(h.store.files['/home/ops/notes.txt']).toMatchObject({ owner: 'ops', mode: 0o664 });
  });

  test('-i.bak and --in-place=SUFFIX keep the original', () => {
    expect(out("sed -i.bak '1d' notes.txt")).toEqual(ok(''));
    expect(out('cat notes.txt notes.txt.bak')).toEqual(ok('beta\ngamma\nalpha\nbeta\ngamma\n'));
    expect(out("sed --in-place=.orig -n '/gamma/p' notes.txt")).toEqual(ok(''));
    expect(out('cat notes.txt; cat notes.txt.orig')).toEqual(ok('gamma\nbeta\ngamma\n'));
  });

  test('a read-only file in a directory the user may write is replaced, as rename(2) allows; its mode stays', () => {
    h.store.files['/home/ops/notes.txt']!.mode = 0o444;
    expect(out("sed -i 's/gamma/GAMMA/' notes.txt")).toEqual(ok(''));
    expect(h.store.files['/home/ops/notes.txt']).toMatchObject({ content: 'alpha\nbeta\nGAMMA\n', mode: 0o444, owner: 'ops' });
    expect(Object.keys(h.store.files).filter((k) => /\/sed[A-Za-z0-9]{6}$/.test(k))).toEqual([]);
  });

  test('several files: each edited on its own, line numbers starting again', () => {
    h.run('seq 3 > a; seq 3 > b');
    expect(out("sed -i '1d' a b")).toEqual(ok(''));
    expect(out('cat a b')).toEqual(ok('2\n3\n2\n3\n'));
  });

  test('q ends the edit there: the rest of the file is gone, as with GNU sed', () => {
    h.run('seq 5 > f');
    expect(out('sed -i 2q f')).toEqual(ok(''));
    expect(out('cat f')).toEqual(ok('1\n2\n'));
  });

  test("a directory the user may not write: GNU's temporary-file refusal, status 4, the file unchanged", () => {
    const before = h.store.files['/usr/local/bin/fix.sh']!.content;
    const r = out("sed -i 's/echo/printf/' /usr/local/bin/fix.sh");
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^sed: couldn't open temporary file \/usr\/local\/bin\/sed[A-Za-z0-9]{6}: Permission denied\n$/);
    expect(r.code).toBe(4);
    expect(h.store.files['/usr/local/bin/fix.sh']!.content).toBe(before);
    expect(Object.keys(h.store.files).filter((k) => /\/sed[A-Za-z0-9]{6}$/.test(k))).toEqual([]);
    expect(out('sed -i p /root/secret')).toEqual(err("sed: can't read /root/secret: Permission denied\n", 2));
  });

  test('under sudo: the chapter 3 kind of fix, a substitution and an appended line', () => {
    h.store.files['/usr/local/bin/ebs-backup.sh'] = {
      content: '#!/bin/bash\nmongo --quiet --eval "db.fsyncLock()"\naws ec2 create-snapshot --volume-id vol-0aa1 --description nightly\nexit 0\n',
      mode: 0o755,
      owner: 'root',
      group: 'root',
      mtime: 0,
    };
    expect(out("sudo sed -i 's/vol-0aa1/vol-0bb2/' /usr/local/bin/ebs-backup.sh")).toEqual(ok(''));
    expect(out("sudo sed -i '/^aws/a mongo --quiet --eval \"db.fsyncUnlock()\"' /usr/local/bin/ebs-backup.sh")).toEqual(ok(''));
    expect(out('cat /usr/local/bin/ebs-backup.sh')).toEqual(
      ok('#!/bin/bash\nmongo --quiet --eval "db.fsyncLock()"\naws ec2 create-snapshot --volume-id vol-0bb2 --description nightly\nmongo --quiet --eval "db.fsyncUnlock()"\nexit 0\n'),
    );
    expect(h.store.files['/usr/local/bin/ebs-backup.sh']).toMatchObject({ owner: 'root', mode: 0o755 });
  });
});

describe('sed: bounded time and memory', () => {
  // The bounds are counted in work (steps, characters), not wall time, so the outcome is what is
  // checked here; a pattern or script that escaped them would hang and fail at jest's timeout.
  test('a back-reference pattern that would backtrack for ever stops quickly with a clear message', () => {
    // the b is there, so the line cannot be passed over: every way of splitting the a's is tried
    const r = out(`printf '${'a'.repeat(60)}cb\\n' | sed 's/\\(a*\\)*\\1b/x/'`);
    expect(r).toEqual(err('sed: pattern too complex for this world (matching it would take too long)\n', 4));
  });

  test('a nested repetition without back-references is matched in linear time', () => {
    const line = 'a'.repeat(5000) + 'b';
    expect(out(`printf '${line}\\n' | sed -r 's/(a+)+$/x/'`)).toEqual(ok(line + '\n'));
  });

  test('a pattern space that doubles without end stops at its bound, in the words of a failed realloc', () => {
    expect(out("echo x | sed ':a;s/x*/&&/;ta'")).toEqual(err("sed: couldn't re-allocate memory: the pattern space passed 16000000 characters, as much as this world gives sed\n", 4));
  });

  test('a script that never ends stops at the line\'s work limit', () => {
    const r = out("echo x | sed ':a;ba'");
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/work limit reached/);
    expect(r.code).not.toBe(0);
  });
});
