/**
 * Reloads in bulk. A busy secondary reloads 60k-150k times a week; running each one through the
 * process table would be far too slow. Instead every reload runs exactly until two in a row
 * started from the same structure (pids, times and anon_vma level counts aside), made the same
 * decisions, and grew the same levels by the same amounts. From then on each further reload is
 * applied as that same change, for as many reloads as every memory decision is certain to come
 * out the same (the margins move linearly with the levels). Pids, levels and start times are
 * then given their final values in one go. The clock of a bulk reload is computed from the same
 * whole-ns costs an exact one adds up, so both paths schedule the next reload identically.
 */
import { addLevels } from '../../../kernel/anonvma';
import type { DecisionLog } from '../../../kernel/alloc';
import { nthFreePid, sortedPids } from '../../../kernel/pid';
import { refreshDepths } from '../../../kernel/procs';
import type { Proc } from '../../../kernel/types';
import type { Rng } from '../../../rng';
import { BulkKills, burstMark, closeRun, logBulkKills, notePattern } from '../../../machine/syslog';
import { loadZonesFromDisk, reloadNsd } from './nsd';
import { dnsServing } from './serving';
import { arrivals } from './xfr';
import { forkCostNs, killCostNs, mainDepth, newStep, tick, type StepCtx } from './step';
import { noteDns, noteOomKills, settleDns } from './stats';
import type { BatchState, Ch1World, ReloadTemplate } from './world';
import { loadBooks, workOn } from '../../../machine/load';

interface Structure {
  sig: string;
  levels: number[];
  /** node ids in canonical order */
  nodes: number[];
}

const words = new Map<string, number>();
function word(s: string): number {
  let v = words.get(s);
  if (v === undefined) {
    v = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) v = Math.imul(v ^ s.charCodeAt(i), 16777619) >>> 0;
    words.set(s, v);
  }
  return v;
}

const cache = new WeakMap<Ch1World, { stamp: string; s: Structure }>();

/** changes whenever anything structureOf reads may have changed */
function stampOf(w: Ch1World): string {
  const k = w.k;
  const run = w.nsd.running;
  const sc = k.sysctl;
  let swaps = '';
  for (const d of k.mem.swaps) swaps += d.active ? `${d.sizeKb},` : '0,';
  return `${k.born}|${k.procs.length}|${k.av.nextId}|${k.av.objects}|${w.batch.epoch}|${w.machine.up}|${k.anonVmaReuse}|${
    run ? `${run.mainPid},${run.xfrdPid},${run.slots.join('.')},${run.canSendReload},${run.version}` : '-'
  }|${sc.overcommitMemory},${sc.overcommitRatio},${sc.minFreeKbytes},${sc.panicOnOom},${sc.oomKillAllocatingTask ?? 0},${sc.oomDumpTasks ?? 1},${sc.pidMax}|${swaps}|${k.mem.totalKb}`;
}

/** structureOf, reused while nothing it depends on has changed */
function structureNow(w: Ch1World): Structure {
  const stamp = stampOf(w);
  const hit = cache.get(w);
  if (hit && hit.stamp === stamp) return hit.s;
  const s = structureOf(w);
  cache.set(w, { stamp, s });
  return s;
}

