/**
 * free from procps-ng 3.3.9 (Ubuntu 14.04's procps 1:3.3.9-1ubuntu2): total/used/free/shared/
 * buffers/cached, then the "-/+ buffers/cache:" line and Swap.
 *
 * 3.3.9 reads /proc/meminfo through proc/sysinfo.c: used = MemTotal - MemFree and cached is the
 * Cached field alone, so reclaimable slab counts as used on the Mem line and stays used on the
 * -/+ buffers/cache line too.
 */
import type { MeminfoView } from './types';
import { cFixed, toFloat32 } from './printf';
import { exitWith, type ParsedArgs } from './args';
import { getopt } from '../shell/getopt';
import { procpsVersion, USAGE_HEADER, USAGE_OPTIONS, USAGE_SEPARATOR, USAGE_VERSION, usageManTail } from './procps';

export interface FreeOptions {
  /** 0 = default KiB, 1 bytes, 2 kilo, 3 mega, 4 giga, 5 tera */
  exponent: number;
  human: boolean;
  si: boolean;
  lohi: boolean;
  /** -o: no -/+ buffers/cache line */
  old: boolean;
  total: boolean;
  /** -s or -c given: print again after each interval */
  repeat: boolean;
  /** -c N: stop after N prints; absent, a repeat never ends by itself */
  count?: number;
  /** -s N in seconds; 1 when only -c was given (free.c's default of 1000000 us) */
  intervalSeconds: number;
}

function freeUsage(): string {
  return (
    USAGE_HEADER +
    ' free [options]\n' +
    USAGE_OPTIONS +
    ' -b, --bytes         show output in bytes\n' +
    ' -k, --kilo          show output in kilobytes\n' +
    ' -m, --mega          show output in megabytes\n' +
    ' -g, --giga          show output in gigabytes\n' +
    '     --tera          show output in terabytes\n' +
    ' -h, --human         show human-readable output\n' +
    '     --si            use powers of 1000 not 1024\n' +
    ' -l, --lohi          show detailed low and high memory statistics\n' +
    ' -o, --old           use old format (without -/+buffers/cache line)\n' +
    ' -t, --total         show total for RAM + swap\n' +
    ' -s N, --seconds N   repeat printing every N seconds\n' +
    ' -c N, --count N     repeat printing N times, then exit\n' +
    USAGE_SEPARATOR +
    '     --help     display this help and exit\n' +
    USAGE_VERSION +
    usageManTail('free(1)')
  );
}

const LONG_MAX = 2n ** 63n - 1n;

/** strtol_or_err() then the assignment to free.c's int repeat_counter */
function parseCount(v: string): { n: number } | { error: string } {
  const m = /^\s*([-+]?\d+)$/.exec(v);
  if (!m) return { error: `free: failed to parse count argument: '${v}'\n` };
  const big = BigInt(m[1]!);
  if (big > LONG_MAX || big < -LONG_MAX - 1n) return { error: `free: failed to parse count argument: '${v}': Numerical result out of range\n` };
  // long to int keeps the low 32 bits
  const n = Number(BigInt.asIntN(32, big));
  if (n < 1) return { error: `free: failed to parse count argument: '${v}': Numerical result out of range\n` };
  return { n };
}

export function parseFreeArgs(argv: readonly string[]): ParsedArgs<FreeOptions> {
  const options: FreeOptions = { exponent: 0, human: false, si: false, lohi: false, old: false, total: false, repeat: false, intervalSeconds: 1 };
  const p = getopt('free', argv, [
    { short: 'b', long: 'bytes', key: 'b' },
    { short: 'k', long: 'kilo', key: 'k' },
    { short: 'm', long: 'mega', key: 'm' },
    { short: 'g', long: 'giga', key: 'g' },
    { long: 'tera', key: 'tera' },
    { short: 'h', long: 'human', key: 'h' },
    { long: 'si', key: 'si' },
    { short: 'l', long: 'lohi', key: 'l' },
    { short: 'o', long: 'old', key: 'o' },
    { short: 't', long: 'total', key: 't' },
    { short: 's', long: 'seconds', arg: 'required', key: 's' },
    { short: 'c', long: 'count', arg: 'required', key: 'c' },
    { long: 'help', key: 'help' },
    { short: 'V', long: 'version', key: 'V' },
  ]);
  for (const e of p.opts) {
    switch (e.key) {
      case 'b': options.exponent = 1; break;
      case 'k': options.exponent = 2; break;
      case 'm': options.exponent = 3; break;
      case 'g': options.exponent = 4; break;
      case 'tera': options.exponent = 5; break;
      case 'h': options.human = true; break;
      case 'si': options.si = true; break;
      case 'l': options.lohi = true; break;
      case 'o': options.old = true; break;
      case 't': options.total = true; break;
      case 's': {
        const v = e.value ?? '';
        const n = Number(v);
        if (v.trim() === '' || !Number.isFinite(n)) return exitWith('', `free: seconds argument \`${v}' failed\n`, 1);
        if (toFloat32(1000000 * toFloat32(n)) < 1) return exitWith('', `free: seconds argument \`${v}' is not positive number\n`, 1);
        options.repeat = true;
        options.intervalSeconds = toFloat32(n);
        break;
      }
      case 'c': {
        const c = parseCount(e.value ?? '');
        if ('error' in c) return exitWith('', c.error, 1);
        options.repeat = true;
        options.count = c.n;
        break;
      }
      case 'help':
        return exitWith(freeUsage(), '', 0);
      case 'V':
        return exitWith(procpsVersion('free'), '', 0);
    }
  }
  if (p.error !== undefined) return exitWith('', `${p.error}\n${freeUsage()}`, 1);
  return { ok: true, options };
}

