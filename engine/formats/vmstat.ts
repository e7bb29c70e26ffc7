/**
 * vmstat from procps-ng 3.3.9 (vmstat.c): the procs/memory/swap/io/system/cpu table whose first
 * line averages everything since boot and each later line covers one delay, -a (inactive and
 * active instead of buff and cache), -s (the event counters), -f (forks), -m (slab caches),
 * -S (units), -n (one header) and -w (wide columns).
 */
import type { MeminfoView, SlabCacheView } from './types';
import type { ProcStatView } from './procPidStatus';
import { toFloat32 } from './printf';
import { exitWith, type ParsedArgs } from './args';
import { getopt } from '../shell/getopt';
import { procpsVersion, USAGE_HEADER, USAGE_HELP, USAGE_OPTIONS, USAGE_SEPARATOR, USAGE_VERSION, usageManTail } from './procps';

export interface VmstatOptions {
  mode: 'table' | 'stats' | 'forks' | 'slabs' | 'disk';
  active: boolean;
  wide: boolean;
  oneHeader: boolean;
  /** -S: bytes per unit, and the letter -s prints after each amount */
  unit: number;
  unitLetter: string;
  /** seconds between lines; absent when no delay was given (one line, or one pass) */
  delaySeconds?: number;
  /** lines (or passes) in all; absent with a delay: forever */
  count?: number;
}

/** One reading of the files vmstat reads: /proc/stat, /proc/meminfo, /proc/vmstat. */
export interface VmstatSample {
  stat: ProcStatView;
  mem: MeminfoView;
  /** /proc/vmstat's pgpgin, pgpgout, pswpin, pswpout */
  pgpgin: number;
  pgpgout: number;
  pswpin: number;
  pswpout: number;
}

function vmstatUsage(): string {
  return (
    USAGE_HEADER +
    ' vmstat [options] [delay [count]]\n' +
    USAGE_OPTIONS +
    ' -a, --active           active/inactive memory\n' +
    ' -f, --forks            number of forks since boot\n' +
    ' -m, --slabs            slabinfo\n' +
    ' -n, --one-header       do not redisplay header\n' +
    ' -s, --stats            event counter statistics\n' +
    ' -d, --disk             disk statistics\n' +
    ' -D, --disk-sum         summarize disk statistics\n' +
    ' -p, --partition <dev>  partition specific statistics\n' +
    ' -S, --unit <char>      define display unit\n' +
    ' -w, --wide             wide output\n' +
    USAGE_SEPARATOR +
    USAGE_HELP +
    USAGE_VERSION +
    usageManTail('vmstat(8)')
  );
}

const LONG_MAX = 2n ** 63n - 1n;

/** strtol_or_err(): a whole decimal number, or the error vmstat exits with */
function strtolOrErr(v: string): bigint | string {
  const m = /^\s*([-+]?\d+)$/.exec(v);
  if (v === '' || !m) return `vmstat: failed to parse argument: '${v}'\n`;
  const n = BigInt(m[1]!);
  if (n > LONG_MAX || n < -LONG_MAX - 1n) return `vmstat: failed to parse argument: '${v}': Numerical result out of range\n`;
  return n;
}

