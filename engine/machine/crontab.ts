/**
 * Vixie cron as Debian ships it: /etc/crontab and /etc/cron.d/* carry a user field, spool crontabs
 * do not; five time fields with *, ranges, steps, lists and names, or an @keyword; a file whose
 * last line lacks its newline is ignored whole; cron.d names outside [A-Za-z0-9_-] are skipped.
 * Times are UTC (the box runs Etc/UTC).
 */
const MINUTE = 60_000;
const DAY = 86_400_000;

export interface CronJob {
  file: string;
  /** how cron names the table in its log: '' for /etc/crontab, the file name for cron.d */
  table: string;
  user: string;
  /** the command exactly as cron logs it */
  command: string;
  minutes: number[];
  hours: number[];
  doms: number[];
  months: number[];
  dows: number[];
  domStar: boolean;
  dowStar: boolean;
  reboot: boolean;
}

interface CronTable {
  jobs: CronJob[];
  /** why cron refuses the whole file, as it logs it */
  error?: string;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DOWS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const KEYWORDS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

function parseValue(s: string, names: readonly string[] | null, base: number): number {
  if (names) {
    const i = names.indexOf(s.toLowerCase());
    if (i >= 0) return i + base;
  }
  if (!/^\d+$/.test(s)) return NaN;
  return parseInt(s, 10);
}

/** one time field → its sorted allowed values, or null if malformed */
export function parseField(field: string, lo: number, hi: number, names: readonly string[] | null = null, base = lo): number[] | null {
  const out = new Array<boolean>(hi + 1).fill(false);
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    if (range === undefined || range === '') return null;
    const step = stepText === undefined ? 1 : parseInt(stepText, 10);
    if (!Number.isFinite(step) || step < 1 || (stepText !== undefined && !/^\d+$/.test(stepText))) return null;
    let a: number;
    let b: number;
    if (range === '*') {
      a = lo;
      b = hi;
    } else if (range.includes('-')) {
      const [x, y] = range.split('-');
      a = parseValue(x ?? '', names, base);
      b = parseValue(y ?? '', names, base);
    } else {
      a = parseValue(range, names, base);
      b = stepText === undefined ? a : hi;
    }
    if (!Number.isFinite(a) || !Number.isFinite(b) || a < lo || b > hi || a > b) return null;
    for (let v = a; v <= b; v += step) out[v] = true;
  }
  const vals: number[] = [];
  out.forEach((on, v) => {
    if (on) vals.push(v);
  });
  return vals;
}

/** Parses one crontab. withUser: system tables (/etc/crontab, cron.d) name the user per line. */
export function parseCrontab(content: string, file: string, table: string, withUser: boolean, owner = 'root'): CronTable {
  if (content.length > 0 && !content.endsWith('\n')) {
    return { jobs: [], error: 'Missing newline before EOF, this crontab file will be ignored' };
  }
  const jobs: CronJob[] = [];
  for (const raw of content.split('\n')) {
    const line = raw.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    if (/^[A-Za-z_][A-Za-z0-9_]*\s*=/.test(line)) continue;
    let rest = line;
    let spec: string[];
    let reboot = false;
    if (rest.startsWith('@')) {
      const m = /^(@\w+)(\s)(.*)$/.exec(rest);
      if (!m) continue;
      const kw = m[1]!.toLowerCase();
      if (kw === '@reboot') {
        reboot = true;
        spec = ['0', '0', '1', '1', '*'];
      } else {
        const expanded = KEYWORDS[kw];
        if (!expanded) continue;
        spec = expanded.split(' ');
      }
      rest = m[3]!;
    } else {
      const m = /^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)(\s)(.*)$/.exec(rest);
      if (!m) continue;
      spec = [m[1]!, m[2]!, m[3]!, m[4]!, m[5]!];
      rest = m[7]!;
    }
    let user = owner;
    if (withUser) {
      const m = /^\s*(\S+)(\s)(.*)$/.exec(rest);
      if (!m) continue;
      user = m[1]!;
      rest = m[3]!;
    }
    if (rest.trim() === '') continue;
    const minutes = parseField(spec[0]!, 0, 59);
    const hours = parseField(spec[1]!, 0, 23);
    const doms = parseField(spec[2]!, 1, 31);
    const months = parseField(spec[3]!, 1, 12, MONTHS, 1);
    const dowsRaw = parseField(spec[4]!, 0, 7, DOWS, 0);
    if (!minutes || !hours || !doms || !months || !dowsRaw) continue;
    const dows = Array.from(new Set(dowsRaw.map((d) => d % 7))).sort((a, b) => a - b);
    jobs.push({
      file,
      table,
      user,
      command: rest,
      minutes,
      hours,
      doms,
      months,
      dows,
      domStar: spec[2]!.startsWith('*'),
      dowStar: spec[4]!.startsWith('*'),
      reboot,
    });
  }
  return { jobs };
}

/** Debian cron only reads cron.d files whose names run-parts would accept. */
export function cronDNameOk(name: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(name);
}

function dayMatches(job: CronJob, d: Date): boolean {
  if (!job.months.includes(d.getUTCMonth() + 1)) return false;
  const dom = job.doms.includes(d.getUTCDate());
  const dow = job.dows.includes(d.getUTCDay());
  return job.domStar || job.dowStar ? dom && dow : dom || dow;
}

const nextMemo = new WeakMap<CronJob, { from: number; next: number }>();

/** The first minute strictly after `after` at which the job runs; Infinity for @reboot or never. */
export function jobNext(job: CronJob, after: number): number {
  if (job.reboot) return Infinity;
  const hit = nextMemo.get(job);
  // the answer holds for every `after` between the one it was found for and the run itself
  if (hit && after >= hit.from && after < hit.next) return hit.next;
  const next = jobNextUncached(job, after);
  nextMemo.set(job, { from: after, next });
  return next;
}

function jobNextUncached(job: CronJob, after: number): number {
  const startMinute = Math.floor(after / MINUTE) * MINUTE + MINUTE;
  let day = Math.floor(startMinute / DAY) * DAY;
  for (let i = 0; i < 366 * 8; i++, day += DAY) {
    if (!dayMatches(job, new Date(day))) continue;
    for (const h of job.hours) {
      for (const m of job.minutes) {
        const at = day + h * 3_600_000 + m * MINUTE;
        if (at >= startMinute) return at;
      }
    }
  }
  return Infinity;
}

/** How often a job runs, in minutes, if it runs on a fixed period (every day, every N hours...). */
export function jobPeriodMinutes(job: CronJob): number | null {
  if (job.reboot) return null;
  if (job.months.length !== 12 || !job.domStar || !job.dowStar) return null;
  const times: number[] = [];
  for (const h of job.hours) for (const m of job.minutes) times.push(h * 60 + m);
  if (times.length === 0) return null;
  const gaps = times.map((v, i) => (i + 1 < times.length ? times[i + 1]! - v : times[0]! + 1440 - v));
  return Math.max(...gaps);
}
