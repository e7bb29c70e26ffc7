import { harness, type Harness } from './fake-env';
import { compilePosix, isLiteral, linearFromSource, parsePosix, RegexError, requiredLiteral } from '../../../engine/shell/regex';

/**
 * Patterns from the player are matched in bounded time: re2js (linear) for all that it can
 * express, a backtracking matcher with a step budget for back-references. The semantics stay
 * GNU's: leftmost-longest matches, BRE/ERE syntax, GNU's error messages.
 */
let h: Harness;
beforeEach(() => {
  h = harness();
});

/** runs a line and returns what it printed, failing if it took longer than `ms` of wall time */
function timed(line: string, ms = 1500) {
  const t0 = Date.now();
  const r = h.run(line);
  const took = Date.now() - t0;
  expect({ line, slow: took > ms }).toEqual({ line, slow: false });
  return r;
}

const A = (n: number) => 'a'.repeat(n);

describe('catastrophic patterns finish at once', () => {
  // with a backtracking engine each of these takes seconds to hours; 27 a's is about 10 s of V8
  const text = A(27) + 'b';

  test('grep -E (a+)+$ and its relatives', () => {
    expect(timed(`echo ${text} | grep -cE '(a+)+$'`)).toMatchObject({ stdout: '0\n', code: 1 });
    expect(timed(`echo ${text} | grep -c '\\(a*\\)*$'`)).toMatchObject({ stdout: '1\n', code: 0 });
    expect(timed(`echo ${text} | grep -cE '(a|aa)+c'`)).toMatchObject({ stdout: '0\n', code: 1 });
    expect(timed(`echo ${text} | grep -cE '^(a?){27}a{27}$'`)).toMatchObject({ stdout: '0\n', code: 1 });
    expect(timed(`echo ${A(5000)}b | grep -oE '(a+)+b' | wc -c`)).toMatchObject({ stdout: '5002\n', code: 0 });
  });

  test("awk's ~, match, sub, gsub and split", () => {
    expect(timed(`echo ${text} | awk '$0 ~ /(a+)+$/ { print "yes" } END { print "done" }'`).stdout).toBe('done\n');
    expect(timed(`echo ${text} | awk '{ print match($0, /(a+)+c/), RSTART, RLENGTH }'`).stdout).toBe('0 0 -1\n');
    expect(timed(`echo ${text} | awk '{ print gsub(/(a+)+c/, "x"), sub(/(a|aa)+$/, "y") }'`).stdout).toBe('0 0\n');
    expect(timed(`echo ${text} | awk '{ print split($0, parts, /(a+)+c/) }'`).stdout).toBe('1\n');
    expect(timed(`echo ${text} | awk -F '(a+)+c' '{ print NF }'`).stdout).toBe('1\n');
  });

  test('globs with many stars', () => {
    h.store.files[`/tmp/${A(60)}`] = { content: '', mode: 0o644, owner: 'ops', group: 'ops', mtime: 0 };
    expect(timed(`echo /tmp/${'*a'.repeat(25)}*b`).stdout).toBe(`/tmp/${'*a'.repeat(25)}*b\n`);
    expect(timed(`echo /tmp/${'*a'.repeat(25)}* | wc -c`).stdout).toBe('66\n');
  });
});

describe('back-references', () => {
  test('match as GNU grep does', () => {
    expect(h.run("printf 'abab\\nabba\\nxyzxyz\\n' | grep '\\(ab\\)\\1'").stdout).toBe('abab\n');
    expect(h.run("printf 'abab\\nabba\\n' | grep -E '(a)(b)\\2\\1'").stdout).toBe('abba\n');
    expect(h.run("printf 'abab\\nabba\\nxyzxyz\\n' | grep -xE '(.+)\\1'").stdout).toBe('abab\nxyzxyz\n');
    expect(h.run("echo 'the the cat' | grep -oE '\\b([a-z]+) \\1\\b'").stdout).toBe('the the\n');
    expect(h.run("echo 'Abab' | grep -ic '\\(ab\\)\\1'").stdout).toBe('1\n');
    // each -e pattern's \1 is its own first group
    expect(h.run("printf 'aa\\nbcbc\\n' | grep -e '\\(a\\)\\1' -e 'b\\(c\\)b\\1'").stdout).toBe('aa\nbcbc\n');
  });

  test('a pattern they make too costly stops with a clear error, exit 2, at once', () => {
    const r = timed(`echo ${A(30)}b | grep -E '(a*)*\\1$'`, 5000);
    expect(r).toMatchObject({ stdout: '', stderr: 'grep: pattern too complex for this world (matching it would take too long)\n', code: 2 });
    // awk has no back-references (\1 is a character there), but counts past re2's 1000 go the same way
    const awk = timed(`echo ${A(30)}b | awk '/(a|a){1100}c/'`, 5000);
    expect(awk.code).toBe(2);
    expect(awk.stderr).toMatch(/^awk: run time error: pattern too complex for this world/);
  });

  test('an invalid one is refused as GNU grep refuses it', () => {
    expect(h.run("echo a | grep '\\(a\\)\\2'")).toMatchObject({ stderr: 'grep: Invalid back reference\n', code: 2 });
    expect(h.run("echo a | grep -E 'a\\1'")).toMatchObject({ stderr: 'grep: Invalid back reference\n', code: 2 });
  });
});

