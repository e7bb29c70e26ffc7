import { formatTcpdumpLine, newTcpdumpSession, type TcpdumpTimeFlag } from '../../formats/tcpdump';
import { pcapFile, LINKTYPE_EN10MB } from '../../formats/pcap';
import { TH_ACK, TH_FIN, TH_PUSH, TH_RST, TH_SYN, type TcpOption, type TcpPacketRecord } from '../../formats/packet';
import { nextEventAt, packetsSince } from '../../kernel/tcp';
import { defineCommand } from '../../shell/commands/define';
import { getopt, type OptDef } from '../../shell/getopt';
import { Out } from '../../shell/io';
import type { CommandContext, CommandResult, CommandSpec } from '../../shell/types';
import { errnoMessage } from '../../vfs/errno';
import { normalizePath } from '../../vfs/path';
import { stackOf, stepOnLo, tcpAt } from '../tcp';
import type { MachineContext } from './context';

/**
 * tcpdump 4.5.1 (libpcap 1.5.3) on the loopback interface: the segments the kernel's simulated
 * TCP stack puts on lo, printed as they cross (-n lines, -tt/-ttt/-S), written to a pcap file
 * (-w) or read back from one (-r). A live capture lets the machine run: it stops after -c
 * packets, at Ctrl-C, or after CAPTURE_MS of the machine's time as if Ctrl-C had been pressed.
 */

/** how long a capture without -c listens before it stops by itself */
export const CAPTURE_MS = 10_000;
/** the longest a capture with -c waits for its packets */
export const COUNT_WAIT_MS = 600_000;
/** a capture with nothing due on lo looks again this often (a scenario's timer may send) */
const IDLE_STEP_MS = 250;

const VERSION = 'tcpdump version 4.5.1\nlibpcap version 1.5.3\n';
export const TCPDUMP_USAGE =
  VERSION +
  'Usage: tcpdump [-aAbdDefhHIJKlLnNOpqRStuUvxX] [ -B size ] [ -c count ]\n' +
  '\t\t[ -C file_size ] [ -E algo:secret ] [ -F file ] [ -G seconds ]\n' +
  '\t\t[ -i interface ] [ -j tstamptype ] [ -M secret ]\n' +
  '\t\t[ -P in|out|inout ]\n' +
  '\t\t[ -r file ] [ -s snaplen ] [ -T type ] [ -V file ] [ -w file ]\n' +
  '\t\t[ -W filecount ] [ -y datalinktype ] [ -z command ]\n' +
  '\t\t[ -Z user ] [ expression ]\n';

/** 4.5.1's getopt string "aAbB:c:C:dDeE:fF:G:hHi:Ij:JKlLm:M:nNOpP:qr:Rs:StT:uUvV:w:W:xXy:Yz:Z:" */
const OPTS: OptDef[] = [
  ...'aAbdDefhHIJKlLnNOpqRStuUvxXY'.split('').map((c) => ({ short: c, key: c })),
  ...'BcCEFGijmMPrsTVwWyzZ'.split('').map((c) => ({ short: c, key: c, arg: 'required' as const })),
];

interface Opts {
  iface: string;
  count: number;
  numeric: number;
  tflag: TcpdumpTimeFlag;
  absolute: boolean;
  write?: string;
  read?: string;
  filter: Filter;
}

// ---- the filter expression: the primitives a TCP-on-lo capture needs ----

type Filter = (p: TcpPacketRecord) => boolean;
const ALL: Filter = () => true;

class FilterError extends Error {}

