import type { CommandContext, FsStat } from '../types';
import type { ShellCommandContext } from '../exec';
import { Out, ok } from '../io';
import { getopt, has } from '../getopt';
import { collatorFor } from '../collate';
import { errnoMessage } from '../../vfs/errno';
import { joinPath, parentOf } from '../../vfs/path';
import { absPath, tryHelp } from './util';
import { lstatEntry, lstatOperand } from './fileops';
import { defineCommand } from './define';
import { MONTHS } from '../../formats/time';

const SIX_MONTHS_MS = 15_778_476_000;
const TERMINAL_WIDTH = 80;

interface Entry {
  name: string;
  st: FsStat;
  /** a link's target as -F marks it ('/' for a directory), from stat of the link */
  targetMark?: string;
}

function modeString(st: FsStat): string {
  const m = st.mode;
  const bit = (b: number, c: string) => (m & b ? c : '-');
  const exec = (x: number, special: number, on: string, off: string) => (m & special ? (m & x ? on : off) : m & x ? 'x' : '-');
  return (
    (st.type === 'dir' ? 'd' : st.type === 'link' ? 'l' : '-') +
    bit(0o400, 'r') +
    bit(0o200, 'w') +
    exec(0o100, 0o4000, 's', 'S') +
    bit(0o040, 'r') +
    bit(0o020, 'w') +
    exec(0o010, 0o2000, 's', 'S') +
    bit(0o004, 'r') +
    bit(0o002, 'w') +
    exec(0o001, 0o1000, 't', 'T')
  );
}

/** ls -l's date: time of day for recent files, the year for old or future ones (UTC). */
function lsDate(mtime: number, now: number): string {
  const d = new Date(mtime);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const recent = now - mtime <= SIX_MONTHS_MS && mtime - now <= 60 * 60 * 1000;
  const tail = recent ? `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}` : ` ${d.getUTCFullYear()}`;
  return `${MONTHS[d.getUTCMonth()]} ${day} ${tail}`;
}

/** GNU's -h sizes: powers of 1024, rounded up, one decimal below 10. */
function humanSize(n: number): string {
  if (n < 1024) return String(n);
  const units = 'KMGTPE';
  let v = n;
  let u = -1;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  if (v < 10) {
    const r = Math.ceil(v * 10) / 10;
    return r >= 10 ? `10${units[u]}` : `${r.toFixed(1)}${units[u]}`;
  }
  const r = Math.ceil(v);
  if (r >= 1024 && u < units.length - 1) return `1.0${units[u + 1]}`;
  return `${r}${units[u]}`;
}

function blocksOf(st: FsStat): number {
  // ext4 keeps a target shorter than 60 bytes in the inode itself (a fast symlink): no block
  if (st.type === 'link' && st.size < 60) return 0;
  return Math.ceil(st.size / 4096) * 4;
}

function longLines(entries: Entry[], human: boolean, now: number, label: (e: Entry) => string): string[] {
  const links = entries.map((e) => String(e.st.type === 'dir' ? 2 : 1));
  const sizes = entries.map((e) => (human ? humanSize(e.st.size) : String(e.st.size)));
  const w = (xs: string[]) => Math.max(0, ...xs.map((x) => x.length));
  const lw = w(links);
  const ow = w(entries.map((e) => e.st.owner));
  const gw = w(entries.map((e) => e.st.group));
  const sw = w(sizes);
  return entries.map(
    (e, i) => `${modeString(e.st)} ${links[i].padStart(lw)} ${e.st.owner.padEnd(ow)} ${e.st.group.padEnd(gw)} ${sizes[i].padStart(sw)} ${lsDate(e.st.mtime, now)} ${label(e)}`,
  );
}

