/**
 * The exact text of the storage tools of Ubuntu 14.04: hexdump -C (bsdmainutils 9.0.5),
 * /proc/diskstats (linux 3.13 block/genhd.c diskstats_show), iostat (sysstat 10.2.0), lsblk and
 * the mount listing (util-linux 2.20.1).
 */
import type { CpuTicks } from './types';

/** a device's counters as /proc/diskstats prints them (Documentation/iostats.txt, linux 3.13) */
export interface DiskStats {
  reads: number;
  readsMerged: number;
  sectorsRead: number;
  msReading: number;
  writes: number;
  writesMerged: number;
  sectorsWritten: number;
  msWriting: number;
  /** requests submitted and not complete */
  inFlight: number;
  /** ms during which at least one request was in flight (io_ticks) */
  msIo: number;
  /** in-flight requests times ms (time_in_queue) */
  msWeighted: number;
}

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');
const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

/**
 * hexdump -C: `"%08.8_ax  " 8/1 "%02x " "  " 8/1 "%02x "` then `"  |" 16/1 "%_p" "|\n"`, and the
 * end offset alone on the last line. The last iteration of a repeated unit drops its trailing
 * space; bytes past the end leave blanks the width of their conversion. A line equal to the one
 * before is shown once as `*` (unless -v).
 */
export function formatHexdumpC(bytes: Uint8Array, startOffset = 0, verbose = false): string {
  return hexdumpRows(bytes, verbose, (row, i) => {
    const cell = (j: number): string => {
      const last = j === 7 || j === 15;
      if (j < row.length) return hex2(row[j]) + (last ? '' : ' ');
      return last ? '  ' : '   ';
    };
    let line = hex8(startOffset + i) + '  ';
    for (let j = 0; j < 8; j++) line += cell(j);
    line += '  ';
    for (let j = 8; j < 16; j++) line += cell(j);
    line += '  |';
    for (const b of row) line += b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : '.';
    return line + '|\n';
  }) + hex8(startOffset + bytes.length) + '\n';
}

/**
 * hexdump with no format option: "%07.7_ax " 8/2 "%04x " "\n", little-endian 16-bit words, the
 * last odd byte zero-extended; past the end each missing word is blanks as wide as its conversion
 */
export function formatHexdumpWords(bytes: Uint8Array, startOffset = 0, verbose = false): string {
  const off = (n: number): string => n.toString(16).padStart(7, '0');
  return hexdumpRows(bytes, verbose, (row, i) => {
    const words: string[] = [];
    for (let j = 0; j < 16; j += 2) words.push(j < row.length ? (row[j] | ((row[j + 1] ?? 0) << 8)).toString(16).padStart(4, '0') : '    ');
    return `${off(startOffset + i)} ${words.join(' ')}\n`;
  }) + off(startOffset + bytes.length) + '\n';
}

/** The rows of 16 bytes either format prints; a full row equal to the one before is shown once as `*` (unless -v). */
function hexdumpRows(bytes: Uint8Array, verbose: boolean, render: (row: Uint8Array, at: number) => string): string {
  const out: string[] = [];
  let prev: string | null = null;
  let starred = false;
  for (let i = 0; i < bytes.length; i += 16) {
    const row = bytes.subarray(i, Math.min(i + 16, bytes.length));
    const key = row.length === 16 ? Array.from(row).join(',') : null;
    if (!verbose && key !== null && key === prev) {
      if (!starred) out.push('*\n');
      starred = true;
      continue;
    }
    prev = key;
    starred = false;
    out.push(render(row, i));
  }
  return out.join('');
}

export interface DiskstatsRow {
  major: number;
  minor: number;
  name: string;
  stats: DiskStats;
}

/** one line of /proc/diskstats: "%4d %7d %s %lu %lu %lu %u %lu %lu %lu %u %u %u %u\n" */
export function formatDiskstatsLine(r: DiskstatsRow): string {
  const s = r.stats;
  const n = (x: number): string => String(Math.floor(x));
  return `${String(r.major).padStart(4)} ${String(r.minor).padStart(7)} ${r.name} ${[s.reads, s.readsMerged, s.sectorsRead, s.msReading, s.writes, s.writesMerged, s.sectorsWritten, s.msWriting, s.inFlight, s.msIo, s.msWeighted].map(n).join(' ')}\n`;
}

