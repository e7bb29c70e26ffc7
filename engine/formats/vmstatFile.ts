/**
 * /proc/vmstat as mm/vmstat.c prints it on 3.16 (vmstat_show: "%s %lu\n" per vmstat_text entry),
 * for Ubuntu's x86_64 generic config: CONFIG_NUMA, CONFIG_ZONE_DMA and CONFIG_ZONE_DMA32 on,
 * no HIGHMEM; VM_EVENT_COUNTERS, NUMA_BALANCING, MIGRATION, COMPACTION, HUGETLB_PAGE and
 * TRANSPARENT_HUGEPAGE on; DEBUG_TLBFLUSH and DEBUG_VM_VMACACHE off.
 */

/** enum zone_stat_item: the counters every zone keeps (and /proc/zoneinfo lists per zone) */
export const ZONE_STAT_ITEMS = [
  'nr_free_pages',
  'nr_alloc_batch',
  'nr_inactive_anon',
  'nr_active_anon',
  'nr_inactive_file',
  'nr_active_file',
  'nr_unevictable',
  'nr_mlock',
  'nr_anon_pages',
  'nr_mapped',
  'nr_file_pages',
  'nr_dirty',
  'nr_writeback',
  'nr_slab_reclaimable',
  'nr_slab_unreclaimable',
  'nr_page_table_pages',
  'nr_kernel_stack',
  'nr_unstable',
  'nr_bounce',
  'nr_vmscan_write',
  'nr_vmscan_immediate_reclaim',
  'nr_writeback_temp',
  'nr_isolated_anon',
  'nr_isolated_file',
  'nr_shmem',
  'nr_dirtied',
  'nr_written',
  'numa_hit',
  'numa_miss',
  'numa_foreign',
  'numa_interleave',
  'numa_local',
  'numa_other',
  'workingset_refault',
  'workingset_activate',
  'workingset_nodereclaim',
  'nr_anon_transparent_hugepages',
  'nr_free_cma',
] as const;

export type ZoneStatItem = (typeof ZONE_STAT_ITEMS)[number];

/** TEXTS_FOR_ZONES(): one counter per zone type the kernel is built with, populated or not */
const forZones = (name: string) => [`${name}_dma`, `${name}_dma32`, `${name}_normal`, `${name}_movable`];

/** enum writeback_stat_item, then enum vm_event_item */
export const VMSTAT_GLOBAL_ITEMS = [
  'nr_dirty_threshold',
  'nr_dirty_background_threshold',
  'pgpgin',
  'pgpgout',
  'pswpin',
  'pswpout',
  ...forZones('pgalloc'),
  'pgfree',
  'pgactivate',
  'pgdeactivate',
  'pgfault',
  'pgmajfault',
  ...forZones('pgrefill'),
  ...forZones('pgsteal_kswapd'),
  ...forZones('pgsteal_direct'),
  ...forZones('pgscan_kswapd'),
  ...forZones('pgscan_direct'),
  'pgscan_direct_throttle',
  'zone_reclaim_failed',
  'pginodesteal',
  'slabs_scanned',
  'kswapd_inodesteal',
  'kswapd_low_wmark_hit_quickly',
  'kswapd_high_wmark_hit_quickly',
  'pageoutrun',
  'allocstall',
  'pgrotated',
  'drop_pagecache',
  'drop_slab',
  'numa_pte_updates',
  'numa_huge_pte_updates',
  'numa_hint_faults',
  'numa_hint_faults_local',
  'numa_pages_migrated',
  'pgmigrate_success',
  'pgmigrate_fail',
  'compact_migrate_scanned',
  'compact_free_scanned',
  'compact_isolated',
  'compact_stall',
  'compact_fail',
  'compact_success',
  'htlb_buddy_alloc_success',
  'htlb_buddy_alloc_fail',
  'unevictable_pgs_culled',
  'unevictable_pgs_scanned',
  'unevictable_pgs_rescued',
  'unevictable_pgs_mlocked',
  'unevictable_pgs_munlocked',
  'unevictable_pgs_cleared',
  'unevictable_pgs_stranded',
  'thp_fault_alloc',
  'thp_fault_fallback',
  'thp_collapse_alloc',
  'thp_collapse_alloc_failed',
  'thp_split',
  'thp_zero_page_alloc',
  'thp_zero_page_alloc_failed',
] as const;

/** every line of the file, in its order */
export const VMSTAT_ITEMS: readonly string[] = [...ZONE_STAT_ITEMS, ...VMSTAT_GLOBAL_ITEMS];

/** The whole file: a counter the view lacks is a bug in the view, not a zero to print. */
export function formatProcVmstat(values: Readonly<Record<string, number>>): string {
  let out = '';
  for (const name of VMSTAT_ITEMS) {
    const v = values[name];
    if (v === undefined) throw new RangeError(`/proc/vmstat: no value for ${name}`);
    out += `${name} ${v}\n`;
  }
  return out;
}
