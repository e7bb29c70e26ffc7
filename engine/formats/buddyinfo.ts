/**
 * /proc/buddyinfo as mm/vmstat.c's frag_show_print() prints it on 3.16: per populated zone of
 * node 0, "Node %d, zone %8s " and then the free blocks of each of the MAX_ORDER (11) orders as
 * "%6lu ", each followed by a space, the line ending in one.
 */
export const MAX_ORDER = 11;

export interface BuddyZoneView {
  name: string;
  /** free blocks of 2^order pages, order 0 to 10 */
  blocks: readonly number[];
}

export function formatBuddyinfo(zones: readonly BuddyZoneView[]): string {
  return zones.map((z) => `Node 0, zone ${z.name.padStart(8)} ${z.blocks.map((n) => `${String(n).padStart(6)} `).join('')}\n`).join('');
}
