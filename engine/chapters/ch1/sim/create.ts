/**
 * The scenario: a secondary that booted a few days ago with NSD 4.0.1 on 3.16.0-30. Its history is
 * simulated, not written: the world runs from boot until the OOM killer first strikes, and on for
 * a few more hours, before the player logs in. A trial run measures how long this seed takes to get
 * there so the real run can start early enough to reach it at the seeded night hour.
 */
import { emptyAv } from '../../../kernel/anonvma';
import { emptyLogs } from '../../../kernel/logs';
import type { KernelState } from '../../../kernel/types';
import type { RngStreams } from '../../../rng';
import { advance } from '../../../machine/advance';
import { bootMachine } from '../../../machine/boot';
import { updateLoad } from '../../../machine/load';
import { seedPackages } from '../../../machine/packages';
import { login } from '../../../machine/session';
import { emptyBatch } from './batch';
import { seedFiles } from './files';
import { drawParams, type Ch1Params } from './params';
import { SCENARIO } from './scenario';
import { emptyStats, firstOomKill } from './stats';
import type { Ch1World, ZoneState } from './world';
import { xfrGap } from './xfr';

const DAY = 86_400_000;

function zonesOf(p: Ch1Params): ZoneState[] {
  return p.zones.map((z) => ({ name: z.name, loaded: z.serial, disk: z.serial, primary: z.serial, weight: z.weight }));
}

function placeholderKernel(t: number): KernelState {
  return {
    release: '',
    version: '',
    anonVmaReuse: false,
    bootTime: t,
    lastPid: 0,
    born: 0,
    procs: [],
    av: emptyAv(),
    mem: {
      totalKb: 0,
      kernelOtherKb: 0,
      cache: { baseKb: 0, since: t, growKbPerH: 0, maxKb: 0, floorKb: 0, clipKb: 0, clipAt: -1 },
      recl: { baseKb: 0, since: t, growKbPerH: 0, maxKb: 0, floorKb: 0, clipKb: 0, clipAt: -1 },
      shmemKb: 0,
      buffersPct: 0,
      swaps: [],
      swapHeldKb: 0,
      swapHeldAt: 0,
      fill: {},
      totalRamPages: 0,
      directMap4kKb: 0,
      vmallocUsedKb: 0,
    },
    sysctl: { overcommitMemory: 0, overcommitRatio: 50, minFreeKbytes: 0, swappiness: 60, pidMax: 32768, panic: 0, panicOnOom: 0, dropCaches: 0 },
    cpus: 1,
  };
}

/** A world powered on at `powerOn`, booted and with NSD running. */
export function bootedWorld(p: Ch1Params, streams: RngStreams, powerOn: number): Ch1World {
  const installedAt = powerOn - 40 * DAY;
  const zones = zonesOf(p);
  const w: Ch1World = {
    format: 'grimoire-ch1-world',
    version: 2,
    scenario: SCENARIO,
    now: powerOn,
    p,
    k: placeholderKernel(powerOn),
    logs: emptyLogs(-1),
    nsd: { installed: '4.0.1-1', running: null, zones },
    xfr: { nextAt: -1, busyUntil: 0, pendingAt: -1, lastReloadAt: 0 },
    cron: { nextAt: -1, seen: {}, running: [], cronPid: 0 },
    pkgs: { list: [], updated: false, rebootRequired: false },
    machine: { up: false, bootAt: -1, nextMemTotalKb: p.memTotalKb, nextTotalRamPages: p.totalRamPages, panicRebootAt: -1, diskTotalKb: 8_123_812, diskUsedKb: 2_486_000 + Math.round(p.udbKb * 1.1) },
    files: seedFiles(p, zones, installedAt),
    stats: emptyStats(powerOn),
    load: { at: powerOn, l1: 0, l5: 0, l15: 0, target: 0 },
    batch: emptyBatch(),
    hardware: 'Xen HVM domU, BIOS 4.2.amazon 11/11/2014',
    rsyslogPid: 0,
    sessionPid: 0,
    sessionNo: 0,
  };
  w.pkgs = seedPackages(w);
  const ready = bootMachine(w, streams, powerOn);
  w.now = ready;
  w.xfr.nextAt = ready + xfrGap(w, streams.stream('xfr'));
  updateLoad(w, ready);
  return w;
}

/** advance until the OOM killer has struck once (in short steps near `expected`); returns when it did */
function untilFirstOom(w: Ch1World, streams: RngStreams, limit: number, expected = Infinity): number {
  const near = expected - 3 * 3_600_000;
  while (w.stats.oomKillCount === 0 && w.now < limit) {
    const left = near - w.now;
    const step = left > 12 * 3_600_000 ? Math.min(left - 12 * 3_600_000, 6 * 3_600_000) : left > 0 ? Math.min(left, 3_600_000) : 10 * 60_000;
    advance(w, streams, Math.min(limit, w.now + Math.max(60_000, step)));
  }
  const first = firstOomKill(w);
  return first >= 0 ? first : w.now;
}

/** Builds the box with its history, ready for the player to log in. */
export function createCh1World(streams: RngStreams): Ch1World {
  const p = drawParams(streams.stream('params'));
  const saved = streams.getState();
  const trialStart = Date.UTC(2015, 1, 20, 0, 0, 0);
  const trial = bootedWorld(p, streams, trialStart);
  const firstOomAfter = untilFirstOom(trial, streams, trialStart + 12 * DAY) - trialStart;
  streams.setState(saved);
  const powerOn = p.arrivalTarget - p.lateMs - firstOomAfter;
  const w = bootedWorld(p, streams, powerOn);
  const firstOom = untilFirstOom(w, streams, powerOn + 12 * DAY, powerOn + firstOomAfter);
  advance(w, streams, Math.max(w.now, firstOom + p.lateMs));
  login(w, w.now);
  return w;
}
