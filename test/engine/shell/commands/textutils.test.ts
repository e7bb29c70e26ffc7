import { harness, type Harness } from '../fake-env';

let h: Harness;
beforeEach(() => {
  h = harness();
  const file = (content: string) => ({ content, mode: 0o644, owner: 'ops', group: 'ops', mtime: 0 });
  h.store.files['/home/ops/ps.txt'] = file(
    [
      'USER       PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND',
      'root         1  0.0  0.1  33640  2960 ?        Ss   Nov20   0:01 /sbin/init',
      'nsd       1200  2.5 12.0 412000 98000 ?        Sl   Nov20  10:02 /usr/sbin/nsd',
      'ops       2714  0.0  0.2  21000  4100 pts/0    Ss   18:00   0:00 -bash',
      'syslog     312  0.1  0.5 255000  9000 ?        Ssl  Nov20   1:00 rsyslogd',
    ].join('\n') + '\n',
  );
  h.store.files['/home/ops/sizes.txt'] = file('1.5G\n200M\n3K\n10\n1G\n');
  h.store.files['/home/ops/words.txt'] = file('b\na\nB\nA\n_a\nc\na\n');
  h.store.files['/home/ops/nonl.txt'] = file('one\ntwo');
});
const run = (line: string) => h.run(line);
const out = (line: string) => h.run(line).stdout;

describe('echo and printf', () => {
  test('echo', () => {
    expect(out('echo -n a b')).toBe('a b');
    expect(out('echo -e "x\\ty\\c tail"')).toBe('x\ty');
    expect(out('echo -E "a\\tb"')).toBe('a\\tb\n');
    expect(out('echo -x')).toBe('-x\n');
    expect(out('echo -- a')).toBe('-- a\n');
    expect(out('echo')).toBe('\n');
  });
  test('printf', () => {
    expect(out("printf '%s-%s\\n' a b c")).toBe('a-b\nc-\n');
    expect(out("printf '%d|%5d|%-5d|%05d\\n' 42 42 42 42")).toBe('42|   42|42   |00042\n');
    expect(out("printf '%.2f %e %g %x %o %c %%\\n' 3.14159 1234.5 0.0001 255 8 hello")).toBe('3.14 1.234500e+03 0.0001 ff 10 h %\n');
    expect(out("printf 'no newline'")).toBe('no newline');
    expect(run("printf '%d\\n' abc")).toMatchObject({ stdout: '0\n', stderr: 'bash: printf: abc: invalid number\n', code: 1 });
    expect(run('printf').stderr).toBe('bash: printf: usage: printf [-v var] format [arguments]\n');
  });
  // expected outputs are what bash printed for the same line
  test('printf rounds like glibc: ties to even, on the long double bash reads', () => {
    expect(out("printf '%.2f %.1f %.0f %.0f %e %g %g\\n' 0.125 0.25 0.5 2.5 12345.678 0.0001 100000000")).toBe('0.12 0.2 0 2 1.234568e+04 0.0001 1e+08\n');
    expect(out("printf '%.3f %.20f %.3f\\n' 0.0005 2.675 0.0015")).toBe('0.000 2.67499999999999999996 0.001\n');
    expect(out("printf '%f\\n' 010 0x1f inf")).toBe('10.000000\n31.000000\ninf\n');
    expect(run("printf '%f\\n' 1.5abc")).toMatchObject({ stdout: '1.500000\n', stderr: 'bash: printf: 1.5abc: invalid number\n', code: 1 });
  });
});

describe('cat', () => {
  test('files, stdin, -n and errors', () => {
    expect(out('cat notes.txt - nonl.txt <<< mid')).toBe('alpha\nbeta\ngamma\nmid\none\ntwo');
    expect(out('cat -n nonl.txt notes.txt')).toBe('     1\tone\n     2\ttwoalpha\n     3\tbeta\n     4\tgamma\n');
    expect(run('cat nope /tmp')).toMatchObject({ stderr: 'cat: nope: No such file or directory\ncat: /tmp: Is a directory\n', code: 1 });
    expect(run('cat -z')).toMatchObject({ stderr: "cat: invalid option -- 'z'\nTry 'cat --help' for more information.\n", code: 1 });
  });
});

