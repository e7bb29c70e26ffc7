/**
 * The box's two upstart jobs, publisher and nsqd, as upstart 1.12 runs them: `respawn` brings a
 * main process that died back at once (until it dies more than 10 times in 5 s), `service` and
 * initctl start, stop, restart, reload and ask them, and init writes what a job's processes print
 * to /var/log/upstart/JOB.log and its own complaints to the kernel log. The publisher reads its
 * config once, when ruby has loaded it (appLoadMs after exec): a restart is the only way an edit
 * takes effect.
 */
import { klog } from '../../../kernel/logs';
import { addProc, allocPid, exitProc, findProc, newMm } from '../../../kernel/procs';
import type { Proc } from '../../../kernel/types';
import { withStep } from '../../../machine/act';
import type { Burst, CommandOutput, ServiceDef, ServiceSocket } from '../../../machine/scenario';
import { connectRefused, readConfig } from './config';
import { APP_LOG, CONFIG_PATH, nsqdMetadata, nsqdMetadataPath } from './files';
import { appendTo, nsqdLogLine, rubyLogLine, upstartLog } from './logs';
import { appSyscalls, nsqdSyscalls } from './syscalls';
import { NSQD } from './catalogue';
import { ROLE, type Ch2World, type JobState } from './world';

export const APP_ARGS = 'ruby /srv/publisher/bin/publisher -c /etc/publisher/publisher.yml';
export const NSQD_ARGS = '/usr/local/bin/nsqd --http-address=127.0.0.1:4151 --tcp-address=127.0.0.1:4150 --data-path=/var/lib/nsq';
export const NSQD_TCP = { address: '127.0.0.1', port: 4150 };
export const NSQD_HTTP = { address: '127.0.0.1', port: 4151 };

/** upstart's default `respawn limit 10 5` */
const RESPAWN_LIMIT = 10;
const RESPAWN_INTERVAL_S = 5;
/** init forks the new main process a moment after it reaped the old one */
const RESPAWN_DELAY_MS = 2;
/** a Go binary is up and listening a few ms after exec */
const NSQD_READY_MS = 4;

/** What the network side (another module) wants to hear about the two daemons' lives. */
export interface JobListeners {
  /** the publisher has read its config and opened its pool: a fresh process, so fresh connections */
  appReady?(w: Ch2World, t: number): void;
  /** the publisher's process `pid` is gone (stopped, killed or crashed) */
  appGone?(w: Ch2World, t: number, pid: number): void;
  /** nsqd is listening on its two ports */
  nsqdReady?(w: Ch2World, t: number): void;
  nsqdGone?(w: Ch2World, t: number, pid: number): void;
}

const listeners: JobListeners[] = [];

/** Adds listeners to the jobs' lives (the network side registers its own when it loads). */
export function onJobs(l: JobListeners): void {
  listeners.push(l);
}

type Job = 'publisher' | 'nsqd';

const jobOf = (w: Ch2World, job: Job): JobState => (job === 'publisher' ? w.app : w.nsqd);

const SIGNAL_NAMES: Record<number, string> = { 1: 'HUP', 2: 'INT', 3: 'QUIT', 4: 'ILL', 5: 'TRAP', 6: 'ABRT', 7: 'BUS', 8: 'FPE', 9: 'KILL', 10: 'USR1', 11: 'SEGV', 12: 'USR2', 13: 'PIPE', 14: 'ALRM', 15: 'TERM', 16: 'STKFLT', 24: 'XCPU', 25: 'XFSZ', 27: 'PROF', 29: 'IO', 30: 'PWR', 31: 'SYS' };

/** init's complaints are nih_warn: they go to the kernel's ring buffer at KERN_WARNING, and from there to syslog */
function initSays(w: Ch2World, t: number, text: string): void {
  klog(w.logs, w.k.bootTime, t, 4, `init: ${text}`);
}

function image(comm: string, args: string, vszKb: number, anonKb: number, fileKb: number, vmas: number, anonVmas: number) {
  return { comm, args, vszKb, anonKb, fileKb, ptes: Math.ceil((anonKb + fileKb) / 2000) + 8, vmas, anonVmas, commitKb: Math.floor(vszKb * 0.45), maxVmaKb: Math.min(65_536, Math.floor(vszKb * 0.25)) };
}

