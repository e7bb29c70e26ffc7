import * as sim from '../../../../../engine/chapters/ch1/sim';
import { arrival, DAY, HOUR, installMainline, run, samples, type Game } from './helpers';

const SEED = 7;

interface Verdict {
  kills: number;
  probeFailures: number;
  maxSUnreclaim: number;
  firstKill: number;
}

function week(g: Game, t0 = g.w.now): Verdict {
  run(g, t0 + 7 * DAY - g.w.now);
  const w = g.w;
  return {
    kills: sim.oomKillsIn(w, t0, w.now),
    probeFailures: sim.dnsProbeFailures(w, t0, w.now, w.p.probeOffsetSec),
    maxSUnreclaim: Math.max(...samples(w, t0, w.now)),
    firstKill: sim.firstOomKillSince(w, t0),
  };
}

describe('wrong fixes, judged over seven days', () => {
  it('doing nothing: OOM kills and failed probes go on', () => {
    const v = week(arrival(SEED));
    expect(v.kills).toBeGreaterThan(1_000);
    expect(v.probeFailures).toBeGreaterThan(100);
  });

  it('drop_caches frees page cache but nothing of SUnreclaim, and the kills go on', () => {
    const g = arrival(SEED);
    const before = sim.meminfo(g.w);
    expect(sim.dropCaches(g.w, 3, 'root')).toMatchObject({ ok: true, value: 3 });
    const after = sim.meminfo(g.w);
    expect(after.SUnreclaim).toBe(before.SUnreclaim);
    expect(after.Cached).toBeLessThanOrEqual(before.Cached);
    expect(week(g).kills).toBeGreaterThan(1_000);
  });

  it('oom_score_adj -1000 on nsd: everything else is killed instead, then the kernel panics', () => {
    // a seed whose box is deep in the OOM storm on arrival (on a quieter one xfrd can die first and stop the reloads)
    const g = arrival(2);
    const t0 = g.w.now;
    expect(sim.setOomScoreAdj(g.w, g.w.nsd.running!.mainPid, -1000, 'root')).toEqual({ ok: true });
    run(g, HOUR);
    const victims = sim.syslog(g.w).flatMap((e) => (e.kind === 'oom' && e.time >= t0 ? [e.report.killed.comm] : []));
    expect(victims).toContain('collectd');
    expect(victims.some((c) => c === 'sshd' || c === 'bash')).toBe(true);
    expect(g.w.stats.panics.length).toBe(1);
    expect(g.w.stats.sessionLost.length).toBeGreaterThan(0);
    // kernel.panic = 10 brought it back, with a fresh NSD whose oom_score_adj is 0 again
    expect(g.w.machine.up).toBe(true);
    const kernelLine = sim.kernelLog(g.w)[0];
    expect(kernelLine?.kind === 'line' && kernelLine.record.sinceBootMs).toBe(0);
    expect(week(g, t0).kills).toBeGreaterThan(0);
  });

  it('swap delays the next OOM a little, but unreclaimable slab cannot be swapped', () => {
    const plain = arrival(SEED);
    const t0 = plain.w.now;
    sim.serviceNsd(plain.w, 'restart', 'root');
    const swapped = (): Game => {
      const g = arrival(SEED);
      expect(sim.swapCreate(g.w, '/swapfile', 2 * 1024 * 1024, 'root')).toEqual({ ok: true });
      expect(sim.mkswap(g.w, '/swapfile', 'root')).toMatchObject({ ok: true });
      expect(sim.swapon(g.w, '/swapfile', 'root')).toMatchObject({ ok: true });
      sim.serviceNsd(g.w, 'restart', 'root');
      return g;
    };
    const withSwap = swapped();
    expect(sim.meminfo(withSwap.w).SwapTotal).toBeGreaterThan(2 * 1024 * 1024 - 8);
    const a = week(plain, t0);
    const b = week(withSwap, t0);
    expect(a.firstKill).toBeGreaterThan(t0 + DAY);
    expect(b.firstKill).toBeGreaterThan(a.firstKill);
    expect(b.firstKill).toBeLessThan(t0 + 7 * DAY);
    // shortly before that kill the anonymous pages had been pushed out to swap
    const replay = swapped();
    run(replay, b.firstKill - 60_000 - replay.w.now);
    const m = sim.meminfo(replay.w);
    expect(m.SwapFree).toBeLessThan(m.SwapTotal);
  });

  it('more RAM (effective after a reboot) only delays it: the slab keeps growing', () => {
    const small = arrival(SEED);
    const big = arrival(SEED);
    const t0 = small.w.now;
    sim.reboot(small.w, small.streams, 'root');
    expect(sim.setPhysicalMemory(big.w, 8 * 1024 * 1024)).toEqual({ ok: true, effectiveAfterReboot: true });
    expect(sim.meminfo(big.w).MemTotal).toBe(small.w.k.mem.totalKb);
    sim.reboot(big.w, big.streams, 'root');
    const a = week(small, t0);
    const b = week(big, t0);
    expect(big.w.k.mem.totalKb).toBeGreaterThan(2 * small.w.k.mem.totalKb - 200_000);
    expect(a.firstKill).toBeGreaterThan(0);
    expect(b.firstKill === -1 || b.firstKill > a.firstKill + DAY).toBe(true);
    expect(b.maxSUnreclaim).toBeGreaterThan(2 * 1024 * 1024);
  });

  it('one restart helps for a while, then the OOM killer is back within the week', () => {
    const g = arrival(SEED);
    const t0 = g.w.now;
    expect(sim.serviceNsd(g.w, 'restart', 'root').code).toBe(0);
    run(g, DAY);
    expect(sim.oomKillsIn(g.w, t0, g.w.now)).toBe(0);
    expect(sim.dnsProbeFailures(g.w, t0 + HOUR, g.w.now, g.w.p.probeOffsetSec)).toBe(0);
    const v = week(g, t0);
    expect(v.kills).toBeGreaterThan(0);
    expect(v.probeFailures).toBeGreaterThan(0);
  });
});

