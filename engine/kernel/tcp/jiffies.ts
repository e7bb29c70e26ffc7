/**
 * The kernel's clock as TCP sees it: jiffies (HZ ticks since boot), which the delayed-ACK timer,
 * ato, rto and TSval are counted in. The stack's virtual time is ms since the epoch.
 */
import { initialJiffies } from './constants';
import type { TcpStack } from './types';

/**
 * jiffies since boot at virtual time t (a tick at bootMs + k*1000/HZ makes it k). Epoch ms near
 * 1.4e12 carry about 0.2 µs of rounding, so a time computed as a tick may land a hair before it:
 * the 1e-4 jiffy (0.4 µs at HZ 250) allowance keeps it on its tick.
 */
export function jiffiesAt(tcp: TcpStack, t: number): number {
  return Math.floor(((t - tcp.bootMs) * tcp.hz) / 1000 + 1e-4);
}

/** the virtual time of the tick that makes jiffies j */
export function msOfJiffies(tcp: TcpStack, j: number): number {
  return tcp.bootMs + (j * 1000) / tcp.hz;
}

/** tcp_time_stamp on 3.16 is the low 32 bits of jiffies, which start at INITIAL_JIFFIES */
export function tsVal(tcp: TcpStack, j: number): number {
  return (j + initialJiffies(tcp.hz)) % 2 ** 32;
}

export const jiffiesToUsecs = (tcp: TcpStack, j: number): number => Math.floor((j * 1_000_000) / tcp.hz);
export const usecsToJiffies = (tcp: TcpStack, us: number): number => Math.ceil((us * tcp.hz) / 1_000_000);
export const jiffiesToMsecs = (tcp: TcpStack, j: number): number => Math.floor((j * 1000) / tcp.hz);
/** USER_HZ is 100: what /proc/net/tcp prints for rto, ato and timers */
export const jiffiesToClockT = (tcp: TcpStack, j: number): number => Math.floor((Math.max(0, j) * 100) / tcp.hz);

/** sequence-space comparisons of 32-bit numbers (before()/after() in include/net/tcp.h) */
export const seqDiff = (a: number, b: number): number => ((a - b) | 0);
export const before = (a: number, b: number): boolean => seqDiff(a, b) < 0;
export const after = (a: number, b: number): boolean => seqDiff(a, b) > 0;
export const seqAdd = (a: number, n: number): number => (a + n) >>> 0;
