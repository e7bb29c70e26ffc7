/**
 * The load average: exponentially damped towards what the box is doing. Forks of a deep anon_vma
 * chain keep a CPU busy in the kernel, and reclaim under memory pressure leaves tasks waiting,
 * so the load creeps up along with SUnreclaim.
 */
import { memSnapshot, watermarks } from '../../../kernel/memory';
import { alive, forkLatencyMs } from './nsd';
import type { Ch1World } from './world';

const TAUS = [60_000, 300_000, 900_000];

/** what the load tends to, from what runs right now */
export function loadTarget(w: Ch1World, t: number): number {
  if (!w.machine.up) return 0;
  let target = 0.04;
  const run = w.nsd.running;
  const main = run ? alive(w, run.mainPid) : undefined;
  if (run && main?.mm && run.canSendReload) {
    // the last reload kept a CPU in the kernel (forks, reclaim, kills) for this long
    const intervalMs = Math.max(w.p.xfrMeanMs, w.p.xfrdReloadTimeout * 1000);
    const forkMs = (run.slots.length + 1) * forkLatencyMs(w, main.mm.depth);
    const burstMs = Math.max(forkMs, w.xfr.busyUntil - w.xfr.lastReloadAt);
    target += Math.min(4, (1.5 * burstMs) / intervalMs);
  }
  const snap = memSnapshot(w.k, t);
  const wm = watermarks(w.k);
  if (snap.freeKb < wm.high * 1.4) target += 1.2;
  if (snap.swappedKb > 0) target += 0.6;
  if (w.cron.running.length > 0) target += 0.9;
  return target;
}

function decay(l: number, target: number, dt: number, tau: number): number {
  return target + (l - target) * Math.exp(-dt / tau);
}

export function loadAt(w: Ch1World, t: number): [number, number, number] {
  const L = w.load;
  const dt = Math.max(0, t - L.at);
  return [decay(L.l1, L.target, dt, TAUS[0]!), decay(L.l5, L.target, dt, TAUS[1]!), decay(L.l15, L.target, dt, TAUS[2]!)];
}

/** Bring the averages up to t and aim them at what the box does from now on. */
export function updateLoad(w: Ch1World, t: number): void {
  const [l1, l5, l15] = loadAt(w, t);
  w.load = { at: t, l1, l5, l15, target: loadTarget(w, t) };
}
