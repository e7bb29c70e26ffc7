/**
 * cron as trusty runs it: an upstart job (cron 3.0pl1-124ubuntu2's /etc/init/cron.conf: `expect
 * fork`, `respawn`, `exec cron`), so upstart's main process is the daemon cron forked, with the
 * command line `cron`. `service cron start|stop|restart|reload|status` and initctl drive it with
 * upstart 1.12's replies; while it is stopped no table is read and no job starts (crond.ts looks
 * for the daemon at every minute). Started again, it reads every table afresh and skips the
 * @reboot entries, as Debian's cron does when the box did not just boot.
 *
 * Not simulated: upstart's respawn of a cron the player kills by hand (as for the other base
 * daemons, nothing here restarts a killed process).
 */
import { ensureFits } from '../kernel/alloc';
import { GFP_HIGHUSER_MOVABLE } from '../kernel/oom';
import { allocPid, exitProc, findProc } from '../kernel/procs';
import type { Proc } from '../kernel/types';
import { withStep } from './act';
import { respawnBaseDaemon } from './boot';
import { cronLoaded } from './crond';
import type { Burst, CommandOutput } from './scenario';
import { slog } from './syslog';
import type { MachineWorld } from './world';

const JOB = 'cron';
const out = (stdout: string, stderr = '', code = 0): CommandOutput => ({ stdout, stderr, code });

/** the upstart verbs that ask init for a change (status only reads) */
const METHOD: Record<string, string> = { start: 'Start', stop: 'Stop', restart: 'Restart', reload: 'Reload' };

/** the cron daemon while it runs: the process boot or the last start made, and still the daemon */
export function cronDaemon(w: MachineWorld): Proc | null {
  const p = w.cron.cronPid > 0 ? findProc(w.k, w.cron.cronPid) : undefined;
  return p && p.comm === 'cron' && p.args === 'cron' && p.ppid === 1 ? p : null;
}

function statusLine(w: MachineWorld): string {
  const p = w.machine.up ? cronDaemon(w) : null;
  return p ? `${JOB} start/running, process ${p.pid}\n` : `${JOB} stop/waiting\n`;
}

function uidOf(w: MachineWorld, user: string): number {
  for (const line of (w.files.files['/etc/passwd']?.content ?? '').split('\n')) {
    const f = line.split(':');
    if (f[0] === user && /^\d+$/.test(f[2] ?? '')) return Number(f[2]);
  }
  return 1000;
}

/**
 * D-Bus refusing a user's call to init, as upstart's tools print it: the tool is a process of its
 * own (it takes a pid), and the bus names it by its command line, NULs read as spaces.
 */
function rejected(w: MachineWorld, verb: string, user: string, tool: string): string {
  const serial = (w.cron.busSerial = (w.cron.busSerial ?? 0) + 1);
  return `${verb}: Rejected send message, 1 matched rules; type="method_call", sender=":1.${serial}" (uid=${uidOf(w, user)} pid=${allocPid(w.k)} comm="${tool} ") interface="com.ubuntu.Upstart0_6.Job" member="${METHOD[verb]}" error name="(unset)" requested_reply="0" destination="com.ubuntu.Upstart" (uid=0 pid=1 comm="/sbin/init")\n`;
}

/** upstart stops the job: SIGTERM to the daemon, which exits (Debian's cron logs nothing on TERM) */
function stop(ctx: Burst): void {
  const p = cronDaemon(ctx.w);
  if (p) ctx.died.push(exitProc(ctx.w.k, p, 15));
  ctx.w.cron.cronPid = 0;
}

/**
 * upstart starts the job: the `cron` it execs takes the pid file, forks and exits (expect fork),
 * so the daemon is the second pid, and each logs under its own
 */
function start(ctx: Burst): Proc | null {
  const w = ctx.w;
  const parent = allocPid(w.k);
  slog(w.logs, ctx.t, 'cron', parent, '(CRON) INFO (pidfile fd = 3)');
  const p = respawnBaseDaemon(w, JOB, ctx.t);
  if (!p) return null;
  ensureFits(ctx, p, GFP_HIGHUSER_MOVABLE, 0);
  if (!findProc(w.k, p.pid)) return null;
  w.cron.cronPid = p.pid;
  cronLoaded(w);
  slog(w.logs, ctx.t, 'cron', p.pid, '(CRON) STARTUP (fork ok)');
  slog(w.logs, ctx.t, 'cron', p.pid, '(CRON) INFO (Skipping @reboot jobs -- not system startup)');
  return p;
}

/** one upstart verb, as `tool` (`stop cron` from the service script, `initctl stop cron` by hand) runs it */
function control(w: MachineWorld, verb: string, user: string, tool: string): CommandOutput {
  if (verb !== 'status' && !METHOD[verb]) return out('', `initctl: invalid command: ${verb}\nTry \`initctl --help' for more information.\n`, 1);
  if (verb !== 'status' && user !== 'root') return out('', rejected(w, verb, user, tool), 1);
  const running = cronDaemon(w) !== null;
  switch (verb) {
    case 'status':
      return out(statusLine(w));
    case 'start':
      if (running) return out('', `start: Job is already running: ${JOB}\n`, 1);
      return withStep(w, (ctx) => {
        const p = start(ctx);
        return out(p ? `${JOB} start/running, process ${p.pid}\n` : `${JOB} stop/waiting\n`);
      });
    case 'stop':
      if (!running) return out('', 'stop: Unknown instance: \n', 1);
      return withStep(w, (ctx) => {
        stop(ctx);
        return out(`${JOB} stop/waiting\n`);
      });
    case 'restart':
      if (!running) return out('', 'restart: Unknown instance: \n', 1);
      return withStep(w, (ctx) => {
        stop(ctx);
        const p = start(ctx);
        return out(p ? `${JOB} start/running, process ${p.pid}\n` : `${JOB} stop/waiting\n`);
      });
    default:
      // reload: upstart sends SIGHUP, which this cron takes without a word (it rereads its tables each minute anyway)
      if (!running) return out('', 'reload: Unknown instance: \n', 1);
      return out('');
  }
}

/** `initctl VERB cron` */
export function initctlCron(w: MachineWorld, verb: string, user: string): CommandOutput {
  return control(w, verb, user, `initctl ${verb} ${JOB}`);
}

/**
 * `service cron ACTION` (sysvinit-utils 2.88dsf-41ubuntu6's /usr/sbin/service): start, stop,
 * status and reload run upstart's tool of that name; restart and force-reload run `stop cron || :`
 * then `start cron`. Anything else (none at all too) goes to /etc/init.d/cron, whose usage line ends it.
 */
export function serviceCron(w: MachineWorld, action: string, user: string): CommandOutput {
  if (['start', 'stop', 'status', 'reload'].includes(action)) return control(w, action, user, `${action} ${JOB}`);
  if (action === 'restart' || action === 'force-reload') {
    const stopped = control(w, 'stop', user, `stop ${JOB}`);
    const started = control(w, 'start', user, `start ${JOB}`);
    return out(stopped.stdout + started.stdout, stopped.stderr + started.stderr, started.code);
  }
  // Ubuntu's log_action_msg prints the usage with its " * " lead, on stdout; the script exits 2
  return out(' * Usage: /etc/init.d/cron {start|stop|status|restart|reload|force-reload}\n', '', 2);
}
