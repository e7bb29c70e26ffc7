import * as sim from '../../../../../engine/chapters/ch1/sim';
import { fresh, HOUR, installMainline, mainOf, run } from './helpers';

describe('NSD reloads in the simulated process table', () => {
  it('4.0: every reload hands main to a new child (PPID 1) one anon_vma level deeper', () => {
    const g = fresh(3);
    const m0 = mainOf(g.w)!;
    const depth0 = m0.mm!.depth;
    for (let i = 1; i <= 5; i++) {
      g.w.now += 2_000;
      expect(sim.nsdControl(g.w, ['reload'], 'root')).toEqual({ stdout: 'ok\n', stderr: '', code: 0 });
      const m = mainOf(g.w)!;
      expect(m.pid).not.toBe(m0.pid);
      expect(m.ppid).toBe(1);
      expect(m.mm!.depth).toBe(depth0 + i);
    }
    const pidfile = g.w.files.files['/run/nsd/nsd.pid']!.content.trim();
    expect(Number(pidfile)).toBe(mainOf(g.w)!.pid);
    const kids = g.w.k.procs.filter((p) => p.role === 'nsd-child');
    expect(kids).toHaveLength(g.w.p.serverCount);
    for (const k of kids) expect(k.ppid).toBe(mainOf(g.w)!.pid);
  });

  it('the zone transfers alone keep reloading, and SUnreclaim climbs ~50-100 KB per reload', () => {
    const g = fresh(4);
    const before = sim.meminfo(g.w).SUnreclaim;
    const r0 = g.w.stats.reloads;
    run(g, 6 * HOUR);
    const reloads = g.w.stats.reloads - r0;
    expect(reloads).toBeGreaterThan((6 * HOUR) / 11_000);
    const perReload = (sim.meminfo(g.w).SUnreclaim - before) / reloads;
    expect(perReload).toBeGreaterThan(45);
    expect(perReload).toBeLessThan(110);
  });

  it('with the 3.19 fix (the mainline build) the depth stays bounded', () => {
    const g = fresh(4);
    installMainline(g);
    expect(sim.reboot(g.w, g.streams, 'root').ok).toBe(true);
    run(g, 3 * 60_000);
    expect(g.w.k.release).toBe('3.19.0-031900-generic');
    expect(g.w.k.anonVmaReuse).toBe(true);
    run(g, 6 * HOUR);
    expect(g.w.stats.reloads).toBeGreaterThan(1_000);
    expect(mainOf(g.w)!.mm!.depth).toBeLessThanOrEqual(5);
  });

  it('with NSD 4.1 the main keeps its pid and its depth on the old kernel', () => {
    const g = fresh(5);
    g.w.nsd.installed = '4.1.7-1~ubuntu14.04.1';
    expect(sim.serviceNsd(g.w, 'restart', 'root').code).toBe(0);
    const m0 = mainOf(g.w)!;
    run(g, 3 * HOUR);
    const m = mainOf(g.w)!;
    expect(g.w.stats.reloads).toBeGreaterThan(500);
    expect(m.pid).toBe(m0.pid);
    expect(m.mm!.depth).toBe(m0.mm!.depth);
  });

  it('a full restart starts from a fresh chain and gives the slab back', () => {
    const g = fresh(6);
    run(g, 24 * HOUR);
    const leaked = sim.meminfo(g.w).SUnreclaim;
    expect(mainOf(g.w)!.mm!.depth).toBeGreaterThan(5_000);
    const out = sim.serviceNsd(g.w, 'restart', 'root');
    expect(out.stdout).toMatch(/^ \* Restarting domain name service nsd +\[ OK \]\n$/);
    expect(mainOf(g.w)!.mm!.depth).toBeLessThanOrEqual(2);
    expect(sim.meminfo(g.w).SUnreclaim).toBeLessThan(leaked / 5);
    expect(sim.syslog(g.w).some((e) => e.kind === 'line' && /^nsd started \(NSD 4\.0\.1\), pid \d+$/.test(e.record.text))).toBe(true);
  });
});
