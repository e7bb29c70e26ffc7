/**
 * DNS as the tools on this box see it. Three servers can answer: the NSD here (authoritative for
 * its zones, never recursive), the primary (authoritative, and it lets this secondary transfer
 * its zones), and the VPC resolver of /etc/resolv.conf (recursive: it offers recursion and relays
 * what the primary has, never authoritatively). The NSD here answers only while a serve child is
 * up; otherwise a UDP query goes unanswered and the client waits out every try.
 */
import type { DigView } from '../../../formats/types';
import { dnsMessageSize, type WireRr } from '../../../formats/dig';
import { memSnapshot } from '../../../kernel/memory';
import type { Rng } from '../../../rng';
import { upstreamVersion } from './nsd';
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
  /** UDP attempts and seconds per attempt (dig: 3 and 5, host: 2 and 5) */
  tries?: number;
  timeSec?: number;
  /** the query carries an EDNS OPT record (dig 9.9 sends one by default, host and nslookup do not) */
  edns?: boolean;
}

const TRIES = 3;
const TRY_TIMEOUT_SEC = 5;
/** dig's TCP_TIMEOUT (bin/dig/include/dig/dig.h) */
const TCP_TIMEOUT_MS = 10_000;

function fqdn(name: string): string {
  return name.endsWith('.') ? name.toLowerCase() : `${name.toLowerCase()}.`;
}

function zoneFor(w: Ch1World, qname: string): ZoneState | undefined {
  let best: ZoneState | undefined;
  for (let ix = 0, xs = w.nsd.zones; ix < xs.length; ix++) {
    const z = xs[ix]!;
    const apex = `${z.name}.`;
    if ((qname === apex || qname.endsWith(`.${apex}`)) && (!best || z.name.length > best.name.length)) best = z;
  }
  return best;
}

type Side = 'self' | 'primary' | 'resolver' | 'none';

function sideOf(w: Ch1World, server: string): Side {
  const s = server.replace(/^@/, '').trim().toLowerCase();
  const local = ['127.0.0.1', 'localhost', '::1', w.p.ip, w.p.hostname, `${w.p.hostname}.${w.p.domain}`];
  if (s === '' || s === w.p.resolver) return 'resolver';
  if (local.includes(s)) return 'self';
  if (s === w.p.primaryIp || s === `ns1.${w.p.domain}`) return 'primary';
  return 'none';
}

/** The address a client on this box sends from when it talks to that server. */
function clientAddress(w: Ch1World, server: string): string {
  return ['127.0.0.1', 'localhost'].includes(server.replace(/^@/, '').toLowerCase()) ? '127.0.0.1' : w.p.ip;
}

/** The records a server holds for a zone at the serial it answers with, SOA first. */
function zoneData(w: Ch1World, z: ZoneState, serial: number): Rr[] {
  return [soaRecord(w.p, z, serial), ...zoneRecords(w.p, z.name)];
}

/** Every record the server holds, across all the zones it serves (for CNAME chains and glue). */
function lookupAll(w: Ch1World, side: Side, name: string, type: string): Rr[] {
  const z = zoneFor(w, name);
  if (!z) return [];
  return zoneData(w, z, side === 'self' ? z.loaded : z.primary).filter((r) => r.name === name && r.type === type);
}

interface Reply {
  rcode: string;
  aa: boolean;
  ra: boolean;
  answers: Rr[];
  authority: Rr[];
  additional: Rr[];
}

/** The names an NSD 4.0 answer asks the additional section for: NS and MX targets. */
function additionalFor(w: Ch1World, side: Side, rrs: Rr[]): Rr[] {
  const out: Rr[] = [];
  const targets: string[] = [];
  for (const r of rrs) {
    if (r.type === 'NS') targets.push(r.data);
    else if (r.type === 'MX') targets.push(r.data.split(' ')[1] ?? '');
  }
  // query.c keeps the A records of all targets before their AAAA records
  for (const type of ['A', 'AAAA']) {
    for (const t of targets) for (const r of lookupAll(w, side, t, type)) if (!out.some((o) => o.name === r.name && o.type === r.type && o.data === r.data)) out.push(r);
  }
  return out;
}

