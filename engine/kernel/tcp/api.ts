/**
 * The socket calls an application makes and the clock that drives the stack. Every call acts at
 * tcp.now: bring the stack to time t with runUntil(tcp, t, ...) first. Errors a program could meet
 * come back as errno strings, EBADF for a socket that is gone (after 'reset' or 'closed', or
 * after close()).
 */
import type { Rng } from '../../rng';
import { DEFAULT_HZ, EPHEMERAL_HIGH, EPHEMERAL_LOW } from './constants';
import { receive } from './input';
import { jiffiesAt, msOfJiffies, seqAdd } from './jiffies';
import { cleanupRbuf, delackTimer, sendReset, sendSyn, writeXmit } from './output';
import { newSock, removeSock } from './sockets';
import type { TcpEvent, TcpSock, TcpStack } from './types';

export interface TcpStackOptions {
  /** virtual ms of boot: where jiffies (and TSval) start; default 0 */
  bootMs?: number;
  /** virtual ms the stack starts at; default bootMs */
  now?: number;
  hz?: number;
  /** how many segments the packet log keeps; default 4096 */
  logCap?: number;
  /** loopback cost per segment: base ns + ns per payload byte; default 4000 + 0.25/byte */
  loBaseNs?: number;
  loPerByteNs?: number;
}

export function createTcpStack(o: TcpStackOptions = {}): TcpStack {
  const bootMs = o.bootMs ?? 0;
  return {
    hz: o.hz ?? DEFAULT_HZ,
    bootMs,
    now: o.now ?? bootMs,
    loBaseNs: o.loBaseNs ?? 4000,
    loPerByteNs: o.loPerByteNs ?? 0.25,
    routeQuickack: false,
    sysctl: { timestamps: 1, sack: 1, windowScaling: 1, finTimeout: 60, slowStartAfterIdle: 1 },
    nextSockId: 1,
    nextPort: 0,
    sockets: [],
    wire: [],
    log: [],
    logCap: o.logCap ?? 4096,
    logCount: 0,
  };
}

export type TcpErrno = 'EADDRINUSE' | 'EPIPE' | 'ENOTCONN' | 'EINVAL' | 'EAGAIN' | 'EBADF';

export function getSock(tcp: TcpStack, id: number): TcpSock | undefined {
  return tcp.sockets.find((s) => s.id === id);
}

/** the socket a program still holds: not orphaned by its close() */
function owned(tcp: TcpStack, id: number): TcpSock | undefined {
  const s = getSock(tcp, id);
  return s && !s.orphan ? s : undefined;
}

export interface ListenOptions {
  addr?: string;
  port: number;
  backlog?: number;
  uid?: number;
  inode?: number;
}

/** socket() + bind() + listen(): the listener's id, or EADDRINUSE */
export function listen(tcp: TcpStack, o: ListenOptions): number | TcpErrno {
  const addr = o.addr ?? '0.0.0.0';
  if (tcp.sockets.some((s) => s.state === 'LISTEN' && s.lport === o.port && (s.laddr === addr || s.laddr === '0.0.0.0' || addr === '0.0.0.0'))) return 'EADDRINUSE';
  const s = newSock(tcp, { laddr: addr, lport: o.port, raddr: '0.0.0.0', rport: 0, uid: o.uid ?? 0, inode: o.inode ?? 0 });
  s.state = 'LISTEN';
  s.backlog = o.backlog ?? 128;
  return s.id;
}

export interface ConnectOptions {
  raddr?: string;
  rport: number;
  laddr?: string;
  /** a fixed local port; by default the next ephemeral one */
  lport?: number;
  uid?: number;
  inode?: number;
}

function ephemeralPort(tcp: TcpStack, rng: Rng, laddr: string, raddr: string, rport: number): number {
  const span = EPHEMERAL_HIGH - EPHEMERAL_LOW;
  if (!tcp.nextPort) tcp.nextPort = rng.int(EPHEMERAL_LOW, EPHEMERAL_HIGH - 1);
  for (let i = 0; i < span; i++) {
    const p = EPHEMERAL_LOW + ((tcp.nextPort - EPHEMERAL_LOW + i) % span);
    if (!tcp.sockets.some((s) => s.lport === p && s.laddr === laddr && s.raddr === raddr && s.rport === rport)) {
      tcp.nextPort = p + 1 >= EPHEMERAL_HIGH ? EPHEMERAL_LOW : p + 1;
      return p;
    }
  }
  return 0;
}

