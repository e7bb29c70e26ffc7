import { DAY, HOUR, formatElapsed } from '../../clock';
import type { ObjectiveDef, ObjectiveVerdicts } from '../../objectives';
import { compareDebVersions } from '../../machine/debversion';
import { nsdRestartJobs } from './sim/fixes';
import { dnsProbeFailures, oomKillsIn, outagesIn } from './sim/stats';
import type { Ch1World } from './sim/world';
import type { FixKind } from './storyContract';

/**
 * How chapter 1 is judged, from the simulated machine alone. A fix is "in effect" when the
 * machine really runs something that stops the growth; the objectives then look back over the
 * last week of virtual time.
 */
const WEEK = 7 * DAY;

export const OBJECTIVES: readonly ObjectiveDef[] = [
  { id: 'culprit', label: 'Find out what is eating the memory', kind: 'milestone' },
  { id: 'fix', label: 'Put a fix in place that stops the growth', kind: 'condition' },
  { id: 'dns', label: 'DNS answered every probe for 7 days', kind: 'condition' },
  { id: 'no_oom', label: 'No OOM kill for 7 days since the fix', kind: 'condition' },
  { id: 'flat', label: 'SUnreclaim is flat over 7 days', kind: 'condition' },
];


interface FixState {
  kind: FixKind;
  /** virtual ms since when the machine has been running with it */
  since: number;
}

/** Restarting NSD at least this often keeps the chain short enough to never reach the OOM killer. */
const MAX_RESTART_PERIOD_MIN = 24 * 60;

/** Which fix the machine is running right now, the strongest one first. */
export function currentFix(w: Ch1World): FixState {
  if (!w.machine.up) return { kind: 'none', since: w.now };
  if (w.k.anonVmaReuse) return { kind: 'kernel', since: w.k.bootTime };
  const run = w.nsd.running;
  if (run && compareDebVersions(run.version, '4.1.0') >= 0) return { kind: 'nsd', since: run.startedAt };
  const jobs = nsdRestartJobs(w).filter((j) => j.periodMinutes !== null && j.periodMinutes <= MAX_RESTART_PERIOD_MIN);
  if (jobs.length > 0 && run) {
    const since = Math.min(...jobs.map((j) => w.files.files[j.file]?.mtime ?? w.now));
    return { kind: 'restarts', since };
  }
  return { kind: 'none', since: w.now };
}

function sunreclaimSamples(w: Ch1World, from: number, to: number): Array<[number, number]> {
  return w.stats.sunreclaim.filter(([t]) => t >= from && t <= to);
}

/** Highest SUnreclaim (kB) within [from, to], or null with no samples. */
export function peakSunreclaim(w: Ch1World, from: number, to: number): number | null {
  const s = sunreclaimSamples(w, from, to);
  return s.length === 0 ? null : Math.max(...s.map(([, kb]) => kb));
}

/** when the OOM killer last struck: exact from the recent record, else the end of its last hour */
function lastOomKill(w: Ch1World): number | null {
  const k = w.stats.oomKills;
  // flat (time, how many) pairs: the time is the first of each pair
  if (k.length >= 2) return k[k.length - 2]!;
  const h = w.stats.oomHourly;
  return h.length >= 2 ? h[h.length - 2]! + HOUR - 1 : null;
}

function lastDnsFailure(w: Ch1World, from: number, to: number): number | null {
  const o = outagesIn(w, from, to).filter((x) => dnsProbeFailures(w, x.from, x.to, w.p.probeOffsetSec) > 0);
  return o.length > 0 ? o[o.length - 1]!.to : null;
}

const mb = (kb: number) => `${Math.round(kb / 1024)} MB`;

