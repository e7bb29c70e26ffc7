/**
 * The receiving half (net/ipv4/tcp_input.c of 3.16): the handshake, ACK processing (RTT samples,
 * the send window, FIN states), in-order data with the delayed-ACK engine's bookkeeping
 * (tcp_event_data_recv: quick-ACK credits on the first data, ato from inter-arrival gaps), the FIN,
 * and then tcp_data_snd_check and tcp_ack_snd_check in the kernel's order.
 */
import { TH_ACK, TH_FIN, TH_RST, TH_SYN, optionsLength, type TcpPacketRecord } from '../../formats/packet';
import { atoMin, LO_ADVMSS, LO_PMTU, MAX_TCP_HEADER, SKB_HEAD_PAYLOAD, SKB_OVERHEAD, SMALL_SKB_TRUESIZE, TCP_MAX_QUICKACKS, TCP_RMEM_MAX, TCP_TIMEWAIT_LEN_MS } from './constants';
import { after, before, jiffiesAt, jiffiesToUsecs, seqAdd, seqDiff, tsVal } from './jiffies';
import { ackSndCheck, putOnWire, sendAck, sendSynAck, tcpSpace, winFromSpace, writeXmit } from './output';
import { rttSample } from './rtt';
import { newSock, removeSock } from './sockets';
import type { TcpEvent, TcpSock, TcpStack, TcpStateName } from './types';

/** tcp_incr_quickack(): credits for about a window of segments of the size seen so far, at most 16 */
function incrQuickack(s: TcpSock): void {
  let quickacks = Math.floor(s.rcvWnd / (2 * s.ack.rcvMss));
  if (quickacks === 0) quickacks = 2;
  if (quickacks > s.ack.quick) s.ack.quick = Math.min(quickacks, TCP_MAX_QUICKACKS);
}

/** tcp_measure_rcv_mss(): learn the peer's MSS; small segments mark the ACK as "pushed" */
function measureRcvMss(s: TcpSock, len: number, flags: number, hdrLen: number): void {
  const a = s.ack;
  const lss = a.lastSegSize;
  a.lastSegSize = 0;
  if (len >= a.rcvMss) {
    a.rcvMss = len;
    return;
  }
  const withHdr = len + hdrLen;
  const remnant = (flags & (TH_FIN | TH_SYN | 0x08 | 0x20)) !== 0;
  if (withHdr >= 536 + 20 || (withHdr >= 88 + 20 && !remnant)) {
    const l = withHdr - (20 + (s.tsOk ? 12 : 0));
    a.lastSegSize = l;
    if (l === lss) {
      a.rcvMss = l;
      return;
    }
  }
  if (a.pushed) a.pushed2 = true;
  a.pushed = true;
}

function rcvRttUpdate(s: TcpSock, sample: number, winDep: boolean): void {
  let m = sample === 0 ? 1 : sample;
  let rtt = s.rcvRtt;
  if (rtt !== 0) {
    if (!winDep) {
      m -= rtt >> 3;
      rtt += m;
    } else {
      m <<= 3;
      if (m < rtt) rtt = m;
    }
  } else rtt = m << 3;
  s.rcvRtt = rtt;
}

/** what an skb carrying len bytes of a loopback write costs the receive buffer */
export const skbTruesize = (len: number): number => SMALL_SKB_TRUESIZE + Math.max(0, len - SKB_HEAD_PAYLOAD);

/**
 * tcp_grow_window(): an in-order segment of 128 bytes or more whose overhead the buffer can carry
 * raises rcv_ssthresh (the window offered grows: 342, 350, ... on lo) and grants a quick ACK.
 */
