/**
 * Chapter 3's scenario on the generic machine: the block layer in the kernel, the two EBS volumes
 * plugged in and mounted from /etc/fstab at boot (mountall), mongodb-org's upstart job `mongod`
 * joining the set as a secondary, and the timers of the page cache, the cloud and mongod.
 */
import { newAllocCtx } from '../../../kernel/alloc';
import { BLOCK_SUBSYSTEM, fs } from '../../../kernel/block';
import { BLOCK_TIMER_SOURCE, machineBacking, mountFstab } from '../../../machine/blockfs';
import { CLOUD_TIMER_SOURCE, plugInAttached } from '../../../machine/ebs/cloud';
import '../../../machine/mongo/blockDisk';
import { MONGOD_TIMER_SOURCE, joinAsSecondary } from '../../../machine/mongo/server';
import { mongodService } from '../../../machine/mongo/service';
import { registerScenario, type Burst, type Scenario } from '../../../machine/scenario';
import { noteMachineDeath } from '../../../machine/syslogd';
import type { MachineWorld } from '../../../machine/world';
import { ch3Packages, KERNELS } from './catalogue';
import { MONGODB } from './files';
import { SYNC_BUFFER_BYTES } from './params';
import type { Ch3World } from './world';

export const SCENARIO = 'ch3';
/** how the set names this member, and its _id in the set's config */
export const MEMBER = { me: 'db-2:27017', id: 1 } as const;

function burst(w: MachineWorld, t: number): Burst {
  return { ...newAllocCtx(w.k, w.logs, t, w.hardware), w };
}

/** mountall: the attached volumes appear, fstab mounts them; the first boot lays out /data/db (journal on its own volume) */
function mountall(w: Ch3World, t: number): void {
  plugInAttached(w, t);
  mountFstab(w, t);
  const backing = machineBacking(w);
  if (fs.lookup(w.k, 'xvdf', '') && !fs.lookup(w.k, 'xvdf', 'db')) {
    const own = { perm: 0o755, uid: MONGODB.uid, gid: MONGODB.gid };
    fs.mkdir(w.k, 'xvdf', 'db', own, t, backing);
    fs.symlink(w.k, 'xvdf', 'db/journal', '/journal', t, backing);
  }
}

export const MONGOD_JOB = {
  job: 'mongod',
  config: '/etc/mongod.conf',
  user: MONGODB.name,
  uid: MONGODB.uid,
  bootAtMs: 9_000,
};

export const ch3Scenario: Scenario<Ch3World> = registerScenario<Ch3World>({
  name: SCENARIO,
  kernel: [BLOCK_SUBSYSTEM],
  services: [
    { name: 'mountall', bootAtMs: 3_000, boot: (w, t) => mountall(w, t), halted: () => undefined },
    mongodService<Ch3World>({
      ...MONGOD_JOB,
      started: (w, s) => joinAsSecondary(w, s, MEMBER.me, MEMBER.id, { bufferBytes: SYNC_BUFFER_BYTES }),
    }),
  ],
  sources: [BLOCK_TIMER_SOURCE as never, CLOUD_TIMER_SOURCE, MONGOD_TIMER_SOURCE as never],
  kernels: KERNELS,
  packages: ch3Packages,
  burst,
  actionStart: (w) => burst(w, w.now),
  actionDone: () => undefined,
  reap: (ctx) => {
    const w = ctx.w as Ch3World;
    const died = ctx.died;
    ctx.died = [];
    for (const d of died) noteMachineDeath(w, ctx.t, d);
  },
  settle: () => undefined,
  busyUntil: () => 0,
  beforeChange: () => undefined,
  afterChange: () => undefined,
  invalidate: () => undefined,
});
