/**
 * netstat from net-tools 1.60 (Ubuntu's 1.60-25ubuntu2, which names tcp6/udp6) and ss from
 * iproute2 3.12, for internet sockets: the listing, the names -n turns off, and -p's owners.
 */
import { getopt, type OptDef } from '../shell/getopt';
import type { InetSocket } from './types';

export interface SocketRow extends Omit<InetSocket, 'inode'> {
  /** the socket's inode (lsof prints it) */
  inode?: number;
  /** processes holding it, lowest pid first, as /proc lists them */
  holders: Array<{ pid: number; comm: string; args: string; fd: number; visible: boolean; user?: string }>;
}

/** /etc/services for the ports this machine uses */
const SERVICES: Record<string, string> = { 'tcp:22': 'ssh', 'tcp:53': 'domain', 'udp:53': 'domain', 'udp:68': 'bootpc', 'udp:123': 'ntp' };

export interface NameOptions {
  numeric: boolean;
  /** /etc/hosts: address → name */
  hosts: Record<string, string>;
}

export interface NetstatOptions extends NameOptions {
  tcp: boolean;
  udp: boolean;
  listening: boolean;
  all: boolean;
  programs: boolean;
  /** neither -t nor -u: every family, of which only internet sockets are simulated */
  unixAsked: boolean;
}

type Parsed<T> = { ok: true; options: T } | { ok: false; stdout: string; stderr: string; code: number };

const NETSTAT_USAGE =
  'usage: netstat [-vWeenNcCF] [<Af>] -r         netstat {-V|--version|-h|--help}\n' +
  '       netstat [-vWnNcaeol] [<Socket> ...]\n' +
  '       netstat { [-vWeenNac] -i | [-cWnNe] -M | -s }\n';

/** net-tools 1.60's getopt_long string "MCFA:acdegphinNorstuVv?wxl" (with Debian's -W) and its long options */
const NETSTAT_OPTS: OptDef[] = [
  ...'MCFacdeghinNoprstuVvwxlW'.split('').map((c) => ({ short: c, key: c })),
  { short: 'A', key: 'A', arg: 'required' },
  ...Object.entries({ version: 'V', interfaces: 'i', help: 'h', route: 'r', masquerade: 'M', tcp: 't', udp: 'u', raw: 'w', unix: 'x', listening: 'l', all: 'a', timers: 'o', continuous: 'c', extend: 'e', programs: 'p', verbose: 'v', statistics: 's', wide: 'W', numeric: 'n', symbolic: 'N', cache: 'C', fib: 'F', groups: 'g' }).map(([long, key]) => ({ long, key })),
  { long: 'protocol', key: 'A', arg: 'required' },
  { long: 'numeric-hosts', key: '!' },
  { long: 'numeric-ports', key: '@' },
  { long: 'numeric-users', key: '#' },
];

export function parseNetstatArgs(argv: readonly string[], hosts: Record<string, string>): Parsed<NetstatOptions> {
  const o: NetstatOptions = { numeric: false, hosts, tcp: false, udp: false, listening: false, all: false, programs: false, unixAsked: false };
  const p = getopt('netstat', argv, NETSTAT_OPTS);
  for (const { key } of p.opts) {
    if (key === 't') o.tcp = true;
    else if (key === 'u') o.udp = true;
    else if (key === 'l') o.listening = true;
    else if (key === 'a') o.all = true;
    else if (key === 'n') o.numeric = true;
    else if (key === 'p') o.programs = true;
    else if (key === 'e' || key === 'W' || key === 'v') continue;
    else if (key === 'h') return { ok: false, stdout: '', stderr: NETSTAT_USAGE, code: 1 };
    else if (key === '!' || key === '@' || key === '#') return { ok: false, stdout: '', stderr: "netstat: --numeric-hosts, --numeric-ports and --numeric-users are not simulated here: -n turns every name off\n", code: 1 };
    else return { ok: false, stdout: '', stderr: `netstat: -${key} is not simulated here: this machine's netstat lists internet sockets only (-t, -u, -l, -a, -n, -p)\n`, code: 1 };
  }
  if (p.error !== undefined) return { ok: false, stdout: '', stderr: `${p.error}\n${NETSTAT_USAGE}`, code: 1 };
  // an operand is nothing netstat takes: it prints its usage
  if (p.operands.length > 0) return { ok: false, stdout: '', stderr: NETSTAT_USAGE, code: 1 };
  if (!o.tcp && !o.udp) {
    o.tcp = true;
    o.udp = true;
    o.unixAsked = true;
  }
  return { ok: true, options: o };
}

