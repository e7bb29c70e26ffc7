/**
 * The state of the simulated TCP stack: plain JSON (no Maps, classes or functions), so it lives in
 * KernelState.subsys.tcp and survives a save. Sequence numbers are unsigned 32-bit integers; times
 * the kernel keeps in jiffies are jiffies counted from boot (0 at bootMs), other times are virtual
 * ms (fractional) since the Unix epoch.
 */
import type { TcpPacketRecord } from '../../formats/packet';

export type TcpStateName =
  | 'LISTEN'
  | 'SYN_SENT'
  | 'SYN_RECV'
  | 'ESTABLISHED'
  | 'FIN_WAIT1'
  | 'FIN_WAIT2'
  | 'CLOSE_WAIT'
  | 'CLOSING'
  | 'LAST_ACK'
  | 'TIME_WAIT'
  | 'CLOSE';

/** a segment sent but not yet acknowledged (the retransmit queue, which on lo never retransmits) */
export interface SentSeg {
  seq: number;
  end: number;
  /** virtual ms it left (skb_mstamp): the RTT sample when it is acked */
  at: number;
  syn: boolean;
}

/** icsk_ack: the receiver's delayed-ACK engine */
export interface AckEngine {
  /** ICSK_ACK_SCHED: an ACK is owed */
  sched: boolean;
  /** ICSK_ACK_TIMER: the delayed-ACK timer is armed */
  timer: boolean;
  /** ICSK_ACK_PUSHED / PUSHED2: small segments arrived since the last ACK */
  pushed: boolean;
  pushed2: boolean;
  /** when the delayed-ACK timer fires (jiffies) */
  timeout: number;
  /** the ACK timeout (jiffies); 0 until the first data segment */
  ato: number;
  /** quick-ACK credits */
  quick: number;
  /** interactive (request/response) mode: no quick ACKs */
  pingpong: boolean;
  /** jiffies of the last data segment received */
  lrcvtime: number;
  /** the receiver's guess of the peer's MSS (536 until a full segment is seen) */
  rcvMss: number;
  lastSegSize: number;
}

export interface TcpSock {
  id: number;
  state: TcpStateName;
  laddr: string;
  lport: number;
  raddr: string;
  rport: number;
  uid: number;
  /** 0 until the socket has a file (an accepted socket gets one at accept()) */
  inode: number;
  /** an accepted socket's listener until accept() takes it */
  listener: number;
  /** LISTEN: established children not yet accepted, oldest first */
  acceptQueue: number[];
  backlog: number;

  // sender
  iss: number;
  sndUna: number;
  sndNxt: number;
  writeSeq: number;
  /** end of the last sub-MSS segment sent (Minshall) */
  sndSml: number;
  /** peer's window in bytes */
  sndWnd: number;
  sndWscale: number;
  /** the send MSS (mss_cache): the path's, bounded to half the largest window the peer offered */
  mss: number;
  /** the path's MSS: the peer's SYN MSS (capped by lo's PMTU) less the timestamp option */
  pathMss: number;
  /** the largest window the peer has offered, in bytes (max_window) */
  maxWindow: number;
  cwnd: number;
  /** bytes written and not yet sent (the write queue past snd_nxt), a byte string */
  unsent: string;
  /** sequence numbers ending a write: a segment reaching one carries PSH */
  pushMarks: number[];
  inflight: SentSeg[];
  /** close() queued a FIN after the unsent data */
  finQueued: boolean;
  finSent: boolean;
  /** jiffies of the last data sent (lsndtime) and of the last ACK received (rcv_tstamp) */
  lsndtime: number;
  rcvTstamp: number;
  ipId: number;

