import { cG, formatProcNetTcp, formatSsTcpInfo, ssInfoText, ssMsTimer, type ProcNetTcpRow, type SsTcpInfo, type SsTcpRow } from '../../../engine/formats/tcpSockets';

const info = (over: Partial<SsTcpInfo> = {}): SsTcpInfo => ({
  timestamps: true,
  sack: true,
  wscale: true,
  sndWscale: 7,
  rcvWscale: 7,
  rto: 204000,
  ato: 40000,
  sndMss: 65483,
  rtt: 30,
  rttvar: 15,
  sndCwnd: 10,
  sndSsthresh: 0x7fffffff,
  unacked: 1,
  reordering: 3,
  rcvRtt: 0,
  rcvSpace: 43690,
  totalRetrans: 0,
  congestion: 'cubic',
  ...over,
});

describe('ss -tin (iproute2 3.12 misc/ss.c)', () => {
  it('prints the header, the connection line and the tcp_info line as tcp_show_info builds it', () => {
    const rows: SsTcpRow[] = [
      { state: 'ESTABLISHED', recvQ: 0, sendQ: 20, local: '127.0.0.1', lport: 52384, remote: '127.0.0.1', rport: 4151, info: info() },
      { state: 'ESTABLISHED', recvQ: 77, sendQ: 0, local: '127.0.0.1', lport: 4151, remote: '127.0.0.1', rport: 52384, info: info({ unacked: 0, rtt: 12, rttvar: 6, rto: 200000 }) },
    ];
    expect(formatSsTcpInfo(rows)).toBe(
      'State      Recv-Q Send-Q        Local Address:Port          Peer Address:Port \n' +
        'ESTAB      0      20                127.0.0.1:52384            127.0.0.1:4151  \n' +
        '\t cubic wscale:7,7 rto:204 rtt:0.03/0.015 ato:40 mss:65483 cwnd:10 send 174621.3Mbps unacked:1 rcv_space:43690\n' +
        'ESTAB      77     0                 127.0.0.1:4151             127.0.0.1:52384 \n' +
        '\t cubic wscale:7,7 rto:200 rtt:0.012/0.006 ato:40 mss:65483 cwnd:10 send 436553.3Mbps rcv_space:43690\n',
    );
  });

  it('leaves out what is zero or default, and -o adds ts and sack', () => {
    expect(ssInfoText(info({ rtt: 0, ato: 0, unacked: 0, rcvSpace: 0, rto: 3000000 }))).toBe(' cubic wscale:7,7 mss:65483 cwnd:10');
    expect(ssInfoText(info({ sndCwnd: 2, sndSsthresh: 7, rcvRtt: 8000, reordering: 4 }), true)).toBe(
      ' ts sack cubic wscale:7,7 rto:204 rtt:0.03/0.015 ato:40 mss:65483 ssthresh:7 send 34924.3Mbps unacked:1 reordering:4 rcv_rtt:8 rcv_space:43690',
    );
  });

  it('formats numbers like C printf %g', () => {
    expect(cG(204)).toBe('204');
    expect(cG(0.029)).toBe('0.029');
    expect(cG(41.25)).toBe('41.25');
    expect(cG(1234567)).toBe('1.23457e+06');
    expect(cG(0.00001)).toBe('1e-05');
    expect(cG(38.123456)).toBe('38.1235');
  });

  it('without the State column when one state is asked for', () => {
    const row: SsTcpRow = { state: 'ESTABLISHED', recvQ: 0, sendQ: 0, local: '127.0.0.1', lport: 52384, remote: '127.0.0.1', rport: 4151, info: info({ unacked: 0 }) };
    // 80 - 1 - 1 - 14 = 64 columns for two addresses: 31 each, 25 of them for the host
    expect(formatSsTcpInfo([row], { stateColumn: false }).split('\n').slice(0, 2)).toEqual([
      'Recv-Q Send-Q             Local Address:Port               Peer Address:Port ',
      '0      0                      127.0.0.1:52384                 127.0.0.1:4151  ',
    ]);
  });
});