/** Everything that decides how a reload goes, with pids, times and level counts left out. */
function structureOf(w: Ch1World): Structure {
  const k = w.k;
  const index = new Map<number, number>();
  k.procs.forEach((p, i) => index.set(p.pid, i));
  const nodeIdx = new Map<number, number>();
  const famIdx = new Map<number, number>();
  const nodes: number[] = [];
  const fams: number[] = [];
  // signed 32-bit while mixing (small integers, no allocation in unoptimized code), unsigned in the signature
  let h1 = 0x811c9dc5 | 0;
  let h2 = 0x9747b28c | 0;
  let n = 0;
  const mix = (x: number): void => {
    h1 = Math.imul(h1 ^ (x | 0), 16777619);
    h2 = Math.imul(h2 ^ ((x * 31 + n) | 0), 2246822519);
    h2 ^= h2 >>> 13;
    n++;
  };
  const ref = (id: number): number => {
    let i = nodeIdx.get(id);
    if (i === undefined) {
      i = nodes.length;
      nodeIdx.set(id, i);
      nodes.push(id);
    }
    return i;
  };
  for (let ix = 0, xs = k.procs; ix < xs.length; ix++) {
    const p = xs[ix]!;
    const pp = index.get(p.ppid);
    mix(word(p.role));
    mix(p.slot);
    mix(word(p.comm));
    mix(p.uid);
    mix(p.adj);
    mix(p.threads);
    mix(pp === undefined ? (p.ppid === 0 ? -1 : -2) : pp);
    mix(p.kthread ? 1 : 0);
    const mm = p.mm;
    if (!mm) {
      mix(-7);
      continue;
    }
    let f = famIdx.get(mm.fam);
    if (f === undefined) {
      f = fams.length;
      famIdx.set(mm.fam, f);
      fams.push(mm.fam);
    }
    mix(mm.shareKb);
    mix(mm.privKb);
    mix(mm.fileKb);
    mix(mm.ptes);
    mix(mm.vmas);
    mix(mm.commitKb);
    mix(mm.maxVmaKb);
    mix(mm.vszKb);
    mix(mm.anonVmas);
    mix(f);
    mix(ref(mm.own));
    mix(mm.chain.length);
    for (let ix = 0, xs = mm.chain; ix < xs.length; ix++) {
      const id = xs[ix]!;
      mix(ref(id));
    }
  }
  const levels: number[] = [];
  for (const id of nodes) {
    const nd = k.av.nodes[id]!;
    const pi = nodeIdx.get(nd.parent);
    mix(nd.own);
    mix(nd.kids);
    mix(nd.links);
    mix(pi === undefined ? (nd.parent < 0 ? -1 : -2) : pi);
    levels.push(nd.levels);
  }
  for (const id of fams) {
    const f = k.av.fams[id]!;
    mix(f.vmas);
    mix(f.sharedKb);
    mix(f.members);
  }
  const run = w.nsd.running;
  const at = (pid: number): number => (pid > 0 ? index.get(pid) ?? -3 : -4);
  if (run) {
    mix(word(run.version));
    mix(run.canSendReload ? 1 : 0);
    mix(run.verbosity);
    mix(at(run.mainPid));
    mix(at(run.xfrdPid));
    for (const pid of run.slots) mix(at(pid));
  } else mix(-5);
  const m = k.mem;
  const sc = k.sysctl;
  for (const x of [k.anonVmaReuse ? 1 : 0, m.totalKb, m.kernelOtherKb, m.cache.floorKb, m.recl.floorKb, m.shmemKb, sc.overcommitMemory, sc.overcommitRatio, sc.minFreeKbytes, sc.panicOnOom, sc.oomKillAllocatingTask ?? 0, sc.oomDumpTasks ?? 1, sc.pidMax, w.machine.up ? 1 : 0]) mix(x);
  for (const d of m.swaps) mix(d.active ? d.sizeKb : 0);
  return { sig: `${(h1 >>> 0).toString(36)}.${(h2 >>> 0).toString(36)}.${n}`, levels, nodes };
}

type Outage = 'none' | 'down' | 'mixed';

/** DNS before or after a reload: answering, silent, or about to come back */
function outageState(w: Ch1World, t: number): Outage {
  let pending = false;
  for (let ix = 0, xs = w.k.procs; ix < xs.length; ix++) {
    const p = xs[ix]!;
    if (p.role === 'nsd-child' && p.start > t) pending = true;
  }
  if (pending) return 'mixed';
  return dnsServing(w, t) ? 'none' : 'down';
}

interface StatCounts {
  reloads: number;
  reloadFailures: number;
  forkFailures: number;
  childRestarts: number;
  oomKills: number;
}

function counts(w: Ch1World): StatCounts {
  const s = w.stats;
  return { reloads: s.reloads, reloadFailures: s.reloadFailures, forkFailures: s.forkFailures, childRestarts: s.childRestarts, oomKills: s.oomKillCount };
}

function diff(a: StatCounts, b: StatCounts): StatCounts {
  return {
    reloads: b.reloads - a.reloads,
    reloadFailures: b.reloadFailures - a.reloadFailures,
    forkFailures: b.forkFailures - a.forkFailures,
    childRestarts: b.childRestarts - a.childRestarts,
    oomKills: b.oomKills - a.oomKills,
  };
}

