/**
 * The scheduler. Nothing is polled: every source of change (the machine's power state, cron's next
 * minute and its running jobs, and each timer source the scenario registers) knows its next time,
 * and the loop jumps from one to the next. Times are virtual ms and may carry fractions, so a
 * subsystem can schedule to the microsecond.
 */
import type { RngStreams } from '../rng';
import { bootMachine, BOOT_MS } from './boot';
import { cronFinish, cronFinishNext, cronNext, cronRebootJobs, cronTick } from './crond';
import { updateLoad } from './load';
import { holdCompact, releaseCompact } from './syslog';
import { scenarioOf, type AdvanceHooks, type AdvanceOptions, type AdvanceRun, type Scenario, type TimerSource } from './scenario';
import type { MachineWorld } from './world';

function refreshCron(w: MachineWorld, t: number): void {
  const next = w.machine.up ? cronNext(w, t) : Infinity;
  w.cron.nextAt = Number.isFinite(next) ? next : -1;
}

/** The box comes up again after a reset or a reboot. */
function boot(w: MachineWorld, streams: RngStreams, t: number, hooks: AdvanceHooks): void {
  const powerOn = t - BOOT_MS;
  bootMachine(w, streams, powerOn);
  w.machine.bootAt = -1;
  w.stats.reboots.push(powerOn);
  refreshCron(w, t);
  cronRebootJobs(w, streams.stream('cron'), t, hooks);
  updateLoad(w, t);
}

/** The machine's own timers, before the scenario's: power first, then cron. */
const MACHINE_SOURCES: ReadonlyArray<TimerSource> = [
  {
    name: 'boot',
    next: (w) => (!w.machine.up && w.machine.bootAt >= 0 ? w.machine.bootAt : Infinity),
    fire: (w, t, run) => boot(w, run.streams, t, run.hooks),
  },
  {
    name: 'panic-reboot',
    next: (w) => (!w.machine.up && w.machine.panicRebootAt >= 0 ? w.machine.panicRebootAt : Infinity),
    fire: (w, t, run) => {
      w.machine.panicRebootAt = -1;
      w.machine.bootAt = t + run.streams.stream('power').int(18_000, 35_000) + BOOT_MS;
    },
  },
  {
    name: 'cron-job-end',
    next: (w) => (w.machine.up && w.cron.running.length > 0 ? cronFinishNext(w) : Infinity),
    fire: (w, t) => cronFinish(w, t),
  },
  {
    name: 'cron',
    next: (w) => (w.machine.up && w.cron.nextAt >= 0 ? w.cron.nextAt : Infinity),
    fire: (w, t, run) => {
      cronTick(w, run.streams.stream('cron'), t, run.hooks);
      refreshCron(w, t);
    },
  },
];

function sourcesOf(s: Scenario): ReadonlyArray<TimerSource> {
  return s.sources.length === 0 ? MACHINE_SOURCES : [...MACHINE_SOURCES, ...s.sources];
}

/** the earliest due source and its time; ties go to the one listed first */
function earliest(w: MachineWorld, sources: ReadonlyArray<TimerSource>, skip: readonly string[] = []): { t: number; src: TimerSource | null } {
  let t = Infinity;
  let src: TimerSource | null = null;
  for (const s of sources) {
    if (skip.length > 0 && skip.includes(s.name)) continue;
    const at = s.next(w);
    if (at < t) (t = at), (src = s);
  }
  return { t, src };
}

/**
 * Runs the world up to virtual time toMs. Re-entrant: cron's commands may advance time themselves.
 * When hooks.interrupted says so between two events, it stops there instead: the world is then as
 * an advance to that moment would have left it.
 */
export function advance(w: MachineWorld, streams: RngStreams, toMs: number, hooks: AdvanceHooks = {}, opts: AdvanceOptions = {}): void {
  if (!(toMs > w.now)) return;
  const s = scenarioOf(w);
  const sources = sourcesOf(s);
  const run: AdvanceRun = { streams, toMs, hooks, opts, nextOther: (except) => earliest(w, sources, except).t };
  // a busy daemon's compact lines are written into their ring once, when the clock stops
  const logs = w.logs;
  holdCompact(logs);
  try {
    toMs = runUntil(w, s, sources, run, toMs, hooks);
  } finally {
    releaseCompact(logs);
  }
  s.settle(w);
  w.now = Math.max(w.now, toMs);
  if (s.busyUntil(w) <= w.now) {
    s.beforeChange(w, w.now);
    s.afterChange(w, w.now);
  }
}

/** the events due until toMs, in order; returns where the clock stops (earlier when interrupted) */
function runUntil(w: MachineWorld, s: Scenario, sources: ReadonlyArray<TimerSource>, run: AdvanceRun, toMs: number, hooks: AdvanceHooks): number {
  refreshCron(w, w.now);
  for (;;) {
    const ev = earliest(w, sources);
    if (ev.t > toMs || !ev.src) break;
    if (hooks.interrupted?.()) {
      toMs = w.now;
      break;
    }
    const src = ev.src;
    const t = Math.max(ev.t, w.now);
    if (!src.own) s.settle(w);
    // work still running has already written the scenario's books up to its end
    const books = !src.own || (src.books?.(w) ?? false);
    if (books) s.beforeChange(w, Math.max(t, s.busyUntil(w)));
    w.now = t;
    src.fire(w, t, run);
    if (books) s.afterChange(w, Math.max(t, s.busyUntil(w)));
  }
  return toMs;
}
