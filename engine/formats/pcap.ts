/**
 * A libpcap savefile of TCP segments as Linux's tcpdump 4.5.1 writes one from lo: the classic
 * header (magic a1b2c3d4 in the writer's little-endian order, version 2.4, snaplen 65535) and
 * link type EN10MB, since libpcap maps ARPHRD_LOOPBACK to DLT_EN10MB with an all-zero Ethernet
 * header. The engine only builds the bytes; writing them somewhere is the caller's business.
 */
import { optionsLength, type TcpOption, type TcpPacketRecord } from './packet';

export const PCAP_SNAPLEN = 65535;
export const LINKTYPE_EN10MB = 1;

function sum16(bytes: Uint8Array, start: number, end: number, acc = 0): number {
  for (let i = start; i < end; i += 2) acc += (bytes[i]! << 8) | (i + 1 < end ? bytes[i + 1]! : 0);
  return acc;
}

function fold(acc: number): number {
  while (acc > 0xffff) acc = (acc & 0xffff) + Math.floor(acc / 0x10000);
  return ~acc & 0xffff;
}

function writeOptions(b: Uint8Array, at: number, opts: readonly TcpOption[]): void {
  const dv = new DataView(b.buffer, b.byteOffset);
  for (const o of opts) {
    if (o.kind === 'nop') b[at++] = 1;
    else if (o.kind === 'mss') {
      b[at] = 2;
      b[at + 1] = 4;
      dv.setUint16(at + 2, o.value);
      at += 4;
    } else if (o.kind === 'sackOK') {
      b[at] = 4;
      b[at + 1] = 2;
      at += 2;
    } else if (o.kind === 'TS') {
      b[at] = 8;
      b[at + 1] = 10;
      dv.setUint32(at + 2, o.val >>> 0);
      dv.setUint32(at + 6, o.ecr >>> 0);
      at += 10;
    } else {
      b[at] = 3;
      b[at + 1] = 3;
      b[at + 2] = o.value;
      at += 3;
    }
  }
}

const ipBytes = (a: string): number[] => a.split('.').map(Number);

/** the frame as it crossed lo: zeroed Ethernet header, IPv4 (DF, TTL 64), TCP, payload */
export function frameOf(p: TcpPacketRecord): Uint8Array {
  const optLen = optionsLength(p.options);
  const tcpLen = 20 + optLen;
  const ipLen = 20 + tcpLen + p.data.length;
  const f = new Uint8Array(14 + ipLen);
  const dv = new DataView(f.buffer);
  dv.setUint16(12, 0x0800);
  const ip = 14;
  f[ip] = 0x45;
  dv.setUint16(ip + 2, ipLen);
  dv.setUint16(ip + 4, p.ipId & 0xffff);
  dv.setUint16(ip + 6, 0x4000);
  f[ip + 8] = 64;
  f[ip + 9] = 6;
  f.set(ipBytes(p.src), ip + 12);
  f.set(ipBytes(p.dst), ip + 16);
  dv.setUint16(ip + 10, fold(sum16(f, ip, ip + 20)));
  const t = ip + 20;
  dv.setUint16(t, p.sport);
  dv.setUint16(t + 2, p.dport);
  dv.setUint32(t + 4, p.seq >>> 0);
  dv.setUint32(t + 8, p.ack >>> 0);
  f[t + 12] = (tcpLen / 4) << 4;
  f[t + 13] = p.flags & 0xff;
  dv.setUint16(t + 14, p.win & 0xffff);
  writeOptions(f, t + 20, p.options);
  for (let i = 0; i < p.data.length; i++) f[t + tcpLen + i] = p.data.charCodeAt(i) & 0xff;
  // the pseudo-header, then the segment
  const pseudo = sum16(f, ip + 12, ip + 20) + 6 + tcpLen + p.data.length;
  dv.setUint16(t + 16, fold(sum16(f, t, f.length, pseudo)));
  return f;
}

/** the whole savefile: global header, then a record per segment with its µs timestamp */
export function pcapFile(pkts: readonly TcpPacketRecord[]): Uint8Array {
  const frames = pkts.map(frameOf);
  const size = 24 + frames.reduce((n, f) => n + 16 + Math.min(f.length, PCAP_SNAPLEN), 0);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 0xa1b2c3d4, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setInt32(8, 0, true);
  dv.setUint32(12, 0, true);
  dv.setUint32(16, PCAP_SNAPLEN, true);
  dv.setUint32(20, LINKTYPE_EN10MB, true);
  let at = 24;
  pkts.forEach((p, i) => {
    const f = frames[i]!;
    const cap = Math.min(f.length, PCAP_SNAPLEN);
    const sec = Math.floor(p.us / 1e6);
    dv.setUint32(at, sec, true);
    dv.setUint32(at + 4, p.us - sec * 1e6, true);
    dv.setUint32(at + 8, cap, true);
    dv.setUint32(at + 12, f.length, true);
    out.set(f.subarray(0, cap), at + 16);
    at += 16 + cap;
  });
  return out;
}
