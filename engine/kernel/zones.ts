/**
 * The physical memory zones of node 0 on an x86_64 3.16 kernel, and the per-zone figures
 * mm/page_alloc.c sets from them at boot (and again when vm.min_free_kbytes changes): the
 * watermarks (__setup_per_zone_wmarks), the lowmem reserves (setup_per_zone_lowmem_reserve),
 * the per-cpu page lists (zone_batchsize, pageset_set_batch), the vmstat threshold
 * (calculate_normal_threshold in mm/vmstat.c) and the inactive anon ratio
 * (calculate_zone_inactive_ratio).
 *
 * The layout is the one the OOM report splits its figures over (formats/oomReport.ts): DMA holds
 * the first 16 MiB; below 4 GiB the VM has 3 GiB of RAM, the rest sits above the PCI hole in
 * ZONE_NORMAL, so a 2 GB VM has DMA and DMA32 only and a 4 GB one has all three.
 */
import type { KernelState } from './types';

export type ZoneName = 'DMA' | 'DMA32' | 'Normal';

export interface ZoneLayout {
  name: ZoneName;
  startPfn: number;
  spannedPages: number;
  presentPages: number;
  managedPages: number;
}

export interface ZoneTuning extends ZoneLayout {
  min: number;
  low: number;
  high: number;
  /** lowmem_reserve[DMA, DMA32, Normal, Movable] */
  protection: [number, number, number, number];
  pcpHigh: number;
  pcpBatch: number;
  statThreshold: number;
  inactiveRatio: number;
}

/** DMA spans pfns 1..4095; the BIOS and the kernel image leave these present and managed */
export const DMA_PRESENT = 3998;
export const DMA_MANAGED = 3977;
const DMA_START_PFN = 1;
const DMA32_START_PFN = 4096;
/** MAX_DMA32_PFN: ZONE_DMA32 ends at 4 GiB */
const NORMAL_START_PFN = 1 << 20;
/** RAM below the PCI hole, in pages (3 GiB) */
const LOW_RAM_PAGES = 786_432;
/** memory is handed out in 2 MiB sections: a zone's span ends on one */
const SECTION_PAGES = 512;
/** sysctl_lowmem_reserve_ratio on x86_64 (DMA, DMA32, Normal): vm.lowmem_reserve_ratio's defaults */
export const LOWMEM_RESERVE_RATIO = [256, 256, 32] as const;

const roundUp = (n: number, to: number) => Math.ceil(n / to) * to;

/** Node 0's populated zones, in the kernel's order. */
export function zoneLayout(k: KernelState): ZoneLayout[] {
  const m = k.mem;
  const total = m.totalRamPages;
  const reserved = m.totalRamPages - Math.floor(m.totalKb / 4);
  // the same split of present and managed pages as the OOM report's (kernel/oom.ts, formats/oomReport.ts)
  const normalPresent = Math.floor(Math.max(0, total * 4 - LOW_RAM_PAGES * 4) / 4);
  const normalManaged = Math.floor(Math.max(0, normalPresent * 4 - Math.floor(reserved * 4 * 0.25)) / 4);
  const lowPresent = normalPresent > 0 ? total - normalPresent : total;
  const dmaPresent = Math.min(DMA_PRESENT, lowPresent);
  const lowReserved = normalPresent > 0 ? reserved - (normalPresent - normalManaged) : reserved;
  const dmaReserved = Math.max(0, Math.min(DMA_PRESENT - DMA_MANAGED, lowReserved, dmaPresent));
  const dma32Present = lowPresent - dmaPresent;
  const zones: ZoneLayout[] = [
    { name: 'DMA', startPfn: DMA_START_PFN, spannedPages: DMA32_START_PFN - DMA_START_PFN, presentPages: dmaPresent, managedPages: dmaPresent - dmaReserved },
  ];
  const dma32End = normalPresent > 0 ? NORMAL_START_PFN : Math.min(NORMAL_START_PFN, roundUp(DMA32_START_PFN + dma32Present, SECTION_PAGES));
  zones.push({
    name: 'DMA32',
    startPfn: DMA32_START_PFN,
    spannedPages: dma32End - DMA32_START_PFN,
    presentPages: dma32Present,
    managedPages: dma32Present - Math.max(0, lowReserved - dmaReserved),
  });
  if (normalPresent > 0) {
    zones.push({ name: 'Normal', startPfn: NORMAL_START_PFN, spannedPages: roundUp(normalPresent, SECTION_PAGES), presentPages: normalPresent, managedPages: normalManaged });
  }
  return zones;
}

