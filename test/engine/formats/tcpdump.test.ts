import { newTcpdumpSession, formatTcpdump, formatTcpdumpLine, tcpFlagString, tcpdumpListening, tcpdumpReading, tcpdumpStats } from '../../../engine/formats/tcpdump';
import { TH_ACK, TH_FIN, TH_PUSH, TH_RST, TH_SYN, type TcpOption, type TcpPacketRecord } from '../../../engine/formats/packet';

const C = { src: '127.0.0.1', sport: 35240, dst: '127.0.0.1', dport: 4151 };
const S = { src: '127.0.0.1', sport: 4151, dst: '127.0.0.1', dport: 35240 };
const ts = (val: number, ecr: number): TcpOption[] => [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'TS', val, ecr }];
const syn = (val: number, ecr: number, ws: number): TcpOption[] => [{ kind: 'mss', value: 65495 }, { kind: 'sackOK' }, { kind: 'TS', val, ecr }, { kind: 'nop' }, { kind: 'wscale', value: ws }];
const data = (n: number): string => 'x'.repeat(n);

/** the first fourteen segments of the reference's real capture (ch2-finagling.md, 2.10), rebuilt as records */
function capture(): TcpPacketRecord[] {
  const A = 2387259731;
  const B = 3469470732;
  const rows: Array<[number, typeof C, number, number, number, number, TcpOption[], number]> = [
    [0, C, TH_SYN, A, 0, 65495, syn(1345831915, 0, 10), 0],
    [17, S, TH_SYN | TH_ACK, B, A + 1, 65483, syn(887079737, 1345831915, 10), 0],
    [15, C, TH_ACK, A + 1, B + 1, 64, ts(1345831915, 887079737), 0],
    [76, C, TH_PUSH | TH_ACK, A + 1, B + 1, 64, ts(1345831915, 887079737), 77],
    [4, S, TH_ACK, B + 1, A + 78, 64, ts(887079737, 1345831915), 0],
    [8, C, TH_PUSH | TH_ACK, A + 78, B + 1, 64, ts(1345831915, 887079737), 22],
    [2, S, TH_ACK, B + 1, A + 100, 64, ts(887079737, 1345831915), 0],
    [230, S, TH_PUSH | TH_ACK, B + 1, A + 100, 64, ts(887079737, 1345831915), 40],
    [47, C, TH_ACK, A + 100, B + 41, 64, ts(1345831915, 887079737), 0],
    [74, C, TH_PUSH | TH_ACK, A + 100, B + 41, 64, ts(1345831915, 887079737), 77],
    [41282, S, TH_ACK, B + 41, A + 177, 64, ts(887079779, 1345831915), 0],
    [15, C, TH_PUSH | TH_ACK, A + 177, B + 41, 64, ts(1345831957, 887079779), 22],
    [10, S, TH_ACK, B + 41, A + 199, 64, ts(887079779, 1345831957), 0],
    [51, S, TH_PUSH | TH_ACK, B + 41, A + 199, 64, ts(887079779, 1345831957), 40],
  ];
  let us = 1426302722_112233;
  return rows.map(([d, ends, flags, seq, ack, win, options, len], i) => {
    us += d;
    return { n: i + 1, us, ...ends, flags, seq: seq >>> 0, ack: ack >>> 0, win, options, ipId: 0, data: data(len) };
  });
}

