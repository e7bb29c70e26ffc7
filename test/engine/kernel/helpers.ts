import { emptyAv } from '../../../engine/kernel/anonvma';
import { addProc, newMm, type ImageSpec } from '../../../engine/kernel/procs';
import { seedFill } from '../../../engine/kernel/slab';
import type { KernelState, Proc } from '../../../engine/kernel/types';

export const T0 = Date.UTC(2015, 2, 12, 3, 0, 0);

export function image(comm: string, anonKb: number, anonVmas = 20, fileKb = 2_000): ImageSpec {
  return { comm, args: comm, vszKb: anonKb + 40_000, anonKb, fileKb, ptes: Math.ceil((anonKb + fileKb) / 2000) + 6, vmas: anonVmas + 30, anonVmas, commitKb: anonKb, maxVmaKb: 8_192 };
}

/** a bare kernel with init and nothing else */
export function kernel(totalKb = 4_046_212, fix = false): KernelState {
  const k: KernelState = {
    release: fix ? '3.19.0-031900-generic' : '3.16.0-30-generic',
    version: '#40~14.04.1-Ubuntu SMP Thu Jan 15 17:43:14 UTC 2015',
    anonVmaReuse: fix,
    bootTime: T0,
    lastPid: 0,
    born: 0,
    procs: [],
    av: emptyAv(),
    mem: {
      totalKb,
      kernelOtherKb: 60_000,
      cache: { baseKb: 200_000, since: T0, growKbPerH: 0, maxKb: 2_000_000, floorKb: 50_000, clipKb: 0, clipAt: -1 },
      recl: { baseKb: 40_000, since: T0, growKbPerH: 0, maxKb: 200_000, floorKb: 15_000, clipKb: 0, clipAt: -1 },
      shmemKb: 600,
      buffersPct: 5,
      swaps: [],
      swapHeldKb: 0,
      swapHeldAt: 0,
      fill: seedFill((lo, hi) => Math.floor((lo + hi) / 2)),
      totalRamPages: Math.ceil(totalKb / 4) + 40_000,
      directMap4kKb: 63_488,
      vmallocUsedKb: 20_000,
    },
    sysctl: { overcommitMemory: 0, overcommitRatio: 50, minFreeKbytes: 8_045, swappiness: 60, pidMax: 32768, panic: 10, panicOnOom: 0, dropCaches: 0 },
    cpus: 2,
  };
  addProc(k, { pid: 1, ppid: 0, uid: 0, user: 'root', comm: 'init', args: '/sbin/init', start: T0, mm: newMm(k, image('init', 1_300, 12)) });
  addProc(k, { pid: 2, ppid: 0, uid: 0, user: 'root', comm: 'kthreadd', args: '', start: T0, kthread: true, mm: null });
  k.lastPid = 300;
  return k;
}

export function spawn(k: KernelState, comm: string, anonKb: number, opts: { uid?: number; user?: string; adj?: number; ppid?: number; anonVmas?: number } = {}): Proc {
  return addProc(k, {
    ppid: opts.ppid ?? 1,
    uid: opts.uid ?? 1000,
    user: opts.user ?? 'ops',
    comm,
    args: comm,
    start: T0,
    adj: opts.adj,
    mm: newMm(k, image(comm, anonKb, opts.anonVmas ?? 20)),
  });
}
