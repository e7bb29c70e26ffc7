/**
 * mongod as a scenario's upstart job, the way the mongodb-org 2.6 package installs it
 * (/etc/init/mongod.conf runs `mongod --config /etc/mongod.conf` as the mongodb user): init
 * starts it at boot, `service mongod start|stop|restart|status` and initctl drive it with
 * upstart 1.12's replies, SIGTERM shuts it down cleanly, and a machine that goes down under it
 * leaves its files as they are (the lock file full, the journal unreplayed).
 */
import { allocPid, findProc } from '../../kernel/procs';
import type { CommandOutput, ServiceDef, ServiceSocket } from '../scenario';
import type { MachineWorld } from '../world';
import { parseMongodArgs } from './conf';
import { mongodGone, mongoOf, startMongod, stopMongod, type MongodState } from './server';

export interface MongodJobSpec {
  /** the job's name (`service NAME ...`) */
  job: string;
  config: string;
  user: string;
  uid: number;
  bootAtMs: number;
  /** called after the job's mongod started (a scenario joins it to its replica set here) */
  started?(w: MachineWorld, s: MongodState, t: number): void;
}

export interface MongodJobState {
  goal: 'start' | 'stop';
  pid: number;
  /** the D-Bus serial of the last refused call */
  busSerial?: number;
}

type JobWorld = MachineWorld & { mongoJobs?: Record<string, MongodJobState> };

function jobState(w: MachineWorld, job: string): MongodJobState {
  const jw = w as JobWorld;
  const all = (jw.mongoJobs ??= {});
  return (all[job] ??= { goal: 'stop', pid: 0 });
}

function serverOf(w: MachineWorld, job: string): MongodState | undefined {
  const j = jobState(w, job);
  return mongoOf(w).servers.find((s) => s.pid === j.pid && findProc(w.k, s.pid));
}

/** the job's mongod starts at t: its output goes to its log file, its failure leaves the job stopped */
export function startJob(w: MachineWorld, spec: MongodJobSpec, t: number): { ok: boolean; pid: number } {
  const j = jobState(w, spec.job);
  j.goal = 'start';
  const args = `/usr/bin/mongod --config ${spec.config}`;
  const parsed = parseMongodArgs(['--config', spec.config], (p) => w.files.files[p]?.content ?? null);
  if (!parsed.ok) {
    j.goal = 'stop';
    j.pid = 0;
    return { ok: false, pid: 0 };
  }
  const r = startMongod(w, { opts: parsed.opts, hostname: w.p.hostname, ppid: 1, user: spec.user, uid: spec.uid, args }, t);
  if (!r.ok) {
    j.goal = 'stop';
    j.pid = 0;
    return { ok: false, pid: 0 };
  }
  j.pid = r.server.pid;
  spec.started?.(w, r.server, t);
  return { ok: true, pid: j.pid };
}

export function stopJob(w: MachineWorld, spec: MongodJobSpec, t: number): void {
  const j = jobState(w, spec.job);
  j.goal = 'stop';
  const s = serverOf(w, spec.job);
  if (s) stopMongod(w, s, t, 'SIGTERM');
  j.pid = 0;
}

function statusLine(w: MachineWorld, spec: MongodJobSpec): string {
  const s = serverOf(w, spec.job);
  return s ? `${spec.job} start/running, process ${s.pid}\n` : `${spec.job} stop/waiting\n`;
}

const METHOD: Record<string, string> = { start: 'Start', stop: 'Stop', restart: 'Restart' };

