/**
 * Chapter 1's scenario: the software this secondary runs on the generic machine. NSD is its one
 * service; the primary's updates, xfrd's reload requests and the judge's hourly sample are its
 * timers; reloads are applied in bulk where they repeat (batch.ts), so the machine asks this
 * scenario to settle them before it looks.
 */
import { registerScenario, type Scenario, type ServiceDef, type ServiceSocket } from '../../../machine/scenario';
import { kernelWork, updateLoad } from '../../../machine/load';
import { afterBurst } from '../../../machine/power';
import type { Proc } from '../../../kernel/types';
import { exitProc } from '../../../kernel/procs';
import { bulkRun, materialize, reloadAt, withPendingLevels } from './batch';
import { ch1Packages, KERNELS, NETWORK } from './catalogue';
import { alive, deliverDeaths, startNsd, stopNsd } from './nsd';
import { serviceNsd, sighupMain } from './service';
import { nsdSyscalls } from './syscalls';
import { noteDns, noteOomKills, sampleHour, settleDns } from './stats';
import { mainDepth, newStep, tick, type StepCtx } from './step';
import { ROLE, type Ch1World } from './world';
import { xfrArrive, xfrCommitText } from './xfr';

export const SCENARIO = 'ch1-dns-secondary';

/**
 * Reloads this close to the end of an advance run exactly, so the logs look right when read: the
 * last few reloads of a storm, with every line NSD writes about them and the newest OOM reports
 * in the ring buffer. In a storm each one costs several OOM kills run one by one, so no more of
 * them than that. (Two minutes until direct reclaim's pages were counted as they went: the old
 * difference could step back a page between two readings of /proc/vmstat.)
 */
const TAIL_MS = 60_000;

/** NSD's own handlers for the signals a process can catch (server.c); false for processes that are not NSD's */
function nsdSignal(ctx: StepCtx, p: Proc, sig: number): boolean {
  const w = ctx.w;
  const run = w.nsd.running;
  const isMain = !!run && p.pid === run.mainPid;
  if (p.role === ROLE.main && isMain) {
    if (sig === 1) sighupMain(w, ctx);
    else if (sig === 15 || sig === 2) stopNsd(ctx);
    // SIGQUIT is the quiet shutdown NSD also uses during a reload
    else if (sig === 3) stopNsd(ctx, true);
    return true;
  }
  if (p.role === ROLE.child || p.role === ROLE.xfrd) {
    // the serve children and xfrd only act on the signals that stop them
    if (sig === 15 || sig === 2 || sig === 3) ctx.died.push(exitProc(w.k, p, 0));
    return true;
  }
  return false;
}

const INIT_LINE = 73;

const nsdService: ServiceDef<Ch1World> = {
  name: 'nsd',
  // /etc/init.d/nsd runs right after irqbalance in rc2.d
  bootAtMs: 8_700,
  boot: (w, t) => {
    w.nsd.running = null;
    w.xfr.pendingAt = -1;
    w.xfr.lastReloadAt = 0;
    w.xfr.busyUntil = 0;
    w.batch.last = null;
    w.batch.template = null;
    startNsd(newStep(w, t, 1));
  },
  halted: (w) => {
    w.xfr.pendingAt = -1;
  },
  signal: (ctx, p, sig) => nsdSignal(ctx as StepCtx, p, sig),
  package: {
    name: 'nsd',
    prerm: (ctx) => {
      const c = ctx as StepCtx;
      if (!c.w.nsd.running) return [];
      stopNsd(c);
      return [` * Stopping domain name service nsd`.padEnd(INIT_LINE, ' ') + '[ OK ]'];
    },
    postinst: (ctx, version) => {
      const c = ctx as StepCtx;
      c.w.nsd.installed = version;
      const r = startNsd(c);
      return [` * Starting domain name service nsd`.padEnd(INIT_LINE, ' ') + (r.ok ? '[ OK ]' : '[fail]')];
    },
  },
  initScript: (w, action, user) => serviceNsd(w, action, user),
  syscalls: (w, req) => nsdSyscalls(w, req),
  sockets: (w) => nsdSockets(w),
};

/**
 * ip-address: 0.0.0.0 and do-ip6: no in nsd.conf: one UDP and one TCP socket on port 53, opened
 * by the main process and inherited by every serve child it forks; xfrd closes them and keeps
 * the remote-control socket (control-interface 127.0.0.1, control-port 8952).
 */
