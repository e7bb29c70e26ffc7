import { formatTcpdump, newTcpdumpSession } from '../../../../engine/formats/tcpdump';
import { formatProcNetTcp, formatSsTcpInfo } from '../../../../engine/formats/tcpSockets';
import { accept, close, connect, createTcpStack, getSock, getsockopt, listen, procNetTcpRows, read, runUntil, setsockopt, ssTcpRows, write } from '../../../../engine/kernel/tcp';
import type { TcpEvent } from '../../../../engine/kernel/tcp';
import { Rng, seedRng } from '../../../../engine/rng';
import { BOOT, makeWorld, pair, run, runWorld, T0 } from './harness';

describe('a connection on lo, as tcpdump -i lo -n shows it', () => {
  it('opens with the options Linux puts on a SYN and shows the stall of a second request', () => {
    const w = makeWorld('two-writes', 2, [100]);
    runWorld2(w);
    // TS val is jiffies (HZ 250) since boot plus INITIAL_JIFFIES (2^32 - 300 HZ): floor((T0 - BOOT) / 4) - 75000 mod 2^32
    const tsAtT0 = (Math.floor((T0 - BOOT) / 4) + 2 ** 32 - 75000) % 2 ** 32;
    expect(tsAtT0).toBe(64724969);
    expect(formatTcpdump(w.tcp.log, newTcpdumpSession(), { tflag: 3 })).toBe(
      [
        '00:00:00.000000 IP 127.0.0.1.54618 > 127.0.0.1.4151: Flags [S], seq 3321028567, win 43690, options [mss 65495,sackOK,TS val 64724969 ecr 0,nop,wscale 7], length 0',
        '00:00:00.000004 IP 127.0.0.1.4151 > 127.0.0.1.54618: Flags [S.], seq 4071827326, ack 3321028568, win 43690, options [mss 65495,sackOK,TS val 64724969 ecr 64724969,nop,wscale 7], length 0',
        '00:00:00.000004 IP 127.0.0.1.54618 > 127.0.0.1.4151: Flags [.], ack 1, win 342, options [nop,nop,TS val 64724969 ecr 64724969], length 0',
        '00:00:00.000000 IP 127.0.0.1.54618 > 127.0.0.1.4151: Flags [P.], seq 1:137, ack 1, win 342, options [nop,nop,TS val 64724969 ecr 64724969], length 136',
        // quick ACK: the first data of the connection; the window grows as a 136-byte segment comes in
        '00:00:00.000004 IP 127.0.0.1.4151 > 127.0.0.1.54618: Flags [.], ack 137, win 350, options [nop,nop,TS val 64724969 ecr 64724969], length 0',
        '00:00:00.000004 IP 127.0.0.1.54618 > 127.0.0.1.4151: Flags [P.], seq 137:157, ack 1, win 342, options [nop,nop,TS val 64724969 ecr 64724969], length 20',
        '00:00:00.000004 IP 127.0.0.1.4151 > 127.0.0.1.54618: Flags [.], ack 157, win 350, options [nop,nop,TS val 64724969 ecr 64724969], length 0',
        '00:00:00.000000 IP 127.0.0.1.4151 > 127.0.0.1.54618: Flags [P.], seq 1:41, ack 157, win 350, options [nop,nop,TS val 64724969 ecr 64724969], length 40',
        '00:00:00.000004 IP 127.0.0.1.54618 > 127.0.0.1.4151: Flags [.], ack 41, win 342, options [nop,nop,TS val 64724969 ecr 64724969], length 0',
        // 100 ms later the next request: the server answered the last one at once, so it is interactive now
        '00:00:00.100000 IP 127.0.0.1.54618 > 127.0.0.1.4151: Flags [P.], seq 157:293, ack 41, win 342, options [nop,nop,TS val 64724994 ecr 64724969], length 136',
        // its delayed ACK, on the tenth tick; the body leaves right behind it
        '00:00:00.039376 IP 127.0.0.1.4151 > 127.0.0.1.54618: Flags [.], ack 293, win 359, options [nop,nop,TS val 64725004 ecr 64724994], length 0',
        '00:00:00.000004 IP 127.0.0.1.54618 > 127.0.0.1.4151: Flags [P.], seq 293:313, ack 41, win 342, options [nop,nop,TS val 64725004 ecr 64725004], length 20',
        '00:00:00.000004 IP 127.0.0.1.4151 > 127.0.0.1.54618: Flags [.], ack 313, win 359, options [nop,nop,TS val 64725004 ecr 64725004], length 0',
        '00:00:00.000000 IP 127.0.0.1.4151 > 127.0.0.1.54618: Flags [P.], seq 41:81, ack 313, win 359, options [nop,nop,TS val 64725004 ecr 64725004], length 40',
        '00:00:00.000004 IP 127.0.0.1.54618 > 127.0.0.1.4151: Flags [.], ack 81, win 342, options [nop,nop,TS val 64725004 ecr 64725004], length 0',
        '',
      ].join('\n'),
    );
  });

  it('closes with FIN, FIN, ACK and leaves the closer in TIME_WAIT for 60 s', () => {
    const p = pair();
    const n = p.tcp.logCount;
    close(p.tcp, p.client);
    run(p, T0 + 2, (e) => {
      if (e.type === 'eof' && e.sock === p.server) {
        expect(read(p.tcp, p.server)).toBe('');
        close(p.tcp, p.server);
      }
    });
    const ses = newTcpdumpSession();
    formatTcpdump(p.tcp.log.filter((x) => x.n <= n), ses);
    expect(formatTcpdump(p.tcp.log.filter((x) => x.n > n), ses, { tflag: 1 })).toBe(
      [
        'IP 127.0.0.1.38277 > 127.0.0.1.4151: Flags [F.], seq 1, ack 1, win 342, options [nop,nop,TS val 64724969 ecr 64724969], length 0',
        'IP 127.0.0.1.4151 > 127.0.0.1.38277: Flags [F.], seq 1, ack 2, win 342, options [nop,nop,TS val 64724969 ecr 64724969], length 0',
        'IP 127.0.0.1.38277 > 127.0.0.1.4151: Flags [.], ack 2, win 342, options [nop,nop,TS val 64724969 ecr 64724969], length 0',
        '',
      ].join('\n'),
    );
    expect(getSock(p.tcp, p.server)).toBeUndefined();
    expect(getSock(p.tcp, p.client)!.state).toBe('TIME_WAIT');
    // the server's socket left the table when its FIN was acknowledged
    expect(p.events.filter((e) => e.type === 'closed').map((e) => e.sock)).toEqual([p.server]);
    expect(formatProcNetTcp(procNetTcpRows(p.tcp), true).split('\n')[2]!.trimEnd()).toBe(
      '   1: 0100007F:9585 0100007F:1037 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000',
    );
    run(p, T0 + 60_002);
    expect(getSock(p.tcp, p.client)).toBeUndefined();
    // close() came at T0+1: the server went at once, the client 60 s later
    expect(p.events.filter((e) => e.type === 'closed').map((e) => [e.sock, Math.round(e.t - T0)])).toEqual([
      [p.server, 1],
      [p.client, 60_001],
    ]);
  });

  it('shows a handshake in flight in /proc/net/tcp: the client in SYN_SENT, a request sock on the server', () => {
    const tcp = createTcpStack({ bootMs: BOOT, now: T0 });
    const rng = new Rng(seedRng(7));
    listen(tcp, { addr: '127.0.0.1', port: 4151, uid: 110, inode: 9001 });
    connect(tcp, rng, { rport: 4151, uid: 1000, inode: 7000 });
    // the SYN arrives after 4 µs and the SYN-ACK leaves; the last ACK is not back yet
    runUntil(tcp, T0 + 0.006, rng);
    expect(formatProcNetTcp(procNetTcpRows(tcp), true).split('\n').slice(1, 4).map((l) => l.trimEnd())).toEqual([
      '   0: 0100007F:1037 00000000:0000 0A 00000000:00000000 00:00000000 00000000   110        0 9001 1 0000000000000000 100 0 0 10 0',
      // SYN_SENT: the SYN counts in tx_queue and its retransmit timer (rto 1 s) runs
      '   1: 0100007F:9585 0100007F:1037 02 00000001:00000000 01:00000064 00000000  1000        0 7000 2 0000000000000000 100 0 0 10 -1',
      '   2: 0100007F:1037 0100007F:9585 03 00000000:00000000 01:00000064 00000000   110        0 0 2 0000000000000000',
    ]);
  });

  it('answers a SYN to a closed port with a RST, and the connect fails', () => {
    const p = pair();
    const events: TcpEvent[] = [];
    const c = connect(p.tcp, p.rng, { rport: 9999 }) as number;
    runUntil(p.tcp, T0 + 3, p.rng, (e) => events.push(e));
    expect(events).toEqual([{ type: 'reset', t: expect.any(Number), sock: c }]);
    const last = p.tcp.log[p.tcp.log.length - 1]!;
    expect(formatTcpdump([last], newTcpdumpSession(), { tflag: 1 })).toBe(`IP 127.0.0.1.9999 > 127.0.0.1.${last.dport}: Flags [R.], seq 0, ack ${(p.tcp.log[p.tcp.log.length - 2]!.seq + 1) >>> 0}, win 0, length 0\n`);
    expect(getSock(p.tcp, c)).toBeUndefined();
  });

  it('resets the connection when a socket is closed with unread data', () => {
    const p = pair();
    write(p.tcp, p.client, 'unread');
    run(p, T0 + 2);
    close(p.tcp, p.server);
    run(p, T0 + 3);
    expect(p.tcp.log[p.tcp.log.length - 1]!.flags).toBe(0x14);
    expect(p.events.filter((e) => e.type === 'reset').map((e) => e.sock)).toEqual([p.client]);
  });

  it('answers bad calls with errno values: a second listener, writes to a listener, sockets that are gone', () => {
    const p = pair();
    expect(listen(p.tcp, { addr: '127.0.0.1', port: 4151 })).toBe('EADDRINUSE');
    expect(write(p.tcp, p.listener, 'x')).toBe('ENOTCONN');
    expect(accept(p.tcp, p.listener)).toBe('EAGAIN');
    expect(accept(p.tcp, p.client)).toBe('EINVAL');
    expect(close(p.tcp, p.client)).toBe(0);
    // closed by its program: the socket lives on in the kernel (FIN_WAIT), but the program's handle is gone
    expect(getSock(p.tcp, p.client)!.state).toBe('FIN_WAIT1');
    expect([write(p.tcp, p.client, 'x'), read(p.tcp, p.client), close(p.tcp, p.client), setsockopt(p.tcp, p.client, 'TCP_NODELAY', 1), getsockopt(p.tcp, p.client, 'TCP_CORK')]).toEqual([
      'EBADF',
      'EBADF',
      'EBADF',
      'EBADF',
      'EBADF',
    ]);
    expect(read(p.tcp, 12345)).toBe('EBADF');
    expect(read(p.tcp, p.server)).toBe('EAGAIN');
    run(p, T0 + 2);
    // the peer's FIN: end of file, then writing is still allowed (half close) until the server closes
    expect(read(p.tcp, p.server)).toBe('');
    expect(write(p.tcp, p.server, 'late')).toBe(4);
  });
});

