/**
 * Chapter 1's world: one DNS secondary, as plain JSON. The machine part is generic; the rest is
 * the name server this box runs and the history the judge keeps.
 */
import type { MachineStats, MachineWorld } from '../../../machine/world';
import type { Ch1Params } from './params';

export interface ZoneState {
  name: string;
  /** serial the serve processes answer with */
  loaded: number;
  /** serial xfrd has transferred to disk */
  disk: number;
  /** serial on the primary */
  primary: number;
  /**
   * when xfrd committed the disk serial, and the one being served while a newer waits on disk
   * (xfrd's soa_disk_acquired and soa_nsd_acquired); absent before the first transfer
   */
  diskAt?: number;
  servedDiskAt?: number;
  weight: number;
}

export interface NsdRun {
  /** upstream version of the running binary, e.g. '4.0.1' */
  version: string;
  mainPid: number;
  /** 0 while there is no xfrd */
  xfrdPid: number;
  /** pid of the serve child in each slot, 0 when the slot is empty */
  slots: number[];
  /** xfrd waits for RELOAD_DONE before it asks for another reload */
  canSendReload: boolean;
  startedAt: number;
  verbosity: number;
  /** the session nsd.c's setsid() made after the daemon's fork: the first main's pid (absent in older saves) */
  sid?: number;
}

interface NsdState {
  /** installed package version, e.g. '4.0.1-1' */
  installed: string;
  running: NsdRun | null;
  zones: ZoneState[];
}

interface XfrState {
  /** next NOTIFY/transfer from the primary */
  nextAt: number;
  /** the reload in progress ends then; xfrd cannot ask for another before RELOAD_DONE */
  busyUntil: number;
  /** a reload xfrd will ask for at this time; -1 when none is pending */
  pendingAt: number;
  lastReloadAt: number;
}

interface Outage {
  from: number;
  to: number;
}

/** A stretch of many identical reload cycles, each leaving DNS down for a moment. */
interface OutageSeries {
  from: number;
  to: number;
  count: number;
  totalMs: number;
}

export interface StatsState extends MachineStats {
  outages: Outage[];
  /** an outage still going on, started at this time; -1 when DNS answers */
  downSince: number;
  series: OutageSeries[];
  /** recent OOM kills as flat (time, how many) pairs, oldest first */
  oomKills: number[];
  /** all OOM kills of the last 8 days (stats.ts KEEP_OUTAGES_MS) as flat (hour start, how many) pairs */
  oomHourly: number[];
  oomKillCount: number;
  /** the first OOM kill ever seen in this world, -1 if none */
  firstOom: number;
  /** hourly samples: [time, SUnreclaim kB] */
  sunreclaim: Array<[number, number]>;
  nextSample: number;
  reloads: number;
  reloadFailures: number;
  forkFailures: number;
  childRestarts: number;
  fullRestarts: number[];
}

/** How the last exact reloads went, so identical ones that follow can be applied in bulk. */
export interface ReloadTemplate {
  /** structure before the next reload: sigs[phase] */
  sig: string;
  /** reloads in one cycle (1, or 2 when the fixed kernel alternates which anon_vma it reuses) */
  period: number;
  sigs: string[];
  phase: number;
  levels: number[];
  /** the anon_vma node ids the levels belong to (stable while reloads run in bulk) */
  nodes: number[];
  levelDelta: number[];
  margins: number[];
  marginDelta: number[];
  events: string[];
  forks: number;
  /** allocation positions (1-based) of the processes created by one reload that outlive it */
  survivors: number[];
  /** where those survivors sit on the task list once the reload is done */
  survivorIdx: number[];
  /** (forks, kills) done when each survivor was forked, flattened */
  survivorOps: number[];
  /** DNS edges inside one reload: (0 down | 1 back, forks, kills), flattened in threes */
  outageMarks: number[];
  /** the main's chain depth when the next reload starts, and how it moves per reload */
  depth: number;
  depthDelta: number;
  stats: { reloads: number; reloadFailures: number; forkFailures: number; childRestarts: number; oomKills: number };
  /** DNS before and after one reload: answering or silent (outageMarks say what happens between) */
  outage: 'none' | 'down';
  loads: boolean;
  /** how many more reloads may be applied before a memory decision could turn out differently */
  budget: number;
}

export interface BatchState {
  /** the exact reload before `last`, for cycles of two */
  last2: BatchState['last'];
  /** when the last two bulk reloads happened (a cycle of two may need the last one replayed) */
  pendingTimes: number[];
  /** the last exact reload, waiting for a second identical one */
  last: {
    sig: string;
    levels: number[];
    levelsAfter: number[];
    margins: number[];
    events: string[];
    forks: number;
    survivors: number[];
    survivorIdx: number[];
    survivorOps: number[];
    outageMarks: number[];
    depth: number;
    sigAfter: string;
    stats: ReloadTemplate['stats'];
    outage: 'none' | 'down' | 'mixed';
    loads: boolean;
  } | null;
  template: ReloadTemplate | null;
  /** reloads applied in bulk since the last exact one, not yet given pids */
  pending: number;
  pendingStartPid: number;
  pendingBornStart: number;
  pendingLastAt: number;
  pendingLastDepth: number;
  /** end of the outage series the current bulk run is extending; -1 when none */
  seriesEnd: number;
  /** bumped by every player action, so cached structure comparisons are redone */
  epoch: number;
}

export interface Ch1World extends MachineWorld {
  format: 'grimoire-ch1-world';
  version: 2;
  p: Ch1Params;
  nsd: NsdState;
  xfr: XfrState;
  stats: StatsState;
  batch: BatchState;
}

export const ROLE = {
  main: 'nsd-main',
  child: 'nsd-child',
  xfrd: 'nsd-xfrd',
  reload: 'nsd-reload',
  old: 'nsd-old',
  start: 'nsd-start',
} as const;