export function parseVmstatArgs(argv: readonly string[]): ParsedArgs<VmstatOptions> {
  const o: VmstatOptions = { mode: 'table', active: false, wide: false, oneHeader: false, unit: 1024, unitLetter: 'K' };
  const p = getopt('vmstat', argv, [
    { short: 'a', long: 'active', key: 'a' },
    { short: 'f', long: 'forks', key: 'f' },
    { short: 'm', long: 'slabs', key: 'm' },
    { short: 'n', long: 'one-header', key: 'n' },
    { short: 's', long: 'stats', key: 's' },
    { short: 'd', long: 'disk', key: 'd' },
    { short: 'D', long: 'disk-sum', key: 'D' },
    { short: 'p', long: 'partition', arg: 'required', key: 'p' },
    { short: 'S', long: 'unit', arg: 'required', key: 'S' },
    { short: 'w', long: 'wide', key: 'w' },
    { short: 'h', long: 'help', key: 'h' },
    { short: 'V', long: 'version', key: 'V' },
  ]);
  let forks = false;
  // statMode's bits: more than one of them is no mode vmstat knows
  const modes = new Set<string>();
  for (const e of p.opts) {
    switch (e.key) {
      case 'V': return exitWith(procpsVersion('vmstat'), '', 0);
      case 'h': return exitWith(vmstatUsage(), '', 0);
      case 'a': o.active = true; break;
      // -f prints the forks and exits right there, before any later option is looked at
      case 'f': forks = true; break;
      case 'm': case 's': case 'd': case 'D': case 'p': modes.add(e.key); break;
      case 'n': o.oneHeader = true; break;
      case 'w': o.wide = true; break;
      case 'S': {
        const ch = (e.value ?? '')[0] ?? '';
        const units: Record<string, number> = { b: 1, B: 1, k: 1000, K: 1024, m: 1000000, M: 1048576 };
        if (!(ch in units)) return exitWith('', 'vmstat: -S requires k, K, m or M (default is KiB)\n', 1);
        o.unit = units[ch]!;
        o.unitLetter = ch;
        break;
      }
    }
    if (forks) break;
  }
  if (forks) return { ok: true, options: { ...o, mode: 'forks' } };
  if (p.error !== undefined) return exitWith('', `${p.error}\n${vmstatUsage()}`, 1);
  const [mode] = [...modes];
  if (mode === 'm') o.mode = 'slabs';
  else if (mode === 's') o.mode = 'stats';
  else if (mode !== undefined) o.mode = 'disk';
  const rest = [...p.operands];
  if (rest.length > 0) {
    const d = strtolOrErr(rest.shift()!);
    if (typeof d === 'string') return exitWith('', d, 1);
    if (d < 1n) return exitWith('', 'vmstat: delay must be positive integer\n', 1);
    if (d > 4294967295n) return exitWith('', 'vmstat: too large delay value\n', 1);
    o.delaySeconds = Number(d);
  }
  if (rest.length > 0) {
    const c = strtolOrErr(rest.shift()!);
    if (typeof c === 'string') return exitWith('', c, 1);
    // num_updates is unsigned long: a negative count wraps round to a count that never ends
    if (c >= 0n) o.count = Number(c);
  }
  if (rest.length > 0 || modes.size > 1) return exitWith('', vmstatUsage(), 1);
  return { ok: true, options: o };
}

/** unitConvert(): KiB to the -S unit through a float, truncated */
function unitConvert(kb: number, unit: number): number {
  return Math.trunc(toFloat32(toFloat32(kb / unit) * 1024));
}

export function formatVmstatHeader(o: VmstatOptions): string {
  const head = o.wide
    ? 'procs ---------------memory-------------- ---swap-- -----io---- -system-- ------cpu-----\n'
    : 'procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----\n';
  const m = o.wide ? 8 : 6;
  const cols = ['r'.padStart(2), 'b'.padStart(2), 'swpd'.padStart(m), 'free'.padStart(m), (o.active ? 'inact' : 'buff').padStart(m), (o.active ? 'active' : 'cache').padStart(m),
    'si'.padStart(4), 'so'.padStart(4), 'bi'.padStart(5), 'bo'.padStart(5), 'in'.padStart(4), 'cs'.padStart(4),
    'us'.padStart(2), 'sy'.padStart(2), 'id'.padStart(2), 'wa'.padStart(2), 'st'.padStart(2)];
  return head + cols.join(' ') + '\n';
}

/** C's unsigned int: what does not fit wraps */
const u32 = (n: number) => Number(BigInt.asUintN(32, BigInt(Math.trunc(n))));

function row(o: VmstatOptions, s: VmstatSample, v: { si: number; so: number; bi: number; bo: number; in: number; cs: number; cpu: number[] }): string {
  const m = s.mem;
  const mw = o.wide ? 8 : 6;
  // vmstat leaves itself out of the running count
  const running = Math.max(0, s.stat.procsRunning - 1);
  const cells = [
    String(running).padStart(2), String(s.stat.procsBlocked).padStart(2),
    String(unitConvert(m.SwapTotal - m.SwapFree, o.unit)).padStart(mw),
    String(unitConvert(m.MemFree, o.unit)).padStart(mw),
    String(unitConvert(o.active ? m.Inactive : m.Buffers, o.unit)).padStart(mw),
    String(unitConvert(o.active ? m.Active : m.Cached, o.unit)).padStart(mw),
    String(u32(v.si)).padStart(4), String(u32(v.so)).padStart(4),
    String(u32(v.bi)).padStart(5), String(u32(v.bo)).padStart(5),
    String(u32(v.in)).padStart(4), String(u32(v.cs)).padStart(4),
    ...v.cpu.map((c) => String(u32(c)).padStart(2)),
  ];
  return cells.join(' ') + '\n';
}

/** the cpu shares: user+nice, system+irq+softirq, idle, iowait, steal, each rounded over the whole */
function cpuShares(duse: number, dsys: number, didl: number, diow: number, dstl: number): { shares: number[]; div: number; half: number } {
  let div = duse + dsys + didl + diow + dstl;
  if (!div) {
    div = 1;
    didl = 1;
  }
  const half = Math.floor(div / 2);
  return { shares: [duse, dsys, didl, diow, dstl].map((x) => Math.floor((100 * x + half) / div)), div, half };
}

