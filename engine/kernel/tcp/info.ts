/**
 * What the stack tells the tools: struct tcp_info as tcp_get_info() fills it on 3.16 (ss -i), the
 * queues inet_diag reports (ss), and the fields tcp4_seq_show prints (/proc/net/tcp).
 */
import type { ProcNetTcpRow, SsTcpRow } from '../../formats/tcpSockets';
import { LO_PMTU, TCP_INFINITE_SSTHRESH } from './constants';
import { jiffiesAt, jiffiesToClockT, jiffiesToMsecs, jiffiesToUsecs, msOfJiffies, seqAdd, seqDiff } from './jiffies';
import type { TcpSock, TcpStack } from './types';

/** the 3.16 struct tcp_info fields ss and the chapter read */
export interface TcpInfo {
  state: TcpSock['state'];
  timestamps: boolean;
  sack: boolean;
  wscale: boolean;
  sndWscale: number;
  rcvWscale: number;
  /** µs */
  rto: number;
  ato: number;
  sndMss: number;
  rcvMss: number;
  unacked: number;
  lastDataSent: number;
  lastDataRecv: number;
  lastAckRecv: number;
  pmtu: number;
  rcvSsthresh: number;
  /** µs */
  rtt: number;
  rttvar: number;
  sndSsthresh: number;
  sndCwnd: number;
  advmss: number;
  reordering: number;
  rcvRtt: number;
  rcvSpace: number;
  totalRetrans: number;
  /** bytes written and not yet sent (tcpi_notsent_bytes came with 4.6; kept here for the chapter) */
  notsent: number;
  /** ICSK_ACK_TIMER armed: when it fires, virtual ms */
  delackAt: number | null;
  quick: number;
  pingpong: boolean;
}

export function tcpInfo(tcp: TcpStack, s: TcpSock): TcpInfo {
  const j = jiffiesAt(tcp, tcp.now);
  const est = s.state !== 'LISTEN' && s.state !== 'SYN_SENT';
  return {
    state: s.state,
    timestamps: s.tsOk,
    sack: est && !!tcp.sysctl.sack,
    wscale: est && s.rcvWscale > 0,
    sndWscale: s.sndWscale,
    rcvWscale: s.rcvWscale,
    rto: jiffiesToUsecs(tcp, s.rto),
    ato: jiffiesToUsecs(tcp, s.ack.ato),
    sndMss: s.mss,
    rcvMss: s.ack.rcvMss,
    unacked: s.inflight.length,
    lastDataSent: jiffiesToMsecs(tcp, j - s.lsndtime),
    lastDataRecv: jiffiesToMsecs(tcp, j - s.ack.lrcvtime),
    lastAckRecv: jiffiesToMsecs(tcp, j - s.rcvTstamp),
    pmtu: LO_PMTU,
    rcvSsthresh: s.rcvSsthresh,
    rtt: s.srttUs >> 3,
    rttvar: s.mdevUs >> 2,
    sndSsthresh: TCP_INFINITE_SSTHRESH,
    sndCwnd: s.cwnd,
    advmss: s.advmss,
    reordering: 3,
    rcvRtt: jiffiesToUsecs(tcp, s.rcvRtt) >> 3,
    rcvSpace: s.rcvSpace,
    totalRetrans: 0,
    notsent: s.unsent.length,
    delackAt: s.ack.timer ? msOfJiffies(tcp, s.ack.timeout) : null,
    quick: s.ack.quick,
    pingpong: s.ack.pingpong,
  };
}

/** Recv-Q: unread bytes, and the FIN until the application has read the end of file */
export const recvQ = (s: TcpSock): number => (s.state === 'LISTEN' ? s.acceptQueue.length : s.recvQueue.length + (s.finReceived && !s.finRead ? 1 : 0));
/** Send-Q: written and not acknowledged, the FIN included */
export const sendQ = (s: TcpSock): number => (s.state === 'LISTEN' ? s.backlog : Math.max(0, seqDiff(seqAdd(s.writeSeq, s.finQueued ? 1 : 0), s.sndUna)));

/** ss's default state filter: everything but LISTEN, CLOSE, TIME-WAIT and SYN-RECV */
export const SS_DEFAULT_STATES = (st: TcpSock['state']): boolean => st !== 'LISTEN' && st !== 'CLOSE' && st !== 'TIME_WAIT' && st !== 'SYN_RECV';