function hostName(addr: string, v6: boolean, o: NameOptions, netstatStyle: boolean): string {
  if (o.numeric) return addr;
  if (addr === '0.0.0.0') return '*';
  if (addr === '::') return netstatStyle ? '[::]' : '*';
  if (addr === '::1') return 'ip6-localhost';
  return o.hosts[addr] ?? (v6 && netstatStyle ? `[${addr}]` : addr);
}

function portName(proto: string, port: number, o: NameOptions): string {
  if (port === 0) return '*';
  if (o.numeric) return String(port);
  return SERVICES[`${proto}:${port}`] ?? String(port);
}

/** argv[0] of a command line; a retitled process (sshd: ops [priv]) has its whole title there */
function argv0Of(args: string): string {
  const first = args.split(' ')[0]!;
  return first.endsWith(':') ? args : first;
}

/** "%s:%s" with the address cut so the whole fits 23 columns (tcp_do_one / udp_do_one) */
function netstatAddr(addr: string, port: number, proto: string, v6: boolean, o: NameOptions): string {
  const svc = portName(proto, port, o);
  let host = hostName(addr, v6, o, true);
  if (host.length + svc.length > 22) host = host.slice(0, 22 - svc.length);
  return `${host}:${svc}`;
}

const sortRows = (rows: readonly SocketRow[]): SocketRow[] => [...rows].sort((a, b) => a.lport - b.lport || Number(a.v6) - Number(b.v6) || (a.local < b.local ? -1 : a.local > b.local ? 1 : 0));

export function formatNetstat(rows: readonly SocketRow[], o: NetstatOptions, root: boolean): { stdout: string; stderr: string } {
  let stderr = '';
  if (o.programs && !root) stderr += '(Not all processes could be identified, non-owned process info\n will not be shown, you would have to be root to see it all.)\n';
  let out = `Active Internet connections ${o.all ? '(servers and established)' : o.listening ? '(only servers)' : '(w/o servers)'}\n`;
  out += 'Proto Recv-Q Send-Q Local Address           Foreign Address         State      ';
  if (o.programs) out += ' PID/Program name'.padEnd(20);
  out += '\n';
  const show = (r: SocketRow): boolean => o.all || (o.listening ? r.state !== 'ESTABLISHED' : r.state === 'ESTABLISHED');
  const groups: Array<[string, boolean, boolean]> = [];
  if (o.tcp) groups.push(['tcp', false, true], ['tcp', true, true]);
  if (o.udp) groups.push(['udp', false, false], ['udp', true, false]);
  for (const [proto, v6] of groups) {
    for (const r of sortRows(rows.filter((x) => x.proto === proto && x.v6 === v6 && show(x)))) {
      const name = `${proto}${v6 ? '6' : ''}`.padEnd(4);
      const state = r.state === 'UNCONN' ? '' : r.state;
      let line = `${name}  ${String(r.recvQ ?? 0).padStart(6)} ${String(r.sendQ ?? 0).padStart(6)} ${netstatAddr(r.local, r.lport, proto, v6, o).padEnd(23)} ${netstatAddr(r.remote, r.rport, proto, v6, o).padEnd(23)} ${state.padEnd(12)}`;
      if (o.programs) {
        const h = r.holders[0];
        // the first process found holding the inode, "pid/" and the basename of its argv[0], in 19 characters
        const argv0 = h ? argv0Of(h.args) : '';
        line += (h && h.visible ? `${h.pid}/${argv0.slice(argv0.lastIndexOf('/') + 1)}`.slice(0, 19) : '-').padEnd(20);
      }
      out += `${line}\n`;
    }
  }
  if (o.unixAsked) stderr += 'netstat: UNIX domain sockets are not simulated here; only the internet sockets are listed\n';
  return { stdout: out, stderr };
}

