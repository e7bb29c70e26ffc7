import { apportion, buddySplit, formatOomReport, oomReportRecords } from '../../../engine/formats/oomReport';
import type { OomReportView } from '../../../engine/formats/types';

const DMA_PRESENT_PAGES = 3998;

function view(over: Partial<OomReportView['mem']> = {}, trigger: Partial<OomReportView['trigger']> = {}): OomReportView {
  return {
    trigger: { comm: 'nsd', pid: 2412, gfpMask: 0xd0, order: 0, oomScoreAdj: 0, ...trigger },
    cpu: 1,
    kernelRelease: '3.16.0-30-generic',
    kernelBuild: '#40~14.04.1-Ubuntu',
    hardware: 'Xen HVM domU, BIOS 4.2.amazon 12/07/2014',
    mem: {
      activeAnon: 95003, inactiveAnon: 141, activeFile: 31, inactiveFile: 62, unevictable: 0, dirty: 3, writeback: 0,
      free: 11217, slabReclaimable: 4101, slabUnreclaimable: 380007, mapped: 41, shmem: 90, pagetables: 1801,
      kernelStackKb: 1680, minKb: 44900, lowKb: 56124, highKb: 67348,
      presentKb: (524158 - DMA_PRESENT_PAGES) * 4, managedKb: (524158 - DMA_PRESENT_PAGES) * 4 - (16930 - 21) * 4,
      swapTotalKb: 0, swapFreeKb: 0, pageCachePages: 204, totalRamPages: 524158, reservedPages: 16930,
      ...over,
    },
    tasks: [
      { pid: 1, uid: 0, tgid: 1, totalVm: 8410, rss: 730, nrPtes: 22, swapents: 0, oomScoreAdj: 0, name: 'init' },
      { pid: 293, uid: 0, tgid: 293, totalVm: 12802, rss: 154, nrPtes: 28, swapents: 0, oomScoreAdj: -1000, name: 'systemd-udevd' },
      { pid: 2412, uid: 108, tgid: 2412, totalVm: 123456, rss: 45528, nrPtes: 234, swapents: 0, oomScoreAdj: 0, name: 'nsd' },
    ],
    chosen: { pid: 2412, comm: 'nsd', score: 88 },
    killed: { pid: 2415, comm: 'nsd', totalVmKb: 493824, anonRssKb: 180912, fileRssKb: 1200 },
  };
}

const field = (line: string, name: string): number => Number(new RegExp(`[ ]${name.replace(/[()]/g, '\\$&')}:(\\d+)`).exec(line)?.[1]);

