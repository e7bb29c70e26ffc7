/**
 * slabtop from procps-ng: the five summary lines, a blank line, the column header (padded to
 * 78 columns) and one row per cache.
 *
 * Interactive (curses) mode cannot run in the game, so without -o the same single screen is
 * printed as -o would print it; the refresh delay is parsed and ignored.
 */
import type { SlabCacheView } from './types';
import { cFixed, lpad, rpad } from './printf';
import { exitWith, type ParsedArgs } from './args';
import { getopt } from '../shell/getopt';
import { procpsVersion, USAGE_HEADER, USAGE_HELP, USAGE_OPTIONS, USAGE_SEPARATOR, USAGE_VERSION, usageManTail } from './procps';

type SlabtopSortKey = 'a' | 'b' | 'c' | 'l' | 'v' | 'n' | 'o' | 'p' | 's' | 'u';

interface SlabtopOptions {
  sort: SlabtopSortKey;
  once: boolean;
  delaySeconds: number;
}

interface SlabtopFormatOptions {
  sort?: SlabtopSortKey;
  /**
   * Terminal height. slabtop prints at most rows - 8 caches; when stdout is not a terminal it
   * falls back to 24 rows, which is the default here.
   */
  rows?: number;
}

/** What slabtop prints (on stderr, exit 1) when /proc/slabinfo is unreadable. */
export const SLABTOP_PERMISSION_DENIED = 'fopen /proc/slabinfo: Permission denied\n';

function slabtopUsage(): string {
  return (
    USAGE_HEADER +
    ' slabtop [options]\n' +
    USAGE_OPTIONS +
    ' -d, --delay <secs>  delay updates\n' +
    ' -o, --once          only display once, then exit\n' +
    ' -s, --sort <char>   specify sort criteria by character (see below)\n' +
    USAGE_SEPARATOR +
    USAGE_HELP +
    USAGE_VERSION +
    '\nThe following are valid sort criteria:\n' +
    ' a: sort by number of active objects\n' +
    ' b: sort by objects per slab\n' +
    ' c: sort by cache size\n' +
    ' l: sort by number of slabs\n' +
    ' v: sort by number of active slabs\n' +
    ' n: sort by name\n' +
    ' o: sort by number of objects (the default)\n' +
    ' p: sort by pages per slab\n' +
    ' s: sort by object size\n' +
    ' u: sort by cache utilization\n' +
    usageManTail('slabtop(1)')
  );
}

const SORT_KEYS = 'abclvnopsu';

export function parseSlabtopArgs(argv: readonly string[]): ParsedArgs<SlabtopOptions> {
  const options: SlabtopOptions = { sort: 'o', once: false, delaySeconds: 3 };
  const p = getopt('slabtop', argv, [
    { short: 'd', long: 'delay', arg: 'required', key: 'd' },
    { short: 's', long: 'sort', arg: 'required', key: 's' },
    { short: 'o', long: 'once', key: 'o' },
    { short: 'h', long: 'help', key: 'h' },
    { short: 'V', long: 'version', key: 'V' },
  ]);
  for (const e of p.opts) {
    switch (e.key) {
      case 'd': {
        const v = e.value ?? '';
        if (!/^[-+]?\d+$/.test(v.trim())) return exitWith('', `slabtop: illegal delay: '${v}'\n`, 1);
        const n = Number(v);
        if (n < 1) return exitWith('', 'slabtop: delay must be positive integer\n', 1);
        options.delaySeconds = n;
        break;
      }
      case 's': {
        // an unknown key silently falls back to the default, as set_sort_func does
        const k = (e.value ?? '')[0];
        options.sort = k !== undefined && SORT_KEYS.includes(k) ? (k as SlabtopSortKey) : 'o';
        break;
      }
      case 'o':
        options.once = true;
        break;
      case 'h':
        return exitWith(slabtopUsage(), '', 0);
      case 'V':
        return exitWith(procpsVersion('slabtop'), '', 0);
    }
  }
  if (p.error !== undefined) return exitWith('', `${p.error}\n${slabtopUsage()}`, 1);
  return { ok: true, options };
}

interface SlabSummary {
  activeObjs: number;
  totalObjs: number;
  activeSlabs: number;
  totalSlabs: number;
  /** caches whose num_objs is non-zero: the library counts these as active */
  activeCaches: number;
  totalCaches: number;
  /** bytes */
  activeSize: number;
  totalSize: number;
  minObjSize: number;
  avgObjSize: number;
  maxObjSize: number;
}

