/**
 * The load average: exponentially damped towards what the box is doing. Each service says how
 * much it keeps the run queue busy (a daemon forking a deep anon_vma chain keeps a CPU in the
 * kernel), and reclaim under memory pressure leaves tasks waiting.
 */
import { memSnapshot, watermarks } from '../kernel/memory';
import { scenarioOf } from './scenario';
import type { MachineWorld } from './world';

const TAUS = [60_000, 300_000, 900_000];

/** what the load tends to, from what runs right now */
function loadTarget(w: MachineWorld, t: number): number {
  if (!w.machine.up) return 0;
  let target = 0.04;
  for (const svc of scenarioOf(w).services) target += svc.load?.(w, t) ?? 0;
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

export function loadAt(w: MachineWorld, t: number): [number, number, number] {
  const L = w.load;
  const dt = Math.max(0, t - L.at);
  return [decay(L.l1, L.target, dt, TAUS[0]!), decay(L.l5, L.target, dt, TAUS[1]!), decay(L.l15, L.target, dt, TAUS[2]!)];
}

/** Bring the averages up to t and aim them at what the box does from now on. */
export function updateLoad(w: MachineWorld, t: number): void {
  const [l1, l5, l15] = loadAt(w, t);
  w.load = { at: t, l1, l5, l15, target: loadTarget(w, t) };
}
