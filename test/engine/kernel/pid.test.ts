import { nthFreePid, RESERVED_PIDS } from '../../../engine/kernel/pid';
import { allocPid } from '../../../engine/kernel/procs';
import { kernel, spawn } from './helpers';

/** allocate one by one, the way the kernel does */
function stepwise(last: number, n: number, used: Set<number>, max: number): number {
  let pid = last;
  for (let i = 0; i < n; i++) {
    do {
      pid++;
      if (pid >= max) pid = RESERVED_PIDS;
    } while (used.has(pid));
  }
  return pid;
}

describe('pid allocation', () => {
  it('the closed form agrees with handing out pids one at a time, across wraps', () => {
    const max = 2_000;
    const used = new Set<number>();
    for (let i = 0; i < 60; i++) used.add(300 + ((i * 37) % 1_600));
    used.add(1999);
    used.add(300);
    const sorted = Array.from(used).sort((a, b) => a - b);
    for (const last of [0, 150, 299, 300, 1_234, 1_998, 1_999]) {
      for (const n of [1, 2, 5, 60, 1_699, 1_700, 5_000]) {
        expect(nthFreePid(last, n, sorted, max)).toBe(stepwise(last, n, used, max));
      }
    }
  });

  it('wraps from pid_max back to 300 and skips pids in use', () => {
    const k = kernel();
    k.sysctl.pidMax = 400;
    k.lastPid = 398;
    spawn(k, 'a', 100);
    expect(k.procs[k.procs.length - 1]!.pid).toBe(399);
    const b = spawn(k, 'b', 100);
    expect(b.pid).toBe(300);
    k.lastPid = 398;
    expect(allocPid(k)).toBe(301);
  });
});
