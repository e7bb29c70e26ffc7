/**
 * A simulated Linux 3.16 TCP stack on the loopback interface, pure and deterministic. The 40 ms
 * stall of a keep-alive request written in two parts comes out of the mechanism (Nagle's test with
 * Minshall's rule on the sender, the delayed ACK with quick-ACK credits and interactive "pingpong"
 * mode on the receiver, a 40 ms timer firing on a 4 ms jiffy tick), never out of a constant.
 *
 * STATE. A TcpStack is plain JSON (no Maps, classes or functions): keep it in
 * KernelState.subsys.tcp (TCP_SUBSYSTEM does that for a scenario) and it survives a save. Time is
 * virtual ms since the epoch (fractional: a segment crosses lo in about 4 µs); the kernel's own
 * clock is jiffies at HZ 250 counted from `bootMs`, which drives the delayed-ACK timer, ato, rto
 * and the timestamp option. Set `bootMs` to the machine's boot time and `now` to the current time
 * when the stack is created (TCP_SUBSYSTEM.boot() leaves both at 0).
 *
 * DRIVING IT. Every socket call acts at `tcp.now`. A scheduler interleaves the stack with its own
 * programs like this (see test/engine/kernel/tcp/harness.ts):
 *
 *   for (;;) {
 *     const netAt = nextEventAt(tcp) ?? Infinity;       // a segment arriving, a timer
 *     const appAt = nextProgramAction() ?? Infinity;    // the chapter's own schedule
 *     if (Math.min(netAt, appAt) > t) break;
 *     if (appAt <= netAt) { runUntil(tcp, appAt, rng, onEvent); act(); }
 *     else runUntil(tcp, netAt, rng, onEvent);
 *   }
 *   runUntil(tcp, t, rng, onEvent);
 *
 * `onEvent` gets each TcpEvent at its own time, after the kernel's reaction to the segment (so a
 * quick ACK precedes the program's answer, as on Linux); it may call write/read/close/setsockopt
 * at once, and what that sends is simulated in the same run. The Rng (engine/rng.ts) draws the
 * ISNs: connect() takes it for the client's, runUntil for a listener's SYN-ACK.
 *
 * EVENTS (TcpEvent, each with `t` and `sock`):
 *   established  side 'client': connect() completed; side 'server' (with `listener`): a connection
 *                waits in the listener's accept queue; accept(tcp, listener, inode) takes it.
 *   readable     bytes arrived (`bytes` = all unread); read() takes them.
 *   eof          the peer sent FIN; read() returns '' once the queue is empty.
 *   reset        the peer reset a connection the program holds, or nobody listened (connect
 *                refused); the socket is gone.
 *   closed       a socket left the kernel's table on its own: LAST_ACK acknowledged, TIME_WAIT
 *                (60 s) or an orphaned FIN_WAIT2 (tcp_fin_timeout) over, an orphan reset. After
 *                close() the program has no handle, but ss, netstat and /proc still show the
 *                socket until this event. close() of a listener, of a connect in progress or of
 *                a socket with unread data removes it at once, with no event.
 *
 * CALLS (api.ts): listen, connect, accept, write, writev (one write of all parts), read, close,
 * setsockopt/getsockopt for TCP_NODELAY, TCP_CORK and TCP_QUICKACK, setRouteQuickack (what
 * `ip route change ... quickack 1` sets on lo's route), nextEventAt, runUntil, getSock,
 * packetsSince. Data is a byte string (one char per byte, codes 0-255): utf8Bytes() converts text.
 * Errors a program can meet come back as errno strings (EADDRINUSE, EPIPE, ENOTCONN, EINVAL,
 * EAGAIN, EBADF); nothing throws for bad input.
 *
 * WHAT TOOLS SHOW. tcp.log (newest segments, oldest first; TcpPacketRecord from formats/packet.ts)
 * feeds formats/tcpdump.ts (tcpdump -n lines) and formats/pcap.ts (tcpdump -w bytes); ssTcpRows
 * feeds formats/tcpSockets.ts formatSsTcpInfo (ss -tin); procNetTcpRows feeds formatProcNetTcp
 * (/proc/net/tcp); tcpInfo gives struct tcp_info (plus notsent, the armed delayed-ACK timer,
 * quick and pingpong) for anything else, strace's timings included.
 *
 * NOT SIMULATED (lo never loses or reorders): retransmission, SACK blocks, congestion control
 * beyond a fixed cwnd of 10, zero-window probes, the send buffer limit (write() takes everything),
 * the prequeue, tcp_autocorking (lo frees skbs at once, so it does not hold small writes there),
 * the 200 ms ceiling tcp(7) mentions for TCP_CORK, receive-buffer autotuning past the initial sizing,
 * SYN retries (a SYN to a full accept queue is dropped and the connect never completes), IPv6.
 */
export { accept, close, connect, createTcpStack, getSock, getsockopt, listen, nextEventAt, packetsSince, read, runUntil, setRouteQuickack, setsockopt, write, writev } from './api';
export type { ConnectOptions, ListenOptions, TcpErrno, TcpSockopt, TcpStackOptions } from './api';
export { procNetTcpRows, recvQ, sendQ, SS_DEFAULT_STATES, ssTcpRows, tcpInfo } from './info';
export type { TcpInfo } from './info';
export { TCP_KNOBS, TCP_SUBSYSTEM, TCP_SUBSYSTEM_NAME, tcpOf } from './subsystem';
export { utf8Bytes } from './bytes';
export type { TcpEvent, TcpSock, TcpStack, TcpStateName } from './types';
