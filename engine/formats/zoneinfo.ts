/**
 * /proc/zoneinfo as mm/vmstat.c's zoneinfo_show_print() prints it on 3.16: per populated zone of
 * node 0, its free pages and watermarks, its size, every zone_stat_item counter ("%-12s %lu"),
 * the lowmem reserves, each online CPU's page list, and the reclaim state.
 */
import { ZONE_STAT_ITEMS } from './vmstatFile';

export interface ZoneinfoView {
  name: string;
  free: number;
  min: number;
  low: number;
  high: number;
  scanned: number;
  spanned: number;
  present: number;
  managed: number;
  /** every zone_stat_item, by name */
  stats: Readonly<Record<string, number>>;
  protection: readonly number[];
  /** one per online CPU */
  pagesets: ReadonlyArray<{ count: number; high: number; batch: number; statThreshold: number }>;
  allUnreclaimable: boolean;
  startPfn: number;
  inactiveRatio: number;
}

function zone(z: ZoneinfoView): string {
  let s = `Node 0, zone ${z.name.padStart(8)}`;
  s +=
    `\n  pages free     ${z.free}` +
    `\n        min      ${z.min}` +
    `\n        low      ${z.low}` +
    `\n        high     ${z.high}` +
    `\n        scanned  ${z.scanned}` +
    `\n        spanned  ${z.spanned}` +
    `\n        present  ${z.present}` +
    `\n        managed  ${z.managed}`;
  for (const item of ZONE_STAT_ITEMS) {
    const v = z.stats[item];
    if (v === undefined) throw new RangeError(`/proc/zoneinfo: no value for ${item}`);
    s += `\n    ${item.padEnd(12)} ${v}`;
  }
  s += `\n        protection: (${z.protection.join(', ')})`;
  s += '\n  pagesets';
  z.pagesets.forEach((p, cpu) => {
    s += `\n    cpu: ${cpu}\n              count: ${p.count}\n              high:  ${p.high}\n              batch: ${p.batch}`;
    s += `\n  vm stats threshold: ${p.statThreshold}`;
  });
  s += `\n  all_unreclaimable: ${z.allUnreclaimable ? 1 : 0}\n  start_pfn:         ${z.startPfn}\n  inactive_ratio:    ${z.inactiveRatio}\n`;
  return s;
}

export function formatZoneinfo(zones: readonly ZoneinfoView[]): string {
  return zones.map(zone).join('');
}
