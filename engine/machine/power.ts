/**
 * Taking the box down: `reboot` as root, a reset from the cloud console for a hung (panicked)
 * kernel, and the panic itself. It comes back (boot.ts) on the newest installed kernel with
 * whatever RAM the VM now has.
 */
import { klog } from '../kernel/logs';
import { slog } from './syslog';
import type { RngStreams } from '../rng';
import { blockShutdown } from './blockfs';
import { BOOT_MS } from './boot';
import { updateLoad } from './load';
import { scenarioOf, type Burst } from './scenario';
import { rsyslogMark } from './syslogd';
import type { MachineWorld } from './world';
import { writeWtmp } from './wtmp';

/** Everything that ran stops: the login, cron's jobs, the scenario's services. */
function halt(w: MachineWorld, t: number): void {
  if (w.sessionPid > 0) w.stats.sessionLost.push(t);
  w.sessionPid = 0;
  w.machine.up = false;
  w.cron.running = [];
  for (const svc of scenarioOf(w).services) svc.halted(w);
}

function goDown(w: MachineWorld, streams: RngStreams, t: number): number {
  halt(w, t);
  w.machine.panicRebootAt = -1;
  scenarioOf(w).afterChange(w, t);
  const at = t + streams.stream('power').int(26_000, 76_000) + BOOT_MS;
  w.machine.bootAt = at;
  return at;
}

/** `reboot` (root only): services stop, the machine resets, and is back when the returned time comes. */
export function reboot(w: MachineWorld, streams: RngStreams, user: string): { ok: true; backAt: number } | { ok: false; errno: 'EPERM' } {
  if (user !== 'root') return { ok: false, errno: 'EPERM' };
  if (!w.machine.up) return { ok: true, backAt: w.machine.bootAt };
  const s = scenarioOf(w);
  s.settle(w);
  const t = Math.max(w.now, s.busyUntil(w));
  slog(w.logs, t, 'rsyslogd', 0, rsyslogMark(w, 'exiting on signal 15.'));
  // upstart records the change to runlevel 6, and reboot(8) the shutdown on its way down
  writeWtmp(w, { type: 'runlevel', t, level: '6', release: w.k.release });
  writeWtmp(w, { type: 'shutdown', t, release: w.k.release });
  // umountfs: dirty pages reach the devices and the filesystems are unmounted clean before the reset
  return { ok: true, backAt: goDown(w, streams, blockShutdown(w, t)) };
}

/** A hard reset from outside the guest: works even when the kernel has panicked and hangs. Dirty pages are lost. */
export function hardReset(w: MachineWorld, streams: RngStreams): { backAt: number } {
  const s = scenarioOf(w);
  s.settle(w);
  return { backAt: goDown(w, streams, Math.max(w.now, s.busyUntil(w))) };
}

/** A kernel panic: everything stops; with kernel.panic > 0 the machine resets itself. */
function panicMachine(w: MachineWorld, t: number): void {
  const k = w.k;
  if (k.sysctl.panic > 0) klog(w.logs, k.bootTime, t, 0, `Rebooting in ${k.sysctl.panic} seconds..`, false);
  halt(w, t);
  w.machine.bootAt = -1;
  w.machine.panicRebootAt = k.sysctl.panic > 0 ? t + k.sysctl.panic * 1000 : -1;
  w.stats.panics.push(t);
}

/** Whatever a burst left behind: a panic takes the machine down, anything else moves the load. */
export function afterBurst(w: MachineWorld, ctx: Burst): void {
  if (ctx.panicked) panicMachine(w, ctx.t);
  else updateLoad(w, ctx.t);
}
