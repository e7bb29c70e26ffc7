/**
 * The publish traffic over loopback, through the kernel's TCP stack (engine/kernel/tcp): the site's
 * events arrive in the publisher's spool, the app POSTs each one to nsqd on its kept-alive pooled
 * connection the way Net::HTTP does (headers, then body, unless single_write), nsqd (Go: NODELAY
 * on every connection) answers once it has the whole request, and the app notes how long it took.
 * Nothing here knows about 40 ms: what a publish costs is what the stack made of it.
 */
import { accept, close, connect, getSock, listen, read, setsockopt, tcpOf, write, type TcpEvent, type TcpStack } from '../../../kernel/tcp';
import { findProc } from '../../../kernel/procs';
import type { Rng } from '../../../rng';
import { eventBody, nsqdBad, nsqdOk, rubyPost, takeMessage } from './http';
import { APP_LOG } from './files';
import { appendTo, rubyLogLine } from './logs';
import type { Ch2World } from './world';

export const NSQD_HTTP_PORT = 4151;
export const NSQD_TCP_PORT = 4150;
/** the latencies kept for the judge, `graph` and the minute's summary: the newest this many */
export const RECENT = 1000;
/** events the spool holds before the site's writer starts dropping them */
const SPOOL_MAX = 100_000;

export interface PoolConn {
  sock: number;
  /** the handshake is done */
  up: boolean;
  /** response bytes read and not yet a whole response */
  buf: string;
}

export interface ServerConn {
  sock: number;
  buf: string;
  /** when nsqd writes its answer to the request it has (ms), -1 when it has none */
  replyAt: number;
  reply: string;
}

export interface Publish {
  id: number;
  bytes: number;
  /** Time.now before @client.publish */
  start: number;
  /** when Net::HTTP writes (after building the request); -1 once written */
  sendAt: number;
  conn: number;
}

export interface NetState {
  /** nsqd's listening sockets, -1 while it is down */
  httpListener: number;
  tcpListener: number;
  server: ServerConn[];
  pool: PoolConn[];
  turn: number;
  /** events waiting in the spool: id and size */
  spool: Array<[number, number]>;
  nextId: number;
  /** when the site's next event reaches the spool */
  nextArrival: number;
  current: Publish | null;
  /** the newest publishes: [end ms, latency in µs] */
  recent: Array<[number, number]>;
  /** publishes since the app process started, and since the box booted */
  sinceStart: number;
  published: number;
  /** the log's once-a-minute summary: when the current minute began and its latencies (µs) */
  minuteFrom: number;
  minute: number[];
  /** per-minute history for graph: [minute start, count, median µs, p99 µs] */
  history: Array<[number, number, number, number]>;
  /** ids the `publish` command waits on, with their latency once done (µs, -1 while waiting) */
  watched: Array<[number, number]>;
  /** the first moment a run of RECENT publishes in a row was all under a millisecond; -1 never */
  firstFastAt: number;
  /** TCP_NODELAY set on the app's live sockets by hand (setsockopt), which a restart loses */
  liveNodelay: boolean;
}

export function emptyNet(): NetState {
  return {
    httpListener: -1,
    tcpListener: -1,
    server: [],
    pool: [],
    turn: 0,
    spool: [],
    nextId: 1,
    nextArrival: -1,
    current: null,
    recent: [],
    sinceStart: 0,
    published: 0,
    minuteFrom: -1,
    minute: [],
    history: [],
    watched: [],
    firstFastAt: -1,
    liveNodelay: false,
  };
}

const tcp = (w: Ch2World): TcpStack => tcpOf(w.k);

/** the stack's clock to t before a program acts on it (programs act only at moments the stack has reached) */
function at(w: Ch2World, t: number): TcpStack {
  const s = tcp(w);
  if (t > s.now) s.now = t;
  return s;
}

// ---- the site's events ---------------------------------------------------------------------

/** the gap to the site's next event: exponential around the app's steady rate */
export function arrivalGap(w: Ch2World, rng: Rng): number {
  return Math.max(1, -Math.log(1 - rng.next()) * (1000 / w.p.publishRate));
}

