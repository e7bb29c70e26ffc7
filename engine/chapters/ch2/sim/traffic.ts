/**
 * The publish traffic over loopback, through the kernel's TCP stack (engine/kernel/tcp): the site's
 * events arrive in the publisher's spool, the app POSTs each one to nsqd on its kept-alive pooled
 * connection the way Net::HTTP does (headers, then body, unless single_write), nsqd (Go: NODELAY
 * on every connection) answers once it has the whole request, and the app notes how long it took.
 * Nothing here knows about 40 ms: what a publish costs is what the stack made of it.
 */
import { accept, close, connect, getSock, listen, read, setsockopt, tcpOf, write, type TcpEvent, type TcpStack } from '../../../kernel/tcp';
import { findProc } from '../../../kernel/procs';
import { closeSocketFd, openSocketFd, socketInode } from '../../../machine/tcp';
import type { Rng } from '../../../rng';
import { eventBody, nsqdBad, nsqdOk, rubyPost, takeMessage } from './http';
import { APP_LOG } from './files';
import { appendTo, rubyLogLine } from './logs';
import type { Ch2World } from './world';

export const NSQD_HTTP_PORT = 4151;
export const NSQD_TCP_PORT = 4150;
export { RECENT, emptyNet, type NetState, type PoolConn, type Publish, type ServerConn } from './netState';
import { RECENT, type NetState, type PoolConn, type ServerConn } from './netState';
/** events the spool holds before the site's writer starts dropping them */
const SPOOL_MAX = 100_000;

const tcp = (w: Ch2World): TcpStack => tcpOf(w.k);

/** the descriptors the programs hold their sockets on (ss -p, lsof): the app's pool from 6, nsqd's listeners on 3 and 5, its connections from 7 */
const APP_FD_BASE = 6;
const NSQD_TCP_FD = 3;
const NSQD_HTTP_FD = 5;
const NSQD_CONN_FD = 7;

const ERRNOS: ReadonlySet<string> = new Set(['EADDRINUSE', 'EPIPE', 'ENOTCONN', 'EINVAL', 'EAGAIN', 'EBADF']);

/** what read() gives, '' when it gives an error instead of bytes (nothing to read, a socket gone) */
function readBytes(s: TcpStack, id: number): string {
  const got = read(s, id);
  return ERRNOS.has(got) ? '' : got;
}

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

/**
 * A burst of the site's events at t, all reaching the spool at once (a facilitator's injection);
 * the app publishes them one after another as it does any backlog. Returns how many got in.
 */
export function burstArrives(w: Ch2World, t: number, count: number, rng: Rng): number {
  const n = w.net;
  let added = 0;
  for (; added < count && n.spool.length < SPOOL_MAX; added++) n.spool.push([n.nextId++, rng.int(w.p.bodyMinBytes, w.p.bodyMaxBytes)]);
  startNext(w, t);
  return added;
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
    dropConn(w, t, c.conn);
    return;
  }
  const cfg = w.app.config!;
  const req = rubyPost(`/pub?topic=${cfg.topic}`, `127.0.0.1:${NSQD_HTTP_PORT}`, eventBody(c.id, c.bytes));
  c.sendAt = -1;
  c.wroteAt = t;
  c.head = cfg.singleWrite ? req.head.length + req.body.length : req.head.length;
  c.body = cfg.singleWrite ? 0 : req.body.length;
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
  // ruby's first free descriptors after its timer pipe (3, 4) and the log (5); see syscalls.ts
  getSock(s, id)!.inode = socketInode(w, id);
  openSocketFd(w, id, w.app.pid, APP_FD_BASE + w.net.pool.length);
  return { sock: id, up: false, buf: '' };
}

/** a pooled connection is gone: Net::HTTP opens a new one before its next request */
function dropConn(w: Ch2World, t: number, i: number): void {
  const pc = w.net.pool[i];
  if (!pc) return;
  if (pc.sock >= 0 && getSock(tcp(w), pc.sock)) close(at(w, t), pc.sock);
  if (pc.sock >= 0) closeSocketFd(w, pc.sock);
  pc.sock = -1;
  pc.up = false;
  pc.buf = '';
  if (appRunning(w)) w.net.connectAt = t;
}