describe('grep', () => {
  test('basic selection and exit codes', () => {
    expect(run('grep nsd ps.txt')).toMatchObject({ stdout: 'nsd       1200  2.5 12.0 412000 98000 ?        Sl   Nov20  10:02 /usr/sbin/nsd\n', code: 0 });
    expect(run('grep zzz ps.txt')).toMatchObject({ stdout: '', code: 1 });
    expect(run('grep nsd nope')).toMatchObject({ stderr: 'grep: nope: No such file or directory\n', code: 2 });
    expect(run('grep -s nsd nope')).toMatchObject({ stderr: '', code: 2 });
    expect(run('grep')).toMatchObject({ stderr: "Usage: grep [OPTION]... PATTERN [FILE]...\nTry 'grep --help' for more information.\n", code: 2 });
    expect(run('grep -Z x').stderr).toBe("grep: invalid option -- 'Z'\nUsage: grep [OPTION]... PATTERN [FILE]...\nTry 'grep --help' for more information.\n");
  });
  test('-i -v -c -n -o -w -x -l -h -H -m -q', () => {
    expect(out('grep -i ROOT ps.txt | cut -c1-4')).toBe('root\n');
    expect(out('grep -vc Nov20 ps.txt')).toBe('2\n');
    expect(out('grep -n a notes.txt')).toBe('1:alpha\n2:beta\n3:gamma\n');
    // text files read the same with binary read as text (-a, --text) or passed over (-I)
    for (const flag of ['-a', '--text', '-I']) expect(run(`grep ${flag} -n a notes.txt`)).toMatchObject({ stdout: '1:alpha\n2:beta\n3:gamma\n', code: 0 });
    expect(out('grep -o "a[a-z]" notes.txt')).toBe('al\nam\n');
    expect(out('grep -on "m" notes.txt')).toBe('3:m\n3:m\n');
    expect(out('grep -w a words.txt')).toBe('a\na\n');
    expect(out('grep -x -i a words.txt')).toBe('a\nA\na\n');
    expect(out('grep -c a notes.txt words.txt')).toBe('notes.txt:3\nwords.txt:3\n');
    expect(out('grep -l beta notes.txt words.txt nonl.txt')).toBe('notes.txt\n');
    expect(out('grep -h beta notes.txt words.txt')).toBe('beta\n');
    expect(out('grep -H beta notes.txt')).toBe('notes.txt:beta\n');
    expect(out('grep -m1 a notes.txt')).toBe('alpha\n');
    expect(run('grep -q alpha notes.txt')).toMatchObject({ stdout: '', code: 0 });
    expect(out('cat notes.txt | grep -H gamma')).toBe('(standard input):gamma\n');
  });
  test('context -A -B -C with group separators', () => {
    h.store.files['/tmp/ctx'] = { content: '1\n2\nx\n4\n5\n6\n7\nx\n9\n', mode: 0o644, owner: 'ops', group: 'ops', mtime: 0 };
    expect(out('grep -A1 x /tmp/ctx')).toBe('x\n4\n--\nx\n9\n');
    expect(out('grep -B1 -n x /tmp/ctx')).toBe('2-2\n3:x\n--\n7-7\n8:x\n');
    expect(out('grep -C3 x /tmp/ctx')).toBe('1\n2\nx\n4\n5\n6\n7\nx\n9\n');
    expect(run('grep -A z x /tmp/ctx').stderr).toBe('grep: z: invalid context length argument\n');
  });
  test('basic vs extended regular expressions', () => {
    expect(out("grep 'al\\|ga' notes.txt")).toBe('alpha\ngamma\n');
    expect(out("grep 'al|ga' notes.txt")).toBe('');
    expect(out("grep -E 'al|ga' notes.txt")).toBe('alpha\ngamma\n');
    expect(out("grep 'm\\{2\\}' notes.txt")).toBe('gamma\n');
    expect(out("grep -E 'm{2}' notes.txt")).toBe('gamma\n');
    expect(out("echo 'a+b' | grep 'a+b'")).toBe('a+b\n');
    expect(out("echo 'aab' | grep -E 'a+b'")).toBe('aab\n');
    expect(out("echo '(x)' | grep '(x)'")).toBe('(x)\n');
    expect(out("grep '^[[:digit:]]' sizes.txt | wc -l")).toBe('5\n');
    expect(out("grep -F '1.5' sizes.txt")).toBe('1.5G\n');
    expect(out("grep '*a' words.txt")).toBe('');
    expect(out("grep -e b -e c words.txt")).toBe('b\nc\n');
    expect(run("grep '[a' notes.txt")).toMatchObject({ stderr: 'grep: Unmatched [ or [^\n', code: 2 });
    expect(run("grep -E '(a' notes.txt")).toMatchObject({ stderr: 'grep: Unmatched ( or \\(\n', code: 2 });
    expect(run("grep 'a\\' notes.txt").stderr).toBe('grep: Trailing backslash\n');
  });
  test('-r walks directories', () => {
    expect(out('grep -r beta /home/ops')).toBe('/home/ops/notes.txt:beta\n');
  });
});

