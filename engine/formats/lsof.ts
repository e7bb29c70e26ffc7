/**
 * lsof 4.86 (print.c, print_file()) for internet sockets: columns sized to their widest entry,
 * COMMAND cut at 9 characters, USER right-aligned, the descriptor as "%4d" with its access mode,
 * the socket's inode under DEVICE and its protocol under NODE.
 */

import type { InetSocket } from './types';

/** one process's descriptor on a socket: the socket repeats for every holder, as lsof lists it */
export interface LsofSocket extends InetSocket {
  pid: number;
  comm: string;
  user: string;
  fd: number;
}

export interface LsofOptions {
  /** -i given (with or without a spec) */
  inet: boolean;
  family: 4 | 6 | null;
  proto: 'tcp' | 'udp' | null;
  host: string | null;
  ports: number[] | null;
  pids: number[] | null;
  users: string[] | null;
  commands: string[] | null;
  and: boolean;
  numericHosts: boolean;
  numericPorts: boolean;
}

type Parsed = { ok: true; options: LsofOptions } | { ok: false; stdout: string; stderr: string; code: number };

const SERVICES: Record<string, number> = { ssh: 22, domain: 53, bootpc: 68, ntp: 123 };
const PORT_NAMES: Record<string, string> = { 'tcp:22': 'ssh', 'tcp:53': 'domain', 'udp:53': 'domain', 'udp:68': 'bootpc', 'udp:123': 'ntp' };

/** -i [46][protocol][@hostname|hostaddr][:service|port] */
function parseInet(spec: string, o: LsofOptions): string | null {
  const m = /^([46])?(tcp|udp|TCP|UDP)?(?:@([^:]+))?(?::(.+))?$/.exec(spec);
  if (!m || spec === '') return `lsof: unacceptable Internet address: ${spec}`;
  if (m[1]) o.family = Number(m[1]) as 4 | 6;
  if (m[2]) o.proto = m[2].toLowerCase() as 'tcp' | 'udp';
  if (m[3]) o.host = m[3];
  if (m[4]) {
    const ports: number[] = [];
    for (const part of m[4].split(',')) {
      if (/^\d+$/.test(part)) ports.push(Number(part));
      else if (/^\d+-\d+$/.test(part)) {
        const [a, b] = part.split('-').map(Number) as [number, number];
        for (let p = a; p <= b && p - a < 65_536; p++) ports.push(p);
      } else if (SERVICES[part] !== undefined) ports.push(SERVICES[part]!);
      else return `lsof: unknown service ${part} in: -i ${spec}`;
    }
    o.ports = ports;
  }
  return null;
}

export function parseLsofArgs(argv: readonly string[]): Parsed {
  const o: LsofOptions = { inet: false, family: null, proto: null, host: null, ports: null, pids: null, users: null, commands: null, and: false, numericHosts: false, numericPorts: false };
  const fail = (msg: string): Parsed => ({ ok: false, stdout: '', stderr: `${msg}\n`, code: 1 });
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-i' || a.startsWith('-i')) {
      o.inet = true;
      const spec = a.length > 2 ? a.slice(2) : argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('-') ? argv[++i]! : null;
      if (spec !== null) {
        const err = parseInet(spec, o);
        if (err) return fail(err);
      }
    } else if (a === '-n') o.numericHosts = true;
    else if (a === '-P') o.numericPorts = true;
    else if (a === '-nP' || a === '-Pn') o.numericHosts = o.numericPorts = true;
    else if (a === '-a') o.and = true;
    else if (a === '-p' || a === '-u' || a === '-c') {
      const v = argv[++i];
      if (v === undefined) return fail(`lsof: no ${a === '-p' ? 'process ID' : a === '-u' ? 'user' : 'command'} specified`);
      if (a === '-p') {
        const pids = v.split(',');
        if (pids.some((x) => !/^\d+$/.test(x))) return fail(`lsof: illegal process ID: ${v}`);
        o.pids = pids.map(Number);
      } else if (a === '-u') o.users = v.split(',');
      else o.commands = v.split(',');
    } else if (a === '-v' || a === '-h' || a === '-?') return { ok: false, stdout: '', stderr: 'lsof 4.86\n latest revision: ftp://lsof.itap.purdue.edu/pub/tools/unix/lsof/\n', code: 0 };
    else return fail(`lsof: ${a.startsWith('-') ? `the ${a} option is not simulated here` : `a file name (${a}) is not simulated here`}: this machine's lsof lists internet sockets (-i, -n, -P, -p, -u, -c, -a)`);
  }
  return { ok: true, options: o };
}

