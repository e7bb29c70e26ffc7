import { newGame, play, roundTrip, FIND_CULPRIT } from '../chapters/ch1/walkthrough.helpers';
import { restoreGame, type GameHandle } from '../../../engine/index';
import { pcpOf, zoneTuning } from '../../../engine/kernel/zones';
import { fresh } from '../chapters/ch1/sim/helpers';

/**
 * /proc/vmstat, /proc/zoneinfo, /proc/buddyinfo and /proc/cpuinfo on the chapter's box: read
 * together, they agree with /proc/meminfo and with each other the way a 3.16 kernel's do, their
 * per-zone set-up follows mm/page_alloc.c from vm.min_free_kbytes, and the event counters only
 * grow while the box stays up.
 */

interface Zone {
  name: string;
  fields: Record<string, number>;
  protection: number[];
  pagesets: Array<{ count: number; high: number; batch: number; threshold: number }>;
}

interface Reading {
  meminfo: Record<string, number>;
  vmstat: Record<string, number>;
  zones: Zone[];
  buddy: Array<{ name: string; blocks: number[] }>;
  minFreeKbytes: number;
  nproc: number;
  cpuinfo: string;
}

const SEP = '\n=====\n';

/** everything read by one command line, so at one instant of the simulation's clock */
function read(g: GameHandle): Reading {
  const parts = play(g, [
    ['/proc/meminfo', '/proc/vmstat', '/proc/zoneinfo', '/proc/buddyinfo', '/proc/sys/vm/min_free_kbytes'].map((f) => `cat ${f}`).join('; echo =====; ') +
      '; echo =====; nproc; echo =====; cat /proc/cpuinfo; echo =====',
  ])[0]!.split(SEP);
  const [mem, vm, zi, bi, mfk, np, cpu] = parts;
  const meminfo: Record<string, number> = {};
  for (const l of mem!.split('\n')) {
    const m = /^([^:]+):\s+(\d+)/.exec(l);
    if (m) meminfo[m[1]!] = Number(m[2]);
  }
  const vmstat: Record<string, number> = {};
  for (const l of vm!.split('\n')) {
    const m = /^(\w+) (\d+)$/.exec(l);
    if (m) vmstat[m[1]!] = Number(m[2]);
  }
  const zones: Zone[] = zi!
    .split(/^(?=Node 0, zone)/m)
    .filter((s) => s.startsWith('Node'))
    .map((s) => {
      const name = /^Node 0, zone +(\S+)/.exec(s)![1]!;
      const fields: Record<string, number> = {};
      for (const m of s.matchAll(/^ +(pages free|min|low|high|scanned|spanned|present|managed|[a-z_]+) +(\d+)$/gm)) fields[m[1]!] = Number(m[2]);
      for (const m of s.matchAll(/^  (all_unreclaimable|start_pfn|inactive_ratio): +(\d+)$/gm)) fields[m[1]!] = Number(m[2]);
      const protection = /protection: \(([\d, ]+)\)/.exec(s)![1]!.split(', ').map(Number);
      const pagesets = [...s.matchAll(/cpu: \d+\n +count: (\d+)\n +high: +(\d+)\n +batch: (\d+)\n  vm stats threshold: (\d+)/g)].map((m) => ({
        count: Number(m[1]),
        high: Number(m[2]),
        batch: Number(m[3]),
        threshold: Number(m[4]),
      }));
      return { name, fields, protection, pagesets };
    });
  const buddy = bi!
    .split('\n')
    .filter((l) => l.startsWith('Node'))
    .map((l) => {
      const m = /^Node 0, zone +(\S+) ((?: *\d+ ){11})$/.exec(l)!;
      return { name: m[1]!, blocks: m[2]!.trim().split(/ +/).map(Number) };
    });
  return { meminfo, vmstat, zones, buddy, minFreeKbytes: Number(mfk!.trim()), nproc: Number(np!.trim()), cpuinfo: cpu! };
}

