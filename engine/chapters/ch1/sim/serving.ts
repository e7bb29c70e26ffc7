/**
 * Whether the name server answers: the one fact about NSD that DNS queries, the outage books and
 * the bulk reloads all read, kept apart so none of them depends on the others.
 */
import { ROLE, type Ch1World } from './world';

/** A query gets an answer only while some serve child is up and listening. */
export function dnsServing(w: Ch1World, t: number): boolean {
  if (!w.machine.up) return false;
  for (let ix = 0, xs = w.k.procs; ix < xs.length; ix++) {
    const p = xs[ix]!;
    if (p.role === ROLE.child && p.start <= t && p.state !== 'T') return true;
  }
  return false;
}
