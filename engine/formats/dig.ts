/**
 * dig from BIND 9.9.5-3ubuntu0.2 (Ubuntu 14.04): argument parsing and the full and +short
 * outputs. Records are laid out with the debug master-file style dig uses (TTL at column 24,
 * class at 32, type at 40, data at 48, tabs 8 wide), so short names get tabs and long ones a
 * single space, exactly as dig pads them.
 */
import type { DigView } from './types';
import type { ParsedArgs, ToolExit } from './args';
import { exitWith } from './args';
import { strftime } from './time';

const DIG_VERSION = '9.9.5-3ubuntu0.2-Ubuntu';

interface DigOptions {
  /** as typed, for the "; <<>> DiG ... <<>>" line */
  commandLine: string;
  server?: string;
  port: number;
  qname: string;
  qtype: string;
  qclass: string;
  short: boolean;
  /** total UDP attempts (+tries=N, or +retry=N plus one) */
  tries: number;
  /** seconds to wait for each attempt */
  timeSec: number;
  recurse: boolean;
  tcp: boolean;
}

/** Facts about the reply that DigView leaves out. */
interface DigReplyExtras {
  /** rcode text when it is neither NOERROR nor NXDOMAIN, e.g. 'REFUSED' or 'SERVFAIL' */
  rcode?: string;
  /** the server offered recursion (an authoritative-only server never does) */
  ra?: boolean;
  /** the query asked for recursion (dig's default) */
  rd?: boolean;
  /** EDNS UDP size the server advertised; null when the reply had no OPT record */
  ednsUdp?: number | null;
}

const TYPES = new Set([
  'A', 'NS', 'MD', 'MF', 'CNAME', 'SOA', 'MB', 'MG', 'MR', 'NULL', 'WKS', 'PTR', 'HINFO', 'MINFO', 'MX', 'TXT',
  'RP', 'AFSDB', 'SIG', 'KEY', 'AAAA', 'LOC', 'NXT', 'SRV', 'NAPTR', 'KX', 'CERT', 'A6', 'DNAME', 'OPT', 'APL',
  'DS', 'SSHFP', 'IPSECKEY', 'RRSIG', 'NSEC', 'DNSKEY', 'DHCID', 'NSEC3', 'NSEC3PARAM', 'TLSA', 'HIP', 'SPF',
  'TKEY', 'TSIG', 'IXFR', 'AXFR', 'ANY', 'CAA',
]);
const CLASSES = new Set(['IN', 'CH', 'CHAOS', 'HS', 'HESIOD', 'NONE', 'ANY']);

function usage(): string {
  return (
    'Usage:  dig [@global-server] [domain] [q-type] [q-class] {q-opt}\n' +
    '            {global-d-opt} host [@local-server] {local-d-opt}\n' +
    '            [ host [@local-server] {local-d-opt} [...]]\n' +
    'Use "dig -h" (or "dig -h | more") for complete list of options\n'
  );
}