export function slabSummary(caches: readonly SlabCacheView[]): SlabSummary {
  const s: SlabSummary = {
    activeObjs: 0, totalObjs: 0, activeSlabs: 0, totalSlabs: 0, activeCaches: 0,
    totalCaches: caches.length, activeSize: 0, totalSize: 0,
    minObjSize: caches.length ? Number.MAX_SAFE_INTEGER : 0, avgObjSize: 0, maxObjSize: 0,
  };
  for (const c of caches) {
    s.activeObjs += c.activeObjs;
    s.totalObjs += c.numObjs;
    s.activeSlabs += c.activeSlabs;
    s.totalSlabs += c.numSlabs;
    if (c.numObjs) s.activeCaches++;
    s.activeSize += c.activeObjs * c.objSize;
    s.totalSize += c.numObjs * c.objSize;
    s.minObjSize = Math.min(s.minObjSize, c.objSize);
    s.maxObjSize = Math.max(s.maxObjSize, c.objSize);
  }
  if (s.totalObjs) s.avgObjSize = Math.floor(s.totalSize / s.totalObjs);
  return s;
}

/** Utilisation as the library computes it: unsigned int arithmetic, truncated. */
function cacheUse(c: SlabCacheView): number {
  if (!c.numObjs) return 0;
  return Math.floor(((100 * c.activeObjs) >>> 0) / c.numObjs);
}

/** CACHE SIZE in K: slabs x pages per slab x 4 KiB pages. */
export function cacheSizeKb(c: SlabCacheView): number {
  return c.numSlabs * c.pagesPerSlab * 4;
}

type Cmp = (a: SlabCacheView, b: SlabCacheView) => boolean;

const SORTERS: Record<SlabtopSortKey, Cmp> = {
  a: (a, b) => a.activeObjs > b.activeObjs,
  b: (a, b) => a.objPerSlab > b.objPerSlab,
  c: (a, b) => cacheSizeKb(a) > cacheSizeKb(b),
  l: (a, b) => a.numSlabs > b.numSlabs,
  v: (a, b) => a.activeSlabs > b.activeSlabs,
  n: (a, b) => a.name < b.name,
  o: (a, b) => a.numObjs > b.numObjs,
  p: (a, b) => a.pagesPerSlab > b.pagesPerSlab,
  s: (a, b) => a.objSize > b.objSize,
  u: (a, b) => cacheUse(a) > cacheUse(b),
};

/** slabtop's own linked-list merge sort; ties take the right half first, so it is not stable. */
function slabsort(list: SlabCacheView[], first: Cmp): SlabCacheView[] {
  if (list.length < 2) return list;
  const split = Math.ceil(list.length / 2);
  const a = slabsort(list.slice(0, split), first);
  const b = slabsort(list.slice(split), first);
  const out: SlabCacheView[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(first(a[i], b[j]) ? a[i++] : b[j++]);
  return out.concat(i < a.length ? a.slice(i) : b.slice(j));
}

function pct(a: number, b: number): string {
  return cFixed((100.0 * a) / b, 1);
}

export function formatSlabtop(caches: readonly SlabCacheView[], opts: SlabtopFormatOptions = {}): string {
  const s = slabSummary(caches);
  const label = (t: string) => ` ${lpad(t, 35)}: `;
  const lines = [
    `${label('Active / Total Objects (% used)')}${s.activeObjs} / ${s.totalObjs} (${pct(s.activeObjs, s.totalObjs)}%)`,
    `${label('Active / Total Slabs (% used)')}${s.activeSlabs} / ${s.totalSlabs} (${pct(s.activeSlabs, s.totalSlabs)}%)`,
    `${label('Active / Total Caches (% used)')}${s.activeCaches} / ${s.totalCaches} (${pct(s.activeCaches, s.totalCaches)}%)`,
    `${label('Active / Total Size (% used)')}${cFixed(s.activeSize / 1024.0, 2)}K / ${cFixed(s.totalSize / 1024.0, 2)}K (${pct(s.activeSize, s.totalSize)}%)`,
    `${label('Minimum / Average / Maximum Object')}${cFixed(s.minObjSize / 1024.0, 2)}K / ${cFixed(s.avgObjSize / 1024.0, 2)}K / ${cFixed(s.maxObjSize / 1024.0, 2)}K`,
    '',
    lpad('  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME', 78),
  ];
  const sorted = slabsort([...caches], SORTERS[opts.sort ?? 'o']);
  const rows = opts.rows ?? 24;
  // the display loop stops before the list's last node, so the final cache is never shown
  for (let i = 0; i < rows - 8 && i + 1 < sorted.length; i++) {
    const c = sorted[i];
    lines.push(
      `${rpad(c.numObjs, 6)} ${rpad(c.activeObjs, 6)} ${rpad(cacheUse(c), 3)}% ${rpad(cFixed(c.objSize / 1024.0, 2), 7)}K ` +
        `${rpad(c.numSlabs, 6)} ${rpad(c.objPerSlab, 8)} ${rpad(cacheSizeKb(c), 9)}K ${lpad(c.name, 23)}`,
    );
  }
  return lines.join('\n') + '\n';
}
