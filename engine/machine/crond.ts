/**
 * cron on this box: reads /etc/crontab, /etc/cron.d/* and the spool crontabs from the game's
 * files, logs what it runs, and hands each command to the engine's shell at its minute.
 */
import { ensureFits } from '../kernel/alloc';
import { rotateAt, slog } from './syslog';
import { GFP_HIGHUSER_MOVABLE } from '../kernel/oom';
import { addProc, exitProc, findProc, newMm } from '../kernel/procs';
import type { Proc } from '../kernel/types';
import type { Rng } from '../rng';
import { cronDNameOk, jobNext, parseCrontab, type CronJob } from './crontab';
import { scenarioOf, type AdvanceHooks, type CommandOutput } from './scenario';
import { rsyslogMark } from './syslogd';
import { authCron } from './authlog';
import { MACHINE_ROLE, type MachineWorld } from './world';

const MINUTE = 60_000;
const SPOOL = '/var/spool/cron/crontabs/';

interface Table {
  path: string;
  table: string;
  mtime: number;
  jobs: CronJob[];
  error?: string;
}

const parsed = new Map<string, { key: string; jobs: CronJob[]; error?: string }>();

function tablePaths(w: MachineWorld): Array<{ path: string; table: string; system: boolean; owner: string }> {
  const out: Array<{ path: string; table: string; system: boolean; owner: string }> = [];
  if (w.files.files['/etc/crontab']) out.push({ path: '/etc/crontab', table: '', system: true, owner: 'root' });
  const found: string[] = [];
  for (const path in w.files.files) if (path.startsWith('/etc/cron.d/') || path.startsWith(SPOOL)) found.push(path);
  for (const path of found.sort()) {
    if (path.startsWith('/etc/cron.d/')) {
      const name = path.slice('/etc/cron.d/'.length);
      if (!name.includes('/') && cronDNameOk(name)) out.push({ path, table: name, system: true, owner: 'root' });
    } else if (path.startsWith(SPOOL)) {
      const user = path.slice(SPOOL.length);
      if (!user.includes('/')) out.push({ path, table: user, system: false, owner: user });
    }
  }
  return out;
}

/** every crontab cron would read now */
function cronTables(w: MachineWorld): Table[] {
  return tablePaths(w).map(({ path, table, system, owner }) => {
    const f = w.files.files[path]!;
    const key = f.content;
    let hit = parsed.get(path);
    if (!hit || hit.key !== key) {
      const r = parseCrontab(f.content, path, table, system, owner);
      hit = { key, jobs: r.jobs, error: r.error };
      parsed.set(path, hit);
    }
    return { path, table, mtime: f.mtime, jobs: hit.jobs, error: hit.error };
  });
}

export function allJobs(w: MachineWorld): CronJob[] {
  return cronTables(w)
    .filter((t) => !t.error)
    .flatMap((t) => t.jobs);
}

/** the next minute cron has something to do at: a due job, or a table changed since it looked */
export function cronNext(w: MachineWorld, after: number): number {
  let next = Infinity;
  for (const t of cronTables(w)) {
    const seen = w.cron.seen[t.path];
    if (seen === undefined || seen !== t.mtime) next = Math.min(next, Math.floor(Math.max(after, t.mtime) / MINUTE) * MINUTE + MINUTE);
    if (t.error) continue;
    for (const j of t.jobs) next = Math.min(next, jobNext(j, after));
  }
  return next;
}

function label(table: string, system: boolean): string {
  return system ? `*system*${table}` : table;
}

function jobDuration(rng: Rng, command: string): number {
  if (command.includes('cron.daily')) return rng.int(40_000, 95_000);
  if (command.includes('cron.weekly')) return rng.int(4_000, 20_000);
  if (command.includes('cron.monthly')) return rng.int(1_000, 3_000);
  if (command.includes('cron.hourly')) return rng.int(60, 400);
  return rng.int(300, 2_500);
}

function noticeChanges(w: MachineWorld, t: number, tables: readonly Table[]): void {
  const present = new Set<string>();
  for (const tb of tables) {
    present.add(tb.path);
    const seen = w.cron.seen[tb.path];
    if (seen === tb.mtime) continue;
    const system = tb.path !== SPOOL + tb.table;
    const who = label(tb.table, system);
    if (seen !== undefined || tb.mtime > w.k.bootTime) {
      if (tb.error) slog(w.logs, t, 'cron', w.cron.cronPid, `(${who}) ERROR (${tb.error})`);
      else slog(w.logs, t, 'cron', w.cron.cronPid, `(${who}) RELOAD (${tb.path})`);
    }
    w.cron.seen[tb.path] = tb.mtime;
  }
  for (const p of Object.keys(w.cron.seen)) if (!present.has(p)) delete w.cron.seen[p];
}

