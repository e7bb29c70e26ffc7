/**
 * A simulated Linux 3.16 TCP stack on the loopback interface, pure and deterministic: the 40 ms
 * request stall of a keep-alive connection comes out of Nagle's algorithm with Minshall's rule on
 * the sender and the delayed ACK on the receiver, never out of a constant.
 *
 * Use: createTcpStack() (or TCP_SUBSYSTEM.boot()), listen(), connect(tcp, rng, ...), then drive time
 * with runUntil(tcp, t, rng, onEvent) and react to events by calling write/writev/read/close/
 * setsockopt at tcp.now. nextEventAt() says when the stack next needs to run. The packet log
 * (tcp.log, packetsSince) feeds formats/tcpdump and formats/pcap; ssTcpRows and procNetTcpRows
 * feed formats/tcpSockets.
 */
export { accept, close, connect, createTcpStack, getSock, getsockopt, listen, nextEventAt, packetsSince, read, runUntil, setRouteQuickack, setsockopt, write, writev } from './api';
export type { ConnectOptions, ListenOptions, TcpErrno, TcpSockopt, TcpStackOptions } from './api';
export { procNetTcpRows, recvQ, sendQ, ssTcpRows, tcpInfo } from './info';
export type { TcpInfo } from './info';
export { TCP_KNOBS, TCP_SUBSYSTEM, TCP_SUBSYSTEM_NAME, tcpOf } from './subsystem';
export { utf8Bytes } from './bytes';
export type { TcpEvent, TcpSock, TcpStack, TcpStateName } from './types';
