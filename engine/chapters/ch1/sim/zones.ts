/**
 * The zones this secondary carries: a handful of real-looking records per zone, generated from the
 * seed, plus the SOA whose serial moves with every transfer.
 */
import type { Ch1Params } from './params';
import type { ZoneState } from './world';

export interface Rr {
  name: string;
  ttl: number;
  type: string;
  data: string;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}

const HOSTS = ['www', 'api', 'mail', 'vpn', 'git', 'ci', 'db1', 'db2', 'cache1', 'queue', 'status', 'metrics', 'ldap', 'backup'];

/** The records of one zone (without its SOA), stable for a given seed. */
export function zoneRecords(p: Ch1Params, zoneName: string): Rr[] {
  const apex = `${zoneName}.`;
  const h = hash(`${p.primaryIp}/${zoneName}`);
  const rrs: Rr[] = [
    { name: apex, ttl: 86400, type: 'NS', data: `ns1.${p.domain}.` },
    { name: apex, ttl: 86400, type: 'NS', data: `${p.hostname}.${p.domain}.` },
  ];
  const internal = zoneName.startsWith('internal.') || zoneName.startsWith('svc.');
  if (!internal) {
    rrs.push({ name: apex, ttl: 3600, type: 'A', data: `198.51.100.${(h % 200) + 20}` });
    rrs.push({ name: apex, ttl: 3600, type: 'MX', data: `10 mail.${zoneName}.` });
    rrs.push({ name: apex, ttl: 3600, type: 'TXT', data: `"v=spf1 mx ip4:198.51.100.0/24 -all"` });
  }
  if (!internal) {
    // every public zone has the host the MX names and the one ftp points at, on every seed
    rrs.push({ name: `www.${apex}`, ttl: 3600, type: 'A', data: `198.51.100.${((h >>> 4) % 200) + 20}` });
    rrs.push({ name: `mail.${apex}`, ttl: 3600, type: 'A', data: `198.51.100.${((h >>> 12) % 200) + 20}` });
  }
  const count = internal ? 12 : 6;
  for (let i = 0; i < count; i++) {
    const host = HOSTS[(h + i * 7) % HOSTS.length]!;
    const name = internal ? `${host}-${(i % 3) + 1}.${apex}` : `${host}.${apex}`;
    if (rrs.some((r) => r.name === name)) continue;
    const ip = internal ? `10.${(h >>> 8) % 4}.${(h >>> 16) % 40 + 1}.${(i * 13 + (h % 37)) % 240 + 10}` : `198.51.100.${(i * 17 + h) % 200 + 20}`;
    rrs.push({ name, ttl: internal ? 60 : 3600, type: 'A', data: ip });
    if (!internal && i % 3 === 0) rrs.push({ name, ttl: 3600, type: 'AAAA', data: `2001:db8:${(h % 0xfff).toString(16)}::${(i + 1).toString(16)}` });
  }
  // a CNAME only ever points at a name the same zone holds
  if (!internal) rrs.push({ name: `ftp.${apex}`, ttl: 3600, type: 'CNAME', data: `www.${apex}` });
  if (zoneName === p.domain) {
    rrs.push({ name: `ns1.${apex}`, ttl: 86400, type: 'A', data: p.primaryIp });
    rrs.push({ name: `${p.hostname}.${apex}`, ttl: 86400, type: 'A', data: `203.0.113.${(h % 200) + 10}` });
  }
  return rrs;
}

export function soaRecord(p: Ch1Params, z: ZoneState, serial: number): Rr {
  const s = p.zones.find((x) => x.name === z.name);
  const timers = s ? `${s.refresh} ${s.retry} ${s.expire} ${s.minimum}` : '3600 900 604800 3600';
  return { name: `${z.name}.`, ttl: 86400, type: 'SOA', data: `ns1.${p.domain}. hostmaster.${p.domain}. ${serial} ${timers}` };
}

/** A zone file in the master-file format NSD writes. */
export function zoneFileText(p: Ch1Params, z: ZoneState): string {
  const lines = [`; ${z.name} as transferred from ${p.primaryIp}`, `$ORIGIN ${z.name}.`];
  const soa = soaRecord(p, z, z.disk);
  lines.push(`${soa.name}\t${soa.ttl}\tIN\tSOA\t${soa.data}`);
  for (const r of zoneRecords(p, z.name)) lines.push(`${r.name}\t${r.ttl}\tIN\t${r.type}\t${r.data}`);
  return lines.join('\n') + '\n';
}