describe('head and tail', () => {
  test('head', () => {
    expect(out('seq 20 | head -n 3')).toBe('1\n2\n3\n');
    expect(out('seq 20 | head -3')).toBe('1\n2\n3\n');
    expect(out('seq 5 | head -n -3')).toBe('1\n2\n');
    expect(out('seq 12 | head | wc -l')).toBe('10\n');
    expect(out('head -c 3 notes.txt')).toBe('alp');
    expect(out('head -n1 notes.txt nonl.txt')).toBe('==> notes.txt <==\nalpha\n\n==> nonl.txt <==\none\n');
    expect(run('head -n x notes.txt')).toMatchObject({ stderr: "head: invalid number of lines: 'x'\n", code: 1 });
    expect(run('head nope').stderr).toBe("head: cannot open 'nope' for reading: No such file or directory\n");
  });
  test('tail', () => {
    expect(out('seq 20 | tail -n 2')).toBe('19\n20\n');
    expect(out('seq 20 | tail -2')).toBe('19\n20\n');
    expect(out('seq 5 | tail -n +4')).toBe('4\n5\n');
    expect(out('tail -n 1 nonl.txt')).toBe('two');
    expect(out('tail -c 4 notes.txt')).toBe('mma\n');
    expect(run('tail -n abc notes.txt').stderr).toBe("tail: invalid number of lines: 'abc'\n");
    expect(run('tail -f /var/log/syslog').stderr).toMatch(/^tail: following a file is not possible/);
  });
});

describe('wc', () => {
  test('counts and the widths coreutils uses', () => {
    expect(out('wc -l notes.txt')).toBe('3 notes.txt\n');
    expect(out('wc notes.txt')).toBe(' 3  3 17 notes.txt\n');
    expect(out('cat notes.txt | wc -l')).toBe('3\n');
    expect(out('cat notes.txt | wc')).toBe('      3       3      17\n');
    expect(out('wc -lw notes.txt')).toBe(' 3  3 notes.txt\n');
    expect(out('wc -c nonl.txt')).toBe('7 nonl.txt\n');
    expect(out('wc -l nonl.txt notes.txt')).toBe(' 1 nonl.txt\n 3 notes.txt\n 4 total\n');
    expect(out("printf 'a b\\tc\\n  d' | wc -w")).toBe('4\n');
    expect(out("echo 'héllo' | wc -c -m")).toBe('      6       7\n');
    expect(run('wc nope').stderr).toBe('wc: nope: No such file or directory\n');
  });
});

