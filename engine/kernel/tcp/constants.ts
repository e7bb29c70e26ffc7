/**
 * Constants of Linux 3.16's TCP (include/net/tcp.h, include/net/inet_connection_sock.h) and of the
 * loopback device. Times the kernel keeps in jiffies are given in jiffies of the stack's HZ.
 */

/** Ubuntu's generic x86 kernels are built with CONFIG_HZ=250: a jiffy is 4 ms */
export const DEFAULT_HZ = 250;

/** jiffies start 5 minutes before wrapping (include/linux/jiffies.h), so TS val starts near 2^32 */
export const initialJiffies = (hz: number): number => (2 ** 32 - 300 * hz) >>> 0;

export const delackMin = (hz: number): number => Math.max(Math.floor(hz / 25), 4); // TCP_DELACK_MIN: 40 ms
export const delackMax = (hz: number): number => Math.floor(hz / 5); // TCP_DELACK_MAX: 200 ms
export const atoMin = (hz: number): number => Math.max(Math.floor(hz / 25), 4); // TCP_ATO_MIN: 40 ms
export const TCP_RTO_MIN_US = 200_000;
export const TCP_RTO_MAX_MS = 120_000;
export const TCP_TIMEOUT_INIT_MS = 1000;
export const TCP_MAX_QUICKACKS = 16;
export const TCP_MSS_DEFAULT = 536;
export const TCP_TIMEWAIT_LEN_MS = 60_000;
export const TCP_INFINITE_SSTHRESH = 0x7fffffff;
export const TCP_INIT_CWND = 10;

/** lo: MTU 65536, but an IP datagram's total length stops at 65535 */
export const LO_PMTU = 65535;
/** what the SYN announces: 65535 - 20 (IP) - 20 (TCP) */
export const LO_ADVMSS = 65495;
/** aligned timestamp option: every segment of a connection with timestamps carries 12 more bytes */
export const TCPOLEN_TSTAMP_ALIGNED = 12;
/** net.ipv4.tcp_rmem[1] and tcp_wmem[1]: the default buffer sizes */
export const TCP_RMEM_DEFAULT = 87380;
export const TCP_WMEM_DEFAULT = 16384;
/** net.ipv4.tcp_rmem[2]: how far receive autotuning may go */
export const TCP_RMEM_MAX = 6291456;
/**
 * Buffer accounting of x86_64 3.16 (approximate): SKB_DATA_ALIGN(sizeof(struct sk_buff)) = 256,
 * SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) = 320, MAX_TCP_HEADER = 304; a small write on lo
 * lands in a 2 KiB skb head (truesize 2304) holding about 1408 payload bytes, the rest in page frags.
 */
export const SKB_OVERHEAD = 256 + 320;
export const MAX_TCP_HEADER = 304;
export const SMALL_SKB_TRUESIZE = 2304;
export const SKB_HEAD_PAYLOAD = 1408;
/** the window scale Linux picks for tcp_rmem[2] = 6291456 (tcp_select_initial_window) */
export const DEFAULT_RCV_WSCALE = 7;

/** the ephemeral range of net.ipv4.ip_local_port_range on 3.16 */
export const EPHEMERAL_LOW = 32768;
export const EPHEMERAL_HIGH = 61000;