/** cron's minute: log changed tables, start what is due, hand each command to the shell. */
export function cronTick(w: MachineWorld, rng: Rng, t: number, hooks: AdvanceHooks): void {
  // the tables as they are at the start of the minute: what the jobs run may change them for the next
  const tables = cronTables(w);
  // a stopped cron neither runs jobs nor notices edits: it reads every table again when it starts
  const cron = findProc(w.k, w.cron.cronPid);
  if (!cron) return;
  noticeChanges(w, t, tables);
  for (const tb of tables) {
    if (tb.error) continue;
    for (const job of tb.jobs) if (!job.reboot && jobNext(job, t - 1) === t) startJob(w, rng, t, hooks, cron, job);
  }
  // the scheduler works out cron's next minute as soon as this one is done (advance.ts refreshCron)
}

/**
 * One job started as cron starts it: cron forks a child (the CRON process that logs the job, under
 * its own pid) and the child a shell for the command; the job's output, if any, is cron's to mail.
 */
function startJob(w: MachineWorld, rng: Rng, t: number, hooks: AdvanceHooks, cron: Proc, job: CronJob): void {
  const s = scenarioOf(w);
  const ctx = s.burst(w, t);
  const child = addProc(w.k, {
    ppid: cron.pid,
    uid: job.user === 'root' ? 0 : 1000,
    user: job.user,
    comm: 'cron',
    args: 'CRON',
    start: t,
    role: MACHINE_ROLE.cron,
    mm: newMm(w.k, { comm: 'cron', args: 'CRON', vszKb: 23_660, anonKb: 260, fileKb: 560, ptes: 8, vmas: 35, anonVmas: 9, commitKb: 1_200, maxVmaKb: 132 }),
  });
  const sh = addProc(w.k, {
    ppid: child.pid,
    uid: child.uid,
    user: job.user,
    comm: 'sh',
    args: `/bin/sh -c ${job.command.trim()}`,
    start: t,
    role: MACHINE_ROLE.cron,
    mm: newMm(w.k, { comm: 'sh', args: '/bin/sh', vszKb: 4_444, anonKb: 100, fileKb: 560, ptes: 6, vmas: 22, anonVmas: 6, commitKb: 300, maxVmaKb: 132 }),
  });
  ensureFits(ctx, sh, GFP_HIGHUSER_MOVABLE, 0);
  s.reap(ctx);
  authCron(w, t, child.pid, job.user, true);
  slog(w.logs, t, 'CRON', child.pid, `(${job.user}) CMD (${job.command})`);
  const run = { pid: child.pid, shPid: sh.pid, endAt: t + jobDuration(rng, job.command), mta: false };
  w.cron.running.push(run);
  if (wroteSomething(hooks.runCommand?.(job.command, job.user))) run.mta = true;
}

/** a job's output is mail for cron to send */
const wroteSomething = (out: CommandOutput | void): boolean => !!out && (out.stdout.length > 0 || out.stderr.length > 0);

/** what cron logs for a job that wrote something, on a box with no mail transfer agent to send it with */
const NO_MTA = '(CRON) info (No MTA installed, discarding output)';

/** Jobs that are done: their processes exit; cron.daily's logrotate turns syslog over. */
export function cronFinish(w: MachineWorld, t: number): void {
  const done = w.cron.running.filter((r) => r.endAt <= t);
  w.cron.running = w.cron.running.filter((r) => r.endAt > t);
  for (const r of done) {
    const sh = findProc(w.k, r.shPid);
    const child = findProc(w.k, r.pid);
    const cmd = sh?.args ?? '';
    if (sh) exitProc(w.k, sh, 0);
    if (r.mta) slog(w.logs, t, 'CRON', r.pid, NO_MTA);
    if (child) authCron(w, t, r.pid, child.user, false);
    if (child) exitProc(w.k, child, 0);
    if (cmd.includes('cron.daily')) {
      // logrotate moves syslog aside and HUPs rsyslogd; updatedb has filled the dentry cache
      // a burst of work still running logs its lines before rsyslogd reopens the file
      const at = Math.max(t, scenarioOf(w).busyUntil(w));
      rotateAt(w.logs, at);
      slog(w.logs, at, 'rsyslogd', 0, rsyslogMark(w, 'rsyslogd was HUPed'));
      const recl = w.k.mem.recl;
      recl.baseKb = Math.min(recl.maxKb, recl.baseKb + (recl.growKbPerH * (t - recl.since)) / 3_600_000 + 42_000);
      recl.since = t;
      recl.clipAt = -1;
    }
  }
}

export function cronFinishNext(w: MachineWorld): number {
  let next = Infinity;
  for (const r of w.cron.running) next = Math.min(next, r.endAt);
  return next;
}

/** cron started again after boot: it has read every table as it is now, so none of them is a RELOAD */
export function cronLoaded(w: MachineWorld): void {
  w.cron.seen = {};
  for (const tb of cronTables(w)) w.cron.seen[tb.path] = tb.mtime;
}

/** @reboot entries run once cron starts, each as any job runs (its own CRON child logs it). */
export function cronRebootJobs(w: MachineWorld, rng: Rng, t: number, hooks: AdvanceHooks): void {
  const cron = findProc(w.k, w.cron.cronPid);
  if (!cron) return;
  for (const j of allJobs(w)) if (j.reboot) startJob(w, rng, t, hooks, cron, j);
}