function spawnApp(w: Ch2World, t: number): Proc {
  const p = w.p;
  const proc = addProc(w.k, {
    ppid: 1,
    uid: p.publisherUid,
    user: 'publisher',
    comm: 'ruby',
    args: APP_ARGS,
    start: t,
    role: ROLE.app,
    // ruby 1.9.3's main thread and its timer thread
    threads: 2,
    // a ms or so of interpreter time per event, and the timer thread's ticks
    cpuRate: 2 + 1.2 * p.publishRate,
    mm: newMm(w.k, image('ruby', APP_ARGS, p.appAnonKb + 168_000, p.appAnonKb, 9_400, 124, 38)),
  });
  w.app.pid = proc.pid;
  w.app.startedAt = t;
  w.app.config = null;
  w.app.readsConfigAt = t + p.appLoadMs;
  w.app.starts++;
  return proc;
}

function spawnNsqd(w: Ch2World, t: number): Proc {
  const p = w.p;
  const proc = addProc(w.k, {
    ppid: 1,
    uid: p.nsqUid,
    user: 'nsq',
    comm: 'nsqd',
    args: NSQD_ARGS,
    start: t,
    role: ROLE.nsqd,
    threads: p.nsqdThreads,
    cpuRate: 0.4,
    mm: newMm(w.k, image('nsqd', NSQD_ARGS, 208_000 + p.nsqdAnonKb, p.nsqdAnonKb, 4_100, 46, 14)),
  });
  w.nsqd.pid = proc.pid;
  w.nsqd.startedAt = t;
  nsqdStarted(w, t + NSQD_READY_MS);
  return proc;
}

/** nsqd 0.3.6's start (apps/nsqd/nsqd.go main): New, LoadMetadata, PersistMetadata, Main */
function nsqdStarted(w: Ch2World, t: number): void {
  const p = w.p;
  const log = (dt: number, msg: string): void => upstartLog(w, 'nsqd', nsqdLogLine(t + dt, msg), t + dt);
  log(0, NSQD.versionLine);
  log(0.05, `ID: ${p.nsqdId}`);
  const path = nsqdMetadataPath(p);
  let names: string[] = [];
  try {
    const meta = JSON.parse(w.files.files[path]?.content ?? '{"topics":[]}') as { topics?: Array<{ name?: unknown }> };
    names = (meta.topics ?? []).map((x) => x.name).filter((n): n is string => typeof n === 'string');
  } catch {
    log(0.1, 'ERROR: failed to parse metadata - invalid character in JSON');
  }
  const kept = new Map(w.nsqd.topics.map((x) => [x.name, x.depth]));
  w.nsqd.topics = names.map((name) => ({ name, messages: 0, depth: kept.get(name) ?? 0 }));
  names.forEach((name, i) => log(0.12 + 0.03 * i, `TOPIC(${name}): created`));
  log(0.3, `NSQ: persisting topic/channel metadata to ${path}`);
  appendTo(w, path, '', t, 0o600, 'nsq');
  w.files.files[path]!.content = nsqdMetadata(names);
  w.files.files[path]!.mtime = t + 0.3;
  log(0.9, `TCP: listening on ${NSQD_TCP.address}:${NSQD_TCP.port}`);
  log(1.0, `HTTP: listening on ${NSQD_HTTP.address}:${NSQD_HTTP.port}`);
  for (const l of listeners) l.nsqdReady?.(w, t + 1);
}

