/**
 * pmap from procps-ng 3.3.9 (pmap.c, one_proc()): the default listing, -x (extended, from
 * smaps) and -d (device format), each with its total line, for one or more pids.
 */
import { vmaAddress, vmaSizeKb, type VmaView } from './maps';

export interface PmapOptions {
  mode: 'default' | 'x' | 'd';
  quiet: boolean;
  /** -p: the full path of each mapping */
  showPath: boolean;
  pids: number[];
}

type Parsed = { ok: true; options: PmapOptions } | { ok: false; stdout: string; stderr: string; code: number };

const USAGE = `
Usage:
 pmap [options] pid [pid ...]

Options:
 -x, --extended              show details
 -X                          show even more details
            WARNING: format changes according to /proc/PID/smaps
 -XX                         show everything the kernel provides
 -c, --read-rc               read the default rc
 -C, --read-rc-from=<file>   read the rc from file
 -n, --create-rc             create new default rc
 -N, --create-rc-to=<file>   create new rc to file
            NOTE: pid arguments are not allowed with -n, -N
 -d, --device                show the device format
 -q, --quiet                 do not display header and footer
 -p, --show-path             show path in the mapping
 -A, --range=<low>[,<high>]  limit results to the given range

 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see pmap(1).
`;

const usageError = (): Parsed => ({ ok: false, stdout: '', stderr: USAGE, code: 1 });

export function parsePmapArgs(argv: readonly string[]): Parsed {
  const o: PmapOptions = { mode: 'default', quiet: false, showPath: false, pids: [] };
  if (argv.length === 0) return usageError();
  let x = 0;
  let d = 0;
  const operands: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (a.startsWith('--')) {
      const long: Record<string, string> = { '--extended': 'x', '--device': 'd', '--quiet': 'q', '--show-path': 'p', '--help': 'h', '--version': 'V' };
      const f = long[a];
      if (!f) return { ok: false, stdout: '', stderr: `pmap: unrecognized option '${a}'\n${USAGE}`, code: 1 };
      if (f === 'h') return { ok: false, stdout: USAGE, stderr: '', code: 0 };
      if (f === 'V') return { ok: false, stdout: 'pmap from procps-ng 3.3.9\n', stderr: '', code: 0 };
      if (f === 'x') x = 1;
      if (f === 'd') d = 1;
      if (f === 'q') o.quiet = true;
      if (f === 'p') o.showPath = true;
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (const ch of a.slice(1)) {
        if (ch === 'x') x = 1;
        else if (ch === 'd') d = 1;
        else if (ch === 'q') o.quiet = true;
        else if (ch === 'p') o.showPath = true;
        else if (ch === 'h') return { ok: false, stdout: USAGE, stderr: '', code: 0 };
        else if (ch === 'V') return { ok: false, stdout: 'pmap from procps-ng 3.3.9\n', stderr: '', code: 0 };
        else if (ch === 'r') continue;
        else return { ok: false, stdout: '', stderr: `pmap: invalid option -- '${ch}'\n${USAGE}`, code: 1 };
      }
      continue;
    }
    operands.push(a);
  }
  operands.push(...argv.slice(i));
  if (x + d > 1) return { ok: false, stdout: '', stderr: 'pmap: options -c, -C, -d, -n, -N, -x, -X are mutually exclusive\n', code: 1 };
  if (operands.length === 0) return { ok: false, stdout: '', stderr: 'pmap: argument missing\n', code: 1 };
  for (const raw of operands) {
    let walk = raw;
    if (walk.startsWith('/proc/')) {
      walk = walk.slice(6);
      if (!/^[0-9]/.test(walk)) continue;
    }
    // strtoul(walk, &endp, 0): decimal, 0x hex or 0 octal, nothing after it
    if (!/^[0-9]/.test(walk)) return usageError();
    let pid: number;
    if (/^0[xX][0-9a-fA-F]+$/.test(walk)) pid = parseInt(walk.slice(2), 16);
    else if (/^0[0-7]*$/.test(walk)) pid = parseInt(walk, 8);
    else if (/^[1-9][0-9]*$/.test(walk)) pid = Number(walk);
    else return usageError();
    if (!(pid >= 1 && pid <= 0x7fffffff)) return usageError();
    o.pids.push(pid);
  }
  o.mode = x ? 'x' : d ? 'd' : 'default';
  return { ok: true, options: o };
}