/** Names in columns, filled top to bottom, as GNU ls lays them out on an 80-column terminal. */
function columns(names: string[], width = TERMINAL_WIDTH): string[] {
  if (names.length === 0) return [];
  const lens = names.map((n) => [...n].length);
  let best = { cols: 1, widths: [lens.reduce((a, b) => Math.max(a, b), 0)] };
  for (let cols = 2; cols <= names.length; cols++) {
    const rows = Math.ceil(names.length / cols);
    if (Math.ceil(names.length / rows) !== cols) continue;
    const widths = new Array<number>(cols).fill(0);
    lens.forEach((len, i) => {
      const col = Math.floor(i / rows);
      widths[col] = Math.max(widths[col], len + (col === cols - 1 ? 0 : 2));
    });
    if (widths.reduce((a, b) => a + b, 0) < width) best = { cols, widths };
  }
  const rows = Math.ceil(names.length / best.cols);
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    let line = '';
    for (let c = 0; c < best.cols; c++) {
      const i = c * rows + r;
      if (i >= names.length) break;
      const lastInRow = c === best.cols - 1 || (c + 1) * rows + r >= names.length;
      line += lastInRow ? names[i] : names[i] + ' '.repeat(best.widths[c] - lens[i]);
    }
    lines.push(line);
  }
  return lines;
}

function sortEntries(entries: Entry[], ctx: CommandContext, byTime: boolean, bySize: boolean, reverse: boolean): Entry[] {
  const collate = collatorFor(ctx.env.vars);
  const sorted = [...entries].sort((a, b) => {
    if (byTime && a.st.mtime !== b.st.mtime) return b.st.mtime - a.st.mtime;
    if (bySize && a.st.size !== b.st.size) return b.st.size - a.st.size;
    return collate(a.name, b.name);
  });
  return reverse ? sorted.reverse() : sorted;
}