const fls = (n: number) => (n <= 0 ? 0 : Math.floor(Math.log2(n)) + 1);
const roundDownPow2 = (n: number) => 2 ** Math.floor(Math.log2(n));

/** zone_batchsize(), then pageset_set_batch(): high = 6 x batch, batch at least 1 */
export function pcpOf(managedPages: number): { high: number; batch: number } {
  let batch = Math.floor(managedPages / 1024);
  if (batch * 4096 > 512 * 1024) batch = (512 * 1024) / 4096;
  batch = Math.floor(batch / 4);
  if (batch < 1) batch = 1;
  batch = roundDownPow2(batch + Math.floor(batch / 2)) - 1;
  return { high: 6 * batch, batch: Math.max(1, batch) };
}

/**
 * The last tuning computed and what it was computed from: the OOM killer asks for it on every
 * kill and the figures only change with the RAM, vm.min_free_kbytes or the CPU count. Frozen, as
 * every caller shares it.
 */
let lastTuning: { key: string; zones: ZoneTuning[] } | null = null;

/** Every populated zone with what boot (and vm.min_free_kbytes) set up for it. */
export function zoneTuning(k: KernelState): ZoneTuning[] {
  const key = `${k.mem.totalRamPages},${k.mem.totalKb},${k.sysctl.minFreeKbytes},${k.cpus}`;
  if (lastTuning?.key === key) return lastTuning.zones;
  const zones = Object.freeze(computeTuning(k).map((z) => Object.freeze({ ...z, protection: Object.freeze(z.protection) }))) as unknown as ZoneTuning[];
  lastTuning = { key, zones };
  return zones;
}

function computeTuning(k: KernelState): ZoneTuning[] {
  const zones = zoneLayout(k);
  const pagesMin = k.sysctl.minFreeKbytes >> 2;
  const lowmem = zones.reduce((n, z) => n + z.managedPages, 0);
  // managed pages per zone index, ZONE_MOVABLE (index 3) and an absent Normal being empty
  const managed = [0, 0, 0, 0];
  zones.forEach((z, i) => (managed[i] = z.managedPages));
  const reserve = [0, 1, 2, 3].map(() => [0, 0, 0, 0]);
  for (let j = 0; j < 4; j++) {
    let pages = managed[j]!;
    for (let idx = j - 1; idx >= 0; idx--) {
      reserve[idx]![j] = Math.floor(pages / LOWMEM_RESERVE_RATIO[idx]!);
      pages += managed[idx]!;
    }
  }
  const cpus = Math.max(1, k.cpus);
  return zones.map((z, i) => {
    const tmp = lowmem > 0 ? Math.floor((pagesMin * z.managedPages) / lowmem) : 0;
    const { high, batch } = pcpOf(z.managedPages);
    const gb = Math.floor(z.managedPages / 262_144);
    return {
      ...z,
      min: tmp,
      low: tmp + (tmp >> 2),
      high: tmp + (tmp >> 1),
      protection: reserve[i] as [number, number, number, number],
      pcpHigh: high,
      pcpBatch: batch,
      statThreshold: Math.min(125, 2 * fls(cpus) * (1 + fls(Math.floor(z.managedPages / 32_768)))),
      inactiveRatio: gb ? Math.floor(Math.sqrt(10 * gb)) : 1,
    };
  });
}

/** calculate_totalreserve_pages(): each zone's largest reserve plus its high mark, at most the zone */
export function totalReservePages(zones: readonly ZoneTuning[]): number {
  return zones.reduce((n, z) => n + Math.min(z.managedPages, Math.max(...z.protection) + z.high), 0);
}