describe('/proc/net/tcp (linux 3.16 tcp4_seq_show)', () => {
  const base = { retrnsmt: 0, probes: 0, rto: 20, ato: 4, cwnd: 10, ssthresh: -1, kind: 'sock' as const };
  const rows: ProcNetTcpRow[] = [
    { ...base, local: '127.0.0.1', lport: 4151, remote: '0.0.0.0', rport: 0, st: 10, txQueue: 0, rxQueue: 0, timer: 0, when: 0, uid: 110, inode: 9001, refcnt: 1, sk: 'ffff880036a00800', rto: 100, ato: 0, quickPingpong: 0, ssthresh: 0 },
    { ...base, local: '127.0.0.1', lport: 52384, remote: '127.0.0.1', rport: 4151, st: 1, txQueue: 20, rxQueue: 0, timer: 1, when: 20, uid: 1000, inode: 7000, refcnt: 2, sk: 'ffff880036a01000', quickPingpong: 29 },
    { ...base, local: '127.0.0.1', lport: 4151, remote: '127.0.0.1', rport: 52384, st: 1, txQueue: 0, rxQueue: 77, timer: 0, when: 0, uid: 110, inode: 9100, refcnt: 2, sk: 'ffff880036a01800', quickPingpong: 21 },
    { ...base, kind: 'timewait', local: '127.0.0.1', lport: 52380, remote: '127.0.0.1', rport: 4151, st: 6, txQueue: 0, rxQueue: 0, timer: 3, when: 5925, uid: 0, inode: 0, refcnt: 3, sk: 'ffff880036a02000', quickPingpong: 0 },
    { ...base, kind: 'openreq', local: '127.0.0.1', lport: 4151, remote: '127.0.0.1', rport: 52388, st: 3, txQueue: 0, rxQueue: 0, timer: 1, when: 100, uid: 110, inode: 0, refcnt: 2, sk: 'ffff880036a02800', quickPingpong: 0 },
  ];
  const pad = (s: string) => `${s}${' '.repeat(149 - s.length)}\n`;

  it('hex little-endian addresses, the queues, the timer, timewait and request socks, every line padded to 149 columns', () => {
    expect(formatProcNetTcp(rows, true)).toBe(
      pad('  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode') +
        pad('   0: 0100007F:1037 00000000:0000 0A 00000000:00000000 00:00000000 00000000   110        0 9001 1 0000000000000000 100 0 0 10 0') +
        pad('   1: 0100007F:CCA0 0100007F:1037 01 00000014:00000000 01:00000014 00000000  1000        0 7000 2 0000000000000000 20 4 29 10 -1') +
        pad('   2: 0100007F:1037 0100007F:CCA0 01 00000000:0000004D 00:00000000 00000000   110        0 9100 2 0000000000000000 20 4 21 10 -1') +
        pad('   3: 0100007F:CC9C 0100007F:1037 06 00000000:00000000 03:00001725 00000000     0        0 0 3 0000000000000000') +
        pad('   4: 0100007F:1037 0100007F:CCA4 03 00000000:00000000 01:00000064 00000000   110        0 0 2 0000000000000000'),
    );
  });

  it('shows the socket addresses to a reader %pK lets see them', () => {
    expect(formatProcNetTcp(rows.slice(0, 1), false).split('\n')[1]).toBe(pad('   0: 0100007F:1037 00000000:0000 0A 00000000:00000000 00:00000000 00000000   110        0 9001 1 ffff880036a00800 100 0 0 10 0').trimEnd().padEnd(149));
  });
});

describe('ss -tlin (a listener)', () => {
  it('prints the wildcard peer as *:* and the backlog as Send-Q', () => {
    const row: SsTcpRow = {
      state: 'LISTEN',
      recvQ: 0,
      sendQ: 128,
      local: '127.0.0.1',
      lport: 4151,
      remote: '0.0.0.0',
      rport: 0,
      info: info({ wscale: false, rto: 1000000, ato: 0, sndMss: 536, rtt: 0, rttvar: 0, unacked: 0, rcvSpace: 0 }),
    };
    expect(formatSsTcpInfo([row], { stateColumn: false }).split('\n').slice(1)).toEqual([
      '0      128                    127.0.0.1:4151                          *:*     ',
      '\t cubic rto:1000 mss:536 cwnd:10',
      '',
    ]);
  });
});

describe('ss -o timers (print_ms_timer)', () => {
  it('prints ms, seconds and minutes as ss 3.12 does', () => {
    expect(ssMsTimer(183)).toBe('183ms');
    expect(ssMsTimer(0)).toBe('');
    expect(ssMsTimer(1500)).toBe('1.500ms');
    expect(ssMsTimer(2000)).toBe('2sec');
    expect(ssMsTimer(12_345)).toBe('12sec');
    expect(ssMsTimer(61_500)).toBe('1min1sec');
    expect(ssMsTimer(600_000)).toBe('10min');
  });

  it('puts the retransmit timer after the addresses with -o', () => {
    const row: SsTcpRow = { state: 'ESTABLISHED', recvQ: 0, sendQ: 20, local: '127.0.0.1', lport: 52384, remote: '127.0.0.1', rport: 4151, timer: { kind: 1, ms: 183, retrans: 0 }, info: info() };
    expect(formatSsTcpInfo([row], { options: true }).split('\n')[1]).toBe(
      'ESTAB      0      20                127.0.0.1:52384            127.0.0.1:4151   timer:(on,183ms,0)',
    );
    expect(formatSsTcpInfo([row]).split('\n')[1]).toBe('ESTAB      0      20                127.0.0.1:52384            127.0.0.1:4151  ');
  });
});