/** scale_size() from procps-ng 3.3.9 free.c, including its float rounding. */
export function scaleSize(sizeKb: number, o: Pick<FreeOptions, 'exponent' | 'human' | 'si'>): string {
  const base = o.si ? 1000.0 : 1024.0;
  const power = (e: number) => base ** e;
  if (!o.human) {
    if (o.exponent === 0) return String(sizeKb);
    if (o.exponent === 1) return String(sizeKb * 1024);
    if (o.exponent === 2) return String(o.si ? Math.trunc(sizeKb / 0.9765625) : sizeKb);
    return String(Math.trunc(sizeKb / power(o.exponent - 2)));
  }
  const fits = (s: string) => s.length <= 4;
  let s = `${sizeKb * 1024}B`;
  if (fits(s)) return s;
  s = `${o.si ? Math.trunc(sizeKb / 0.9765625) : sizeKb}K`;
  if (fits(s)) return s;
  for (const [i, unit] of [[3, 'M'], [4, 'G'], [5, 'T']] as const) {
    s = `${cFixed(toFloat32(sizeKb / power(i - 2)), 1)}${unit}`;
    if (fits(s)) return s;
    s = `${Math.trunc(sizeKb / power(i - 2))}${unit}`;
    if (fits(s)) return s;
  }
  return s;
}

export interface FreeNumbers {
  total: number;
  used: number;
  free: number;
  shared: number;
  buffers: number;
  cached: number;
  swapTotal: number;
  swapUsed: number;
  swapFree: number;
}

/** proc/sysinfo.c meminfo() of 3.3.9: the variables free and top print, in KiB. */
export function freeNumbers(m: MeminfoView): FreeNumbers {
  return {
    total: m.MemTotal,
    used: m.MemTotal - m.MemFree,
    free: m.MemFree,
    shared: m.Shmem,
    buffers: m.Buffers,
    cached: m.Cached,
    swapTotal: m.SwapTotal,
    swapUsed: m.SwapTotal - m.SwapFree,
    swapFree: m.SwapFree,
  };
}

/** One snapshot, as printed once per interval. */
export function formatFree(m: MeminfoView, o: FreeOptions): string {
  const n = freeNumbers(m);
  const col = (kb: number) => ` ${scaleSize(kb, o).padStart(10)}`;
  const label = (t: string) => t.padEnd(7);
  const lines: string[] = ['             total       used       free     shared    buffers     cached'];
  lines.push(label('Mem:') + col(n.total) + col(n.used) + col(n.free) + col(n.shared) + col(n.buffers) + col(n.cached));
  if (o.lohi) {
    // x86_64 has no highmem: the kernel exports no LowTotal, so Low is all of memory and High is empty
    lines.push(label('Low:') + col(n.total) + col(n.total - n.free) + col(n.free));
    lines.push(label('High:') + col(0) + col(0) + col(0));
  }
  if (!o.old) {
    const bc = n.buffers + n.cached;
    lines.push('-/+ buffers/cache:' + col(n.used - bc) + col(n.free + bc));
  }
  lines.push(label('Swap:') + col(n.swapTotal) + col(n.swapUsed) + col(n.swapFree));
  if (o.total) {
    lines.push(label('Total:') + col(n.total + n.swapTotal) + col(n.used + n.swapUsed) + col(n.free + n.swapFree));
  }
  return lines.join('\n') + '\n';
}
