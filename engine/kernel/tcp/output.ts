/**
 * The sending half (net/ipv4/tcp_output.c of 3.16): building segments, the advertised window,
 * tcp_write_xmit with Nagle's test and Minshall's rule, TCP_CORK and TCP_NODELAY, and the ACKs a
 * receiver sends (at once or through the delayed-ACK timer).
 */
import { TH_ACK, TH_FIN, TH_PUSH, TH_RST, TH_SYN, type TcpOption, type TcpPacketRecord } from '../../formats/packet';
import { atoMin, delackMax, delackMin, LO_ADVMSS } from './constants';
import { after, jiffiesAt, seqAdd, seqDiff, tsVal, usecsToJiffies } from './jiffies';
import type { TcpSock, TcpStack } from './types';

/** tcp_win_from_space() with tcp_adv_win_scale = 1: half of a buffer is window */
export const winFromSpace = (space: number): number => space - (space >> 1);

/** tcp_space(): the window the receive buffer not charged to unread skbs allows */
export function tcpSpace(s: TcpSock): number {
  return winFromSpace(s.rcvbuf - s.rmemAlloc);
}

/** __tcp_select_window(): the window this socket would offer now, in bytes */
export function freeWindow(s: TcpSock): number {
  let mss = s.ack.rcvMss;
  let free = tcpSpace(s);
  const full = Math.min(s.windowClamp, winFromSpace(s.rcvbuf));
  if (mss > full) mss = full;
  if (free < full >> 1) {
    s.ack.quick = 0;
    if (free < mss) return 0;
  }
  if (free > s.rcvSsthresh) free = s.rcvSsthresh;
  let win = free;
  if (s.rcvWscale) {
    // rounded up so the scaled value does not lose the tail
    if ((win >> s.rcvWscale) << s.rcvWscale !== win) win = ((win >> s.rcvWscale) + 1) << s.rcvWscale;
  }
  return win;
}

/** tcp_select_window(): never shrink what was offered; remember what is offered now */
function selectWindow(s: TcpSock): number {
  const cur = Math.max(0, seqDiff(seqAdd(s.rcvWup, s.rcvWnd), s.rcvNxt));
  let win = freeWindow(s);
  if (win < cur) win = Math.ceil(cur / (1 << s.rcvWscale)) * (1 << s.rcvWscale);
  s.rcvWnd = win;
  s.rcvWup = s.rcvNxt;
  return Math.min(win, 65535 * 2 ** s.rcvWscale) >> s.rcvWscale;
}

function lastArrival(tcp: TcpStack): number {
  return tcp.wire.length ? tcp.wire[tcp.wire.length - 1]!.at : -Infinity;
}

/** hands a segment to lo: recorded for tcpdump at the send time, delivered a few µs later in order */
export function putOnWire(tcp: TcpStack, pkt: Omit<TcpPacketRecord, 'n' | 'us'>): void {
  const rec: TcpPacketRecord = {
    n: ++tcp.logCount,
    us: Math.round(tcp.now * 1000),
    src: pkt.src,
    sport: pkt.sport,
    dst: pkt.dst,
    dport: pkt.dport,
    flags: pkt.flags,
    seq: pkt.seq,
    ack: pkt.ack,
    win: pkt.win,
    options: pkt.options,
    ipId: pkt.ipId,
    data: pkt.data,
  };
  tcp.log.push(rec);
  // trimmed in batches so a long capture costs O(1) per segment
  if (tcp.log.length >= tcp.logCap + (tcp.logCap >> 2)) tcp.log.splice(0, tcp.log.length - tcp.logCap);
  const cost = (tcp.loBaseNs + tcp.loPerByteNs * pkt.data.length) / 1e6;
  tcp.wire.push({ at: Math.max(tcp.now + cost, lastArrival(tcp)), pkt: rec });
}

// never mutated, so every segment's options may share them
const NOP: TcpOption = { kind: 'nop' };
const NO_OPTIONS: TcpOption[] = [];

