/**
 * lsof 4.86 on Linux (print.c, print_file()): one line per open file of each process, in pid
 * order and, within a process, cwd, rtd, txt, the mem-mapped files in /proc/PID/maps order, then
 * the descriptors. Every column is sized to its widest entry; COMMAND is cut at 9 characters and
 * left-aligned, PID, USER, TYPE, DEVICE, SIZE/OFF and NODE are right-aligned, a numbered
 * descriptor is "%4d" followed by its access mode and lock characters.
 */

import type { InetSocket } from './types';

/** One open file of one process, as lsof gathers it before printing. */
export interface LsofFile {
  pid: number;
  comm: string;
  user: string;
  /** 'cwd', 'rtd', 'txt', 'mem', 'NOFD', or the descriptor number */
  fd: string | number;
  /** ' ', 'r', 'w' or 'u' */
  access: string;
  /** ' ', or the lock: 'W' a write lock on the whole file */
  lock?: string;
  /** DIR, REG, CHR, FIFO, unix, IPv4, IPv6, unknown, or '' (NOFD) */
  type: string;
  /** "202,1", a kernel address for a unix socket, the inode for an internet one, '' when unknown */
  device: string;
  /** a size in bytes, or "0t<offset>", or ''; worked out only for the lines printed when it costs */
  sizeOff: string | (() => string);
  node: string;
  /** the path or what stands for it ('pipe', '/proc/1/cwd (readlink: Permission denied)') */
  name: string;
  /** the file's path when it has one (what a path operand is matched against) */
  path?: string;
  /** set for an internet socket: its name is worked out from the -n and -P options */
  inet?: InetSocket;
}

export interface LsofOptions {
  /** -i given (with or without a spec) */
  inet: boolean;
  family: 4 | 6 | null;
  proto: 'tcp' | 'udp' | null;
  host: string | null;
  ports: number[] | null;
  pids: number[] | null;
  /** -p ^PID: left out whatever else selects them */
  notPids: number[];
  users: string[] | null;
  notUsers: string[];
  commands: string[] | null;
  /** path operands */
  names: string[] | null;
  and: boolean;
  numericHosts: boolean;
  numericPorts: boolean;
  /** -t: process ids only */
  terse: boolean;
}

type Parsed = { ok: true; options: LsofOptions } | { ok: false; stdout: string; stderr: string; code: number };

const SERVICES: Record<string, number> = { ssh: 22, domain: 53, bootpc: 68, ntp: 123 };
const PORT_NAMES: Record<string, string> = { 'tcp:22': 'ssh', 'tcp:53': 'domain', 'udp:53': 'domain', 'udp:68': 'bootpc', 'udp:123': 'ntp' };

/** what lsof prints after a complaint about its arguments (usage() with no help requested) */
export const LSOF_USAGE =
  'lsof 4.86\n' +
  ' latest revision: ftp://lsof.itap.purdue.edu/pub/tools/unix/lsof/\n' +
  ' latest FAQ: ftp://lsof.itap.purdue.edu/pub/tools/unix/lsof/FAQ\n' +
  ' latest man page: ftp://lsof.itap.purdue.edu/pub/tools/unix/lsof/lsof_man\n' +
  ' usage: [-?abhKlnNoOPRtUvVX] [+|-c c] [+|-d s] [+D D] [+|-e s] [+|-f[gG]]\n' +
  ' [-F [f]] [-g [s]] [-i [i]] [+|-L [l]] [+m [m]] [+|-M] [-o [o]] [-p s]\n' +
  ' [+|-r [t]] [-s [p:s]] [-S [t]] [-T [t]] [-u s] [+|-w] [-x [fl]] [--] [names]\n' +
  "Use the ``-h'' option to get more help information.\n";

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

/** a comma list where ^ excludes: the selected and the excluded */
function selection(v: string): { yes: string[]; no: string[] } {
  const yes: string[] = [];
  const no: string[] = [];
  for (const x of v.split(',').filter((x) => x !== '')) (x.startsWith('^') ? no : yes).push(x.replace(/^\^/, ''));
  return { yes, no };
}