describe("GNU grep's semantics are kept", () => {
  test('leftmost-longest matches for -o', () => {
    expect(h.run("echo abcd | grep -oE 'a|ab|abc'").stdout).toBe('abc\n');
    expect(h.run("echo 'xyz xy' | grep -oE 'x|xy|xyz'").stdout).toBe('xyz\nxy\n');
    expect(h.run("echo 'aaa' | grep -o 'a*'").stdout).toBe('aaa\n');
  });

  test('-w, -x, \\< \\> and \\b', () => {
    expect(h.run("echo 'foo-bar foo_x foo' | grep -ow foo").stdout).toBe('foo\nfoo\n');
    expect(h.run("echo 'foobar' | grep -cw foo").stdout).toBe('0\n');
    expect(h.run("echo 'a+ b' | grep -ow 'a+'").stdout).toBe('a+\n');
    expect(h.run("echo 'cat concat' | grep -o '\\<c[a-z]*'").stdout).toBe('cat\nconcat\n');
    expect(h.run("echo 'cat concat' | grep -o '[a-z]*t\\>'").stdout).toBe('cat\nconcat\n');
    expect(h.run("echo 'cat concat' | grep -oE '\\bcon'").stdout).toBe('con\n');
    expect(h.run("printf 'ab\\nabc\\n' | grep -x 'ab'").stdout).toBe('ab\n');
  });

  test('basic and extended syntax, literal operators, classes', () => {
    expect(h.run("echo 'a{1}' | grep -o 'a{1}'").stdout).toBe('a{1}\n');
    expect(h.run("echo 'aa' | grep -o 'a\\{2\\}'").stdout).toBe('aa\n');
    expect(h.run("echo '*star' | grep -o '*s'").stdout).toBe('*s\n');
    expect(h.run("echo 'x+' | grep -oE 'x\\+'").stdout).toBe('x+\n');
    expect(h.run("echo 'a.b' | grep -cF '.'").stdout).toBe('1\n');
    expect(h.run("echo 'tab\there' | grep -c '[[:space:]]'").stdout).toBe('1\n');
    expect(h.run("echo 'Ünïcode' | grep -o '[[:alpha:]]*code'").stdout).toBe('code\n');
    expect(h.run("echo 'Ünïcode' | grep -o '.n.c'").stdout).toBe('Ünïc\n');
    expect(h.run("echo 'a]b' | grep -o '[]]'").stdout).toBe(']\n');
    expect(h.run("echo 'a\\b' | grep -c '[\\]'").stdout).toBe('1\n');
  });

  test("GNU's complaints", () => {
    expect(h.run("echo a | grep -E 'a{2,1}'")).toMatchObject({ stderr: 'grep: Invalid content of \\{\\}\n', code: 2 });
    expect(h.run("echo a | grep 'a\\{1'")).toMatchObject({ stderr: 'grep: Unmatched \\{\n', code: 2 });
    expect(h.run("echo a | grep 'a\\)'")).toMatchObject({ stderr: 'grep: Unmatched ) or \\)\n', code: 2 });
    expect(h.run("echo a | grep '[z-a]'")).toMatchObject({ stderr: 'grep: Invalid range end\n', code: 2 });
    expect(h.run("echo a | grep -E 'a{99999}'")).toMatchObject({ stderr: 'grep: Regular expression too big\n', code: 2 });
  });

  test('stacked operators fold into one, however many there are', () => {
    expect(timed(`echo aaa | grep -oE 'a${'*'.repeat(5000)}'`).stdout).toBe('aaa\n');
    expect(timed(`echo aaa | grep -o 'a${'*'.repeat(5000)}'`).stdout).toBe('aaa\n');
    expect(h.run("echo 'aab' | grep -oE 'a+?b'").stdout).toBe('aab\n');
    expect(h.run(`echo x | grep -E '${'('.repeat(600)}x${')'.repeat(600)}'`)).toMatchObject({ stderr: 'grep: Regular expression too big\n', code: 2 });
  });

  test('counts re2 cannot take are matched by the bounded engine', () => {
    expect(h.run(`echo ${A(1500)} | grep -cE '^a{1500}$'`).stdout).toBe('1\n');
    expect(h.run(`echo ${A(1499)} | grep -cE '^a{1500}$'`).stdout).toBe('0\n');
  });
});