/** nsqd's Exit() on SIGTERM or SIGINT: listeners closed, metadata persisted, topics flushed */
function nsqdExits(w: Ch2World, t: number): void {
  const p = w.p;
  const log = (dt: number, msg: string): void => upstartLog(w, 'nsqd', nsqdLogLine(t + dt, msg), t + dt);
  log(0.05, `TCP: closing ${NSQD_TCP.address}:${NSQD_TCP.port}`);
  log(0.09, `HTTP: closing ${NSQD_HTTP.address}:${NSQD_HTTP.port}`);
  const path = nsqdMetadataPath(p);
  log(0.2, `NSQ: persisting topic/channel metadata to ${path}`);
  appendTo(w, path, '', t, 0o600, 'nsq');
  w.files.files[path]!.content = nsqdMetadata(w.nsqd.topics.map((x) => x.name));
  w.files.files[path]!.mtime = t + 0.2;
  log(0.6, 'NSQ: closing topics');
  let dt = 0.7;
  for (const topic of w.nsqd.topics) {
    log(dt, `TOPIC(${topic.name}): closing`);
    log(dt + 0.05, `TOPIC(${topic.name}): closing ... messagePump`);
    // nothing reads a topic without channels: its messages wait in memory (mem-queue-size 10000) until now
    if (topic.depth > 0) log(dt + 0.1, `TOPIC(${topic.name}): flushing ${Math.min(topic.depth, 10_000)} memory messages to backend`);
    log(dt + 0.3, `DISKQUEUE(${topic.name}): closing`);
    dt += 0.4;
  }
  log(dt + 0.1, 'QUEUESCAN: closing');
  log(dt + 0.15, 'LOOKUP: closing');
  log(dt + 0.2, 'ID: closing');
}

/** the publisher's config is read now: it runs, or it dies before its log is open */
export function appReadsConfig(w: Ch2World, t: number): void {
  w.app.readsConfigAt = -1;
  const proc = findProc(w.k, w.app.pid);
  if (!proc) return;
  const r = readConfig(w.files.files[CONFIG_PATH], proc.pid, 'publisher', ['publisher']);
  const stderr = !r.ok ? r.stderr : w.nsqd.pid === 0 ? connectRefused() : null;
  if (stderr !== null || !r.ok) {
    upstartLog(w, 'publisher', stderr ?? '', t);
    exitProc(w.k, proc, 1);
    mainEnded(w, t, 'publisher', proc.pid, { status: 1 });
    return;
  }
  const c = r.config;
  w.app.config = c;
  appendTo(
    w,
    APP_LOG,
    rubyLogLine(t, proc.pid, 'INFO', `starting: nsqd_url=${c.nsqdUrl} topic=${c.topic} pool_size=${c.poolSize} tcp_nodelay=${c.tcpNodelay} single_write=${c.singleWrite}`),
    t,
    0o644,
    'publisher',
  );
  for (const l of listeners) l.appReady?.(w, t);
}

/**
 * A job's main process is gone. Upstart logs how (a clean exit only at a verbosity trusty does
 * not use) and, while the goal is still start, respawns it unless it has died too often.
 */
function mainEnded(w: Ch2World, t: number, job: Job, pid: number, how: { status: number } | { signal: number }): void {
  const j = jobOf(w, job);
  if (j.pid !== pid) return;
  j.pid = 0;
  if (job === 'publisher') {
    w.app.config = null;
    w.app.readsConfigAt = -1;
    for (const l of listeners) l.appGone?.(w, t, pid);
  } else for (const l of listeners) l.nsqdGone?.(w, t, pid);
  if ('signal' in how) initSays(w, t, `${job} main process (${pid}) killed by ${SIGNAL_NAMES[how.signal] ?? String(how.signal)} signal`);
  else if (how.status !== 0) initSays(w, t, `${job} main process (${pid}) terminated with status ${how.status}`);
  if (j.goal !== 'start' || !w.machine.up) return;
  // job_process_catch_runaway(): counted per window of whole seconds from the first respawn
  const sec = Math.floor(t / 1000);
  if (j.respawnWindowAt >= 0 && sec - j.respawnWindowAt < RESPAWN_INTERVAL_S) {
    j.respawns++;
    if (j.respawns > RESPAWN_LIMIT) {
      initSays(w, t, `${job} respawning too fast, stopped`);
      j.goal = 'stop';
      return;
    }
  } else {
    j.respawnWindowAt = sec;
    j.respawns = 1;
  }
  initSays(w, t, `${job} main process ended, respawning`);
  // process start times are whole ms on this clock
  const at = Math.ceil(t + RESPAWN_DELAY_MS);
  if (job === 'publisher') spawnApp(w, at);
  else spawnNsqd(w, at);
}

