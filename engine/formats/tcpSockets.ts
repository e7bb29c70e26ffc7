/**
 * TCP sockets as `ss -tin` (iproute2 3.12, misc/ss.c: inet_show_sock + tcp_show_info) and
 * /proc/net/tcp (linux 3.16, net/ipv4/tcp_ipv4.c: tcp4_seq_show) print them.
 */

/** the struct tcp_info fields ss 3.12 prints (times in µs as the kernel gives them) */
export interface SsTcpInfo {
  timestamps: boolean;
  sack: boolean;
  wscale: boolean;
  sndWscale: number;
  rcvWscale: number;
  rto: number;
  ato: number;
  sndMss: number;
  rtt: number;
  rttvar: number;
  sndCwnd: number;
  sndSsthresh: number;
  unacked: number;
  reordering: number;
  rcvRtt: number;
  rcvSpace: number;
  totalRetrans: number;
  congestion: string;
}

export interface SsTcpRow {
  /** kernel state name, e.g. ESTABLISHED */
  state: string;
  recvQ: number;
  sendQ: number;
  local: string;
  lport: number;
  remote: string;
  rport: number;
  /** inet_diag's timer: 1 retransmit ("on"), 2 keepalive, 3 timewait, 4 persist; ms until it fires */
  timer?: { kind: number; ms: number; retrans: number };
  info: SsTcpInfo;
}

const TIMER_NAMES = ['off', 'on', 'keepalive', 'timewait', 'persist', 'unknown'];

/** print_ms_timer() */
export function ssMsTimer(timeout: number): string {
  const t = Math.max(0, Math.floor(timeout));
  let secs = Math.floor(t / 1000);
  const minutes = Math.floor(secs / 60);
  secs %= 60;
  let msecs = t % 1000;
  let out = '';
  if (minutes) {
    msecs = 0;
    out += `${minutes}min`;
    if (minutes > 9) secs = 0;
  }
  if (secs) {
    if (secs > 9) msecs = 0;
    out += `${secs}${msecs ? '.' : 'sec'}`;
  }
  if (msecs) out += String(msecs).padStart(3, '0') + 'ms';
  return out;
}

const SS_STATE: Record<string, string> = {
  ESTABLISHED: 'ESTAB',
  SYN_SENT: 'SYN-SENT',
  SYN_RECV: 'SYN-RECV',
  FIN_WAIT1: 'FIN-WAIT-1',
  FIN_WAIT2: 'FIN-WAIT-2',
  TIME_WAIT: 'TIME-WAIT',
  CLOSE: 'UNCONN',
  CLOSE_WAIT: 'CLOSE-WAIT',
  LAST_ACK: 'LAST-ACK',
  LISTEN: 'LISTEN',
  CLOSING: 'CLOSING',
};