function matches(s: LsofSocket, o: LsofOptions): boolean {
  const inet =
    o.inet &&
    (o.family === null || (o.family === 6) === s.v6) &&
    (o.proto === null || o.proto === s.proto) &&
    (o.host === null || o.host === s.local || o.host === s.remote) &&
    (o.ports === null || o.ports.includes(s.lport) || o.ports.includes(s.rport));
  const others: boolean[] = [];
  if (o.pids) others.push(o.pids.includes(s.pid));
  if (o.users) others.push(o.users.includes(s.user));
  if (o.commands) others.push(o.commands.some((c) => s.comm.startsWith(c)));
  if (!o.inet) return others.length === 0 || (o.and ? others.every(Boolean) : others.some(Boolean));
  if (o.and) return inet && others.every(Boolean);
  return inet || others.some(Boolean);
}

function addr(host: string, port: number, s: LsofSocket, o: LsofOptions, hosts: Record<string, string>): string {
  const any = host === '0.0.0.0' || host === '::';
  let h = any ? '*' : !o.numericHosts && hosts[host] ? hosts[host]! : host;
  if (!any && s.v6 && h === host) h = `[${host}]`;
  const p = o.numericPorts ? String(port) : (PORT_NAMES[`${s.proto}:${port}`] ?? String(port));
  return `${h}:${p}`;
}

export function formatLsof(sockets: readonly LsofSocket[], o: LsofOptions, hosts: Record<string, string>): { stdout: string; code: number } {
  const rows = sockets
    .filter((s) => matches(s, o))
    .sort((a, b) => a.pid - b.pid || a.fd - b.fd)
    .map((s) => {
      let name = addr(s.local, s.lport, s, o, hosts);
      if (s.state === 'ESTABLISHED') name += `->${addr(s.remote, s.rport, s, o, hosts)} (ESTABLISHED)`;
      else if (s.state === 'LISTEN') name += ' (LISTEN)';
      return { cmd: s.comm.slice(0, 9), pid: String(s.pid), user: s.user, fd: String(s.fd).padStart(4), type: s.v6 ? 'IPv6' : 'IPv4', dev: String(s.inode), size: '0t0', node: s.proto.toUpperCase(), name };
    });
  if (!rows.length) return { stdout: '', code: 1 };
  const w = (title: string, xs: string[]) => Math.max(title.length, ...xs.map((x) => x.length));
  const cmdW = w('COMMAND', rows.map((r) => r.cmd));
  const pidW = w('PID', rows.map((r) => r.pid));
  const userW = w('USER', rows.map((r) => r.user));
  const fdW = Math.max(2, ...rows.map((r) => r.fd.length + 2));
  const typeW = w('TYPE', rows.map((r) => r.type));
  const devW = w('DEVICE', rows.map((r) => r.dev));
  const sizeW = w('SIZE/OFF', rows.map((r) => r.size));
  const nodeW = w('NODE', rows.map((r) => r.node));
  let out = `${'COMMAND'.padEnd(cmdW)} ${'PID'.padStart(pidW)} ${'USER'.padStart(userW)} ${'FD'.padStart(fdW - 2)}   ${'TYPE'.padStart(typeW)} ${'DEVICE'.padStart(devW)} ${'SIZE/OFF'.padStart(sizeW)} ${'NODE'.padStart(nodeW)} NAME\n`;
  for (const r of rows) {
    out += `${r.cmd.padEnd(cmdW)} ${r.pid.padStart(pidW)} ${r.user.padStart(userW)} ${r.fd.padStart(fdW - 2)}u  ${r.type.padStart(typeW)} ${r.dev.padStart(devW)} ${r.size.padStart(sizeW)} ${r.node.padStart(nodeW)} ${r.name}\n`;
  }
  return { stdout: out, code: 0 };
}
