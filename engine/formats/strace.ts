/**
 * strace 4.8 (Ubuntu 14.04): attach and detach notes on stderr, one line per system call (with a
 * "[pid N] " leader once more than one process is traced), "<unfinished ...>" for a call still
 * blocked when strace lets go, "+++ exited with N +++", and the -c summary table of count.c
 * (sorted by time, highest first). printleader() puts the -t/-tt/-ttt/-r stamp of the call's entry
 * after the pid, -T appends the time spent in the call, and string arguments given as bytes are
 * quoted by printstr()'s rules, cut at -s.
 */
import type { ToolExit } from './args';

/** One thing strace saw a traced process do. */
export interface StraceEvent {
  /** virtual ms since the epoch: when the call was entered (what -t/-tt/-ttt/-r print) */
  t: number;
  pid: number;
  /** a finished call, one still blocked when strace let go, the process's exit, or a followed child attached */
  kind: 'call' | 'unfinished' | 'exit' | 'attach';
  name?: string;
  /** the arguments as strace prints them, without the parentheses */
  args?: string;
  /**
   * The arguments as pieces, instead of args: text printed as it is, and byte strings (one char
   * per byte, or text taken as UTF-8) that strace quotes and cuts at -s, as printstr() does.
   */
  parts?: ReadonlyArray<string | { bytes: string }>;
  /** the return value as strace prints it, e.g. '0', '4711', '-1 EINTR (Interrupted system call)' */
  ret?: string;
  /** microseconds spent in the call, for strace -c and -T */
  us?: number;
  error?: boolean;
  /** exit status, for kind 'exit' */
  status?: number;
}

export interface StraceRun {
  /** the pids named with -p, in order */
  attached: readonly number[];
  events: readonly StraceEvent[];
  /** -f */
  follow: boolean;
  /** -c */
  count: boolean;
  /** -e trace=...: only these calls; all when absent */
  only?: ReadonlySet<string>;
  /** -o: the trace goes to this file's text instead of stderr */
  toFile: boolean;
  /** -t, -tt, -ttt or -r: each line's stamp (-r wins over -t, as in printleader()) */
  stamp?: StraceStamp;
  /** -T: the time spent in each finished call, appended */
  durations?: boolean;
  /** -s: how many bytes of a string are shown (32 by default) */
  strsize?: number;
}

export type StraceStamp = 't' | 'tt' | 'ttt' | 'r';

/** strace's DEFAULT_STRLEN */
export const STRACE_STRSIZE = 32;

export const STRACE_USAGE =
  'usage: strace [-CdffhiqrtttTvVxxy] [-I n] [-e expr]...\n' +
  '              [-a column] [-o file] [-s strsize] [-P path]...\n' +
  '              -p pid... / [-D] [-E var=val]... [-u username] PROG [ARGS]\n' +
  '   or: strace -c[df] [-I n] [-e expr]... [-O overhead] [-S sortby]\n' +
  '              -p pid... / [-D] [-E var=val]... [-u username] PROG [ARGS]\n';

const DASHES = '----------------';

function cut(s: string, n: number): string {
  return s.slice(0, n);
}

function row(a: string, b: string, c: string, d: string, e: string, f: string): string {
  return `${cut(a, 6).padStart(6)} ${cut(b, 11).padStart(11)} ${cut(c, 11).padStart(11)} ${cut(d, 9).padStart(9)} ${cut(e, 9).padStart(9)} ${f}\n`;
}

/** strace's acolumn: the "= result" of a call starts at column 40 when the call is shorter (tabto()). */
const ACOLUMN = 40;

function callText(s: string): string {
  return s.length < ACOLUMN ? s.padEnd(ACOLUMN) : s;
}

/** text with characters beyond a byte, as the UTF-8 bytes a program would hand the kernel */
function asBytes(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\xff]*$/.test(s)) return s;
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const b = c < 0x80 ? [c] : c < 0x800 ? [0xc0 | (c >> 6), 0x80 | (c & 63)] : c < 0x10000 ? [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)] : [0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)];
    out += String.fromCharCode(...b);
  }
  return out;
}

