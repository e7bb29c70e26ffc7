/**
 * tcpdump 4.5.1's one-line summary of a TCP/IPv4 segment (print-tcp.c, print-ip.c, util.c
 * ts_print) as `tcpdump -n` prints it. Like tcpdump, relative sequence numbers need a session:
 * the first ACK-bearing segment of a conversation it sees (or its SYN-ACK) becomes the base.
 */
import { TH_ACK, TH_FIN, TH_PUSH, TH_RST, TH_SYN, type TcpOption, type TcpPacketRecord } from './packet';

/** -t (1), default (0), -tt (2), -ttt (3), -tttt (4), -ttttt (5) */
export type TcpdumpTimeFlag = 0 | 1 | 2 | 3 | 4 | 5;

export interface TcpdumpOptions {
  tflag?: TcpdumpTimeFlag;
  /** -S: absolute sequence numbers */
  absolute?: boolean;
  /** the machine's offset from UTC in seconds (thiszone) */
  tzOffsetSec?: number;
}

/** what a running tcpdump remembers between lines: conversations' base numbers and the last stamp */
export interface TcpdumpSession {
  convs: Record<string, { seq: number; ack: number }>;
  baseUs: number | null;
}

export const newTcpdumpSession = (): TcpdumpSession => ({ convs: {}, baseUs: null });

const FLAG_TOKENS: Array<[number, string]> = [
  [TH_FIN, 'F'],
  [TH_SYN, 'S'],
  [TH_RST, 'R'],
  [TH_PUSH, 'P'],
  [TH_ACK, '.'],
  [0x20, 'U'],
  [0x40, 'E'],
  [0x80, 'W'],
];

export function tcpFlagString(flags: number): string {
  const s = FLAG_TOKENS.filter(([b]) => flags & b)
    .map(([, t]) => t)
    .join('');
  return s || 'none';
}

function optionText(o: TcpOption): string {
  switch (o.kind) {
    case 'nop':
      return 'nop';
    case 'mss':
      return `mss ${o.value}`;
    case 'sackOK':
      return 'sackOK';
    case 'TS':
      return `TS val ${o.val} ecr ${o.ecr}`;
    case 'wscale':
      return `wscale ${o.value}`;
  }
}

const two = (n: number): string => String(n).padStart(2, '0');
const clock = (sec: number, usec: number): string => `${two(Math.floor(sec / 3600))}:${two(Math.floor((sec % 3600) / 60))}:${two(sec % 60)}.${String(usec).padStart(6, '0')}`;

function stamp(us: number, ses: TcpdumpSession, o: TcpdumpOptions): string {
  const sec = Math.floor(us / 1e6);
  const usec = us - sec * 1e6;
  const tz = o.tzOffsetSec ?? 0;
  switch (o.tflag ?? 0) {
    case 1:
      return '';
    case 2:
      return `${sec}.${String(usec).padStart(6, '0')} `;
    case 3:
    case 5: {
      if (ses.baseUs === null) ses.baseUs = us;
      const d = us - ses.baseUs;
      if (o.tflag === 3) ses.baseUs = us;
      return `${clock(Math.floor(d / 1e6), d % 1e6)} `;
    }
    case 4: {
      const s = (((sec + tz) % 86400) + 86400) % 86400;
      const d = new Date((sec + tz - s) * 1000);
      return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${clock(s, usec)} `;
    }
    default:
      return `${clock((((sec + tz) % 86400) + 86400) % 86400, usec)} `;
  }
}

function cmpAddr(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

/** one line of `tcpdump -n` for the segment, without the newline */
export function formatTcpdumpLine(p: TcpPacketRecord, ses: TcpdumpSession, o: TcpdumpOptions = {}): string {
  let seq = p.seq >>> 0;
  let ack = p.ack >>> 0;
  let line = `${stamp(p.us, ses, o)}IP ${p.src}.${p.sport} > ${p.dst}.${p.dport}: Flags [${tcpFlagString(p.flags)}]`;
  if (!o.absolute && p.flags & TH_ACK) {
    const rev = p.sport > p.dport || (p.sport === p.dport && cmpAddr(p.src, p.dst) > 0);
    const key = rev ? `${p.dst}:${p.dport}>${p.src}:${p.sport}` : `${p.src}:${p.sport}>${p.dst}:${p.dport}`;
    const th = ses.convs[key];
    if (!th || p.flags & TH_SYN) {
      ses.convs[key] = rev ? { ack: seq, seq: (ack - 1) >>> 0 } : { seq, ack: (ack - 1) >>> 0 };
    } else if (rev) {
      seq = (seq - th.ack) >>> 0;
      ack = (ack - th.seq) >>> 0;
    } else {
      seq = (seq - th.seq) >>> 0;
      ack = (ack - th.ack) >>> 0;
    }
  }
  const length = p.data.length;
  if (length > 0 || p.flags & (TH_SYN | TH_FIN | TH_RST)) {
    line += `, seq ${seq}`;
    if (length > 0) line += `:${(seq + length) >>> 0}`;
  }
  if (p.flags & TH_ACK) line += `, ack ${ack}`;
  line += `, win ${p.win}`;
  if (p.options.length) line += `, options [${p.options.map(optionText).join(',')}]`;
  return `${line}, length ${length}`;
}

/** several segments, one line each, through one session */
export function formatTcpdump(pkts: readonly TcpPacketRecord[], ses: TcpdumpSession, o: TcpdumpOptions = {}): string {
  return pkts.map((p) => `${formatTcpdumpLine(p, ses, o)}\n`).join('');
}

const plural = (n: number): string => (n !== 1 ? 's' : '');

/** what a live capture prints to stderr as it starts (tcpdump.c main); verboseOrWriting: -v or -w was given */
export function tcpdumpListening(device: string, o: { verboseOrWriting?: boolean; snaplen?: number } = {}): string {
  const head = o.verboseOrWriting ? 'tcpdump: ' : 'tcpdump: verbose output suppressed, use -v or -vv for full protocol decode\n';
  return `${head}listening on ${device}, link-type EN10MB (Ethernet), capture size ${o.snaplen ?? 65535} bytes\n`;
}

/** the first line of `tcpdump -r FILE` (to stderr) */
export function tcpdumpReading(file: string): string {
  return `reading from file ${file}, link-type EN10MB (Ethernet)\n`;
}

/** the statistics a live capture prints to stderr when it ends (info(1)) */
export function tcpdumpStats(captured: number, received: number, dropped: number): string {
  return `${captured} packet${plural(captured)} captured\n${received} packet${plural(received)} received by filter\n${dropped} packet${plural(dropped)} dropped by kernel\n`;
}
