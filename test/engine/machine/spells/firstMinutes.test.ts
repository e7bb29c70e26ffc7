import { newGame, play } from '../../chapters/ch1/walkthrough.helpers';

/**
 * The commands an SRE types in the first minutes, played through a real game: what each prints
 * must agree with the other views of the same machine at the same instant.
 */
const strip = (out: string): string =>
  out
    .split('\n')
    .filter((l) => !l.startsWith('✦') && !/^[A-Z][a-z]+: /.test(l) && !l.startsWith('The page'))
    .join('\n');

describe('first-minute commands agree with the rest of the machine', () => {
  const g = newGame(7);
  const one = (line: string): string => strip(play(g, [line])[0]!);

  it('pmap: the total is VSZ plus the vsyscall page, and -x RSS adds up to ps RSS', () => {
    const pid = Number(one('pidof cron').trim());
    const [ps, pmap, pmapX] = one(`ps -o vsz=,rss= -p ${pid}; echo ==; sudo pmap ${pid} | tail -n 1; echo ==; sudo pmap -x ${pid} | tail -n 1`).split('\n==\n');
    const [vsz, rss] = ps!.trim().split(/\s+/).map(Number) as [number, number];
    expect(Number(/total\s+(\d+)K/.exec(pmap!)![1])).toBe(Math.floor(vsz / 4) * 4 + 4);
    const totals = /total kB\s+(\d+)\s+(\d+)\s+(\d+)/.exec(pmapX!)!.slice(1).map(Number);
    expect(totals[1]).toBe(rss);
  });

  it("pmap and /proc/PID/maps refuse another user's process, and a kernel thread has nothing mapped", () => {
    expect(one('pmap 1; echo "status $?"')).toBe('status 1');
    expect(one('cat /proc/1/maps')).toContain('Permission denied');
    expect(one('pmap 2')).toBe('2:   [kthreadd]\n total                0K');
    expect(one('pmap 999999; echo "status $?"')).toBe('status 42');
  });
});
