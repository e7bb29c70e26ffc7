/**
 * Chapter 2's scenario: the software this web box runs on the generic machine. Two upstart jobs
 * (nsqd, then the publisher) and one timer of their own: the moment a freshly exec'd publisher has
 * loaded ruby and reads its config. The kernel has no subsystem of the scenario's yet; the
 * loopback TCP stack and the publish traffic over it come from the network side.
 */
import { newAllocCtx } from '../../../kernel/alloc';
import { registerScenario, type Burst, type Scenario } from '../../../machine/scenario';
import { noteMachineDeath } from '../../../machine/syslogd';
import type { MachineWorld } from '../../../machine/world';
import { ch2Packages, KERNELS } from './catalogue';
import { nextEventAt, TCP_SUBSYSTEM } from '../../../kernel/tcp';
import { stackOf, tcpAt } from '../../../machine/tcp';
import { appReadsConfig, appService, nsqdService, onJobs, reapJobs } from './services';
import { appGone, appReady, appSendAt, appSends, eventArrives, nsqdGone, nsqdReady,  onTcpEvent, openPool } from './traffic';
import { ROLE, type Ch2World } from './world';

/**
 * nsqd is a Go program: the runtime installs its handler for every signal it may (all but KILL,
 * STOP, CONT, TSTP, TTIN, TTOU and glibc's two), as /proc/PID/status of Go daemons shows
 * (SigCgt fffffffe7fc1feff, nothing ignored).
 */
const GO_SIGNALS = { ign: 0n, cgt: 0xfffffffe7fc1feffn };
const sigBits = (...sigs: number[]) => sigs.reduce((m, n) => m | (1n << BigInt(n - 1)), 0n);
/**
 * ruby 1.9.3: Init_signal() catches HUP INT QUIT ALRM USR1 USR2 TERM (to raise SignalException),
 * BUS and SEGV (its [BUG] report) and PIPE (a handler that does nothing, so children exec with
 * the default); the thread code catches VTALRM to interrupt blocked threads. CHLD stays default.
 */
const RUBY_SIGNALS = { ign: 0n, cgt: sigBits(1, 2, 3, 7, 10, 11, 12, 13, 14, 15, 26) };

export const SCENARIO = 'ch2';

function burst(w: MachineWorld, t: number): Burst {
  return { ...newAllocCtx(w.k, w.logs, t, w.hardware), w };
}

export const ch2Scenario: Scenario<Ch2World> = registerScenario<Ch2World>({
  name: SCENARIO,
  signalMasks: (_w, p) => (p.role === ROLE.nsqd ? GO_SIGNALS : p.role === ROLE.app ? RUBY_SIGNALS : undefined),
  services: [nsqdService, appService],
  sources: [
    {
      // segments in flight on lo and the stack's timers, first at any moment (a segment due now lands before a program acts)
      name: 'tcp',
      own: true,
      next: (w) => {
        const s = w.machine.up ? stackOf(w) : null;
        return (s && nextEventAt(s)) ?? Infinity;
      },
      fire: (w, t, run) => void tcpAt(w, run.streams, t),
    },
    {
      name: 'publisher-load',
      next: (w) => (w.machine.up && w.app.readsConfigAt >= 0 ? w.app.readsConfigAt : Infinity),
      fire: (w, t) => appReadsConfig(w, t),
    },
    {
      name: 'publisher-connect',
      own: true,
      next: (w) => (w.machine.up && w.net.connectAt >= 0 ? w.net.connectAt : Infinity),
      fire: (w, t, run) => openPool(w, t, run.streams.stream('net')),
    },
    {
      name: 'site-events',
      own: true,
      next: (w) => (w.machine.up && w.net.nextArrival >= 0 ? w.net.nextArrival : Infinity),
      fire: (w, t, run) => eventArrives(w, t, run.streams.stream('events')),
    },
    {
      name: 'publisher-send',
      own: true,
      next: (w) => (w.machine.up ? appSendAt(w) : Infinity),
      fire: (w, t, run) => appSends(w, t, run.streams.stream('net')),
    },
  ],
  kernel: [TCP_SUBSYSTEM],
  kernels: KERNELS,
  packages: ch2Packages,
  burst,
  actionStart: (w) => burst(w, w.now),
  actionDone: () => undefined,
  reap: (ctx) => {
    const w = ctx.w as Ch2World;
    const died = ctx.died;
    ctx.died = [];
    for (const d of died) noteMachineDeath(w, ctx.t, d);
    // upstart hears of its jobs' deaths too, and respawns them
    reapJobs(w, ctx.t, died);
  },
  settle: () => undefined,
  busyUntil: () => 0,
  beforeChange: () => undefined,
  afterChange: () => undefined,
  invalidate: () => undefined,
  tcpEvent: (w, e) => onTcpEvent(w, e),
});

// the programs' sockets open and close with the processes that hold them
onJobs({
  appReady: (w, t) => appReady(w, t),
  appGone: (w, t) => appGone(w, t),
  nsqdReady: (w, t) => nsqdReady(w, t),
  nsqdGone: (w, t) => nsqdGone(w, t),
});
