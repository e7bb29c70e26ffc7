import { blocksToPlainText } from '../../../../src/text/plain';
import { newGame, play, roundTrip } from './walkthrough.helpers';

const LINES = [
  'free -m',
  'ps -eo pid,ppid,rss,comm | grep nsd',
  'sudo slabtop -o | head -n 12',
  'dmesg | grep -c "Killed process"',
  'dig @127.0.0.1 www.example.com +short',
  'sleep 2h',
  'pidof nsd',
  'hint',
  'grep -c nsd /var/log/syslog',
  'sudo nsd-control reload',
  'cat /proc/meminfo | head -n 3',
];

describe('determinism', () => {
  it('the same seed and the same spells give a byte-identical transcript', () => {
    const a = play(newGame(77), LINES);
    const b = play(newGame(77), LINES);
    expect(a).toEqual(b);
  });

  it('different seeds vary the details', () => {
    const a = play(newGame(77), LINES);
    const b = play(newGame(78), LINES);
    expect(a).not.toEqual(b);
    // the same spells still work in both worlds
    expect(b[0]).toMatch(/^\s+total\s+used\s+free/m);
  });
});

describe('save anywhere', () => {
  it.each([1, 4, 7, 10])('saving after line %i and continuing gives the same transcript', (k) => {
    const straight = newGame(91);
    const expected = play(straight, LINES);
    const first = newGame(91);
    const head = play(first, LINES.slice(0, k));
    const resumed = roundTrip(first);
    const tail = play(resumed, LINES.slice(k));
    expect([...head, ...tail]).toEqual(expected);
    expect(resumed.result()).toEqual(straight.result());
  });

  it('a restored game keeps its prompt history', () => {
    const g = newGame(5);
    play(g, ['uname -r', 'free -m']);
    expect(roundTrip(g).history()).toEqual(['uname -r', 'free -m']);
  });
});

describe('bad input', () => {
  it.each(['', '   ', 'sl@btop', '"unterminated', '|||', 'rm -rf /', 'cat /proc/999999/status', 'kill -9 1', 'echo $(', 'for i in; do; done', '\u0000\u0007', 'a'.repeat(20000)])(
    'never crashes and leaves the world as it was: %j',
    (line) => {
      const g = newGame(3);
      const before = JSON.stringify(g.snapshot().state);
      const out = blocksToPlainText(g.step(line));
      expect(typeof out).toBe('string');
      if (line.trim() === '' || /sl@btop|unterminated|\|\|\||echo \$\(|for i in;|\u0000|aaaa/.test(line)) {
        const after = g.snapshot().state as { world: unknown; rng: unknown };
        const was = JSON.parse(before) as { world: unknown; rng: unknown };
        expect(after.world).toEqual(was.world);
        expect(after.rng).toEqual(was.rng);
      }
    },
  );
});
