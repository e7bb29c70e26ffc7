import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { registerChapter } from '../../../../engine/chapters/registry';
import { createGame, listChapters, restoreGame, type GameHandle } from '../../../../engine/index';
import { blocksToPlainText } from '../../../../src/text/plain';
import { HOST, PINGS_NEEDED, stubChapter } from '../../../fixtures/stub-chapter';

/**
 * A chapter built from the generic machine layer alone, registered only here: it boots, answers
 * the everyday spells, and is solved by its walkthrough. Nothing in engine/ knows about it.
 */
registerChapter(stubChapter);

const say = (g: GameHandle, line: string): string => blocksToPlainText(g.step(line));

describe('a stub chapter on the generic machine', () => {
  it('needed no change outside its own folder: the engine never names it', () => {
    const r = spawnSync('grep', ['-rilE', 'beacon|stub-chapter', join(__dirname, '..', '..', '..', '..', 'engine')], { encoding: 'utf8' });
    expect(r.stdout).toBe('');
    // grep's "nothing found", not a grep that failed to run
    expect(r.status).toBe(1);
  });

  it('is listed after the book’s chapters once registered', () => {
    const list = listChapters();
    expect(list[list.length - 1]).toMatchObject({ id: 'stub', number: 99 });
  });

  it('boots a machine that answers the everyday spells from its own state', () => {
    const g = createGame('stub', 3);
    expect(blocksToPlainText(g.start())).toContain('beacon-1');
    expect(g.prompt()).toBe('ops@beacon-1:~$ ');
    expect(say(g, 'uname -r')).toMatch(/^3\.13\.0-46-generic$/m);
    expect(say(g, 'cat /proc/version')).toContain('Linux version 3.13.0-46-generic');
    expect(say(g, 'free -m')).toMatch(new RegExp(`^Mem:\\s+${Math.floor(HOST.memTotalKb / 1024)}\\s`, 'm'));
    expect(say(g, 'uptime')).toMatch(/up\s+3:2\d,\s+1 user/);
    expect(say(g, 'dmesg | head -1')).toMatch(/^\[\s+0\.000000\] Initializing cgroup subsys cpuset$/m);
    // the beacon's history is in the logs: it pinged, then died
    const log = say(g, 'grep beacond /var/log/syslog');
    expect(log).toMatch(/beacond\[\d+\]: started/);
    expect(log).toMatch(/beacond\[\d+\]: ping 180/);
    expect(say(g, 'pidof beacond')).not.toMatch(/\d/);
    expect(say(g, 'service beacon status')).toContain('beacond is not running');
    // the scenario's kernel subsystem brings its knob to sysctl and /proc/sys
    expect(say(g, 'sysctl net.ipv4.tcp_low_latency')).toContain('net.ipv4.tcp_low_latency = 0');
    expect(say(g, 'sudo sysctl -w net.ipv4.tcp_low_latency=1')).toContain('net.ipv4.tcp_low_latency = 1');
    expect(say(g, 'cat /proc/sys/net/ipv4/tcp_low_latency')).toMatch(/^1$/m);
    expect(say(g, 'sudo sysctl -w net.ipv4.tcp_low_latency=2')).toContain('Invalid argument');
    expect(say(g, 'ls /proc/sys/net/ipv4')).toMatch(/^tcp_low_latency$/m);
    expect(say(g, 'apt-cache policy beacond')).toMatch(/Installed: 1\.0-1/);
    expect(say(g, 'which beacond service')).toContain('/usr/sbin/service');
  });

  it('is solved by its walkthrough, judged from the machine', () => {
    const g = createGame('stub', 3);
    g.start();
    expect(say(g, 'status')).toMatch(/\[!\] The beacon pinged 10 times in a row \(beacond is not running\)/);
    expect(say(g, 'service beacon start')).toContain('only root');
    const started = say(g, 'sudo service beacon start');
    expect(started).toMatch(/Starting beacon beacond\s+\[ OK \]/);
    expect(say(g, 'pidof beacond')).toMatch(/^\d+$/m);
    expect(g.solved()).toBe(false);
    expect(say(g, 'sleep 5m')).not.toContain('solved');
    expect(say(g, 'status')).toMatch(/\[~\] The beacon pinged 10 times in a row \((4|5) of 10 pings\)/);
    const end = say(g, 'sleep 6m');
    expect(end).toContain('*** Chapter stub solved ***');
    expect(end).toMatch(new RegExp(`The beacon answered (${PINGS_NEEDED}|${PINGS_NEEDED + 1}) times in a row`));
    expect(g.solved()).toBe(true);
    expect(say(g, 'grep -c "beacond.*ping" /var/log/syslog')).toMatch(/^\d{3}$/m);
  });

  it('stops counting when the daemon dies again: the verdict comes from the process table', () => {
    const g = createGame('stub', 4);
    g.start();
    say(g, 'sudo service beacon start');
    say(g, 'sleep 3m');
    const pid = say(g, 'pidof beacond').trim().split('\n')[0]!;
    say(g, `sudo kill -9 ${pid}`);
    expect(say(g, 'status')).toContain('beacond is not running');
    say(g, 'sleep 20m');
    expect(g.solved()).toBe(false);
  });

  it('saves and restores anywhere, and plays on identically', () => {
    const lines = ['sudo service beacon start', 'sleep 4m', 'ps -o pid,comm,args -C beacond', 'sleep 7m', 'tail -3 /var/log/syslog'];
    const straight = createGame('stub', 5);
    straight.start();
    const a = lines.map((l) => say(straight, l));
    const first = createGame('stub', 5);
    first.start();
    const b = [say(first, lines[0]!), say(first, lines[1]!)];
    const resumed = restoreGame(JSON.parse(JSON.stringify(first.snapshot())));
    for (const l of lines.slice(2)) b.push(say(resumed, l));
    expect(b).toEqual(a);
    expect(resumed.solved()).toBe(true);
  });
});