describe('OOM killer report (3.16)', () => {
  const lines = formatOomReport(view(), { cpus: 2 });

  it('opens with the trigger, cpuset, CPU and hardware lines', () => {
    expect(lines.slice(0, 4)).toEqual([
      'nsd invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=0',
      'nsd cpuset=/ mems_allowed=0',
      'CPU: 1 PID: 2412 Comm: nsd Not tainted 3.16.0-30-generic #40~14.04.1-Ubuntu',
      'Hardware name: Xen HVM domU, BIOS 4.2.amazon 12/07/2014',
    ]);
  });

  it('dumps three lines of four stack words, then a call trace through fork', () => {
    for (const l of lines.slice(4, 7)) expect(l).toMatch(/^( [0-9a-f]{16}){4}$/);
    expect(lines[7]).toBe('Call Trace:');
    const trace = lines.slice(8, lines.indexOf('Mem-Info:'));
    for (const l of trace) expect(l).toMatch(/^ \[<ffffffff8[0-9a-f]{7}>\] (\? )?[\w.]+\+0x[0-9a-f]+\/0x[0-9a-f]+$/);
    const names = trace.filter((l) => !l.includes('] ? ')).map((l) => l.split('] ')[1].split('+')[0]);
    expect(names.slice(0, 5)).toEqual(['dump_stack', 'dump_header', 'oom_kill_process', 'out_of_memory', '__alloc_pages_nodemask']);
    expect(names).toEqual(expect.arrayContaining(['kmem_cache_alloc', 'anon_vma_fork', 'do_fork', 'SyS_clone']));
    expect(names.some((n) => n.startsWith('copy_process'))).toBe(true);
    // the return address in the stack words is the dump_stack frame's address
    expect(lines[4].split(' ')[3]).toBe(/<(\w+)>/.exec(trace[0])?.[1]);
  });

  it('takes the page-fault path for a GFP_HIGHUSER_MOVABLE allocation', () => {
    const fault = formatOomReport(view({}, { gfpMask: 0x200da })).join('\n');
    expect(fault).toContain('gfp_mask=0x200da');
    expect(fault).toContain('] handle_mm_fault+');
    expect(fault).toContain('] __do_page_fault+');
    expect(fault).not.toContain('do_fork');
  });

  it('prints the global counters as one multi-line record', () => {
    const i = lines.indexOf('active_anon:95003 inactive_anon:141 isolated_anon:0');
    expect(lines.slice(i, i + 6)).toEqual([
      'active_anon:95003 inactive_anon:141 isolated_anon:0',
      ' active_file:31 inactive_file:62 isolated_file:0',
      ' unevictable:0 dirty:3 writeback:0 unstable:0',
      ' free:11217 slab_reclaimable:4101 slab_unreclaimable:380007',
      ' mapped:41 shmem:90 pagetables:1801 bounce:0',
      ' free_cma:0',
    ]);
  });

  it('shows per-cpu pagesets sized by zone_batchsize()', () => {
    expect(lines).toContain('Node 0 DMA per-cpu:');
    expect(lines).toContain('CPU    1: hi:    0, btch:   1 usd:   0');
    expect(lines.filter((l) => /^CPU    \d: hi:  186, btch:  31 usd:/.test(l))).toHaveLength(2);
  });

  it('splits every counter across zones so that the zones add back up', () => {
    const zones = lines.filter((l) => /^Node 0 \w+ free:/.test(l));
    expect(zones.map((z) => z.split(' ')[2])).toEqual(['DMA', 'DMA32']);
    const sum = (name: string) => zones.reduce((a, z) => a + field(z, name), 0);
    const v = view().mem;
    expect(sum('free')).toBe(v.free * 4);
    expect(sum('active_anon')).toBe(v.activeAnon * 4);
    expect(sum('slab_unreclaimable')).toBe(v.slabUnreclaimable * 4);
    expect(sum('pagetables')).toBe(v.pagetables * 4);
    expect(sum('kernel_stack')).toBe(v.kernelStackKb);
    expect(sum('present')).toBe(v.totalRamPages * 4);
    expect(sum('present') - sum('managed')).toBe(v.reservedPages * 4);
    expect(zones[0]).toContain(' present:15992kB managed:15908kB ');
  });

  it('keeps the view\'s watermarks on the last zone and scales them for DMA', () => {
    const dma = lines.find((l) => l.startsWith('Node 0 DMA free:')) as string;
    const dma32 = lines.find((l) => l.startsWith('Node 0 DMA32 free:')) as string;
    expect(dma32).toContain(' min:44900kB low:56124kB high:67348kB ');
    // min pages = 11225 * 3977 / 503251 = 88; low = min + min/4; high = min + min/2
    expect(dma).toContain(' min:352kB low:440kB high:528kB ');
    expect(dma32.endsWith(` pages_scanned:${(31 + 62) * 6} all_unreclaimable? yes`)).toBe(true);
  });

  it('prints lowmem_reserve from managed pages and the 256 ratio', () => {
    const i = lines.findIndex((l) => l.startsWith('Node 0 DMA free:'));
    expect(lines[i + 1]).toBe(`lowmem_reserve[]: 0 ${Math.floor(503251 / 256)} ${Math.floor(503251 / 256)} ${Math.floor(503251 / 256)}`);
    expect(lines[i + 3]).toBe('lowmem_reserve[]: 0 0 0 0');
  });

  it('prints buddy lists that add up to each zone\'s free memory', () => {
    const zones = lines.filter((l) => /^Node 0 \w+ free:/.test(l));
    const buddies = lines.filter((l) => /^Node 0 \w+: \d+\*4kB /.test(l));
    expect(buddies).toHaveLength(2);
    buddies.forEach((b, i) => {
      const parts = [...b.matchAll(/(\d+)\*(\d+)kB/g)].map((m) => Number(m[1]) * Number(m[2]));
      const total = Number(/= (\d+)kB$/.exec(b)?.[1]);
      expect(parts).toHaveLength(11);
      expect(parts.reduce((a, x) => a + x, 0)).toBe(total);
      expect(total).toBe(field(zones[i], 'free'));
      expect(b).toMatch(/^Node 0 \w+: (\d+\*\d+kB (\([UEMR]+\) )?){11}= \d+kB$/);
      expect(b).not.toMatch(/ 0\*\d+kB \(/);
    });
  });

  it('closes show_mem with the page and swap totals', () => {
    const i = lines.indexOf('204 total pagecache pages');
    expect(lines.slice(i - 1, i + 9)).toEqual([
      'Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB',
      '204 total pagecache pages',
      '0 pages in swap cache',
      'Swap cache stats: add 0, delete 0, find 0/0',
      'Free swap  = 0kB',
      'Total swap = 0kB',
      '524158 pages RAM',
      '0 pages HighMem/MovableOnly',
      '16930 pages reserved',
      '[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name',
    ]);
  });

  it('prints the task table with dump_tasks() widths and the kill lines', () => {
    expect(lines.slice(-5)).toEqual([
      '[    1]     0     1     8410      730      22        0             0 init',
      '[  293]     0   293    12802      154      28        0         -1000 systemd-udevd',
      '[ 2412]   108  2412   123456    45528     234        0             0 nsd',
      'Out of memory: Kill process 2412 (nsd) score 88 or sacrifice child',
      'Killed process 2415 (nsd) total-vm:493824kB, anon-rss:180912kB, file-rss:1200kB',
    ]);
  });

  it('adds a Normal zone when the last zone sits above 4 GiB', () => {
    const big = formatOomReport(
      view({ totalRamPages: 1965934, reservedPages: 45000, presentKb: 1048576 * 4, managedKb: 1032000 * 4 }),
    );
    const zones = big.filter((l) => /^Node 0 \w+ free:/.test(l));
    expect(zones.map((z) => z.split(' ')[2])).toEqual(['DMA', 'DMA32', 'Normal']);
    expect(zones[2]).toContain(' present:4194304kB managed:4128000kB ');
    const reserves = big.filter((l) => l.startsWith('lowmem_reserve'));
    const dma32Managed = 1965934 - 1048576 - DMA_PRESENT_PAGES - (45000 - (1048576 - 1032000) - 21);
    expect(reserves).toEqual([
      `lowmem_reserve[]: 0 ${Math.floor(dma32Managed / 256)} ${Math.floor((dma32Managed + 1032000) / 256)} ${Math.floor((dma32Managed + 1032000) / 256)}`,
      `lowmem_reserve[]: 0 0 ${Math.floor(1032000 / 256)} ${Math.floor(1032000 / 256)}`,
      'lowmem_reserve[]: 0 0 0 0',
    ]);
  });

  it('stamps records a few microseconds apart, continuations sharing their record\'s stamp and level', () => {
    const recs = oomReportRecords(view(), 12345678.901, { cpus: 2 });
    expect(recs).toHaveLength(lines.length);
    expect(recs[0]).toEqual({ sinceBootMs: 12345678.901, level: 4, text: lines[0] });
    expect(recs[1].level).toBe(6);
    expect(recs[recs.length - 1].level).toBe(3);
    const i = recs.findIndex((r) => r.text.startsWith('active_anon:'));
    for (let k = 1; k <= 5; k++) expect(recs[i + k].sinceBootMs).toBe(recs[i].sinceBootMs);
    for (let k = 1; k < recs.length; k++) expect(recs[k].sinceBootMs).toBeGreaterThanOrEqual(recs[k - 1].sinceBootMs);
  });
});

describe('OOM report arithmetic helpers', () => {
  it('apportions exactly by largest remainder', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(7, [0, 2, 5])).toEqual([0, 2, 5]);
    expect(apportion(5, [0, 0])).toEqual([0, 0]);
  });
  it('splits free pages into orders that sum back', () => {
    for (const pages of [0, 1, 3969, 7242, 123457]) {
      const nr = buddySplit(pages);
      expect(nr.reduce((a, n, order) => a + n * 2 ** order, 0)).toBe(pages);
      expect(buddySplit(pages, true).reduce((a, n, order) => a + n * 2 ** order, 0)).toBe(pages);
    }
  });
});