const same = <T>(a: readonly T[], b: readonly T[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * How many more identical reloads keep every memory decision on the side the last exact one took:
 * `margins` are what it measured, `delta` how they move per reload.
 */
function budgetFor(margins: number[], delta: number[]): number {
  let budget = Infinity;
  margins.forEach((m, i) => {
    const d = delta[i]!;
    if (m >= 0 && d < 0) budget = Math.min(budget, Math.floor(m / -d));
    if (m < 0 && d > 0) budget = Math.min(budget, Math.ceil(-m / d) - 1);
  });
  if (budget === Infinity) return 1_000_000;
  return Math.max(0, Math.floor(budget * 0.9) - 2);
}

/** ns a reload with this shape takes when the main's chain is `depth` deep */
function durationNs(w: Ch1World, forks: number, kills: number, depth: number): number {
  return forks * forkCostNs(w, depth) + kills * killCostNs(w, depth);
}

/** ms of DNS silence inside one reload of `durMs`, given whether it starts silent */
function silentMs(w: Ch1World, marks: number[], depth: number, startsDown: boolean, durMs: number): number {
  const f = forkCostNs(w, depth);
  const kl = killCostNs(w, depth);
  let down = startsDown;
  let since = 0;
  let ms = 0;
  for (let i = 0; i + 2 < marks.length; i += 3) {
    const at = (marks[i + 1]! * f + marks[i + 2]! * kl) / 1e6;
    if (marks[i] === 1 && down) ms += Math.max(0, at - since);
    if (marks[i] === 0 && !down) since = at;
    down = marks[i] === 0;
  }
  if (down) ms += Math.max(0, durMs - since);
  return ms;
}

/**
 * How many template reloads the current state is past the template's own: the structure must be
 * the template's and every level on its line (levels + j x delta). -1 when it is not.
 */
function stepsAlong(tpl: ReloadTemplate, s: Structure): number {
  if (tpl.period > 1) {
    // a cycle without growth: being at any of its phases is being on it
    const q = tpl.sigs.indexOf(s.sig);
    if (q < 0 || !same(s.levels, tpl.levels)) return -1;
    tpl.phase = q;
    tpl.sig = s.sig;
    return 0;
  }
  if (s.sig !== tpl.sig || s.levels.length !== tpl.levels.length) return -1;
  let j = -1;
  for (let i = 0; i < s.levels.length; i++) {
    const gap = s.levels[i]! - tpl.levels[i]!;
    const d = tpl.levelDelta[i]!;
    if (d === 0) {
      if (gap !== 0) return -1;
      continue;
    }
    if (gap % d !== 0) return -1;
    const k = gap / d;
    if (k < 0 || (j >= 0 && k !== j)) return -1;
    j = k;
  }
  return j < 0 ? 0 : j;
}

/** Moves a template forward by j reloads that happened exactly (or in bulk) since it was made. */
function catchUp(tpl: ReloadTemplate, j: number): void {
  if (j === 0) return;
  tpl.levels = tpl.levels.map((l, i) => l + j * tpl.levelDelta[i]!);
  tpl.margins = tpl.margins.map((m, i) => m + j * tpl.marginDelta[i]!);
  tpl.depth += j * tpl.depthDelta;
  tpl.budget -= j;
}

/** one exact reload as the batch remembers it (the shape stored in the world) */
type Record1 = NonNullable<BatchState['last']>;

/** the same reload, decision for decision, with the same level growth */
function sameShape(a: Record1, b: Record1): boolean {
  return (
    same(a.events, b.events) &&
    a.forks === b.forks &&
    same(a.survivors, b.survivors) &&
    same(a.survivorIdx, b.survivorIdx) &&
    same(a.survivorOps, b.survivorOps) &&
    same(a.outageMarks, b.outageMarks) &&
    a.margins.length === b.margins.length &&
    same(Object.values(a.stats), Object.values(b.stats)) &&
    a.outage === b.outage &&
    a.loads === b.loads &&
    same(
      a.levelsAfter.map((l, i) => l - a.levels[i]!),
      b.levelsAfter.map((l, i) => l - b.levels[i]!),
    )
  );
}

/** One reload, run through the process table, remembered for the next one. */
function exactReload(w: Ch1World, t: number): StepCtx {
  const b = w.batch;
  const before = structureNow(w);
  let tpl = b.template;
  const along = tpl ? stepsAlong(tpl, before) : -1;
  if (tpl && along >= 0) catchUp(tpl, along);
  if (tpl && along >= 0) tpl.nodes = before.nodes;
  settleDns(w, t);
  const outBefore = outageState(w, t);
  const statsBefore = counts(w);
  const bornStart = w.k.born;
  const depth = mainDepth(w);
  const decisions: DecisionLog = { margins: [], events: [] };
  const ctx = newStep(w, t, depth, decisions);
  const loadsBefore = w.nsd.zones.map((z) => z.loaded);
  noteDns(w, t);
  const mark = burstMark(w.logs);
  reloadNsd(ctx);
  tick(ctx);
  noteOomKills(w, t, ctx.oomKills);
  // what this reload logged is what a bulk reload after it logs
  notePattern(w.logs, mark, t);
  const after = structureNow(w);
  const outAfter = outageState(w, ctx.t);
  const forks = w.k.born - bornStart;
  const created = w.k.procs.filter((p) => p.born >= bornStart);
  const delta = diff(statsBefore, counts(w));
  delta.oomKills = ctx.oomKills;
  const bulkable = outBefore === outAfter && outAfter !== 'mixed' && !ctx.panicked;
  const rec: Record1 = {
    sig: before.sig,
    levels: before.levels,
    levelsAfter: after.levels,
    margins: decisions.margins,
    events: decisions.events,
    forks,
    survivors: created.map((p) => p.born - bornStart + 1),
    survivorIdx: created.map((p) => w.k.procs.indexOf(p)),
    survivorOps: created.map((p) => ctx.opsAt.get(p) ?? [0, 0]).flat(),
    outageMarks: ctx.outageMarks.slice(),
    depth,
    sigAfter: bulkable ? after.sig : 'x',
    stats: delta,
    outage: bulkable ? outAfter : 'mixed',
    loads: w.nsd.zones.some((z, i) => z.loaded !== loadsBefore[i]) || delta.reloads > 0,
  };
  const fits = (x: Record1): boolean => x.sig === rec.sig && x.sigAfter === rec.sig && rec.sigAfter === rec.sig && sameShape(x, rec);
  const fitsPredicted = (x: Record1): boolean => x.sig === rec.sig && x.sigAfter === rec.sigAfter && rec.sigAfter !== 'x' && sameShape(x, rec);
  let vouched = false;
  if (tpl && along >= 0) {
    // the template predicted this reload: if it came out as predicted, it carries on, re-measured
    const predicted: Record1 = {
      ...rec,
      events: tpl.events,
      forks: tpl.forks,
      survivors: tpl.survivors,
      survivorIdx: tpl.survivorIdx,
      survivorOps: tpl.survivorOps,
      outageMarks: tpl.outageMarks,
      sigAfter: tpl.sigs[(tpl.phase + 1) % tpl.period]!,
      stats: tpl.stats,
      outage: tpl.outage,
      loads: tpl.loads,
      levelsAfter: before.levels.map((l, i) => l + tpl!.levelDelta[i]!),
      margins: tpl.margins,
    };
    if (fitsPredicted(predicted) && depth === tpl.depth) {
      tpl.phase = (tpl.phase + 1) % tpl.period;
      tpl.sig = tpl.sigs[tpl.phase]!;
      tpl.levels = after.levels;
      tpl.nodes = after.nodes;
      tpl.depth = depth + tpl.depthDelta;
      tpl.margins = rec.margins.map((m, i) => m + tpl!.marginDelta[i]!);
      tpl.budget = budgetFor(rec.margins, tpl.marginDelta);
      vouched = tpl.budget > 0;
      if (!vouched) b.template = null;
    } else b.template = null;
    tpl = b.template;
  }
  const prev = b.last;
  // two identical reloads in a row make a new template (a stale one is only kept if nothing replaces it)
  if (!vouched && prev && fits(prev) && same(prev.levelsAfter, rec.levels)) {
    const marginDelta = rec.margins.map((m, i) => m - prev.margins[i]!);
    const fresh: ReloadTemplate = {
      sig: after.sig,
      period: 1,
      sigs: [after.sig],
      phase: 0,
      levels: after.levels,
      nodes: after.nodes,
      levelDelta: after.levels.map((l, i) => l - before.levels[i]!),
      margins: rec.margins.map((m, i) => m + marginDelta[i]!),
      marginDelta,
      events: rec.events,
      forks,
      survivors: rec.survivors,
      survivorIdx: rec.survivorIdx,
      survivorOps: rec.survivorOps,
      outageMarks: rec.outageMarks,
      depth: depth + (depth - prev.depth),
      depthDelta: depth - prev.depth,
      stats: delta,
      outage: rec.outage === 'down' ? 'down' : 'none',
      loads: rec.loads,
      budget: budgetFor(rec.margins, marginDelta),
    };
    if (fresh.budget > 0) b.template = fresh;
    vouched = fresh.budget > 0;
  }
  // two reloads alternating between two structures, with nothing growing (the fixed kernel)
  const prev2 = b.last2;
  if (
    !vouched &&
    prev &&
    prev2 &&
    rec.sig === prev2.sig &&
    rec.sigAfter === prev.sig &&
    prev.sigAfter === rec.sig &&
    prev2.sigAfter === prev.sig &&
    sameShape(rec, prev) &&
    sameShape(rec, prev2) &&
    same(rec.margins, prev2.margins) &&
    rec.levelsAfter.every((l, i) => l === rec.levels[i]) &&
    rec.stats.oomKills === 0 &&
    rec.outageMarks.length === 0 &&
    rec.outage !== 'mixed'
  ) {
    b.template = {
      sig: after.sig,
      period: 2,
      sigs: [prev.sig, rec.sig],
      phase: 0,
      levels: after.levels,
      nodes: after.nodes,
      levelDelta: after.levels.map(() => 0),
      margins: prev.margins.slice(),
      marginDelta: prev.margins.map(() => 0),
      events: rec.events,
      forks,
      survivors: rec.survivors,
      survivorIdx: rec.survivorIdx,
      survivorOps: rec.survivorOps,
      outageMarks: [],
      depth: mainDepth(w),
      depthDelta: 0,
      stats: delta,
      outage: rec.outage === 'down' ? 'down' : 'none',
      loads: rec.loads,
      budget: 1_000_000,
    };
  }
  b.last2 = prev;
  b.last = rec;
  return ctx;
}

/** Applies one reload as the template says; returns when it is done. `kills` gathers a bulk run's log lines. */
function bulkReload(w: Ch1World, t: number, kills?: BulkKills): number {
  const b = w.batch;
  const tpl = b.template!;
  if (b.pending === 0) {
    b.pendingStartPid = w.k.lastPid;
    b.pendingBornStart = w.k.born;
  }
  const depth = tpl.depth;
  b.pending++;
  b.pendingLastAt = t;
  b.pendingLastDepth = depth;
  // the last two starts, kept in place (a bulk run is tens of thousands of reloads)
  const times = b.pendingTimes;
  if (times.length < 2) times.push(t);
  else {
    times[0] = times[1]!;
    times[1] = t;
  }
  tpl.budget--;
  tpl.depth += tpl.depthDelta;
  tpl.phase = (tpl.phase + 1) % tpl.period;
  tpl.sig = tpl.sigs[tpl.phase]!;
  const s = w.stats;
  s.reloads += tpl.stats.reloads;
  s.reloadFailures += tpl.stats.reloadFailures;
  s.forkFailures += tpl.stats.forkFailures;
  s.childRestarts += tpl.stats.childRestarts;
  if (tpl.stats.oomKills > 0) {
    noteOomKills(w, t, tpl.stats.oomKills);
    if (kills) kills.log(t, tpl.stats.oomKills, w.k.bootTime);
    else logBulkKills(w.logs, t, tpl.stats.oomKills, w.k.bootTime);
  }
  if (tpl.loads) loadZonesFromDisk(w);
  const durMs = durationNs(w, tpl.forks, tpl.stats.oomKills, depth) / 1e6;
  const end = t + durMs;
  if (tpl.outage === 'down' || tpl.outageMarks.length > 0) {
    // silence inside (and, when DNS is down anyway, between) reloads goes into one summary
    const down = tpl.outage === 'down';
    const last = s.series[s.series.length - 1];
    const continuing = !!last && b.seriesEnd >= 0 && last.to === b.seriesEnd;
    if (!continuing && down && s.downSince >= 0) {
      if (t > s.downSince) s.outages.push({ from: s.downSince, to: t });
      s.downSince = -1;
    }
    const gap = continuing && down ? t - last!.to : 0;
    const ms = gap + silentMs(w, tpl.outageMarks, depth, down, durMs);
    if (continuing) {
      last!.to = end;
      last!.count++;
      last!.totalMs += ms;
    } else s.series.push({ from: t, to: end, count: 1, totalMs: ms });
    b.seriesEnd = end;
  }
  return end;
}

function remapPids(w: Ch1World, moved: Map<Proc, number>): void {
  const map = new Map<number, number>();
  for (const [p, pid] of moved) map.set(p.pid, pid);
  const m = (pid: number): number => map.get(pid) ?? pid;
  for (let ix = 0, xs = w.k.procs; ix < xs.length; ix++) {
    const p = xs[ix]!;
    p.ppid = m(p.ppid);
  }
  for (const [p, pid] of moved) p.pid = pid;
  const run = w.nsd.running;
  if (run) {
    run.mainPid = m(run.mainPid);
    run.xfrdPid = m(run.xfrdPid);
    run.slots = run.slots.map(m);
    const pf = w.files.files['/run/nsd/nsd.pid'];
    if (pf) pf.content = `${run.mainPid}\n`;
  }
}

/** Gives the reloads applied in bulk their final pids, levels and start times. */
export function materialize(w: Ch1World): void {
  const b = w.batch;
  const n = b.pending;
  const tpl = b.template;
  // a silent stretch summarised in bulk stays silent from its last reload on
  if (b.seriesEnd >= 0 && tpl?.outage === 'down' && w.stats.downSince < 0) w.stats.downSince = b.seriesEnd;
  b.seriesEnd = -1;
  if (n === 0 || !tpl) {
    b.pending = 0;
    b.pendingTimes = [];
    return;
  }
  // a cycle of two cut in the middle: settle whole cycles, then run the odd one out exactly
  const replay = n % tpl.period;
  const whole = n - replay;
  const times = b.pendingTimes.slice();
  if (whole > 0) settle(w, tpl, whole, times[times.length - 1 - replay]!);
  b.pending = 0;
  b.pendingTimes = [];
  // settled whole, the world is where the template said it would be: the next reload can take
  // the structure from it instead of hashing the process table again
  if (replay === 0) cache.set(w, { stamp: stampOf(w), s: { sig: tpl.sig, levels: tpl.levels, nodes: tpl.nodes } });
  for (let i = replay; i > 0; i--) replayReload(w, tpl, times[times.length - i]!);
  // extrapolated margins are not measurements: the next exact reload re-measures them
  b.last = null;
  b.last2 = null;
}

/** The closed form for n bulk reloads, the last of which started at lastAt. */
function settle(w: Ch1World, tpl: ReloadTemplate, n: number, lastAt: number): void {
  const b = w.batch;
  const k = w.k;
  tpl.levelDelta.forEach((d, i) => {
    if (d !== 0) addLevels(k.av, tpl.nodes[i]!, n * d);
  });
  refreshDepths(k);
  const F = tpl.forks;
  const survivors = tpl.survivorIdx.map((i) => k.procs[i]!);
  const others: number[] = [];
  for (let i = 0; i < k.procs.length; i++) if (!tpl.survivorIdx.includes(i)) others.push(k.procs[i]!.pid);
  const blockers = sortedPids(others);
  const pidMax = k.sysctl.pidMax;
  const lastStart = nthFreePid(b.pendingStartPid, (n - 1) * F, blockers, pidMax);
  const lastDepth = b.pendingLastDepth - (b.pending - n) * tpl.depthDelta;
  const fNs = forkCostNs(w, lastDepth);
  const kNs = killCostNs(w, lastDepth);
  const moved = new Map<Proc, number>();
  survivors.forEach((p, i) => {
    const q = tpl.survivors[i]!;
    moved.set(p, nthFreePid(lastStart, q, blockers, pidMax));
    const f = tpl.survivorOps[2 * i] ?? 0;
    const kills = tpl.survivorOps[2 * i + 1] ?? 0;
    const startAt = lastAt + ((f + 1) * fNs + kills * kNs) / 1e6;
    p.born = b.pendingBornStart + (n - 1) * F + q - 1;
    p.start = startAt;
    p.cpuMs = 0;
    p.cpuAt = startAt;
  });
  closeRun(w.logs, F, blockers, pidMax);
  k.lastPid = nthFreePid(b.pendingStartPid, n * F, blockers, pidMax);
  k.born += n * F;
  remapPids(w, moved);
  tpl.levels = tpl.levels.map((l, i) => l + n * tpl.levelDelta[i]!);
  tpl.margins = tpl.margins.map((m, i) => m + n * tpl.marginDelta[i]!);
}

/** A bulk reload run again for real (its counts come off first; the zones it loaded stay loaded). */
function replayReload(w: Ch1World, tpl: ReloadTemplate, t: number): void {
  const s = w.stats;
  s.reloads -= tpl.stats.reloads;
  s.reloadFailures -= tpl.stats.reloadFailures;
  s.forkFailures -= tpl.stats.forkFailures;
  s.childRestarts -= tpl.stats.childRestarts;
  const loaded = w.nsd.zones.map((z) => z.loaded);
  const ctx = newStep(w, t, mainDepth(w));
  reloadNsd(ctx);
  tick(ctx);
  w.nsd.zones.forEach((z, i) => (z.loaded = loaded[i]!));
}

/** Runs `fn` on the world as the pending bulk reloads will leave it, without settling pids. */
export function withPendingLevels<T>(w: Ch1World, fn: () => T): T {
  const b = w.batch;
  const tpl = b.template;
  const n = b.pending;
  if (n === 0 || !tpl) return fn();
  const k = w.k;
  const apply = (sign: number): void => {
    tpl.levelDelta.forEach((d, i) => {
      if (d !== 0) addLevels(k.av, tpl.nodes[i]!, sign * n * d);
    });
    refreshDepths(k);
  };
  apply(1);
  try {
    return fn();
  } finally {
    apply(-1);
  }
}

interface ReloadPlan {
  /** bulk application allowed at all (tests switch it off) */
  bulk: boolean;
  /** this reload is the last before something else happens: run it exactly */
  lastBefore: boolean;
}

/** A reload at t, in bulk when the template vouches for it, otherwise exactly. Returns its end. */
export function reloadAt(w: Ch1World, t: number, plan: ReloadPlan): { end: number; ctx: StepCtx | null } {
  const b = w.batch;
  const tpl = b.template;
  if (plan.bulk && tpl && tpl.budget > 0 && !plan.lastBefore) {
    let ok = b.pending > 0;
    if (!ok) {
      const s = structureNow(w);
      const j = stepsAlong(tpl, s);
      if (j >= 0 && j < tpl.budget && outageState(w, t) === tpl.outage) {
        catchUp(tpl, j);
        tpl.nodes = s.nodes;
        ok = mainDepth(w) === tpl.depth;
      }
    }
    if (ok) return { end: bulkReload(w, t), ctx: null };
  }
  materialize(w);
  const ctx = exactReload(w, t);
  return { end: ctx.t, ctx };
}

/**
 * Transfers and bulk reloads back to back, as the general loop would interleave them (a transfer
 * wins a tie), until the template runs out or `stopAt` (the next other event, or the tail end).
 */
export function bulkRun(w: Ch1World, rng: Rng, stopAt: number): void {
  const b = w.batch;
  // nothing in the run replaces the template or settles the pending reloads
  const tpl = b.template;
  if (!tpl || b.pending === 0) return;
  const kills = new BulkKills(w.logs);
  try {
    runReloads(w, tpl, arrivals(w, rng), kills, stopAt);
  } finally {
    kills.flush();
  }
}

function runReloads(w: Ch1World, tpl: ReloadTemplate, arrive: (t: number) => void, kills: BulkKills, stopAt: number): void {
  const x = w.xfr;
  // nothing in the run boots or halts the machine: the load's books stay the same object
  const books = loadBooks(w);
  for (;;) {
    if (tpl.budget <= 0) return;
    const a = x.nextAt;
    const r = x.pendingAt;
    if (r >= 0 && r < a) {
      if (r >= stopAt) return;
      w.now = r;
      x.pendingAt = -1;
      x.lastReloadAt = r;
      const end = bulkReload(w, r, kills);
      x.busyUntil = end;
      workOn(books, r, end);
    } else {
      if (a >= stopAt) return;
      w.now = a;
      arrive(a);
    }
  }
}

export function emptyBatch(): Ch1World['batch'] {
  return { last: null, last2: null, template: null, pending: 0, pendingStartPid: 0, pendingBornStart: 0, pendingLastAt: 0, pendingLastDepth: 0, pendingTimes: [], seriesEnd: -1, epoch: 0 };
}
