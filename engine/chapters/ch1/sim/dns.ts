/**
 * A DNS query as dig sees it. This box answers only while an NSD serve child is up; otherwise the
 * query goes unanswered (nothing reads the socket, or the port is closed and BIND 9.9.5's dig of
 * trusty still reports a timeout) and dig gives up after 3 tries of 5 s. The primary answers with
 * its newest serials, the VPC resolver relays what the primary has.
 */
import type { DigView } from '../../../formats/types';
import { memSnapshot } from '../../../kernel/memory';
import type { Rng } from '../../../rng';
import { dnsServing } from './serving';
import { soaRecord, zoneRecords, type Rr } from './zones';
import type { Ch1World, ZoneState } from './world';

interface DnsQuery {
  /** '' for the resolver in /etc/resolv.conf */
  server: string;
  qname: string;
  qtype: string;
  port?: number;
  /** what followed `dig` on the command line, for the header */
  commandLine?: string;
  short?: boolean;
}

const TRIES = 3;
const TRY_TIMEOUT_MS = 5_000;

function fqdn(name: string): string {
  return name.endsWith('.') ? name.toLowerCase() : `${name.toLowerCase()}.`;
}

function zoneFor(w: Ch1World, qname: string): ZoneState | undefined {
  let best: ZoneState | undefined;
  for (const z of w.nsd.zones) {
    const apex = `${z.name}.`;
    if ((qname === apex || qname.endsWith(`.${apex}`)) && (!best || z.name.length > best.name.length)) best = z;
  }
  return best;
}

function rrSize(r: Rr): number {
  const rdata = r.type === 'A' ? 4 : r.type === 'AAAA' ? 16 : r.type === 'SOA' ? 22 + r.data.length / 2 : r.data.length + 2;
  return 2 + 10 + Math.round(rdata);
}

type Side = 'self' | 'primary' | 'resolver' | 'none';

function sideOf(w: Ch1World, server: string): Side {
  const s = server.replace(/^@/, '').trim();
  const local = ['127.0.0.1', 'localhost', '::1', w.p.ip, w.p.hostname, `${w.p.hostname}.${w.p.domain}`];
  if (s === '' || s === w.p.resolver) return 'resolver';
  if (local.includes(s)) return 'self';
  if (s === w.p.primaryIp || s === `ns1.${w.p.domain}`) return 'primary';
  return 'none';
}

function answerFrom(w: Ch1World, z: ZoneState, serial: number, qname: string, qtype: string): { outcome: DigView['outcome']; answers: Rr[]; authority: Rr[] } {
  const soa = soaRecord(w.p, z, serial);
  const all = [soa, ...zoneRecords(w.p, z.name)];
  const atName = all.filter((r) => r.name === qname);
  if (atName.length === 0) return { outcome: 'nxdomain', answers: [], authority: [{ ...soa, ttl: Math.min(soa.ttl, 3600) }] };
  if (qtype === 'ANY') return { outcome: 'answer', answers: atName, authority: [] };
  const direct = atName.filter((r) => r.type === qtype);
  if (direct.length > 0) return { outcome: 'answer', answers: direct, authority: [] };
  const cname = atName.find((r) => r.type === 'CNAME');
  if (cname) {
    const target = all.filter((r) => r.name === cname.data && r.type === qtype);
    return { outcome: 'answer', answers: [cname, ...target], authority: [] };
  }
  return { outcome: 'answer', answers: [], authority: [{ ...soa, ttl: Math.min(soa.ttl, 3600) }] };
}

/** One dig run. elapsedMs is how long the player waits for it. */
export function dnsQuery(w: Ch1World, rng: Rng, q: DnsQuery): { view: DigView; elapsedMs: number } {
  const qname = fqdn(q.qname || '.');
  const qtype = (q.qtype || 'A').toUpperCase();
  const server = q.server.replace(/^@/, '') || w.p.resolver;
  const base: DigView = {
    commandLine: q.commandLine ?? `${q.server ? `@${server} ` : ''}${q.qname} ${qtype}`.trim(),
    server,
    port: q.port ?? 53,
    qname,
    qtype,
    outcome: 'timeout',
    id: rng.int(0, 65535),
    answers: [],
    authority: [],
    additional: [],
    queryTimeMs: 0,
    when: w.now,
    msgSize: 0,
    short: !!q.short,
    aa: false,
    tries: TRIES,
  };
  const side = sideOf(w, q.server);
  const z = zoneFor(w, qname);
  const up = side === 'self' ? (q.port ?? 53) === 53 && dnsServing(w, w.now) : side !== 'none' && (q.port ?? 53) === 53;
  if (!up) return { view: base, elapsedMs: TRIES * TRY_TIMEOUT_MS };
  let queryTimeMs = rng.int(0, 1);
  if (side === 'self') {
    const snap = memSnapshot(w.k, w.now);
    if (snap.freeKb < w.k.sysctl.minFreeKbytes * 2) queryTimeMs = rng.int(3, 48);
  } else queryTimeMs = side === 'primary' ? rng.int(11, 19) : rng.int(1, 4);
  if (!z) {
    const outcome = side === 'resolver' ? 'nxdomain' : 'refused';
    return { view: { ...base, outcome, queryTimeMs, msgSize: 12 + qname.length + 5 }, elapsedMs: queryTimeMs + 1 };
  }
  const serial = side === 'self' ? z.loaded : z.primary;
  const r = answerFrom(w, z, serial, qname, qtype);
  const size = 12 + qname.length + 5 + [...r.answers, ...r.authority].reduce((a, x) => a + rrSize(x), 0);
  return {
    view: { ...base, outcome: r.outcome, answers: r.answers, authority: r.authority, queryTimeMs, msgSize: size, aa: side !== 'resolver' },
    elapsedMs: queryTimeMs + 1,
  };
}
