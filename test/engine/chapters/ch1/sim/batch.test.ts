import * as sim from '../../../../../engine/chapters/ch1/sim';
import type { Ch1World } from '../../../../../engine/chapters/ch1/sim';
import { arrival, fresh, HOUR, installMainline, run, type Game } from './helpers';

/** OOM kills the log store holds in syslog's records: one per report, a run's reports once per reload */
function killsLogged(w: Ch1World): number {
  let n = 0;
  for (const e of w.logs.syslog) {
    if (e.kind === 'oom') n++;
    else if (e.kind === 'oomrun') {
      const run = w.logs.runs?.[e.run];
      if (run) n += run.n * run.reports.length;
    }
  }
  return n;
}

/** everything the rng does not decide differently between the two paths */
function state(w: Ch1World) {
  const mi = sim.meminfo(w);
  return {
    now: w.now,
    lastPid: w.k.lastPid,
    born: w.k.born,
    procs: w.k.procs.map((p) => [p.pid, p.ppid, p.role, p.slot, p.mm?.depth ?? 0, Math.round(p.start), p.adj].join('/')),
    // page cache and dentries regrow from wherever reclaim last left them, which bulk reloads
    // track less often: those may differ by a page or two, the leak and "used" may not
    mem: [mi.SUnreclaim, mi.AnonPages, mi.PageTables, mi.KernelStack, mi.MemTotal - mi.MemFree - mi.Cached - mi.Buffers - mi.SReclaimable],

    slabs: sim.slabCaches(w).filter((c) => !c.reclaimable).map((c) => `${c.name}:${c.activeObjs}:${c.numSlabs}`),
    stats: [w.stats.reloads, w.stats.reloadFailures, w.stats.forkFailures, w.stats.childRestarts, w.stats.oomKillCount],
    zones: w.nsd.zones.map((z) => `${z.loaded}/${z.disk}`),
    run: w.nsd.running ? [w.nsd.running.mainPid, w.nsd.running.xfrdPid, ...w.nsd.running.slots] : [],
    // bulk runs log their kills in one piece at the end of each run (syslog.ts BulkKills)
    killsLogged: killsLogged(w),
  };
}

function both(make: () => Game, hours: number, chunks: number): { exact: Game; bulk: Game } {
  const exact = make();
  const bulk = make();
  for (let i = 0; i < chunks; i++) {
    run(exact, (hours * HOUR) / chunks, { exact: true });
    run(bulk, (hours * HOUR) / chunks);
    expect(state(bulk.w)).toEqual(state(exact.w));
    const a = sim.meminfo(exact.w);
    const b = sim.meminfo(bulk.w);
    expect(Math.abs(a.SReclaimable - b.SReclaimable)).toBeLessThan(8_192);
    expect(Math.abs(a.Cached - b.Cached)).toBeLessThan(8_192);
  }
  return { exact, bulk };
}

describe('reloads in bulk give what reloads one by one give', () => {
  it('while the leak grows (4.0 on 3.16.0-30), over half a day', () => {
    const { exact, bulk } = both(() => fresh(11), 12, 2);
    expect(bulk.w.stats.reloads).toBeGreaterThan(2_500);
    // no reclaim happened yet, so here even the page cache agrees to the kB
    expect(sim.meminfo(bulk.w)).toEqual(sim.meminfo(exact.w));
  });

  it('in the middle of the OOM storm, over three hours', () => {
    const { exact, bulk } = both(() => arrival(7), 3, 3);
    expect(bulk.w.stats.oomKillCount).toBeGreaterThan(exact.w.stats.oomKillCount - 1);
    const d = (g: Game) => sim.downtimeMs(g.w, g.w.now - 3 * HOUR, g.w.now);
    expect(Math.abs(d(bulk) - d(exact))).toBeLessThan(0.02 * d(exact) + 1_000);
  });

  it('on the fixed kernel, whose reloads alternate between two anon_vma shapes', () => {
    const { bulk } = both(() => {
      const g = fresh(12);
      installMainline(g);
      sim.reboot(g.w, g.streams, 'root');
      return g;
    }, 12, 3);
    expect(bulk.w.k.anonVmaReuse).toBe(true);
  });
});
