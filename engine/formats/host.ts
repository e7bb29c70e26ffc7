/**
 * host from bind9-host 9.9.5 (Ubuntu 14.04), in its default short form: one line per record of
 * the answer ("x has address", "x is an alias for y."), then the AAAA and MX lookups host adds
 * for the name at the end of the CNAME chain (bin/dig/host.c: printmessage, say_message).
 */
import type { ToolExit } from './args';

interface HostRecord {
  name: string;
  type: string;
  data: string;
}

/** One lookup as host saw it: no reply at all, or the server's rcode and answer section. */
export type HostLookup = { kind: 'timeout' } | { kind: 'reply'; rcode: string; answers: readonly HostRecord[] };

/** host.c's rtypes[]: the words it puts between a name and its data. */
const SAYS: Record<string, string> = {
  A: 'has address',
  NS: 'name server',
  CNAME: 'is an alias for',
  WKS: 'has well known services',
  PTR: 'domain name pointer',
  HINFO: 'host information',
  MX: 'mail is handled by',
  TXT: 'descriptive text',
  X25: 'x25 address',
  ISDN: 'ISDN address',
  SIG: 'has signature',
  KEY: 'has key',
  AAAA: 'has IPv6 address',
  LOC: 'location',
};

const RCODES: Record<string, number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };

export const HOST_USAGE =
  'Usage: host [-aCdlriTwv] [-c class] [-N ndots] [-t type] [-W time]\n' +
  '            [-R number] [-m flag] hostname [server]\n' +
  '       -a is equivalent to -v -t ANY\n' +
  '       -c specifies query class for non-IN data\n' +
  '       -C compares SOA records on authoritative nameservers\n' +
  '       -d is equivalent to -v\n' +
  '       -l lists all hosts in a domain, using AXFR\n' +
  '       -i IP6.INT reverse lookups\n' +
  '       -N changes the number of dots allowed before root lookup is done\n' +
  '       -r disables recursive processing\n' +
  '       -R specifies number of retries for UDP packets\n' +
  '       -s a SERVFAIL response should stop query\n' +
  '       -t specifies the query type\n' +
  '       -T enables TCP/IP mode\n' +
  '       -v enables verbose output\n' +
  '       -w specifies to wait forever for a reply\n' +
  '       -W specifies how long to wait for a reply\n' +
  '       -4 use IPv4 query transport only\n' +
  '       -6 use IPv6 query transport only\n' +
  '       -m set memory debugging flag (trace|record|usage)\n';

/** dns_name_format(): no final dot, except for the root itself. */
function bare(name: string): string {
  return name === '.' ? '.' : name.replace(/\.$/, '');
}

/** The name at the end of a CNAME chain in an answer section (host.c chase_cnamechain). */
export function chaseCname(qname: string, answers: readonly HostRecord[]): string {
  let name = qname.toLowerCase();
  for (let i = 0; i < 8; i++) {
    const c = answers.find((r) => r.type === 'CNAME' && r.name.toLowerCase() === name);
    if (!c) break;
    name = c.data.toLowerCase();
  }
  return name;
}

export interface HostRun {
  /** the name as the player typed it */
  typed: string;
  /** fully qualified */
  qname: string;
  /** the server named on the command line and its address with port ("127.0.0.1#53"), if any */
  server?: { name: string; address: string };
  /** the A lookup, then (after an answer) the AAAA and MX lookups of the chased name */
  lookups: readonly HostLookup[];
  /** the type asked for with -t: an empty answer then says so */
  explicitType?: string;
}

/** stdout and exit status of `host NAME [SERVER]`. */
export function formatHost(run: HostRun): ToolExit {
  let out = '';
  let printedServer = false;
  let error = -1;
  for (const l of run.lookups) {
    if (l.kind === 'timeout') {
      out += ';; connection timed out; no servers could be reached\n';
      continue;
    }
    if (run.server && !printedServer) {
      out += `Using domain server:\nName: ${run.server.name}\nAddress: ${run.server.address}\nAliases: \n\n`;
      printedServer = true;
    }
    if (l.rcode !== 'NOERROR') {
      const who = l.rcode === 'NXDOMAIN' ? run.typed : bare(run.qname);
      out += `Host ${who} not found: ${RCODES[l.rcode] ?? 0}(${l.rcode})\n`;
      error = 1;
      continue;
    }
    for (const r of l.answers) out += `${bare(r.name)} ${SAYS[r.type] ?? `has ${r.type} record`} ${r.data}\n`;
    if (run.explicitType && l.answers.length === 0) out += `${bare(run.qname)} has no ${run.explicitType} record\n`;
    if (error !== 1) error = 0;
  }
  return { stdout: out, stderr: '', code: error === 0 ? 0 : 1 };
}