/** the publisher has read its config: NsqClient#initialize opens the pool right away */
export function appReady(w: Ch2World, t: number): void {
  w.net.connectAt = t;
}

export function openPool(w: Ch2World, t: number, rng: Rng): void {
  const n = w.net;
  n.connectAt = -1;
  const cfg = w.app.config;
  if (!cfg) return;
  if (n.pool.length === cfg.poolSize) {
    // connections the server closed since: opened again
    n.pool.forEach((pc, i) => {
      if (pc.sock < 0) n.pool[i] = openConn(w, t, rng);
    });
    return;
  }
  n.sinceStart = 0;
  n.slowSinceStart = 0;
  // App#initialize: the minute's window starts with the process
  n.minute = [];
  n.minuteFrom = t;
  n.pool = [];
  n.turn = 0;
  // the seeded port is the first connection's; later ones take the next ephemeral port, as a
  // connect() does while the old connection's end waits out TIME_WAIT on its own port
  const seeded = !tcp(w).sockets.some((x) => x.lport === w.p.clientPort);
  for (let i = 0; i < cfg.poolSize; i++) n.pool.push(openConn(w, t, rng, i === 0 && seeded ? w.p.clientPort : undefined));
  // the site's events have been reaching the spool since the box came up
  if (n.nextArrival < 0) n.nextArrival = Math.max(t, n.trafficFrom) + arrivalGap(w, rng);
}

/** the publisher's process is gone: the kernel closes its sockets; an event it held goes back */
export function appGone(w: Ch2World, t: number): void {
  const n = w.net;
  const s = at(w, t);
  for (const pc of n.pool) {
    if (pc.sock >= 0 && getSock(s, pc.sock)) close(s, pc.sock);
    if (pc.sock >= 0) closeSocketFd(w, pc.sock);
  }
  n.pool = [];
  if (n.current) n.spool.unshift([n.current.id, n.current.bytes]);
  n.current = null;
  n.connectAt = -1;
  n.sinceStart = 0;
  n.slowSinceStart = 0;
}

/** the ring of publishes strace reads */
const TIMELINE = 200;

function finish(w: Ch2World, t: number, answer: number): void {
  const n = w.net;
  const c = n.current!;
  n.current = null;
  const port = getSock(tcp(w), n.pool[c.conn]?.sock ?? -1)?.lport ?? 0;
  n.timeline.push([c.id, c.start, c.wroteAt ?? c.start, c.head ?? 0, c.body ?? 0, t, answer, port]);
  if (n.timeline.length > TIMELINE) n.timeline.shift();
  const us = Math.max(1, Math.round((t - c.start) * 1000));
  n.recent.push([t, us]);
  if (us >= 1000) n.slowInRecent++;
  if (n.recent.length > RECENT && n.recent.shift()![1] >= 1000) n.slowInRecent--;
  n.sinceStart++;
  if (us >= 1000) n.slowSinceStart = (n.slowSinceStart ?? 0) + 1;
  n.published++;
  const wi = n.watched.findIndex(([id]) => id === c.id);
  if (wi >= 0) n.watched[wi]![1] = us;
  if (n.firstFastAt < 0 && n.recent.length >= RECENT && n.slowInRecent * 100 <= RECENT) n.firstFastAt = t;
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
  if (typeof h === 'number') getSock(s, h)!.inode = socketInode(w, h);
  if (typeof p === 'number') getSock(s, p)!.inode = socketInode(w, p);
  w.net.httpListener = typeof h === 'number' ? h : -1;
  w.net.tcpListener = typeof p === 'number' ? p : -1;
  if (typeof p === 'number') openSocketFd(w, p, w.nsqd.pid, NSQD_TCP_FD);
  if (typeof h === 'number') openSocketFd(w, h, w.nsqd.pid, NSQD_HTTP_FD);
}

/** nsqd is gone: its listeners and connections close with it */
export function nsqdGone(w: Ch2World, t: number): void {
  const n = w.net;
  const s = at(w, t);
  for (const id of [n.httpListener, n.tcpListener, ...n.server.map((c) => c.sock)]) {
    if (id >= 0 && getSock(s, id)) close(s, id);
    if (id >= 0) closeSocketFd(w, id);
  }
  n.httpListener = -1;
  n.tcpListener = -1;
  n.server = [];
}