/** An authoritative server's answer (NSD 4.0 query.c: the zone's NS in authority, glue in additional). */
function authoritative(w: Ch1World, side: Side, z: ZoneState, qname: string, qtype: string): Reply {
  const all = zoneData(w, z, side === 'self' ? z.loaded : z.primary);
  const soa = all[0]!;
  const negSoa = { ...soa, ttl: Math.min(soa.ttl, Number(soa.data.split(' ')[6] ?? soa.ttl)) };
  const ns = all.filter((r) => r.name === `${z.name}.` && r.type === 'NS');
  const base: Reply = { rcode: 'NOERROR', aa: true, ra: false, answers: [], authority: [], additional: [] };
  let name = qname;
  const answers: Rr[] = [];
  // follow CNAMEs inside the zone, as answer_authoritative() does
  for (let hops = 0; hops < 8; hops++) {
    const atName = all.filter((r) => r.name === name);
    if (atName.length === 0) return { ...base, rcode: 'NXDOMAIN', answers, authority: [negSoa] };
    const direct = qtype === 'ANY' ? atName : atName.filter((r) => r.type === qtype);
    if (direct.length > 0) {
      answers.push(...direct);
      break;
    }
    const cname = atName.find((r) => r.type === 'CNAME');
    // the name is there without the type: NODATA, the SOA says for how long
    if (!cname) return { ...base, answers, authority: [negSoa] };
    answers.push(cname);
    name = cname.data;
    if (zoneFor(w, name) !== z) break;
  }
  const authority = qtype === 'NS' && qname === `${z.name}.` ? [] : ns;
  return { ...base, answers, authority, additional: additionalFor(w, side, [...answers, ...authority]) };
}

/** The VPC resolver: recursion available, the answer only, as it fetched it from the primary. */
function recursive(w: Ch1World, z: ZoneState | undefined, qname: string, qtype: string): Reply {
  const base: Reply = { rcode: 'NOERROR', aa: false, ra: true, answers: [], authority: [], additional: [] };
  if (!z) return { ...base, rcode: 'NXDOMAIN' };
  const r = authoritative(w, 'primary', z, qname, qtype);
  return { ...base, rcode: r.rcode, answers: r.answers, authority: r.answers.length === 0 ? r.authority : [] };
}

/** What a server that holds no zone for the name says. NSD 4.0.2 made it REFUSED (ChangeLog, 27 Jan 2014). */
function notHosted(w: Ch1World, side: Side): Reply {
  const base: Reply = { rcode: 'REFUSED', aa: false, ra: false, answers: [], authority: [], additional: [] };
  if (side !== 'self') return base;
  const [maj = 0, min = 0, pat = 0] = upstreamVersion(w.nsd.running?.version ?? w.nsd.installed).split('.').map((x) => parseInt(x, 10) || 0);
  const before402 = maj < 4 || (maj === 4 && (min === 0 && pat < 2));
  return before402 ? { ...base, rcode: 'SERVFAIL' } : base;
}

/** How long the server takes: the box's NSD slows when memory runs out, the primary is far away. */
function queryTime(w: Ch1World, rng: Rng, side: Side): number {
  if (side === 'self') {
    const snap = memSnapshot(w.k, w.now);
    return snap.freeKb < w.k.sysctl.minFreeKbytes * 2 ? rng.int(3, 48) : rng.int(0, 1);
  }
  return side === 'primary' ? rng.int(11, 19) : rng.int(1, 4);
}

function answering(w: Ch1World, side: Side, port: number): boolean {
  if (port !== 53 || side === 'none') return false;
  return side === 'self' ? dnsServing(w, w.now) : true;
}

