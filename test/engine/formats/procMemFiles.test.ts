import { formatProcVmstat, VMSTAT_ITEMS } from '../../../engine/formats/vmstatFile';
import { formatZoneinfo, type ZoneinfoView } from '../../../engine/formats/zoneinfo';
import { formatBuddyinfo } from '../../../engine/formats/buddyinfo';
import { bogomips, formatCpuinfo, type CpuinfoView } from '../../../engine/formats/cpuinfo';

/**
 * The exact text of /proc/vmstat, /proc/zoneinfo, /proc/buddyinfo and /proc/cpuinfo on Linux 3.16
 * (mm/vmstat.c vmstat_text[], vmstat_show(), zoneinfo_show_print(), frag_show_print();
 * arch/x86/kernel/cpu/proc.c show_cpuinfo()), for Ubuntu's x86_64 config (NUMA, DMA, DMA32,
 * compaction, migration, hugetlb and THP built in; no HIGHMEM, no DEBUG_TLBFLUSH).
 */

/** vmstat_text[] of 3.16 with that config, copied out of the source in order */
const NAMES_316 = `nr_free_pages nr_alloc_batch nr_inactive_anon nr_active_anon nr_inactive_file nr_active_file
nr_unevictable nr_mlock nr_anon_pages nr_mapped nr_file_pages nr_dirty nr_writeback nr_slab_reclaimable
nr_slab_unreclaimable nr_page_table_pages nr_kernel_stack nr_unstable nr_bounce nr_vmscan_write
nr_vmscan_immediate_reclaim nr_writeback_temp nr_isolated_anon nr_isolated_file nr_shmem nr_dirtied nr_written
numa_hit numa_miss numa_foreign numa_interleave numa_local numa_other
workingset_refault workingset_activate workingset_nodereclaim nr_anon_transparent_hugepages nr_free_cma
nr_dirty_threshold nr_dirty_background_threshold
pgpgin pgpgout pswpin pswpout pgalloc_dma pgalloc_dma32 pgalloc_normal pgalloc_movable
pgfree pgactivate pgdeactivate pgfault pgmajfault
pgrefill_dma pgrefill_dma32 pgrefill_normal pgrefill_movable
pgsteal_kswapd_dma pgsteal_kswapd_dma32 pgsteal_kswapd_normal pgsteal_kswapd_movable
pgsteal_direct_dma pgsteal_direct_dma32 pgsteal_direct_normal pgsteal_direct_movable
pgscan_kswapd_dma pgscan_kswapd_dma32 pgscan_kswapd_normal pgscan_kswapd_movable
pgscan_direct_dma pgscan_direct_dma32 pgscan_direct_normal pgscan_direct_movable
pgscan_direct_throttle zone_reclaim_failed pginodesteal slabs_scanned kswapd_inodesteal
kswapd_low_wmark_hit_quickly kswapd_high_wmark_hit_quickly pageoutrun allocstall pgrotated
drop_pagecache drop_slab
numa_pte_updates numa_huge_pte_updates numa_hint_faults numa_hint_faults_local numa_pages_migrated
pgmigrate_success pgmigrate_fail
compact_migrate_scanned compact_free_scanned compact_isolated compact_stall compact_fail compact_success
htlb_buddy_alloc_success htlb_buddy_alloc_fail
unevictable_pgs_culled unevictable_pgs_scanned unevictable_pgs_rescued unevictable_pgs_mlocked
unevictable_pgs_munlocked unevictable_pgs_cleared unevictable_pgs_stranded
thp_fault_alloc thp_fault_fallback thp_collapse_alloc thp_collapse_alloc_failed thp_split
thp_zero_page_alloc thp_zero_page_alloc_failed`.split(/\s+/);

