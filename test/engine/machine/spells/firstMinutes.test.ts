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

  it('pgrep nsd lists exactly the pids pidof gives, and pgrep -c counts them', () => {
    const [pg, pof, count] = one('pgrep nsd; echo ==; pidof nsd; echo ==; pgrep -c nsd').split('\n==\n');
    const a = pg!.trim().split('\n').map(Number);
    const b = pof!.trim().split(' ').map(Number);
    expect(a.length).toBeGreaterThan(0);
    expect([...a].sort((x, y) => x - y)).toEqual([...b].sort((x, y) => x - y));
    expect(Number(count)).toBe(a.length);
  });

  it('pkill signals through kill(2): refused for root\'s process, and a stopped atd shows T in ps', () => {
    expect(one('pkill -x atd; echo "status $?"')).toMatch(/^pkill: killing pid \d+ failed: Operation not permitted\nstatus 0$/);
    const pid = one('pgrep -x atd').trim();
    expect(one('sudo pkill -e -STOP -x atd')).toBe(`atd killed (pid ${pid})`);
    expect(one(`ps -o stat= -p ${pid}`).trim()).toMatch(/^T/);
    one('sudo pkill -CONT -x atd');
    expect(one(`ps -o stat= -p ${pid}`).trim()).toMatch(/^S/);
  });

  it('who, w and last agree with ps, uptime and uname about the login and the boot', () => {
    const [whoU, bash, w, up, last, whoB, uname] = one('who -u; echo ==; ps -o pid=,lstart= -C bash; echo ==; w; echo ==; uptime; echo ==; last; echo ==; who -b; echo ==; uname -r').split('\n==\n');
    const [shellPid, ...lstart] = bash!.trim().split(/\s+/);
    const row = /^ops +pts\/0 +(\d{4}-\d\d-\d\d) (\d\d:\d\d) +\. +(\d+) \((\S+)\)$/.exec(whoU!.trim())!;
    expect(row).not.toBeNull();
    expect(row[3]).toBe(shellPid);
    expect(lstart.join(' ')).toContain(` ${row[2]}:`);
    // w's first line is uptime's line, taken at the same instant
    expect(w!.split('\n')[0]).toBe(up!.trim().replace(/^/, ' '));
    expect(w!.split('\n')[2]).toMatch(new RegExp(`^ops +pts/0 +${row[4]!.replace(/\./g, '\\.')} +${row[2]} `));
    const lines = last!.split('\n');
    expect(lines[0]).toMatch(/^ops +pts\/0 .* still logged in/);
    const boot = lines.find((l) => l.startsWith('reboot'))!;
    expect(boot).toContain(`system boot  ${uname!.trim().slice(0, 16)} `);
    const bootClock = /system boot +(\S+) (\d\d:\d\d)/.exec(whoB!)!;
    expect(boot).toContain(` ${bootClock[2]} - `);
  });
});