/** One process as pmap sees it: its command line (or [comm] for a kernel thread) and its maps. */
export interface PmapProcess {
  pid: number;
  /** argv joined by spaces; '' for a kernel thread */
  args: string;
  comm: string;
  vmas: VmaView[];
}

/** mapping_name(): the basename (or the path with -p), else [ anon ] / [ stack ] */
function mappingName(v: VmaView, showPath: boolean): string {
  if (v.name.startsWith('/')) return showPath ? v.name : v.name.slice(v.name.lastIndexOf('/') + 1);
  return v.name === '[stack]' ? '  [ stack ]' : '  [ anon ]';
}

/** pmap prints 'p' as '-' and a fifth column that is always '-' */
const mode = (perms: string): string => `${perms.slice(0, 3)}${perms[3] === 's' ? 's' : '-'}-`;

function justify(str: string, width: number, right: boolean): string {
  const w = Math.max(width, str.length);
  return `${right ? str.padStart(w) : str.padEnd(w)} `;
}

export function formatPmapProcess(p: PmapProcess, o: PmapOptions): string {
  let out = `${p.pid}:   ${p.args || `[${p.comm}]`}\n`;
  let shared = 0;
  let privWrite = 0;
  let privRead = 0;
  let totalRss = 0;
  let totalDirty = 0;
  if (o.mode === 'x' && !o.quiet) out += `${justify('Address', 16, false)}${justify('Kbytes', 7, true)}${justify('RSS', 7, true)}${justify('Dirty', 7, true)}${justify('Mode', 5, false)}Mapping\n`;
  if (o.mode === 'd' && !o.quiet) out += `${justify('Address', 16, false)}${justify('Kbytes', 7, true)}${justify('Mode', 5, false)}${justify('Offset', 16, false)}${justify('Device', 9, false)}Mapping\n`;
  for (const v of p.vmas) {
    const size = vmaSizeKb(v);
    if (v.perms[3] === 's') shared += size;
    else if (v.perms[1] === 'w') privWrite += size;
    else privRead += size;
    const name = mappingName(v, o.showPath);
    const addr = vmaAddress(v.startPage, 16);
    if (o.mode === 'x') {
      totalRss += v.rssKb;
      totalDirty += v.dirtyKb;
      out += `${addr} ${String(size).padStart(7)} ${String(v.rssKb).padStart(7)} ${String(v.dirtyKb).padStart(7)} ${mode(v.perms)} ${name}\n`;
    } else if (o.mode === 'd') {
      const dev = `${v.major.toString(16).padStart(3, '0')}:${v.minor.toString(16).padStart(5, '0')}`;
      out += `${addr} ${String(size).padStart(7)} ${mode(v.perms)} ${v.offset.toString(16).padStart(16, '0')} ${dev} ${name}\n`;
    } else {
      out += `${addr} ${String(size).padStart(6)}K ${mode(v.perms)} ${name}\n`;
    }
  }
  if (o.quiet) return out;
  const total = shared + privWrite + privRead;
  if (o.mode === 'x') {
    out += `${justify('----------------', 16, false)}${justify('-------', 7, true)}${justify('-------', 7, true)}${justify('-------', 7, true)}\n`;
    out += `${'total kB'.padEnd(16)} ${String(total).padStart(7)} ${String(totalRss).padStart(7)} ${String(totalDirty).padStart(7)}\n`;
  } else if (o.mode === 'd') {
    out += `mapped: ${total}K    writeable/private: ${privWrite}K    shared: ${shared}K\n`;
  } else {
    out += ` total ${String(total).padStart(16)}K\n`;
  }
  return out;
}

/**
 * Every pid asked for, in the order the process table lists them (readproc walks it, not the
 * argument list). Exit status: 1 when a maps file could not be opened, 42 when a pid was not
 * found, both or-ed together.
 */
export function formatPmap(found: ReadonlyArray<PmapProcess | 'denied'>, missing: number, o: PmapOptions): { stdout: string; code: number } {
  let stdout = '';
  let code = 0;
  for (const p of found) {
    if (p === 'denied') code |= 1;
    else stdout += formatPmapProcess(p, o);
  }
  if (missing > 0) code |= 42;
  return { stdout, code };
}
