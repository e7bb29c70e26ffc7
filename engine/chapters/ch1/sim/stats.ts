/**
 * What the objectives judge: when DNS was down, when the OOM killer struck, how SUnreclaim moved,
 * and which fixes are in place. Everything is bounded: old entries are pruned.
 */
import { DAY, HOUR } from '../../../clock';
import { memSnapshot } from '../../../kernel/memory';
import { dnsServing } from './serving';
import type { Ch1World, StatsState } from './world';

/**
 * How far back outages and kills are kept. The judge looks back a week at most (a clean week
 * since the fix) and a day for "in the last 24h"; what is older is never read again, and kept
 * for a month it was a third of a long game's save.
 */
const KEEP_OUTAGES_MS = 8 * DAY;
const KEEP_SAMPLES_MS = 21 * DAY;
const MAX_OOM_PAIRS = 600;

export function emptyStats(t: number): StatsState {
  return {
    outages: [],
    downSince: -1,
    series: [],
    oomKills: [],
    oomHourly: [],
    oomKillCount: 0,
    firstOom: -1,
    sunreclaim: [],
    nextSample: Math.floor(t / HOUR) * HOUR + HOUR,
    reloads: 0,
    reloadFailures: 0,
    forkFailures: 0,
    childRestarts: 0,
    fullRestarts: [],
    reboots: [],
    panics: [],
    sessionLost: [],
  };
}

function pushOutage(s: StatsState, from: number, to: number): void {
  if (to <= from) return;
  const last = s.outages[s.outages.length - 1];
  if (last && from <= last.to) last.to = Math.max(last.to, to);
  else s.outages.push({ from, to });
}

/**
 * Before anything happens at t: a serve child that came up since the outage began ends it, unless
 * the box is still stalled in reclaim (then queries are dropped anyway); `notBefore` is when the
 * stall ended.
 */
export function settleDns(w: Ch1World, t: number, stalled = false, notBefore = -1): void {
  const s = w.stats;
  if (s.downSince < 0 || !w.machine.up || stalled) return;
  let first = Infinity;
  for (let ix = 0, xs = w.k.procs; ix < xs.length; ix++) {
    const p = xs[ix]!;
    if (p.role === 'nsd-child' && p.state !== 'T' && p.start <= t && p.start < first) first = p.start;
  }
  if (first === Infinity) return;
  pushOutage(s, s.downSince, Math.max(s.downSince, first, notBefore));
  s.downSince = -1;
}

/** After the world changed at t: no serve child listening, or a box stalled in reclaim, drops queries. */
export function noteDns(w: Ch1World, t: number, stalled = false): void {
  const s = w.stats;
  if (s.downSince >= 0) return;
  if (stalled || !dnsServing(w, t)) s.downSince = t;
}

export function noteOomKills(w: Ch1World, t: number, n: number): void {
  if (n <= 0) return;
  const s = w.stats;
  const k = s.oomKills;
  if (k.length >= 2 && k[k.length - 2] === t) k[k.length - 1]! += n;
  else k.push(t, n);
  s.oomKillCount += n;
  if (k.length > 2 * (MAX_OOM_PAIRS + 100)) k.splice(0, k.length - 2 * MAX_OOM_PAIRS);
  const hour = Math.floor(t / HOUR) * HOUR;
  const h = s.oomHourly;
  if (h.length >= 2 && h[h.length - 2] === hour) h[h.length - 1]! += n;
  else h.push(hour, n);
  if (s.firstOom < 0) s.firstOom = t;
}

/** OOM kills in [from, to): exact where the recent record reaches, by the hour before that */
export function oomKillsIn(w: Ch1World, from: number, to: number): number {
  const k = w.stats.oomKills;
  const exactFrom = k.length > 0 ? k[0]! : Infinity;
  let n = 0;
  for (let i = 0; i + 1 < k.length; i += 2) if (k[i]! >= from && k[i]! < to) n += k[i + 1]!;
  const h = w.stats.oomHourly;
  for (let i = 0; i + 1 < h.length; i += 2) {
    const hs = h[i]!;
    if (hs >= Math.min(to, exactFrom) || hs + HOUR <= from) continue;
    if (hs + HOUR > exactFrom) continue;
    n += h[i + 1]!;
  }
  return n;
}

/**
 * The first OOM kill at or after t: exact while the recent record reaches back that far, to the
 * hour otherwise (kills in t's own hour before t are not counted). -1 if none.
 */
export function firstOomKillSince(w: Ch1World, t: number): number {
  let best = Infinity;
  const k = w.stats.oomKills;
  for (let i = 0; i + 1 < k.length; i += 2) {
    if (k[i]! >= t) {
      best = k[i]!;
      break;
    }
  }
  const h = w.stats.oomHourly;
  const nextHour = Math.floor(t / HOUR) * HOUR + HOUR;
  for (let i = 0; i + 1 < h.length; i += 2) {
    if (h[i]! >= nextHour) {
      best = Math.min(best, h[i]!);
      break;
    }
  }
  return best === Infinity ? -1 : best;
}

