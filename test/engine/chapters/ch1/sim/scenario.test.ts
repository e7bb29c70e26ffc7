import * as sim from '../../../../../engine/chapters/ch1/sim';
import { RngStreams } from '../../../../../engine/rng';
import { arrival, DAY, HOUR } from './helpers';

describe('the scenario the player walks into', () => {
  const { w } = arrival(7);

  it('booted days ago on 3.16.0-30 with NSD 4.0.1, and the OOM killer started recently', () => {
    expect(sim.uname(w).release).toBe('3.16.0-30-generic');
    expect(sim.uname(w).version).toMatch(/^#40~14\.04\.1-Ubuntu SMP /);
    expect(w.nsd.installed).toBe('4.0.1-1');
    const first = sim.firstOomKill(w);
    expect(first).toBeGreaterThan(0);
    const sinceBoot = (first - w.k.bootTime) / DAY;
    expect(sinceBoot).toBeGreaterThan(2);
    expect(sinceBoot).toBeLessThan(5);
    const late = (w.now - first) / HOUR;
    expect(late).toBeGreaterThanOrEqual(1);
    expect(late).toBeLessThanOrEqual(6.2);
    const d = new Date(w.now);
    expect(d.getUTCFullYear()).toBe(2015);
    expect(d.getUTCMonth()).toBe(2);
    expect(d.getUTCHours()).toBeLessThan(8);
  });

  it('shows real OOM reports in dmesg and syslog, killing nsd, often a child of the chosen one', () => {
    const ooms = sim.kernelLog(w).filter((e) => e.kind === 'oom');
    expect(ooms.length).toBeGreaterThan(5);
    const reports = ooms.map((e) => (e.kind === 'oom' ? e.report : null)!);
    expect(reports.every((r) => r.killed.comm === 'nsd')).toBe(true);
    expect(reports.some((r) => r.killed.pid !== r.chosen.pid)).toBe(true);
    const r = reports[reports.length - 1]!;
    expect(r.trigger.comm).toBe('nsd');
    expect(r.tasks.filter((t) => t.name === 'nsd').length).toBeGreaterThanOrEqual(2);
    // at the moment of the kill memory is at its low-water marks, and nearly all of it is slab
    expect(r.mem.free * 4).toBeGreaterThan(0);
    expect(r.mem.free * 4).toBeLessThan(64 * 1024);
    expect(r.mem.slabUnreclaimable * 4).toBeGreaterThan(sim.meminfo(w).MemTotal * 0.5);
    const log = sim.syslog(w);
    expect(log.some((e) => e.kind === 'oom')).toBe(true);
    const texts = log.filter((e) => e.kind === 'line').map((e) => (e.kind === 'line' ? e.record.text : ''));
    expect(texts.some((t) => /^server \d+ died unexpectedly with status 9, restarting$/.test(t))).toBe(true);
    expect(texts.some((t) => /^xfrd: zone \S+ committed "received update to serial \d+ at 2015-\d\d-\d\dT\d\d:\d\d:\d\d from 192\.0\.2\.\d+"$/.test(t))).toBe(true);
  });

  it('has SUnreclaim huge, anon_vma_chain on top of slabtop, and "used" far above the RSS sum', () => {
    const mi = sim.meminfo(w);
    expect(mi.SUnreclaim).toBeGreaterThan(mi.MemTotal * 0.3);
    const caches = sim.slabCaches(w).sort((a, b) => b.numObjs - a.numObjs);
    expect(caches[0]!.name).toBe('anon_vma_chain');
    const used = mi.MemTotal - mi.MemFree - mi.Buffers - mi.Cached - mi.SReclaimable;
    const rss = sim.processes(w).reduce((a, p) => a + p.rssKb, 0);
    expect(used).toBeGreaterThan(2 * rss);
  });

  it('has DNS flapping: probes failed in the last hours, while NSD still runs', () => {
    expect(w.nsd.running).not.toBeNull();
    expect(sim.dnsProbeFailures(w, w.now - 6 * HOUR, w.now, w.p.probeOffsetSec)).toBeGreaterThan(0);
    expect(sim.dnsProbeFailures(w, w.k.bootTime + HOUR, w.k.bootTime + DAY, w.p.probeOffsetSec)).toBe(0);
  });

  it('is the same world for the same seed, and a different one for another', () => {
    const a = sim.createCh1World(new RngStreams(7));
    expect(JSON.stringify(a)).toBe(JSON.stringify(w));
    const b = sim.createCh1World(new RngStreams(8));
    expect(b.p.hostname + b.p.ip + b.p.anonVmas + b.now).not.toBe(a.p.hostname + a.p.ip + a.p.anonVmas + a.now);
  });
});