describe('sort', () => {
  test('text in the en_US order, and in C order', () => {
    expect(out('sort words.txt')).toBe('a\na\n_a\nA\nb\nB\nc\n');
    expect(out('LC_ALL=C sort words.txt')).toBe('A\nB\n_a\na\na\nb\nc\n');
    expect(out('sort -u words.txt | LC_ALL=C sort')).toBe('A\nB\n_a\na\nb\nc\n');
    expect(out('sort -r notes.txt')).toBe('gamma\nbeta\nalpha\n');
  });
  test('numeric, human, keys and separators', () => {
    expect(out('printf "10\\n9\\n-1\\n2.5\\nx\\n" | sort -n')).toBe('-1\nx\n2.5\n9\n10\n');
    expect(out('sort -h sizes.txt')).toBe('10\n3K\n200M\n1G\n1.5G\n');
    expect(out('sort -k2 -n ps.txt | tail -n +2 | cut -c1-10')).toBe('root      \nsyslog    \nnsd       \nops       \n');
    expect(out('tail -n +2 ps.txt | sort -k4,4nr | awk \'{print $2}\'')).toBe('1200\n312\n2714\n1\n');
    expect(out('sort -t: -k3,3n /etc/passwd | cut -d: -f1')).toBe('root\nnsd\nops\n');
    expect(out('printf "b 1\\na 1\\n" | sort -k2,2 -s')).toBe('b 1\na 1\n');
    expect(out('printf "b 1\\na 1\\n" | sort -k2,2')).toBe('a 1\nb 1\n');
    expect(out('printf "3\\n1\\n3\\n" | sort -nu')).toBe('1\n3\n');
    expect(run('sort nope')).toMatchObject({ stderr: 'sort: open failed: nope: No such file or directory\n', code: 2 });
    expect(run('sort -t ab x').stderr).toBe("sort: multi-character tab 'ab'\n");
    expect(run('sort -k 0 x').stderr).toBe("sort: field number is zero: invalid field specification '0'\nTry 'sort --help' for more information.\n");
  });
});

describe('uniq, cut, tr', () => {
  test('uniq', () => {
    expect(out('sort words.txt | uniq')).toBe('a\n_a\nA\nb\nB\nc\n');
    expect(out('printf "x\\nx\\ny\\nx\\n" | uniq -c')).toBe('      2 x\n      1 y\n      1 x\n');
    expect(out('printf "x\\nx\\ny\\n" | uniq -d')).toBe('x\n');
    expect(out('printf "x\\nx\\ny\\n" | uniq -u')).toBe('y\n');
    expect(out('printf "a\\nA\\n" | uniq -i')).toBe('a\n');
    expect(out('cut -d: -f7 /etc/passwd | sort | uniq -c | sort -rn')).toBe('      2 /bin/bash\n      1 /bin/false\n');
  });
  test('cut', () => {
    expect(out('cut -d: -f1,3 /etc/passwd')).toBe('root:0\nops:1000\nnsd:107\n');
    expect(out('cut -d: -f3- /etc/group | head -1')).toBe('0:\n');
    expect(out('cut -c1-3,5 notes.txt')).toBe('alpa\nbet\ngama\n');
    expect(out('echo "a b" | cut -f2')).toBe('a b\n');
    expect(out('echo "a b" | cut -s -f2')).toBe('');
    expect(out("printf 'a\\tb\\tc\\n' | cut -f2")).toBe('b\n');
    expect(out('echo a:b:c | cut -d: -f1,3 --output-delimiter=/')).toBe('a/c\n');
    expect(run('cut notes.txt').stderr).toBe("cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.\n");
    expect(run('cut -d ab -f1 notes.txt').stderr).toBe("cut: the delimiter must be a single character\nTry 'cut --help' for more information.\n");
    expect(run('cut -f0 notes.txt').stderr).toBe("cut: fields are numbered from 1\nTry 'cut --help' for more information.\n");
  });
  test('tr', () => {
    expect(out('echo Hello | tr a-z A-Z')).toBe('HELLO\n');
    expect(out("echo Hello | tr '[:upper:]' '[:lower:]'")).toBe('hello\n');
    expect(out('echo hello | tr -d l')).toBe('heo\n');
    expect(out("echo 'a   b  c' | tr -s ' '")).toBe('a b c\n');
    expect(out("echo abc123 | tr -cd '0-9'")).toBe('123');
    expect(out("echo a:b | tr : '\\n'")).toBe('a\nb\n');
    expect(out('echo abc | tr abc x')).toBe('xxx\n');
    expect(run('tr a').stderr).toBe("tr: missing operand after 'a'\nTwo strings must be given when translating.\nTry 'tr --help' for more information.\n");
  });
});