describe('/proc/vmstat (3.16)', () => {
  it('prints every vmstat_text entry in the kernel order as "name value"', () => {
    expect(NAMES_316).toHaveLength(114);
    expect(VMSTAT_ITEMS).toEqual(NAMES_316);
    const values = Object.fromEntries(NAMES_316.map((n, i) => [n, i * 1000 + 7]));
    const text = formatProcVmstat(values);
    expect(text.startsWith('nr_free_pages 7\nnr_alloc_batch 1007\nnr_inactive_anon 2007\n')).toBe(true);
    expect(text.endsWith('thp_zero_page_alloc 112007\nthp_zero_page_alloc_failed 113007\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(115);
  });

  it('refuses to print a file with a counter missing', () => {
    expect(() => formatProcVmstat({ nr_free_pages: 1 })).toThrow(/nr_alloc_batch/);
  });
});

const zoneStats = Object.fromEntries(NAMES_316.slice(0, 38).map((n, i) => [n, i]));

describe('/proc/zoneinfo (3.16)', () => {
  it('prints a zone as zoneinfo_show_print() does', () => {
    const z: ZoneinfoView = {
      name: 'DMA',
      free: 3840,
      min: 7,
      low: 8,
      high: 10,
      scanned: 0,
      spanned: 4095,
      present: 3998,
      managed: 3977,
      stats: zoneStats,
      protection: [0, 2948, 3935, 3935],
      pagesets: [
        { count: 0, high: 0, batch: 1, statThreshold: 4 },
        { count: 0, high: 0, batch: 1, statThreshold: 4 },
      ],
      allUnreclaimable: false,
      startPfn: 1,
      inactiveRatio: 1,
    };
    const expected =
      'Node 0, zone      DMA\n' +
      '  pages free     3840\n' +
      '        min      7\n' +
      '        low      8\n' +
      '        high     10\n' +
      '        scanned  0\n' +
      '        spanned  4095\n' +
      '        present  3998\n' +
      '        managed  3977\n' +
      '    nr_free_pages 0\n' +
      '    nr_alloc_batch 1\n' +
      '    nr_inactive_anon 2\n' +
      '    nr_active_anon 3\n' +
      '    nr_inactive_file 4\n' +
      '    nr_active_file 5\n' +
      '    nr_unevictable 6\n' +
      '    nr_mlock     7\n' +
      '    nr_anon_pages 8\n' +
      '    nr_mapped    9\n' +
      '    nr_file_pages 10\n' +
      '    nr_dirty     11\n' +
      '    nr_writeback 12\n' +
      '    nr_slab_reclaimable 13\n' +
      '    nr_slab_unreclaimable 14\n' +
      '    nr_page_table_pages 15\n' +
      '    nr_kernel_stack 16\n' +
      '    nr_unstable  17\n' +
      '    nr_bounce    18\n' +
      '    nr_vmscan_write 19\n' +
      '    nr_vmscan_immediate_reclaim 20\n' +
      '    nr_writeback_temp 21\n' +
      '    nr_isolated_anon 22\n' +
      '    nr_isolated_file 23\n' +
      '    nr_shmem     24\n' +
      '    nr_dirtied   25\n' +
      '    nr_written   26\n' +
      '    numa_hit     27\n' +
      '    numa_miss    28\n' +
      '    numa_foreign 29\n' +
      '    numa_interleave 30\n' +
      '    numa_local   31\n' +
      '    numa_other   32\n' +
      '    workingset_refault 33\n' +
      '    workingset_activate 34\n' +
      '    workingset_nodereclaim 35\n' +
      '    nr_anon_transparent_hugepages 36\n' +
      '    nr_free_cma  37\n' +
      '        protection: (0, 2948, 3935, 3935)\n' +
      '  pagesets\n' +
      '    cpu: 0\n' +
      '              count: 0\n' +
      '              high:  0\n' +
      '              batch: 1\n' +
      '  vm stats threshold: 4\n' +
      '    cpu: 1\n' +
      '              count: 0\n' +
      '              high:  0\n' +
      '              batch: 1\n' +
      '  vm stats threshold: 4\n' +
      '  all_unreclaimable: 0\n' +
      '  start_pfn:         1\n' +
      '  inactive_ratio:    1\n';
    expect(formatZoneinfo([z])).toBe(expected);
    // zones follow each other with nothing in between; the zone name is right-aligned in 8
    const two = formatZoneinfo([z, { ...z, name: 'DMA32', allUnreclaimable: true }]);
    expect(two).toContain('  inactive_ratio:    1\nNode 0, zone    DMA32\n  pages free     3840\n');
    expect(two).toContain('  all_unreclaimable: 1\n');
  });
});

describe('/proc/buddyinfo (3.16)', () => {
  it('prints "Node %d, zone %8s " then "%6lu " for each of the 11 orders', () => {
    const text = formatBuddyinfo([
      { name: 'DMA', blocks: [1, 0, 1, 0, 2, 1, 1, 0, 1, 1, 3] },
      { name: 'DMA32', blocks: [133157, 28718, 10442, 3589, 12, 0, 0, 0, 0, 0, 0] },
    ]);
    expect(text).toBe(
      'Node 0, zone      DMA      1      0      1      0      2      1      1      0      1      1      3 \n' +
        'Node 0, zone    DMA32 133157  28718  10442   3589     12      0      0      0      0      0      0 \n',
    );
  });
});

describe('/proc/cpuinfo (3.16, x86_64 SMP)', () => {
  const cpu: CpuinfoView = {
    processor: 1,
    vendorId: 'GenuineIntel',
    family: 6,
    model: 63,
    modelName: 'Intel(R) Xeon(R) CPU E5-2676 v3 @ 2.40GHz',
    stepping: 2,
    microcode: 0,
    khz: 2400072,
    cacheSizeKb: 30720,
    physicalId: 0,
    siblings: 2,
    coreId: 1,
    cpuCores: 2,
    apicid: 2,
    initialApicid: 2,
    cpuidLevel: 13,
    flags: ['fpu', 'vme', 'hypervisor'],
    loopsPerJiffy: 9600288,
    hz: 250,
    clflushSize: 64,
    cacheAlignment: 64,
    physBits: 46,
    virtBits: 48,
  };

  it('bogomips is loops_per_jiffy/(500000/HZ) "." (loops_per_jiffy/(5000/HZ)) % 100', () => {
    // a 2400.072 MHz TSC at HZ=250: lpj = 2400072 * 1000 / 250
    expect(bogomips(9600288, 250)).toBe('4800.14');
    expect(bogomips(9600020, 250)).toBe('4800.01');
  });

  it('prints show_cpuinfo() field by field, tabs and all, each CPU ending in a blank line', () => {
    expect(formatCpuinfo([cpu])).toBe(
      'processor\t: 1\n' +
        'vendor_id\t: GenuineIntel\n' +
        'cpu family\t: 6\n' +
        'model\t\t: 63\n' +
        'model name\t: Intel(R) Xeon(R) CPU E5-2676 v3 @ 2.40GHz\n' +
        'stepping\t: 2\n' +
        'cpu MHz\t\t: 2400.072\n' +
        'cache size\t: 30720 KB\n' +
        'physical id\t: 0\n' +
        'siblings\t: 2\n' +
        'core id\t\t: 1\n' +
        'cpu cores\t: 2\n' +
        'apicid\t\t: 2\n' +
        'initial apicid\t: 2\n' +
        'fpu\t\t: yes\n' +
        'fpu_exception\t: yes\n' +
        'cpuid level\t: 13\n' +
        'wp\t\t: yes\n' +
        'flags\t\t: fpu vme hypervisor\n' +
        'bogomips\t: 4800.14\n' +
        'clflush size\t: 64\n' +
        'cache_alignment\t: 64\n' +
        'address sizes\t: 46 bits physical, 48 bits virtual\n' +
        'power management:\n' +
        '\n',
    );
  });

  it('prints the microcode line only when there is a revision, in hex, and pads the kHz', () => {
    const text = formatCpuinfo([{ ...cpu, microcode: 0x36, khz: 2400005 }]);
    expect(text).toContain('stepping\t: 2\nmicrocode\t: 0x36\ncpu MHz\t\t: 2400.005\n');
  });
});
