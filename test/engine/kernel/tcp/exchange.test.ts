import { getSock, nextEventAt, tcpInfo } from '../../../../engine/kernel/tcp';
import type { TcpStack } from '../../../../engine/kernel/tcp';
import { makeWorld, runWorld, T0, type World } from './harness';

/** think times between a response and the next request: irregular, as a real publisher's are */
const THINK = [3.3, 117.1, 250, 1.7, 61.9, 9.25, 480.5, 33.3];

describe('a keep-alive HTTP client that writes headers and body separately, against a server on lo', () => {
  it('gets the first request on a fresh connection answered at once and every later one after a delayed ACK', () => {
    const w = makeWorld('two-writes', 12, THINK);
    runWorld(w, T0 + 10_000);
    expect(w.latencies).toHaveLength(12);
    expect(w.latencies[0]).toBeLessThan(1);
    for (const l of w.latencies.slice(1)) {
      // the 40 ms timer fires on the tenth 4 ms tick after the headers arrive: 36 to 40 ms after
      expect(l).toBeGreaterThan(36);
      expect(l).toBeLessThan(40.1);
    }
  });

  it.each([
    ['nodelay', 'TCP_NODELAY on the client'],
    ['writev', 'one writev of headers and body'],
    ['cork', 'TCP_CORK around the two writes'],
    ['new-connection', 'a new connection per request'],
  ] as const)('is fast every time with %s (%s)', (mode, _how) => {
    const w = makeWorld(mode, 12, THINK);
    runWorld(w, T0 + 10_000);
    expect(w.latencies).toHaveLength(12);
    for (const l of w.latencies) expect(l).toBeLessThan(1);
  });

  it('is fast every time behind a quickack route', () => {
    const w = makeWorld('two-writes', 12, THINK, { routeQuickack: true });
    runWorld(w, T0 + 10_000);
    expect(Math.max(...w.latencies)).toBeLessThan(1);
  });

  it('TCP_QUICKACK on the server helps only the requests it is set for', () => {
    // the server sets it after each read for the first three reads: the first two requests (two parts each)
    const w = makeWorld('two-writes', 6, THINK, { serverQuickack: 3 });
    runWorld(w, T0 + 10_000);
    const fast = w.latencies.map((l) => l < 1);
    expect(fast).toEqual([true, true, false, false, false, false]);
  });

  it('does not get better with TCP_NODELAY on the server, whose ACKs are the ones being delayed', () => {
    const w = makeWorld('two-writes', 8, THINK, { serverNodelay: true });
    runWorld(w, T0 + 10_000);
    expect(w.latencies[0]).toBeLessThan(1);
    for (const l of w.latencies.slice(1)) expect(l).toBeGreaterThan(36);
  });

  it('shows the stall in the sockets while it lasts: the body waits on the client, an ACK is owed on the server', () => {
    const w = makeWorld('two-writes', 3, [100]);
    // the second request starts 100 ms after the first answer; look 10 ms into its stall
    runWorld(w, T0 + 1);
    const second = T0 + w.latencies[0]! + 100 + 10;
    runWorld(w, second);
    const c = tcpInfo(w.tcp, getSock(w.tcp, w.client)!);
    const s = tcpInfo(w.tcp, getSock(w.tcp, w.server)!);
    expect(c).toMatchObject({ unacked: 1, notsent: 20 });
    expect(s).toMatchObject({ pingpong: true, ato: 40000, unacked: 0, delackAt: expect.any(Number) });
  });

  it('serves 1,000 requests in a few ms of real time', () => {
    const w = makeWorld('two-writes', 1000, [0.5, 1.5, 3]);
    const start = process.hrtime.bigint();
    runWorld(w, T0 + 120_000);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    expect(w.latencies).toHaveLength(1000);
    // only a guard against a pathological slowdown: jest workers share two busy cores with other
    // jobs, and the first run pays for the JIT; the figure itself is printed
    expect(ms).toBeLessThan(3000);
    process.stdout.write(`1000 keep-alive exchanges: ${ms.toFixed(1)} ms real time\n`);
  });
});

describe('the stack state is plain JSON', () => {
  function clone(w: World): World {
    return JSON.parse(JSON.stringify(w)) as World;
  }

  it('round-trips mid-stall and then lives the same future', () => {
    const a = makeWorld('two-writes', 10, THINK);
    runWorld(a, T0 + 1);
    // stop while the second request's body is held by Nagle and the server's ACK timer is armed
    runWorld(a, T0 + a.latencies[0]! + THINK[0]! + 5);
    expect(getSock(a.tcp, a.client)!.unsent).not.toBe('');
    expect(getSock(a.tcp, a.server)!.ack.timer).toBe(true);
    const b = clone(a);
    expect(b).toEqual(a);
    runWorld(a, T0 + 5000);
    runWorld(b, T0 + 5000);
    expect(b.latencies).toEqual(a.latencies);
    expect(b.tcp.log).toEqual(a.tcp.log);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('holds no functions, Maps or class instances', () => {
    const w = makeWorld('two-writes', 3, THINK);
    runWorld(w, T0 + 50);
    const walk = (v: unknown): void => {
      if (v === null || typeof v !== 'object') {
        expect(['string', 'number', 'boolean']).toContain(v === null ? 'boolean' : typeof v);
        return;
      }
      expect([Object.prototype, Array.prototype]).toContain(Object.getPrototypeOf(v));
      Object.values(v as object).forEach(walk);
    };
    walk(w.tcp as TcpStack);
    expect(nextEventAt(w.tcp)).not.toBeNull();
  });
});