describe('right fixes, judged over seven days', () => {
  function healthy(v: Verdict): void {
    expect(v.kills).toBe(0);
    expect(v.maxSUnreclaim).toBeLessThan(300 * 1024);
  }

  it('the mainline 3.19 build from the kernel PPA, installed with dpkg -i, after a reboot', () => {
    const g = arrival(SEED);
    const t0 = g.w.now;
    const r = installMainline(g);
    expect(r.run.unconfigured).toEqual([]);
    expect(r.run.configured.map((c) => c.name)).toContain('linux-image-3.19.0-031900-generic');
    expect(sim.fixes(g.w)).toMatchObject({ runningKernelHasFix: false, nextBootKernel: '3.19.0-031900-generic', nextBootKernelHasFix: true });
    expect(g.w.files.files['/var/run/reboot-required']?.content).toBe('*** System restart required ***\n');
    expect(sim.reboot(g.w, g.streams, 'root').ok).toBe(true);
    const v = week(g, t0);
    healthy(v);
    expect(sim.uname(g.w).release).toBe('3.19.0-031900-generic');
    expect(sim.fixes(g.w).runningKernelHasFix).toBe(true);
    expect(v.probeFailures).toBeLessThanOrEqual(3);
  });

  it('the archive offers no kernel with the fix and no NSD newer than 4.0.1 (March 2015)', () => {
    const g = arrival(SEED);
    const nsd = sim.aptInstall(g.w, g.streams, ['nsd'], 'root');
    expect(nsd.plan.upgrade).toEqual([]);
    expect(nsd.plan.notes).toEqual(['nsd is already the newest version.']);
    const dist = sim.aptUpgrade(g.w, g.streams, true, 'root');
    expect(dist.plan.install.filter((i) => i.name.startsWith('linux-image-'))).toEqual([]);
    expect(sim.aptInstall(g.w, g.streams, ['linux-generic-lts-vivid'], 'root').plan.errors).toEqual(['E: Unable to locate package linux-generic-lts-vivid']);
    expect(sim.fixes(g.w)).toMatchObject({ nextBootKernelHasFix: false, runningNsdFixed: false });
  });

  it('a cron job that fully restarts nsd every six hours keeps SUnreclaim bounded', () => {
    const g = arrival(SEED);
    const t0 = g.w.now;
    g.w.files.files['/etc/cron.d/nsd-restart'] = { content: '0 */6 * * * root service nsd restart\n', mode: 0o644, owner: 'root', group: 'root', mtime: t0 };
    expect(sim.fixes(g.w).restartJobs).toEqual([{ file: '/etc/cron.d/nsd-restart', user: 'root', command: 'service nsd restart', periodMinutes: 360 }]);
    sim.serviceNsd(g.w, 'restart', 'root');
    const v = week(g, t0);
    healthy(v);
    expect(g.w.stats.fullRestarts.filter((t) => t > t0).length).toBeGreaterThan(25);
    expect(sim.syslog(g.w).some((e) => e.kind === 'line' && e.record.tag === 'CRON' && e.record.text === '(root) CMD (service nsd restart)')).toBe(true);
  });
});