/**
 * A byte string as strace 4.8 prints a buffer (util.c string_quote() and printstr()): in double
 * quotes, printable ASCII as it is, \" \\ \f \n \r \t \v escaped, any other byte in octal (three
 * digits when a digit follows, as few as it needs otherwise), the first `strsize` bytes only and
 * "..." after the closing quote when there were more.
 */
export function straceQuote(bytes: string, strsize: number = STRACE_STRSIZE): string {
  const b = asBytes(bytes);
  const n = Math.min(b.length, Math.max(0, strsize));
  let out = '"';
  for (let i = 0; i < n; i++) {
    const c = b.charCodeAt(i);
    const ch = b[i]!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c === 0x0c) out += '\\f';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0b) out += '\\v';
    else if (c >= 0x20 && c <= 0x7e) out += ch;
    else {
      const next = i + 1 < n ? b.charCodeAt(i + 1) : -1;
      out += `\\${next >= 0x30 && next <= 0x39 ? c.toString(8).padStart(3, '0') : c.toString(8)}`;
    }
  }
  return `${out}"${b.length > n ? '...' : ''}`;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** whole microseconds of a virtual ms (rounded: the clock's ms carry float dust) */
const usOf = (ms: number): number => Math.round(ms * 1000);

/** printleader()'s stamp for a line entered at `t`, `prev` being the previous line's (for -r) */
export function straceStamp(kind: StraceStamp, t: number, prev: number | null): string {
  const us = usOf(t);
  if (kind === 'r') {
    const d = prev === null ? 0 : Math.max(0, us - usOf(prev));
    return `${String(Math.floor(d / 1e6)).padStart(6)}.${String(d % 1e6).padStart(6, '0')} `;
  }
  const sec = Math.floor(us / 1e6);
  const frac = String(us - sec * 1e6).padStart(6, '0');
  if (kind === 'ttt') return `${sec}.${frac} `;
  // localtime(): this box keeps UTC
  const d = new Date(sec * 1000);
  const hms = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return kind === 'tt' ? `${hms}.${frac} ` : `${hms} `;
}

/** -T's " <secs.usecs>" */
function spent(us: number): string {
  const u = Math.max(0, Math.round(us));
  return ` <${Math.floor(u / 1e6)}.${String(u % 1e6).padStart(6, '0')}>`;
}

/** the arguments of a call as printed at -s strsize */
export function straceArgs(e: Pick<StraceEvent, 'args' | 'parts'>, strsize: number = STRACE_STRSIZE): string {
  if (!e.parts) return e.args ?? '';
  return e.parts.map((p) => (typeof p === 'string' ? p : straceQuote(p.bytes, strsize))).join('');
}

/** count.c call_summary_pers(): one row per call, by time spent, then the total. */
export function straceSummary(events: readonly StraceEvent[]): string {
  const counts = new Map<string, { calls: number; errors: number; us: number }>();
  for (const e of events) {
    // a call that never returns (exit_group) is never counted: count_syscall() runs on the way out
    if (e.kind !== 'call' || !e.name || e.ret === '?') continue;
    const c = counts.get(e.name) ?? { calls: 0, errors: 0, us: 0 };
    c.calls++;
    if (e.error) c.errors++;
    c.us += Math.max(0, Math.round(e.us ?? 0));
    counts.set(e.name, c);
  }
  const totalUs = [...counts.values()].reduce((a, c) => a + c.us, 0);
  const rows = [...counts.entries()].sort((a, b) => b[1].us - a[1].us || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let out = row('% time', 'seconds', 'usecs/call', 'calls', 'errors', 'syscall') + row(DASHES, DASHES, DASHES, DASHES, DASHES, DASHES);
  for (const [name, c] of rows) {
    const pct = c.us === 0 ? 0 : (100 * c.us) / totalUs;
    out += `${pct.toFixed(2).padStart(6)} ${(c.us / 1e6).toFixed(6).padStart(11)} ${String(Math.floor(c.us / c.calls)).padStart(11)} ${String(c.calls).padStart(9)} ${(c.errors ? String(c.errors) : '').padStart(9)} ${name}\n`;
  }
  out += row(DASHES, DASHES, DASHES, DASHES, DASHES, DASHES);
  const errors = rows.reduce((a, [, c]) => a + c.errors, 0);
  const calls = rows.reduce((a, [, c]) => a + c.calls, 0);
  out += `${'100.00'.padStart(6)} ${(totalUs / 1e6).toFixed(6).padStart(11)} ${''.padStart(11)} ${String(calls).padStart(9)} ${(errors ? String(errors) : '').padStart(9)} total\n`;
  return out;
}

/** What strace prints: the notes on stderr, and the trace on stderr or in the -o file. */
export function formatStrace(run: StraceRun): ToolExit & { file: string } {
  let notes = run.attached.map((p) => `Process ${p} attached\n`).join('');
  let trace = '';
  const live = new Set(run.attached);
  let many = run.attached.length > 1;
  const strsize = run.strsize ?? STRACE_STRSIZE;
  // -r: the time since the line before, whichever process it was (printleader()'s static otv)
  let prevStamp: number | null = null;
  const shown = run.events.filter((e) => e.kind !== 'call' && e.kind !== 'unfinished' ? true : !run.only || run.only.has(e.name ?? ''));
  for (const e of shown) {
    if (e.kind === 'attach') {
      live.add(e.pid);
      many = true;
      // a followed child is announced on stderr even with -o
      notes += `Process ${e.pid} attached\n`;
      if (!run.toFile) trace += `Process ${e.pid} attached\n`;
      continue;
    }
    if (run.count) {
      if (e.kind === 'exit') live.delete(e.pid);
      continue;
    }
    let lead = many || (run.toFile && run.follow && live.size > 1) ? `[pid ${String(e.pid).padStart(5)}] ` : '';
    if (run.stamp) {
      lead += straceStamp(run.stamp, e.t, prevStamp);
      prevStamp = e.t;
    }
    const args = straceArgs(e, strsize);
    if (e.kind === 'exit') {
      trace += `${lead}+++ exited with ${e.status ?? 0} +++\n`;
      live.delete(e.pid);
    } else if (e.kind === 'unfinished') {
      trace += `${lead}${e.name}(${args} <detached ...>\n`;
    } else {
      // a call that never returned (exit_group) has no time of its own
      const took = run.durations && e.ret !== '?' ? spent(e.us ?? 0) : '';
      trace += `${callText(`${lead}${e.name}(${args}) `)}= ${e.ret ?? '0'}${took}\n`;
    }
  }
  const detached = run.attached.filter((p) => live.has(p)).concat([...live].filter((p) => !run.attached.includes(p)));
  const tail = detached.map((p) => `Process ${p} detached\n`).join('');
  const childNotes = notes.slice(run.attached.map((p) => `Process ${p} attached\n`).join('').length);
  const head = run.attached.map((p) => `Process ${p} attached\n`).join('');
  if (run.count) {
    // cleanup() detaches first, then call_summary() prints the table
    const table = straceSummary(run.events.filter((e) => !run.only || run.only.has(e.name ?? '')));
    if (run.toFile) return { stdout: '', stderr: head + childNotes + tail, code: 0, file: table };
    return { stdout: '', stderr: head + childNotes + tail + table, code: 0, file: '' };
  }
  if (run.toFile) return { stdout: '', stderr: head + childNotes + tail, code: 0, file: trace };
  // the attach notes of followed children are already in the trace, in their place
  return { stdout: '', stderr: head + trace + tail, code: 0, file: '' };
}