/** socket() + connect(): sends the SYN now; 'established' (or 'reset' when refused) follows */
export function connect(tcp: TcpStack, rng: Rng, o: ConnectOptions): number | TcpErrno {
  const laddr = o.laddr ?? '127.0.0.1';
  const raddr = o.raddr ?? '127.0.0.1';
  const lport = o.lport ?? ephemeralPort(tcp, rng, laddr, raddr, o.rport);
  if (!lport) return 'EADDRINUSE';
  const s = newSock(tcp, { laddr, lport, raddr, rport: o.rport, uid: o.uid ?? 0, inode: o.inode ?? 0 });
  s.state = 'SYN_SENT';
  s.iss = rng.nextU32();
  s.writeSeq = s.sndSml = seqAdd(s.iss, 1);
  s.ipId = (s.iss ^ jiffiesAt(tcp, tcp.now)) & 0xffff;
  sendSyn(tcp, s);
  return s.id;
}

/** accept(): the oldest established connection of a listener (it gets its file, and inode, now) */
export function accept(tcp: TcpStack, listener: number, inode = 0): number | TcpErrno {
  const l = owned(tcp, listener);
  if (!l) return 'EBADF';
  if (l.state !== 'LISTEN') return 'EINVAL';
  const id = l.acceptQueue.shift();
  if (id === undefined) return 'EAGAIN';
  const c = getSock(tcp, id)!;
  c.listener = 0;
  c.inode = inode;
  return id;
}

/** write(): bytes (a byte string: one char per byte) join the write queue and go as Nagle allows */
export function write(tcp: TcpStack, id: number, bytes: string): number | TcpErrno {
  const s = owned(tcp, id);
  if (!s) return 'EBADF';
  if (s.finQueued || !(s.state === 'ESTABLISHED' || s.state === 'CLOSE_WAIT' || s.state === 'SYN_SENT')) return s.state === 'LISTEN' ? 'ENOTCONN' : 'EPIPE';
  if (bytes.length === 0) return 0;
  s.unsent += bytes;
  s.writeSeq = seqAdd(s.writeSeq, bytes.length);
  s.pushMarks.push(s.writeSeq);
  writeXmit(tcp, s);
  return bytes.length;
}

/** writev(): all parts in one call, so they go out as one segment when they fit */
export function writev(tcp: TcpStack, id: number, parts: readonly string[]): number | TcpErrno {
  return write(tcp, id, parts.join(''));
}

/** read(): up to max bytes; '' at end of file; EAGAIN when nothing has arrived yet */
export function read(tcp: TcpStack, id: number, max = Infinity): string | TcpErrno {
  const s = owned(tcp, id);
  if (!s) return 'EBADF';
  if (s.state === 'LISTEN') return 'ENOTCONN';
  if (!s.recvQueue.length) {
    if (s.finReceived) {
      s.finRead = true;
      return '';
    }
    return 'EAGAIN';
  }
  const n = Math.min(max, s.recvQueue.length);
  const out = s.recvQueue.slice(0, n);
  s.recvQueue = s.recvQueue.slice(n);
  // an skb is freed, and its charge released, once all its bytes are read
  let left = n;
  while (left > 0 && s.recvSkbs.length) {
    const skb = s.recvSkbs[0]!;
    const take = Math.min(left, skb[0]);
    skb[0] -= take;
    left -= take;
    if (skb[0] === 0) {
      s.rmemAlloc -= skb[1];
      s.recvSkbs.shift();
    }
  }
  cleanupRbuf(tcp, s, n);
  return out;
}

/** close(): FIN after the queued data, a RST when unread data is thrown away; the socket is orphaned */
export function close(tcp: TcpStack, id: number): 0 | TcpErrno {
  const s = owned(tcp, id);
  if (!s) return 'EBADF';
  s.orphan = true;
  if (s.state === 'LISTEN') {
    for (const c of tcp.sockets.filter((x) => x.listener === s.id)) {
      sendReset(tcp, c);
      removeSock(tcp, c);
    }
    removeSock(tcp, s);
  } else if (s.state === 'SYN_SENT') {
    removeSock(tcp, s);
  } else if (s.recvQueue.length > 0) {
    sendReset(tcp, s);
    removeSock(tcp, s);
  } else if (s.state === 'ESTABLISHED' || s.state === 'CLOSE_WAIT') {
    s.state = s.state === 'ESTABLISHED' ? 'FIN_WAIT1' : 'LAST_ACK';
    s.finQueued = true;
    writeXmit(tcp, s);
  }
  return 0;
}

