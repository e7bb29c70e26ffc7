import { registerChapter } from '../../../engine/chapters/registry';
import { createGame, type GameHandle } from '../../../engine/index';
import { isRenderedLog } from '../../../engine/machine/storedLogs';
import { stubChapter } from '../../fixtures/stub-chapter';

/**
 * /var/log on trusty is root:syslog 0775: root makes its own log files there (a cron job's
 * `>> /var/log/backup.log 2>&1`), the player's login may not, and the syslog streams stay
 * rendered from their records.
 */
registerChapter(stubChapter);

/** what the commands print, without the grimoire's own notes about newly learnt spells */
const say = (g: GameHandle, line: string): string =>
  g
    .step(line)
    .map((b) => (b.kind === 'spell-output' || b.kind === 'error' ? b.text : ''))
    .join('');

const STAMP = '[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d';

describe('files of their own under /var/log', () => {
  it('root appends with tee -a; ls, cat, tail and rm see an ordinary file', () => {
    const g = createGame('stub', 3);
    g.start();
    expect(say(g, 'echo hi | sudo tee -a /var/log/ebs-backup.log')).toBe('hi\n');
    expect(say(g, 'echo again | sudo tee -a /var/log/ebs-backup.log')).toBe('again\n');
    expect(say(g, 'ls -l /var/log/ebs-backup.log')).toMatch(new RegExp(`^-rw-r--r-- 1 root root 9 ${STAMP} /var/log/ebs-backup.log\\n$`));
    expect(say(g, 'ls /var/log')).toBe('auth.log  ebs-backup.log  kern.log  syslog\n');
    expect(say(g, 'cat /var/log/ebs-backup.log')).toBe('hi\nagain\n');
    expect(say(g, 'tail -n 1 /var/log/ebs-backup.log')).toBe('again\n');
    expect(say(g, 'sudo rm /var/log/ebs-backup.log')).toBe('');
    expect(say(g, 'ls -l /var/log/ebs-backup.log')).toBe('ls: cannot access /var/log/ebs-backup.log: No such file or directory\n');
  });

  it('the login, in group adm but not syslog, may not create one', () => {
    const g = createGame('stub', 3);
    g.start();
    expect(say(g, 'echo x >> /var/log/mine.log')).toBe('bash: /var/log/mine.log: Permission denied\n');
    expect(say(g, 'touch /var/log/mine.log')).toBe("touch: cannot touch ‘/var/log/mine.log’: Permission denied\n");
    expect(say(g, 'ls -ld /var/log')).toMatch(new RegExp(`^drwxrwxr-x \\d+ root syslog 4096 ${STAMP} /var/log\\n$`));
  });

  it("a cron job's >> /var/log/FILE 2>&1 logs there every minute", () => {
    const g = createGame('stub', 3);
    g.start();
    say(g, 'echo "* * * * * root echo backup >> /var/log/ebs-backup.log 2>&1" | sudo tee /etc/cron.d/ebs-backup');
    say(g, 'sleep 130');
    expect(say(g, 'cat /var/log/ebs-backup.log')).toBe('backup\nbackup\n');
    expect(say(g, 'ls -l /var/log/ebs-backup.log')).toMatch(new RegExp(`^-rw-r--r-- 1 root root 14 ${STAMP} /var/log/ebs-backup.log\\n$`));
  });

  it('the rendered logs refuse a change in one line and stay as their records make them', () => {
    const g = createGame('stub', 3);
    g.start();
    const before = say(g, 'sudo wc -l /var/log/syslog');
    expect(say(g, 'echo x | sudo tee -a /var/log/syslog')).toBe('x\ntee: /var/log/syslog: changing this file is not simulated (its lines are rendered from the log records)\n');
    expect(say(g, 'sudo rm /var/log/kern.log')).toBe('rm: cannot remove ‘/var/log/kern.log’: changing this file is not simulated (its lines are rendered from the log records)\n');
    expect(say(g, 'echo x > /var/log/syslog')).toBe('bash: /var/log/syslog: Permission denied\n');
    expect(say(g, 'sudo wc -l /var/log/syslog')).toBe(before);
    // a rotation's name is the stream's even before logrotate has made it
    expect(say(g, 'echo x | sudo tee /var/log/syslog.3.gz')).toBe('x\ntee: /var/log/syslog.3.gz: changing this file is not simulated (its lines are rendered from the log records)\n');
  });

  it('knows which names the streams own', () => {
    expect(['syslog', 'syslog.1', 'syslog.7.gz', 'kern.log', 'kern.log.2.gz', 'auth.log.1'].map(isRenderedLog)).toEqual([true, true, true, true, true, true]);
    expect(['syslog.log', 'ebs-backup.log', 'upstart', 'kern.log.old', 'dpkg.log'].map(isRenderedLog)).toEqual([false, false, false, false, false]);
  });
});
