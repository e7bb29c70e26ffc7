/**
 * The primary's updates: each one NOTIFYs this secondary, xfrd transfers the zone, commits it to
 * disk and asks the main process for a reload, at most once per xfrd-reload-timeout.
 */
import { pushCompact } from '../../../machine/syslog';
import type { Rng } from '../../../rng';
import type { Ch1World } from './world';

/** gap to the next update: exponential around the seeded mean, never quite zero */
export function xfrGap(w: Ch1World, rng: Rng): number {
  const u = rng.next();
  return Math.max(120, Math.round(-w.p.xfrMeanMs * Math.log(1 - u)));
}

function pickZone(w: Ch1World, rng: Rng): number {
  let total = 0;
  for (const z of w.nsd.zones) total += z.weight;
  let r = rng.next() * total;
  for (let i = 0; i < w.nsd.zones.length; i++) {
    r -= w.nsd.zones[i]!.weight;
    if (r < 0) return i;
  }
  return 0;
}

/** xfrd_set_reload_timeout(): now if the quiet period has passed, else when it does */
function requestReload(w: Ch1World, t: number): void {
  const run = w.nsd.running;
  if (!run || !run.canSendReload || w.xfr.pendingAt >= 0) return;
  w.xfr.pendingAt = Math.max(t, w.xfr.lastReloadAt + w.p.xfrdReloadTimeout * 1000, w.xfr.busyUntil);
}

/** xfrdPid drops to 0 the moment xfrd dies (deliverDeaths sees to that) */
export function xfrdAlive(w: Ch1World): boolean {
  const run = w.nsd.running;
  return !!run && run.xfrdPid > 0;
}

/** One update arrives at the primary and, if xfrd is there to hear it, lands here. */
export function xfrArrive(w: Ch1World, rng: Rng, t: number): void {
  const zi = pickZone(w, rng);
  const z = w.nsd.zones[zi]!;
  z.primary++;
  if (w.machine.up && xfrdAlive(w)) {
    const run = w.nsd.running!;
    // the serial being served keeps the time it was committed (xfrd_handle_incoming_soa)
    if (z.loaded === z.disk) z.servedDiskAt = z.diskAt;
    z.disk = z.primary;
    z.diskAt = t;
    if (run.verbosity >= 1) pushCompact(w.logs, t, run.xfrdPid, zi, z.disk - (w.p.zones[zi]?.serial ?? 0));
    requestReload(w, t);
  }
  w.xfr.nextAt = t + xfrGap(w, rng);
}

/** xfrd_pretty_time(): local time, and the box runs UTC */
function xfrdPrettyTime(t: number): string {
  return new Date(Math.floor(t / 1000) * 1000).toISOString().slice(0, 19);
}

/** The text of a compact xfrd commit record, as nsd logs it. */
export function xfrCommitText(w: Ch1World, zone: number, serial: number, t: number): string {
  const name = w.nsd.zones[zone]?.name ?? '?';
  return `xfrd: zone ${name} committed "received update to serial ${serial} at ${xfrdPrettyTime(t)} from ${w.p.primaryIp}"`;
}