describe('awk', () => {
  test('fields, patterns, sums', () => {
    expect(out("awk '{print $2}' ps.txt | head -3")).toBe('PID\n1\n1200\n');
    expect(out("awk 'NR > 1 && $3 > 1 {print $1, $NF}' ps.txt")).toBe('nsd /usr/sbin/nsd\n');
    expect(out("awk 'NR > 1 {sum += $6} END {print sum}' ps.txt")).toBe('114060\n');
    expect(out("awk '/nsd/' ps.txt | wc -l")).toBe('1\n');
    expect(out("awk -F: '$1 == \"ops\" {print $6}' /etc/passwd")).toBe('/home/ops\n');
    expect(out("awk -F: '{print NF; exit}' /etc/passwd")).toBe('7\n');
    expect(out("echo '3 4' | awk '{print $1 * $2, $1 / $2, $1 $2}'")).toBe('12 0.75 34\n');
    expect(out("awk 'END {print NR}' notes.txt")).toBe('3\n');
    expect(out("awk '$1 ~ /^s/ {print $2}' ps.txt")).toBe('312\n');
    expect(out("awk '{n[$1]++} END {for (k in n) print k, n[k]}' words.txt | sort")).toBe('_a 1\nA 1\na 2\nb 1\nB 1\nc 1\n');
    expect(out("awk 'BEGIN {printf \"%-5s|%3d\\n\", \"ab\", 7}'")).toBe('ab   |  7\n');
    expect(out("echo 'a b c' | awk '{$2 = \"X\"; print; print NF}'")).toBe('a X c\n3\n');
    expect(out("echo 'Hello' | awk '{print length($0), toupper($1), substr($1, 2, 3)}'")).toBe('5 HELLO ell\n');
    expect(out("echo 'a-b-c' | awk '{n = split($0, p, \"-\"); gsub(/-/, \"+\"); print n, p[3], $0}'")).toBe('3 c a+b+c\n');
    expect(out("awk -v x=5 'BEGIN {print x + 1}'")).toBe('6\n');
    expect(out("seq 10 | awk '$1 % 2 == 0 {next} {print}' | wc -l")).toBe('5\n');
    expect(out("awk 'BEGIN {print 1/3}'")).toBe('0.333333\n');
    // expected outputs are what mawk printed for the same programs
    expect(out("awk 'BEGIN{printf \"%.2f %.1f\\n\", 0.125, 0.25; print 0.1+0.2, 1e6, 1e16, 123456789}'")).toBe('0.12 0.2\n0.3 1000000 1e+16 123456789\n');
    expect(out("awk 'BEGIN{printf \"%.3f %.20f %.3f\\n\", 0.0005, 2.675, 0.0015}'")).toBe('0.001 2.67499999999999982236 0.002\n');
    expect(out("awk 'BEGIN{OFMT = \"%.2f\"; print 2.675, 0.125, 3}'")).toBe('2.67 0.12 3\n');
    expect(out("awk 'BEGIN { for (i = 0; i < 3; i++) s = s i; print s }'")).toBe('012\n');
  });
  test('errors and the unsupported', () => {
    expect(run("awk '{print $1'")).toMatchObject({ stderr: 'awk: line 1: syntax error at or near end of file\n', code: 2 });
    expect(run("awk 'function f(x) {return x} {print f(1)}'").stderr).toBe("awk: line 1: this world's awk does not know user-defined functions (see man awk)\n");
    expect(run("awk '{getline; print}'").stderr).toBe("awk: line 1: this world's awk does not know getline (see man awk)\n");
    expect(run("awk 'BEGIN {print 1/0}'")).toMatchObject({ stderr: 'awk: run time error: division by zero\n', code: 2 });
    expect(run("awk '{print}' nope")).toMatchObject({ stderr: 'awk: cannot open nope (No such file or directory)\n', code: 2 });
    expect(run('awk').code).toBe(2);
    expect(run("awk 'BEGIN {while (1) x++}'").stderr).toBe('awk: run time error: program ran too long for this world, stopped\n');
  });
});