function growWindow(s: TcpSock, len: number, truesize: number): void {
  if (!(s.rcvSsthresh < s.windowClamp && s.rcvSsthresh < tcpSpace(s))) return;
  let incr = 0;
  if (winFromSpace(truesize) <= len) incr = 2 * s.advmss;
  else {
    let ts = winFromSpace(truesize) >> 1;
    let window = winFromSpace(TCP_RMEM_MAX) >> 1;
    while (s.rcvSsthresh <= window) {
      if (ts <= len) {
        incr = 2 * s.ack.rcvMss;
        break;
      }
      ts >>= 1;
      window >>= 1;
    }
  }
  if (incr) {
    incr = Math.max(incr, 2 * len);
    s.rcvSsthresh = Math.min(s.rcvSsthresh + incr, s.windowClamp);
    s.ack.quick |= 1;
  }
}

/** tcp_event_data_recv() */
function dataRecv(tcp: TcpStack, s: TcpSock, len: number, flags: number, hdrLen: number): void {
  const a = s.ack;
  const j = jiffiesAt(tcp, tcp.now);
  a.sched = true;
  measureRcvMss(s, len, flags, hdrLen);
  // tcp_rcv_rtt_measure: how long a window's worth of data takes to arrive
  if (s.rcvRttTime < 0 || !before(s.rcvNxt, s.rcvRttSeq)) {
    if (s.rcvRttTime >= 0) rcvRttUpdate(s, j - s.rcvRttTime, true);
    s.rcvRttSeq = seqAdd(s.rcvNxt, s.rcvWnd);
    s.rcvRttTime = j;
  }
  const min = atoMin(tcp.hz);
  if (!a.ato) {
    // the first data of the connection: start the delayed-ACK engine with quick ACKs
    incrQuickack(s);
    a.ato = min;
  } else {
    const m = j - a.lrcvtime;
    if (m <= min / 2) a.ato = (a.ato >> 1) + Math.floor(min / 2);
    else if (m < a.ato) a.ato = Math.min((a.ato >> 1) + m, s.rto);
    else if (m > s.rto) incrQuickack(s);
  }
  a.lrcvtime = j;
  if (len >= 128) growWindow(s, len, skbTruesize(len));
}

/**
 * tcp_sync_mss() with tcp_bound_to_half_wnd(): no segment larger than half the biggest window
 * the peer has offered. On lo the first window is 43690 bytes, so the send MSS is 21845, then
 * 21888 once the scaled 342 (43776) arrives: below the path's 65483.
 */
function syncMss(s: TcpSock): void {
  const cutoff = s.maxWindow >= 512 ? s.maxWindow >> 1 : s.maxWindow;
  s.mss = cutoff && s.pathMss > cutoff ? Math.max(cutoff, 68 - (20 + (s.tsOk ? 12 : 0))) : s.pathMss;
}

function updateWindow(s: TcpSock, wnd: number): void {
  s.sndWnd = wnd;
  if (wnd > s.maxWindow) {
    s.maxWindow = wnd;
    syncMss(s);
  }
}

function setTimeWait(tcp: TcpStack, s: TcpSock): void {
  s.state = 'TIME_WAIT';
  s.expires = tcp.now + TCP_TIMEWAIT_LEN_MS;
  s.ack.timer = false;
  s.ack.sched = false;
}

/** tcp_fin(): the peer is done sending */
function onFin(tcp: TcpStack, s: TcpSock, ev: TcpEvent[]): void {
  s.ack.sched = true;
  s.finReceived = true;
  switch (s.state) {
    case 'SYN_RECV':
    case 'ESTABLISHED':
      s.state = 'CLOSE_WAIT';
      if (!tcp.routeQuickack) s.ack.pingpong = true;
      break;
    case 'FIN_WAIT1':
      sendAck(tcp, s);
      s.state = 'CLOSING';
      break;
    case 'FIN_WAIT2':
      sendAck(tcp, s);
      setTimeWait(tcp, s);
      break;
    default:
      break;
  }
  if (!s.orphan) ev.push({ type: 'eof', t: tcp.now, sock: s.id });
}