function digHelp(): string {
  return (
    'Usage:  dig [@global-server] [domain] [q-type] [q-class] {q-opt}\n' +
    '            {global-d-opt} host [@local-server] {local-d-opt}\n' +
    '            [ host [@local-server] {local-d-opt} [...]]\n' +
    'Where:  domain\t  is in the Domain Name System\n' +
    '        q-class  is one of (in,hs,ch,...) [default: in]\n' +
    '        q-type   is one of (a,any,mx,ns,soa,hinfo,axfr,txt,...) [default:a]\n' +
    '                 (Use ixfr=version for type ixfr)\n' +
    '        q-opt    is one of:\n' +
    '                 -x dot-notation     (shortcut for reverse lookups)\n' +
    '                 -i                  (use IP6.INT for IPv6 reverse lookups)\n' +
    '                 -f filename         (batch mode)\n' +
    '                 -b address[#port]   (bind to source address/port)\n' +
    '                 -p port             (specify port number)\n' +
    '                 -q name             (specify query name)\n' +
    '                 -t type             (specify query type)\n' +
    '                 -c class            (specify query class)\n' +
    '                 -k keyfile          (specify tsig key file)\n' +
    '                 -y [hmac:]name:key  (specify named base64 tsig key)\n' +
    '                 -4                  (use IPv4 query transport only)\n' +
    '                 -6                  (use IPv6 query transport only)\n' +
    '                 -m                  (enable memory usage debugging)\n' +
    '        d-opt    is of the form +keyword[=value], where keyword is:\n' +
    '                 +[no]vc             (TCP mode)\n' +
    '                 +[no]tcp            (TCP mode, alternate syntax)\n' +
    '                 +time=###           (Set query timeout) [5]\n' +
    '                 +tries=###          (Set number of UDP attempts) [3]\n' +
    '                 +retry=###          (Set number of UDP retries) [2]\n' +
    '                 +domain=###         (Set default domainname)\n' +
    '                 +bufsize=###        (Set EDNS0 Max UDP packet size)\n' +
    '                 +ndots=###          (Set NDOTS value)\n' +
    '                 +[no]edns[=###]     (Set EDNS version) [0]\n' +
    '                 +[no]search         (Set whether to use searchlist)\n' +
    '                 +[no]showsearch     (Search with intermediate results)\n' +
    '                 +[no]defname        (Ditto)\n' +
    '                 +[no]recurse        (Recursive mode)\n' +
    '                 +[no]ignore         (Don\'t revert to TCP for TC responses.)\n' +
    '                 +[no]fail           (Don\'t try next server on SERVFAIL)\n' +
    '                 +[no]besteffort     (Try to parse even illegal messages)\n' +
    '                 +[no]aaonly         (Set AA flag in query (+[no]aaflag))\n' +
    '                 +[no]adflag         (Set AD flag in query)\n' +
    '                 +[no]cdflag         (Set CD flag in query)\n' +
    '                 +[no]cl             (Control display of class in records)\n' +
    '                 +[no]cmd            (Control display of command line)\n' +
    '                 +[no]comments       (Control display of comment lines)\n' +
    '                 +[no]rrcomments     (Control display of per-record comments)\n' +
    '                 +[no]question       (Control display of question)\n' +
    '                 +[no]answer         (Control display of answer)\n' +
    '                 +[no]authority      (Control display of authority)\n' +
    '                 +[no]additional     (Control display of additional)\n' +
    '                 +[no]stats          (Control display of statistics)\n' +
    '                 +[no]short          (Disable everything except short\n' +
    '                                      form of answer)\n' +
    '                 +[no]ttlid          (Control display of ttls in records)\n' +
    '                 +[no]all            (Set or clear all display flags)\n' +
    '                 +[no]qr             (Print question before sending)\n' +
    '                 +[no]nssearch       (Search all authoritative nameservers)\n' +
    '                 +[no]identify       (ID responders in short answers)\n' +
    '                 +[no]trace          (Trace delegation down from root [+dnssec])\n' +
    '                 +[no]dnssec         (Request DNSSEC records)\n' +
    '                 +[no]nsid           (Request Name Server ID)\n' +
    '                 +[no]sigchase       (Chase DNSSEC signatures)\n' +
    '                 +trusted-key=####   (Trusted Key when chasing DNSSEC sigs)\n' +
    '                 +[no]topdown        (Do DNSSEC validation top down mode)\n' +
    '                 +[no]split=##       (Split hex/base64 fields into chunks)\n' +
    '                 +[no]multiline      (Print records in an expanded format)\n' +
    '                 +[no]onesoa         (AXFR prints only one soa record)\n' +
    '                 +[no]keepopen       (Keep the TCP socket open between queries)\n' +
    '        global d-opts and servers (before host name) affect all queries.\n' +
    '        local d-opts and servers (after host name) affect only that lookup.\n' +
    '        -h                           (print help and exit)\n' +
    '        -v                           (print version and exit)\n'
  );
}

function reverseName(addr: string): string | null {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(addr);
  if (v4) return `${v4.slice(1).reverse().join('.')}.in-addr.arpa.`;
  return null;
}

