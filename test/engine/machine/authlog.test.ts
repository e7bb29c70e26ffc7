/**
 * /var/log/auth.log on the running machine: the player's login, each sudo, cron's sessions, read
 * with the everyday tools, rotated with kern.log, kept across a save, and begun for an older save.
 */
import { restoreGame, validateSavedGame, type SavedGame } from '../../../engine/index';
import { newGame, play, roundTrip } from '../chapters/ch1/walkthrough.helpers';

type Obj = Record<string, unknown>;

/** a save from before `key` was kept: gone as a key, and from the stats' lists a save keeps by column (machine/savedWorld.ts) */
function dropStat(stats: Obj, key: string): void {
  delete stats[key];
  const byColumn = stats.byColumn as { order: string[]; lists: Obj } | undefined;
  if (byColumn) {
    delete byColumn.lists[key];
    byColumn.order = byColumn.order.filter((k) => k !== key);
  }
}
const out = (s: string): string => s.replace(/\n(?:✦|Kwame:|The page|Somewhere|The book)[^\n]*/g, '');

describe('auth.log', () => {
  it("-rw-r----- syslog adm beside kern.log; the player's login is at its end", () => {
    const g = newGame(3);
    const [ls, tail, netstat] = play(g, ['ls -l /var/log/auth.log /var/log/kern.log', 'tail -3 /var/log/auth.log', 'sudo netstat -tn']);
    expect(out(ls!)).toMatch(/^-rw-r----- 1 syslog adm +\d+ Mar \d\d \d\d:\d\d \/var\/log\/auth\.log\n-rw-r----- 1 syslog adm/);
    const lines = out(tail!).split('\n');
    expect(lines[0]).toMatch(/^Mar \d\d \d\d:\d\d:\d\d ns2 sshd\[(\d+)\]: Accepted publickey for ops from 10\.\d+\.\d+\.\d+ port (\d+) ssh2: RSA ([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    expect(lines[1]).toMatch(/^Mar \d\d \d\d:\d\d:\d\d ns2 sshd\[\d+\]: pam_unix\(sshd:session\): session opened for user ops by \(uid=0\)$/);
    expect(lines[2]).toMatch(/^Mar \d\d \d\d:\d\d:\d\d ns2 systemd-logind\[\d+\]: New session 1 of user ops\.$/);
    // the port sshd logged is the connection netstat shows
    const port = /port (\d+) ssh2/.exec(lines[0]!)![1];
    expect(out(netstat!)).toContain(`:${port} `);
  });

  it('each sudo: its line with the terminal, directory and full path, and the PAM session around it', () => {
    const g = newGame(3);
    play(g, ['cd /var/log', 'sudo tail -1 syslog > /dev/null', 'cd']);
    const [tail] = play(g, ['tail -3 /var/log/auth.log']);
    expect(out(tail!).split('\n').map((l) => l.replace(/^.{15} \S+ /, ''))).toEqual([
      'sudo:      ops : TTY=pts/0 ; PWD=/var/log ; USER=root ; COMMAND=/usr/bin/tail -1 syslog',
      'sudo: pam_unix(sudo:session): session opened for user root by ops(uid=0)',
      'sudo: pam_unix(sudo:session): session closed for user root',
    ]);
    const [count] = play(g, ['grep -c "sudo:session" /var/log/auth.log', 'sudo -u nobody true']);
    expect(out(count!)).toBe('2');
  });

  it("cron.hourly's job opens and closes a session each hour, and grep, wc and tail read the file alike", () => {
    const g = newGame(3);
    const [before] = play(g, ['grep -c "pam_unix(cron:session): session opened for user root" /var/log/auth.log']);
    play(g, ['sleep 3h']);
    const [after, wc, grepAll] = play(g, ['grep -c "pam_unix(cron:session): session opened for user root" /var/log/auth.log', 'wc -l < /var/log/auth.log', 'grep -c "" /var/log/auth.log']);
    expect(Number(out(after!)) - Number(out(before!))).toBe(3);
    expect(out(wc!)).toBe(out(grepAll!));
  });

  it('turns over with kern.log: auth.log.1 when a week has passed', () => {
    const g = newGame(3);
    play(g, ['sleep 8d']);
    const [ls] = play(g, ['ls /var/log']);
    const names = out(ls!).split(/\s+/);
    expect(names).toContain('auth.log.1');
    expect(names.includes('kern.log.1')).toBe(true);
    const [first] = play(g, ['head -1 /var/log/auth.log.1']);
    expect(out(first!)).toMatch(/ ns2 CRON\[\d+\]: pam_unix\(cron:session\)/);
  });

  it('round-trips through JSON; an older save without it starts from the open login', () => {
    const g = newGame(5);
    play(g, ['sudo true']);
    expect(play(roundTrip(g), ['tail -3 /var/log/auth.log'])).toEqual(play(g, ['tail -3 /var/log/auth.log']));
    const saved = JSON.parse(JSON.stringify(g.snapshot())) as SavedGame;
    expect(() => validateSavedGame(saved)).not.toThrow();
    dropStat(((saved.state as Obj).world as Obj).stats as Obj, 'authlog');
    expect(() => validateSavedGame(saved)).not.toThrow();
    const old = restoreGame(saved);
    const [all] = play(old, ['sudo cat /var/log/auth.log']);
    const lines = out(all!).split('\n');
    expect(lines.map((l) => l.replace(/^.{15} \S+ /, '').replace(/\[\d+\]/, '[N]').replace(/ from .*/, ''))).toEqual([
      'sshd[N]: Accepted publickey for ops',
      'sshd[N]: pam_unix(sshd:session): session opened for user ops by (uid=0)',
      'systemd-logind[N]: New session 1 of user ops.',
      'sudo:      ops : TTY=pts/0 ; PWD=/home/ops ; USER=root ; COMMAND=/bin/cat /var/log/auth.log',
      // cat reads the file while sudo's session is still open
      'sudo: pam_unix(sudo:session): session opened for user root by ops(uid=0)',
    ]);
  });
});