/** tcp_ack(): what the peer has received, its window, an RTT sample, and the FIN states it ends */
function onAck(tcp: TcpStack, s: TcpSock, p: TcpPacketRecord, ev: TcpEvent[]): boolean {
  if (after(p.ack, s.sndNxt) || before(p.ack, s.sndUna)) return true;
  s.rcvTstamp = jiffiesAt(tcp, tcp.now);
  updateWindow(s, p.win * 2 ** s.sndWscale);
  if (!after(p.ack, s.sndUna)) return true;
  s.sndUna = p.ack;
  let first: number | null = null;
  while (s.inflight.length && !after(s.inflight[0]!.end, p.ack)) {
    const seg = s.inflight.shift()!;
    if (first === null) first = seg.at;
  }
  if (first !== null) rttSample(tcp, s, (tcp.now - first) * 1000);
  // tcp_rearm_rto: restarted while data is out, stopped when all is acked
  s.rtoArmedJ = s.inflight.length ? jiffiesAt(tcp, tcp.now) : -1;
  if (s.finSent && p.ack === s.sndNxt) {
    if (s.state === 'FIN_WAIT1') {
      s.state = 'FIN_WAIT2';
      if (s.orphan) s.expires = tcp.now + tcp.sysctl.finTimeout * 1000;
    } else if (s.state === 'CLOSING') setTimeWait(tcp, s);
    else if (s.state === 'LAST_ACK') {
      removeSock(tcp, s);
      ev.push({ type: 'closed', t: tcp.now, sock: s.id });
      return false;
    }
  }
  return true;
}

function tsOf(p: TcpPacketRecord): { val: number; ecr: number } | null {
  for (const o of p.options) if (o.kind === 'TS') return { val: o.val, ecr: o.ecr };
  return null;
}

function findSock(tcp: TcpStack, p: TcpPacketRecord): TcpSock | undefined {
  for (const s of tcp.sockets) if (s.lport === p.dport && s.rport === p.sport && s.state !== 'LISTEN' && s.laddr === p.dst && s.raddr === p.src) return s;
  return undefined;
}

function findListener(tcp: TcpStack, p: TcpPacketRecord): TcpSock | undefined {
  return tcp.sockets.find((s) => s.state === 'LISTEN' && s.lport === p.dport && (s.laddr === p.dst || s.laddr === '0.0.0.0'));
}

/** tcp_v4_send_reset(): nobody is listening, or the segment fits no connection */
function replyReset(tcp: TcpStack, p: TcpPacketRecord): void {
  if (p.flags & TH_RST) return;
  const len = p.data.length + (p.flags & TH_SYN ? 1 : 0) + (p.flags & TH_FIN ? 1 : 0);
  const withAck = !(p.flags & TH_ACK);
  putOnWire(tcp, { src: p.dst, sport: p.dport, dst: p.src, dport: p.sport, flags: withAck ? TH_RST | TH_ACK : TH_RST, seq: withAck ? 0 : p.ack, ack: withAck ? seqAdd(p.seq, len) : 0, win: 0, options: [], ipId: 0, data: '' });
}

/** a SYN reaches a listener: the child starts in SYN_RECV and answers with a SYN-ACK */
function onSyn(tcp: TcpStack, l: TcpSock, p: TcpPacketRecord, iss: number): void {
  const ts = tsOf(p);
  const sack = p.options.some((o) => o.kind === 'sackOK') && !!tcp.sysctl.sack;
  const ws = p.options.find((o) => o.kind === 'wscale');
  const mssOpt = p.options.find((o) => o.kind === 'mss');
  const c = newSock(tcp, { laddr: p.dst, lport: p.dport, raddr: p.src, rport: p.sport, uid: l.uid, inode: 0 });
  c.state = 'SYN_RECV';
  c.listener = l.id;
  c.nodelay = l.nodelay;
  c.iss = iss;
  c.writeSeq = c.sndSml = seqAdd(iss, 1);
  c.irs = p.seq;
  c.rcvNxt = c.rcvWup = seqAdd(p.seq, 1);
  c.tsOk = !!ts && !!tcp.sysctl.timestamps;
  if (c.tsOk) c.tsRecent = ts!.val;
  const wsOk = !!ws && !!tcp.sysctl.windowScaling;
  c.sndWscale = wsOk && ws!.kind === 'wscale' ? ws!.value : 0;
  if (!wsOk) c.rcvWscale = 0;
  c.pathMss = Math.min(mssOpt && mssOpt.kind === 'mss' ? mssOpt.value : 536, LO_PMTU - 40) - (c.tsOk ? 12 : 0);
  updateWindow(c, p.win);
  c.ipId = (iss ^ jiffiesAt(tcp, tcp.now)) & 0xffff;
  sendSynAck(tcp, c, sack, c.tsOk, wsOk);
  c.synackJ = jiffiesAt(tcp, tcp.now);
}