// ---- ss ----

export interface SsOptions extends NameOptions {
  tcp: boolean;
  udp: boolean;
  listening: boolean;
  all: boolean;
  processes: boolean;
  /** -r: resolve host names (ports are named unless -n) */
  resolve: boolean;
  /** no family asked: ss would list unix sockets too */
  unixAsked: boolean;
}

const SS_USAGE = 'Usage: ss [ OPTIONS ]\n       ss [ OPTIONS ] [ FILTER ]\n';

/** iproute2 3.12's getopt_long string "dhaletuwxnro460spbf:miA:D:F:vVzZN:" and its long options */
const SS_OPTS: OptDef[] = [
  ...'dhaletuwxnro460spbmivVzZ'.split('').map((c) => ({ short: c, key: c })),
  ...'fADFN'.split('').map((c) => ({ short: c, key: c, arg: 'required' as const })),
  ...Object.entries({ numeric: 'n', resolve: 'r', debug: 'd', help: 'h', all: 'a', listening: 'l', extended: 'e', options: 'o', tcp: 't', udp: 'u', raw: 'w', unix: 'x', ipv4: '4', ipv6: '6', packet: '0', summary: 's', processes: 'p', bpf: 'b', memory: 'm', info: 'i', version: 'V', context: 'Z', contexts: 'z' }).map(([long, key]) => ({ long, key })),
  ...Object.entries({ family: 'f', query: 'A', socket: 'A', diag: 'D', filter: 'F', net: 'N' }).map(([long, key]) => ({ long, key, arg: 'required' as const })),
];

export function parseSsArgs(argv: readonly string[], hosts: Record<string, string>): Parsed<SsOptions> {
  const o: SsOptions = { numeric: false, hosts, tcp: false, udp: false, listening: false, all: false, processes: false, resolve: false, unixAsked: false };
  const p = getopt('ss', argv, SS_OPTS);
  for (const { key } of p.opts) {
    if (key === 't') o.tcp = true;
    else if (key === 'u') o.udp = true;
    else if (key === 'l') o.listening = true;
    else if (key === 'a') o.all = true;
    else if (key === 'n') o.numeric = true;
    else if (key === 'p') o.processes = true;
    else if (key === 'r') o.resolve = true;
    else if (key === '4' || key === 'e' || key === 'o') continue;
    else if (key === 'h') return { ok: false, stdout: SS_USAGE, stderr: '', code: 0 };
    else return { ok: false, stdout: '', stderr: `ss: -${key} is not simulated here: this machine's ss lists internet sockets only (-t, -u, -l, -a, -n, -p)\n`, code: 255 };
  }
  if (p.error !== undefined) return { ok: false, stdout: '', stderr: `${p.error}\n${SS_USAGE}`, code: 255 };
  if (p.operands.length > 0) return { ok: false, stdout: '', stderr: `ss: filters (${p.operands.join(' ')}) are not simulated here: use -t, -u, -l, -a, -n, -p and grep\n`, code: 255 };
  if (!o.tcp && !o.udp) {
    o.tcp = true;
    o.unixAsked = true;
  }
  return { ok: true, options: o };
}

