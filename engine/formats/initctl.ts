/** initctl list and status from upstart 1.12.1: "job goal/state, process PID", instances in parentheses. */

export interface JobView {
  name: string;
  /** for instance jobs, e.g. network-interface (eth0) */
  instance?: string;
  /** the main process while running; 0 for a running job without one (a task-like instance) */
  pid: number | null;
}

/** one line: "cron start/running, process 637", "rc stop/waiting", "networking start/running" */
export function jobLine(j: JobView): string {
  const name = j.instance ? `${j.name} (${j.instance})` : j.name;
  if (j.pid === null) return `${name} stop/waiting\n`;
  return j.pid > 0 ? `${name} start/running, process ${j.pid}\n` : `${name} start/running\n`;
}

export function formatInitctlList(jobs: readonly JobView[]): string {
  return jobs.map(jobLine).join('');
}

/** lsb_release from lsb-release 4.1+Debian11ubuntu6 reading /etc/lsb-release */
export interface LsbOptions {
  id: boolean;
  description: boolean;
  release: boolean;
  codename: boolean;
  short: boolean;
  /** -a adds the "No LSB modules" line (-v) to stderr */
  all: boolean;
}

export function parseLsbArgs(argv: readonly string[]): { ok: true; options: LsbOptions } | { ok: false; stdout: string; stderr: string; code: number } {
  const o: LsbOptions = { id: false, description: false, release: false, codename: false, short: false, all: false };
  const longs: Record<string, string> = { id: 'i', description: 'd', release: 'r', codename: 'c', short: 's', all: 'a' };
  for (const a of argv) {
    const letters = a.startsWith('--') ? (longs[a.slice(2)] ?? '?') : a.startsWith('-') ? a.slice(1) : '?';
    for (const ch of letters) {
      if (ch === 'i') o.id = true;
      else if (ch === 'd') o.description = true;
      else if (ch === 'r') o.release = true;
      else if (ch === 'c') o.codename = true;
      else if (ch === 's') o.short = true;
      else if (ch === 'a') o.all = o.id = o.description = o.release = o.codename = true;
      else if (ch === 'v') continue;
      else return { ok: false, stdout: '', stderr: `Usage: lsb_release [options]\n\nlsb_release: error: no such option: ${a}\n`, code: 2 };
    }
  }
  return { ok: true, options: o };
}

export function formatLsbRelease(fields: Record<string, string>, o: LsbOptions): { stdout: string; stderr: string } {
  const rows: Array<[boolean, string, string]> = [
    [o.id, 'Distributor ID', fields.DISTRIB_ID ?? 'n/a'],
    [o.description, 'Description', fields.DISTRIB_DESCRIPTION ?? 'n/a'],
    [o.release, 'Release', fields.DISTRIB_RELEASE ?? 'n/a'],
    [o.codename, 'Codename', fields.DISTRIB_CODENAME ?? 'n/a'],
  ];
  const stderr = o.all ? 'No LSB modules are available.\n' : '';
  const any = rows.some(([on]) => on);
  // with no option it prints only the LSB modules line
  if (!any) return { stdout: '', stderr: 'No LSB modules are available.\n' };
  if (o.short) return { stdout: `${rows.filter(([on]) => on).map(([, , v]) => v).join(' ')}\n`, stderr };
  return { stdout: rows.filter(([on]) => on).map(([, k, v]) => `${k}:\t${v}\n`).join(''), stderr };
}
