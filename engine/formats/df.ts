/**
 * df from coreutils 8.21: one row per filesystem, columns as wide as their widest cell (the
 * Filesystem column at least 14), sizes rounded up as gnulib's human_readable does.
 */
import { exitWith, quoteUtf8, type ParsedArgs } from './args';
import { getopt, has, last } from '../shell/getopt';

export interface DfRow {
  source: string;
  type: string;
  target: string;
  totalKb: number;
  usedKb: number;
  availKb: number;
  inodes: { total: number; used: number; free: number };
}

export interface DfOptions {
  /** 'none': blocks of blockSize bytes; '1024' -h; '1000' -H */
  human: 'none' | '1024' | '1000';
  blockSize: number;
  posix: boolean;
  printType: boolean;
  total: boolean;
  inodes: boolean;
  onlyTypes: string[];
  excludeTypes: string[];
  operands: string[];
}

const TRY = "Try 'df --help' for more information.\n";

function dfHelp(): string {
  return (
    'Usage: df [OPTION]... [FILE]...\n' +
    'Show information about the file system on which each FILE resides,\n' +
    'or all file systems by default.\n' +
    '\n' +
    'Mandatory arguments to long options are mandatory for short options too.\n' +
    '  -a, --all             include dummy file systems\n' +
    "  -B, --block-size=SIZE  scale sizes by SIZE before printing them; e.g.,\n" +
    "                           '-BM' prints sizes in units of 1,048,576 bytes;\n" +
    '                           see SIZE format below\n' +
    '      --total           produce a grand total\n' +
    '  -h, --human-readable  print sizes in human readable format (e.g., 1K 234M 2G)\n' +
    '  -H, --si              likewise, but use powers of 1000 not 1024\n' +
    '  -i, --inodes          list inode information instead of block usage\n' +
    "  -k                    like --block-size=1K\n" +
    '  -l, --local           limit listing to local file systems\n' +
    '      --no-sync         do not invoke sync before getting usage info (default)\n' +
    '  -P, --portability     use the POSIX output format\n' +
    '      --sync            invoke sync before getting usage info\n' +
    '  -t, --type=TYPE       limit listing to file systems of type TYPE\n' +
    '  -T, --print-type      print file system type\n' +
    '  -x, --exclude-type=TYPE   limit listing to file systems not of type TYPE\n' +
    '  -v                    (ignored)\n' +
    '      --help     display this help and exit\n' +
    '      --version  output version information and exit\n'
  );
}

const UNITS = 'KMGTPEZY';

/** A --block-size: 1K, M, 512, 1MB; null when it is not one. */
function blockSizeOf(s: string): number | null {
  const m = /^(\d*)([KMGTPEZY]?)(i?B?)$/i.exec(s);
  if (!m || (m[1] === '' && m[2] === '')) return null;
  const n = m[1] === '' ? 1 : Number(m[1]);
  if (!m[2]) return m[3] === '' && n > 0 && Number.isSafeInteger(n) ? n : null;
  const base = m[3].toUpperCase() === 'B' ? 1000 : 1024;
  const size = n * base ** (UNITS.indexOf(m[2].toUpperCase()) + 1);
  return size > 0 && Number.isSafeInteger(size) ? size : null;
}

export function parseDfArgs(argv: readonly string[]): ParsedArgs<DfOptions> {
  const p = getopt('df', argv, [
    { key: 'a', short: 'a', long: 'all' },
    { key: 'B', short: 'B', long: 'block-size', arg: 'required' },
    { key: 'total', long: 'total' },
    { key: 'h', short: 'h', long: 'human-readable' },
    { key: 'H', short: 'H', long: 'si' },
    { key: 'i', short: 'i', long: 'inodes' },
    { key: 'k', short: 'k' },
    { key: 'l', short: 'l', long: 'local' },
    { key: 'nosync', long: 'no-sync' },
    { key: 'P', short: 'P', long: 'portability' },
    { key: 'sync', long: 'sync' },
    { key: 't', short: 't', long: 'type', arg: 'required' },
    { key: 'T', short: 'T', long: 'print-type' },
    { key: 'x', short: 'x', long: 'exclude-type', arg: 'required' },
    { key: 'v', short: 'v' },
    { key: 'help', long: 'help' },
    { key: 'version', long: 'version' },
  ]);
  if (p.error !== undefined) return exitWith('', `${p.error}\n${TRY}`, 1);
  if (has(p.opts, 'help')) return exitWith(dfHelp(), '', 0);
  if (has(p.opts, 'version')) return exitWith('df (GNU coreutils) 8.21\n', '', 0);
  const options: DfOptions = {
    human: 'none',
    blockSize: 1024,
    posix: has(p.opts, 'P'),
    printType: has(p.opts, 'T'),
    total: has(p.opts, 'total'),
    inodes: has(p.opts, 'i'),
    onlyTypes: p.opts.filter((o) => o.key === 't').map((o) => o.value ?? ''),
    excludeTypes: p.opts.filter((o) => o.key === 'x').map((o) => o.value ?? ''),
    operands: p.operands,
  };
  // the last of -h, -H, -k and -B wins, as in df.c
  for (const o of p.opts) {
    if (o.key === 'h') options.human = '1024';
    else if (o.key === 'H') options.human = '1000';
    else if (o.key === 'k') (options.human = 'none'), (options.blockSize = 1024);
    else if (o.key === 'B') {
      const size = blockSizeOf(o.value ?? '');
      if (size === null) return exitWith('', `df: invalid --block-size argument ${quoteUtf8(o.value ?? '')}\n`, 1);
      options.human = 'none';
      options.blockSize = size;
    }
  }
  if (last(p.opts, 'B') === undefined && options.posix && options.human === 'none') options.blockSize = 1024;
  return { ok: true, options };
}

