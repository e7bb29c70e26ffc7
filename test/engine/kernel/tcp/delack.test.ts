import { getSock, getsockopt, read, setRouteQuickack, setsockopt, tcpInfo, write } from '../../../../engine/kernel/tcp';
import { TH_ACK, TH_PUSH } from '../../../../engine/formats/packet';
import { BOOT, pair, run, segs, T0, type Pair } from './harness';

const PA = TH_PUSH | TH_ACK;
/** the tick (HZ=250, 4 ms) ten jiffies after the one containing t: where a 40 ms delayed-ACK timer fires */
const delackTick = (t: number): number => BOOT + 4 * (Math.floor((t - BOOT) / 4) + 10);

/** one request/response so the server has answered within ato: it is interactive (pingpong) now */
function warm(p: Pair): void {
  write(p.tcp, p.client, 'GET / HTTP/1.1\r\n\r\n');
  run(p, T0 + 2, (e) => {
    if (e.type === 'readable' && e.sock === p.server) {
      read(p.tcp, p.server);
      write(p.tcp, p.server, 'HTTP/1.1 200 OK\r\n\r\n');
    }
    if (e.type === 'readable' && e.sock === p.client) read(p.tcp, p.client);
  });
}

describe('the receiver delays its ACK (tcp_event_data_recv, __tcp_ack_snd_check, tcp_send_delayed_ack)', () => {
  it('grants quick-ACK credits on the first data of a connection, so that data is ACKed at once', () => {
    const p = pair();
    const s = getSock(p.tcp, p.server)!;
    expect(s.ack.ato).toBe(0);
    const n = p.tcp.logCount;
    write(p.tcp, p.client, 'h'.repeat(150));
    run(p, T0 + 2);
    const [, ack] = segs(p.tcp, n);
    expect(ack).toEqual([expect.any(Number), 's>c', TH_ACK, 0]);
    expect(ack![0] - 1).toBeLessThan(0.02);
    // 43776 / (2 * 536) = 40 credits, capped at 16; tcp_grow_window adds one (quick |= 1) for a
    // segment of 128 bytes or more; the ACK just sent used one
    expect(tcpInfo(p.tcp, s)).toMatchObject({ quick: 16, ato: 40000, pingpong: false });
  });

  it('turns interactive when the host answers within ato of the data, and then delays the ACK to a 40 ms tick', () => {
    const p = pair();
    warm(p);
    expect(tcpInfo(p.tcp, getSock(p.tcp, p.server)!).pingpong).toBe(true);
    const t = T0 + 10.3;
    run(p, t);
    const n = p.tcp.logCount;
    write(p.tcp, p.client, 'h'.repeat(150));
    run(p, T0 + 100);
    const s = segs(p.tcp, n);
    expect(s.map(([, d, f, l]) => [d, f, l])).toEqual([
      ['c>s', PA, 150],
      ['s>c', TH_ACK, 0],
    ]);
    const arrived = t + 0.004 + 150 * 0.25e-6;
    expect(s[1]![0] + T0).toBeCloseTo(delackTick(arrived), 6);
    expect(s[1]![0] + T0 - t).toBeGreaterThan(36);
    expect(s[1]![0] + T0 - t).toBeLessThanOrEqual(40);
  });

  it('a delayed ACK that fires while interactive ends interactive mode and resets ato', () => {
    const p = pair();
    warm(p);
    write(p.tcp, p.client, 'h'.repeat(150));
    run(p, T0 + 20);
    const s = getSock(p.tcp, p.server)!;
    expect(tcpInfo(p.tcp, s)).toMatchObject({ pingpong: true, delackAt: expect.any(Number) });
    run(p, T0 + 60);
    expect(tcpInfo(p.tcp, s)).toMatchObject({ pingpong: false, ato: 40000, delackAt: null });
  });

  it('ACKs at once when more than one segment of the peer MSS guess (536) waits unacknowledged', () => {
    const p = pair();
    warm(p);
    setsockopt(p.tcp, p.client, 'TCP_NODELAY', 1);
    const n = p.tcp.logCount;
    write(p.tcp, p.client, 'a'.repeat(600));
    run(p, T0 + 5);
    // one 600-byte segment raises the guess to 600 and waits; a second makes 1200 > 600
    expect(segs(p.tcp, n).map(([, d, , l]) => [d, l])).toEqual([['c>s', 600]]);
    write(p.tcp, p.client, 'b'.repeat(600));
    run(p, T0 + 6);
    const s = segs(p.tcp, n);
    expect(s.map(([, d, f, l]) => [d, f, l])).toEqual([
      ['c>s', PA, 600],
      ['c>s', PA, 600],
      ['s>c', TH_ACK, 0],
    ]);
    expect(s[2]![0] - s[1]![0]).toBeLessThan(0.01);
  });

  it('piggybacks the owed ACK on data the host sends, cancelling the timer', () => {
    const p = pair();
    warm(p);
    write(p.tcp, p.client, 'h'.repeat(150));
    run(p, T0 + 12);
    const s = getSock(p.tcp, p.server)!;
    expect(s.ack.timer).toBe(true);
    const n = p.tcp.logCount;
    read(p.tcp, p.server);
    write(p.tcp, p.server, 'answer');
    expect(s.ack.timer).toBe(false);
    run(p, T0 + 100);
    const fromServer = segs(p.tcp, n).filter(([, d]) => d === 's>c');
    expect(fromServer.map(([, , f, l]) => [f, l])).toEqual([[PA, 6]]);
    expect(p.tcp.log.find((x) => x.n === n + 1)!.ack).toBe(getSock(p.tcp, p.client)!.sndNxt);
  });

  it('lets ato grow with the gaps between segments, yet never moves an armed timer later', () => {
    const p = pair();
    warm(p);
    setsockopt(p.tcp, p.client, 'TCP_NODELAY', 1);
    const n = p.tcp.logCount;
    // a segment at +50 ms arms the timer; one 7 jiffies later, between ATO_MIN/2 and ato, makes
    // ato = ato/2 + gap = 5 + 7 jiffies, but the timer stays where the first one put it
    run(p, T0 + 50);
    write(p.tcp, p.client, 'x'.repeat(10));
    run(p, T0 + 78);
    write(p.tcp, p.client, 'y'.repeat(10));
    run(p, T0 + 79);
    const s = getSock(p.tcp, p.server)!;
    const first = T0 + 50 + 0.004 + 10 * 0.25e-6;
    expect(tcpInfo(p.tcp, s)).toMatchObject({ ato: 48000, delackAt: delackTick(first) });
    run(p, T0 + 200);
    const acks = segs(p.tcp, n).filter(([, d]) => d === 's>c');
    expect(acks.map(([t, , f]) => [t + T0, f])).toEqual([[delackTick(first), TH_ACK]]);
  });

  it('sends at once when a second segment finds the armed timer within ato/4 of firing', () => {
    const p = pair();
    warm(p);
    setsockopt(p.tcp, p.client, 'TCP_NODELAY', 1);
    const n = p.tcp.logCount;
    run(p, T0 + 50);
    write(p.tcp, p.client, 'x'.repeat(10));
    // the timer fires at the tick of T0+87.4; at T0+82 that is within 2 jiffies
    run(p, T0 + 82);
    write(p.tcp, p.client, 'y'.repeat(10));
    run(p, T0 + 83);
    const acks = segs(p.tcp, n).filter(([, d]) => d === 's>c');
    expect(acks.map(([t, , f]) => [Math.floor(t), f])).toEqual([[82, TH_ACK]]);
  });
});