export function parseDigArgs(argv: readonly string[]): ParsedArgs<DigOptions> {
  const o: DigOptions = {
    commandLine: argv.join(' '),
    port: 53,
    qname: '',
    qtype: '',
    qclass: 'IN',
    short: false,
    tries: 3,
    timeSec: 5,
    recurse: true,
    tcp: false,
  };
  const bad = (msg: string) => exitWith('', msg, 1);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('@')) {
      o.server = a.slice(1);
      continue;
    }
    if (a.startsWith('+')) {
      const [rawKey, value] = a.slice(1).split('=', 2) as [string, string | undefined];
      const no = rawKey.startsWith('no');
      const key = no ? rawKey.slice(2) : rawKey;
      const number = (): number | null => (value !== undefined && /^\d+$/.test(value) ? Number(value) : null);
      if ('short'.startsWith(key) && key.length >= 2) o.short = !no;
      else if ('tries'.startsWith(key) && key.length >= 2) {
        const n = number();
        if (n === null) return bad(`Invalid option: ${a}\n${usage()}`);
        o.tries = Math.max(1, n);
      } else if ('retry'.startsWith(key) && key.length >= 3) {
        const n = number();
        if (n === null) return bad(`Invalid option: ${a}\n${usage()}`);
        o.tries = n + 1;
      } else if ('time'.startsWith(key) && key.length >= 2) {
        const n = number();
        if (n === null) return bad(`Invalid option: ${a}\n${usage()}`);
        o.timeSec = Math.max(1, n);
      } else if ('recurse'.startsWith(key) && key.length >= 3) o.recurse = !no;
      else if (key === 'tcp' || key === 'vc') o.tcp = !no;
      else if (
        ['cmd', 'comments', 'question', 'answer', 'authority', 'additional', 'stats', 'all', 'cl', 'ttlid',
          'edns', 'bufsize', 'search', 'defname', 'multiline', 'identify', 'nsid', 'dnssec', 'aaonly', 'adflag',
          'cdflag', 'ignore', 'fail', 'besteffort', 'qr', 'rrcomments', 'onesoa', 'keepopen', 'ndots', 'domain', 'showsearch'].includes(key)
      ) {
        continue;
      } else return bad(`Invalid option: ${a}\n${usage()}`);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      const flag = a[1];
      const value = (): string | null => (a.length > 2 ? a.slice(2) : i + 1 < argv.length ? argv[++i] : null);
      switch (flag) {
        case 'h': return exitWith(digHelp(), '', 0);
        case 'v': return exitWith('', `DiG ${DIG_VERSION}\n`, 0);
        case '4': case '6': case 'm': case 'i': continue;
        case 'p': {
          const v = value();
          if (v === null || !/^\d+$/.test(v) || Number(v) > 65535) return bad(`dig: Couldn't parse port number\n`);
          o.port = Number(v);
          continue;
        }
        case 't': {
          const v = value();
          if (v === null) return bad(usage());
          if (!TYPES.has(v.toUpperCase())) return bad(`dig: '${v}' is not a valid type: unknown class/type\n`);
          o.qtype = v.toUpperCase();
          continue;
        }
        case 'c': {
          const v = value();
          if (v === null) return bad(usage());
          if (!CLASSES.has(v.toUpperCase())) return bad(`dig: '${v}' is not a valid class: unknown class/type\n`);
          o.qclass = v.toUpperCase();
          continue;
        }
        case 'q': {
          const v = value();
          if (v === null) return bad(usage());
          o.qname = v;
          continue;
        }
        case 'x': {
          const v = value();
          if (v === null) return bad(usage());
          const r = reverseName(v);
          if (r === null) return bad(`Invalid IP address ${v}\n`);
          o.qname = r;
          if (!o.qtype) o.qtype = 'PTR';
          continue;
        }
        case 'b': case 'f': case 'k': case 'y':
          value();
          continue;
        default:
          return bad(`Invalid option: ${a}\n${usage()}`);
      }
    }
    const up = a.toUpperCase();
    if (!o.qtype && TYPES.has(up) && o.qname) o.qtype = up;
    else if (CLASSES.has(up) && o.qname && up !== 'ANY') o.qclass = up;
    else if (!o.qname) o.qname = a;
    else if (!o.qtype && TYPES.has(up)) o.qtype = up;
  }
  if (!o.qname) {
    o.qname = '.';
    if (!o.qtype) o.qtype = 'NS';
  }
  if (!o.qtype) o.qtype = 'A';
  if (!o.qname.endsWith('.')) o.qname += '.';
  return { ok: true, options: o };
}

/** A line being laid out with masterdump.c's indent(): tabs up to a column, never less than one blank. */
class Columns {
  text = '';
  col = 0;

  put(s: string): this {
    this.text += s;
    this.col += s.length;
    return this;
  }