function parseFilter(words: readonly string[]): Filter {
  const toks = words.join(' ').replace(/([()!])/g, ' $1 ').split(/\s+/).filter(Boolean);
  let i = 0;
  const peek = (): string | undefined => toks[i];
  const take = (): string | undefined => toks[i++];
  const num = (s: string | undefined): number => {
    if (s === undefined || !/^\d+$/.test(s) || Number(s) > 65535) throw new FilterError(s !== undefined && /^\d+$/.test(s) ? `illegal port number ${s} > 65535` : 'syntax error');
    return Number(s);
  };
  const addr = (s: string | undefined): string => {
    if (s === undefined) throw new FilterError('syntax error');
    if (s === 'localhost') return '127.0.0.1';
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(s) || s.split('.').some((o) => Number(o) > 255)) throw new FilterError(`unknown host '${s}'`);
    return s;
  };
  const primary = (): Filter => {
    const t = take();
    if (t === undefined) throw new FilterError('syntax error');
    if (t === '(') {
      const f = orExpr();
      if (take() !== ')') throw new FilterError('syntax error');
      return f;
    }
    if (t === 'not' || t === '!') {
      const f = primary();
      return (p) => !f(p);
    }
    if (t === 'tcp' || t === 'ip') return ALL;
    if (t === 'udp' || t === 'icmp' || t === 'arp' || t === 'ip6') return () => false;
    let dir: 'src' | 'dst' | 'any' = 'any';
    let kw = t;
    if (t === 'src' || t === 'dst') {
      dir = t;
      kw = take() ?? '';
      if (/^\d/.test(kw) || kw === 'localhost') {
        const a = addr(kw);
        return dir === 'src' ? (p) => p.src === a : (p) => p.dst === a;
      }
    }
    if (kw === 'tcp' && peek() === 'port') kw = take()!;
    if (kw === 'port') {
      const n = num(take());
      return dir === 'src' ? (p) => p.sport === n : dir === 'dst' ? (p) => p.dport === n : (p) => p.sport === n || p.dport === n;
    }
    if (kw === 'host') {
      const a = addr(take());
      return dir === 'src' ? (p) => p.src === a : dir === 'dst' ? (p) => p.dst === a : (p) => p.src === a || p.dst === a;
    }
    if (/^\d/.test(kw) && dir === 'any') {
      const a = addr(kw);
      return (p) => p.src === a || p.dst === a;
    }
    if (['net', 'portrange', 'less', 'greater', 'ether', 'vlan', 'proto', 'broadcast', 'multicast', 'gateway'].includes(kw)) {
      throw new FilterError(`the filter primitive '${kw}' is not simulated here (tcp, port, host, src, dst, and, or, not are)`);
    }
    throw new FilterError('syntax error');
  };
  const andExpr = (): Filter => {
    let f = primary();
    while (peek() === 'and' || peek() === '&&') {
      take();
      const a = f;
      const b = primary();
      f = (p) => a(p) && b(p);
    }
    return f;
  };
  const orExpr = (): Filter => {
    let f = andExpr();
    while (peek() === 'or' || peek() === '||') {
      take();
      const a = f;
      const b = andExpr();
      f = (p) => a(p) || b(p);
    }
    return f;
  };
  if (toks.length === 0) return ALL;
  const f = orExpr();
  if (i < toks.length) throw new FilterError('syntax error');
  return f;
}

type Parsed = { ok: true; o: Opts } | { ok: false; out: CommandResult };
const fail = (stderr: string, code = 1): Parsed => ({ ok: false, out: { stdout: '', stderr, code } });

function parseArgs(argv: readonly string[]): Parsed {
  const p = getopt('tcpdump', argv, OPTS);
  const o: Opts = { iface: 'eth0', count: 0, numeric: 0, tflag: 0, absolute: false, filter: ALL };
  let t = 0;
  for (const { key, value } of p.opts) {
    switch (key) {
      case 'i':
        o.iface = value!;
        break;
      case 'c': {
        // atoi: leading digits, anything else 0
        const n = Number(/^\s*[+-]?\d+/.exec(value!)?.[0] ?? '0');
        if (!(n > 0) || n > 2_147_483_647) return fail(`tcpdump: invalid packet count ${value}\n`);
        o.count = n;
        break;
      }
      case 'n':
        o.numeric++;
        break;
      case 't':
        t++;
        break;
      case 'S':
        o.absolute = true;
        break;
      case 'w':
        o.write = value!;
        break;
      case 'r':
        o.read = value!;
        break;
      case 's':
        if (!/^(0|65535)$/.test(value!)) return fail(`tcpdump: a snapshot length other than the whole packet (-s 0) is not simulated here\n`);
        break;
      case 'l':
      case 'N':
      case 'p':
      case 'U':
        break;
      case 'h':
        return fail(TCPDUMP_USAGE);
      case 'v':
      case 'e':
      case 'x':
      case 'X':
      case 'A':
      case 'q':
        return fail(`tcpdump: -${key} is not simulated here: this tcpdump prints one summary line per TCP segment (-n, -nn, -tt, -ttt, -S, -c, -w, -r)\n`);
      default:
        return fail(`tcpdump: -${key} is not simulated here (-i, -n, -c, -t, -S, -w, -r and a filter expression are)\n`);
    }
  }
  if (p.error !== undefined) return fail(`${p.error}\n${TCPDUMP_USAGE}`);
  o.tflag = Math.min(t, 5) as TcpdumpTimeFlag;
  try {
    o.filter = parseFilter(p.operands);
  } catch (e) {
    if (e instanceof FilterError) return fail(`tcpdump: ${e.message}\n`);
    throw e;
  }
  return { ok: true, o };
}