/**
 * Both ends learn the connection is up (tcp_init_buffer_space, tcp_initialize_rcv_mss): the
 * receive buffer grows to hold a few 64 KiB segments, the window clamp follows it, and the
 * receiver's guess of the peer's MSS starts at 536.
 */
function initBufferSpace(s: TcpSock): void {
  const initRwnd = s.advmss > 1460 ? Math.max(Math.floor(14600 / s.advmss), 2) : 10;
  const rcvmem = 2 * (s.advmss + MAX_TCP_HEADER + SKB_OVERHEAD) * initRwnd * 4;
  if (s.rcvbuf < rcvmem) s.rcvbuf = Math.min(rcvmem, TCP_RMEM_MAX);
  s.rcvSpace = s.rcvWnd;
  const maxwin = winFromSpace(s.rcvbuf);
  if (s.windowClamp >= maxwin) s.windowClamp = maxwin;
  // tcp_app_win reserves one segment of the buffer for the application
  if (s.windowClamp > 2 * s.advmss && s.windowClamp + s.advmss > maxwin) s.windowClamp = Math.max(2 * s.advmss, maxwin - s.advmss);
  s.rcvSsthresh = Math.min(s.rcvSsthresh, s.windowClamp);
  s.ack.rcvMss = Math.max(Math.min(s.advmss, s.mss, s.rcvWnd >> 1, 536), 88);
}

/**
 * One segment reaches its socket at tcp.now. Returns the events it causes for the application;
 * the kernel's own reactions (ACKs, data released by an ACK) are already on the wire.
 */