/** the rows `ss -tin` prints for the states asked for (-l: LISTEN only; -a: all) */
export function ssTcpRows(tcp: TcpStack, states: (st: TcpSock['state']) => boolean = SS_DEFAULT_STATES): SsTcpRow[] {
  return tcp.sockets
    .filter((s) => states(s.state))
    .map((s) => {
      const i = tcpInfo(tcp, s);
      // inet_diag reports the retransmit timer (the delayed-ACK timer is not one it shows)
      const rtoPending = s.inflight.length > 0 && s.rtoArmedJ >= 0;
      const timer = rtoPending ? { kind: 1, ms: jiffiesToMsecs(tcp, s.rtoArmedJ + s.rto - jiffiesAt(tcp, tcp.now)), retrans: 0 } : undefined;
      return {
        state: s.state,
        recvQ: recvQ(s),
        ...(timer ? { timer } : {}),
        sendQ: sendQ(s),
        local: s.laddr,
        lport: s.lport,
        remote: s.raddr,
        rport: s.rport,
        info: { ...i, congestion: 'cubic' },
      };
    });
}

const STATE_CODE: Record<TcpSock['state'], number> = {
  ESTABLISHED: 1,
  SYN_SENT: 2,
  SYN_RECV: 3,
  FIN_WAIT1: 4,
  FIN_WAIT2: 5,
  TIME_WAIT: 6,
  CLOSE: 7,
  CLOSE_WAIT: 8,
  LAST_ACK: 9,
  LISTEN: 10,
  CLOSING: 11,
};

/** a plausible slab address for a socket, for root's view of %pK */
const skAddress = (s: TcpSock): string => `ffff8800${(0x36a00000 + s.id * 0x800).toString(16).padStart(8, '0')}`;

/**
 * /proc/net/tcp rows in the order of the kernel's walk: listeners, then connections. Orphaned
 * FIN_WAIT2 and TIME_WAIT sockets are timewait socks there (get_timewait4_sock), a connection
 * whose handshake is not done a request sock (get_openreq4, its SYN-ACK timer of 1 s running).
 */
export function procNetTcpRows(tcp: TcpStack): ProcNetTcpRow[] {
  const j = jiffiesAt(tcp, tcp.now);
  const order = [...tcp.sockets.filter((s) => s.state === 'LISTEN'), ...tcp.sockets.filter((s) => s.state !== 'LISTEN' && s.state !== 'CLOSE')];
  return order.map((s): ProcNetTcpRow => {
    const base = { local: s.laddr, lport: s.lport, remote: s.raddr, rport: s.rport, st: STATE_CODE[s.state], sk: skAddress(s) };
    if (s.state === 'TIME_WAIT' || (s.state === 'FIN_WAIT2' && s.orphan)) {
      const left = Math.max(0, Math.ceil(((s.expires - tcp.now) * tcp.hz) / 1000));
      return { ...base, kind: 'timewait', txQueue: 0, rxQueue: 0, timer: 3, when: jiffiesToClockT(tcp, left), retrnsmt: 0, uid: 0, probes: 0, inode: 0, refcnt: 3, rto: 0, ato: 0, quickPingpong: 0, cwnd: 0, ssthresh: 0 };
    }
    if (s.state === 'SYN_RECV') {
      const l = tcp.sockets.find((x) => x.id === s.listener);
      const left = s.synackJ + tcp.hz - j;
      return { ...base, kind: 'openreq', txQueue: 0, rxQueue: 0, timer: 1, when: jiffiesToClockT(tcp, left), retrnsmt: 0, uid: s.uid, probes: 0, inode: 0, refcnt: 1 + (l ? 1 : 0), rto: 0, ato: 0, quickPingpong: 0, cwnd: 0, ssthresh: 0 };
    }
    const rtoPending = s.inflight.length > 0 && s.rtoArmedJ >= 0;
    const timers = (rtoPending ? 1 : 0) + (s.ack.timer ? 1 : 0);
    return {
      ...base,
      kind: 'sock',
      txQueue: s.state === 'LISTEN' ? 0 : sendQ(s),
      rxQueue: recvQ(s),
      timer: rtoPending ? 1 : 0,
      when: rtoPending ? jiffiesToClockT(tcp, s.rtoArmedJ + s.rto - j) : 0,
      retrnsmt: 0,
      uid: s.uid,
      probes: 0,
      inode: s.inode,
      refcnt: 1 + timers,
      rto: jiffiesToClockT(tcp, s.rto),
      ato: jiffiesToClockT(tcp, s.ack.ato),
      quickPingpong: (s.ack.quick << 1) | (s.ack.pingpong ? 1 : 0),
      cwnd: s.cwnd,
      // a listener shows its fastopen queue length (none), others -1 while in initial slow start
      ssthresh: s.state === 'LISTEN' ? 0 : -1,
    };
  });
}
