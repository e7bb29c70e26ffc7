/**
 * `nsd-control zonestatus [ZONE]` of NSD 4.0.1 (remote.c print_zonestatus): every configured
 * zone in canonical DNS order (the options tree is keyed by dname_compare), its xfrd state, and
 * the serial served and the one committed to disk, each with the time xfrd acquired it.
 */
import { strftime } from '../../../formats/time';
import type { Ch1World, ZoneState } from './world';

/** dname_compare(): label by label from the root, a shorter name first when one ends the other */
function canonicalCompare(a: string, b: string): number {
  const la = a.toLowerCase().split('.').filter(Boolean).reverse();
  const lb = b.toLowerCase().split('.').filter(Boolean).reverse();
  for (let i = 0; i < Math.min(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return la[i]! < lb[i]! ? -1 : 1;
  }
  return la.length - lb.length;
}

/** xfrd_pretty_time(): "%Y-%m-%dT%H:%M:%S" in local time, and the box runs UTC */
function prettyTime(t: number): string {
  return strftime('%Y-%m-%dT%H:%M:%S', Math.floor(t / 1000) * 1000);
}

function soaStatus(label: string, serial: number, acquired: number | undefined): string {
  return acquired === undefined ? `\t${label}: none\n` : `\t${label}: "${serial} since ${prettyTime(acquired)}"\n`;
}


/**
 * Every zone is "ok": xfrd answers only while it lives, and while it lives it transfers each
 * update the moment the primary's NOTIFY comes, so it is never refreshing or expired here.
 */
function zoneBlock(z: ZoneState): string {
  const served = z.loaded === z.disk ? z.diskAt : z.servedDiskAt;
  return `zone:\t${z.name}\n\tstate: ok\n` + soaStatus('served-serial', z.loaded, served) + soaStatus('commit-serial', z.disk, z.diskAt);
}

/** The control channel's answer, or its error line (remote.c get_zone_arg). */
export function zoneStatusText(w: Ch1World, arg: string | undefined): { text: string; ok: boolean } {
  if (arg !== undefined && arg !== '') {
    const name = arg.replace(/\.$/, '').toLowerCase();
    if (name === '' || name.split('.').some((l) => l === '' || l.length > 63)) return { text: `error cannot parse zone name '${arg}'\n`, ok: false };
    const z = w.nsd.zones.find((x) => x.name === name);
    if (!z) return { text: `error zone ${arg} not configured\n`, ok: false };
    return { text: zoneBlock(z), ok: true };
  }
  const sorted = [...w.nsd.zones].sort((a, b) => canonicalCompare(a.name, b.name));
  return { text: sorted.map((z) => zoneBlock(z)).join(''), ok: true };
}
