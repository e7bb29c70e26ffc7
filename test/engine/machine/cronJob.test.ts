import { registerChapter } from '../../../engine/chapters/registry';
import { createGame, type GameHandle } from '../../../engine/index';
import { stubChapter } from '../../fixtures/stub-chapter';

/**
 * cron is an upstart job on trusty (/etc/init/cron.conf: expect fork, respawn, exec cron):
 * service and initctl drive it with upstart 1.12's words, and while it is stopped nothing runs.
 */
registerChapter(stubChapter);

const say = (g: GameHandle, line: string): string =>
  g
    .step(line)
    .map((b) => (b.kind === 'spell-output' || b.kind === 'error' ? b.text : ''))
    .join('');

function box(): GameHandle {
  const g = createGame('stub', 3);
  g.start();
  return g;
}

/** the pid ps gives the cron daemon (its command line is `cron`, as upstart's exec runs it) */
function cronPid(g: GameHandle): number {
  const m = /^\s*(\d+)\s+1 cron\n$/m.exec(say(g, 'ps -C cron -o pid=,ppid=,args='));
  if (!m) throw new Error('no cron daemon in ps');
  return Number(m[1]);
}

describe('cron as an upstart job', () => {
  it('runs as `cron`, a child of init, and upstart reports it as running', () => {
    const g = box();
    const pid = cronPid(g);
    expect(say(g, 'service cron status')).toBe(`cron start/running, process ${pid}\n`);
    expect(say(g, 'initctl status cron')).toBe(`cron start/running, process ${pid}\n`);
    expect(say(g, 'initctl list | grep -w cron')).toBe(`cron start/running, process ${pid}\n`);
  });

  it('stops and starts for root, with the replies upstart gives', () => {
    const g = box();
    expect(say(g, 'sudo service cron stop')).toBe('cron stop/waiting\n');
    expect(say(g, 'service cron status')).toBe('cron stop/waiting\n');
    expect(say(g, 'initctl list | grep -w cron')).toBe('cron stop/waiting\n');
    expect(say(g, 'ps -C cron -o pid=')).toBe('');
    expect(say(g, 'sudo service cron stop')).toBe('stop: Unknown instance: \n');
    expect(say(g, 'sudo initctl restart cron')).toBe('restart: Unknown instance: \n');
    expect(say(g, 'sudo service cron reload')).toBe('reload: Unknown instance: \n');
    const started = say(g, 'sudo service cron start');
    const pid = cronPid(g);
    expect(started).toBe(`cron start/running, process ${pid}\n`);
    expect(say(g, 'sudo service cron start')).toBe('start: Job is already running: cron\n');
    expect(say(g, 'sudo service cron reload')).toBe('');
  });

  it('restart is stop then start: a new daemon with a new pid', () => {
    const g = box();
    const before = cronPid(g);
    const out = say(g, 'sudo service cron restart');
    const after = cronPid(g);
    expect(after).not.toBe(before);
    expect(out).toBe(`cron stop/waiting\ncron start/running, process ${after}\n`);
    // the daemon forked from the cron that upstart exec'd, which took the pid before it
    expect(say(g, `ps -p ${after - 1} -o pid=`)).toBe('');
    expect(say(g, 'sudo initctl restart cron')).toBe(`cron start/running, process ${cronPid(g)}\n`);
    // the exec'd cron logs the pid file under its pid, the daemon it forked the rest (trusty's syslog at a start)
    const log = say(g, `sudo grep -E 'cron\\[(${after - 1}|${after})\\]' /var/log/syslog`).replace(/^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d /gm, '');
    expect(log).toBe(
      `beacon-1 cron[${after - 1}]: (CRON) INFO (pidfile fd = 3)\n` +
        `beacon-1 cron[${after}]: (CRON) STARTUP (fork ok)\n` +
        `beacon-1 cron[${after}]: (CRON) INFO (Skipping @reboot jobs -- not system startup)\n`,
    );
  });

  it('a user is refused by the bus, as upstart prints it', () => {
    const g = box();
    expect(say(g, 'service cron stop')).toMatch(
      /^stop: Rejected send message, 1 matched rules; type="method_call", sender=":1\.1" \(uid=1000 pid=\d+ comm="stop cron "\) interface="com\.ubuntu\.Upstart0_6\.Job" member="Stop" error name="\(unset\)" requested_reply="0" destination="com\.ubuntu\.Upstart" \(uid=0 pid=1 comm="\/sbin\/init"\)\n$/,
    );
    expect(say(g, 'initctl restart cron')).toMatch(/^restart: Rejected send message, 1 matched rules; type="method_call", sender=":1\.2" \(uid=1000 pid=\d+ comm="initctl restart cron "\) interface="com\.ubuntu\.Upstart0_6\.Job" member="Restart" /);
    // the script runs `stop cron || :` and then `start cron`: both are refused
    const restart = say(g, 'service cron restart');
    expect(restart.split('\n').map((l) => l.split(':')[0])).toEqual(['stop', 'start', '']);
    expect(say(g, 'service cron status')).toMatch(/^cron start\/running, process \d+\n$/);
  });

  it("anything else goes to /etc/init.d/cron's usage", () => {
    const g = box();
    expect(say(g, 'sudo service cron')).toBe(' * Usage: /etc/init.d/cron {start|stop|status|restart|reload|force-reload}\n');
    expect(say(g, 'sudo service cron bounce; echo $?')).toBe(' * Usage: /etc/init.d/cron {start|stop|status|restart|reload|force-reload}\n2\n');
    expect(say(g, 'sudo initctl bounce cron')).toBe("initctl: invalid command: bounce\nTry `initctl --help' for more information.\n");
  });

  it('a stopped cron runs nothing, and notices no edit, until it starts again', () => {
    const g = box();
    say(g, 'echo "* * * * * root echo tick >> /var/log/tick.log" | sudo tee /etc/cron.d/tick');
    say(g, 'sleep 70');
    expect(say(g, 'cat /var/log/tick.log')).toBe('tick\n');
    say(g, 'sudo service cron stop');
    say(g, 'echo "* * * * * root echo tock >> /var/log/tick.log" | sudo tee /etc/cron.d/tock');
    say(g, 'sleep 180');
    expect(say(g, 'cat /var/log/tick.log')).toBe('tick\n');
    expect(say(g, "sudo grep -c 'RELOAD (/etc/cron.d/tock)' /var/log/syslog")).toBe('0\n');
    say(g, 'sudo service cron start');
    say(g, 'sleep 60');
    // both tables were read at the start: both run at the next minute, and neither is a RELOAD
    expect(say(g, 'sort /var/log/tick.log')).toBe('tick\ntick\ntock\n');
    expect(say(g, "sudo grep -c 'RELOAD (/etc/cron.d/tock)' /var/log/syslog")).toBe('0\n');
  });
});