export const ls = defineCommand({
  name: 'ls',
  summary: 'list directory contents',
  category: 'files',
  argKind: 'path',
  completions: ['-l', '-a', '-A', '-h', '-1', '-d', '-r', '-t', '-S', '-R'],
  synopsis: ['ls [-laAh1drtSLR] [FILE]...'],
  description: [
    'Lists each directory FILE (the current directory by default), and names each other FILE. Names starting with a dot are hidden unless -a or -A is given. Listing a directory needs read permission on it.',
    'To the terminal the names are laid out in columns; into a pipe they come one per line, which is what wc -l and grep expect. ls /proc shows one directory per running process, named by its PID.',
  ],
  options: [
    ['-l', 'Long format: type and permissions, links, owner, group, size in bytes, modification time, name.'],
    ['-a', 'Show hidden names too, including . and ..'],
    ['-A', 'Show hidden names, but not . and ..'],
    ['-h', 'With -l, sizes in human units (4.0K, 1.5M).'],
    ['-1', 'One name per line.'],
    ['-d', 'List directories themselves, not their contents.'],
    ['-t', 'Newest first.'],
    ['-S', 'Largest first.'],
    ['-r', 'Reverse the order.'],
    ['-L', 'Follow symbolic links: show what each names, not the link.'],
    ['-R', 'List each directory, then each directory under it, all the way down.'],
  ],
  examples: [
    ['ls -l /proc/sys/vm', 'The memory tunables and who may change them.'],
    ['ls -la ~', 'Everything in your home directory, dot files included.'],
  ],
  run(ctx) {
    const p = getopt('ls', ctx.argv.slice(1), [
      { key: 'l', short: 'l' },
      { key: 'a', short: 'a', long: 'all' },
      { key: 'A', short: 'A', long: 'almost-all' },
      { key: 'h', short: 'h', long: 'human-readable' },
      { key: '1', short: '1' },
      { key: 'd', short: 'd', long: 'directory' },
      { key: 'r', short: 'r', long: 'reverse' },
      { key: 't', short: 't' },
      { key: 'S', short: 'S' },
      { key: 'F', short: 'F', long: 'classify' },
      { key: 'L', short: 'L', long: 'dereference' },
      { key: 'R', short: 'R', long: 'recursive' },
      { key: 'color', long: 'color', arg: 'none' },
    ], { builtinHelp: true });
    if (p.help) return ok('Usage: ls [OPTION]... [FILE]...\n');
    if (p.error !== undefined) return tryHelp('ls', p.error, 2);
    const long = has(p.opts, 'l');
    const all = has(p.opts, 'a');
    const almost = has(p.opts, 'A');
    const human = has(p.opts, 'h');
    const tty = (ctx as Partial<ShellCommandContext>).isatty === true && !has(p.opts, '1');
    const order = (es: Entry[]) => sortEntries(es, ctx, has(p.opts, 't'), has(p.opts, 'S'), has(p.opts, 'r'));
    const F = has(p.opts, 'F');
    const deref = has(p.opts, 'L');
    const mark = (st: FsStat) => (st.type === 'dir' ? '/' : st.type === 'link' ? '@' : st.mode & 0o111 ? '*' : '');
    const classify = (e: Entry) => (F ? e.name + mark(e.st) : e.name);
    // ls.c's print_long_format: a link shows its target, and -F marks what the target is
    const longLabel = (e: Entry) => (e.st.type === 'link' ? `${e.name} -> ${e.st.target ?? ''}${F ? (e.targetMark ?? '') : ''}` : classify(e));
    const now = ctx.env.now();
    const render = (entries: Entry[]): string[] => (long ? longLines(entries, human, now, longLabel) : tty ? columns(entries.map(classify)) : entries.map(classify));
    const entry = (name: string, path: string, st: FsStat): Entry => {
      if (st.type !== 'link' || !F) return { name, st };
      const to = ctx.env.fs.stat(path);
      return { name, st, targetMark: to.ok ? mark(to.value) : '' };
    };
    // ls.c: -l, -d and -F show a link named on the command line as itself; otherwise a link to a
    // directory is followed, and -L follows every link
    const operandStat = (name: string, path: string) => {
      if (deref) return ctx.env.fs.stat(path);
      const own = lstatOperand(ctx, name, path);
      if (!own.ok || own.value.type !== 'link' || long || has(p.opts, 'd') || F) return own;
      const to = ctx.env.fs.stat(path);
      return to.ok && to.value.type === 'dir' ? to : own;
    };

    const out = new Out();
    let code = 0;
    const operands = p.operands.length ? p.operands : ['.'];
    const files: Entry[] = [];
    const dirs: Entry[] = [];
    for (const name of operands) {
      const st = operandStat(name, absPath(ctx, name));
      if (!st.ok) {
        out.errLine(`ls: cannot access ${name}: ${errnoMessage(st.errno)}`);
        code = 2;
        continue;
      }
      (st.value.type === 'dir' && !has(p.opts, 'd') ? dirs : files).push(entry(name, absPath(ctx, name), st.value));
    }
    // each section as ls.c's print_dir writes it: a blank line before all but the first
    let first = true;
    const emit = (text: string): void => {
      out.out(first ? text : `\n${text}`);
      first = false;
    };
    if (files.length) emit(render(order(files)).map((l) => l + '\n').join(''));
    const recursive = has(p.opts, 'R');
    const headers = operands.length > 1 || recursive;
    const listDir = (name: string, path: string, st: FsStat): void => {
      const listed = ctx.env.fs.list(path, ctx.user);
      if (!listed.ok) {
        out.errLine(`ls: cannot open directory ${name}: ${errnoMessage(listed.errno)}`);
        code = 2;
        return;
      }
      const entries: Entry[] = [];
      if (all) {
        entries.push({ name: '.', st });
        const parent = ctx.env.fs.stat(parentOf(path));
        entries.push({ name: '..', st: parent.ok ? parent.value : st });
      }
      for (const n of listed.value) {
        if (n.startsWith('.') && !all && !almost) continue;
        const child = joinPath(path, n);
        const cst = deref ? ctx.env.fs.stat(child) : lstatEntry(ctx, child);
        if (cst.ok) entries.push(entry(n, child, cst.value));
      }
      const ordered = order(entries);
      let text = headers ? `${name}:\n` : '';
      if (long) text += `total ${entries.reduce((sum, e) => sum + blocksOf(e.st), 0)}\n`;
      text += render(ordered).map((l) => l + '\n').join('');
      emit(text);
      // -R: each directory listed is followed by its subdirectories, in the order shown, depth first (links are not followed)
      if (recursive) {
        for (const e of ordered) {
          if (e.st.type !== 'dir' || e.name === '.' || e.name === '..') continue;
          listDir(name.endsWith('/') ? `${name}${e.name}` : `${name}/${e.name}`, joinPath(path, e.name), e.st);
        }
      }
    };
    for (const d of order(dirs)) listDir(d.name, absPath(ctx, d.name), d.st);
    return out.done(code);
  },
});
