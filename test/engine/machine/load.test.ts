import { calcLoad, calcLoadN, cpuTicks, FIXED_1, fixedPowerInt, kernelWork, loadAt, loadBooksAt, LOAD_FREQ_MS, updateLoad } from '../../../engine/machine/load';
import { fresh, arrival, run, HOUR, DAY } from '../chapters/ch1/sim/helpers';

/**
 * The load average as Linux 3.16 computes it (kernel/sched/proc.c): calc_load every LOAD_FREQ
 * with EXP_1 = 1884, EXP_5 = 2014, EXP_15 = 2037 in FSHIFT = 11 fixed point.
 */
describe('calc_load arithmetic', () => {
  it('matches the kernel constants and rounding', () => {
    expect(FIXED_1).toBe(2048);
    expect(LOAD_FREQ_MS).toBe(5004);
    // one sample of one runnable task from zero: 2048 * (2048 - 1884) / 2048 = 164
    expect(calcLoad(0, 1884, FIXED_1)).toBe(164);
    expect(fixedPowerInt(1884, 0)).toBe(FIXED_1);
    expect(fixedPowerInt(1884, 1)).toBe(1884);
    // 1884^2 / 2048 = 1733.1
    expect(fixedPowerInt(1884, 2)).toBe(1733);
  });

  it('jumps n samples of a constant run queue in one step, within a hundredth of doing them one by one', () => {
    for (const [exp, n] of [[1884, 12], [2014, 60], [2037, 180], [1884, 1000]] as const) {
      let one = 0;
      for (let i = 0; i < n; i++) one = calcLoad(one, exp, 3 * FIXED_1);
      const jump = calcLoadN(0, exp, 3 * FIXED_1, n);
      // each per-sample rounding can move the result; together they stay under 0.01 (20/2048)
      expect(Math.abs(jump - one)).toBeLessThanOrEqual(20);
    }
  });
});

describe('the load average of the simulated box', () => {
  it('starts from zero at boot and stays there while nothing runs', () => {
    const g = fresh(11);
    const boot = g.w.k.bootTime;
    expect(loadBooksAt(g.w, boot).avenrun).toEqual([0, 0, 0]);
    // just after boot, on a box whose daemon has only just started
    const [l1, l5, l15] = loadAt(g.w, g.w.now);
    expect(l1).toBeLessThan(0.5);
    expect(l15).toBeLessThan(0.1);
  });

  it('rises 1-min first under a steady run queue and converges on it; decays 1-min first when it stops', () => {
    const g = fresh(11);
    run(g, HOUR);
    const t = g.w.now;
    updateLoad(g.w, t);
    const base = loadAt(g.w, t);
    // one task on a CPU in the kernel for an hour, nothing else changing meanwhile
    kernelWork(g.w, t, t + HOUR);
    const [a1, a5, a15] = loadAt(g.w, t + 60_000);
    expect(a1).toBeGreaterThan(a5);
    expect(a5).toBeGreaterThan(a15);
    // 12 samples: 1 - (1884/2048)^12 = 0.63 of the way to one more task
    expect(a1 - base[0]).toBeGreaterThan(0.55);
    expect(a1 - base[0]).toBeLessThan(0.7);
    const [b1, b5, b15] = loadAt(g.w, t + HOUR);
    expect(b1).toBeGreaterThan(0.95);
    expect(b5).toBeGreaterThan(0.95);
    expect(b15).toBeGreaterThan(0.9);
    const [c1, c5, c15] = loadAt(g.w, t + HOUR + 10 * 60_000);
    expect(c1).toBeLessThan(c5);
    expect(c5).toBeLessThan(c15);
    // the same work is the box's system time: 100 ticks a second on one CPU
    const sys = cpuTicks(g.w, t + HOUR).system - cpuTicks(g.w, t).system;
    expect(sys).toBeGreaterThanOrEqual(360_000 - 1);
    expect(sys).toBeLessThanOrEqual(360_000 + 1);
  });

  it('under the OOM storm the three averages differ, and over days of it they draw together', () => {
    const g = arrival(4242);
    const [l1, l5, l15] = loadAt(g.w, g.w.now);
    expect(new Set([l1, l5, l15]).size).toBe(3);
    run(g, 3 * DAY);
    const [m1, m5, m15] = loadAt(g.w, g.w.now);
    expect(m15).toBeGreaterThan(0.3);
    expect(Math.abs(m1 - m15)).toBeLessThan(0.25);
    expect(Math.abs(m5 - m15)).toBeLessThan(0.1);
    // the storm's kernel work shows as system time, far above user time
    const c = cpuTicks(g.w, g.w.now);
    expect(c.system).toBeGreaterThan(5 * c.user);
  });

  it('reads saves from before these books (a load of floats aimed at a target) as a starting point', () => {
    const g = fresh(11);
    run(g, HOUR);
    (g.w as { load: unknown }).load = { at: g.w.now, l1: 1.5, l5: 0.75, l15: 0.25, target: 0.3 };
    const [l1, l5, l15] = loadAt(g.w, g.w.now);
    expect([l1, l5, l15]).toEqual([1.5, 0.75, 0.25]);
    updateLoad(g.w, g.w.now + 60_000);
    expect(JSON.parse(JSON.stringify(g.w.load)).avenrun).toHaveLength(3);
  });
});
