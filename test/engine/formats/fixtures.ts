/** Small hand-made views shared by the formatter tests. */
import type { MeminfoView, ProcessView, SlabCacheView } from '../../../engine/formats/types';

export const BOOT = Date.UTC(2015, 2, 11, 23, 7, 1);
export const NOW = Date.UTC(2015, 2, 14, 3, 12, 1);

export function proc(p: Partial<ProcessView> & { pid: number }): ProcessView {
  return {
    ppid: 0,
    uid: 0,
    user: 'root',
    comm: 'x',
    args: '',
    state: 'S',
    startTime: BOOT + 1000,
    cpuTimeMs: 0,
    vszKb: 0,
    rssKb: 0,
    anonRssKb: 0,
    tty: '?',
    nice: 0,
    threads: 1,
    oomScoreAdj: 0,
    oomScore: 0,
    nrPtes: 0,
    swapEntries: 0,
    kernelThread: false,
    ...p,
  };
}

export function meminfo(over: Partial<MeminfoView> = {}): MeminfoView {
  return {
    MemTotal: 2048036, MemFree: 61232, MemAvailable: 52344, Buffers: 1204, Cached: 20536, SwapCached: 0,
    Active: 390000, Inactive: 10000, 'Active(anon)': 380000, 'Inactive(anon)': 560, 'Active(file)': 10000,
    'Inactive(file)': 9440, Unevictable: 0, Mlocked: 0, SwapTotal: 0, SwapFree: 0, Dirty: 12, Writeback: 0,
    AnonPages: 380400, Mapped: 7800, Shmem: 360, Slab: 1536400, SReclaimable: 16400, SUnreclaim: 1520000,
    KernelStack: 1680, PageTables: 7200, NFS_Unstable: 0, Bounce: 0, WritebackTmp: 0, CommitLimit: 1024016,
    Committed_AS: 1012345, VmallocTotal: 34359738367, VmallocUsed: 11640, VmallocChunk: 34359717888,
    HardwareCorrupted: 0, AnonHugePages: 0, HugePages_Total: 0, HugePages_Free: 0, HugePages_Rsvd: 0,
    HugePages_Surp: 0, Hugepagesize: 2048, DirectMap4k: 30720, DirectMap2M: 2066432,
    ...over,
  };
}

export function cache(c: Partial<SlabCacheView> & { name: string }): SlabCacheView {
  return {
    activeObjs: 0, numObjs: 0, objSize: 64, objPerSlab: 64, pagesPerSlab: 1, activeSlabs: 0, numSlabs: 0, reclaimable: false,
    ...c,
  };
}