/** The first line: every rate averaged since boot. */
export function formatVmstatFirst(o: VmstatOptions, s: VmstatSample, hz = 100): string {
  const c = s.stat.cpus[0]!;
  const { shares, div, half } = cpuShares(c.user + c.nice, c.system + c.irq + c.softirq, c.idle, c.iowait, c.steal);
  const rate = (n: number) => Math.floor((n * hz + half) / div);
  return row(o, s, {
    si: rate(unitConvert(s.pswpin * 4, o.unit)),
    so: rate(unitConvert(s.pswpout * 4, o.unit)),
    bi: rate(s.pgpgin),
    bo: rate(s.pgpgout),
    in: rate(s.stat.intr),
    cs: rate(s.stat.ctxt),
    cpu: shares,
  });
}

/** A later line: what happened between two samples `sleep` seconds apart. */
export function formatVmstatNext(o: VmstatOptions, prev: VmstatSample, s: VmstatSample, sleep: number): string {
  const a = prev.stat.cpus[0]!;
  const c = s.stat.cpus[0]!;
  const { shares } = cpuShares(
    c.user - a.user + c.nice - a.nice,
    c.system - a.system + c.irq - a.irq + c.softirq - a.softirq,
    Math.max(0, c.idle - a.idle),
    c.iowait - a.iowait,
    c.steal - a.steal,
  );
  const half = Math.floor(sleep / 2);
  const per = (n: number) => Math.floor((n + half) / sleep);
  return row(o, s, {
    si: per(unitConvert((s.pswpin - prev.pswpin) * 4, o.unit)),
    so: per(unitConvert((s.pswpout - prev.pswpout) * 4, o.unit)),
    bi: per(s.pgpgin - prev.pgpgin),
    bo: per(s.pgpgout - prev.pgpgout),
    in: per(s.stat.intr - prev.stat.intr),
    cs: per(s.stat.ctxt - prev.stat.ctxt),
    cpu: shares,
  });
}

/** vmstat -s: sum_format(), with 3.3.9's "swap cache" line that prints Cached */
export function formatVmstatStats(o: VmstatOptions, s: VmstatSample): string {
  const m = s.mem;
  const c = s.stat.cpus[0]!;
  const u = o.unitLetter;
  const amt = (kb: number, what: string) => `${String(unitConvert(kb, o.unit)).padStart(13)} ${u} ${what}`;
  const num = (n: number, what: string) => `${String(n).padStart(13)} ${what}`;
  return [
    amt(m.MemTotal, 'total memory'),
    amt(m.MemTotal - m.MemFree, 'used memory'),
    amt(m.Active, 'active memory'),
    amt(m.Inactive, 'inactive memory'),
    amt(m.MemFree, 'free memory'),
    amt(m.Buffers, 'buffer memory'),
    amt(m.Cached, 'swap cache'),
    amt(m.SwapTotal, 'total swap'),
    amt(m.SwapTotal - m.SwapFree, 'used swap'),
    amt(m.SwapFree, 'free swap'),
    num(c.user, 'non-nice user cpu ticks'),
    num(c.nice, 'nice user cpu ticks'),
    num(c.system, 'system cpu ticks'),
    num(c.idle, 'idle cpu ticks'),
    num(c.iowait, 'IO-wait cpu ticks'),
    num(c.irq, 'IRQ cpu ticks'),
    num(c.softirq, 'softirq cpu ticks'),
    num(c.steal, 'stolen cpu ticks'),
    num(s.pgpgin, 'pages paged in'),
    num(s.pgpgout, 'pages paged out'),
    num(s.pswpin, 'pages swapped in'),
    num(s.pswpout, 'pages swapped out'),
    num(u32(s.stat.intr), 'interrupts'),
    num(u32(s.stat.ctxt), 'CPU context switches'),
    num(u32(s.stat.btime), 'boot time'),
    num(u32(s.stat.processes), 'forks'),
  ].join('\n') + '\n';
}

export function formatVmstatForks(s: VmstatSample): string {
  return `${String(u32(s.stat.processes)).padStart(13)} forks\n`;
}

export const VMSTAT_SLAB_HEADER = `${'Cache'.padEnd(24)} ${'Num'.padStart(6)} ${'Total'.padStart(6)} ${'Size'.padStart(6)} ${'Pages'.padStart(6)}\n`;

/** vmstat -m: one line per cache; its "Pages" column is really the objects per slab */
export function formatVmstatSlabLine(c: SlabCacheView): string {
  return `${c.name.padEnd(24)} ${String(c.activeObjs).padStart(6)} ${String(c.numObjs).padStart(6)} ${String(c.objSize).padStart(6)} ${String(c.objPerSlab).padStart(6)}\n`;
}

export const VMSTAT_NO_SLABINFO = 'vmstat: your kernel does not support slabinfo or your permissions are insufficient\n';
