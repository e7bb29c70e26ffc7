/**
 * The report box's software on the generic machine: nothing of its own runs as a daemon; the
 * export is a cron job, and cron (the machine's) decides whether it runs. The scenario only
 * names the kernel and packages the box was built with.
 */
import { newAllocCtx } from '../../../kernel/alloc';
import { pkg, v } from '../../../machine/catalogue';
import { registerScenario, type Burst, type Scenario } from '../../../machine/scenario';
import { noteMachineDeath } from '../../../machine/syslogd';
import type { MachineWorld } from '../../../machine/world';
import type { CronDotWorld } from './world';

function burst(w: MachineWorld, t: number): Burst {
  return { ...newAllocCtx(w.k, w.logs, t, w.hardware), w };
}

export const SCENARIO_NAME = 'cron-dot';

export const scenario: Scenario<CronDotWorld> = registerScenario<CronDotWorld>({
  name: SCENARIO_NAME,
  services: [],
  sources: [],
  kernels: [
    {
      release: '3.13.0-46-generic',
      version: '#77-Ubuntu SMP Mon Mar 2 18:23:39 UTC 2015',
      anonVmaReuse: false,
      image: 'linux-image-3.13.0-46-generic',
      pkgVersion: '3.13.0-46.77',
      builder: 'buildd@phianna',
      upstream: '3.13.11-ckt15',
    },
  ],
  packages: () => [
    pkg('linux-image-3.13.0-46-generic', 'kernel', 'Linux kernel image for version 3.13.0 on 64 bit x86 SMP', '3.13.0-46.77', [v('3.13.0-46.77', 'trusty-updates', 15_000, 52_000)]),
  ],
  burst,
  actionStart: (w) => burst(w, w.now),
  actionDone: () => undefined,
  reap: (ctx) => {
    for (const d of ctx.died) noteMachineDeath(ctx.w, ctx.t, d);
    ctx.died = [];
  },
  settle: () => undefined,
  busyUntil: () => 0,
  beforeChange: () => undefined,
  afterChange: () => undefined,
  invalidate: () => undefined,
});
