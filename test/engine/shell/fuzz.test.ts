import { Rng, seedRng } from '../../../engine/rng';
import { runLine } from '../../../engine/shell/exec';
import { complete } from '../../../engine/shell/complete';
import { parse } from '../../../engine/shell/parse';
import { harness } from './fake-env';

const PIECES = [
  'echo', 'cat', 'grep', 'sort', 'awk', 'sed', 'sudo', 'sh -c', 'for', 'in', 'do', 'done', 'if', 'then', 'fi', 'while', '{', '}',
  '(', ')', '$(', '`', '|', '||', '&&', ';', ';;', '&', '>', '>>', '<', '2>&1', '&>', '<<<', '"', "'", '\\', '$', '${', '}', '$?', '$$',
  '~', '*', '?', '[', ']', '{1..3}', 'x', '-n', '-e', '/proc/', '/etc/passwd', '/dev/null', 'notes.txt', '$((', '))', '1', '0', '-',
  '#', '!', 'seq 3', "'{print $1}'", '%s', '\\n', 'tr', 'wc -l', 'head', 'repeat 2', 'ls', 'cd', 'export', 'X=1', '\t', '\n',
];

function garbage(rng: Rng): string {
  const n = rng.int(1, 12);
  let s = '';
  for (let i = 0; i < n; i++) {
    if (rng.chance(0.2)) s += String.fromCharCode(rng.int(32, 126));
    else s += rng.pick(PIECES);
    if (rng.chance(0.6)) s += ' ';
  }
  return s;
}

describe('garbage never breaks the shell', () => {
  test('hundreds of random lines: no throw, a code, and failed lines leave the store alone', () => {
    const rng = new Rng(seedRng(20151126));
    let syntaxErrors = 0;
    for (let i = 0; i < 600; i++) {
      const h = harness();
      const line = garbage(rng);
      const before = JSON.stringify(h.store);
      const r = runLine(line, h.env, h.state);
      expect(typeof r.code).toBe('number');
      expect(r.stdout + r.stderr).toHaveLength(r.output.reduce((n, o) => n + o.text.length, 0));
      expect(JSON.parse(JSON.stringify(r.state))).toEqual(r.state);
      if (!parse(line).ok) {
        syntaxErrors++;
        expect(r.code).not.toBe(0);
        expect(r.stderr).not.toBe('');
        expect(JSON.stringify(h.store)).toBe(before);
        expect(h.calls).toEqual([]);
      }
      if (!/[>]/.test(line) && !/\b(tee|sort|uniq|awk|sh|bash|repeat|sudo)\b/.test(line)) {
        // nothing but a redirection or a writing tool may change a file
        expect(JSON.stringify(h.store)).toBe(before);
      }
      expect(() => complete(line, h.env, h.state)).not.toThrow();
    }
    expect(syntaxErrors).toBeGreaterThan(50);
  });

  test('random bytes', () => {
    const rng = new Rng(seedRng(7));
    const h = harness();
    for (let i = 0; i < 300; i++) {
      let line = '';
      const n = rng.int(0, 40);
      for (let j = 0; j < n; j++) line += String.fromCharCode(rng.int(0, 0x2ff));
      const before = JSON.stringify(h.store);
      const r = runLine(line, h.env, h.state);
      expect(typeof r.code).toBe('number');
      if (!parse(line).ok) expect(JSON.stringify(h.store)).toBe(before);
    }
  });

  test('awk and grep with garbage programs and patterns never throw', () => {
    const rng = new Rng(seedRng(99));
    const h = harness();
    const chars = '$1{}()[]/\\*+?.^|"\',;=<>!~-0123456789 abcNRFprint';
    for (let i = 0; i < 300; i++) {
      let prog = '';
      for (let j = rng.int(1, 20); j > 0; j--) prog += chars[rng.int(0, chars.length - 1)];
      const quoted = `'${prog.replace(/'/g, '')}'`;
      expect(typeof runLine(`awk ${quoted} notes.txt`, h.env, h.state).code).toBe('number');
      expect(typeof runLine(`grep -E ${quoted} notes.txt`, h.env, h.state).code).toBe('number');
      expect(typeof runLine(`grep ${quoted} notes.txt`, h.env, h.state).code).toBe('number');
    }
  });
});