export function parseLsofArgs(argv: readonly string[]): Parsed {
  const o: LsofOptions = {
    inet: false,
    family: null,
    proto: null,
    host: null,
    ports: null,
    pids: null,
    notPids: [],
    users: null,
    notUsers: [],
    commands: null,
    names: null,
    and: false,
    numericHosts: false,
    numericPorts: false,
    terse: false,
  };
  const fail = (msg: string, usage = false): Parsed => ({ ok: false, stdout: '', stderr: `${msg}\n${usage ? LSOF_USAGE : ''}`, code: 1 });
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      o.names = [...(o.names ?? []), ...argv.slice(i + 1)];
      break;
    }
    if (/^\+[a-zA-Z]/.test(a)) return fail(`lsof: the ${a.slice(0, 2)} option is not simulated here (-a -c -i -n -p -P -t -u and file names are)`);
    if (!a.startsWith('-') || a === '-') {
      o.names = [...(o.names ?? []), a];
      continue;
    }
    // options cluster (-nP, -ti); one that takes a value takes the rest of the word or the next one
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      const rest = a.slice(j + 1);
      if (c === 'i') {
        o.inet = true;
        // its optional value may be the next word, unless that starts with - or + (main.c's GetOpt)
        const spec = rest !== '' ? rest : argv[i + 1] !== undefined && !/^[-+]/.test(argv[i + 1]!) ? argv[++i]! : null;
        if (spec !== null) {
          const err = parseInet(spec, o);
          if (err) return fail(err);
        }
        break;
      }
      if (c === 'n') o.numericHosts = true;
      else if (c === 'P') o.numericPorts = true;
      else if (c === 'a') o.and = true;
      else if (c === 't') o.terse = true;
      else if (c === 'l' || c === 'w' || c === 'b') continue;
      else if (c === 'p' || c === 'u' || c === 'c') {
        const v = rest !== '' ? rest : argv[++i];
        if (v === undefined) return fail(c === 'p' ? 'lsof: no process ID specified' : c === 'u' ? 'lsof: no UIDs specified' : 'lsof: missing -c option value', true);
        const s = selection(v);
        if (c === 'p') {
          const bad = [...s.yes, ...s.no].find((x) => !/^\d+$/.test(x));
          if (bad !== undefined) return fail(`lsof: illegal process ID: ${bad}`, true);
          if (s.yes.length) o.pids = [...(o.pids ?? []), ...s.yes.map(Number)];
          o.notPids.push(...s.no.map(Number));
        } else if (c === 'u') {
          if (s.yes.length) o.users = [...(o.users ?? []), ...s.yes];
          o.notUsers.push(...s.no);
        } else o.commands = [...(o.commands ?? []), ...s.yes];
        break;
      } else if (c === 'v' || c === 'h' || c === '?') {
        return { ok: false, stdout: '', stderr: 'lsof 4.86\n latest revision: ftp://lsof.itap.purdue.edu/pub/tools/unix/lsof/\n', code: 0 };
      } else if ('?abhKlnNoOPRtUvVXcdDefFgiLmMopPrsSTuwx'.includes(c)) return fail(`lsof: the -${c} option is not simulated here (-a -c -i -n -p -P -t -u and file names are)`);
      else return fail(`lsof: illegal option character: ${c}`, true);
    }
  }
  return { ok: true, options: o };
}

function inetMatches(s: InetSocket, o: LsofOptions): boolean {
  return (
    (o.family === null || (o.family === 6) === s.v6) &&
    (o.proto === null || o.proto === s.proto) &&
    (o.host === null || o.host === s.local || o.host === s.remote) &&
    (o.ports === null || o.ports.includes(s.lport) || o.ports.includes(s.rport))
  );
}

/** lsof's selection: each option selects, they are or-ed (and-ed with -a); exclusions always apply */
function selected(f: LsofFile, o: LsofOptions): boolean {
  if (o.notPids.includes(f.pid) || o.notUsers.includes(f.user)) return false;
  const tests: boolean[] = [];
  if (o.inet) tests.push(f.inet !== undefined && inetMatches(f.inet, o));
  if (o.pids) tests.push(o.pids.includes(f.pid));
  if (o.users) tests.push(o.users.includes(f.user));
  if (o.commands) tests.push(o.commands.some((c) => f.comm.startsWith(c)));
  if (o.names) tests.push(f.path !== undefined && o.names.includes(f.path));
  if (tests.length === 0) return true;
  return o.and ? tests.every(Boolean) : tests.some(Boolean);
}