/** One event reaches the spool (the site's web side writes it whether or not the app is up). */
export function eventArrives(w: Ch2World, t: number, rng: Rng): void {
  const n = w.net;
  const size = rng.int(w.p.bodyMinBytes, w.p.bodyMaxBytes);
  if (n.spool.length < SPOOL_MAX) n.spool.push([n.nextId++, size]);
  n.nextArrival = t + arrivalGap(w, rng);
  startNext(w, t);
}

/** a publish the `publish` command adds: its id, to wait on */
export function enqueue(w: Ch2World, t: number, size: number): number {
  const n = w.net;
  const id = n.nextId++;
  n.spool.push([id, size]);
  n.watched.push([id, -1]);
  if (n.watched.length > 50) n.watched.shift();
  startNext(w, t);
  return id;
}

// ---- the publisher --------------------------------------------------------------------------

function appRunning(w: Ch2World): boolean {
  return w.app.pid > 0 && w.app.config !== null && !!findProc(w.k, w.app.pid);
}

/** Ruby builds the request between Time.now and the write: a few tenths of a millisecond */
function prepMs(w: Ch2World, id: number): number {
  return 0.22 + ((id * 2654435761) % 1000) / 10_000;
}

/** the app takes the spool's next event when it is free and its connection is there */
function startNext(w: Ch2World, t: number): void {
  const n = w.net;
  if (n.current || n.spool.length === 0 || !appRunning(w)) return;
  if (n.pool.length === 0) return;
  const conn = n.turn % n.pool.length;
  const [id, bytes] = n.spool.shift()!;
  n.turn = (n.turn + 1) % n.pool.length;
  n.current = { id, bytes, start: t, sendAt: t + prepMs(w, id), conn };
}

/** when the app next writes (its request is built), Infinity when it has nothing to write */
export function appSendAt(w: Ch2World): number {
  const c = w.net.current;
  if (!c || c.sendAt < 0) return Infinity;
  const pc = w.net.pool[c.conn];
  // Net::HTTP reconnects a connection the server closed before it writes (the handshake first)
  return pc && pc.up ? c.sendAt : Infinity;
}

/** Net::HTTP#request: the headers in one write, the body in the next (or both in one) */
export function appSends(w: Ch2World, t: number, rng: Rng): void {
  const n = w.net;
  const c = n.current;
  if (!c) return;
  const pc = n.pool[c.conn];
  if (!pc) return;
  const s = at(w, t);
  const sock = getSock(s, pc.sock);
  if (!sock || sock.state !== 'ESTABLISHED') {
    reconnect(w, t, rng, c.conn);
    return;
  }
  const cfg = w.app.config!;
  const req = rubyPost(`/pub?topic=${cfg.topic}`, `127.0.0.1:${NSQD_HTTP_PORT}`, eventBody(c.id, c.bytes));
  c.sendAt = -1;
  if (cfg.singleWrite) write(s, pc.sock, req.head + req.body);
  else {
    write(s, pc.sock, req.head);
    write(s, pc.sock, req.body);
  }
}

function openConn(w: Ch2World, t: number, rng: Rng, lport?: number): PoolConn {
  const s = at(w, t);
  const id = connect(s, rng, { rport: NSQD_HTTP_PORT, lport, uid: w.p.publisherUid });
  if (typeof id !== 'number') return { sock: -1, up: false, buf: '' };
  // the app's own setting, applied right after http.start
  if (w.app.config?.tcpNodelay) setsockopt(s, id, 'TCP_NODELAY', 1);
  return { sock: id, up: false, buf: '' };
}

function reconnect(w: Ch2World, t: number, rng: Rng, i: number): void {
  const pc = w.net.pool[i];
  if (!pc) return;
  if (pc.sock >= 0 && getSock(tcp(w), pc.sock)) close(at(w, t), pc.sock);
  w.net.pool[i] = openConn(w, t, rng);
}

/** the publisher has read its config: it opens its pool (NsqClient#initialize) */
export function appReady(w: Ch2World, t: number, rng: Rng): void {
  const n = w.net;
  const cfg = w.app.config;
  if (!cfg) return;
  n.liveNodelay = false;
  n.sinceStart = 0;
  n.pool = [];
  n.turn = 0;
  for (let i = 0; i < cfg.poolSize; i++) n.pool.push(openConn(w, t, rng, i === 0 ? w.p.clientPort : undefined));
}

