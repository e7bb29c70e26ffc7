/**
 * free from procps-ng 3.3.10: the total/used/free/shared/buff/cache/available layout.
 *
 * used = MemTotal - MemFree - buff/cache and buff/cache = Buffers + Cached + SReclaimable, so
 * unreclaimable slab shows up as "used" although no process owns it.
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
  total: boolean;
  wide: boolean;
  /** -c N (parsed and checked; the free spell prints one snapshot whatever N is) */
  count?: number;
  /** -s N (parsed and checked; likewise not acted on) */
  intervalSeconds?: number;
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
    ' -t, --total         show total for RAM + swap\n' +
    ' -s N, --seconds N   repeat printing every N seconds\n' +
    ' -c N, --count N     repeat printing N times, then exit\n' +
    ' -w, --wide          wide output\n' +
    USAGE_SEPARATOR +
    '     --help     display this help and exit\n' +
    USAGE_VERSION +
    usageManTail('free(1)')
  );
}

export function parseFreeArgs(argv: readonly string[]): ParsedArgs<FreeOptions> {
  const options: FreeOptions = { exponent: 0, human: false, si: false, lohi: false, total: false, wide: false };
  const p = getopt('free', argv, [
    { short: 'b', long: 'bytes', key: 'b' },
    { short: 'k', long: 'kilo', key: 'k' },
    { short: 'm', long: 'mega', key: 'm' },
    { short: 'g', long: 'giga', key: 'g' },
    { long: 'tera', key: 'tera' },
    { short: 'h', long: 'human', key: 'h' },
    { long: 'si', key: 'si' },
    { short: 'l', long: 'lohi', key: 'l' },
    { short: 't', long: 'total', key: 't' },
    { short: 's', long: 'seconds', arg: 'required', key: 's' },
    { short: 'c', long: 'count', arg: 'required', key: 'c' },
    { short: 'w', long: 'wide', key: 'w' },
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
      case 't': options.total = true; break;
      case 'w': options.wide = true; break;
      case 's': {
        const v = e.value ?? '';
        const n = Number(v);
        if (v.trim() === '' || !Number.isFinite(n)) return exitWith('', `free: seconds argument \`${v}' failed\n`, 1);
        if (n * 1000000 < 1) return exitWith('', `free: seconds argument \`${v}' is not positive number\n`, 1);
        options.intervalSeconds = n;
        break;
      }
      case 'c': {
        const v = e.value ?? '';
        if (!/^\s*[-+]?\d+$/.test(v)) return exitWith('', `free: failed to parse count argument: '${v}'\n`, 1);
        const n = Number(v);
        if (n < 1) return exitWith('', `free: failed to parse count argument: '${v}': Numerical result out of range\n`, 1);
        options.count = n;
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

/** scale_size() from procps-ng 3.3.10 free.c, including its float rounding. */
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

interface FreeNumbers {
  total: number;
  used: number;
  free: number;
  shared: number;
  buffers: number;
  cache: number;
  available: number;
  swapTotal: number;
  swapUsed: number;
  swapFree: number;
}

/** The arithmetic behind every column, in KiB. */
export function freeNumbers(m: MeminfoView): FreeNumbers {
  const cache = m.Cached + m.SReclaimable;
  let used = m.MemTotal - m.MemFree - cache - m.Buffers;
  if (used < 0) used = m.MemTotal - m.MemFree;
  return {
    total: m.MemTotal,
    used,
    free: m.MemFree,
    shared: m.Shmem,
    buffers: m.Buffers,
    cache,
    available: m.MemAvailable,
    swapTotal: m.SwapTotal,
    swapUsed: m.SwapTotal - m.SwapFree,
    swapFree: m.SwapFree,
  };
}

/** One snapshot, as printed once per interval. */
export function formatFree(m: MeminfoView, o: FreeOptions): string {
  const n = freeNumbers(m);
  const col = (kb: number) => ` ${scaleSize(kb, o).padStart(11)}`;
  const label = (t: string) => t.padEnd(7);
  const lines: string[] = [];
  lines.push(
    o.wide
      ? '              total        used        free      shared     buffers       cache   available'
      : '              total        used        free      shared  buff/cache   available',
  );
  lines.push(
    label('Mem:') + col(n.total) + col(n.used) + col(n.free) + col(n.shared) +
      (o.wide ? col(n.buffers) + col(n.cache) : col(n.buffers + n.cache)) + col(n.available),
  );
  if (o.lohi) {
    // x86_64 has no highmem: Low is all of memory and High is empty
    lines.push(label('Low:') + col(n.total) + col(n.total - n.free) + col(n.free));
    lines.push(label('High:') + col(0) + col(0) + col(0));
  }
  lines.push(label('Swap:') + col(n.swapTotal) + col(n.swapUsed) + col(n.swapFree));
  if (o.total) {
    lines.push(label('Total:') + col(n.total + n.swapTotal) + col(n.used + n.swapUsed) + col(n.free + n.swapFree));
  }
  return lines.join('\n') + '\n';
}
