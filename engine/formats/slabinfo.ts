/**
 * /proc/slabinfo version 2.1 as mm/slab_common.c prints it for SLUB: tunables and sharedavail
 * are always zero, and the file is mode 0400.
 */
import type { SlabCacheView } from './types';
import { lpad, rpad } from './printf';

const SLABINFO_HEADER =
  'slabinfo - version: 2.1\n' +
  '# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>' +
  ' : tunables <limit> <batchcount> <sharedfactor>' +
  ' : slabdata <active_slabs> <num_slabs> <sharedavail>';

/** One cache line: "%-17s %6lu %6lu %6u %4u %4d : tunables %4u %4u %4u : slabdata %6lu %6lu %6lu". */
export function formatSlabinfoLine(c: SlabCacheView): string {
  return (
    `${lpad(c.name, 17)} ${rpad(c.activeObjs, 6)} ${rpad(c.numObjs, 6)} ${rpad(c.objSize, 6)} ` +
    `${rpad(c.objPerSlab, 4)} ${rpad(c.pagesPerSlab, 4)}` +
    ` : tunables ${rpad(0, 4)} ${rpad(0, 4)} ${rpad(0, 4)}` +
    ` : slabdata ${rpad(c.activeSlabs, 6)} ${rpad(c.numSlabs, 6)} ${rpad(0, 6)}`
  );
}

/** The whole file in the order given (the kernel lists the most recently created cache first). */
export function formatSlabinfo(caches: readonly SlabCacheView[]): string {
  return [SLABINFO_HEADER, ...caches.map(formatSlabinfoLine)].join('\n') + '\n';
}
