/**
 * One TCP/IPv4 segment as it crossed an interface: what tcpdump prints and what a pcap file holds.
 * The kernel's TCP stack records these; the tcpdump and pcap formatters read them. Plain data, so
 * it lives in the JSON game state.
 */
export const TH_FIN = 0x01;
export const TH_SYN = 0x02;
export const TH_RST = 0x04;
export const TH_PUSH = 0x08;
export const TH_ACK = 0x10;

/** TCP options in the order they sit in the header (Linux's tcp_options_write order) */
export type TcpOption =
  | { kind: 'nop' }
  | { kind: 'mss'; value: number }
  | { kind: 'sackOK' }
  | { kind: 'TS'; val: number; ecr: number }
  | { kind: 'wscale'; value: number };

export interface TcpPacketRecord {
  /** capture order, counting from 1 since the stack booted (a reader tails the log with it) */
  n: number;
  /** capture time, integer microseconds since the Unix epoch */
  us: number;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  /** TH_* bits */
  flags: number;
  /** absolute 32-bit sequence and acknowledgement numbers */
  seq: number;
  ack: number;
  /** the raw 16-bit window field (scaled by the receiver's wscale after the handshake) */
  win: number;
  options: TcpOption[];
  /** the IP header's identification field */
  ipId: number;
  /** payload as a byte string: one char per byte, codes 0-255 */
  data: string;
}

/** bytes the options take in the TCP header (always a multiple of 4 for what Linux sends) */
export function optionsLength(opts: readonly TcpOption[]): number {
  let n = 0;
  for (const o of opts) n += o.kind === 'nop' ? 1 : o.kind === 'mss' ? 4 : o.kind === 'sackOK' ? 2 : o.kind === 'TS' ? 10 : 3;
  return n;
}