/** init stops a job: SIGTERM to its main process, which exits by its own handler */
function stopJob(w: Ch2World, t: number, job: Job, died: Burst['died']): void {
  const j = jobOf(w, job);
  j.goal = 'stop';
  const proc = j.pid > 0 ? findProc(w.k, j.pid) : undefined;
  if (!proc) {
    j.pid = 0;
    return;
  }
  terminate(w, t, job, proc, died);
}

/** SIGTERM as each daemon takes it: the app's trap logs and exits 0, nsqd's Exit() persists and exits 0 */
function terminate(w: Ch2World, t: number, job: Job, proc: Proc, died: Burst['died']): void {
  if (job === 'publisher' && w.app.config) appendTo(w, APP_LOG, rubyLogLine(t, proc.pid, 'INFO', 'stopping'), t, 0o644, 'publisher');
  if (job === 'nsqd') nsqdExits(w, t);
  const d = exitProc(w.k, proc, 0);
  died.push(d);
  mainEnded(w, t + 1, job, proc.pid, { status: 0 });
}

function startJob(w: Ch2World, t: number, job: Job): Proc {
  const j = jobOf(w, job);
  j.goal = 'start';
  j.respawns = 0;
  j.respawnWindowAt = -1;
  const at = Math.ceil(t);
  return job === 'publisher' ? spawnApp(w, at) : spawnNsqd(w, at);
}

/** What a process of the two jobs does with a signal the player sends it; false for others. */
export function jobSignal(ctx: Burst, p: Proc, sig: number): boolean {
  const w = ctx.w as Ch2World;
  const job: Job | null = p.role === ROLE.app && p.pid === w.app.pid ? 'publisher' : p.role === ROLE.nsqd && p.pid === w.nsqd.pid ? 'nsqd' : null;
  if (!job) return false;
  const t = ctx.t;
  const dies = (how: { status: number } | { signal: number }): void => {
    ctx.died.push(exitProc(w.k, p, 'signal' in how ? how.signal : how.status));
    mainEnded(w, t, job, p.pid, how);
  };
  if (job === 'publisher') {
    // the app's trap('TERM') logs and exits 0
    if (sig === 15) terminate(w, t, job, p, ctx.died);
    // ruby 1.9.3 turns these into a SignalException nobody rescues: the process dies of the signal
    else if (RUBY_RAISES.has(sig)) dies({ signal: sig });
    // its SEGV and BUS handler prints a [BUG] report and aborts
    else if (sig === 7 || sig === 11) {
      upstartLog(w, 'publisher', `${APP_SCRIPT}: [BUG] ${sig === 11 ? 'Segmentation fault' : 'Bus Error'}\n(grimoire: the rest of ruby's crash report is not simulated)\n`, t);
      dies({ signal: 6 });
    } else if (DEFAULT_KILLS.has(sig)) dies({ signal: sig });
    // PIPE and VTALRM have handlers that do nothing; CHLD, URG, WINCH are ignored by default
    return true;
  }
  if (sig === 15 || sig === 2) terminate(w, t, job, p, ctx.died);
  // Go 1.5's runtime: an un-Notify'd SIGHUP exits 2; QUIT, ABRT and the synchronous faults print the
  // signal and every goroutine's stack, then exit 2; the rest (USR1, USR2, ALRM, PIPE, RT...) are ignored
  else if (sig === 1) dies({ status: 2 });
  else if (GO_THROWS[sig]) {
    upstartLog(w, 'nsqd', `${GO_THROWS[sig]}\n(grimoire: the goroutine dump Go prints here is not simulated)\n`, t);
    dies({ status: 2 });
  }
  return true;
}

const APP_SCRIPT = '/srv/publisher/bin/publisher';
/** ruby 1.9.3's Init_signal(): these raise SignalException in the main thread */
const RUBY_RAISES = new Set([1, 2, 3, 10, 12, 14]);
/** signals whose default action ends a process, for a process with no handler for them */
const DEFAULT_KILLS = new Set([4, 5, 6, 8, 16, 24, 25, 27, 29, 30, 31, ...Array.from({ length: 31 }, (_, i) => 34 + i)]);
/** what Go's runtime prints first when one of these ends the process (runtime sigtable names) */
const GO_THROWS: Record<number, string> = {
  3: 'SIGQUIT: quit',
  4: 'SIGILL: illegal instruction',
  5: 'SIGTRAP: trace trap',
  6: 'SIGABRT: abort',
  7: 'SIGBUS: bus error',
  8: 'SIGFPE: floating-point exception',
  11: 'SIGSEGV: segmentation violation',
  31: 'SIGSYS: bad system call',
};