/** formatted_print(): the address right-aligned in addr_width, ':' and the port left-aligned in serv_width */
function ssAddr(addr: string, port: number, proto: string, v6: boolean, o: SsOptions, addrWidth: number, servWidth: number): string {
  let width = addrWidth;
  // host names only with -r; an IPv4 wildcard prints as *, an IPv6 one as ::
  let host = !v6 && addr === '0.0.0.0' ? '*' : o.resolve && !o.numeric ? (o.hosts[addr] ?? (addr === '::1' ? 'ip6-localhost' : addr)) : addr;
  if (v6 && host.length > addrWidth) width = addrWidth + Math.floor((host.length - addrWidth + 3) / 4) * 4;
  if (v6) host = host.padStart(width);
  const svc = port === 0 ? '*' : o.numeric ? String(port) : (SERVICES[`${proto}:${port}`] ?? String(port));
  return `${host.padStart(width)}:${svc.padEnd(servWidth)} `;
}

export function formatSs(rows: readonly SocketRow[], o: SsOptions): { stdout: string; stderr: string } {
  // -l asks for LISTEN and UNCONN: more than one state, so the State column shows; two families, so Netid does
  const families = (o.tcp ? 1 : 0) + (o.udp ? 1 : 0) + (o.unixAsked ? 1 : 0);
  let netidWidth = families > 1 ? 5 : 0;
  let stateWidth = o.listening || o.all ? 10 : 0;
  const screen = 80;
  let addrp = screen - (netidWidth + 1) - (stateWidth + 1) - 14;
  if (addrp & 1) {
    if (netidWidth) netidWidth++;
    else if (stateWidth) stateWidth++;
  }
  addrp = Math.floor(addrp / 2) - 1;
  const servWidth = o.numeric ? 5 : 7;
  if (addrp < 15 + servWidth + 1) addrp = 15 + servWidth + 1;
  const addrWidth = addrp - servWidth - 1;
  let out = '';
  if (netidWidth) out += `${'Netid'.padEnd(netidWidth)} `;
  if (stateWidth) out += `${'State'.padEnd(stateWidth)} `;
  out += `${'Recv-Q'.padEnd(6)} ${'Send-Q'.padEnd(6)} `;
  out += `${'Local Address'.padStart(addrWidth)}:${'Port'.padEnd(servWidth)} ${'Peer Address'.padStart(addrWidth)}:${'Port'.padEnd(servWidth)}\n`;
  const show = (r: SocketRow): boolean => o.all || (o.listening ? r.state !== 'ESTABLISHED' : r.state === 'ESTABLISHED');
  const order: Array<'udp' | 'tcp'> = [];
  if (o.udp) order.push('udp');
  if (o.tcp) order.push('tcp');
  for (const proto of order) {
    for (const r of sortRows(rows.filter((x) => x.proto === proto && show(x)))) {
      let line = '';
      if (netidWidth) line += `${proto.padEnd(netidWidth)} `;
      // sstate_name[]: ss abbreviates ESTABLISHED
      if (stateWidth) line += `${(r.state === 'ESTABLISHED' ? 'ESTAB' : r.state).padEnd(stateWidth)} `;
      line += `${String(r.recvQ ?? 0).padEnd(6)} ${r.state === 'LISTEN' ? '128'.padEnd(6) : String(r.sendQ ?? 0).padEnd(6)} `;
      line += ssAddr(r.local, r.lport, proto, r.v6, o, addrWidth, servWidth);
      line += ssAddr(r.remote, r.rport, proto, r.v6, o, addrWidth, servWidth);
      if (o.processes) {
        // user_ent_add() pushes onto the front of its list: the highest pid comes out first
        const users = [...r.holders].reverse().filter((h) => h.visible).map((h) => `("${h.comm}",${h.pid},${h.fd})`);
        if (users.length) line += ` users:(${users.join(',')})`;
      }
      out += `${line}\n`;
    }
  }
  const stderr = o.unixAsked ? 'ss: UNIX domain sockets are not simulated here; only the internet sockets are listed\n' : '';
  return { stdout: out, stderr };
}