// ---- iostat

/** the cpu line's ticks iostat turns into its avg-cpu percentages */
export type IostatCpu = CpuTicks;

export interface IostatSample {
  /** ms since boot */
  uptimeMs: number;
  /** the aggregate CPU line of /proc/stat, in USER_HZ ticks */
  cpu: IostatCpu;
  disks: Array<{ name: string; stats: DiskStats }>;
}

export interface IostatOptions {
  cpu: boolean;
  disk: boolean;
  extended: boolean;
  unit: 'kB' | 'MB' | 'sectors';
  /** -z: leave out devices with no I/O in the interval */
  omitIdle: boolean;
  /** -h: the device name on a line of its own */
  human: boolean;
  /** devices named on the command line, empty for all */
  devices: string[];
}

/** the banner print_gal_header prints: "%s %s (%s) \t%s \t_%s_\t(%d CPU)\n" then a blank line */
export function iostatBanner(release: string, host: string, date: string, cpus: number): string {
  return `Linux ${release} (${host}) \t${date} \t_x86_64_\t(${cpus} CPU)\n\n`;
}

const f = (x: number, w: number): string => x.toFixed(2).padStart(w);

/** one report: the CPU section and the device table, between two samples (the first from boot: prev null) */
export function formatIostatReport(prev: IostatSample | null, cur: IostatSample, o: IostatOptions): string {
  let out = '';
  if (o.cpu) {
    const p: IostatCpu = prev?.cpu ?? { user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0 };
    const c = cur.cpu;
    const sum = (x: IostatCpu): number => x.user + x.nice + x.system + x.idle + x.iowait + x.irq + x.softirq + x.steal;
    const itv = Math.max(1, sum(c) - sum(p));
    const sp = (a: number, b: number): number => ((b - a) / itv) * 100;
    out += 'avg-cpu:  %user   %nice %system %iowait  %steal   %idle\n';
    out +=
      '         ' +
      [
        sp(p.user, c.user),
        sp(p.nice, c.nice),
        sp(p.system + p.softirq + p.irq, c.system + c.softirq + c.irq),
        sp(p.iowait, c.iowait),
        sp(p.steal, c.steal),
        c.idle < p.idle ? 0 : sp(p.idle, c.idle),
      ]
        .map((x) => f(x, 6))
        .join('  ') +
      '\n\n';
  }
  if (!o.disk) return out;
  // one processor's uptime in USER_HZ (100) ticks, as sysstat reads it from /proc/uptime
  const itv = Math.max(1, Math.floor(cur.uptimeMs / 10) - Math.floor((prev?.uptimeMs ?? 0) / 10));
  const S = (a: number, b: number): number => ((b - a) / itv) * 100;
  const fctr = o.unit === 'kB' ? 2 : o.unit === 'MB' ? 2048 : 1;
  if (o.extended) {
    out += 'Device:         rrqm/s   wrqm/s     r/s     w/s';
    out += o.unit === 'MB' ? '    rMB/s    wMB/s' : o.unit === 'kB' ? '    rkB/s    wkB/s' : '   rsec/s   wsec/s';
    out += ' avgrq-sz avgqu-sz   await r_await w_await  svctm  %util\n';
  } else {
    out += 'Device:            tps';
    out += o.unit === 'kB' ? '    kB_read/s    kB_wrtn/s    kB_read    kB_wrtn\n' : o.unit === 'MB' ? '    MB_read/s    MB_wrtn/s    MB_read    MB_wrtn\n' : '   Blk_read/s   Blk_wrtn/s   Blk_read   Blk_wrtn\n';
  }
  const zero: DiskStats = { reads: 0, readsMerged: 0, sectorsRead: 0, msReading: 0, writes: 0, writesMerged: 0, sectorsWritten: 0, msWriting: 0, inFlight: 0, msIo: 0, msWeighted: 0 };
  for (const d of cur.disks) {
    if (o.devices.length > 0 && !o.devices.includes(d.name)) continue;
    const i = d.stats;
    const j = prev?.disks.find((x) => x.name === d.name)?.stats ?? zero;
    if (!i.reads && !i.writes) continue;
    if (o.omitIdle && i.reads === j.reads && i.writes === j.writes) continue;
    out += o.human ? `${d.name}\n${''.padEnd(13)}` : d.name.padEnd(13);
    if (o.extended) {
      const ios = i.reads + i.writes - (j.reads + j.writes);
      const tput = (ios * 100) / itv;
      const util = S(j.msIo, i.msIo);
      const svctm = tput ? util / tput : 0;
      const awaitAll = ios ? (i.msReading - j.msReading + (i.msWriting - j.msWriting)) / ios : 0;
      const arqsz = ios ? (i.sectorsRead - j.sectorsRead + (i.sectorsWritten - j.sectorsWritten)) / ios : 0;
      const rAwait = i.reads - j.reads ? (i.msReading - j.msReading) / (i.reads - j.reads) : 0;
      const wAwait = i.writes - j.writes ? (i.msWriting - j.msWriting) / (i.writes - j.writes) : 0;
      out +=
        ' ' +
        [
          f(S(j.readsMerged, i.readsMerged), 8),
          f(S(j.writesMerged, i.writesMerged), 8),
          f(S(j.reads, i.reads), 7),
          f(S(j.writes, i.writes), 7),
          f(S(j.sectorsRead, i.sectorsRead) / fctr, 8),
          f(S(j.sectorsWritten, i.sectorsWritten) / fctr, 8),
          f(arqsz, 8),
          f(S(j.msWeighted, i.msWeighted) / 1000, 8),
          f(awaitAll, 7),
          f(rAwait, 7),
          f(wAwait, 7),
          f(svctm, 6),
          f(util / 10, 6),
        ].join(' ') +
        '\n';
    } else {
      out += ` ${f(S(j.reads + j.writes, i.reads + i.writes), 8)} ${f(S(j.sectorsRead, i.sectorsRead) / fctr, 12)} ${f(S(j.sectorsWritten, i.sectorsWritten) / fctr, 12)} ${String(Math.floor((i.sectorsRead - j.sectorsRead) / fctr)).padStart(10)} ${String(Math.floor((i.sectorsWritten - j.sectorsWritten) / fctr)).padStart(10)}\n`;
    }
  }
  return out + '\n';
}