describe('tcpdump 4.5.1 lines (print-tcp.c, util.c ts_print)', () => {
  it('-n -ttt reproduces the reference capture, relative numbers after the handshake', () => {
    // the capture was printed by a newer tcpdump, whose -ttt stamp has a leading space; 4.5.1's has none
    expect(formatTcpdump(capture(), newTcpdumpSession(), { tflag: 3 })).toBe(
      [
        '00:00:00.000000 IP 127.0.0.1.35240 > 127.0.0.1.4151: Flags [S], seq 2387259731, win 65495, options [mss 65495,sackOK,TS val 1345831915 ecr 0,nop,wscale 10], length 0',
        '00:00:00.000017 IP 127.0.0.1.4151 > 127.0.0.1.35240: Flags [S.], seq 3469470732, ack 2387259732, win 65483, options [mss 65495,sackOK,TS val 887079737 ecr 1345831915,nop,wscale 10], length 0',
        '00:00:00.000015 IP 127.0.0.1.35240 > 127.0.0.1.4151: Flags [.], ack 1, win 64, options [nop,nop,TS val 1345831915 ecr 887079737], length 0',
        '00:00:00.000076 IP 127.0.0.1.35240 > 127.0.0.1.4151: Flags [P.], seq 1:78, ack 1, win 64, options [nop,nop,TS val 1345831915 ecr 887079737], length 77',
        '00:00:00.000004 IP 127.0.0.1.4151 > 127.0.0.1.35240: Flags [.], ack 78, win 64, options [nop,nop,TS val 887079737 ecr 1345831915], length 0',
        '00:00:00.000008 IP 127.0.0.1.35240 > 127.0.0.1.4151: Flags [P.], seq 78:100, ack 1, win 64, options [nop,nop,TS val 1345831915 ecr 887079737], length 22',
        '00:00:00.000002 IP 127.0.0.1.4151 > 127.0.0.1.35240: Flags [.], ack 100, win 64, options [nop,nop,TS val 887079737 ecr 1345831915], length 0',
        '00:00:00.000230 IP 127.0.0.1.4151 > 127.0.0.1.35240: Flags [P.], seq 1:41, ack 100, win 64, options [nop,nop,TS val 887079737 ecr 1345831915], length 40',
        '00:00:00.000047 IP 127.0.0.1.35240 > 127.0.0.1.4151: Flags [.], ack 41, win 64, options [nop,nop,TS val 1345831915 ecr 887079737], length 0',
        '00:00:00.000074 IP 127.0.0.1.35240 > 127.0.0.1.4151: Flags [P.], seq 100:177, ack 41, win 64, options [nop,nop,TS val 1345831915 ecr 887079737], length 77',
        '00:00:00.041282 IP 127.0.0.1.4151 > 127.0.0.1.35240: Flags [.], ack 177, win 64, options [nop,nop,TS val 887079779 ecr 1345831915], length 0',
        '00:00:00.000015 IP 127.0.0.1.35240 > 127.0.0.1.4151: Flags [P.], seq 177:199, ack 41, win 64, options [nop,nop,TS val 1345831957 ecr 887079779], length 22',
        '00:00:00.000010 IP 127.0.0.1.4151 > 127.0.0.1.35240: Flags [.], ack 199, win 64, options [nop,nop,TS val 887079779 ecr 1345831957], length 0',
        '00:00:00.000051 IP 127.0.0.1.4151 > 127.0.0.1.35240: Flags [P.], seq 41:81, ack 199, win 64, options [nop,nop,TS val 887079779 ecr 1345831957], length 40',
        '',
      ].join('\n'),
    );
  });

  it('a capture started mid-connection prints its first segment per conversation with absolute numbers', () => {
    const ses = newTcpdumpSession();
    const [, , , , , f, g, h] = capture();
    expect(formatTcpdumpLine(f!, ses, { tflag: 2 })).toBe(
      '1426302722.112353 IP 127.0.0.1.35240 > 127.0.0.1.4151: Flags [P.], seq 2387259809:2387259831, ack 3469470733, win 64, options [nop,nop,TS val 1345831915 ecr 887079737], length 22',
    );
    // print-tcp.c keeps that segment's seq itself (not seq - 1) as the base for its direction, so the
    // peer's ACK of it reads 22, one less than the bytes it acknowledges past the base
    expect(formatTcpdumpLine(g!, ses, { tflag: 2 })).toBe('1426302722.112355 IP 127.0.0.1.4151 > 127.0.0.1.35240: Flags [.], ack 22, win 64, options [nop,nop,TS val 887079737 ecr 1345831915], length 0');
    expect(formatTcpdumpLine(h!, ses, { tflag: 2 })).toBe('1426302722.112585 IP 127.0.0.1.4151 > 127.0.0.1.35240: Flags [P.], seq 1:41, ack 22, win 64, options [nop,nop,TS val 887079737 ecr 1345831915], length 40');
  });

  it('the default stamp is the time of day in the machine zone; -S keeps absolute numbers; -t drops the stamp', () => {
    const p = capture()[3]!;
    expect(formatTcpdumpLine(p, newTcpdumpSession(), {})).toBe('03:12:02.112341 IP 127.0.0.1.35240 > 127.0.0.1.4151: Flags [P.], seq 2387259732:2387259809, ack 3469470733, win 64, options [nop,nop,TS val 1345831915 ecr 887079737], length 77');
    expect(formatTcpdumpLine(p, newTcpdumpSession(), { tzOffsetSec: -4 * 3600, tflag: 4 })).toBe('2015-03-13 23:12:02.112341 IP 127.0.0.1.35240 > 127.0.0.1.4151: Flags [P.], seq 2387259732:2387259809, ack 3469470733, win 64, options [nop,nop,TS val 1345831915 ecr 887079737], length 77');
    const ses = newTcpdumpSession();
    const all = capture();
    formatTcpdumpLine(all[1]!, ses, { tflag: 1 });
    expect(formatTcpdumpLine(all[3]!, ses, { tflag: 1, absolute: true })).toBe('IP 127.0.0.1.35240 > 127.0.0.1.4151: Flags [P.], seq 2387259732:2387259809, ack 3469470733, win 64, options [nop,nop,TS val 1345831915 ecr 887079737], length 77');
  });

  it('flags in print-tcp.c order, and a RST without options', () => {
    expect(tcpFlagString(TH_FIN | TH_ACK)).toBe('F.');
    expect(tcpFlagString(TH_FIN | TH_PUSH | TH_ACK)).toBe('FP.');
    expect(tcpFlagString(TH_RST | TH_ACK)).toBe('R.');
    expect(tcpFlagString(0)).toBe('none');
    const rst: TcpPacketRecord = { n: 1, us: 1426302722_000001, ...S, flags: TH_RST | TH_ACK, seq: 0, ack: 12346, win: 0, options: [], ipId: 0, data: '' };
    expect(formatTcpdumpLine(rst, newTcpdumpSession(), { tflag: 1 })).toBe('IP 127.0.0.1.4151 > 127.0.0.1.35240: Flags [R.], seq 0, ack 12346, win 0, length 0');
  });
});

describe('tcpdump 4.5.1 messages on stderr (tcpdump.c)', () => {
  it('announces a live capture on lo, shorter with -v or -w', () => {
    expect(tcpdumpListening('lo')).toBe('tcpdump: verbose output suppressed, use -v or -vv for full protocol decode\nlistening on lo, link-type EN10MB (Ethernet), capture size 65535 bytes\n');
    expect(tcpdumpListening('lo', { verboseOrWriting: true })).toBe('tcpdump: listening on lo, link-type EN10MB (Ethernet), capture size 65535 bytes\n');
  });

  it('names the file it reads, and counts packets with plurals at the end', () => {
    expect(tcpdumpReading('/tmp/publish.pcap')).toBe('reading from file /tmp/publish.pcap, link-type EN10MB (Ethernet)\n');
    expect(tcpdumpStats(10, 10, 0)).toBe('10 packets captured\n10 packets received by filter\n0 packets dropped by kernel\n');
    expect(tcpdumpStats(1, 1, 1)).toBe('1 packet captured\n1 packet received by filter\n1 packet dropped by kernel\n');
  });
});
