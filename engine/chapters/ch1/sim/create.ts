/**
 * The scenario: a secondary that booted a few days ago with NSD 4.0.1 on 3.16.0-30. Its history is
 * simulated, not written: the world runs from boot until the OOM killer first strikes, and on for
 * a few more hours, before the player logs in.
 */
import type { RngStreams } from '../../../rng';
import { advance } from '../../../machine/advance';
import { powerOn, unbootedWorld, type MachineSpec } from '../../../machine/create';
import { login } from '../../../machine/session';
import { emptyBatch } from './batch';
import { seedFiles } from './files';
import { drawParams, firstOomEstimateMs, type Ch1Params } from './params';
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

/**
 * Runs the world until the OOM killer has struck once (or `limit`); returns when it did. One
 * advance that stops at the first event after the kill: advancing in chunks would end each chunk
 * with its last minutes of reloads run one by one, which only matters where someone reads the logs.
 */
function untilFirstOom(w: Ch1World, streams: RngStreams, limit: number): number {
  if (w.stats.oomKillCount === 0) advance(w, streams, limit, { interrupted: () => w.stats.oomKillCount > 0 });
  const first = firstOomKill(w);
  return first >= 0 ? first : w.now;
}

/** the player is paged once the storm has gone on at least this long */
const MIN_LATE_MS = 3_600_000;
/** near the share of the estimate at which the fastest seeds reach their first kill (see firstOomEstimateMs) */
const EARLIEST_SHARE = 0.985;

/**
 * Builds the box with its history, ready for the player to log in at the seeded night hour. NSD
 * starts early enough for the first OOM kill to come `lateMs` or more before that hour (planned
 * from the parameters' estimate); the history itself is one run of the simulation.
 */
export function createCh1World(streams: RngStreams): Ch1World {
  const p = drawParams(streams.stream('params'));
  const ahead = p.lateMs + EARLIEST_SHARE * firstOomEstimateMs(p);
  const powerOn = Math.floor((p.arrivalTarget - ahead) / 1000) * 1000;
  const w = bootedWorld(p, streams, powerOn);
  const firstOom = untilFirstOom(w, streams, powerOn + 12 * DAY);
  advance(w, streams, Math.max(w.now, p.arrivalTarget, firstOom + MIN_LATE_MS));
  login(w, w.now);
  return w;
}
