/**
 * /proc/sys: each kernel subsystem brings its knobs (the memory manager its vm.* ones, a network
 * stack its net.ipv4.* ones), and a machine's table is the union of those it was built with.
 * Writes validate like proc_dointvec_minmax does and return errors as data.
 */
import type { KernelState, Pool } from './types';
import { noteDropCaches } from './vmevents';

type SysctlErrno = 'ENOENT' | 'EINVAL' | 'EACCES';

export interface Knob {
  get(k: KernelState): number;
  set(k: KernelState, v: number, t: number): void;
  min: number;
  max: number;
  /** file mode under /proc/sys (0644 unless the kernel says otherwise) */
  mode?: number;
}

/** Knobs by dotted name, e.g. 'vm.swappiness'. */
export type KnobTable = Readonly<Record<string, Knob>>;

function dropPool(p: Pool, t: number): void {
  p.baseKb = p.floorKb;
  p.since = t;
  p.clipAt = -1;
  p.clipKb = p.floorKb;
}

/** echo N > /proc/sys/vm/drop_caches: clean page cache (1), dentries and inodes (2), both (3). */
export function dropCaches(k: KernelState, mode: number, t: number): void {
  noteDropCaches(k, mode);
  if (mode & 1) dropPool(k.mem.cache, t);
  if (mode & 2) dropPool(k.mem.recl, t);
}

/** The core kernel's knobs and the memory manager's: every machine has these. */
export const CORE_KNOBS: KnobTable = {
  'vm.drop_caches': {
    get: (k) => k.sysctl.dropCaches,
    set: (k, v, t) => {
      k.sysctl.dropCaches = v;
      dropCaches(k, v, t);
    },
    min: 1,
    max: 4,
    mode: 0o200,
  },
  'vm.overcommit_memory': { get: (k) => k.sysctl.overcommitMemory, set: (k, v) => void (k.sysctl.overcommitMemory = v), min: 0, max: 2 },
  'vm.overcommit_ratio': { get: (k) => k.sysctl.overcommitRatio, set: (k, v) => void (k.sysctl.overcommitRatio = v), min: 0, max: 2 ** 31 - 1 },
  'vm.min_free_kbytes': { get: (k) => k.sysctl.minFreeKbytes, set: (k, v) => void (k.sysctl.minFreeKbytes = v), min: 0, max: 2 ** 31 - 1 },
  'vm.swappiness': { get: (k) => k.sysctl.swappiness, set: (k, v) => void (k.sysctl.swappiness = v), min: 0, max: 100 },
  // both are plain proc_dointvec on 3.16: any int is taken, and only zero or not matters
  'vm.oom_dump_tasks': { get: (k) => k.sysctl.oomDumpTasks ?? 1, set: (k, v) => void (k.sysctl.oomDumpTasks = v), min: -(2 ** 31), max: 2 ** 31 - 1 },
  'vm.oom_kill_allocating_task': { get: (k) => k.sysctl.oomKillAllocatingTask ?? 0, set: (k, v) => void (k.sysctl.oomKillAllocatingTask = v), min: -(2 ** 31), max: 2 ** 31 - 1 },
  'vm.panic_on_oom': { get: (k) => k.sysctl.panicOnOom, set: (k, v) => void (k.sysctl.panicOnOom = v), min: 0, max: 2 },
  'kernel.pid_max': { get: (k) => k.sysctl.pidMax, set: (k, v) => void (k.sysctl.pidMax = v), min: 301, max: 4_194_304 },
  'kernel.panic': { get: (k) => k.sysctl.panic, set: (k, v) => void (k.sysctl.panic = v), min: -(2 ** 31), max: 2 ** 31 - 1 },
};

/** accepts vm.swappiness, vm/swappiness and /proc/sys/vm/swappiness */
function normaliseKey(key: string): string {
  return key.replace(/^\/proc\/sys\//, '').replace(/\//g, '.');
}

export function sysctlKeys(knobs: KnobTable): string[] {
  return Object.keys(knobs).sort();
}

export function sysctlRead(k: KernelState, knobs: KnobTable, key: string): { ok: true; key: string; value: number } | { ok: false; key: string; errno: SysctlErrno } {
  const name = normaliseKey(key);
  const knob = knobs[name];
  if (!knob) return { ok: false, key: name, errno: 'ENOENT' };
  return { ok: true, key: name, value: knob.get(k) };
}

export function sysctlWrite(
  k: KernelState,
  knobs: KnobTable,
  key: string,
  value: string,
  user: string,
  t: number,
): { ok: true; key: string; value: number } | { ok: false; key: string; errno: SysctlErrno } {
  const name = normaliseKey(key);
  const knob = knobs[name];
  if (!knob) return { ok: false, key: name, errno: 'ENOENT' };
  if (user !== 'root') return { ok: false, key: name, errno: 'EACCES' };
  const text = value.trim();
  if (!/^-?\d+$/.test(text)) return { ok: false, key: name, errno: 'EINVAL' };
  const v = parseInt(text, 10);
  if (v < knob.min || v > knob.max) return { ok: false, key: name, errno: 'EINVAL' };
  knob.set(k, v, t);
  return { ok: true, key: name, value: v };
}
