/**
 * The web box as the player finds it: installed in the summer, the app and nsqd deployed in
 * October, booted some hours or days before the page (the seeded night), both jobs up, the
 * player logged in. Its history since boot is simulated, not written.
 */
import { emptyNet } from './netState';
import { advance } from '../../../machine/advance';
import { powerOn, unbootedWorld, type MachineSpec } from '../../../machine/create';
import { login } from '../../../machine/session';
import type { RngStreams } from '../../../rng';
import { seedFiles } from './files';
import { drawParams, type Ch2Params } from './params';
import { SCENARIO } from './scenario';
import type { Ch2World } from './world';

/** the base system went on in August 2015: after 14.04.3 (Aug 6) and the 3.13.0-61 kernel (Jul 30) */
const SYSTEM_INSTALLED = Date.UTC(2015, 7, 12, 14, 21, 7);

function newJob() {
  return { goal: 'start' as const, pid: 0, startedAt: 0, respawns: 0, respawnWindowAt: -1 };
}

/** A box powered off at `at`, its scenario state fresh. */
export function unbootedCh2World(p: Ch2Params, at: number): Ch2World {
  const spec: MachineSpec = {
    scenario: SCENARIO,
    p,
    files: seedFiles(p, p.deployedAt, SYSTEM_INSTALLED),
    diskTotalKb: 8_123_812,
    diskUsedKb: 1_912_000,
    hardware: 'Xen HVM domU, BIOS 4.2.amazon 11/11/2014',
  };
  const own: Pick<Ch2World, 'format' | 'version' | 'p' | 'app' | 'nsqd' | 'busSerial' | 'net'> = {
    format: 'grimoire-ch2-world',
    version: 1,
    p,
    app: { ...newJob(), config: null, readsConfigAt: -1, starts: 0 },
    nsqd: { ...newJob(), topics: [] },
    busSerial: 40,
    net: emptyNet(),
  };
  const w: Ch2World = unbootedWorld(spec, at, own);
  // the scenario's entry for a package (strace installed here) stands for the base system's
  const seen = new Set<string>();
  w.pkgs.list = w.pkgs.list.filter((e) => !seen.has(e.name) && seen.add(e.name));
  return w;
}

/** how much of the publish traffic before the player arrives is simulated */
const TRAFFIC_HISTORY_MS = 10 * 60_000;

/** Builds the box with its history since boot, the player logged in at the seeded night hour. */
export function createCh2World(streams: RngStreams): Ch2World {
  const p = drawParams(streams.stream('params'));
  const at = Math.floor((p.arrivalAt - p.uptimeMs) / 1000) * 1000;
  const w = unbootedCh2World(p, at);
  // every publish is simulated segment by segment, so the history of the traffic is the last ten
  // minutes before the page (a thousand publishes and more at the app's rates): the site's event stream reaches the box from then on
  w.net.trafficFrom = p.arrivalAt - TRAFFIC_HISTORY_MS;
  powerOn(w, streams, at);
  advance(w, streams, p.arrivalAt);
  login(w, w.now);
  return w;
}
