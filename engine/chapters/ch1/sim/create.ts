/**
 * The scenario: a secondary that booted a few days ago with NSD 4.0.1 on 3.16.0-30. Its history is
 * simulated, not written: the world runs from boot until the OOM killer first strikes, and on for
 * a few more hours, before the player logs in. A trial run measures how long this seed takes to get
 * there so the real run can start early enough to reach it at the seeded night hour.
 */
import type { RngStreams } from '../../../rng';
import { advance } from '../../../machine/advance';
import { powerOn, unbootedWorld, type MachineSpec } from '../../../machine/create';
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

/** A world powered on at `powerOn`, booted and with NSD running. */
export function bootedWorld(p: Ch1Params, streams: RngStreams, at: number): Ch1World {
  const installedAt = at - 40 * DAY;
  const zones = zonesOf(p);
  const spec: MachineSpec = {
    scenario: SCENARIO,
    p,
    files: seedFiles(p, zones, installedAt),
    diskTotalKb: 8_123_812,
    diskUsedKb: 2_486_000 + Math.round(p.udbKb * 1.1),
    hardware: 'Xen HVM domU, BIOS 4.2.amazon 11/11/2014',
  };
  const own: Pick<Ch1World, 'format' | 'version' | 'p' | 'nsd' | 'xfr' | 'stats' | 'batch'> = {
    format: 'grimoire-ch1-world',
    version: 2,
    p,
    nsd: { installed: '4.0.1-1', running: null, zones },
    xfr: { nextAt: -1, busyUntil: 0, pendingAt: -1, lastReloadAt: 0 },
    stats: emptyStats(at),
    batch: emptyBatch(),
  };
  const w: Ch1World = unbootedWorld(spec, at, own);
  const ready = powerOn(w, streams, at);
  w.xfr.nextAt = ready + xfrGap(w, streams.stream('xfr'));
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