function tsOptions(tcp: TcpStack, s: TcpSock): TcpOption[] {
  if (!s.tsOk) return NO_OPTIONS;
  return [NOP, NOP, { kind: 'TS', val: tsVal(tcp, jiffiesAt(tcp, tcp.now)), ecr: s.tsRecent }];
}

/** the options on a SYN or SYN-ACK, in tcp_options_write()'s order */
export function synOptions(tcp: TcpStack, ecr: number, sack: boolean, ts: boolean, wscale: number | null): TcpOption[] {
  const o: TcpOption[] = [{ kind: 'mss', value: LO_ADVMSS }];
  if (ts) {
    if (sack) o.push({ kind: 'sackOK' });
    else o.push({ kind: 'nop' }, { kind: 'nop' });
    o.push({ kind: 'TS', val: tsVal(tcp, jiffiesAt(tcp, tcp.now)), ecr });
  } else if (sack) {
    o.push({ kind: 'nop' }, { kind: 'nop' }, { kind: 'sackOK' });
  }
  if (wscale !== null) o.push({ kind: 'nop' }, { kind: 'wscale', value: wscale });
  return o;
}

/** tcp_dec_quickack_mode + clearing the delayed-ACK timer: any segment carrying an ACK */
function ackSent(tcp: TcpStack, s: TcpSock): void {
  const a = s.ack;
  if (a.quick) {
    if (a.quick <= 1) {
      a.quick = 0;
      a.ato = atoMin(tcp.hz);
    } else a.quick -= 1;
  }
  a.sched = a.timer = a.pushed = a.pushed2 = false;
}

/** tcp_event_data_sent: answering within ato of the last data received marks the connection interactive */
function dataSent(tcp: TcpStack, s: TcpSock): void {
  const j = jiffiesAt(tcp, tcp.now);
  s.lsndtime = j;
  if (j - s.ack.lrcvtime < s.ack.ato && !tcp.routeQuickack) s.ack.pingpong = true;
}

/** tcp_transmit_skb for an established connection's segment */
function transmit(tcp: TcpStack, s: TcpSock, flags: number, seq: number, data: string): void {
  putOnWire(tcp, {
    src: s.laddr,
    sport: s.lport,
    dst: s.raddr,
    dport: s.rport,
    flags,
    seq,
    ack: flags & TH_ACK ? s.rcvNxt : 0,
    win: selectWindow(s),
    options: tsOptions(tcp, s),
    ipId: s.ipId,
    data,
  });
  s.ipId = (s.ipId + 1) & 0xffff;
  if (flags & TH_ACK) ackSent(tcp, s);
  if (data.length > 0) dataSent(tcp, s);
}

/** tcp_send_ack: a bare ACK now */
export function sendAck(tcp: TcpStack, s: TcpSock): void {
  transmit(tcp, s, TH_ACK, s.sndNxt, '');
}

/** a RST for a socket being torn down (tcp_send_active_reset) */
export function sendReset(tcp: TcpStack, s: TcpSock): void {
  putOnWire(tcp, { src: s.laddr, sport: s.lport, dst: s.raddr, dport: s.rport, flags: TH_RST | TH_ACK, seq: s.sndNxt, ack: s.rcvNxt, win: 0, options: [], ipId: s.ipId, data: '' });
  s.ipId = (s.ipId + 1) & 0xffff;
}

/** the SYN of connect() (tcp_connect): the only segment whose window is never scaled */
export function sendSyn(tcp: TcpStack, s: TcpSock): void {
  const options = synOptions(tcp, 0, !!tcp.sysctl.sack, !!tcp.sysctl.timestamps, tcp.sysctl.windowScaling ? s.rcvWscale : null);
  putOnWire(tcp, { src: s.laddr, sport: s.lport, dst: s.raddr, dport: s.rport, flags: TH_SYN, seq: s.iss, ack: 0, win: Math.min(s.rcvWnd, 65535), options, ipId: s.ipId, data: '' });
  s.ipId = (s.ipId + 1) & 0xffff;
  s.inflight.push({ seq: s.iss, end: seqAdd(s.iss, 1), at: tcp.now, syn: true });
  s.sndNxt = seqAdd(s.iss, 1);
  s.sndUna = s.iss;
  // the timer that would repeat the SYN
  s.rtoArmedJ = jiffiesAt(tcp, tcp.now);
}

