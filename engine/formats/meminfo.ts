/**
 * /proc/meminfo as fs/proc/meminfo.c prints it on a 3.16 x86_64 kernel, followed by the
 * hugetlb and x86 DirectMap lines that the kernel appends from other files.
 */
import type { MeminfoView } from './types';
import { rpad } from './printf';

type Field = keyof MeminfoView;

/** Kernel order; HardwareCorrupted and the HugePages counts use their own printf widths. */
const LAYOUT: ReadonlyArray<{ key: Field; fmt: 'kb' | 'hwc' | 'count' }> = [
  { key: 'MemTotal', fmt: 'kb' },
  { key: 'MemFree', fmt: 'kb' },
  { key: 'MemAvailable', fmt: 'kb' },
  { key: 'Buffers', fmt: 'kb' },
  { key: 'Cached', fmt: 'kb' },
  { key: 'SwapCached', fmt: 'kb' },
  { key: 'Active', fmt: 'kb' },
  { key: 'Inactive', fmt: 'kb' },
  { key: 'Active(anon)', fmt: 'kb' },
  { key: 'Inactive(anon)', fmt: 'kb' },
  { key: 'Active(file)', fmt: 'kb' },
  { key: 'Inactive(file)', fmt: 'kb' },
  { key: 'Unevictable', fmt: 'kb' },
  { key: 'Mlocked', fmt: 'kb' },
  { key: 'SwapTotal', fmt: 'kb' },
  { key: 'SwapFree', fmt: 'kb' },
  { key: 'Dirty', fmt: 'kb' },
  { key: 'Writeback', fmt: 'kb' },
  { key: 'AnonPages', fmt: 'kb' },
  { key: 'Mapped', fmt: 'kb' },
  { key: 'Shmem', fmt: 'kb' },
  { key: 'Slab', fmt: 'kb' },
  { key: 'SReclaimable', fmt: 'kb' },
  { key: 'SUnreclaim', fmt: 'kb' },
  { key: 'KernelStack', fmt: 'kb' },
  { key: 'PageTables', fmt: 'kb' },
  { key: 'NFS_Unstable', fmt: 'kb' },
  { key: 'Bounce', fmt: 'kb' },
  { key: 'WritebackTmp', fmt: 'kb' },
  { key: 'CommitLimit', fmt: 'kb' },
  { key: 'Committed_AS', fmt: 'kb' },
  { key: 'VmallocTotal', fmt: 'kb' },
  { key: 'VmallocUsed', fmt: 'kb' },
  { key: 'VmallocChunk', fmt: 'kb' },
  { key: 'HardwareCorrupted', fmt: 'hwc' },
  { key: 'AnonHugePages', fmt: 'kb' },
  { key: 'HugePages_Total', fmt: 'count' },
  { key: 'HugePages_Free', fmt: 'count' },
  { key: 'HugePages_Rsvd', fmt: 'count' },
  { key: 'HugePages_Surp', fmt: 'count' },
  { key: 'Hugepagesize', fmt: 'kb' },
  { key: 'DirectMap4k', fmt: 'kb' },
  { key: 'DirectMap2M', fmt: 'kb' },
];

function line(key: string, value: number, fmt: 'kb' | 'hwc' | 'count'): string {
  switch (fmt) {
    case 'hwc':
      return `${key}: ${rpad(value, 5)} kB`;
    case 'count':
      return `${`${key}:`.padEnd(16)}   ${rpad(value, 5)}`;
    default:
      return `${`${key}:`.padEnd(16)}${rpad(value, 8)} kB`;
  }
}

/** The whole file, trailing newline included. */
export function formatMeminfo(view: MeminfoView): string {
  return LAYOUT.map((f) => line(f.key, view[f.key], f.fmt)).join('\n') + '\n';
}
