import { frameOf, pcapFile } from '../../../engine/formats/pcap';
import { TH_ACK, TH_PUSH, TH_SYN } from '../../../engine/formats/packet';
import { makeWorld, runWorld, T0 } from '../kernel/tcp/harness';

interface Parsed {
  sec: number;
  usec: number;
  caplen: number;
  len: number;
  ethertype: number;
  ipLen: number;
  ipId: number;
  df: boolean;
  ttl: number;
  src: string;
  dst: string;
  ipSumOk: boolean;
  sport: number;
  dport: number;
  seq: number;
  ack: number;
  flags: number;
  win: number;
  tcpSumOk: boolean;
  optionBytes: number[];
  payload: string;
}

/** a minimal libpcap reader: classic header, little-endian, Ethernet, IPv4, TCP */
function readPcap(b: Uint8Array): { header: { magic: number; major: number; minor: number; snaplen: number; linktype: number }; packets: Parsed[] } {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const header = { magic: dv.getUint32(0, true), major: dv.getUint16(4, true), minor: dv.getUint16(6, true), snaplen: dv.getUint32(16, true), linktype: dv.getUint32(20, true) };
  const sum = (from: number, to: number, acc = 0): number => {
    for (let i = from; i < to; i += 2) acc += (b[i]! << 8) | (i + 1 < to ? b[i + 1]! : 0);
    while (acc > 0xffff) acc = (acc & 0xffff) + (acc >>> 16);
    return acc;
  };
  const packets: Parsed[] = [];
  for (let at = 24; at < b.length; ) {
    const caplen = dv.getUint32(at + 8, true);
    const f = at + 16;
    const ip = f + 14;
    const ihl = (b[ip]! & 15) * 4;
    const ipLen = dv.getUint16(ip + 2);
    const t = ip + ihl;
    const doff = (b[t + 12]! >> 4) * 4;
    const tcpLen = ipLen - ihl;
    const pseudo = sum(ip + 12, ip + 20) + 6 + tcpLen;
    packets.push({
      sec: dv.getUint32(at, true),
      usec: dv.getUint32(at + 4, true),
      caplen,
      len: dv.getUint32(at + 12, true),
      ethertype: dv.getUint16(f + 12),
      ipLen,
      ipId: dv.getUint16(ip + 4),
      df: (dv.getUint16(ip + 6) & 0x4000) !== 0,
      ttl: b[ip + 8]!,
      src: [...b.subarray(ip + 12, ip + 16)].join('.'),
      dst: [...b.subarray(ip + 16, ip + 20)].join('.'),
      ipSumOk: sum(ip, ip + ihl) === 0xffff,
      sport: dv.getUint16(t),
      dport: dv.getUint16(t + 2),
      seq: dv.getUint32(t + 4),
      ack: dv.getUint32(t + 8),
      flags: b[t + 13]!,
      win: dv.getUint16(t + 14),
      tcpSumOk: sum(t, t + tcpLen, pseudo) === 0xffff,
      optionBytes: [...b.subarray(t + 20, t + doff)],
      payload: String.fromCharCode(...b.subarray(t + doff, t + tcpLen)),
    });
    at = f + caplen;
  }
  return { header, packets };
}

describe('a pcap of the simulated lo (libpcap format as tcpdump 4.5.1 -w writes it on Linux)', () => {
  const w = makeWorld('two-writes', 4, [5]);
  runWorld(w, T0 + 1000);
  const file = pcapFile(w.tcp.log);
  const { header, packets } = readPcap(file);

  it('has the classic header: magic a1b2c3d4 written little-endian, v2.4, snaplen 65535, EN10MB', () => {
    expect([...file.subarray(0, 4)]).toEqual([0xd4, 0xc3, 0xb2, 0xa1]);
    expect(header).toEqual({ magic: 0xa1b2c3d4, major: 2, minor: 4, snaplen: 65535, linktype: 1 });
    expect(packets).toHaveLength(w.tcp.log.length);
  });

  it('carries each segment in a zeroed Ethernet header with valid IPv4 and TCP checksums', () => {
    for (const p of packets) {
      expect(p.ethertype).toBe(0x0800);
      expect([p.src, p.dst, p.ttl, p.df]).toEqual(['127.0.0.1', '127.0.0.1', 64, true]);
      expect(p.ipSumOk && p.tcpSumOk).toBe(true);
      expect(p.caplen).toBe(p.len);
      expect(p.len).toBe(14 + p.ipLen);
    }
    expect([...frameOf(w.tcp.log[0]!).subarray(0, 12)]).toEqual(new Array(12).fill(0));
  });

  it('has the SYN options as bytes: mss 65495, sackOK, TS, nop, wscale 7', () => {
    const syn = packets[0]!;
    expect(syn.flags).toBe(TH_SYN);
    const ts = w.tcp.log[0]!.options.find((o) => o.kind === 'TS')!;
    const val = ts.kind === 'TS' ? ts.val : 0;
    expect(syn.optionBytes).toEqual([2, 4, 0xff, 0xd7, 4, 2, 8, 10, (val >>> 24) & 255, (val >>> 16) & 255, (val >>> 8) & 255, val & 255, 0, 0, 0, 0, 1, 3, 3, 7]);
  });

  it('reads back the flags, sequence numbers, payloads and the 40 ms gaps of the stalled requests', () => {
    const clientPort = packets[0]!.sport;
    const iss = packets[0]!.seq;
    const requests = packets.filter((p) => p.dport === 4151 && p.payload.startsWith('POST'));
    expect(requests).toHaveLength(4);
    expect(requests.map((r) => (r.seq - iss - 1) >>> 0)).toEqual([0, 156, 312, 468]);
    for (const r of requests) expect(r.flags).toBe(TH_PUSH | TH_ACK);
    const stamp = (p: Parsed) => p.sec * 1e6 + p.usec;
    const gaps = requests.map((r) => {
      const i = packets.indexOf(r);
      const ack = packets.slice(i + 1).find((p) => p.sport === 4151 && p.dport === clientPort && p.ack === ((r.seq + r.payload.length) >>> 0))!;
      const body = packets.slice(i + 1).find((p) => p.sport === clientPort && p.payload.length === 20)!;
      expect(ack.flags).toBe(TH_ACK);
      expect(stamp(body) - stamp(ack)).toBeLessThan(10);
      return stamp(ack) - stamp(r);
    });
    expect(gaps[0]).toBeLessThan(100);
    for (const g of gaps.slice(1)) {
      expect(g).toBeGreaterThan(36_000);
      expect(g).toBeLessThanOrEqual(40_000);
    }
    expect(stamp(packets[0]!)).toBe(T0 * 1000);
  });
});