describe('awk keeps its own regular expression dialect', () => {
  test('escapes stand for characters and . matches a newline', () => {
    expect(h.run("printf 'a\\tb\\n' | awk '/\\t/ { print \"tab\" }'").stdout).toBe('tab\n');
    expect(h.run("echo x | awk 'BEGIN { s = \"a\\nb\"; print match(s, /a.b/) }'").stdout).toBe('1\n');
  });

  test('gsub and empty matches, as mawk', () => {
    expect(h.run("echo xxa | awk '{ gsub(/x*/, \"-\"); print }'").stdout).toBe('-a-\n');
    expect(h.run("echo abc | awk '{ gsub(/x*/, \"-\"); print }'").stdout).toBe('-a-b-c-\n');
    expect(h.run("echo 'aXbXc' | awk '{ n = split($0, a, /X/); print n, a[3]; print match($0, /X+b/), RSTART, RLENGTH }'").stdout).toBe('3 c\n2 2 2\n');
    expect(h.run("echo 'hello' | awk '{ sub(/l+/, \"[&]\"); print }'").stdout).toBe('he[ll]o\n');
    expect(h.run("echo 'a1b22c' | awk -F '[0-9]+' '{ print $3 }'").stdout).toBe('c\n');
  });
});

describe('the engines', () => {
  test('everything without back-references runs on the linear engine', () => {
    const linear = ['(a+)+$', 'a|b|c', '\\<x', 'x\\>', '[[:digit:]]{3}', '^$', '(x*)*y', ''];
    for (const p of linear) expect([p, compilePosix(p, { extended: true }).engine]).toEqual([p, 'linear']);
    expect(compilePosix('(a)\\1', { extended: true }).engine).toBe('bounded');
    expect(() => compilePosix('(a', { extended: true })).toThrow(RegexError);
  });
});