/** the gauges /proc/vmstat must show as /proc/meminfo's kB in pages, at the same instant */
function expectAgreesWithMeminfo(r: Reading): void {
  const m = r.meminfo;
  const v = r.vmstat;
  // the kernel counts these in pages: none of them can be a part of one
  for (const f of ['MemFree', 'Buffers', 'Cached', 'SwapCached', 'Active', 'Inactive', 'Active(anon)', 'Inactive(anon)', 'Active(file)', 'Inactive(file)', 'Dirty', 'AnonPages', 'Mapped', 'Shmem', 'Slab', 'SReclaimable', 'SUnreclaim', 'PageTables']) {
    expect([f, m[f]! % 4]).toEqual([f, 0]);
  }
  expect(v.nr_free_pages! * 4).toBe(m.MemFree);
  // MemAvailable as meminfo_proc_show() works it out from these counters and the zones' low marks
  const wmarkLow = r.zones.reduce((n, z) => n + z.fields.low!, 0);
  const file = v.nr_active_file! + v.nr_inactive_file!;
  const recl = v.nr_slab_reclaimable!;
  const avail = v.nr_free_pages! - wmarkLow + file - Math.min(Math.floor(file / 2), wmarkLow) + recl - Math.min(Math.floor(recl / 2), wmarkLow);
  expect(m.MemAvailable).toBe(Math.max(0, avail) * 4);
  expect(v.nr_slab_reclaimable! * 4).toBe(m.SReclaimable);
  expect(v.nr_slab_unreclaimable! * 4).toBe(m.SUnreclaim);
  expect(v.nr_anon_pages! * 4).toBe(m.AnonPages);
  expect(v.nr_file_pages! * 4).toBe(m.Cached! + m.Buffers! + m.SwapCached!);
  expect(v.nr_shmem! * 4).toBe(m.Shmem);
  expect(v.nr_kernel_stack! * 16).toBe(m.KernelStack);
  expect(v.nr_page_table_pages! * 4).toBe(m.PageTables);
  expect(v.nr_dirty! * 4).toBe(m.Dirty);
  expect(v.nr_writeback! * 4).toBe(m.Writeback);
  expect(v.nr_mapped! * 4).toBe(m.Mapped);
  expect(v.nr_active_anon! * 4).toBe(m['Active(anon)']);
  expect(v.nr_inactive_file! * 4).toBe(m['Inactive(file)']);
}

/** the zones add up to the global counters, the buddy lists to each zone's free pages */
function expectZonesAddUp(r: Reading): void {
  const zoneItems = Object.keys(r.zones[0]!.fields).filter((k) => /^(nr_|numa_|workingset_)/.test(k));
  expect(zoneItems).toHaveLength(38);
  for (const item of zoneItems) {
    const sum = r.zones.reduce((n, z) => n + z.fields[item]!, 0);
    expect([item, sum]).toEqual([item, r.vmstat[item]]);
  }
  expect(r.buddy.map((b) => b.name)).toEqual(r.zones.map((z) => z.name));
  for (const [i, b] of r.buddy.entries()) {
    const free = b.blocks.reduce((n, c, order) => n + c * 2 ** order, 0);
    expect(free).toBe(r.zones[i]!.fields['pages free']);
    expect(r.zones[i]!.fields.nr_free_pages).toBe(r.zones[i]!.fields['pages free']);
  }
}

/** __setup_per_zone_wmarks, setup_per_zone_lowmem_reserve and zone_batchsize, worked by hand */
function expectZoneSetup(r: Reading): void {
  const managed = r.zones.map((z) => z.fields.managed!);
  const lowmem = managed.reduce((a, b) => a + b, 0);
  // the zones' managed pages are what MemTotal counts
  expect(lowmem * 4).toBe(r.meminfo.MemTotal);
  const pagesMin = r.minFreeKbytes >> 2;
  const ratio = [256, 256, 32];
  const m4 = [...managed, 0, 0, 0].slice(0, 4);
  for (const [i, z] of r.zones.entries()) {
    const tmp = Math.floor((pagesMin * z.fields.managed!) / lowmem);
    expect([z.name, z.fields.min, z.fields.low, z.fields.high]).toEqual([z.name, tmp, tmp + (tmp >> 2), tmp + (tmp >> 1)]);
    const prot = [0, 1, 2, 3].map((j) => (j <= i ? 0 : Math.floor(m4.slice(i + 1, j + 1).reduce((a, b) => a + b, 0) / ratio[i]!)));
    expect(z.protection).toEqual(prot);
    expect(z.pagesets).toHaveLength(r.nproc);
    for (const p of z.pagesets) {
      expect(p.count).toBeLessThanOrEqual(p.high);
      if (z.name === 'DMA') expect([p.high, p.batch]).toEqual([0, 1]);
      else expect([p.high, p.batch]).toEqual([186, 31]);
    }
    expect(z.fields.present).toBeLessThanOrEqual(z.fields.spanned!);
    expect(z.fields.managed).toBeLessThanOrEqual(z.fields.present!);
  }
  // a 2 GB VM has DMA and DMA32; a 4 GB one has its last GiB above the PCI hole, in Normal
  const names = r.zones.map((z) => z.name);
  expect(names).toEqual(r.meminfo.MemTotal! < 3_000_000 ? ['DMA', 'DMA32'] : ['DMA', 'DMA32', 'Normal']);
  expect(r.zones.map((z) => z.fields.start_pfn)).toEqual([1, 4096, 1048576].slice(0, names.length));
}