function addr(host: string, port: number, s: InetSocket, o: LsofOptions, hosts: Record<string, string>): string {
  const any = host === '0.0.0.0' || host === '::';
  let h = any ? '*' : !o.numericHosts && hosts[host] ? hosts[host]! : host;
  if (!any && s.v6 && h === host) h = `[${host}]`;
  const p = o.numericPorts ? String(port) : (PORT_NAMES[`${s.proto}:${port}`] ?? String(port));
  return `${h}:${p}`;
}

function inetName(s: InetSocket, o: LsofOptions, hosts: Record<string, string>): string {
  let name = addr(s.local, s.lport, s, o, hosts);
  if (s.state === 'ESTABLISHED') name += `->${addr(s.remote, s.rport, s, o, hosts)} (ESTABLISHED)`;
  else if (s.state === 'LISTEN') name += ' (LISTEN)';
  return name;
}

const fdText = (fd: string | number): string => (typeof fd === 'number' ? String(fd).padStart(4) : fd);

/** stdout and lsof's exit code: 1 when nothing was selected */
export function formatLsof(files: readonly LsofFile[], o: LsofOptions, hosts: Record<string, string>): { stdout: string; code: number } {
  const order = (f: LsofFile): number => (f.fd === 'cwd' ? -5 : f.fd === 'rtd' ? -4 : f.fd === 'txt' ? -3 : f.fd === 'mem' ? -2 : f.fd === 'NOFD' ? -1 : (f.fd as number));
  const chosen = files
    .map((f, i) => ({ f, i }))
    .filter(({ f }) => selected(f, o))
    .sort((a, b) => a.f.pid - b.f.pid || order(a.f) - order(b.f) || a.i - b.i)
    .map(({ f }) => f);
  if (!chosen.length) return { stdout: '', code: 1 };
  if (o.terse) return { stdout: [...new Set(chosen.map((f) => f.pid))].map((p) => `${p}\n`).join(''), code: 0 };
  const rows = chosen.map((f) => ({
    cmd: f.comm.slice(0, 9),
    pid: String(f.pid),
    user: f.user,
    fd: `${fdText(f.fd)}${f.access}${f.lock ?? ' '}`,
    type: f.type,
    dev: f.device,
    size: typeof f.sizeOff === 'function' ? f.sizeOff() : f.sizeOff,
    node: f.node,
    name: f.inet ? inetName(f.inet, o, hosts) : f.name,
  }));
  const w = (title: string, xs: string[]) => Math.max(title.length, ...xs.map((x) => x.length));
  const cmdW = w('COMMAND', rows.map((r) => r.cmd));
  const pidW = w('PID', rows.map((r) => r.pid));
  const userW = w('USER', rows.map((r) => r.user));
  const fdW = w('FD', rows.map((r) => r.fd));
  const typeW = w('TYPE', rows.map((r) => r.type));
  const devW = w('DEVICE', rows.map((r) => r.dev));
  const sizeW = w('SIZE/OFF', rows.map((r) => r.size));
  const nodeW = w('NODE', rows.map((r) => r.node));
  let out = `${'COMMAND'.padEnd(cmdW)} ${'PID'.padStart(pidW)} ${'USER'.padStart(userW)} ${'FD'.padStart(fdW - 2)}   ${'TYPE'.padStart(typeW)} ${'DEVICE'.padStart(devW)} ${'SIZE/OFF'.padStart(sizeW)} ${'NODE'.padStart(nodeW)} NAME\n`;
  for (const r of rows) {
    out += `${r.cmd.padEnd(cmdW)} ${r.pid.padStart(pidW)} ${r.user.padStart(userW)} ${r.fd.padStart(fdW)} ${r.type.padStart(typeW)} ${r.dev.padStart(devW)} ${r.size.padStart(sizeW)} ${r.node.padStart(nodeW)} ${r.name}\n`;
  }
  return { stdout: out, code: 0 };
}