export function receive(tcp: TcpStack, p: TcpPacketRecord, drawIss: () => number): TcpEvent[] {
  const ev: TcpEvent[] = [];
  const s = findSock(tcp, p);
  if (!s) {
    const l = p.flags & TH_SYN && !(p.flags & TH_ACK) ? findListener(tcp, p) : undefined;
    if (l && l.acceptQueue.length < l.backlog + 1) onSyn(tcp, l, p, drawIss());
    else if (!l) replyReset(tcp, p);
    return ev;
  }
  if (p.flags & TH_RST) {
    const refused = s.state === 'SYN_SENT';
    if (refused && p.ack !== s.sndNxt) return ev;
    removeSock(tcp, s);
    ev.push(s.orphan ? { type: 'closed', t: tcp.now, sock: s.id } : { type: 'reset', t: tcp.now, sock: s.id });
    return ev;
  }
  const ts = tsOf(p);
  const j = jiffiesAt(tcp, tcp.now);
  if (s.state === 'SYN_SENT') {
    if (!(p.flags & TH_SYN && p.flags & TH_ACK) || p.ack !== s.sndNxt) return ev;
    const ws = p.options.find((o) => o.kind === 'wscale');
    const mssOpt = p.options.find((o) => o.kind === 'mss');
    s.tsOk = !!ts && !!tcp.sysctl.timestamps;
    if (ws && ws.kind === 'wscale') s.sndWscale = ws.value;
    else s.rcvWscale = 0;
    s.pathMss = Math.min(mssOpt && mssOpt.kind === 'mss' ? mssOpt.value : 536, LO_PMTU - 40) - (s.tsOk ? 12 : 0);
    s.irs = p.seq;
    s.rcvNxt = s.rcvWup = seqAdd(p.seq, 1);
    if (s.tsOk) s.tsRecent = ts!.val;
    s.sndUna = p.ack;
    const syn = s.inflight.shift();
    if (syn) rttSample(tcp, s, (tcp.now - syn.at) * 1000);
    s.rtoArmedJ = -1;
    updateWindow(s, p.win); // a SYN's window is never scaled
    s.state = 'ESTABLISHED';
    s.lsndtime = j;
    s.rcvTstamp = j;
    initBufferSpace(s);
    sendAck(tcp, s);
    ev.push({ type: 'established', t: tcp.now, sock: s.id, side: 'client' });
    writeXmit(tcp, s);
    return ev;
  }
  if (p.flags & TH_SYN) return ev;
  if (!(p.flags & TH_ACK)) return ev;
  if (s.tsOk && ts && !after(p.seq, s.rcvWup)) s.tsRecent = ts.val;
  if (s.state === 'SYN_RECV') {
    if (p.ack !== s.sndNxt) return ev;
    s.sndUna = p.ack;
    s.inflight.shift();
    updateWindow(s, p.win * 2 ** s.sndWscale);
    s.state = 'ESTABLISHED';
    // tcp_synack_rtt_meas: on 3.16 the SYN-ACK's RTT is a jiffies difference
    if (!s.srttUs) rttSample(tcp, s, jiffiesToUsecs(tcp, j - s.synackJ));
    s.lsndtime = j;
    s.rcvTstamp = j;
    initBufferSpace(s);
    const l = tcp.sockets.find((x) => x.id === s.listener);
    if (l) l.acceptQueue.push(s.id);
    ev.push({ type: 'established', t: tcp.now, sock: s.id, side: 'server', listener: s.listener });
  } else if (!onAck(tcp, s, p, ev)) {
    return ev;
  }
  if (s.state === 'TIME_WAIT') {
    if (p.flags & TH_FIN) sendAck(tcp, s);
    return ev;
  }
  const len = p.data.length;
  const hdrLen = 20 + optionsLength(p.options);
  // tcp_rcv_rtt_measure_ts, before the data is queued: a full segment's echo times the path
  if (s.tsOk && ts && ts.ecr && len > 0 && len >= s.ack.rcvMss) rcvRttUpdate(s, seqDiff(tsVal(tcp, j), ts.ecr), false);
  const accepts = s.state === 'ESTABLISHED' || s.state === 'FIN_WAIT1' || s.state === 'FIN_WAIT2';
  if (len > 0 && p.seq === s.rcvNxt && accepts) {
    if (s.orphan) {
      // data for a socket nobody will read: the kernel resets the connection
      s.rcvNxt = seqAdd(s.rcvNxt, len);
      putOnWire(tcp, { src: s.laddr, sport: s.lport, dst: s.raddr, dport: s.rport, flags: TH_RST | TH_ACK, seq: s.sndNxt, ack: s.rcvNxt, win: 0, options: [], ipId: s.ipId, data: '' });
      removeSock(tcp, s);
      ev.push({ type: 'closed', t: tcp.now, sock: s.id });
      return ev;
    }
    s.recvQueue += p.data;
    const truesize = skbTruesize(len);
    s.recvSkbs.push([len, truesize]);
    s.rmemAlloc += truesize;
    s.rcvNxt = seqAdd(s.rcvNxt, len);
    dataRecv(tcp, s, len, p.flags, hdrLen);
    ev.push({ type: 'readable', t: tcp.now, sock: s.id, bytes: s.recvQueue.length });
  }
  if (p.flags & TH_FIN && seqAdd(p.seq, len) === s.rcvNxt && !s.finReceived) {
    s.rcvNxt = seqAdd(s.rcvNxt, 1);
    onFin(tcp, s, ev);
  }
  // tcp_data_snd_check, then tcp_ack_snd_check
  writeXmit(tcp, s);
  if ((s.state as TcpStateName) !== 'TIME_WAIT') ackSndCheck(tcp, s);
  return ev;
}