/** when the OOM killer first struck since the world began; -1 if never */
export function firstOomKill(w: Ch1World): number {
  return w.stats.firstOom;
}

/**
 * Many short outages within one hour (NSD flapping on every reload) are kept as a summary: the
 * probe count over a summary is its share of silent time, not the exact instants.
 */
function compactOutages(s: StatsState, t: number): void {
  const cutoff = t - 15 * 60_000;
  const keep: StatsState['outages'] = [];
  let i = 0;
  const list = s.outages;
  while (i < list.length) {
    const o = list[i]!;
    const hour = Math.floor(o.from / HOUR);
    let j = i;
    let total = 0;
    while (j < list.length && Math.floor(list[j]!.from / HOUR) === hour && list[j]!.to < cutoff) {
      total += list[j]!.to - list[j]!.from;
      j++;
    }
    if (j - i > 40) {
      s.series.push({ from: o.from, to: list[j - 1]!.to, count: j - i, totalMs: total });
      i = j;
    } else {
      keep.push(o);
      i++;
    }
  }
  s.outages = keep;
  s.series.sort((a, b) => a.from - b.from);
}

/** The hourly sample and the pruning that keeps the history bounded. */
export function sampleHour(w: Ch1World, t: number): void {
  const s = w.stats;
  if (s.outages.length > 60) compactOutages(s, t);
  if (w.machine.up) s.sunreclaim.push([t, memSnapshot(w.k, t).unreclKb]);
  while (s.sunreclaim.length > 0 && s.sunreclaim[0]![0] < t - KEEP_SAMPLES_MS) s.sunreclaim.shift();
  while (s.outages.length > 0 && s.outages[0]!.to < t - KEEP_OUTAGES_MS) s.outages.shift();
  while (s.series.length > 0 && s.series[0]!.to < t - KEEP_OUTAGES_MS) s.series.shift();
  let drop = 0;
  while (drop + 1 < s.oomKills.length && s.oomKills[drop]! < t - KEEP_OUTAGES_MS) drop += 2;
  if (drop > 0) s.oomKills.splice(0, drop);
  drop = 0;
  while (drop + 1 < s.oomHourly.length && s.oomHourly[drop]! < t - KEEP_OUTAGES_MS) drop += 2;
  if (drop > 0) s.oomHourly.splice(0, drop);
  s.nextSample = Math.floor(t / HOUR) * HOUR + HOUR;
}

/** Outage intervals overlapping [from, to), the one still open included, merged. */
export function outagesIn(w: Ch1World, from: number, to: number): Array<{ from: number; to: number }> {
  const out: Array<{ from: number; to: number }> = [];
  const all = w.stats.outages.slice();
  if (w.stats.downSince >= 0) all.push({ from: w.stats.downSince, to: Math.max(w.now, w.stats.downSince) });
  for (const o of all) {
    const a = Math.max(o.from, from);
    const b = Math.min(o.to, to);
    if (b > a) out.push({ from: a, to: b });
  }
  return out;
}

/** probe instants (m*60s + offset) in [a, b) */
function probesIn(a: number, b: number, offsetMs: number): number {
  if (b <= a) return 0;
  const first = Math.ceil((a - offsetMs) / 60_000);
  const last = Math.ceil((b - offsetMs) / 60_000) - 1;
  return Math.max(0, last - first + 1);
}

/**
 * Once-a-minute external probes, each at second `probeOffsetSec` of its minute: how many in
 * [fromMs, toMs) hit an outage. Stretches of many identical short outages count by their share of
 * the time.
 */
export function dnsProbeFailures(w: Ch1World, fromMs: number, toMs: number, probeOffsetSec: number): number {
  const off = probeOffsetSec * 1000;
  let n = 0;
  for (const o of outagesIn(w, fromMs, toMs)) n += probesIn(o.from, o.to, off);
  for (const s of w.stats.series) {
    const a = Math.max(s.from, fromMs);
    const b = Math.min(s.to, toMs);
    if (b <= a || s.to <= s.from) continue;
    n += Math.round((probesIn(a, b, off) * s.totalMs) / (s.to - s.from));
  }
  return n;
}

/** Total ms DNS was down in [fromMs, toMs). */
export function downtimeMs(w: Ch1World, fromMs: number, toMs: number): number {
  let ms = 0;
  for (const o of outagesIn(w, fromMs, toMs)) ms += o.to - o.from;
  for (const s of w.stats.series) {
    const a = Math.max(s.from, fromMs);
    const b = Math.min(s.to, toMs);
    if (b > a && s.to > s.from) ms += Math.round((s.totalMs * (b - a)) / (s.to - s.from));
  }
  return ms;
}