  // receiver
  irs: number;
  rcvNxt: number;
  /** rcv_nxt when the last window was advertised (rcv_wup) and that window in bytes */
  rcvWup: number;
  rcvWnd: number;
  rcvWscale: number;
  rcvSsthresh: number;
  windowClamp: number;
  rcvbuf: number;
  advmss: number;
  /** received and not yet read, a byte string */
  recvQueue: string;
  /** the skbs holding it: [payload bytes not yet read, truesize], and their charge (sk_rmem_alloc) */
  recvSkbs: Array<[number, number]>;
  rmemAlloc: number;
  /** the peer's FIN has arrived: read() past the queue returns end of file */
  finReceived: boolean;
  /** the application has read that end of file (copied_seq moved past the FIN) */
  finRead: boolean;
  /** both SYNs carried timestamps: every segment has the 12-byte option */
  tsOk: boolean;
  /** jiffies the SYN-ACK left (a server's first RTT sample) */
  synackJ: number;
  /** the peer TSval to echo (ts_recent) */
  tsRecent: number;
  /** tcp_rcv_rtt_est and rcvq_space */
  rcvRtt: number;
  rcvRttSeq: number;
  rcvRttTime: number;
  rcvSpace: number;
  ack: AckEngine;

  // RTT (tcp_rtt_estimator, microseconds, srtt scaled by 8 and mdev by 4 as the kernel keeps them)
  srttUs: number;
  mdevUs: number;
  mdevMaxUs: number;
  rttvarUs: number;
  rttSeq: number;
  /** icsk_rto in jiffies */
  rto: number;

  // options
  nodelay: boolean;
  cork: boolean;
  /** jiffies the retransmission timer was last armed; -1 when nothing is in flight */
  rtoArmedJ: number;
  /** virtual ms after which a TIME_WAIT or orphaned FIN_WAIT2 socket goes away */
  expires: number;
  /** close() was called: no more application events */
  orphan: boolean;
}

/** a segment on its way through lo */
export interface InFlight {
  /** virtual ms it reaches the receiving socket */
  at: number;
  pkt: TcpPacketRecord;
}

export interface TcpSysctl {
  timestamps: number;
  sack: number;
  windowScaling: number;
  finTimeout: number;
  slowStartAfterIdle: number;
}

export interface TcpStack {
  /** CONFIG_HZ of the simulated kernel */
  hz: number;
  /** virtual ms at which jiffies were 0 (INITIAL_JIFFIES in the kernel's counting) */
  bootMs: number;
  /** virtual ms the stack has run to */
  now: number;
  /** loopback's per-segment cost: fixed ns plus ns per payload byte */
  loBaseNs: number;
  loPerByteNs: number;
  /** `ip route change ... dev lo quickack 1` (RTAX_QUICKACK on the route to 127.0.0.0/8) */
  routeQuickack: boolean;
  sysctl: TcpSysctl;
  nextSockId: number;
  nextPort: number;
  sockets: TcpSock[];
  wire: InFlight[];
  /** the packet log: the newest segments that crossed lo (at least `logCap`, at most 1.25 times that), oldest first */
  log: TcpPacketRecord[];
  logCap: number;
  logCount: number;
}

/**
 * What the application layer learns from the stack, in time order:
 * - established: a connect() completed (client side) or a connection is waiting in a listener's accept queue
 * - readable: new bytes are in the socket's receive queue (read() takes them)
 * - eof: the peer closed its side (read() returns '' once the queue is drained)
 * - reset: the peer reset a connection the program holds (or refused its connect); the socket is gone
 * - closed: a socket left the kernel's table on its own (LAST_ACK acknowledged, TIME_WAIT or an
 *   orphaned FIN_WAIT2 timed out, an orphan reset): views of the socket table can drop it
 * A socket that close() removes at once (a listener, a connect in progress, one with unread data)
 * gets no event: its program knows.
 */
export type TcpEvent =
  | { type: 'established'; t: number; sock: number; side: 'client' | 'server'; listener?: number }
  | { type: 'readable'; t: number; sock: number; bytes: number }
  | { type: 'eof'; t: number; sock: number }
  | { type: 'reset'; t: number; sock: number }
  | { type: 'closed'; t: number; sock: number };