describe('TCP_QUICKACK and the quickack route', () => {
  it('TCP_QUICKACK sends the owed ACK now but is not sticky: the next answer makes the connection interactive again', () => {
    const p = pair();
    warm(p);
    const n = p.tcp.logCount;
    write(p.tcp, p.client, 'h'.repeat(150));
    run(p, T0 + 3);
    expect(getsockopt(p.tcp, p.server, 'TCP_QUICKACK')).toBe(0);
    read(p.tcp, p.server);
    setsockopt(p.tcp, p.server, 'TCP_QUICKACK', 1);
    expect(getsockopt(p.tcp, p.server, 'TCP_QUICKACK')).toBe(1);
    const s = segs(p.tcp, n);
    expect(s.map(([, d, f]) => [d, f])).toEqual([
      ['c>s', PA],
      ['s>c', TH_ACK],
    ]);
    expect(s[1]![0] - s[0]![0]).toBeLessThan(1.01);
    write(p.tcp, p.server, 'reply');
    expect(getsockopt(p.tcp, p.server, 'TCP_QUICKACK')).toBe(0);
  });

  it('a quickack route keeps every ACK immediate, interactive or not', () => {
    const p = pair();
    setRouteQuickack(p.tcp, true);
    warm(p);
    expect(getSock(p.tcp, p.server)!.ack.pingpong).toBe(false);
    for (let i = 0; i < 30; i++) {
      const t = T0 + 10 + i * 5;
      run(p, t);
      const n = p.tcp.logCount;
      write(p.tcp, p.client, 'h'.repeat(150));
      run(p, t + 1);
      expect(segs(p.tcp, n).map(([, d, f]) => [d, f])).toEqual([
        ['c>s', PA],
        ['s>c', TH_ACK],
      ]);
      read(p.tcp, p.server);
      write(p.tcp, p.server, 'ok');
      run(p, t + 2);
    }
  });
});