/** the SYN-ACK, which 3.16 sends from the request sock: IP id 0, options mirroring the SYN's */
export function sendSynAck(tcp: TcpStack, s: TcpSock, sack: boolean, ts: boolean, wscale: boolean): void {
  const options = synOptions(tcp, s.tsRecent, sack, ts, wscale ? s.rcvWscale : null);
  putOnWire(tcp, { src: s.laddr, sport: s.lport, dst: s.raddr, dport: s.rport, flags: TH_SYN | TH_ACK, seq: s.iss, ack: s.rcvNxt, win: Math.min(s.rcvWnd, 65535), options, ipId: 0, data: '' });
  s.inflight.push({ seq: s.iss, end: seqAdd(s.iss, 1), at: tcp.now, syn: true });
  s.sndNxt = seqAdd(s.iss, 1);
  s.sndUna = s.iss;
}

const canSendData = (s: TcpSock): boolean => s.state === 'ESTABLISHED' || s.state === 'CLOSE_WAIT' || ((s.state === 'FIN_WAIT1' || s.state === 'LAST_ACK') && !s.finSent);

/** Minshall: a sub-MSS segment sent earlier is not acknowledged yet */
function minshallCheck(s: TcpSock): boolean {
  return after(s.sndSml, s.sndUna) && !after(s.sndSml, s.sndNxt);
}

/**
 * tcp_nagle_check(): true when a partial segment must wait. Cork holds it whatever NODELAY says;
 * without NODELAY it waits only while packets are out and one of them was small.
 */
export function nagleHolds(s: TcpSock, partial: boolean): boolean {
  return partial && (s.cork || (!s.nodelay && s.inflight.length > 0 && minshallCheck(s)));
}

/**
 * tcp_write_xmit(): sends what the window, cwnd and Nagle allow. `push` is TCP_NAGLE_PUSH, the
 * one-shot override setting TCP_NODELAY (or uncorking with it set) applies to the queue's tail.
 */
export function writeXmit(tcp: TcpStack, s: TcpSock, push = false): void {
  if (!canSendData(s)) return;
  while (s.unsent.length > 0) {
    if (s.inflight.length >= s.cwnd) return;
    const len = Math.min(s.unsent.length, s.mss);
    const last = len === s.unsent.length;
    const fin = last && s.finQueued;
    if (after(seqAdd(s.sndNxt, len), seqAdd(s.sndUna, s.sndWnd))) return;
    // only the tail of the queue can be partial; a FIN or a push always goes
    if (last && !fin && !push && nagleHolds(s, len < s.mss)) return;
    const seq = s.sndNxt;
    const end = seqAdd(seq, len);
    let flags = TH_ACK;
    // marks at or before seq went out with earlier segments, so the first one left decides
    const mark = s.pushMarks[0];
    if (mark !== undefined && !after(mark, end)) flags |= TH_PUSH;
    if (fin) flags |= TH_FIN;
    const data = s.unsent.slice(0, len);
    s.unsent = s.unsent.slice(len);
    const endSeq = fin ? seqAdd(end, 1) : end;
    s.sndNxt = endSeq;
    while (s.pushMarks.length && !after(s.pushMarks[0]!, end)) s.pushMarks.shift();
    if (len < s.mss) s.sndSml = endSeq;
    if (!s.inflight.length) s.rtoArmedJ = jiffiesAt(tcp, tcp.now);
    s.inflight.push({ seq, end: endSeq, at: tcp.now, syn: false });
    if (fin) s.finSent = true;
    transmit(tcp, s, flags, seq, data);
  }
  if (s.finQueued && !s.finSent) {
    // tcp_send_fin on an empty queue: a FIN of its own
    const seq = s.sndNxt;
    s.sndNxt = seqAdd(seq, 1);
    if (!s.inflight.length) s.rtoArmedJ = jiffiesAt(tcp, tcp.now);
    s.inflight.push({ seq, end: s.sndNxt, at: tcp.now, syn: false });
    s.finSent = true;
    transmit(tcp, s, TH_ACK | TH_FIN, seq, '');
  }
}

