/** Creating and dropping socket records (the parts of tcp_v4_connect / tcp_create_openreq_child that set numbers). */
import { DEFAULT_RCV_WSCALE, LO_ADVMSS, TCP_INIT_CWND, TCP_MSS_DEFAULT, TCP_RMEM_DEFAULT, TCP_TIMEOUT_INIT_MS } from './constants';
import type { TcpSock, TcpStack } from './types';

export interface SockAddr {
  laddr: string;
  lport: number;
  raddr: string;
  rport: number;
  uid: number;
  inode: number;
}

export function newSock(tcp: TcpStack, a: SockAddr): TcpSock {
  const rcvbuf = TCP_RMEM_DEFAULT;
  // tcp_select_initial_window on lo: half of tcp_rmem[1], never more than 2 segments of 65483
  const rcvWnd = rcvbuf - (rcvbuf >> 1);
  const s: TcpSock = {
    id: tcp.nextSockId++,
    state: 'CLOSE',
    ...a,
    listener: 0,
    acceptQueue: [],
    backlog: 0,
    iss: 0,
    sndUna: 0,
    sndNxt: 0,
    writeSeq: 0,
    sndSml: 0,
    sndWnd: 0,
    sndWscale: 0,
    // tcp_init_sock: TCP_MSS_DEFAULT until a handshake says more
    mss: TCP_MSS_DEFAULT,
    pathMss: LO_ADVMSS,
    maxWindow: 0,
    cwnd: TCP_INIT_CWND,
    unsent: '',
    pushMarks: [],
    inflight: [],
    finQueued: false,
    finSent: false,
    lsndtime: 0,
    rcvTstamp: 0,
    ipId: 0,
    irs: 0,
    rcvNxt: 0,
    rcvWup: 0,
    rcvWnd,
    rcvWscale: tcp.sysctl.windowScaling ? DEFAULT_RCV_WSCALE : 0,
    rcvSsthresh: rcvWnd,
    // tcp_select_initial_window: 65535 << wscale until the buffer is sized at establishment
    windowClamp: 65535 * 2 ** (tcp.sysctl.windowScaling ? DEFAULT_RCV_WSCALE : 0),
    rcvbuf,
    advmss: LO_ADVMSS - (tcp.sysctl.timestamps ? 12 : 0),
    recvQueue: '',
    recvSkbs: [],
    rmemAlloc: 0,
    finReceived: false,
    finRead: false,
    rtoArmedJ: -1,
    tsOk: false,
    synackJ: 0,
    tsRecent: 0,
    rcvRtt: 0,
    rcvRttSeq: 0,
    rcvRttTime: -1,
    rcvSpace: 0,
    ack: { sched: false, timer: false, pushed: false, pushed2: false, timeout: 0, ato: 0, quick: 0, pingpong: false, lrcvtime: 0, rcvMss: 536, lastSegSize: 0 },
    srttUs: 0,
    mdevUs: 0,
    mdevMaxUs: 0,
    rttvarUs: 0,
    rttSeq: 0,
    rto: (TCP_TIMEOUT_INIT_MS * tcp.hz) / 1000,
    nodelay: false,
    cork: false,
    expires: 0,
    orphan: false,
  };
  tcp.sockets.push(s);
  return s;
}

export function removeSock(tcp: TcpStack, s: TcpSock): void {
  s.state = 'CLOSE';
  s.ack.timer = false;
  const i = tcp.sockets.indexOf(s);
  if (i >= 0) tcp.sockets.splice(i, 1);
  for (const l of tcp.sockets) if (l.state === 'LISTEN') l.acceptQueue = l.acceptQueue.filter((id) => id !== s.id);
}