/** a death the jobs' own code did not see coming (SIGKILL, the OOM killer): upstart hears of it from the kernel */
export function reapJobs(w: Ch2World, t: number, died: ReadonlyArray<{ pid: number; status: number }>): void {
  for (const d of died) {
    if (d.pid === w.app.pid && w.app.pid > 0) mainEnded(w, t, 'publisher', d.pid, { signal: d.status || 9 });
    else if (d.pid === w.nsqd.pid && w.nsqd.pid > 0) mainEnded(w, t, 'nsqd', d.pid, { signal: d.status || 9 });
  }
}

/** "publisher start/running, process 1234" / "publisher stop/waiting" (initctl status, upstart 1.12) */
export function statusLine(w: Ch2World, job: Job): string {
  const j = jobOf(w, job);
  return j.goal === 'start' && j.pid > 0 ? `${job} start/running, process ${j.pid}\n` : `${job} stop/waiting\n`;
}

const METHOD: Record<string, { iface: string; member: string }> = {
  start: { iface: 'com.ubuntu.Upstart0_6.Job', member: 'Start' },
  stop: { iface: 'com.ubuntu.Upstart0_6.Job', member: 'Stop' },
  restart: { iface: 'com.ubuntu.Upstart0_6.Job', member: 'Restart' },
  reload: { iface: 'com.ubuntu.Upstart0_6.Instance', member: 'Reload' },
};

/** D-Bus's policy refusing a user's call to init: what upstart's tools print, as the command that made it */
function rejected(w: Ch2World, verb: string, comm: string, uid: number): string {
  const serial = w.busSerial++;
  // the tool is a process of its own: it takes a pid
  const pid = allocPid(w.k);
  const m = METHOD[verb]!;
  return `${verb}: Rejected send message, 1 matched rules; type="method_call", sender=":1.${serial}" (uid=${uid} pid=${pid} comm="${comm} ") interface="${m.iface}" member="${m.member}" error name="(unset)" requested_reply="0" destination="com.ubuntu.Upstart" (uid=0 pid=1 comm="/sbin/init")\n`;
}

const out = (stdout: string, stderr = '', code = 0): CommandOutput => ({ stdout, stderr, code });

/**
 * upstart's start/stop/restart/reload/status on a job, as root or not. `via` is the command the
 * tool runs as (`start publisher` from the service script, `initctl start publisher` by hand),
 * which D-Bus names when it refuses a user.
 */
export function controlJob(ctx: Burst, job: Job, verb: string, user: string, uid: number, via: 'service' | 'initctl'): CommandOutput {
  const w = ctx.w as Ch2World;
  const t = ctx.t;
  const died = ctx.died;
  const j = jobOf(w, job);
  const comm = via === 'service' ? `${verb} ${job}` : `initctl ${verb} ${job}`;
  if (verb === 'status') return out(statusLine(w, job));
  if (!METHOD[verb]) return out('', `initctl: invalid command: ${verb}\nTry \`initctl --help' for more information.\n`, 1);
  if (user !== 'root') return out('', rejected(w, verb, comm, uid), 1);
  const running = j.goal === 'start' && j.pid > 0;
  switch (verb) {
    case 'start':
      if (running) return out('', `start: Job is already running: ${job}\n`, 1);
      startJob(w, t, job);
      return out(statusLine(w, job));
    case 'stop':
      if (j.goal === 'stop') return out('', 'stop: Unknown instance: \n', 1);
      stopJob(w, t, job, died);
      return out(statusLine(w, job));
    case 'restart':
      if (!running) return out('', 'restart: Unknown instance: \n', 1);
      stopJob(w, t, job, died);
      startJob(w, t + 3, job);
      return out(statusLine(w, job));
    case 'reload': {
      if (!running) return out('', 'reload: Unknown instance: \n', 1);
      const proc = findProc(w.k, j.pid);
      if (proc) jobSignal(ctx, proc, 1);
      return out('');
    }
  }
  return out('');
}