export function verdicts(w: Ch1World, cluesFound: readonly string[]): ObjectiveVerdicts {
  const now = w.now;
  const fix = currentFix(w);
  const fixed = fix.kind !== 'none';
  const since = fix.since;
  const v: ObjectiveVerdicts = {};

  v.culprit = cluesFound.includes('anon_vma_top') ? { status: 'done' } : { status: 'pending' };

  if (!fixed) v.fix = { status: 'pending' };
  else if (now - since >= WEEK) v.fix = { status: 'done', detail: `${fix.kind}, in place for ${formatElapsed(now - since)}` };
  else v.fix = { status: 'holding', detail: `${fix.kind}, in place for ${formatElapsed(now - since)} of 7d` };

  // DNS: with no fix, only report trouble; with a fix, the clean streak since the fix counts.
  const dayFailures = dnsProbeFailures(w, now - DAY, now, w.p.probeOffsetSec);
  if (!fixed) {
    v.dns = dayFailures > 0 ? { status: 'failing', detail: `${dayFailures} failed probes in the last 24h` } : { status: 'pending' };
  } else {
    const lastFail = lastDnsFailure(w, since, now);
    const cleanFrom = Math.max(since, lastFail ?? since);
    const streak = now - cleanFrom;
    if (streak >= WEEK) v.dns = { status: 'done', detail: 'no failed probe in 7 days' };
    else if (lastFail !== null && now - lastFail < HOUR) v.dns = { status: 'failing', detail: `a probe failed ${formatElapsed(now - lastFail)} ago` };
    else v.dns = { status: 'holding', detail: `clean for ${formatElapsed(streak)} of 7d` };
  }

  const lastKill = lastOomKill(w);
  if (!fixed) {
    const recent = oomKillsIn(w, now - DAY, now + 1);
    v.no_oom = recent > 0 ? { status: 'failing', detail: `${recent} OOM kills in the last 24h` } : { status: 'pending' };
  } else {
    const cleanFrom = Math.max(since, lastKill !== null && lastKill > since ? lastKill : since);
    const streak = now - cleanFrom;
    if (streak >= WEEK) v.no_oom = { status: 'done', detail: 'no OOM kill in 7 days' };
    else if (lastKill !== null && lastKill > since && now - lastKill < HOUR) v.no_oom = { status: 'failing', detail: `the OOM killer struck ${formatElapsed(now - lastKill)} ago` };
    else v.no_oom = { status: 'holding', detail: `none for ${formatElapsed(streak)} of 7d` };
  }

  v.flat = flatVerdict(w, fixed, since);
  return v;
}

/**
 * Flat means the last day's peak is no higher than the first day's peak after the fix, give or take
 * a little: a steady level (kernel or NSD fix) and a sawtooth with a fixed ceiling (scheduled
 * restarts) both pass; a leak that keeps climbing does not.
 */
function flatVerdict(w: Ch1World, fixed: boolean, since: number): ObjectiveVerdicts[string] {
  const now = w.now;
  if (!fixed) {
    const lastDay = peakSunreclaim(w, now - DAY, now);
    const dayBefore = peakSunreclaim(w, now - 2 * DAY, now - DAY);
    if (lastDay !== null && dayBefore !== null && lastDay > dayBefore * 1.05 + 16 * 1024) {
      return { status: 'failing', detail: `up ${mb(lastDay - dayBefore)} in a day, now ${mb(lastDay)}` };
    }
    return { status: 'pending' };
  }
  // judged from the fix on: samples from before it say nothing about whether it works
  const start = Math.max(since, now - WEEK);
  const firstDay = peakSunreclaim(w, start, start + DAY);
  const lastDay = peakSunreclaim(w, Math.max(start, now - DAY), now);
  if (lastDay === null || firstDay === null) return { status: 'holding', detail: 'watching' };
  const climbing = lastDay > firstDay * 1.1 + 32 * 1024;
  if (climbing) return { status: 'failing', detail: `climbing: ${mb(firstDay)} → ${mb(lastDay)}` };
  if (now - since >= WEEK) return { status: 'done', detail: `peak ${mb(lastDay)}` };
  return { status: 'holding', detail: `peak ${mb(lastDay)} for ${formatElapsed(now - since)} of 7d` };
}
