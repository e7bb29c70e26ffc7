/**
 * lsof over the running machine: what each process has open agrees with /proc/PID/maps, ls -l
 * and the shell, and a user without root sees only that other users' processes are closed to it.
 */
import { newGame, play } from '../chapters/ch1/walkthrough.helpers';

const out = (s: string): string => s.replace(/\n(?:✦|Kwame:|The page|Somewhere)[^\n]*/g, '');
const rows = (s: string): string[][] => out(s).trim().split('\n').slice(1).map((l) => l.split(/\s+/));

describe('lsof on the machine', () => {
  const g = newGame(3);

  it("init: cwd and rtd at /, its program as txt, each file /proc/1/maps maps once as mem, std descriptors on /dev/null", () => {
    const [lsof, maps] = play(g, ['sudo lsof -p 1', 'sudo cat /proc/1/maps']);
    const r = rows(lsof!);
    expect(r.slice(0, 3).map((x) => [x[3], x[4], x[8]])).toEqual([
      ['cwd', 'DIR', '/'],
      ['rtd', 'DIR', '/'],
      ['txt', 'REG', '/sbin/init'],
    ]);
    const mapped = [...new Set(out(maps!).trim().split('\n').map((l) => l.slice(73)).filter((n) => n.startsWith('/') && n !== '/sbin/init'))];
    expect(r.filter((x) => x[3] === 'mem').map((x) => x[8])).toEqual(mapped);
    expect(r.filter((x) => /^\d/.test(x[3]!)).map((x) => `${x[3]} ${x[4]} ${x[5]} ${x[8]}`)).toEqual(['0u CHR 1,3 /dev/null', '1u CHR 1,3 /dev/null', '2u CHR 1,3 /dev/null']);
  });

  it("the player's bash: the shell's directory as cwd, the terminal on 0, 1, 2 and 255", () => {
    const [lsof] = play(g, ['cd /var/log; lsof -p $$; cd']);
    const r = rows(lsof!);
    expect(r.find((x) => x[3] === 'cwd')?.[8]).toBe('/var/log');
    expect(r.filter((x) => /^\d/.test(x[3]!)).map((x) => `${x[3]} ${x[5]} ${x[8]}`)).toEqual(['0u 136,0 /dev/pts/0', '1u 136,0 /dev/pts/0', '2u 136,0 /dev/pts/0', '255u 136,0 /dev/pts/0']);
  });

  it('without root: full detail for your own processes, only "Permission denied" rows for the others', () => {
    const [lsof] = play(g, ['lsof']);
    const r = rows(lsof!);
    const users = new Set(r.map((x) => x[2]));
    expect(users.has('root') && users.has('ops')).toBe(true);
    for (const x of r.filter((x) => x[2] !== 'ops')) expect(x.slice(3).join(' ')).toMatch(/^(cwd|rtd|txt) unknown \/proc\/\d+\/(cwd|root|exe) \(readlink: Permission denied\)$|^NOFD \/proc\/\d+\/fd \(opendir: Permission denied\)$/);
    expect(r.filter((x) => x[2] === 'ops' && x[3] === 'txt').map((x) => x[8]).sort()).toEqual(['/bin/bash', '/usr/sbin/sshd']);
  });

  it("a file name: the syslog daemon writes /var/log/syslog, at the size ls -l gives it", () => {
    // one command line: the clock (and the file) do not move between the two
    const [both] = play(g, ['sudo lsof /var/log/syslog; echo ==; ls -l /var/log/syslog']);
    const [lsof, ls] = both!.split('\n==\n');
    const r = rows(lsof!);
    expect(r.map((x) => [x[0], x[2], x[3], x[4], x[8]])).toEqual([['rsyslogd', 'syslog', '1w', 'REG', '/var/log/syslog']]);
    expect(r[0]![6]).toBe(out(ls!).split(/\s+/)[4]);
    const [none] = play(g, ['lsof /nonexistent; echo "exit $?"']);
    expect(none).toMatch(/^lsof: status error on \/nonexistent: No such file or directory\nlsof 4\.86\n[\s\S]*\nexit 1$/);
  });
});
