/**
 * dmesg from util-linux 2.20.1 (Ubuntu 14.04). It reads the ring buffer through syslog(2), so the
 * kernel's own "[%5lu.%06lu] " stamp is printed as-is, and -T swaps it for a ctime() string.
 */
import type { KernelLogLevel, KernelLogRecord } from './types';
import { exitWith, type ParsedArgs, type ToolExit } from './args';
import { getopt } from '../shell/getopt';
import { ctime, kernelTimestamp } from './time';

const LEVEL_NAMES = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'] as const;
const FACILITY_NAMES = ['kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news'] as const;

export interface DmesgOptions {
  /** -c: print, then clear */
  readClear: boolean;
  /** -C: clear without printing */
  clear: boolean;
  ctime: boolean;
  notime: boolean;
  raw: boolean;
  decode: boolean;
  /** -l list; null = every level */
  levels: KernelLogLevel[] | null;
  /** -f list; kernel records are facility kern */
  facilities: string[] | null;
  userspace: boolean;
}

interface DmesgContext {
  /** virtual ms since the epoch at boot, for -T */
  bootTime: number;
  /** -c and -C need CAP_SYSLOG */
  isRoot: boolean;
}

function dmesgUsage(): string {
  return (
    '\nUsage:\n' +
    ' dmesg [options]\n' +
    '\nOptions:\n' +
    ' -C, --clear                 clear the kernel ring buffer\n' +
    ' -c, --read-clear            read and clear all messages\n' +
    ' -D, --console-off           disable printing messages to console\n' +
    ' -d, --show-delta            show time delta between printed messages\n' +
    ' -E, --console-on            enable printing messages to console\n' +
    ' -f, --facility <list>       restrict output to defined facilities\n' +
    ' -h, --help                  display this help and exit\n' +
    ' -k, --kernel                display kernel messages\n' +
    ' -l, --level <list>          restrict output to defined levels\n' +
    ' -n, --console-level <level> set level of messages printed to console\n' +
    ' -r, --raw                   print the raw message buffer\n' +
    ' -s, --buffer-size <size>    buffer size to query the kernel ring buffer\n' +
    ' -T, --ctime                 show human readable timestamp (could be \n' +
    '                             inaccurate if you have used SUSPEND/RESUME)\n' +
    " -t, --notime                don't print messages timestamp\n" +
    ' -u, --userspace             display userspace messages\n' +
    ' -V, --version               output version information and exit\n' +
    ' -x, --decode                decode facility and level to readable string\n' +
    '\nSupported log facilities:\n' +
    '    kern - kernel messages\n' +
    '    user - random user-level messages\n' +
    '    mail - mail system\n' +
    '  daemon - system daemons\n' +
    '    auth - security/authorization messages\n' +
    '  syslog - messages generated internally by syslogd\n' +
    '     lpr - line printer subsystem\n' +
    '    news - network news subsystem\n' +
    '\nSupported log levels (priorities):\n' +
    '   emerg - system is unusable\n' +
    '   alert - action must be taken immediately\n' +
    '    crit - critical conditions\n' +
    '     err - error conditions\n' +
    '    warn - warning conditions\n' +
    '  notice - normal but significant condition\n' +
    '    info - informational\n' +
    '   debug - debug-level messages\n' +
    '\n'
  );
}

function parseLevel(s: string): KernelLogLevel | string {
  if (/^\d/.test(s)) {
    const n = Number(s);
    if (/^\d+$/.test(s) && n < LEVEL_NAMES.length) return n as KernelLogLevel;
    return `dmesg: unknown level '${s}'\n`;
  }
  const i = LEVEL_NAMES.findIndex((n) => n === s.toLowerCase());
  return i === -1 ? `dmesg: unknown level '${s}'\n` : (i as KernelLogLevel);
}

