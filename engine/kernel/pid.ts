/**
 * PID allocation as kernel/pid.c does it: the next free number after the last one handed out,
 * wrapping from pid_max back to RESERVED_PIDS. Written in closed form (the n-th free pid) so a
 * batch of forks can skip ahead without handing out every number in between.
 */
export const RESERVED_PIDS = 300;
export const DEFAULT_PID_MAX = 32768;

/** index of the first element >= x */
function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function usedIn(sorted: readonly number[], a: number, b: number): number {
  if (b < a) return 0;
  return lowerBound(sorted, b + 1) - lowerBound(sorted, a);
}

function freeIn(sorted: readonly number[], a: number, b: number): number {
  if (b < a) return 0;
  return b - a + 1 - usedIn(sorted, a, b);
}

/** the smallest x in [a, b] with exactly k free pids in [a, x] (k >= 1, and they must exist) */
function kthFree(sorted: readonly number[], a: number, b: number, k: number): number {
  let lo = a;
  let hi = b;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (freeIn(sorted, a, mid) >= k) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The pid the n-th fork after `lastPid` receives when the pids in `used` (sorted, ascending)
 * stay taken throughout. Returns -1 when the pid space is full.
 */
export function nthFreePid(lastPid: number, n: number, used: readonly number[], pidMax: number): number {
  if (n < 1) return lastPid;
  let start = lastPid + 1;
  if (start >= pidMax) start = RESERVED_PIDS;
  const first = freeIn(used, start, pidMax - 1);
  if (n <= first) return kthFree(used, start, pidMax - 1, n);
  let rest = n - first;
  const ring = freeIn(used, RESERVED_PIDS, pidMax - 1);
  if (ring === 0) return -1;
  rest = ((rest - 1) % ring) + 1;
  return kthFree(used, RESERVED_PIDS, pidMax - 1, rest);
}

export function sortedPids(pids: Iterable<number>): number[] {
  return Array.from(pids).sort((x, y) => x - y);
}
