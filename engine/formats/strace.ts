/**
 * strace 4.8 (Ubuntu 14.04): attach and detach notes on stderr, one line per system call (with a
 * "[pid N] " leader once more than one process is traced), "<unfinished ...>" for a call still
 * blocked when strace lets go, "+++ exited with N +++", and the -c summary table of count.c
 * (sorted by time, highest first).
 */
import type { ToolExit } from './args';

/** One thing strace saw a traced process do. */
export interface StraceEvent {
  /** virtual ms */
  t: number;
  pid: number;
  /** a finished call, one still blocked when strace let go, the process's exit, or a followed child attached */
  kind: 'call' | 'unfinished' | 'exit' | 'attach';
  name?: string;
  /** the arguments as strace prints them, without the parentheses */
  args?: string;
  /** the return value as strace prints it, e.g. '0', '4711', '-1 EINTR (Interrupted system call)' */
  ret?: string;
  /** microseconds spent in the call, for strace -c */
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
}

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
  const rows = [...counts.entries()].sort((a, b) => b[1].us - a[1].us || a[0].localeCompare(b[0]));
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
    const lead = many || (run.toFile && run.follow && live.size > 1) ? `[pid ${String(e.pid).padStart(5)}] ` : '';
    if (e.kind === 'exit') {
      trace += `${lead}+++ exited with ${e.status ?? 0} +++\n`;
      live.delete(e.pid);
    } else if (e.kind === 'unfinished') {
      trace += `${lead}${e.name}(${e.args ?? ''} <detached ...>\n`;
    } else trace += `${callText(`${lead}${e.name}(${e.args ?? ''}) `)}= ${e.ret ?? '0'}\n`;
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