// ---- names, as tcpdump prints addresses and ports without -n ----

const PORT_NAMES: Record<number, string> = { 22: 'ssh', 25: 'smtp', 53: 'domain', 80: 'http', 443: 'https' };

/** without -n, tcpdump names 127.0.0.1 from /etc/hosts and well-known ports from /etc/services */
function named(line: string, p: TcpPacketRecord, hosts: Record<string, string>): string {
  const ep = (a: string, port: number): string => `${hosts[a] ?? a}.${PORT_NAMES[port] ?? port}`;
  return line.replace(`IP ${p.src}.${p.sport} > ${p.dst}.${p.dport}:`, `IP ${ep(p.src, p.sport)} > ${ep(p.dst, p.dport)}:`);
}

// ---- reading a savefile back ----

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}

function bytesOf(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

function parseOptions(b: Uint8Array, at: number, end: number): TcpOption[] {
  const out: TcpOption[] = [];
  const dv = new DataView(b.buffer, b.byteOffset);
  while (at < end) {
    const kind = b[at]!;
    if (kind === 0) break;
    if (kind === 1) {
      out.push({ kind: 'nop' });
      at++;
      continue;
    }
    const len = b[at + 1] ?? 0;
    if (len < 2 || at + len > end) break;
    if (kind === 2) out.push({ kind: 'mss', value: dv.getUint16(at + 2) });
    else if (kind === 3) out.push({ kind: 'wscale', value: b[at + 2]! });
    else if (kind === 4) out.push({ kind: 'sackOK' });
    else if (kind === 8) out.push({ kind: 'TS', val: dv.getUint32(at + 2), ecr: dv.getUint32(at + 6) });
    at += len;
  }
  return out;
}

/**
 * The TCP/IPv4 segments of a libpcap savefile with Ethernet framing, with libpcap 1.5.3's words
 * for a file it cannot open (`error`) or one that ends inside a record (`loopError`, after the
 * packets before it).
 */
export function readPcap(content: string): { ok: true; pkts: TcpPacketRecord[]; loopError?: string } | { ok: false; error: string } {
  const b = bytesOf(content);
  // libpcap reads the magic number first, then the rest of the header of the format it names
  if (b.length < 4) return { ok: false, error: `truncated dump file; tried to read 4 file header bytes, only got ${b.length}` };
  const dv = new DataView(b.buffer);
  const magic = dv.getUint32(0, true);
  const le = magic === 0xa1b2c3d4;
  if (!le && dv.getUint32(0, false) !== 0xa1b2c3d4) return { ok: false, error: 'unknown file format' };
  if (b.length < 24) return { ok: false, error: `truncated dump file; tried to read 24 file header bytes, only got ${b.length - 4}` };
  if (dv.getUint32(20, le) !== LINKTYPE_EN10MB) return { ok: false, error: 'only Ethernet (EN10MB) savefiles are simulated here' };
  const pkts: TcpPacketRecord[] = [];
  let at = 24;
  let n = 0;
  while (at < b.length) {
    if (at + 16 > b.length) return { ok: true, pkts, loopError: `truncated dump file; tried to read 16 header bytes, only got ${b.length - at}` };
    const sec = dv.getUint32(at, le);
    const usec = dv.getUint32(at + 4, le);
    const cap = dv.getUint32(at + 8, le);
    if (at + 16 + cap > b.length) return { ok: true, pkts, loopError: `truncated dump file; tried to read ${cap} captured bytes, only got ${b.length - at - 16}` };
    const f = at + 16;
    at += 16 + cap;
    n++;
    const ip = f + 14;
    if (cap < 54 || dv.getUint16(f + 12) !== 0x0800 || b[ip + 9] !== 6) continue;
    const ihl = (b[ip]! & 0x0f) * 4;
    const ipLen = dv.getUint16(ip + 2);
    const t = ip + ihl;
    const off = (b[t + 12]! >> 4) * 4;
    const end = Math.min(f + cap, ip + ipLen);
    pkts.push({
      n,
      us: sec * 1e6 + usec,
      src: [...b.subarray(ip + 12, ip + 16)].join('.'),
      dst: [...b.subarray(ip + 16, ip + 20)].join('.'),
      sport: dv.getUint16(t),
      dport: dv.getUint16(t + 2),
      seq: dv.getUint32(t + 4),
      ack: dv.getUint32(t + 8),
      flags: b[t + 13]! & (TH_FIN | TH_SYN | TH_RST | TH_PUSH | TH_ACK | 0xe0),
      win: dv.getUint16(t + 14),
      options: parseOptions(b, t + 20, t + off),
      ipId: dv.getUint16(ip + 4),
      data: latin1(b.subarray(t + off, end)),
    });
  }
  return { ok: true, pkts };
}

const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

export function tcpdumpSpells(c: MachineContext): CommandSpec[] {
  return [
    defineCommand({
      name: 'tcpdump',
      path: '/usr/sbin/tcpdump',
      summary: 'watch the packets crossing a network interface',
      category: 'network',
      synopsis: ['sudo tcpdump -i lo -n [-c COUNT] [-tt|-ttt] [-S] [EXPRESSION]', 'sudo tcpdump -i lo -w FILE [-c COUNT] [EXPRESSION]', 'tcpdump -r FILE -n [-ttt]'],
      description: [
        'Captures the packets that cross an interface and prints one line for each: when it crossed, from which address and port to which, the TCP flags ([S] SYN, [S.] SYN-ACK, [.] a bare ACK, [P.] data pushed, [F.] FIN, [R] reset), the sequence numbers of the data it carries (relative to the start of the connection unless -S), what it acknowledges, the window it offers, its TCP options and its length.',
        'Capturing needs root. On this machine only the loopback interface (-i lo) carries simulated traffic. A capture lets the machine\'s time run until it has COUNT packets (-c), until Ctrl-C, or, without -c, for 10 seconds of the machine\'s time, and then says how many packets it captured.',
        'The expression chooses packets: tcp, port N, host ADDR, src port N, dst port N, src ADDR, dst ADDR, joined with and, or, not and parentheses. -w FILE writes the packets to a pcap file instead of printing them (download it and open it in Wireshark); -r FILE reads such a file back.',
      ],
      options: [
        ['-i IFACE', 'the interface to capture on: lo'],
        ['-n, -nn', 'print addresses and ports as numbers'],
        ['-c COUNT', 'stop after COUNT packets'],
        ['-tt, -ttt', 'seconds since the epoch; time since the previous packet'],
        ['-S', 'absolute sequence numbers'],
        ['-w FILE, -r FILE', 'write a pcap file; read one'],
      ],
      examples: [
        ['sudo tcpdump -i lo -n -c 20 port 4151', 'twenty packets to or from port 4151'],
        ['sudo tcpdump -i lo -n -ttt port 4151', 'the gaps between packets'],
        ['sudo tcpdump -i lo -w /tmp/lo.pcap -c 100', 'a capture to take home (download /tmp/lo.pcap)'],
      ],
      notes: ['Only TCP over lo is simulated: other interfaces, UDP, -v decoding, hex dumps (-x, -X, -A) and snapshot lengths are not.'],
      run: (ctx) => run(c, ctx),
    }),
  ];
}

function run(c: MachineContext, ctx: CommandContext): CommandResult {
  const p = parseArgs(ctx.argv.slice(1));
  if (!p.ok) return p.out;
  const o = p.o;
  const out = new Out();
  const fmt = { tflag: o.tflag, absolute: o.absolute };
  const hosts: Record<string, string> = { '127.0.0.1': 'localhost' };

  if (o.read !== undefined) {
    const path = normalizePath(o.read, ctx.cwd);
    const r = ctx.env.fs.read(path, ctx.user);
    if (!r.ok) return out.err(`tcpdump: ${o.read}: ${errnoMessage(r.errno)}\n`).done(1);
    const pk = readPcap(r.value);
    if (!pk.ok) return out.err(`tcpdump: ${pk.error}\n`).done(1);
    out.err(`reading from file ${o.read}, link-type EN10MB (Ethernet)\n`);
    const ses = newTcpdumpSession();
    let shown = 0;
    for (const pkt of pk.pkts) {
      if (!o.filter(pkt)) continue;
      const line = formatTcpdumpLine(pkt, ses, fmt);
      out.out(`${o.numeric ? line : named(line, pkt, hosts)}\n`);
      if (o.count && ++shown >= o.count) break;
    }
    if (pk.loopError && !(o.count && shown >= o.count)) return out.err(`tcpdump: pcap_loop: ${pk.loopError}\n`).done(1);
    return out.done(0);
  }

  if (ctx.user !== 'root') return out.err(`tcpdump: ${o.iface}: You don't have permission to capture on that device\n(socket: Operation not permitted)\n`).done(1);
  if (o.iface !== 'lo') {
    return out.err(`tcpdump: only the loopback interface's traffic is simulated on this machine: capture with -i lo (${o.iface} would show nothing)\n`).done(1);
  }
  const w = c.world();
  const tcp = tcpAt(w, c.streams);
  if (!tcp || !stackOf(w)) return out.err(`tcpdump: this machine's loopback traffic is not simulated: there is nothing to capture on lo\n`).done(1);

  let writePath = '';
  if (o.write !== undefined) {
    writePath = normalizePath(o.write, ctx.cwd);
    const wr = ctx.env.fs.write(writePath, '', ctx.user);
    if (!wr.ok) return out.err(`tcpdump: ${o.write}: ${errnoMessage(wr.errno)}\n`).done(1);
    out.err('tcpdump: listening on lo, link-type EN10MB (Ethernet), capture size 65535 bytes\n');
  } else {
    out.err('tcpdump: verbose output suppressed, use -v or -vv for full protocol decode\nlistening on lo, link-type EN10MB (Ethernet), capture size 65535 bytes\n');
  }

  const ses = newTcpdumpSession();
  const kept: TcpPacketRecord[] = [];
  let seen = tcp.logCount;
  let received = 0;
  let dropped = 0;
  const from = w.now;
  const limit = o.count ? COUNT_WAIT_MS : CAPTURE_MS;
  let interrupted = false;
  const take = (): void => {
    const fresh = packetsSince(tcp, seen);
    // the stack's packet log is a ring: what left it before tcpdump read it is lost to the capture
    if (fresh.length && fresh[0]!.n > seen + 1) dropped += fresh[0]!.n - seen - 1;
    for (const pkt of fresh) {
      seen = pkt.n;
      if (!o.filter(pkt)) continue;
      // the kernel hands the packet socket both copies of a packet on lo, out and in, and counts
      // both (tp_packets); libpcap drops the outgoing one (linux_check_direction)
      received += 2;
      if (o.count && kept.length >= o.count) continue;
      kept.push(pkt);
      if (o.write === undefined) {
        const line = formatTcpdumpLine(pkt, ses, fmt);
        out.out(`${o.numeric ? line : named(line, pkt, hosts)}\n`);
      }
    }
  };
  for (;;) {
    take();
    if (o.count && kept.length >= o.count) break;
    if (w.now - from >= limit) {
      interrupted = true;
      break;
    }
    if (ctx.env.interrupted?.()) {
      interrupted = true;
      break;
    }
    const step = stepOnLo(w, c.streams, (ms) => c.advance(ms), from + limit, IDLE_STEP_MS);
    if (step === 'gone') break;
    if (step === 'stuck') {
      interrupted = true;
      break;
    }
  }
  if (o.write !== undefined) {
    const bytes = pcapFile(kept);
    const wr = ctx.env.fs.write(writePath, latin1(bytes), ctx.user);
    if (!wr.ok) out.err(`tcpdump: ${o.write}: ${errnoMessage(wr.errno)}\n`);
    else {
      // the file holds bytes (one char each): its size is their count, not their UTF-8 length
      const f = w.files.files[writePath];
      if (f) f.bytes = bytes.length;
    }
  } else if (interrupted) out.out('\n');
  out.err(`${plural(kept.length, 'packet')} captured\n${plural(received, 'packet')} received by filter\n${plural(dropped, 'packet')} dropped by kernel\n`);
  return out.done(0);
}