describe('the stall as ss -tin and /proc/net/tcp show it', () => {
  it('the client holds the body (Send-Q 156: the headers unacked plus the body unsent); the server owes an ACK', () => {
    const w = makeWorld('two-writes', 2, [100]);
    runWorld2(w, T0 + 120);
    expect(formatSsTcpInfo(ssTcpRows(w.tcp))).toBe(
      'State      Recv-Q Send-Q        Local Address:Port          Peer Address:Port \n' +
        'ESTAB      0      156               127.0.0.1:54618            127.0.0.1:4151  \n' +
        // srtt from 8 µs samples (4 µs each way); half the peer's largest window, 350 << 7, is the MSS
        '\t cubic wscale:7,7 rto:204 rtt:0.008/0.002 ato:40 mss:22400 cwnd:10 send 224000.0Mbps unacked:1 rcv_space:43690\n' +
        'ESTAB      0      0                 127.0.0.1:4151             127.0.0.1:54618 \n' +
        // 3.16 measures the SYN-ACK in jiffies: a 0 sample, so srtt stays at its 1 µs floor plus 8 µs samples
        '\t cubic wscale:7,7 rto:204 rtt:0.001/0.002 ato:40 mss:21888 cwnd:10 send 1751040.0Mbps rcv_space:43690\n',
    );
    const lines = formatProcNetTcp(procNetTcpRows(w.tcp), true).split('\n').map((l) => l.trimEnd());
    expect(lines.slice(1, 4)).toEqual([
      '   0: 0100007F:1037 00000000:0000 0A 00000000:00000000 00:00000000 00000000   110        0 9001 1 0000000000000000 100 0 0 10 0',
      // the retransmit timer armed with the headers: 51 - 5 jiffies left = 18 clock ticks; quick 14, not interactive
      '   1: 0100007F:D55A 0100007F:1037 01 0000009C:00000000 01:00000012 00000000  1000        0 7000 2 0000000000000000 20 4 28 10 -1',
      // quick 15 (one from tcp_grow_window), interactive: 15 << 1 | 1
      '   2: 0100007F:1037 0100007F:D55A 01 00000000:00000000 00:00000000 00000000   110        0 9101 2 0000000000000000 20 4 31 10 -1',
    ]);
  });
});

function runWorld2(w: ReturnType<typeof makeWorld>, t = T0 + 1000): void {
  runWorld(w, t);
}