function expectCpuinfo(r: Reading): void {
  const blocks = r.cpuinfo.split('\n\n').filter((b) => b.startsWith('processor'));
  expect(blocks).toHaveLength(r.nproc);
  for (const [i, b] of blocks.entries()) {
    expect(b).toMatch(new RegExp(`^processor\\t: ${i}\\nvendor_id\\t: GenuineIntel\\n`));
    expect(b).toMatch(/\ncpu MHz\t\t: 2\d{3}\.\d{3}\n/);
    const mhz = Number(/cpu MHz\t\t: ([\d.]+)/.exec(b)![1]);
    const bogo = Number(/bogomips\t: ([\d.]+)/.exec(b)![1]);
    // loops_per_jiffy comes from the TSC: bogomips is twice the MHz, to the hundredth
    expect(Math.abs(bogo - 2 * mhz)).toBeLessThan(0.01);
    expect(b).toContain(`\nsiblings\t: ${r.nproc}\ncore id\t\t: ${i}\ncpu cores\t: ${r.nproc}\napicid\t\t: ${2 * i}\n`);
    expect(b).toMatch(/\nflags\t\t: fpu vme de .* hypervisor lahf_lm abm xsaveopt fsgsbase .* invpcid\n/);
  }
}

/** counters that only ever grow during a boot */
const EVENTS = [
  'nr_dirtied', 'nr_written', 'nr_vmscan_write', 'numa_hit', 'numa_local', 'workingset_refault', 'workingset_activate',
  'pgpgin', 'pgpgout', 'pswpin', 'pswpout', 'pgalloc_dma', 'pgalloc_dma32', 'pgalloc_normal', 'pgfree', 'pgactivate',
  'pgdeactivate', 'pgfault', 'pgmajfault', 'pgrefill_dma32', 'pgrefill_normal', 'pgsteal_kswapd_dma32', 'pgsteal_kswapd_normal',
  'pgsteal_direct_dma32', 'pgsteal_direct_normal', 'pgscan_kswapd_dma32', 'pgscan_kswapd_normal', 'pgscan_direct_dma32',
  'pgscan_direct_normal', 'slabs_scanned', 'kswapd_low_wmark_hit_quickly', 'pageoutrun', 'allocstall', 'drop_pagecache', 'drop_slab',
];

function expectGrown(before: Reading, after: Reading): void {
  for (const e of EVENTS) expect([e, after.vmstat[e]! >= (before.vmstat[e] ?? 0)]).toEqual([e, true]);
}

function expectConsistent(r: Reading): void {
  expectAgreesWithMeminfo(r);
  expectZonesAddUp(r);
  expectZoneSetup(r);
  expectCpuinfo(r);
}