/** the publisher's process is gone: the kernel closes its sockets; an event it held goes back */
export function appGone(w: Ch2World, t: number): void {
  const n = w.net;
  const s = at(w, t);
  for (const pc of n.pool) if (pc.sock >= 0 && getSock(s, pc.sock)) close(s, pc.sock);
  n.pool = [];
  if (n.current) n.spool.unshift([n.current.id, n.current.bytes]);
  n.current = null;
  n.liveNodelay = false;
}

function finish(w: Ch2World, t: number): void {
  const n = w.net;
  const c = n.current!;
  n.current = null;
  const us = Math.max(1, Math.round((t - c.start) * 1000));
  n.recent.push([t, us]);
  if (n.recent.length > RECENT) n.recent.shift();
  n.sinceStart++;
  n.published++;
  const wi = n.watched.findIndex(([id]) => id === c.id);
  if (wi >= 0) n.watched[wi]![1] = us;
  if (n.firstFastAt < 0 && n.recent.length >= RECENT && p99Us(n) < 1000) n.firstFastAt = t;
  noteMinute(w, t, us);
  startNext(w, t);
}

// ---- nsqd -----------------------------------------------------------------------------------

/** nsqd is up: it listens on its two loopback ports */
export function nsqdReady(w: Ch2World, t: number): void {
  const s = at(w, t);
  const uid = w.p.nsqUid;
  const h = listen(s, { addr: '127.0.0.1', port: NSQD_HTTP_PORT, backlog: 128, uid });
  const p = listen(s, { addr: '127.0.0.1', port: NSQD_TCP_PORT, backlog: 128, uid });
  w.net.httpListener = typeof h === 'number' ? h : -1;
  w.net.tcpListener = typeof p === 'number' ? p : -1;
}

/** nsqd is gone: its listeners and connections close with it */
export function nsqdGone(w: Ch2World, t: number): void {
  const n = w.net;
  const s = at(w, t);
  for (const id of [n.httpListener, n.tcpListener, ...n.server.map((c) => c.sock)]) if (id >= 0 && getSock(s, id)) close(s, id);
  n.httpListener = -1;
  n.tcpListener = -1;
  n.server = [];
}

/** Go's net/http reads, routes and answers in about a tenth of a millisecond */
const NSQD_SERVICE_MS = 0.11;

function serverReads(w: Ch2World, t: number, sc: ServerConn): void {
  const s = at(w, t);
  const got = read(s, sc.sock);
  if (typeof got === 'string') sc.buf += got;
  if (sc.replyAt >= 0) return;
  const m = takeMessage(sc.buf);
  if (!m) return;
  sc.buf = sc.buf.slice(m.length);
  const [method, target] = m.startLine.split(' ');
  const topic = /^\/pub\?topic=([A-Za-z0-9_.-]{1,64})$/.exec(target ?? '')?.[1];
  if (method === 'POST' && topic && m.body.length > 0) {
    const tp = w.nsqd.topics.find((x) => x.name === topic) ?? (w.nsqd.topics.push({ name: topic, messages: 0, depth: 0 }), w.nsqd.topics[w.nsqd.topics.length - 1]!);
    tp.messages++;
    tp.depth++;
    sc.reply = nsqdOk(t + NSQD_SERVICE_MS);
  } else sc.reply = nsqdBad(t + NSQD_SERVICE_MS, m.body.length === 0 ? 'MSG_EMPTY' : 'INVALID_REQUEST');
  sc.replyAt = t + NSQD_SERVICE_MS;
}

/** when nsqd next writes an answer */
export function nsqdReplyAt(w: Ch2World): number {
  let t = Infinity;
  for (const c of w.net.server) if (c.replyAt >= 0 && c.replyAt < t) t = c.replyAt;
  return t;
}

export function nsqdReplies(w: Ch2World, t: number): void {
  for (const sc of w.net.server) {
    if (sc.replyAt < 0 || sc.replyAt > t) continue;
    const s = at(w, t);
    write(s, sc.sock, sc.reply);
    sc.replyAt = -1;
    sc.reply = '';
    // a pipelined request behind it (curl -d twice on one connection) is served next
    serverReads(w, t, sc);
  }
}