export function parseDmesgArgs(argv: readonly string[]): ParsedArgs<DmesgOptions> {
  const o: DmesgOptions = {
    readClear: false, clear: false, ctime: false, notime: false, raw: false, decode: false,
    levels: null, facilities: null, userspace: false,
  };
  const p = getopt('dmesg', argv, [
    { short: 'C', long: 'clear', key: 'C' },
    { short: 'c', long: 'read-clear', key: 'c' },
    { short: 'D', long: 'console-off', key: 'D' },
    { short: 'd', long: 'show-delta', key: 'd' },
    { short: 'E', long: 'console-on', key: 'E' },
    { short: 'f', long: 'facility', arg: 'required', key: 'f' },
    { short: 'h', long: 'help', key: 'h' },
    { short: 'k', long: 'kernel', key: 'k' },
    { short: 'l', long: 'level', arg: 'required', key: 'l' },
    { short: 'n', long: 'console-level', arg: 'required', key: 'n' },
    { short: 'r', long: 'raw', key: 'r' },
    { short: 's', long: 'buffer-size', arg: 'required', key: 's' },
    { short: 'T', long: 'ctime', key: 'T' },
    { short: 't', long: 'notime', key: 't' },
    { short: 'u', long: 'userspace', key: 'u' },
    { short: 'V', long: 'version', key: 'V' },
    { short: 'x', long: 'decode', key: 'x' },
  ]);
  for (const e of p.opts) {
    switch (e.key) {
      case 'C': o.clear = true; break;
      case 'c': o.readClear = true; break;
      case 'T': o.ctime = true; break;
      case 't': o.notime = true; break;
      case 'r': o.raw = true; break;
      case 'x': o.decode = true; break;
      case 'u': o.userspace = true; break;
      case 'l': {
        const levels: KernelLogLevel[] = [];
        for (const part of (e.value ?? '').split(',')) {
          const l = parseLevel(part);
          if (typeof l === 'string') return exitWith('', l, 1);
          levels.push(l);
        }
        o.levels = levels;
        break;
      }
      case 'f': {
        const list = (e.value ?? '').split(',');
        const bad = list.find((f) => !(FACILITY_NAMES as readonly string[]).includes(f));
        if (bad !== undefined) return exitWith('', `dmesg: unknown facility '${bad}'\n`, 1);
        o.facilities = list;
        break;
      }
      case 'h':
        return exitWith(dmesgUsage(), '', 0);
      case 'V':
        return exitWith('dmesg from util-linux 2.20.1\n', '', 0);
    }
  }
  if (p.error !== undefined) return exitWith('', `${p.error}\n${dmesgUsage()}`, 1);
  if (p.operands.length) return exitWith('', dmesgUsage(), 1);
  return { ok: true, options: o };
}

/**
 * The records dmesg would print. `clearAfter` tells the caller to empty the ring buffer
 * (-c or -C, root only).
 */
export function formatDmesg(records: readonly KernelLogRecord[], o: DmesgOptions, ctx: DmesgContext): ToolExit & { clearAfter: boolean } {
  if ((o.clear || o.readClear) && !ctx.isRoot) {
    return { stdout: '', stderr: 'dmesg: klogctl failed: Operation not permitted\n', code: 1, clearAfter: false };
  }
  if (o.clear) return { stdout: '', stderr: '', code: 0, clearAfter: true };
  const shown = records.filter(
    (r) => !o.userspace && (o.levels === null || o.levels.includes(r.level)) && (o.facilities === null || o.facilities.includes('kern')),
  );
  const lines = shown.map((r) => {
    if (o.raw) return `<${r.level}>${kernelTimestamp(r.sinceBootMs)} ${r.text}`;
    let prefix = '';
    if (o.decode) prefix += `${'kern'.padEnd(6)}:${LEVEL_NAMES[r.level].padEnd(6)}: `;
    if (o.notime) return prefix + r.text;
    if (o.ctime) return `${prefix}[${ctime(ctx.bootTime + Math.floor(r.sinceBootMs / 1000) * 1000)}] ${r.text}`;
    return `${prefix}${kernelTimestamp(r.sinceBootMs)} ${r.text}`;
  });
  return { stdout: lines.map((l) => `${l}\n`).join(''), stderr: '', code: 0, clearAfter: o.readClear };
}
