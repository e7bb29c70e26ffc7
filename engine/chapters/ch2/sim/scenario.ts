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
import { appReadsConfig, appService, nsqdService, reapJobs } from './services';
import type { Ch2World } from './world';

export const SCENARIO = 'ch2';

function burst(w: MachineWorld, t: number): Burst {
  return { ...newAllocCtx(w.k, w.logs, t, w.hardware), w };
}

export const ch2Scenario: Scenario<Ch2World> = registerScenario<Ch2World>({
  name: SCENARIO,
  services: [nsqdService, appService],
  sources: [
    {
      name: 'publisher-load',
      next: (w) => (w.machine.up && w.app.readsConfigAt >= 0 ? w.app.readsConfigAt : Infinity),
      fire: (w, t) => appReadsConfig(w, t),
    },
  ],
  kernel: [],
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
});