describe('plain strings need no engine', () => {
  // the same string as a group is not a plain string any more, so re2js matches it: the reference
  const plain = (lit: string, ignoreCase: boolean) => compilePosix(lit, { extended: true, ignoreCase });
  const grouped = (lit: string, ignoreCase: boolean) => compilePosix(`(${lit})`, { extended: true, ignoreCase });

  test('a plain string is matched without re2js; anything more is not', () => {
    expect(plain('anon_vma', false).engine).toBe('literal');
    expect(plain('Out of memory', true).engine).toBe('literal');
    expect(grouped('anon_vma', false).engine).toBe('linear');
    expect(compilePosix('oom.killer', { extended: true }).engine).toBe('linear');
    // with -i, a string beyond ASCII is left to re2js's case folding
    expect(plain('µs', true).engine).toBe('linear');
    expect(plain('µs', false).engine).toBe('literal');
  });

  test('finds what re2js finds, where it finds it, with and without -i (the Kelvin sign and the long s fold into k and s)', () => {
    let seed = 12345;
    const next = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const alphabet = ['k', 'K', '\u212a', 's', 'S', '\u017f', 'a', 'A', ' ', '.', '\u00b5', '\ud83d\ude00'];
    const pick = (len: number) => Array.from({ length: len }, () => alphabet[next(alphabet.length)]!).join('');
    const pats = ['k', 'sK', 'a.', 'Ks a', 'ss', '\ud83d\ude00k'];
    let compared = 0;
    for (const lit of pats) {
      for (const ignoreCase of [false, true]) {
        const fast = plain(lit.replace('.', '\\.'), ignoreCase);
        const ref = grouped(lit.replace('.', '\\.'), ignoreCase);
        for (let i = 0; i < 150; i++) {
          const text = pick(next(14));
          const from = next(text.length + 1);
          expect([lit, ignoreCase, text, from, fast.test(text), fast.exec(text, from)]).toEqual([lit, ignoreCase, text, from, ref.test(text), ref.exec(text, from)]);
          compared++;
        }
      }
    }
    expect(compared).toBe(pats.length * 2 * 150);
  });

  test('a plain string charges the line its work as re2js does', () => {
    const charged = (re: (work: (n: number) => void) => { test(s: string): boolean; exec(s: string, from?: number): unknown }) => {
      let units = 0;
      const r = re((n) => (units += n));
      r.test('some text with a needle in it');
      r.exec('some text with a needle in it', 5);
      return units;
    };
    const fast = charged((work) => compilePosix('needle', { extended: true, work }));
    expect(fast).toBeGreaterThan(0);
    expect(fast).toBe(charged((work) => compilePosix('(needle)', { extended: true, work })));
  });

  test('grep with a plain string prints the same lines, -i, -o, -c and -w included', () => {
    const text = 'Kelvin \u212aelvin\nkelvin\nnone\nlong \u017fs SS\n';
    h.run(`printf '${text}' > /tmp/k`);
    expect(h.run('grep -i kelvin /tmp/k').stdout).toBe('Kelvin \u212aelvin\nkelvin\n');
    expect(h.run('grep -io kelvin /tmp/k').stdout).toBe('Kelvin\n\u212aelvin\nkelvin\n');
    expect(h.run('grep -c elvin /tmp/k').stdout).toBe('2\n');
    expect(h.run('grep -ic ss /tmp/k').stdout).toBe('1\n');
    expect(h.run('grep -w none /tmp/k').stdout).toBe('none\n');
  });
});

describe("the engine's own patterns (globs) are compiled once", () => {
  test('the same source gives the same compiled pattern, which matches as a new one would', () => {
    const a = linearFromSource('^sys[^/]*\\.log$');
    expect(a).not.toBeNull();
    expect(linearFromSource('^sys[^/]*\\.log$')).toBe(a);
    expect(linearFromSource('^sys[^/]*\\.log$', true)).not.toBe(a);
    expect([a!.test('syslog.log'), a!.test('syslog.1'), a!.test('kern.log')]).toEqual([true, false, false]);
    expect(linearFromSource('(')).toBeNull();
  });

  test('what is kept is bounded: neither a long source nor many sources stay in the process', () => {
    const long = `^${'x'.repeat(5000)}$`;
    expect(linearFromSource(long)).not.toBe(linearFromSource(long));
    const first = linearFromSource('^first$');
    for (let i = 0; i < 300; i++) linearFromSource(`^n${i}$`);
    expect(linearFromSource('^first$')).not.toBe(first);
  });
});

describe('requiredLiteral: a string every match holds, for grep to look for first', () => {
  const lit = (p: string, extended = false) => requiredLiteral(parsePosix(p, { extended }).node);
  test('the longest run of plain characters, across anchors, in groups and in repeats that happen', () => {
    expect(lit('Killed process')).toBe('Killed process');
    expect(lit('Killed proces[s]')).toBe('Killed proces');
    expect(lit('^Out of memory: Kill\\b')).toBe('Out of memory: Kill');
    expect(lit('a*\\(Killed\\)x')).toBe('Killed');
    expect(lit('(oom-killer)+ x', true)).toBe('oom-killer');
    expect(lit('[0-9]+ pages RAM$', true)).toBe(' pages RAM');
  });
  test('nothing from alternatives, optional parts, classes or back-references', () => {
    expect(lit('kill|oom', true)).toBe('');
    expect(lit('(killed)?', true)).toBe('');
    expect(lit('(killed)*x', true)).toBe('x');
    expect(lit('[Kk].[l]')).toBe('');
    expect(lit('\\(a\\)\\1')).toBe('a');
  });
  test('isLiteral: a pattern that is its string and nothing else', () => {
    expect(isLiteral(parsePosix('Killed process', { extended: false }).node)).toBe(true);
    expect(isLiteral(parsePosix('Killed proces[s]', { extended: false }).node)).toBe(false);
    expect(isLiteral(parsePosix('^Killed', { extended: false }).node)).toBe(false);
  });
});