/** gnulib's human_readable with human_autoscale | human_SI and ceiling rounding, from bytes. */
export function humanSize(bytes: number, base: 1024 | 1000): string {
  let amt = bytes;
  let tenths = 0;
  let rounding = 0;
  let exponent = 0;
  let frac = '';
  if (base <= amt) {
    do {
      const r10 = (amt % base) * 10 + tenths;
      const r2 = (r10 % base) * 2 + (rounding >> 1);
      amt = Math.floor(amt / base);
      tenths = Math.floor(r10 / base);
      rounding = r2 < base ? (r2 !== 0 ? 1 : 0) : 2 + (base < r2 ? 1 : 0);
      exponent++;
    } while (base <= amt && exponent < 8);
    if (amt < 10) {
      if (rounding > 0) {
        tenths++;
        rounding = 0;
        if (tenths === 10) {
          amt++;
          tenths = 0;
        }
      }
      if (amt < 10) {
        frac = `.${tenths}`;
        tenths = 0;
        rounding = 0;
      }
    }
  }
  if (tenths + rounding > 0) {
    amt++;
    if (amt === base && exponent < 8) {
      exponent++;
      frac = '.0';
      amt = 1;
    }
  }
  const letter = exponent === 0 ? '' : base === 1000 && exponent === 1 ? 'k' : UNITS[exponent - 1]!;
  return `${amt}${frac}${letter}`;
}

function blocks(kb: number, o: DfOptions): string {
  if (o.human !== 'none') return humanSize(kb * 1024, o.human === '1024' ? 1024 : 1000);
  return String(Math.ceil((kb * 1024) / o.blockSize));
}

function count(n: number, o: DfOptions): string {
  if (o.human !== 'none') return humanSize(n, o.human === '1024' ? 1024 : 1000);
  return String(n);
}

function percent(used: number, avail: number): string {
  const total = used + avail;
  if (total === 0) return '-';
  return `${Math.ceil((used * 100) / total)}%`;
}

function sizeHeader(o: DfOptions): string {
  if (o.human !== 'none') return 'Size';
  if (o.posix) return `${o.blockSize}-blocks`;
  // the block size as human_readable writes it with human_suppress_point_zero: 1K, 1M, 1kB
  const unit =
    o.blockSize % 1024 === 0 && o.blockSize >= 1024 ? humanSize(o.blockSize, 1024).replace('.0', '')
    : o.blockSize % 1000 === 0 && o.blockSize >= 1000 ? humanSize(o.blockSize, 1000).replace('.0', '') + 'B'
    : `${o.blockSize}B`;
  return `${unit}-blocks`;
}

/** The rows df prints for these options (types filtered, a total added). */
export function formatDf(rows: readonly DfRow[], o: DfOptions): string {
  let shown = rows.filter((r) => (o.onlyTypes.length === 0 || o.onlyTypes.includes(r.type)) && !o.excludeTypes.includes(r.type));
  if (o.total) {
    const sum = (f: (r: DfRow) => number) => shown.reduce((n, r) => n + f(r), 0);
    shown = [
      ...shown,
      {
        source: 'total',
        type: '-',
        target: '-',
        totalKb: sum((r) => r.totalKb),
        usedKb: sum((r) => r.usedKb),
        availKb: sum((r) => r.availKb),
        inodes: { total: sum((r) => r.inodes.total), used: sum((r) => r.inodes.used), free: sum((r) => r.inodes.free) },
      },
    ];
  }
  const header: string[] = ['Filesystem'];
  if (o.printType) header.push('Type');
  if (o.inodes) header.push('Inodes', 'IUsed', 'IFree', 'IUse%');
  else header.push(sizeHeader(o), 'Used', o.human !== 'none' ? 'Avail' : 'Available', o.posix ? 'Capacity' : 'Use%');
  header.push('Mounted on');
  const cells = shown.map((r) => {
    const row = [r.source];
    if (o.printType) row.push(r.type);
    if (o.inodes) row.push(count(r.inodes.total, o), count(r.inodes.used, o), count(r.inodes.free, o), percent(r.inodes.used, r.inodes.free));
    else row.push(blocks(r.totalKb, o), blocks(r.usedKb, o), blocks(r.availKb, o), percent(r.usedKb, r.availKb));
    row.push(r.target);
    return row;
  });
  const table = [header, ...cells];
  const minimum = [14, ...(o.printType ? [4] : []), 5, 5, 5, o.inodes ? 5 : 4, 0];
  const widths = header.map((_, col) => Math.max(minimum[col] ?? 0, ...table.map((row) => row[col]!.length)));
  const leftAligned = (col: number) => col === 0 || (o.printType && col === 1);
  return table
    .map((row) =>
      row
        .map((cell, col) => {
          if (col === row.length - 1) return cell;
          return leftAligned(col) ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!);
        })
        .join(' '),
    )
    .join('\n')
    .concat('\n');
}
