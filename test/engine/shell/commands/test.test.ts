import { harness } from '../fake-env';

/** status of a line, as `LINE; echo $?` prints it */
function status(line: string): string {
  return harness().run(`${line}; echo $?`).stdout;
}

describe('test and [', () => {
  test('file tests ask the filesystem', () => {
    expect(status('[ -e /home/ops/notes.txt ]')).toBe('0\n');
    expect(status('[ -f /home/ops/notes.txt ]')).toBe('0\n');
    expect(status('[ -d /home/ops/notes.txt ]')).toBe('1\n');
    expect(status('[ -d /home/ops ]')).toBe('0\n');
    expect(status('[ -e /nonexistent ]')).toBe('1\n');
    expect(status('test -s /home/ops/notes.txt')).toBe('0\n');
    expect(status('[ -L /home/ops/notes.txt ]')).toBe('1\n');
    expect(status('cd /home/ops && [ -f notes.txt ]')).toBe('0\n');
  });

  test("permission tests use the caller's rights", () => {
    expect(status('[ -r /root/secret ]')).toBe('1\n');
    expect(status('sudo [ -r /root/secret ]')).toBe('0\n');
    expect(status('[ -w /home/ops/notes.txt ]')).toBe('0\n');
    expect(status('[ -w /etc/passwd ]')).toBe('1\n');
    expect(status('[ -x /usr/local/bin/fix.sh ]')).toBe('0\n');
    expect(status('[ -x /home/ops/noexec.sh ]')).toBe('1\n');
    expect(status('sudo test -x /home/ops/noexec.sh')).toBe('1\n');
    expect(status('[ -x /usr/sbin/anacron ]')).toBe('1\n');
  });

  test('strings and numbers', () => {
    expect(status('[ abc ]')).toBe('0\n');
    expect(status('[ "" ]')).toBe('1\n');
    expect(status('[ ]')).toBe('1\n');
    expect(status('[ -n "" ]')).toBe('1\n');
    expect(status('[ -z "" ]')).toBe('0\n');
    expect(status('[ -n ]')).toBe('0\n');
    expect(status('[ a = a ]')).toBe('0\n');
    expect(status('[ a != a ]')).toBe('1\n');
    expect(status('[ 10 -gt 9 ]')).toBe('0\n');
    expect(status('[ 10 -lt 9 ]')).toBe('1\n');
    expect(status('[ -3 -le -3 ]')).toBe('0\n');
    expect(status('[ 007 -eq 7 ]')).toBe('0\n');
    expect(status('[ 1 -ne 1 ]')).toBe('1\n');
    expect(status('[ 2 -ge 3 ]')).toBe('1\n');
  });

  test('! -a -o and parentheses', () => {
    expect(status('[ ! -e /nonexistent ]')).toBe('0\n');
    expect(status('[ -d /root -a -e /nonexistent ]')).toBe('1\n');
    expect(status('[ -d /root -o -e /nonexistent ]')).toBe('0\n');
    expect(status('[ ! -d /root -o 1 -eq 1 ]')).toBe('0\n');
    expect(status('[ \\( 1 -eq 2 \\) -o \\( 2 -eq 2 \\) ]')).toBe('0\n');
    expect(status('test ! \\( 1 -eq 1 \\)')).toBe('1\n');
  });

  test("bash's complaints, status 2", () => {
    const h = harness();
    expect(h.run('[ a = a')).toMatchObject({ stderr: "bash: [: missing `]'\n", code: 2 });
    expect(h.run('[ 1 -lt foo ]')).toMatchObject({ stderr: 'bash: [: foo: integer expression expected\n', code: 2 });
    expect(h.run('test foo -eq 1')).toMatchObject({ stderr: 'bash: test: foo: integer expression expected\n', code: 2 });
    expect(h.run('[ a b ]')).toMatchObject({ stderr: 'bash: [: a: unary operator expected\n', code: 2 });
    expect(h.run('[ a b c ]')).toMatchObject({ stderr: 'bash: [: b: binary operator expected\n', code: 2 });
    expect(h.run('[ a = b c d ]')).toMatchObject({ stderr: 'bash: [: too many arguments\n', code: 2 });
  });

  test("dash's complaints under sh -c", () => {
    const h = harness();
    expect(h.run("sh -c '[ a = a'")).toMatchObject({ stderr: 'sh: 1: [: missing ]\n', code: 2 });
    expect(h.run("sh -c '[ 1 -lt foo ]'")).toMatchObject({ stderr: 'sh: 1: [: Illegal number: foo\n', code: 2 });
    // dash has no ==: the famous complaint names the word before it
    expect(h.run("sh -c '[ a == a ]'")).toMatchObject({ stderr: 'sh: 1: [: a: unexpected operator\n', code: 2 });
    expect(h.run("sh -c '[ a = b c ]'")).toMatchObject({ stderr: 'sh: 1: [: b: unexpected operator\n', code: 2 });
    expect(h.run("sh -c '[ -n ]; echo $?; [ ! -e /nonexistent ]; echo $?; [ -d /root -a ! -e /x ]; echo $?; [ \\( a = b \\) -o 1 -eq 1 ]; echo $?'").stdout).toBe('0\n0\n0\n0\n');
    expect(h.run("sh -c '[ 1 -eq \"1 \" ]'")).toMatchObject({ stderr: 'sh: 1: [: Illegal number: 1 \n', code: 2 });
    expect(h.run("sh -c '[ -f ]; echo $?; [ -f = -f ]; echo $?; [ x -a ]; echo $?; [ a = ]'")).toMatchObject({ stdout: '0\n0\n1\n', stderr: 'sh: 1: [: =: argument expected\n' });
    expect(h.run('[ a = ]').stderr).toBe('bash: [: a: unary operator expected\n');
    expect(h.run("bash -c '[ 1 -lt foo ]'")).toMatchObject({ stderr: 'bash: [: foo: integer expression expected\n', code: 2 });
  });

  test('in if and ||, as scripts use it', () => {
    const h = harness();
    expect(h.run('if [ -d /root ]; then echo dir; else echo no; fi').stdout).toBe('dir\n');
    expect(h.run('[ -x /usr/sbin/logrotate ] || echo missing').stdout).toBe('missing\n');
  });
});
