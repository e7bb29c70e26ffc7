/**
 * Resource limits. Nothing on this box changes them after boot (no limits.conf entries, no
 * ulimit in an init script), so every process has what init had: the kernel's defaults, with
 * the process and pending-signal limits fork_init() derives from memory.
 */
import type { RlimitView } from '../formats/limits';
import type { MachineWorld } from './world';

/**
 * fork_init(totalram_pages) runs right after mem_init(), so it sees the memory the boot banner's
 * "Memory: NK/MK available" line reports (boot.ts prints it as MemTotal less the 14000K freed
 * later): max_threads = pages / (8 * THREAD_SIZE / PAGE_SIZE), with 16K stacks on x86_64 since
 * 3.15, and RLIMIT_NPROC = RLIMIT_SIGPENDING = max_threads / 2.
 */
export function maxUserProcesses(w: MachineWorld): number {
  const pagesAtForkInit = Math.floor((w.k.mem.totalKb - 14_000) / 4);
  const maxThreads = Math.floor(pagesAtForkInit / 32);
  return Math.floor(maxThreads / 2);
}

export function rlimitsOf(w: MachineWorld): Record<string, RlimitView> {
  const nproc = maxUserProcesses(w);
  const inf = { soft: null, hard: null };
  return {
    cpu: inf,
    fsize: inf,
    data: inf,
    stack: { soft: 8_388_608, hard: null },
    core: { soft: 0, hard: null },
    rss: inf,
    nproc: { soft: nproc, hard: nproc },
    nofile: { soft: 1_024, hard: 4_096 },
    memlock: { soft: 65_536, hard: 65_536 },
    as: inf,
    locks: inf,
    sigpending: { soft: nproc, hard: nproc },
    msgqueue: { soft: 819_200, hard: 819_200 },
    nice: { soft: 0, hard: 0 },
    rtprio: { soft: 0, hard: 0 },
    rttime: inf,
  };
}