function nsdSockets(w: Ch1World): ServiceSocket[] {
  const run = w.nsd.running;
  if (!run) return [];
  const servers = [run.mainPid, ...run.slots].filter((pid) => pid > 0 && alive(w, pid));
  const out: ServiceSocket[] = [];
  if (servers.length) {
    out.push({ proto: 'udp', local: '0.0.0.0', port: 53, holders: servers.map((pid) => ({ pid, fd: 4 })) });
    out.push({ proto: 'tcp', local: '0.0.0.0', port: 53, holders: servers.map((pid) => ({ pid, fd: 5 })) });
  }
  if (run.xfrdPid > 0 && alive(w, run.xfrdPid)) out.push({ proto: 'tcp', local: '127.0.0.1', port: 8952, holders: [{ pid: run.xfrdPid, fd: 7 }] });
  return out;
}

const sigBits = (...sigs: number[]) => sigs.reduce((m, n) => m | (1n << BigInt(n - 1)), 0n);
/** NSD 4.0.1 nsd.c: TERM HUP INT ILL USR1 ALRM CHLD caught, PIPE ignored; every process it forks keeps them */
const NSD_SIGNALS = { ign: sigBits(13), cgt: sigBits(15, 1, 2, 4, 10, 14, 17) };
/** xfrd.c adds its own handler for QUIT */
const XFRD_SIGNALS = { ign: NSD_SIGNALS.ign, cgt: NSD_SIGNALS.cgt | sigBits(3) };

export const ch1Scenario: Scenario<Ch1World> = registerScenario<Ch1World>({
  name: SCENARIO,
  // every nsd process stays in the session the first main made: after a reload the new main leads none
  sessionOf: (w, p) => (Object.values(ROLE).includes(p.role as never) ? w.nsd.running?.sid : undefined),
  signalMasks: (_w, p) => (p.role === ROLE.xfrd ? XFRD_SIGNALS : Object.values(ROLE).includes(p.role as never) ? NSD_SIGNALS : undefined),
  services: [nsdService],
  sources: [
    {
      name: 'xfr',
      own: true,
      next: (w) => (w.xfr.nextAt >= 0 ? w.xfr.nextAt : Infinity),
      fire: (w, t, run) => xfrArrive(w, run.streams.stream('xfr'), t),
    },
    {
      name: 'reload',
      own: true,
      next: (w) => (w.machine.up && w.xfr.pendingAt >= 0 ? w.xfr.pendingAt : Infinity),
      fire: (w, t, run) => {
        w.xfr.pendingAt = -1;
        w.xfr.lastReloadAt = t;
        if (!w.nsd.running) return;
        const r = reloadAt(w, t, { bulk: !run.opts.exact, lastBefore: t >= run.toMs - TAIL_MS });
        w.xfr.busyUntil = r.end;
        // the burst's forks and kills are the kernel copying and freeing anon_vma chains
        kernelWork(w, t, r.end);
        if (r.ctx) afterBurst(w, r.ctx);
        // a bulk run goes on without the general loop until something else is due
        else bulkRun(w, run.streams.stream('xfr'), Math.min(run.toMs - TAIL_MS, run.nextOther(['xfr', 'reload'])));
      },
    },
    {
      name: 'sample',
      // the hourly sample can look at a bulk run without settling it
      own: true,
      books: (w) => w.batch.pending === 0,
      next: (w) => w.stats.nextSample,
      fire: (w, t) =>
        withPendingLevels(w, () => {
          sampleHour(w, t);
          updateLoad(w, t);
        }),
    },
  ],
  kernels: KERNELS,
  network: NETWORK,
  packages: ch1Packages,
  burst: (w, t) => newStep(w, t, mainDepth(w)),
  actionStart: (w) => {
    materialize(w);
    w.batch.epoch++;
    // a reload still finishing in the background finishes first: the player's action comes after
    // it, so nothing the machine logs or does afterwards predates what the player did
    w.now = Math.max(w.now, w.xfr.busyUntil);
    const ctx = newStep(w, w.now, mainDepth(w));
    tick(ctx);
    return ctx;
  },
  actionDone: (w, ctx) => {
    const c = ctx as StepCtx;
    tick(c);
    noteOomKills(w, c.t0, c.oomKills);
    w.xfr.busyUntil = c.t;
    kernelWork(w, c.t0, c.t);
    w.batch.last = null;
    w.batch.epoch++;
  },
  reap: (ctx) => deliverDeaths(ctx as StepCtx),
  settle: materialize,
  busyUntil: (w) => w.xfr.busyUntil,
  beforeChange: (w, t) => settleDns(w, t),
  afterChange: (w, t) => noteDns(w, t),
  invalidate: (w) => {
    w.batch.last = null;
    w.batch.epoch++;
  },
  compactLine: (w, _pid, zone, serialOff, t) => ({ tag: 'nsd', text: xfrCommitText(w, zone, serialOff + (w.p.zones[zone]?.serial ?? 0), t) }),
});
