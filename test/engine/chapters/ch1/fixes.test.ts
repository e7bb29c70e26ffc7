import { blocksToPlainText } from '../../../../src/text/plain';
import { FIND_CULPRIT, INSTALL_FIXED_KERNEL, newGame, play, sunreclaimKb } from './walkthrough.helpers';

/**
 * Each working fix, judged by the simulation over a week of virtual time, and each wrong fix
 * failing the way it would on a real machine.
 */
const SEED = 1234;

describe('chapter 1: the fixes that work', () => {
  it('a kernel with the anon_vma fix, after a reboot, solves it', () => {
    const g = newGame(SEED);
    play(g, [...FIND_CULPRIT, 'apt list --upgradable']);
    const [fetch, install] = play(g, INSTALL_FIXED_KERNEL);
    expect(fetch).toMatch(/saved \[\d+\/\d+\]/);
    expect(install).toMatch(/Setting up linux-image-3\.19\.0-031900-generic \(3\.19\.0-031900\.201502091451\) \.\.\./);
    expect(play(g, ['uname -r'])[0]).toMatch(/^3\.16\./m);
    play(g, ['sudo reboot']);
    expect(play(g, ['uname -r'])[0]).toMatch(/^3\.19\.0-031900-generic$/m);
    play(g, ['sleep 8d']);
    expect(g.solved()).toBe(true);
    const status = blocksToPlainText(g.step('status'));
    expect(status).toMatch(/\[x\] DNS answered every probe for 7 days/);
  });

  it('no NSD 4.1 is to be had in March 2015: apt keeps 4.0.1 and the backports mirror has none', () => {
    const g = newGame(SEED);
    play(g, FIND_CULPRIT);
    const [install, policy, version] = play(g, ['sudo apt-get install nsd', 'apt-cache policy nsd', 'nsd -v']);
    expect(install).toMatch(/^nsd is already the newest version\.$/m);
    expect(policy).toContain('        500 http://us-east-1.ec2.archive.ubuntu.com/ubuntu/ trusty/universe amd64 Packages\n');
    expect(policy).not.toMatch(/backports/);
    expect(version).toMatch(/NSD version 4\.0\.1/);
    const [nlnet] = play(g, ['wget http://www.nlnetlabs.nl/downloads/nsd/nsd-4.1.1.tar.gz']);
    expect(nlnet).toMatch(/wget: unable to resolve host address \u2018www\.nlnetlabs\.nl\u2019/);
    expect(g.solved()).toBe(false);
  });

  it('scheduled full restarts bound the leak and count as a (weaker) fix', () => {
    const g = newGame(SEED);
    play(g, FIND_CULPRIT);
    play(g, ["echo '0 */6 * * * root service nsd restart' | sudo tee /etc/cron.d/nsd-restart", 'sudo service nsd restart']);
    const low = sunreclaimKb(g);
    play(g, ['sleep 8d']);
    expect(g.solved()).toBe(true);
    // the ceiling held: never back near where it started
    expect(sunreclaimKb(g)).toBeLessThan(low + 1024 * 1024);
  });
});

describe('chapter 1: the fixes that do not', () => {
  it('drop_caches frees nothing of SUnreclaim', () => {
    const g = newGame(SEED);
    const before = sunreclaimKb(g);
    play(g, ['echo 3 | sudo tee /proc/sys/vm/drop_caches']);
    const after = sunreclaimKb(g);
    expect(after).toBeGreaterThanOrEqual(before * 0.98);
    play(g, [...FIND_CULPRIT, 'sleep 8d']);
    expect(g.solved()).toBe(false);
  });

  it('sudo echo 3 > drop_caches fails for the reason it fails on Linux', () => {
    const g = newGame(SEED);
    expect(play(g, ['sudo echo 3 > /proc/sys/vm/drop_caches'])[0]).toMatch(/Permission denied/);
  });

  it('oom_score_adj -1000 on nsd makes the OOM killer take something else', () => {
    const g = newGame(SEED);
    play(g, ['for p in $(pidof nsd); do echo -1000 | sudo tee /proc/$p/oom_score_adj; done']);
    play(g, ['sleep 20m']);
    const kills = play(g, ['sudo grep -h "Killed process" /var/log/syslog'])[0]!;
    const victims = [...kills.matchAll(/Killed process \d+ \((\S+)\)/g)].map((m) => m[1]);
    expect(victims.some((v) => v !== 'nsd')).toBe(true);
    play(g, [...FIND_CULPRIT, 'sleep 7d']);
    expect(g.solved()).toBe(false);
  });

  it('a swap file only delays it', () => {
    const g = newGame(SEED);
    play(g, ['sudo fallocate -l 2G /swapfile', 'sudo chmod 600 /swapfile', 'sudo mkswap /swapfile', 'sudo swapon /swapfile']);
    expect(play(g, ['free -m'])[0]).toMatch(/Swap:\s+20\d\d/);
    play(g, [...FIND_CULPRIT, 'sleep 8d']);
    expect(g.solved()).toBe(false);
    expect(play(g, ['status'])[0]).toMatch(/\[!\]|\[ \]/);
  });

  it('one restart helps for a while, then the leak comes back', () => {
    const g = newGame(SEED);
    const before = sunreclaimKb(g);
    play(g, ['sudo service nsd restart']);
    const fresh = sunreclaimKb(g);
    expect(fresh).toBeLessThan(before / 2);
    play(g, ['sleep 1d']);
    const dayLater = sunreclaimKb(g);
    expect(dayLater).toBeGreaterThan(fresh + 100 * 1024);
    play(g, [...FIND_CULPRIT, 'sleep 7d']);
    expect(g.solved()).toBe(false);
  });
});
