/**
 * The primary's updates: each one NOTIFYs this secondary, xfrd transfers the zone, commits it to
 * disk and asks the main process for a reload, at most once per xfrd-reload-timeout.
 */
import { compactWriter } from '../../../machine/syslog';
import type { Rng } from '../../../rng';
import type { Ch1World } from './world';

/** gap to the next update: exponential around the seeded mean, never quite zero */
export function xfrGap(w: Ch1World, rng: Rng): number {
  return gapFrom(w.p.xfrMeanMs, rng);
}

function gapFrom(meanMs: number, rng: Rng): number {
  const u = rng.next();
  return Math.max(120, Math.round(-meanMs * Math.log(1 - u)));
}

/** xfrdPid drops to 0 the moment xfrd dies (deliverDeaths sees to that) */
export function xfrdAlive(w: Ch1World): boolean {
  const run = w.nsd.running;
  return !!run && run.xfrdPid > 0;
}

/**
 * Updates arriving while nothing changes NSD's processes, the machine's power or the zones'
 * weights: what every arrival reads of them is looked up once. A bulk run takes tens of
 * thousands of arrivals through one of these.
 */
export function arrivals(w: Ch1World, rng: Rng): (t: number) => void {
  const x = w.xfr;
  const zones = w.nsd.zones;
  const first = w.p.zones;
  const log = compactWriter(w.logs);
  const run = w.nsd.running;
  // only a running xfrd hears the NOTIFY, and only a verbose one logs the commit
  const heard = w.machine.up && !!run && run.xfrdPid > 0;
  const xfrdPid = run ? run.xfrdPid : 0;
  const verbose = !!run && run.verbosity >= 1;
  const asks = !!run && run.canSendReload;
  const quietMs = w.p.xfrdReloadTimeout * 1000;
  const meanMs = w.p.xfrMeanMs;
  let total = 0;
  for (const z of zones) total += z.weight;
  return (t) => {
    // the zone, weighted by how often each one changes
    let r = rng.next() * total;
    let zi = 0;
    for (let i = 0; i < zones.length; i++) {
      r -= zones[i]!.weight;
      if (r < 0) {
        zi = i;
        break;
      }
    }
    const z = zones[zi]!;
    z.primary++;
    if (heard) {
      // the serial being served keeps the time it was committed (xfrd_handle_incoming_soa)
      if (z.loaded === z.disk) z.servedDiskAt = z.diskAt;
      z.disk = z.primary;
      z.diskAt = t;
      if (verbose) log(t, xfrdPid, zi, z.disk - (first[zi]?.serial ?? 0));
      // xfrd_set_reload_timeout(): now if the quiet period has passed, else when it does
      if (asks && x.pendingAt < 0) x.pendingAt = Math.max(t, x.lastReloadAt + quietMs, x.busyUntil);
    }
    x.nextAt = t + gapFrom(meanMs, rng);
  };
}

/** One update arrives at the primary and, if xfrd is there to hear it, lands here. */
export function xfrArrive(w: Ch1World, rng: Rng, t: number): void {
  arrivals(w, rng)(t);
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