/**
 * `service JOB ACTION` on trusty (sysvinit-utils 2.88dsf-41ubuntu6's /usr/sbin/service): for an
 * upstart job, start/stop/status/reload run upstart's tool of that name; restart and force-reload
 * run `stop JOB || :` then `start JOB`; anything else falls through to "unrecognized service".
 */
export function serviceJob(ctx: Burst, job: Job, action: string, user: string, uid: number): CommandOutput {
  if (['start', 'stop', 'status', 'reload'].includes(action)) return controlJob(ctx, job, action, user, uid, 'service');
  if (action === 'restart' || action === 'force-reload') {
    const stop = controlJob(ctx, job, 'stop', user, uid, 'service');
    ctx.t = Math.ceil(ctx.t + 3);
    const start = controlJob(ctx, job, 'start', user, uid, 'service');
    return out(stop.stdout + start.stdout, stop.stderr + start.stderr, start.code);
  }
  return out('', `${job}: unrecognized service\n`, 1);
}

/** nsqd's two listening sockets (Go's net.Listen: fd 3 for TCP, fd 4 its epoll, fd 5 for HTTP) */
function nsqdSockets(w: Ch2World): ServiceSocket[] {
  const pid = w.nsqd.pid;
  if (pid <= 0 || !findProc(w.k, pid)) return [];
  return [
    { proto: 'tcp', local: NSQD_TCP.address, port: NSQD_TCP.port, holders: [{ pid, fd: 3 }] },
    { proto: 'tcp', local: NSQD_HTTP.address, port: NSQD_HTTP.port, holders: [{ pid, fd: 5 }] },
  ];
}

/** the jobs at boot: upstart starts both on runlevel 2 (nsqd first: /etc/init is read in order) */
function freshJob<J extends JobState>(j: J): void {
  j.goal = 'start';
  j.pid = 0;
  j.startedAt = 0;
  j.respawns = 0;
  j.respawnWindowAt = -1;
}

const UPSTART_RUNLEVEL2_MS = 6_050;

/** the uid `user` has on this box (for D-Bus's refusal) */
export function uidOf(w: Ch2World, user: string): number {
  for (const line of (w.files.files['/etc/passwd']?.content ?? '').split('\n')) {
    const [name, , uid] = line.split(':');
    if (name === user && uid !== undefined) return Number(uid);
  }
  return 1000;
}

function upstartDef(job: Job, bootAtMs: number, start: (w: Ch2World, t: number) => void, halted: (w: Ch2World) => void, extra: Partial<ServiceDef<Ch2World>> = {}): ServiceDef<Ch2World> {
  return {
    name: job,
    bootAtMs,
    boot: (w, t) => start(w, t),
    halted,
    signal: (ctx, p, sig) => jobSignal(ctx, p, sig),
    initScript: (w, action, user) => withStep(w, (ctx) => serviceJob(ctx, job, action, user, uidOf(w, user))),
    upstart: {
      mainPid: (w) => (jobOf(w, job).pid > 0 ? jobOf(w, job).pid : null),
      goal: (w) => jobOf(w, job).goal,
      control: (w, verb, user) => withStep(w, (ctx) => controlJob(ctx, job, verb, user, uidOf(w, user), 'initctl')),
    },
    ...extra,
  };
}

export const nsqdService: ServiceDef<Ch2World> = upstartDef(
  'nsqd',
  UPSTART_RUNLEVEL2_MS,
  (w, t) => {
    freshJob(w.nsqd);
    // cloud-init's and the network's jobs of this boot have used pids of their own by now
    w.k.lastPid += w.p.pidSkip;
    spawnNsqd(w, t);
  },
  (w) => {
    w.nsqd.pid = 0;
  },
  { sockets: nsqdSockets, syscalls: nsqdSyscalls },
);

export const appService: ServiceDef<Ch2World> = upstartDef(
  'publisher',
  UPSTART_RUNLEVEL2_MS + 10,
  (w, t) => {
    freshJob(w.app);
    w.app.config = null;
    spawnApp(w, t);
  },
  (w) => {
    w.app.pid = 0;
    w.app.config = null;
    w.app.readsConfigAt = -1;
  },
  { syscalls: appSyscalls },
);