/** seed 38 draws a 2 GB VM with one CPU; 1, 7 and 42 draw 4 GB with two */
describe.each([1, 7, 42, 38])('seed %i: the /proc memory and CPU files', (seed) => {
  it('agree with meminfo and each other at arrival, through a day of the storm, and after a restart bandage', () => {
    const g = newGame(seed);
    const arrival = read(g);
    expectConsistent(arrival);
    // the box has been up for days: it has faulted, allocated, freed and reclaimed
    for (const e of ['pgfault', 'pgalloc_dma32', 'pgfree', 'pgpgout', 'numa_hit', 'nr_written']) expect(arrival.vmstat[e]).toBeGreaterThan(0);
    expect(arrival.vmstat.pgfree).toBeGreaterThan(arrival.vmstat.pgalloc_dma32! + arrival.vmstat.pgalloc_normal!);
    play(g, ['sleep 1d']);
    const storm = read(g);
    expectConsistent(storm);
    expectGrown(arrival, storm);
    play(g, [...FIND_CULPRIT, "echo '0 */6 * * * root service nsd restart' | sudo tee /etc/cron.d/nsd-restart", 'sudo service nsd restart', 'sleep 2h']);
    const fixed = read(g);
    expectConsistent(fixed);
    expectGrown(storm, fixed);
  });
});

describe('the OOM report and /proc/zoneinfo', () => {
  it.each([1, 38])('seed %i: the report lists the zones zoneinfo lists, with their sizes and the last one\'s watermarks', (seed) => {
    const g = newGame(seed);
    const r = read(g);
    const lines = play(g, ['sudo dmesg | grep "Node 0 .* free:.* present:"'])[0]!.split('\n').filter((l) => l.includes('present:'));
    const last = lines.slice(-r.zones.length).map((l) => {
      const m = /Node 0 (\S+) free:(\d+)kB min:(\d+)kB low:(\d+)kB high:(\d+)kB .* present:(\d+)kB managed:(\d+)kB/.exec(l)!;
      const [free, min, low, high, present, managed] = m.slice(2, 8).map(Number) as [number, number, number, number, number, number];
      return { name: m[1]!, free, min, low, high, present, managed };
    });
    expect(last.map((z) => z.name)).toEqual(r.zones.map((z) => z.name));
    expect(last.map((z) => [z.present, z.managed])).toEqual(r.zones.map((z) => [z.fields.present! * 4, z.fields.managed! * 4]));
    const main = r.zones[r.zones.length - 1]!;
    expect(last[last.length - 1]).toMatchObject({ min: main.fields.min! * 4, low: main.fields.low! * 4, high: main.fields.high! * 4 });
    // DMA, fenced off by the lowmem reserves, is as free in the report as it is now
    expect(last[0]!.free).toBe(r.zones[0]!.fields['pages free']! * 4);
  });
});

describe('the files over time', () => {
  it('counters grow step by step, and drop_caches is counted as 3.16 counts it', () => {
    const g = newGame(42);
    let prev = read(g);
    for (const step of ['sleep 30', 'sleep 10m', 'echo 1 | sudo tee /proc/sys/vm/drop_caches', 'sleep 1h', 'echo 3 | sudo tee /proc/sys/vm/drop_caches', 'sleep 3h']) {
      play(g, [step]);
      const r = read(g);
      expectAgreesWithMeminfo(r);
      expectZonesAddUp(r);
      expectGrown(prev, r);
      prev = r;
    }
    expect([prev.vmstat.drop_pagecache, prev.vmstat.drop_slab]).toEqual([2, 1]);
  });

  it('swap traffic: what reclaim wrote out is pswpout, what came back (swapoff) pswpin', () => {
    const g = newGame(7);
    play(g, ['sudo fallocate -l 1G /swapfile', 'sudo chmod 600 /swapfile', 'sudo mkswap /swapfile', 'sudo swapon /swapfile']);
    let prev = read(g);
    for (const step of ['sleep 2h', 'sleep 6h', 'sudo swapoff /swapfile', 'sleep 1h']) {
      play(g, [step]);
      const r = read(g);
      expectAgreesWithMeminfo(r);
      expectZonesAddUp(r);
      expectGrown(prev, r);
      // pages in swap now are pages written out and not read back
      expect(r.vmstat.pswpout! - r.vmstat.pswpin!).toBeGreaterThanOrEqual(Math.floor((r.meminfo.SwapTotal! - r.meminfo.SwapFree!) / 4) - 1);
      prev = r;
    }
    expect(prev.meminfo.SwapTotal).toBe(0);
    expect(prev.vmstat.pswpout).toBeGreaterThan(0);
    expect(prev.vmstat.pswpin).toBe(prev.vmstat.pswpout);
  });

  it('the storm empties the high orders of the buddy lists; a fresh boot keeps large blocks', () => {
    const calm = fresh(42);
    const g = newGame(42);
    play(g, ['sleep 1d']);
    const storm = read(g);
    const topOrder = (blocks: number[]) => blocks.reduce((top, n, order) => (n > 0 ? order : top), -1);
    for (const b of storm.buddy.slice(1)) expect(topOrder(b.blocks)).toBeLessThan(8);
    // at boot the zones set up from the same sizes: the DMA32 zone of the fresh box
    const z = zoneTuning(calm.w.k);
    expect(z[1]!.name).toBe('DMA32');
    expect(pcpOf(z[1]!.managedPages)).toEqual({ high: 186, batch: 31 });
    expect(pcpOf(3977)).toEqual({ high: 0, batch: 1 });
  });

  it('vmstat and free read the same counters as the files', () => {
    const g = newGame(7);
    const [out] = play(g, ['cat /proc/vmstat; echo =====; vmstat -s; echo =====; free; echo =====; cat /proc/meminfo']);
    const [vm, s, free, mem] = out!.split(SEP);
    const v = Object.fromEntries(vm!.trim().split('\n').map((l) => l.split(' ')).map(([k, n]) => [k, Number(n)]));
    const stat = (what: string) => Number(new RegExp(`^ +(\\d+) (?:K )?${what}$`, 'm').exec(s!)![1]);
    expect(stat('pages paged in')).toBe(v.pgpgin);
    expect(stat('pages paged out')).toBe(v.pgpgout);
    expect(stat('pages swapped in')).toBe(v.pswpin);
    expect(stat('pages swapped out')).toBe(v.pswpout);
    const memFree = Number(/^MemFree: +(\d+)/m.exec(mem!)![1]);
    expect(stat('free memory')).toBe(memFree);
    expect(Number(/^Mem: +\d+ +\d+ +(\d+)/m.exec(free!)![1])).toBe(memFree);
    expect(Math.floor(memFree / 4)).toBe(v.nr_free_pages);
  });
});

