/**
 * /etc/crontab's run-parts lines on the running machine: the hourly and daily folders run their
 * scripts, and the scripts, whose programs this box lacks, give up quietly.
 */
import { newGame, play } from '../chapters/ch1/walkthrough.helpers';

const story = (s: string): string => s.replace(/\n?(?:✦|Kwame:|The page|Somewhere|The book)[^\n]*/g, '');

describe("cron's run-parts", () => {
  it('lists the scripts cron.daily holds, and the hourly folder holds none', () => {
    const g = newGame(3);
    const [daily, hourly] = play(g, ['run-parts --test /etc/cron.daily', 'run-parts --list /etc/cron.hourly; echo "status $?"']);
    expect(story(daily!)).toBe('/etc/cron.daily/apt\n/etc/cron.daily/logrotate\n/etc/cron.daily/mlocate');
    expect(story(hourly!)).toBe('status 0');
  });

  it("runs every line of /etc/crontab as cron's sh does, without a word of complaint", () => {
    const g = newGame(3);
    const lines = ['cd / && run-parts --report /etc/cron.hourly', ...['daily', 'weekly', 'monthly'].map((every) => `test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.${every} )`)];
    const crontab = play(g, ['cat /etc/crontab'])[0]!;
    for (const line of lines) expect(crontab).toContain(line);
    for (const out of play(g, lines.map((line) => `sudo sh -c '${line}'; echo "status $?"`))) expect(story(out)).toBe('status 0');
  });
});

describe('what a cron job writes', () => {
  /** the lines cron wrote to syslog since its last daily turn */
  const cronLines = (g: ReturnType<typeof newGame>): string[] => story(play(g, ['grep "CRON\\[" /var/log/syslog'])[0]!).split('\n');

  it('goes to cron, which logs under the job’s pid that it had no MTA to mail it with; a quiet job leaves no such line', () => {
    const g = newGame(3);
    const NO_MTA = '(CRON) info (No MTA installed, discarding output)';
    const runs = (lines: string[]): string[] => lines.filter((l) => l.endsWith('(root) CMD (   cd / && run-parts --report /etc/cron.hourly)')).map((l) => /CRON\[(\d+)\]/.exec(l)![1]!);
    play(g, ['printf \'#!/bin/sh\\necho "hello from cron"\\n\' | sudo tee /etc/cron.hourly/hello', 'sudo chmod 755 /etc/cron.hourly/hello', 'sleep 2h']);
    const lines = cronLines(g);
    const mta = lines.filter((l) => l.endsWith(NO_MTA));
    expect(mta.length).toBeGreaterThanOrEqual(1);
    for (const line of mta) {
      const pid = /CRON\[(\d+)\]/.exec(line)![1]!;
      // the hourly run with that pid, logged before it: the job's end is when cron sees its output
      expect(runs(lines.slice(0, lines.indexOf(line)))).toContain(pid);
    }
    // the same job made quiet: its next runs leave no such line
    const seen = new Set(runs(lines));
    play(g, ['printf \'#!/bin/sh\\ntrue\\n\' | sudo tee /etc/cron.hourly/hello', 'sleep 1h']);
    const later = cronLines(g);
    const quiet = runs(later).filter((pid) => !seen.has(pid));
    expect(quiet.length).toBeGreaterThanOrEqual(1);
    for (const pid of quiet) expect(later).not.toContain(`CRON[${pid}]: ${NO_MTA}`);
    expect(later.filter((l) => l.endsWith(NO_MTA)).every((l) => seen.has(/CRON\[(\d+)\]/.exec(l)![1]!))).toBe(true);
  });

  it('an @reboot job runs as any job does: its own CRON child logs its CMD and, when it wrote something, the no-MTA line; a quiet one leaves none', () => {
    const g = newGame(7);
    play(g, ['printf \'@reboot echo hello from reboot\\n@reboot true\\n\' | crontab -', 'sudo reboot', 'sleep 5m']);
    const lines = cronLines(g);
    const loud = lines.findIndex((l) => l.endsWith('(ops) CMD (echo hello from reboot)'));
    const quiet = lines.findIndex((l) => l.endsWith('(ops) CMD (true)'));
    expect(loud).toBeGreaterThanOrEqual(0);
    expect(quiet).toBeGreaterThan(loud);
    const pidOf = (l: string): string => /CRON\[(\d+)\]/.exec(l)![1]!;
    // cron's own pid is the one that says it is running the @reboot jobs
    const cronPid = /cron\[(\d+)\]: \(CRON\) INFO \(Running @reboot jobs\)/.exec(story(play(g, ['grep "Running @reboot" /var/log/syslog'])[0]!))![1]!;
    const [loudPid, quietPid] = [pidOf(lines[loud]!), pidOf(lines[quiet]!)];
    expect(new Set([cronPid, loudPid, quietPid]).size).toBe(3);
    expect(lines.slice(loud + 1).some((l) => l.endsWith(`CRON[${loudPid}]: (CRON) info (No MTA installed, discarding output)`))).toBe(true);
    expect(lines.some((l) => l.includes('No MTA') && pidOf(l) !== loudPid)).toBe(false);
    // each job's child opened and closed a PAM session for ops, as every cron job does
    const auth = story(play(g, ['sudo grep "pam_unix(cron:session)" /var/log/auth.log'])[0]!);
    for (const pid of [loudPid, quietPid]) {
      expect(auth).toContain(`CRON[${pid}]: pam_unix(cron:session): session opened for user ops by (uid=0)`);
      expect(auth).toContain(`CRON[${pid}]: pam_unix(cron:session): session closed for user ops`);
    }
  });

});
