/**
 * Taking the box down: `reboot` as root, or a reset from the cloud console when a panicked
 * kernel hangs. It comes back on the newest installed kernel with whatever RAM the VM now has.
 */
import { slog } from '../../../kernel/logs';
import type { Rng } from '../../../rng';
import { materialize } from './batch';
import { BOOT_MS } from './boot';
import { noteDns } from './stats';
import type { Ch1World } from './world';

function goDown(w: Ch1World, rng: Rng, t: number): number {
  if (w.sessionPid > 0) w.stats.sessionLost.push(t);
  w.sessionPid = 0;
  w.machine.up = false;
  w.machine.panicRebootAt = -1;
  w.xfr.pendingAt = -1;
  w.cron.running = [];
  noteDns(w, t);
  const at = t + rng.int(26_000, 76_000) + BOOT_MS;
  w.machine.bootAt = at;
  return at;
}

/** `reboot` (root only): services stop, the machine resets, and is back when the returned time comes. */
export function reboot(w: Ch1World, rng: Rng, user: string): { ok: true; backAt: number } | { ok: false; errno: 'EPERM' } {
  if (user !== 'root') return { ok: false, errno: 'EPERM' };
  if (!w.machine.up) return { ok: true, backAt: w.machine.bootAt };
  materialize(w);
  const t = Math.max(w.now, w.xfr.busyUntil);
  slog(w.logs, t, 'rsyslogd', 0, `[origin software="rsyslogd" swVersion="7.4.4" x-pid="${w.rsyslogPid}" x-info="http://www.rsyslog.com"] exiting on signal 15.`);
  return { ok: true, backAt: goDown(w, rng, t) };
}

/** A hard reset from outside the guest: works even when the kernel has panicked and hangs. */
export function hardReset(w: Ch1World, rng: Rng): { backAt: number } {
  materialize(w);
  return { backAt: goDown(w, rng, Math.max(w.now, w.xfr.busyUntil)) };
}
