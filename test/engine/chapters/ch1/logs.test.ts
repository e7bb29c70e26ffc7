import * as sim from '../../../../engine/chapters/ch1/sim';
import type { Ch1World } from '../../../../engine/chapters/ch1/sim';
import { arrival, run } from './sim/helpers';

/**
 * Logs never postdate now: whatever the machine did before the player looks (the history before
 * arrival, a reload still forking, the player's own restart) is logged at or before the moment
 * the player can read it, by the clock `date` and /proc/uptime show. Checked on the world itself,
 * with no spell's own duration in between to hide a few seconds.
 */
function latestSyslog(w: Ch1World): number {
  return Math.max(...sim.syslog(w).map((e) => (e.kind === 'line' ? e.record.time : e.time)));
}

function latestKernel(w: Ch1World): number {
  return Math.max(...sim.kernelLog(w).map((e) => (e.kind === 'line' ? e.record.sinceBootMs : e.sinceBootMs)));
}

function expectNothingAhead(w: Ch1World): void {
  expect(latestSyslog(w)).toBeLessThanOrEqual(w.now);
  expect(latestKernel(w)).toBeLessThanOrEqual(w.now - w.k.bootTime);
  // and what the machine has done is all in its books by then: no burst of work runs past now
  expect(w.xfr.busyUntil).toBeLessThanOrEqual(w.now);
}

describe('chapter 1: the logs never run ahead of the clock', () => {
  it.each([2, 3, 7, 42, 1234])('on arrival, after a restart, after time passes and after a reload by hand (seed %i)', (seed) => {
    const g = arrival(seed);
    expect(latestSyslog(g.w)).toBeLessThanOrEqual(g.w.now);
    expect(latestKernel(g.w)).toBeLessThanOrEqual(g.w.now - g.w.k.bootTime);
    expect(sim.serviceNsd(g.w, 'restart', 'root').code).toBe(0);
    expectNothingAhead(g.w);
    run(g, 7 * 60_000);
    expect(latestSyslog(g.w)).toBeLessThanOrEqual(g.w.now);
    const main = g.w.nsd.running!.mainPid;
    expect(sim.kill(g.w, main, 'HUP', 'root')).toEqual({ ok: true });
    expectNothingAhead(g.w);
  });
});
