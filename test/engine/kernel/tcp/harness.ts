/**
 * A fake HTTP client and server on the simulated stack, for the tests: the client POSTs headers
 * and body (two writes, one writev, or with TCP_NODELAY), the server answers once it has the whole
 * request, the client sends the next request `think` ms after it has the response. Their state is
 * plain data so a test can round-trip everything through JSON mid-run.
 */
import { Rng, seedRng } from '../../../../engine/rng';
import { accept, close, connect, createTcpStack, listen, nextEventAt, read, runUntil, setRouteQuickack, setsockopt, write, writev } from '../../../../engine/kernel/tcp';
import type { TcpEvent, TcpStack } from '../../../../engine/kernel/tcp';

export const T0 = Date.UTC(2015, 2, 14, 3, 12, 0);
export const BOOT = T0 - 3 * 86_400_000 + 123.4;
export const HEADERS = 'POST /pub?topic=events HTTP/1.1\r\nHost: 127.0.0.1:4151\r\nUser-Agent: publisher/1.0\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n';
export const BODY = '{"id":42,"state":ok}';
export const RESPONSE = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK';

export type Mode = 'two-writes' | 'writev' | 'nodelay' | 'new-connection' | 'cork';

export interface World {
  tcp: TcpStack;
  rng: [number, number, number, number];
  mode: Mode;
  listener: number;
  client: number;
  server: number;
  serverBuf: string;
  /** ms between a response and the next request */
  think: number[];
  sent: number;
  wanted: number;
  startedAt: number;
  nextAt: number | null;
  latencies: number[];
  /** set TCP_QUICKACK on the server after it reads each part (count of times left) */
  serverQuickack: number;
}

export function makeWorld(mode: Mode, wanted: number, think: number[] = [0], opts: { routeQuickack?: boolean; serverNodelay?: boolean; serverQuickack?: number } = {}): World {
  const tcp = createTcpStack({ bootMs: BOOT, now: T0 });
  const rng = new Rng(seedRng(2015));
  if (opts.routeQuickack) setRouteQuickack(tcp, true);
  const listener = listen(tcp, { addr: '127.0.0.1', port: 4151, uid: 110, inode: 9001 }) as number;
  const w: World = { tcp, rng: rng.getState(), mode, listener, client: 0, server: 0, serverBuf: '', think, sent: 0, wanted, startedAt: 0, nextAt: T0, latencies: [], serverQuickack: opts.serverQuickack ?? 0 };
  if (opts.serverNodelay) (w as World & { serverNodelay?: boolean }).serverNodelay = true;
  return w;
}

function openClient(w: World, rng: Rng): void {
  w.client = connect(w.tcp, rng, { rport: 4151, uid: 1000, inode: 7000 + w.sent }) as number;
  if (w.mode === 'nodelay') setsockopt(w.tcp, w.client, 'TCP_NODELAY', 1);
}

function sendRequest(w: World): void {
  w.startedAt = w.tcp.now;
  w.sent++;
  if (w.mode === 'writev') writev(w.tcp, w.client, [HEADERS, BODY]);
  else if (w.mode === 'cork') {
    setsockopt(w.tcp, w.client, 'TCP_CORK', 1);
    write(w.tcp, w.client, HEADERS);
    write(w.tcp, w.client, BODY);
    setsockopt(w.tcp, w.client, 'TCP_CORK', 0);
  } else {
    write(w.tcp, w.client, HEADERS);
    write(w.tcp, w.client, BODY);
  }
}

function onEvent(w: World, e: TcpEvent): void {
  const tcp = w.tcp;
  if (e.type === 'established' && e.side === 'server') {
    w.server = accept(tcp, w.listener, 9100 + w.sent) as number;
    if ((w as World & { serverNodelay?: boolean }).serverNodelay) setsockopt(tcp, w.server, 'TCP_NODELAY', 1);
  } else if (e.type === 'established' && e.side === 'client') {
    sendRequest(w);
  } else if (e.type === 'readable' && e.sock === w.server) {
    w.serverBuf += read(tcp, w.server) as string;
    if (w.serverQuickack > 0) {
      w.serverQuickack--;
      setsockopt(tcp, w.server, 'TCP_QUICKACK', 1);
    }
    if (w.serverBuf.length >= HEADERS.length + BODY.length) {
      w.serverBuf = '';
      write(tcp, w.server, RESPONSE);
    }
  } else if (e.type === 'readable' && e.sock === w.client) {
    read(tcp, w.client);
    w.latencies.push(tcp.now - w.startedAt);
    if (w.mode === 'new-connection') close(tcp, w.client);
    if (w.sent < w.wanted) w.nextAt = tcp.now + w.think[(w.sent - 1) % w.think.length]!;
  } else if (e.type === 'eof' && e.sock === w.server) {
    read(tcp, w.server);
    close(tcp, w.server);
  }
}

/** runs the two programs and the stack up to virtual time t, each event at its own time */
export function runWorld(w: World, t: number): void {
  const rng = new Rng(w.rng);
  for (;;) {
    const netAt = nextEventAt(w.tcp) ?? Infinity;
    const appAt = w.nextAt ?? Infinity;
    if (Math.min(netAt, appAt) > t) break;
    if (appAt <= netAt) {
      runUntil(w.tcp, appAt, rng, (e) => onEvent(w, e));
      w.nextAt = null;
      if (w.sent === 0 || w.mode === 'new-connection') openClient(w, rng);
      else sendRequest(w);
    } else runUntil(w.tcp, netAt, rng, (e) => onEvent(w, e));
  }
  runUntil(w.tcp, t, rng, (e) => onEvent(w, e));
  w.rng = rng.getState();
}

export interface Pair {
  tcp: TcpStack;
  rng: Rng;
  listener: number;
  client: number;
  server: number;
  events: TcpEvent[];
}

/** a connected client/server pair on 127.0.0.1:4151, the handshake done, nothing sent yet */
export function pair(): Pair {
  const tcp = createTcpStack({ bootMs: BOOT, now: T0 });
  const rng = new Rng(seedRng(7));
  const listener = listen(tcp, { addr: '127.0.0.1', port: 4151 }) as number;
  const client = connect(tcp, rng, { rport: 4151 }) as number;
  const events: TcpEvent[] = [];
  runUntil(tcp, T0 + 1, rng, (e) => events.push(e));
  const server = accept(tcp, listener, 9100) as number;
  return { tcp, rng, listener, client, server, events };
}

/** runs the pair's stack to t, recording events */
export function run(p: Pair, t: number, on?: (e: TcpEvent) => void): void {
  runUntil(p.tcp, t, p.rng, (e) => {
    p.events.push(e);
    on?.(e);
  });
}

/** the segments logged after capture number n, as [ms since T0, direction, flags, payload length] */
export function segs(tcp: TcpStack, n = 0): Array<[number, 'c>s' | 's>c', number, number]> {
  return tcp.log.filter((p) => p.n > n).map((p) => [p.us / 1000 - T0, p.dport === 4151 ? 'c>s' : 's>c', p.flags, p.data.length]);
}