// ---- the stack's events ---------------------------------------------------------------------

/** What each program does when the stack tells it something. */
export function onTcpEvent(w: Ch2World, e: TcpEvent, rng: Rng): void {
  const n = w.net;
  const s = tcp(w);
  if (e.type === 'established' && e.side === 'server' && e.listener === n.httpListener && n.httpListener >= 0) {
    const id = accept(s, n.httpListener);
    if (typeof id === 'number') {
      // Go's net package sets TCP_NODELAY on every TCP connection it makes or accepts
      setsockopt(s, id, 'TCP_NODELAY', 1);
      n.server.push({ sock: id, buf: '', replyAt: -1, reply: '' });
    }
    return;
  }
  const pi = n.pool.findIndex((pc) => pc.sock === e.sock);
  if (pi >= 0) {
    const pc = n.pool[pi]!;
    if (e.type === 'established') {
      pc.up = true;
      startNext(w, e.t);
    } else if (e.type === 'readable') {
      const got = read(s, pc.sock);
      if (typeof got === 'string') pc.buf += got;
      const m = takeMessage(pc.buf);
      if (m && n.current && n.current.conn === pi && n.current.sendAt < 0) {
        pc.buf = pc.buf.slice(m.length);
        finish(w, e.t);
      }
    } else if (e.type === 'eof' || e.type === 'reset' || e.type === 'closed') {
      // the server went away: Net::HTTP notices at its next request and opens a new connection
      pc.up = false;
      if (e.type === 'eof') close(s, pc.sock);
      if (n.current && n.current.conn === pi) {
        n.current.sendAt = Math.max(n.current.sendAt, e.t);
        reconnect(w, e.t, rng, pi);
      } else if (appRunning(w)) reconnect(w, e.t, rng, pi);
    }
    return;
  }
  const sc = n.server.find((c) => c.sock === e.sock);
  if (!sc) return;
  if (e.type === 'readable') serverReads(w, e.t, sc);
  else if (e.type === 'eof') {
    close(s, sc.sock);
    n.server = n.server.filter((c) => c !== sc);
  } else if (e.type === 'reset' || e.type === 'closed') n.server = n.server.filter((c) => c !== sc);
}

// ---- what the app logs, and the numbers the judge reads ------------------------------------

const MINUTE = 60_000;

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

export function p99Us(n: NetState): number {
  return quantile(n.recent.map((r) => r[1]).sort((a, b) => a - b), 0.99);
}

export function p50Us(n: NetState): number {
  return quantile(n.recent.map((r) => r[1]).sort((a, b) => a - b), 0.5);
}

const ms = (us: number): string => (us / 1000).toFixed(2);

/** the app logs a summary line a minute (per-publish lines are at DEBUG, which it does not log) */
function noteMinute(w: Ch2World, t: number, us: number): void {
  const n = w.net;
  if (n.minuteFrom < 0) n.minuteFrom = Math.floor(t / MINUTE) * MINUTE;
  flushMinutes(w, t);
  n.minute.push(us);
}

/** closes the minutes that ended by t: a log line and a point of history each */
export function flushMinutes(w: Ch2World, t: number): void {
  const n = w.net;
  while (n.minuteFrom >= 0 && t >= n.minuteFrom + MINUTE) {
    const end = n.minuteFrom + MINUTE;
    if (n.minute.length > 0) {
      const sorted = n.minute.slice().sort((a, b) => a - b);
      const med = quantile(sorted, 0.5);
      const p99 = quantile(sorted, 0.99);
      n.history.push([n.minuteFrom, sorted.length, med, p99]);
      if (n.history.length > 24 * 60) n.history.shift();
      const pid = w.app.pid;
      if (pid > 0 && w.app.config) {
        appendTo(
          w,
          APP_LOG,
          rubyLogLine(end, pid, 'INFO', `published ${sorted.length} events to ${w.app.config.topic} in the last 60s: median ${ms(med)}ms, p99 ${ms(p99)}ms, max ${ms(sorted[sorted.length - 1]!)}ms`),
          end,
          0o644,
          'publisher',
        );
      }
    }
    n.minute = [];
    n.minuteFrom = end;
  }
}