export type TcpSockopt = 'TCP_NODELAY' | 'TCP_CORK' | 'TCP_QUICKACK';

/** setsockopt(IPPROTO_TCP, ...) as do_tcp_setsockopt does it */
export function setsockopt(tcp: TcpStack, id: number, name: TcpSockopt, value: number): 0 | TcpErrno {
  const s = owned(tcp, id);
  if (!s) return 'EBADF';
  if (name === 'TCP_NODELAY') {
    s.nodelay = value !== 0;
    // turning it on pushes what waits, even past a cork
    if (s.nodelay) writeXmit(tcp, s, true);
  } else if (name === 'TCP_CORK') {
    s.cork = value !== 0;
    if (!s.cork) writeXmit(tcp, s, s.nodelay);
  } else if (value === 0) {
    s.ack.pingpong = true;
  } else {
    // not sticky: the connection is simply out of interactive mode until it answers again
    s.ack.pingpong = false;
    if ((s.state === 'ESTABLISHED' || s.state === 'CLOSE_WAIT') && s.ack.sched) {
      s.ack.pushed = true;
      cleanupRbuf(tcp, s, 1);
      if (!(value & 1)) s.ack.pingpong = true;
    }
  }
  return 0;
}

export function getsockopt(tcp: TcpStack, id: number, name: TcpSockopt): number | TcpErrno {
  const s = owned(tcp, id);
  if (!s) return 'EBADF';
  if (name === 'TCP_NODELAY') return s.nodelay ? 1 : 0;
  if (name === 'TCP_CORK') return s.cork ? 1 : 0;
  return s.ack.pingpong ? 0 : 1;
}

/** `ip route change ... quickack 1|0` on the loopback route (RTAX_QUICKACK) */
export function setRouteQuickack(tcp: TcpStack, on: boolean): void {
  tcp.routeQuickack = on;
}

/** when the stack next has something to do (a segment arriving, a timer), or null when idle */
export function nextEventAt(tcp: TcpStack): number | null {
  let t = tcp.wire.length ? tcp.wire[0]!.at : Infinity;
  for (const s of tcp.sockets) {
    if (s.ack.timer) t = Math.min(t, msOfJiffies(tcp, s.ack.timeout));
    if (s.expires && (s.state === 'TIME_WAIT' || s.state === 'FIN_WAIT2')) t = Math.min(t, s.expires);
  }
  return t === Infinity ? null : Math.max(t, tcp.now);
}

const NO_EVENTS: readonly TcpEvent[] = [];

/** does the one thing due at tcp.now: the next arriving segment first, then timers in socket order */
function step(tcp: TcpStack, rng: Rng): readonly TcpEvent[] {
  const w = tcp.wire[0];
  if (w && w.at <= tcp.now) {
    tcp.wire.shift();
    return receive(tcp, w.pkt, () => rng.nextU32());
  }
  for (const s of tcp.sockets) {
    if (s.ack.timer && msOfJiffies(tcp, s.ack.timeout) <= tcp.now) {
      delackTimer(tcp, s);
      return NO_EVENTS;
    }
    if (s.expires && s.expires <= tcp.now && (s.state === 'TIME_WAIT' || s.state === 'FIN_WAIT2')) {
      removeSock(tcp, s);
      return [{ type: 'closed', t: tcp.now, sock: s.id }];
    }
  }
  return NO_EVENTS;
}

/**
 * Runs the stack up to virtual time t. Each event goes to onEvent at its own time (tcp.now is that
 * time), after the kernel's own reaction to the segment; the application may call write, read,
 * close or setsockopt from onEvent, and what that sends is simulated in the same run. The rng
 * draws the ISNs of passive opens.
 */
export function runUntil(tcp: TcpStack, t: number, rng: Rng, onEvent: (e: TcpEvent) => void = () => undefined): void {
  for (;;) {
    const next = nextEventAt(tcp);
    if (next === null || next > t) break;
    tcp.now = next;
    for (const e of step(tcp, rng)) onEvent(e);
  }
  if (t > tcp.now) tcp.now = t;
}

/** segments logged after capture number n (tcpdump started at logCount reads what follows) */
export function packetsSince(tcp: TcpStack, n: number) {
  return tcp.log.filter((p) => p.n > n);
}