  indent(to: number): this {
    const target = Math.max(to, this.col + 1);
    const ntabs = Math.floor(target / 8) - Math.floor(this.col / 8);
    this.text += ntabs > 0 ? '\t'.repeat(ntabs) + ' '.repeat(target - Math.floor(target / 8) * 8) : ' '.repeat(target - this.col);
    this.col = target;
    return this;
  }
}

/** One record: name, TTL at 24, class at 32, type at 40, data at 48. */
export function digRecordLine(r: { name: string; ttl: number; type: string; data: string }): string {
  return new Columns().put(r.name).indent(24).put(String(r.ttl)).indent(32).put('IN').indent(40).put(r.type).indent(48).put(r.data).text;
}

/** The question is printed without TTL, and its ';' does not count toward the columns. */
function digQuestionLine(qname: string, qtype: string): string {
  return `;${new Columns().put(qname).indent(32).put('IN').indent(40).put(qtype).text}`;
}

function commandHeader(v: DigView): string {
  let h = `\n; <<>> DiG ${DIG_VERSION} <<>> ${v.commandLine}\n`;
  if (/(^|\s)@/.test(v.commandLine)) h += '; (1 server found)\n';
  return h + ';; global options: +cmd\n';
}

/** A resource record as it goes on the wire: owner, type and the presentation form of its data. */
export interface WireRr {
  name: string;
  type: string;
  data: string;
}

/** The parts of a DNS message its size depends on. */
export interface WireMessage {
  qname: string;
  answers: readonly WireRr[];
  authority: readonly WireRr[];
  additional: readonly WireRr[];
  /** an OPT pseudo-record is appended (11 bytes: root name, type, class, TTL, empty rdata) */
  edns: boolean;
}

/** Labels of a fully qualified name, root excluded. */
function labelsOf(name: string): string[] {
  return name.replace(/\.$/, '').split('.').filter((l) => l.length > 0);
}

/**
 * Bytes a domain name takes with RFC 1035 4.1.4 compression: the longest suffix already written
 * becomes a 2-byte pointer; every label before it costs its length plus one; an uncompressed
 * name ends with the root's zero byte.
 */
function nameBytes(name: string, written: Set<string>): number {
  const labels = labelsOf(name.toLowerCase());
  let size = 0;
  for (let i = 0; i < labels.length; i++) {
    const suffix = labels.slice(i).join('.');
    if (written.has(suffix)) return size + 2;
    written.add(suffix);
    size += 1 + labels[i]!.length;
  }
  return size + 1;
}

/** The character-strings of TXT data: each quoted string costs its length plus one. */
function txtBytes(data: string): number {
  const strings = data.match(/"((?:[^"\\]|\\.)*)"/g) ?? [data];
  return strings.reduce((a, q) => a + 1 + q.replace(/^"|"$/g, '').replace(/\\(.)/g, '$1').length, 0);
}

/** RDATA length; the names inside NS, CNAME, PTR, MX and SOA are compressed (RFC 1035 4.1.4). */
function rdataBytes(r: WireRr, written: Set<string>): number {
  const f = r.data.split(/\s+/);
  switch (r.type) {
    case 'A': return 4;
    case 'AAAA': return 16;
    case 'NS': case 'CNAME': case 'PTR': return nameBytes(r.data, written);
    case 'MX': return 2 + nameBytes(f[1] ?? '.', written);
    case 'SOA': return nameBytes(f[0] ?? '.', written) + nameBytes(f[1] ?? '.', written) + 20;
    case 'TXT': case 'SPF': return txtBytes(r.data);
    default: return r.data.length;
  }
}

/** The size in bytes of a reply on the wire: 12-byte header, the question, every record, the OPT. */
export function dnsMessageSize(m: WireMessage): number {
  const written = new Set<string>();
  let size = 12 + nameBytes(m.qname, written) + 4;
  for (const r of [...m.answers, ...m.authority, ...m.additional]) size += nameBytes(r.name, written) + 10 + rdataBytes(r, written);
  return size + (m.edns ? 11 : 0);
}

/** What dig prints of a zone transfer. */
export type DigXfr =
  | { kind: 'refused-connection'; server: string; port: number; zone: string }
  | { kind: 'timeout' }
  | { kind: 'failed' }
  | {
      kind: 'ok';
      records: ReadonlyArray<{ name: string; ttl: number; type: string; data: string }>;
      queryTimeMs: number;
      server: string;
      port: number;
      when: number;
      messages: number;
      bytes: number;
    };