// ---- lsblk

/** size_to_human_string(SIZE_SUFFIX_1LETTER): binary units, one decimal when there is a fraction */
export function lsblkSize(bytes: number): string {
  let shft = 10;
  for (; shft <= 60; shft += 10) if (bytes < 2 ** shft) break;
  const exp = shft - 10;
  const letter = 'BKMGTPE'[exp ? exp / 10 : 0];
  let dec = exp ? Math.floor(bytes / 2 ** exp) : bytes;
  let frac = exp ? bytes % 2 ** exp : 0;
  if (frac) {
    frac = Math.floor((Math.floor(frac / 2 ** (exp - 10)) + 50) / 100);
    if (frac === 10) {
      dec++;
      frac = 0;
    }
  }
  return frac ? `${dec}.${frac}${letter}` : `${dec}${letter}`;
}

export interface LsblkColumn {
  name: string;
  /** width hint: at least this wide when it is 1 or more and the header is narrower */
  hint: number;
  right: boolean;
}

/** the tt table of util-linux 2.20.1: each column as wide as its widest cell (at least its header), one space apart, the last not padded */
export function formatLsblk(cols: LsblkColumn[], rows: string[][], headings = true): string {
  const widths = cols.map((c, i) => {
    let w = Math.max(0, ...rows.map((r) => (r[i] ?? '').length));
    const min = c.name.length;
    if (w < min) w = min;
    else if (c.hint >= 1 && w < c.hint && min < c.hint) w = c.hint;
    return w;
  });
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => {
        const last = i === cells.length - 1;
        if (cols[i].right) return cell.padStart(widths[i]);
        return last ? cell : cell.padEnd(widths[i]);
      })
      // an empty last cell still follows its separator: unmounted devices' lines end in a space
      .join(' ') + '\n';
  return (headings ? line(cols.map((c) => c.name)) : '') + rows.map(line).join('');
}

// ---- mount

export interface MtabEntry {
  source: string;
  target: string;
  type: string;
  options: string;
}

/** mount's listing of /etc/mtab: "%s on %s type %s (%s)" */
export function formatMountList(entries: MtabEntry[]): string {
  return entries.map((e) => `${e.source} on ${e.target} type ${e.type} (${e.options})\n`).join('');
}