/**
 * nsqd reads a whole request and answers it in the same instant (Go's handler takes tens of
 * microseconds, which the stack's clock does not need to see: the answer is one write, so nothing
 * else can happen in between), then serves a pipelined request behind it, if any.
 */
function serverReads(w: Ch2World, t: number, sc: ServerConn): void {
  const s = at(w, t);
  sc.buf += readBytes(s, sc.sock);
  for (;;) {
    const m = takeMessage(sc.buf);
    if (!m) return;
    sc.buf = sc.buf.slice(m.length);
    const [method, target] = m.startLine.split(' ');
    const topic = /^\/pub\?topic=([A-Za-z0-9_.-]{1,64})$/.exec(target ?? '')?.[1];
    let reply: string;
    if (method === 'POST' && topic && m.body.length > 0) {
      let tp = w.nsqd.topics.find((x) => x.name === topic);
      if (!tp) w.nsqd.topics.push((tp = { name: topic, messages: 0, depth: 0 }));
      tp.messages++;
      tp.depth++;
      reply = nsqdOk(t);
    } else reply = nsqdBad(t, m.body.length === 0 ? 'MSG_EMPTY' : 'INVALID_REQUEST');
    write(s, sc.sock, reply);
  }
}

// ---- the stack's events ---------------------------------------------------------------------

/** What each program does when the stack tells it something. */
export function onTcpEvent(w: Ch2World, e: TcpEvent): void {
  const n = w.net;
  const s = tcp(w);
  if (e.type === 'established' && e.side === 'server' && e.listener === n.httpListener && n.httpListener >= 0) {
    const id = accept(s, n.httpListener, e.sock >= 0 ? socketInode(w, e.sock) : 0);
    if (typeof id === 'number') {
      // Go's net package sets TCP_NODELAY on every TCP connection it makes or accepts
      setsockopt(s, id, 'TCP_NODELAY', 1);
      const used = new Set(n.server.map((c) => c.fd));
      let fd = NSQD_CONN_FD;
      while (used.has(fd)) fd++;
      openSocketFd(w, id, w.nsqd.pid, fd);
      n.server.push({ sock: id, buf: '', fd });
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
      pc.buf += readBytes(s, pc.sock);
      const m = takeMessage(pc.buf);
      if (m && n.current && n.current.conn === pi && n.current.sendAt < 0) {
        pc.buf = pc.buf.slice(m.length);
        finish(w, e.t, m.length);
      }
    } else if (e.type === 'eof' || e.type === 'reset' || e.type === 'closed') {
      // the server went away: Net::HTTP notices and opens a new connection for its next request
      if (n.current && n.current.conn === pi) {
        // the request in flight is sent again on the new connection
        n.current.sendAt = e.t;
        pc.buf = '';
      }
      dropConn(w, e.t, pi);
    }
    return;
  }
  const sc = n.server.find((c) => c.sock === e.sock);
  if (!sc) return;
  if (e.type === 'readable') serverReads(w, e.t, sc);
  else if (e.type === 'eof') {
    close(s, sc.sock);
    closeSocketFd(w, sc.sock);
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

/** App#report: after a publish, once a minute has passed since the window began, a summary line */
function noteMinute(w: Ch2World, t: number, us: number): void {
  const n = w.net;
  if (n.minuteFrom < 0) n.minuteFrom = t;
  n.minute.push(us);
  if (t - n.minuteFrom < MINUTE) return;
  const sorted = n.minute.slice().sort((a, b) => a - b);
  const med = sorted[Math.floor((sorted.length - 1) / 2)]!;
  const p99 = quantile(sorted, 0.99);
  const pid = w.app.pid;
  if (pid > 0 && w.app.config) {
    const line = `published ${sorted.length} events to ${w.app.config.topic} in the last 60s: median ${ms(med)}ms, p99 ${ms(p99)}ms, max ${ms(sorted[sorted.length - 1]!)}ms`;
    appendTo(w, APP_LOG, rubyLogLine(t, pid, 'INFO', line), t, 0o644, 'publisher');
  }
  n.minute = [];
  n.minuteFrom = t;
}