/** D-Bus's policy refusing a user's call to init, as upstart's tools print it (the tool is a process: it takes a pid) */
function rejected(w: MachineWorld, spec: MongodJobSpec, verb: string, user: string): string {
  const j = jobState(w, spec.job);
  const serial = (j.busSerial = (j.busSerial ?? 0) + 1);
  let uid = 1000;
  for (const line of (w.files.files['/etc/passwd']?.content ?? '').split('\n')) {
    const f = line.split(':');
    if (f[0] === user && /^\d+$/.test(f[2] ?? '')) uid = Number(f[2]);
  }
  return `${verb}: Rejected send message, 1 matched rules; type="method_call", sender=":1.${serial}" (uid=${uid} pid=${allocPid(w.k)} comm="${verb} ${spec.job} ") interface="com.ubuntu.Upstart0_6.Job" member="${METHOD[verb]}" error name="(unset)" requested_reply="0" destination="com.ubuntu.Upstart" (uid=0 pid=1 comm="/sbin/init")\n`;
}

function control(w: MachineWorld, spec: MongodJobSpec, verb: string, user: string): CommandOutput {
  const out = (stdout: string, stderr = '', code = 0): CommandOutput => ({ stdout, stderr, code });
  if (user !== 'root' && verb !== 'status' && METHOD[verb]) return out('', rejected(w, spec, verb, user), 1);
  const running = serverOf(w, spec.job) !== undefined;
  switch (verb) {
    case 'status':
      return out(statusLine(w, spec));
    case 'start': {
      if (running) return out('', `start: Job is already running: ${spec.job}\n`, 1);
      const r = startJob(w, spec, w.now);
      // upstart answers once the main process is exec'd: a mongod that then refuses to start still got its pid
      return out(`${spec.job} start/running, process ${r.ok ? r.pid : w.k.lastPid}\n`);
    }
    case 'stop':
      if (!running) return out('', 'stop: Unknown instance: \n', 1);
      stopJob(w, spec, w.now);
      return out(`${spec.job} stop/waiting\n`);
    case 'restart': {
      if (!running) return out('', 'restart: Unknown instance: \n', 1);
      stopJob(w, spec, w.now);
      const r = startJob(w, spec, w.now);
      return r.ok ? out(`${spec.job} start/running, process ${r.pid}\n`) : out(`${spec.job} stop/waiting\n`);
    }
    default:
      return out('', `${verb}: Unknown job: ${spec.job}\n`, 1);
  }
}

/** the upstart job as the scenario lists it among its services */
export function mongodService<W extends MachineWorld>(spec: MongodJobSpec): ServiceDef<W> {
  return {
    name: spec.job,
    bootAtMs: spec.bootAtMs,
    boot: (w, t) => {
      startJob(w, spec, t);
    },
    halted: (w) => {
      // the box went down under it: no shutdown, the lock file and the journal stay as they were
      const s = serverOf(w, spec.job);
      if (s) mongodGone(w, s);
      jobState(w, spec.job).pid = 0;
    },
    signal: (ctx, p, sig) => {
      const s = mongoOf(ctx.w).servers.find((x) => x.pid === p.pid);
      if (!s) return false;
      // any mongod on the box shuts down cleanly on SIGTERM or SIGINT, the job's own or one started by hand
      if (sig !== 15 && sig !== 2) return false;
      const j = jobState(ctx.w, spec.job);
      if (j.pid === s.pid) {
        j.goal = 'stop';
        j.pid = 0;
      }
      const gone = stopMongod(ctx.w, s, ctx.t, sig === 15 ? 'SIGTERM' : 'SIGINT');
      if (gone) ctx.died.push(gone);
      return true;
    },
    initScript: (w, action, user) => control(w, spec, action, user),
    upstart: {
      mainPid: (w) => serverOf(w, spec.job)?.pid ?? null,
      goal: (w) => jobState(w, spec.job).goal,
      control: (w, verb, user) => control(w, spec, verb, user),
    },
    sockets: (w): ServiceSocket[] => {
      const s = serverOf(w, spec.job);
      if (!s) return [];
      return [{ proto: 'tcp', local: s.opts.bindIp ?? '0.0.0.0', port: s.opts.port, holders: [{ pid: s.pid, fd: 6 }] }];
    },
  };
}