/**
 * tcp_send_delayed_ack(): arm the delayed-ACK timer. With ato at TCP_ATO_MIN (40 ms) the timer is
 * 40 ms of jiffies away; a larger ato is bounded by 200 ms (interactive) or HZ/2 and by the RTT.
 */
export function sendDelayedAck(tcp: TcpStack, s: TcpSock): void {
  const a = s.ack;
  const j = jiffiesAt(tcp, tcp.now);
  let ato = a.ato;
  if (ato > delackMin(tcp.hz)) {
    let maxAto = Math.floor(tcp.hz / 2);
    if (a.pingpong || a.pushed) maxAto = delackMax(tcp.hz);
    if (s.srttUs) {
      const rtt = Math.max(usecsToJiffies(tcp, s.srttUs >> 3), delackMin(tcp.hz));
      if (rtt < maxAto) maxAto = rtt;
    }
    ato = Math.min(ato, maxAto);
  }
  let timeout = j + ato;
  if (a.timer) {
    // about to fire anyway: ACK now
    if (a.timeout <= j + (ato >> 2)) {
      sendAck(tcp, s);
      return;
    }
    if (!(timeout < a.timeout)) timeout = a.timeout;
  }
  a.sched = true;
  a.timer = true;
  a.timeout = timeout;
}

/** tcp_in_quickack_mode(): the route says so, or there are credits and the connection is not interactive */
export function inQuickackMode(tcp: TcpStack, s: TcpSock): boolean {
  return tcp.routeQuickack || (s.ack.quick > 0 && !s.ack.pingpong);
}

/** __tcp_ack_snd_check(): ACK now or later */
export function ackSndCheck(tcp: TcpStack, s: TcpSock): void {
  if (!s.ack.sched) return;
  const moreThanOneFrame = seqDiff(s.rcvNxt, s.rcvWup) > s.ack.rcvMss && freeWindow(s) >= s.rcvWnd;
  if (moreThanOneFrame || inQuickackMode(tcp, s)) sendAck(tcp, s);
  else sendDelayedAck(tcp, s);
}

/** tcp_cleanup_rbuf(): after the application read `copied` bytes, an owed ACK may go now */
export function cleanupRbuf(tcp: TcpStack, s: TcpSock, copied: number): void {
  const a = s.ack;
  let timeToAck = false;
  if (a.sched) {
    if (seqDiff(s.rcvNxt, s.rcvWup) > a.rcvMss || (copied > 0 && (a.pushed2 || (a.pushed && !a.pingpong)) && s.rmemAlloc === 0)) timeToAck = true;
  }
  if (copied > 0 && !timeToAck && !s.finReceived) {
    const now = Math.max(0, seqDiff(seqAdd(s.rcvWup, s.rcvWnd), s.rcvNxt));
    if (2 * now <= s.windowClamp) {
      const win = freeWindow(s);
      if (win && win >= 2 * now) timeToAck = true;
    }
  }
  if (timeToAck && (s.state === 'ESTABLISHED' || s.state === 'FIN_WAIT1' || s.state === 'FIN_WAIT2' || s.state === 'CLOSE_WAIT')) sendAck(tcp, s);
}

/** the delayed-ACK timer fired (tcp_delack_timer_handler) */
export function delackTimer(tcp: TcpStack, s: TcpSock): void {
  const a = s.ack;
  a.timer = false;
  if (s.state === 'LISTEN' || s.state === 'CLOSE') return;
  if (!a.sched) return;
  if (!a.pingpong) {
    // a missed delayed ACK: inflate ato
    a.ato = Math.min(a.ato << 1, s.rto);
  } else {
    // interactive mode was a losing bet: leave it
    a.pingpong = false;
    a.ato = atoMin(tcp.hz);
  }
  sendAck(tcp, s);
}