/**
 * `dig ZONE axfr`: TCP, and with +nocomments and +noquestion forced (dig.c), so the records come
 * bare between the two SOAs and the statistics end with the XFR size line instead of MSG SIZE.
 */
export function formatDigXfr(commandLine: string, x: DigXfr): ToolExit {
  const head = commandHeader({ commandLine } as DigView);
  switch (x.kind) {
    case 'refused-connection':
      return { stdout: `${head};; Connection to ${x.server}#${x.port}(${x.server}) for ${x.zone} failed: connection refused.\n`, stderr: '', code: 9 };
    case 'timeout':
      return { stdout: `${head};; connection timed out; no servers could be reached\n`, stderr: '', code: 9 };
    case 'failed':
      // an answer with no records (REFUSED, NOTAUTH): check_for_more_data() gives up on it
      return { stdout: `${head}; Transfer failed.\n`, stderr: '', code: 0 };
    case 'ok': {
      let out = head + x.records.map((r) => `${digRecordLine(r)}\n`).join('');
      out += `;; Query time: ${x.queryTimeMs} msec\n`;
      out += `;; SERVER: ${x.server}#${x.port}(${x.server})\n`;
      out += `;; WHEN: ${strftime('%a %b %d %H:%M:%S %Z %Y', x.when)}\n`;
      out += `;; XFR size: ${x.records.length} records (messages ${x.messages}, bytes ${x.bytes})\n\n`;
      return { stdout: out, stderr: '', code: 0 };
    }
  }
}

/** stdout of one lookup, and dig's exit status (9 when no server answered). */
export function formatDig(v: DigView, extras: DigReplyExtras = {}): ToolExit {
  if (v.outcome === 'timeout' || v.outcome === 'refused') {
    // dig 9.9 sends on an unconnected UDP socket, so an ICMP port unreachable never reaches it
    // and a dead server looks exactly like a silent one: it waits out every try
    const head = v.short ? '' : commandHeader(v);
    return { stdout: `${head};; connection timed out; no servers could be reached\n`, stderr: '', code: 9 };
  }
  if (v.short) {
    return { stdout: v.answers.map((a) => `${a.data}\n`).join(''), stderr: '', code: 0 };
  }
  const status = extras.rcode ?? v.rcode ?? (v.outcome === 'nxdomain' ? 'NXDOMAIN' : 'NOERROR');
  const rd = extras.rd ?? true;
  const ra = extras.ra ?? v.ra ?? false;
  const edns = extras.ednsUdp !== undefined ? extras.ednsUdp : v.ednsUdp !== undefined ? v.ednsUdp : 4096;
  const flags = ['qr', v.aa ? 'aa' : '', rd ? 'rd' : '', ra ? 'ra' : ''].filter(Boolean).join(' ');
  let out = commandHeader(v);
  out += ';; Got answer:\n';
  out += `;; ->>HEADER<<- opcode: QUERY, status: ${status}, id: ${v.id}\n`;
  out +=
    `;; flags: ${flags}; QUERY: 1, ANSWER: ${v.answers.length}, ` +
    `AUTHORITY: ${v.authority.length}, ADDITIONAL: ${v.additional.length + (edns !== null ? 1 : 0)}\n`;
  if (rd && !ra) out += ';; WARNING: recursion requested but not available\n';
  if (edns !== null) out += `\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: ${edns}\n`;
  out += `;; QUESTION SECTION:\n${digQuestionLine(v.qname.endsWith('.') ? v.qname : `${v.qname}.`, v.qtype)}\n\n`;
  const section = (title: string, rrs: DigView['answers']) =>
    rrs.length ? `;; ${title} SECTION:\n${rrs.map((r) => `${digRecordLine(r)}\n`).join('')}\n` : '';
  out += section('ANSWER', v.answers);
  out += section('AUTHORITY', v.authority);
  out += section('ADDITIONAL', v.additional);
  out += `;; Query time: ${v.queryTimeMs} msec\n`;
  out += `;; SERVER: ${v.server}#${v.port}(${v.server})\n`;
  out += `;; WHEN: ${strftime('%a %b %d %H:%M:%S %Z %Y', v.when)}\n`;
  out += `;; MSG SIZE  rcvd: ${v.msgSize}\n\n`;
  return { stdout: out, stderr: '', code: 0 };
}
