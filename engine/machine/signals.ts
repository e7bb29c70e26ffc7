/**
 * kill(2) and /proc/PID/oom_score_adj as the player reaches them, with their permission rules.
 * What a signal does to a service's process follows that service's own handlers.
 */
import { sigkill } from '../kernel/alloc';
import { OOM_SCORE_ADJ_MAX, OOM_SCORE_ADJ_MIN } from '../kernel/oom';
import { exitProc, findProc } from '../kernel/procs';
import type { Proc } from '../kernel/types';
import { withStep } from './act';
import { scenarioOf } from './scenario';
import type { MachineWorld } from './world';

type SignalErrno = 'ESRCH' | 'EPERM' | 'EINVAL';

const SIGNALS: Record<string, number> = {
  HUP: 1,
  INT: 2,
  QUIT: 3,
  KILL: 9,
  USR1: 10,
  USR2: 12,
  TERM: 15,
  CONT: 18,
  STOP: 19,
};

/** accepts 9, KILL, SIGKILL, -9 style spellings */
export function parseSignal(s: string | number): number | null {
  if (typeof s === 'number') return s >= 0 && s <= 64 ? s : null;
  const t = s.trim().toUpperCase().replace(/^-/, '').replace(/^SIG/, '');
  if (/^\d+$/.test(t)) {
    const n = parseInt(t, 10);
    return n <= 64 ? n : null;
  }
  return SIGNALS[t] ?? null;
}

function mayTouch(p: Proc, user: string): boolean {
  return user === 'root' || p.user === user;
}

/** What the process does with the signal, once the kernel delivered it. */
function deliver(w: MachineWorld, p: Proc, sig: number): void {
  withStep(w, (ctx) => {
    if (sig === 19) {
      p.state = 'T';
      return;
    }
    if (sig === 18) {
      if (p.state === 'T') p.state = 'S';
      return;
    }
    if (sig === 9) {
      sigkill(ctx, p);
      return;
    }
    for (const svc of scenarioOf(w).services) if (svc.signal?.(ctx, p, sig)) return;
    if (p.pid === 1) return;
    if (sig === 1 && (p.comm === 'rsyslogd' || p.comm === 'sshd' || p.comm === 'cron')) return;
    if (sig === 1 || sig === 2 || sig === 3 || sig === 15 || sig === 10 || sig === 12) {
      ctx.died.push(exitProc(w.k, p, sig));
    }
  });
}

/** kill(pid, sig) as `user`. */
export function kill(w: MachineWorld, pid: number, signal: string | number, user: string): { ok: true } | { ok: false; errno: SignalErrno } {
  const sig = parseSignal(signal);
  if (sig === null) return { ok: false, errno: 'EINVAL' };
  if (!Number.isInteger(pid) || pid <= 0) return { ok: false, errno: 'ESRCH' };
  const p = findProc(w.k, pid);
  if (!p || !w.machine.up) return { ok: false, errno: 'ESRCH' };
  if (!mayTouch(p, user)) return { ok: false, errno: 'EPERM' };
  if (sig === 0 || p.kthread) return { ok: true };
  // init only takes the signals it installed handlers for; SIGKILL from userspace is dropped
  if (p.pid === 1 && sig === 9) return { ok: true };
  deliver(w, p, sig);
  return { ok: true };
}

/** echo N > /proc/PID/oom_score_adj */
export function setOomScoreAdj(
  w: MachineWorld,
  pid: number,
  value: string | number,
  user: string,
): { ok: true } | { ok: false; errno: 'ESRCH' | 'EACCES' | 'EINVAL' } {
  const text = String(value).trim();
  if (!/^-?\d+$/.test(text)) return { ok: false, errno: 'EINVAL' };
  const v = parseInt(text, 10);
  if (v < OOM_SCORE_ADJ_MIN || v > OOM_SCORE_ADJ_MAX) return { ok: false, errno: 'EINVAL' };
  const p = findProc(w.k, pid);
  if (!p || !w.machine.up) return { ok: false, errno: 'ESRCH' };
  if (user !== 'root' && p.user !== user) return { ok: false, errno: 'EACCES' };
  // lowering below what a privileged writer set (0 unless root lowered it) needs CAP_SYS_RESOURCE
  if (user !== 'root' && v < Math.min(0, p.adj)) return { ok: false, errno: 'EACCES' };
  p.adj = v;
  scenarioOf(w).invalidate(w);
  return { ok: true };
}
