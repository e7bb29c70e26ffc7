import { parse } from '../../../engine/shell/parse';
import type { SimpleCommand } from '../../../engine/shell/ast';
import { harness } from './fake-env';

/** the argv a line expands to, via echo-free inspection: runs `printf '[%s]'` on the words */
function words(line: string): string {
  const h = harness();
  h.run('export EMPTY= SPACED="a  b"');
  return h.run(`printf '[%s]' ${line}`).stdout;
}

describe('parser', () => {
  test('plain words, pipes and lists', () => {
    const r = parse('ls -l /proc | grep 1 && echo ok; echo done');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.script.items).toHaveLength(2);
    expect(r.script.items[0].first.commands).toHaveLength(2);
    expect(r.script.items[0].rest[0].op).toBe('&&');
  });

  test('assignments and redirections are recognised', () => {
    const r = parse('X=1 Y=2 cmd a 2>&1 >out <in');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const c = r.script.items[0].first.commands[0] as SimpleCommand;
    expect(c.assigns.map((a) => a.name)).toEqual(['X', 'Y']);
    expect(c.words).toHaveLength(2);
    expect(c.redirs.map((x) => [x.fd, x.op])).toEqual([
      [2, '>&'],
      [1, '>'],
      [0, '<'],
    ]);
  });

  test('a digit glued to a word is not a file descriptor', () => {
    const r = parse('echo a2>/dev/null 2>x');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const c = r.script.items[0].first.commands[0] as SimpleCommand;
    expect(c.words).toEqual([[{ t: 'lit', v: 'echo', q: false }], [{ t: 'lit', v: 'a2', q: false }]]);
    expect(c.redirs.map((x) => x.fd)).toEqual([1, 2]);
  });

  test('quotes and escapes', () => {
    expect(words(`'a b' "c d" e\\ f`)).toBe('[a b][c d][e f]');
    expect(words(`'$HOME' "\\$HOME" \\$HOME`)).toBe('[$HOME][$HOME][$HOME]');
    expect(words(`"a\\"b" 'it'"'"'s'`)).toBe(`[a"b][it's]`);
    expect(words(`"back\\\\slash" "keep\\n"`)).toBe('[back\\slash][keep\\n]');
    expect(words(`$'tab\\there'`)).toBe('[tab\there]');
    expect(words(`"" ''`)).toBe('[][]');
  });

  test('variables, defaults, lengths and special parameters', () => {
    expect(words('$HOME ${HOME}/x ${NOPE:-dflt} ${#HOME}')).toBe('[/home/ops][/home/ops/x][dflt][9]');
    expect(words('$EMPTY')).toBe('[]');
    expect(words('"$EMPTY"')).toBe('[]');
    expect(words('$SPACED "$SPACED"')).toBe('[a][b][a  b]');
    expect(words('$? $$')).toBe('[0][2714]');
    expect(words('price\\$5 $ $.')).toBe('[price$5][$][$.]');
  });

  test('command substitution, nested, and backquotes', () => {
    expect(words('$(echo a b) "$(echo a b)"')).toBe('[a][b][a b]');
    expect(words('$(echo $(echo deep))')).toBe('[deep]');
    expect(words('`echo back`x')).toBe('[backx]');
    expect(words('"$(printf \'x\\n\\n\\n\')"')).toBe('[x]');
  });

  test('tilde, braces and arithmetic', () => {
    expect(words('~ ~/x ~root "~"')).toBe('[/home/ops][/home/ops/x][/root][~]');
    expect(words('{a,b}{1..2} {x} "{a,b}"')).toBe('[a1][a2][b1][b2][{x}][{a,b}]');
    expect(words('$((2 + 3 * 4)) $(( (1+1) ** 3 ))')).toBe('[14][8]');
  });

  test('comments', () => {
    const h = harness();
    expect(h.run('echo a # b c').stdout).toBe('a\n');
    expect(h.run('echo a#b').stdout).toBe('a#b\n');
    expect(h.run('# only a comment').output).toEqual([]);
  });

  test('for loops over words, $(seq) and braces', () => {
    const h = harness();
    expect(h.run('for i in 1 2 3; do echo $i; done').stdout).toBe('1\n2\n3\n');
    expect(h.run('for i in $(seq 500); do echo $i; done | tail -n 1').stdout).toBe('500\n');
    expect(h.run('for f in {a..c}; do printf $f; done').stdout).toBe('abc');
    expect(h.run('for x in a b\ndo echo $x\ndone').stdout).toBe('a\nb\n');
    // the loop variable outlives the loop, except in a pipeline stage (a subshell)
    expect(h.run('echo $i $f').stdout).toBe('3 c\n');
  });

  test('repeat', () => {
    const h = harness();
    expect(h.run('repeat 3 echo hi').stdout).toBe('hi\nhi\nhi\n');
    expect(h.run('repeat x echo hi').stderr).toBe('repeat: x: N must be a whole number from 1 to 10000\n');
    expect(h.run('repeat 2').stderr).toBe('repeat: usage: repeat N COMMAND [ARG]...\n');
  });
});

describe('syntax errors look like bash', () => {
  const cases: [string, string][] = [
    ['| ls', "bash: syntax error near unexpected token `|'\n"],
    ['ls | | wc', "bash: syntax error near unexpected token `|'\n"],
    ['ls && && ls', "bash: syntax error near unexpected token `&&'\n"],
    ['ls ;;', "bash: syntax error near unexpected token `;;'\n"],
    ['; ls', "bash: syntax error near unexpected token `;'\n"],
    ['echo >', "bash: syntax error near unexpected token `newline'\n"],
    ['echo > |', "bash: syntax error near unexpected token `|'\n"],
    [')', "bash: syntax error near unexpected token `)'\n"],
    ['done', "bash: syntax error near unexpected token `done'\n"],
    ['for x in 1 2; echo $x; done', "bash: syntax error near unexpected token `echo'\n"],
    ['for x in 1; do done', "bash: syntax error near unexpected token `done'\n"],
    ['ls |', 'bash: syntax error: unexpected end of file\n'],
    ['for i in 1 2', 'bash: syntax error: unexpected end of file\n'],
    ["echo 'abc", "bash: unexpected EOF while looking for matching `''\nbash: syntax error: unexpected end of file\n"],
    ['echo "abc', 'bash: unexpected EOF while looking for matching `"\'\nbash: syntax error: unexpected end of file\n'],
    ['echo $(ls', "bash: unexpected EOF while looking for matching `)'\nbash: syntax error: unexpected end of file\n"],
    ['echo `ls', "bash: unexpected EOF while looking for matching ``'\nbash: syntax error: unexpected end of file\n"],
    ['echo ${a b}', 'bash: ${a b}: bad substitution\n'],
  ];
  test.each(cases)('%s', (line, message) => {
    const h = harness();
    const r = h.run(line);
    expect(r.stderr).toBe(message);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(line.startsWith('echo ${') ? 1 : 2);
    expect(h.run('echo $?').stdout).toBe(`${r.code}\n`);
  });

  test('unsupported syntax says so in our words', () => {
    const h = harness();
    expect(h.run('cat <<EOF').stderr).toMatch(/^bash: here-documents \(<<\) are not available/);
    expect(h.run('for ((i=0;i<3;i++)); do echo; done').stderr).toMatch(/^bash: C-style for loops are not available/);
    expect(h.run('case x in x) echo;; esac').stderr).toMatch(/^bash: case: not available in this shell/);
  });
});
