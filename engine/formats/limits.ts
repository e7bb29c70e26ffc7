/** /proc/PID/limits as Linux 3.16 prints it (fs/proc/base.c, proc_pid_limits()). */

/** One resource: soft and hard limits, null for RLIM_INFINITY. */
export interface RlimitView {
  soft: number | null;
  hard: number | null;
}

/** the rows in the kernel's order, with their units ('' when none is printed) */
export const RLIMIT_ROWS: ReadonlyArray<{ key: string; name: string; unit: string }> = [
  { key: 'cpu', name: 'Max cpu time', unit: 'seconds' },
  { key: 'fsize', name: 'Max file size', unit: 'bytes' },
  { key: 'data', name: 'Max data size', unit: 'bytes' },
  { key: 'stack', name: 'Max stack size', unit: 'bytes' },
  { key: 'core', name: 'Max core file size', unit: 'bytes' },
  { key: 'rss', name: 'Max resident set', unit: 'bytes' },
  { key: 'nproc', name: 'Max processes', unit: 'processes' },
  { key: 'nofile', name: 'Max open files', unit: 'files' },
  { key: 'memlock', name: 'Max locked memory', unit: 'bytes' },
  { key: 'as', name: 'Max address space', unit: 'bytes' },
  { key: 'locks', name: 'Max file locks', unit: 'locks' },
  { key: 'sigpending', name: 'Max pending signals', unit: 'signals' },
  { key: 'msgqueue', name: 'Max msgqueue size', unit: 'bytes' },
  { key: 'nice', name: 'Max nice priority', unit: '' },
  { key: 'rtprio', name: 'Max realtime priority', unit: '' },
  { key: 'rttime', name: 'Max realtime timeout', unit: 'us' },
];

const value = (v: number | null): string => (v === null ? 'unlimited' : String(v)).padEnd(20);

export function formatProcLimits(limits: Readonly<Record<string, RlimitView>>): string {
  let out = `${'Limit'.padEnd(25)} ${'Soft Limit'.padEnd(20)} ${'Hard Limit'.padEnd(20)} ${'Units'.padEnd(10)}\n`;
  for (const row of RLIMIT_ROWS) {
    const l = limits[row.key] ?? { soft: null, hard: null };
    out += `${row.name.padEnd(25)} ${value(l.soft)} ${value(l.hard)} ${row.unit ? `${row.unit.padEnd(10)}` : ''}\n`;
  }
  return out;
}