describe('bogomips', () => {
  it('dmesg\'s smpboot total is every CPU\'s loops_per_jiffy of /proc/cpuinfo added up, for this boot', () => {
    const g = newGame(38);
    play(g, ['sudo reboot']);
    for (const _ of [0, 1]) {
      const [out] = play(g, ['dmesg | grep "processors activated"; grep bogomips /proc/cpuinfo; nproc']);
      const m = /smpboot: Total of (\d+) processors activated \((\d+\.\d\d) BogoMIPS\)/.exec(out!)!;
      const each = [...out!.matchAll(/^bogomips\t: (\d+\.\d\d)$/gm)].map((x) => Number(x[1]));
      const n = Number(/^(\d+)$/m.exec(out!)![1]);
      expect(Number(m[1])).toBe(n);
      expect(each).toHaveLength(n);
      expect(Math.abs(Number(m[2]) - each.reduce((a, b) => a + b, 0))).toBeLessThanOrEqual(0.01 * n);
      play(g, ['sudo reboot']);
    }
  });
});

describe('saves', () => {
  it('the files read the same from a restored game', () => {
    const g = newGame(1);
    play(g, ['sleep 2h', 'echo 1 | sudo tee /proc/sys/vm/drop_caches']);
    const copy = roundTrip(g);
    const cmd = ['cat /proc/vmstat /proc/zoneinfo /proc/buddyinfo /proc/cpuinfo', 'sleep 1h', 'cat /proc/vmstat /proc/zoneinfo /proc/buddyinfo'];
    const original = play(g, cmd);
    expect(original[0]).toMatch(/^nr_free_pages \d+\n/);
    expect(play(copy, cmd)).toEqual(original);
  });

  it('a save from before the kernel counted reclaim loads and counts from zero', () => {
    const g = newGame(1);
    const snap = JSON.parse(JSON.stringify(g.snapshot())) as { state: { world: { k: { vmev?: unknown } } } };
    expect(snap.state.world.k.vmev).toBeDefined();
    delete snap.state.world.k.vmev;
    const old = restoreGame(snap as unknown as Parameters<typeof restoreGame>[0]);
    const r = read(old);
    expectConsistent(r);
    expect([r.vmstat.allocstall, r.vmstat.pageoutrun, r.vmstat.drop_pagecache]).toEqual([0, 0, 0]);
  });
});
