import { KERNELS, NETWORK } from '../../../../engine/chapters/ch1/sim/catalogue';
import { dayMs } from '../../../../engine/machine/network';
import { newGame, play } from './walkthrough.helpers';

/**
 * The machine's clock is in March 2015, and nothing on it may come from later: no package version
 * the archive offers, no kernel build, no file a server hands out, no stored file's mtime, no log line.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Thu Jan 15 17:43:14 UTC 2015", the date at the end of uname -v */
function unameDate(v: string): number {
  const m = /(\w{3}) +(\d+) (\d\d):(\d\d):(\d\d) UTC (\d{4})$/.exec(v);
  if (!m) throw new Error(`no date in ${v}`);
  return Date.UTC(Number(m[6]), MONTHS.indexOf(m[1]!), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
}

/** "Mar 13 03:48" (ls -l) or "Mar 13 03:48:11" (syslog): the year is the clock's */
function shortDate(s: string, year: number): number {
  const m = /^(\w{3}) +(\d+) (\d\d):(\d\d)(?::(\d\d))?/.exec(s);
  if (!m) throw new Error(`no date in ${s}`);
  return Date.UTC(year, MONTHS.indexOf(m[1]!), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5] ?? 0));
}

interface SavedWorld {
  now: number;
  k: { bootTime: number; version: string };
  pkgs: { list: Array<{ name: string; installed: string | null; versions: Array<{ version: string; date?: string }> }> };
  files: { files: Record<string, { mtime: number }> };
}

describe.each([3, 42, 1234])('seed %i: nothing on the machine postdates its clock', (seed) => {
  const g = newGame(seed);
  const w = (g.snapshot().state as unknown as { world: SavedWorld }).world;
  const now = w.now;

  it('is March 2015 on the box', () => {
    expect(new Date(now).toISOString()).toMatch(/^2015-03-/);
  });

  it('every version the archive offers was there by now; every installed one by the last boot', () => {
    const versions = w.pkgs.list.flatMap((e) => e.versions.map((v) => ({ name: e.name, installed: e.installed === v.version, ...v })));
    expect(versions.length).toBeGreaterThan(20);
    for (const v of versions) {
      expect([v.name, v.version, v.date]).toEqual([v.name, v.version, expect.stringMatching(/^\d{4}-\d\d-\d\d$/)]);
      expect([v.name, v.version, dayMs(v.date!) <= now]).toEqual([v.name, v.version, true]);
      if (v.installed) expect([v.name, v.version, dayMs(v.date!) <= w.k.bootTime]).toEqual([v.name, v.version, true]);
    }
  });

  it('every kernel build was compiled before now, and the running one before it booted', () => {
    for (const k of KERNELS) expect([k.release, unameDate(k.version) <= now]).toEqual([k.release, true]);
    expect(unameDate(w.k.version)).toBeLessThanOrEqual(w.k.bootTime);
    const [uname] = play(g, ['uname -v']);
    expect(unameDate(uname!.split('\n')[0]!)).toBeLessThanOrEqual(now);
  });

  it('every file a server hands out existed by now', () => {
    for (const f of NETWORK.files) {
      expect([f.url, dayMs(f.date) <= now, f.modified <= now]).toEqual([f.url, true, true]);
      // and the kernel PPA's build stamp in its name is no later than the file
      const stamp = /\.(\d{12})_/.exec(f.url)?.[1];
      if (stamp) expect(Date.UTC(+stamp.slice(0, 4), +stamp.slice(4, 6) - 1, +stamp.slice(6, 8))).toBeLessThanOrEqual(dayMs(f.date));
    }
  });

  it('no stored file and no log line is from later', () => {
    const year = new Date(now).getUTCFullYear();
    const [dmesg, syslog] = play(g, ['dmesg | tail -n 3', 'tail -n 5 /var/log/syslog']);
    // the clock as the player sees it: work the box had running in the background is done by then
    const after = (g.snapshot().state as unknown as { world: SavedWorld }).world;
    const clock = after.now;
    for (const [path, f] of Object.entries(after.files.files)) expect([path, f.mtime <= clock]).toEqual([path, true]);
    const kmsg = dmesg!.split('\n').filter((l) => /^\[\s*\d/.test(l));
    expect(kmsg.length).toBeGreaterThan(0);
    for (const l of kmsg) {
      const secs = Number(/^\[\s*(\d+\.\d+)\]/.exec(l)?.[1]);
      expect([l, w.k.bootTime + secs * 1000 <= clock]).toEqual([l, true]);
    }
    const sys = syslog!.split('\n').filter((l) => /^\w{3} +\d+ \d\d:\d\d:\d\d /.test(l));
    expect(sys.length).toBeGreaterThan(0);
    for (const l of sys) expect([l, shortDate(l, year) <= clock]).toEqual([l, true]);
  });
});
