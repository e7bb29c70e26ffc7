import { KERNELS, NSQD } from '../../../../engine/chapters/ch2/sim/catalogue';
import type { Ch2World } from '../../../../engine/chapters/ch2/sim/world';
import { dayMs } from '../../../../engine/machine/network';
import { newCh2Game, say, worldOf } from './helpers';

/**
 * The box's clock is a night in November 2015, and nothing on it may come from later: no package
 * version the archive offers, no kernel build, no stored file's mtime, no log line. Every version
 * installed was on the archive by the last boot, and nsqd's release by the day it was deployed.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Wed Jul 29 11:21:34 UTC 2015", the date at the end of uname -v */
function unameDate(v: string): number {
  const m = /(\w{3}) +(\d+) (\d\d):(\d\d):(\d\d) UTC (\d{4})$/.exec(v);
  if (!m) throw new Error(`no date in ${v}`);
  return Date.UTC(Number(m[6]), MONTHS.indexOf(m[1]!), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
}

describe.each([3, 42, 1234])('seed %i: nothing on the web box postdates its clock', (seed) => {
  const g = newCh2Game(seed);
  const w: Ch2World = worldOf(g);
  const now = w.now;

  it('is November 2015 on the box', () => {
    expect(new Date(now).toISOString()).toMatch(/^2015-11-/);
  });

  it('every version the archive offers was there by now; every installed one by the last boot', () => {
    const versions = w.pkgs.list.flatMap((e) => e.versions.map((v) => ({ name: e.name, installed: e.installed === v.version, ...v })));
    expect(versions.length).toBeGreaterThan(25);
    for (const v of versions) {
      expect([v.name, v.version, v.date]).toEqual([v.name, v.version, expect.stringMatching(/^\d{4}-\d\d-\d\d$/)]);
      expect([v.name, v.version, dayMs(v.date!) <= now]).toEqual([v.name, v.version, true]);
      if (v.installed) expect([v.name, v.version, dayMs(v.date!) <= w.k.bootTime]).toEqual([v.name, v.version, true]);
    }
    // each package is listed once: the scenario's entry stands for the base system's
    const names = w.pkgs.list.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of ['ruby1.9.1', 'libruby1.9.1', 'curl', 'libcurl3', 'tcpdump', 'strace', 'iproute2', 'net-tools']) {
      expect([name, w.pkgs.list.find((e) => e.name === name)?.installed]).toEqual([name, expect.any(String)]);
    }
  });

  it('the kernel was built before the box booted, and nsqd released before it was deployed', () => {
    for (const k of KERNELS) expect([k.release, unameDate(k.version) <= w.k.bootTime]).toEqual([k.release, true]);
    expect(unameDate(say(g, 'uname -v').split('\n')[0]!)).toBeLessThanOrEqual(now);
    expect(NSQD.released).toBeLessThanOrEqual(w.p.deployedAt);
    expect(w.p.deployedAt).toBeLessThan(w.k.bootTime);
  });

  it('no stored file and no log line is from later', () => {
    const year = 2015;
    const [dmesg, syslog] = [say(g, 'dmesg | tail -n 5'), say(g, 'tail -n 20 /var/log/syslog')];
    const after = worldOf(g);
    const clock = after.now;
    for (const [path, f] of Object.entries(after.files.files)) expect([path, f.mtime <= clock]).toEqual([path, true]);
    const kmsg = dmesg.split('\n').filter((l) => /^\[\s*\d/.test(l));
    expect(kmsg.length).toBeGreaterThan(0);
    for (const l of kmsg) {
      const secs = Number(/^\[\s*(\d+\.\d+)\]/.exec(l)?.[1]);
      expect([l, after.k.bootTime + secs * 1000 <= clock]).toEqual([l, true]);
    }
    const sys = syslog.split('\n').filter((l) => /^\w{3} +\d+ \d\d:\d\d:\d\d /.test(l));
    expect(sys.length).toBeGreaterThan(0);
    for (const l of sys) {
      const m = /^(\w{3}) +(\d+) (\d\d):(\d\d):(\d\d)/.exec(l)!;
      expect([l, Date.UTC(year, MONTHS.indexOf(m[1]!), +m[2]!, +m[3]!, +m[4]!, +m[5]!) <= clock]).toEqual([l, true]);
    }
    // the daemons' own logs: Ruby's Logger and Go's log stamp their lines
    for (const line of after.files.files['/var/log/publisher/publisher.log']!.content.trim().split('\n')) {
      const m = /^I, \[(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\./.exec(line)!;
      expect(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)).toBeLessThanOrEqual(clock);
    }
    for (const line of after.files.files['/var/log/upstart/nsqd.log']!.content.trim().split('\n')) {
      const m = /^\[nsqd\] (\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)\./.exec(line)!;
      expect(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)).toBeLessThanOrEqual(clock);
    }
  });
});