describe('tee and seq', () => {
  test('tee', () => {
    expect(out('echo hi | tee /tmp/a /tmp/b')).toBe('hi\n');
    expect(h.store.files['/tmp/a'].content).toBe('hi\n');
    out('echo again | tee -a /tmp/a');
    expect(h.store.files['/tmp/a'].content).toBe('hi\nagain\n');
    expect(run('echo x | tee /etc/passwd')).toMatchObject({ stdout: 'x\n', stderr: 'tee: /etc/passwd: Permission denied\n', code: 1 });
  });
  test('seq', () => {
    expect(out('seq 3')).toBe('1\n2\n3\n');
    expect(out('seq 2 4')).toBe('2\n3\n4\n');
    expect(out('seq 10 -3 1')).toBe('10\n7\n4\n1\n');
    expect(out('seq -s, 3')).toBe('1,2,3\n');
    expect(out('seq 0.1 0.1 0.3')).toBe('0.1\n0.2\n0.3\n');
    expect(out('seq -2 0')).toBe('-2\n-1\n0\n');
    expect(out('seq 5 1')).toBe('');
    expect(run('seq x').stderr).toBe("seq: invalid floating point argument: 'x'\nTry 'seq --help' for more information.\n");
    expect(run('seq').stderr).toBe("seq: missing operand\nTry 'seq --help' for more information.\n");
  });
});

