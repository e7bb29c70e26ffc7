import { getSock, setsockopt, tcpInfo, write, writev } from '../../../../engine/kernel/tcp';
import { TH_ACK, TH_PUSH } from '../../../../engine/formats/packet';
import { pair, run, segs, T0 } from './harness';

const PA = TH_PUSH | TH_ACK;

describe('Nagle with Minshall on the sender (tcp_nagle_check, tcp_minshall_check)', () => {
  it('sends a first small write at once and holds a second while the first is unacknowledged', () => {
    const p = pair();
    const n = p.tcp.logCount;
    write(p.tcp, p.client, 'a'.repeat(150));
    write(p.tcp, p.client, 'b'.repeat(20));
    const c = getSock(p.tcp, p.client)!;
    expect(segs(p.tcp, n)).toEqual([[1, 'c>s', PA, 150]]);
    expect(c.unsent).toBe('b'.repeat(20));
    expect(tcpInfo(p.tcp, c)).toMatchObject({ unacked: 1, notsent: 20 });
  });

  it('releases the held segment the moment the ACK of the small one arrives', () => {
    const p = pair();
    // the first data of a connection is ACKed at once (quick ACKs), so make the server interactive first
    write(p.tcp, p.client, 'GET');
    run(p, T0 + 2, (e) => e.type === 'readable' && e.sock === p.server && write(p.tcp, p.server, 'OK'));
    run(p, T0 + 10);
    const n = p.tcp.logCount;
    write(p.tcp, p.client, 'h'.repeat(150));
    write(p.tcp, p.client, 'b'.repeat(20));
    run(p, T0 + 100);
    const s = segs(p.tcp, n);
    // headers, then nothing until the server's delayed ACK, then the body right behind that ACK
    expect(s.map(([, d, f, l]) => [d, f, l])).toEqual([
      ['c>s', PA, 150],
      ['s>c', TH_ACK, 0],
      ['c>s', PA, 20],
      ['s>c', TH_ACK, 0],
    ]);
    const [t0, tAck, tBody] = s.map(([t]) => t);
    expect(tAck! - t0!).toBeGreaterThan(36);
    expect(tAck! - t0!).toBeLessThanOrEqual(40);
    expect(tBody! - tAck!).toBeLessThan(0.01);
  });

  it('never holds a full-sized segment, and (Minshall) sends a small tail behind a full one', () => {
    const p = pair();
    // tcp_bound_to_half_wnd: half the SYN-ACK's 43690-byte window, under the path's 65483
    const mss = getSock(p.tcp, p.client)!.mss;
    expect(mss).toBe(21845);
    expect(getSock(p.tcp, p.client)!.pathMss).toBe(65483);
    const n = p.tcp.logCount;
    // classic Nagle would hold the 100-byte tail while the full segment is out; Minshall only looks at small ones
    write(p.tcp, p.client, 'x'.repeat(mss + 100));
    expect(segs(p.tcp, n).map(([, , f, l]) => [f, l])).toEqual([
      [TH_ACK, mss],
      [PA, 100],
    ]);
    // once all is acknowledged (the tail's ACK is a delayed one: the big segment used up the quick ACKs)
    // a small write goes at once; behind it another small one waits, a full one does not
    run(p, T0 + 100);
    expect(getSock(p.tcp, p.client)!.inflight).toEqual([]);
    const mss2 = getSock(p.tcp, p.client)!.mss;
    const m = p.tcp.logCount;
    write(p.tcp, p.client, 'y'.repeat(10));
    write(p.tcp, p.client, 'w'.repeat(10));
    write(p.tcp, p.client, 'z'.repeat(mss2));
    expect(segs(p.tcp, m).map(([, , , l]) => l)).toEqual([10, mss2]);
    expect(getSock(p.tcp, p.client)!.unsent).toBe('z'.repeat(10));
  });

  it('the send MSS follows half the largest window the peer offers: 21888 once its scaled 342 arrives', () => {
    const p = pair();
    expect(getSock(p.tcp, p.server)!.mss).toBe(21888);
    write(p.tcp, p.server, 'hello');
    run(p, T0 + 2);
    expect(getSock(p.tcp, p.client)!.mss).toBe(21888);
  });

  it('TCP_NODELAY sends every write at once', () => {
    const p = pair();
    setsockopt(p.tcp, p.client, 'TCP_NODELAY', 1);
    const n = p.tcp.logCount;
    write(p.tcp, p.client, 'h'.repeat(150));
    write(p.tcp, p.client, 'b'.repeat(20));
    expect(segs(p.tcp, n).map(([, , , l]) => l)).toEqual([150, 20]);
  });

  it('setting TCP_NODELAY pushes what Nagle was holding', () => {
    const p = pair();
    write(p.tcp, p.client, 'h'.repeat(150));
    write(p.tcp, p.client, 'b'.repeat(20));
    const n = p.tcp.logCount;
    setsockopt(p.tcp, p.client, 'TCP_NODELAY', 1);
    expect(segs(p.tcp, n).map(([, , , l]) => l)).toEqual([20]);
  });

  it('TCP_CORK holds partial segments even with nothing in flight, and beats TCP_NODELAY', () => {
    const p = pair();
    setsockopt(p.tcp, p.client, 'TCP_NODELAY', 1);
    setsockopt(p.tcp, p.client, 'TCP_CORK', 1);
    const n = p.tcp.logCount;
    write(p.tcp, p.client, 'h'.repeat(150));
    write(p.tcp, p.client, 'b'.repeat(20));
    expect(segs(p.tcp, n)).toEqual([]);
    // uncorking sends both writes as one segment
    setsockopt(p.tcp, p.client, 'TCP_CORK', 0);
    expect(segs(p.tcp, n).map(([, , f, l]) => [f, l])).toEqual([[PA, 170]]);
  });

  it('setting TCP_NODELAY flushes even a corked socket', () => {
    const p = pair();
    setsockopt(p.tcp, p.client, 'TCP_CORK', 1);
    write(p.tcp, p.client, 'h'.repeat(150));
    const n = p.tcp.logCount;
    expect(segs(p.tcp, n)).toEqual([]);
    setsockopt(p.tcp, p.client, 'TCP_NODELAY', 1);
    expect(segs(p.tcp, n).map(([, , , l]) => l)).toEqual([150]);
  });

  it('uncorking without TCP_NODELAY leaves the segment to Nagle', () => {
    const p = pair();
    write(p.tcp, p.client, 'a'.repeat(30));
    setsockopt(p.tcp, p.client, 'TCP_CORK', 1);
    write(p.tcp, p.client, 'b'.repeat(20));
    const n = p.tcp.logCount;
    setsockopt(p.tcp, p.client, 'TCP_CORK', 0);
    // the 30 bytes are small and unacknowledged: the 20 still wait
    expect(segs(p.tcp, n)).toEqual([]);
  });

  it('writev sends headers and body as one segment', () => {
    const p = pair();
    const n = p.tcp.logCount;
    expect(writev(p.tcp, p.client, ['h'.repeat(150), 'b'.repeat(20)])).toBe(170);
    expect(segs(p.tcp, n).map(([, , f, l]) => [f, l])).toEqual([[PA, 170]]);
  });

  it('coalesces later writes into the held segment', () => {
    const p = pair();
    write(p.tcp, p.client, 'h'.repeat(150));
    write(p.tcp, p.client, 'b'.repeat(20));
    write(p.tcp, p.client, 'c'.repeat(5));
    const n = p.tcp.logCount;
    run(p, T0 + 100);
    const fromClient = segs(p.tcp, n).filter(([, d]) => d === 'c>s');
    expect(fromClient.map(([, , , l]) => l)).toEqual([25]);
  });
});