/** C's %g: six significant digits, trailing zeros dropped */
export function cG(x: number): string {
  if (x === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(x)));
  if (exp < -4 || exp >= 6) {
    const [m, e] = x.toExponential(5).split('e') as [string, string];
    const mant = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
    const n = Number(e);
    return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  const s = x.toPrecision(6);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** sprint_bw() */
function bw(x: number): string {
  if (x > 1_000_000) return `${(x / 1_000_000).toFixed(1)}M`;
  if (x > 1000) return `${(x / 1000).toFixed(1)}K`;
  return cG(x);
}

/** the second line of `ss -i` (after the tab), as tcp_show_info builds it; `options` is -o */
export function ssInfoText(i: SsTcpInfo, options = false): string {
  let o = '';
  if (options) {
    if (i.timestamps) o += ' ts';
    if (i.sack) o += ' sack';
  }
  o += ` ${i.congestion}`;
  if (i.wscale) o += ` wscale:${i.sndWscale},${i.rcvWscale}`;
  if (i.rto && i.rto !== 3000000) o += ` rto:${cG(i.rto / 1000)}`;
  if (i.rtt) o += ` rtt:${cG(i.rtt / 1000)}/${cG(i.rttvar / 1000)}`;
  if (i.ato) o += ` ato:${cG(i.ato / 1000)}`;
  if (i.sndMss) o += ` mss:${i.sndMss}`;
  if (i.sndCwnd !== 2) o += ` cwnd:${i.sndCwnd}`;
  if (i.sndSsthresh < 0xffff) o += ` ssthresh:${i.sndSsthresh}`;
  if (i.rtt > 0 && i.sndMss && i.sndCwnd) o += ` send ${bw((i.sndCwnd * i.sndMss * 8_000_000) / i.rtt)}bps`;
  if (i.unacked) o += ` unacked:${i.unacked}`;
  if (i.totalRetrans) o += ` retrans:0/${i.totalRetrans}`;
  if (i.reordering !== 3) o += ` reordering:${i.reordering}`;
  if (i.rcvRtt) o += ` rcv_rtt:${cG(i.rcvRtt / 1000)}`;
  if (i.rcvSpace) o += ` rcv_space:${i.rcvSpace}`;
  return o;
}

export interface SsTcpOptions {
  /** the State column: shown when the state filter selects more than one state (the default does) */
  stateColumn?: boolean;
  /** -o: the timer after the addresses, ts/sack in the info line */
  options?: boolean;
  /** the terminal's width (80 when stdout is not a tty) */
  screenWidth?: number;
}

/** formatted_print() and resolve_service(): the wildcard address and port 0 print as * */
const ssHost = (a: string): string => (a === '0.0.0.0' ? '*' : a);
const ssPort = (p: number): string => (p === 0 ? '*' : String(p));

/** `ss -tin` (numeric, with tcp_info): the header, then each socket's line and its info line */
export function formatSsTcpInfo(rows: readonly SsTcpRow[], o: SsTcpOptions = {}): string {
  let stateWidth = o.stateColumn === false ? 0 : 10;
  let addrp = (o.screenWidth ?? 80) - 1 - (stateWidth + 1) - 14;
  if (addrp & 1 && stateWidth) stateWidth++;
  addrp = Math.floor(addrp / 2) - 1;
  const servWidth = 5;
  if (addrp < 15 + servWidth + 1) addrp = 15 + servWidth + 1;
  const addrWidth = addrp - servWidth - 1;
  let out = stateWidth ? `${'State'.padEnd(stateWidth)} ` : '';
  out += `${'Recv-Q'.padEnd(6)} ${'Send-Q'.padEnd(6)} `;
  out += `${'Local Address'.padStart(addrWidth)}:${'Port'.padEnd(servWidth)} ${'Peer Address'.padStart(addrWidth)}:${'Port'.padEnd(servWidth)}\n`;
  for (const r of rows) {
    let line = stateWidth ? `${(SS_STATE[r.state] ?? r.state).padEnd(stateWidth)} ` : '';
    line += `${String(r.recvQ).padEnd(6)} ${String(r.sendQ).padEnd(6)} `;
    line += `${ssHost(r.local).padStart(addrWidth)}:${ssPort(r.lport).padEnd(servWidth)} `;
    line += `${ssHost(r.remote).padStart(addrWidth)}:${ssPort(r.rport).padEnd(servWidth)} `;
    if (o.options && r.timer && r.timer.kind) line += ` timer:(${TIMER_NAMES[Math.min(r.timer.kind, 5)]},${ssMsTimer(r.timer.ms)},${r.timer.retrans})`;
    out += `${line}\n\t${ssInfoText(r.info, o.options)}\n`;
  }
  return out;
}

export interface ProcNetTcpRow {
  local: string;
  lport: number;
  remote: string;
  rport: number;
  /** TCP_ESTABLISHED = 1 ... TCP_CLOSING = 11 */
  st: number;
  /** a full socket (get_tcp4_sock), a timewait sock (get_timewait4_sock) or a connection still being set up (get_openreq4) */
  kind: 'sock' | 'timewait' | 'openreq';
  txQueue: number;
  rxQueue: number;
  /** tr: 0 none, 1 retransmit, 2 keepalive, 3 TIME_WAIT, 4 zero window probe */
  timer: number;
  /** tm->when in clock ticks (USER_HZ 100) */
  when: number;
  retrnsmt: number;
  uid: number;
  probes: number;
  inode: number;
  refcnt: number;
  /** 16 hex digits */
  sk: string;
  rto: number;
  ato: number;
  quickPingpong: number;
  cwnd: number;
  ssthresh: number;
}

const hex = (n: number, w: number): string => (n >>> 0).toString(16).toUpperCase().padStart(w, '0');
/** an IPv4 address as the kernel's __be32 printed with %08X on a little-endian machine */
function hexAddr(a: string): string {
  const b = a.split('.').map(Number);
  return hex(((b[3]! << 24) | (b[2]! << 16) | (b[1]! << 8) | b[0]!) >>> 0, 8);
}

const TMPSZ = 150;
const pad = (s: string): string => `${s.padEnd(TMPSZ - 1)}\n`;

/**
 * /proc/net/tcp: every line padded to 149 columns (seq_setwidth/seq_pad). `hidePointers` is %pK
 * under kernel.kptr_restrict=1 for a reader without CAP_SYSLOG: zeros.
 */
export function formatProcNetTcp(rows: readonly ProcNetTcpRow[], hidePointers: boolean): string {
  let out = pad('  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode');
  rows.forEach((r, i) => {
    const head = `${String(i).padStart(4)}: ${hexAddr(r.local)}:${hex(r.lport, 4)} ${hexAddr(r.remote)}:${hex(r.rport, 4)} ${hex(r.st, 2)} ${hex(r.txQueue, 8)}:${hex(r.rxQueue, 8)} ${hex(r.timer, 2)}:${hex(r.when, 8)} ${hex(r.retrnsmt, 8)}`;
    const sk = hidePointers ? '0000000000000000' : r.sk;
    if (r.kind === 'timewait') out += pad(`${head} ${String(0).padStart(5)} ${String(0).padStart(8)} 0 ${r.refcnt} ${sk}`);
    else if (r.kind === 'openreq') out += pad(`${head} ${String(r.uid).padStart(5)} ${String(0).padStart(8)} 0 ${r.refcnt} ${sk}`);
    else out += pad(`${head} ${String(r.uid).padStart(5)} ${String(r.probes).padStart(8)} ${r.inode} ${r.refcnt} ${sk} ${r.rto} ${r.ato} ${r.quickPingpong} ${r.cwnd} ${r.ssthresh}`);
  });
  return out;
}