describe('ls and friends', () => {
  test('ls', () => {
    expect(out('ls /home/ops | head -3')).toBe('noexec.sh\nnonl.txt\nnotes.txt\n');
    expect(out('ls -a /home/ops | head -3')).toBe('.\n..\n.bashrc\n');
    expect(out('ls /proc')).toBe('1  1200  2714  312  meminfo  slabinfo  sys\n');
    expect(out('ls /proc | wc -l')).toBe('7\n');
    expect(out('ls -l /proc/sys/vm')).toBe('total 0\n--w------- 1 root root 0 Nov 26 18:23 drop_caches\n');
    expect(out('ls -ld /tmp')).toMatch(/^drwxrwxrwt 2 root root 4096 /);
    expect(out('ls -lh /etc/passwd')).toBe('-rw-r--r-- 1 root root 114 Nov 26 17:23 /etc/passwd\n');
    expect(run('ls /nope')).toMatchObject({ stderr: 'ls: cannot access /nope: No such file or directory\n', code: 2 });
    expect(run('ls /root')).toMatchObject({ stderr: 'ls: cannot open directory /root: Permission denied\n', code: 2 });
    expect(out('ls notes.txt /var')).toBe('notes.txt\n\n/var:\nempty  log\n');
    expect(out('ls notes.txt /var | cat')).toBe('notes.txt\n\n/var:\nempty\nlog\n');
  });
  test('ls -R lists each directory and then the ones under it, depth first, with a header each; one it cannot open is said so and passed', () => {
    h.run('mkdir -p t/a/deep t/b; touch t/a/x t/f; mkdir t/locked; chmod 000 t/locked');
    expect(run('ls -R1 t')).toMatchObject({
      stdout: 't:\na\nb\nf\nlocked\n\nt/a:\ndeep\nx\n\nt/a/deep:\n\nt/b:\n',
      stderr: 'ls: cannot open directory t/locked: Permission denied\n',
      code: 2,
    });
    expect(out('ls -lR t/a | cat')).toMatch(/^t\/a:\ntotal 4\ndrwxrwxr-x 2 ops ops 4096 .* deep\n-rw-rw-r-- 1 ops ops +0 .* x\n\nt\/a\/deep:\ntotal 0\n$/);
    expect(out('cd t/a; ls -R')).toBe('.:\ndeep  x\n\n./deep:\n');
  });
  test('whoami, id, hostname, pwd', () => {
    expect(out('whoami')).toBe('ops\n');
    expect(out('id')).toBe('uid=1000(ops) gid=1000(ops) groups=1000(ops),4(adm),27(sudo)\n');
    expect(out('id -un; id -u; id -Gn')).toBe('ops\n1000\nops adm sudo\n');
    expect(out('sudo id')).toBe('uid=0(root) gid=0(root) groups=0(root)\n');
    expect(run('id nobody').stderr).toBe('id: nobody: no such user\n');
    expect(out('hostname')).toBe('ns2\n');
    expect(out('pwd')).toBe('/home/ops\n');
  });
  test('man, help, which, type, pagers, watch, clear', () => {
    expect(out('man grep')).toMatch(/^NAME\n {7}grep - print lines that match a pattern\n\nSYNOPSIS\n/);
    expect(out('man 1 grep')).toMatch(/^NAME/);
    expect(run('man nope')).toMatchObject({ stderr: 'No manual entry for nope\n', code: 16 });
    expect(run('man').stderr).toBe('What manual page do you want?\n');
    expect(out('help')).toMatch(/Memory:\n {2}slabtop +show kernel slab caches\n/);
    expect(out('help sort')).toBe('sort - sort lines of text\n    sort [-nrhgfbsu] [-t SEP] [-k FIELD[,FIELD]]... [FILE]...\n');
    expect(run('help nope').stderr).toBe("bash: help: no help topics match `nope'.  Try `help help' or `man -k nope' or `info nope'.\n");
    expect(run('which ls slabtop cd')).toMatchObject({ stdout: '/bin/ls\n/usr/bin/slabtop\n', code: 1 });
    expect(out('type cd echo free for 2>&1')).toBe('cd is a shell builtin\necho is a shell builtin\nbash: type: free: not found\nfor is a shell keyword\n');
    expect(out('less notes.txt | wc -l')).toBe('3\n');
    expect(out('cat notes.txt | more')).toBe('alpha\nbeta\ngamma\n');
    expect(run('less nope').stderr).toBe('nope: No such file or directory\n');
    expect(run('watch free').stderr).toMatch(/^watch: this terminal cannot redraw in place.*sleep 2; free'\n$/);
    expect(run('clear')).toMatchObject({ stdout: '', stderr: '', code: 0 });
  });
  test('every generic command has a man page with the required sections and a summary', () => {
    for (const name of h.env.commands.names()) {
      const spec = h.env.commands.get(name)!;
      expect(spec.summary.length).toBeGreaterThan(0);
      if (['slabtop', 'kill', 'noisy', 'boom'].includes(name)) continue;
      for (const section of ['NAME', 'SYNOPSIS', 'DESCRIPTION']) expect(spec.man).toContain(`${section}\n`);
    }
  });
});

test('every generic command documents examples, and options where it takes them', () => {
  const hh = harness();
  const generic = hh.env.commands.names().filter((n) => !['slabtop', 'kill', 'noisy', 'boom'].includes(n));
  for (const name of generic) {
    const man = hh.env.commands.get(name)!.man;
    expect([name, man.includes('EXAMPLES\n')]).toEqual([name, true]);
    if (/\[-/.test(man.split('DESCRIPTION')[0])) expect([name, man.includes('OPTIONS\n')]).toEqual([name, true]);
  }
});