/** One query over UDP. elapsedMs is how long the client waits for it. */
export function dnsQuery(w: Ch1World, rng: Rng, q: DnsQuery): { view: DigView; elapsedMs: number } {
  const qname = fqdn(q.qname || '.');
  const qtype = (q.qtype || 'A').toUpperCase();
  const server = q.server.replace(/^@/, '') || w.p.resolver;
  const tries = q.tries ?? TRIES;
  const edns = q.edns ?? true;
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
    tries,
    ednsUdp: edns ? 4096 : null,
  };
  const side = sideOf(w, q.server);
  if (!answering(w, side, q.port ?? 53)) return { view: base, elapsedMs: tries * (q.timeSec ?? TRY_TIMEOUT_SEC) * 1000 };
  const queryTimeMs = queryTime(w, rng, side);
  const z = zoneFor(w, qname);
  const r = side === 'resolver' ? recursive(w, z, qname, qtype) : z ? authoritative(w, side, z, qname, qtype) : notHosted(w, side);
  const msgSize = dnsMessageSize({ qname, answers: r.answers, authority: r.authority, additional: r.additional, edns });
  const outcome: DigView['outcome'] = r.rcode === 'NXDOMAIN' ? 'nxdomain' : 'answer';
  return {
    view: {
      ...base,
      outcome,
      rcode: r.rcode,
      answers: r.answers,
      authority: r.authority,
      additional: r.additional,
      queryTimeMs,
      msgSize,
      aa: r.aa,
      ra: r.ra,
    },
    elapsedMs: queryTimeMs + 1,
  };
}

/** The outcome of an AXFR over TCP, as dig reports it. */
export type XfrResult =
  | { kind: 'refused-connection' | 'timeout'; elapsedMs: number }
  | { kind: 'failed'; elapsedMs: number }
  | { kind: 'ok'; records: Rr[]; messages: number; bytes: number; queryTimeMs: number; elapsedMs: number };

/** provide-xfr entries of nsd.conf that let this client transfer (NSD 4.0 axfr.c: acl_check_incoming). */
function provideXfrAllows(w: Ch1World, client: string): boolean {
  const conf = w.files.files['/etc/nsd/nsd.conf']?.content ?? '';
  for (const line of conf.split('\n')) {
    const m = /^\s*provide-xfr:\s*(\S+)\s+(\S+)/.exec(line);
    if (!m || m[2] === 'BLOCKED') continue;
    const spec = m[1]!;
    if (spec === client || spec === '0.0.0.0/0' || (spec.endsWith('/8') && client.split('.')[0] === spec.split('.')[0])) return true;
  }
  return false;
}

/** `dig @SERVER ZONE axfr`: TCP to port 53, the whole zone between two SOAs, or a refusal. */
export function zoneTransfer(w: Ch1World, rng: Rng, server: string, zoneName: string, port = 53): XfrResult {
  const side = sideOf(w, server);
  if (port !== 53 || side === 'none') return { kind: 'timeout', elapsedMs: TCP_TIMEOUT_MS };
  if (side === 'self') {
    // nothing listens once NSD is gone; with NSD up but no serve child, the connect is never accepted
    if (!w.machine.up || !w.nsd.running) return { kind: 'refused-connection', elapsedMs: 1 };
    if (!dnsServing(w, w.now)) return { kind: 'timeout', elapsedMs: TCP_TIMEOUT_MS };
  }
  const queryTimeMs = queryTime(w, rng, side);
  const qname = fqdn(zoneName);
  const z = w.nsd.zones.find((x) => `${x.name}.` === qname);
  // the resolver does not transfer zones; the primary lets its secondary (this box) transfer
  const allowed = side === 'primary' ? !!z : side === 'self' ? !!z && provideXfrAllows(w, clientAddress(w, server)) : false;
  if (!allowed || !z) return { kind: 'failed', elapsedMs: queryTimeMs + 1 };
  const data = zoneData(w, z, side === 'self' ? z.loaded : z.primary);
  const records = [...data, data[0]!];
  const bytes = dnsMessageSize({ qname, answers: records, authority: [], additional: [], edns: true });
  return { kind: 'ok', records, messages: 1, bytes, queryTimeMs, elapsedMs: queryTimeMs + 1 };
}
