/**
 * Everything that differs from one seed to the next, drawn once when the world is made. The
 * parameters are chosen together so that every seed tells the same story at its own pace: a fresh
 * NSD runs for a few days before the first OOM kill.
 */
import type { HostParams } from '../../../machine/world';
import type { Rng } from '../../../rng';

interface ZoneSpec {
  name: string;
  /** relative share of the primary's updates */
  weight: number;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

/** The host (engine/machine/world.ts HostParams) plus everything about its NSD and its primary. */
export interface Ch1Params extends HostParams {
  primaryIp: string;
  /** server-count in nsd.conf */
  serverCount: number;
  /** anonymous VMAs of every nsd process */
  anonVmas: number;
  /** all mappings of an nsd process */
  nsdVmas: number;
  /** zone data and heap every nsd process maps copy-on-write */
  nsdSharedKb: number;
  mainPrivKb: number;
  childPrivKb: number;
  reloadPrivKb: number;
  xfrdShareKb: number;
  xfrdPrivKb: number;
  mainFileKb: number;
  /** nsd.db, the zone database main and the reload process keep mapped (serve children unmap it) */
  udbKb: number;
  childFileKb: number;
  nsdVszKb: number;
  nsdMaxVmaKb: number;
  nsdPtes: number;
  nsdUid: number;
  /** mean time between zone transfers from the primary */
  xfrMeanMs: number;
  xfrdReloadTimeout: number;
  /** kernel time per anon_vma_chain copied at fork */
  forkNsPerAvc: number;
  /** the once-a-minute external DNS probe fires at this second */
  probeOffsetSec: number;
  zones: ZoneSpec[];
  /** when the player logs in (the scenario's "now" once history has run) */
  arrivalTarget: number;
  /** how long after the first OOM kill the player arrives */
  lateMs: number;
}

const HOSTS = ['ns2', 'ns-sec-1', 'dns2', 'ns-b', 'auth-ns2', 'ns3'];
const DOMAINS = ['example.com', 'example.net', 'example.org'];

function zonesFor(rng: Rng, domain: string): ZoneSpec[] {
  const others = DOMAINS.filter((d) => d !== domain);
  const names = [`internal.${domain}`, domain, ...others, `svc.${domain}`];
  return names.map((name, i) => ({
    name,
    weight: i === 0 ? rng.int(50, 70) : i === names.length - 1 ? rng.int(15, 30) : rng.int(2, 8),
    serial: 2015030000 + rng.int(100, 999) * 10 + rng.int(0, 9),
    refresh: rng.pick([3600, 7200, 10800]),
    retry: rng.pick([600, 900, 1800]),
    expire: rng.pick([604800, 1209600]),
    minimum: rng.pick([300, 3600, 86400]),
  }));
}

/** estimated kB that never reclaims before NSD leaks anything */
function baseDemandKb(p: Omit<Ch1Params, 'xfrMeanMs' | 'arrivalTarget' | 'lateMs'>): number {
  const nsdAnon = p.nsdSharedKb + p.mainPrivKb + p.serverCount * p.childPrivKb + p.xfrdPrivKb;
  return p.kernelOtherKb + 45_000 + 170 * 16 + nsdAnon + p.collectdAnonKb + 38_000 + 8 * p.nsdPtes * 4;
}

/** leak levels the box has room for before the OOM killer must act */
function levelsToOom(p: Omit<Ch1Params, 'xfrMeanMs' | 'arrivalTarget' | 'lateMs'>): number {
  const capacityKb = p.memTotalKb - baseDemandKb(p) - p.cacheFloorKb - p.reclFloorKb - 12_000;
  const peakBytes = p.anonVmas * (88 + 64 * (2 + 2 * p.serverCount));
  return (capacityKb * 1024) / peakBytes;
}

/**
 * How long after NSD starts the first OOM kill should come, from the same sizes the parameters
 * were drawn with (one level per transfer). Only where history starts is planned with it: when
 * the kill really comes is the simulation's to say. Over many seeds the simulation got there at
 * 0.93-0.99 of this figure (seeds 1-30; transfers that come too close together share one reload).
 */
export function firstOomEstimateMs(p: Ch1Params): number {
  return (p.xfrMeanMs * levelsToOom(p)) / 0.93;
}

export function drawParams(rng: Rng): Ch1Params {
  for (let attempt = 0; ; attempt++) {
    const fourGig = attempt > 40 || rng.chance(0.75);
    const totalRamPages = fourGig ? 1_048_445 - rng.int(0, 60) : 524_157 - rng.int(0, 40);
    const memTotalKb = fourGig ? 4_046_212 - rng.int(0, 40) * 4 : 2_048_016 - rng.int(0, 30) * 4;
    const serverCount = fourGig ? rng.int(1, 4) : rng.int(1, 2);
    const anonVmas = rng.int(120, 250);
    const growthBytes = anonVmas * (88 + 64 * (1 + serverCount));
    const domain = rng.pick(DOMAINS);
    const p0 = {
      hostname: rng.pick(HOSTS),
      domain,
      ip: `10.${rng.int(0, 3)}.${rng.int(1, 40)}.${rng.int(10, 250)}`,
      gateway: '',
      resolver: '',
      primaryIp: `192.0.2.${rng.int(2, 60)}`,
      sshClientIp: `10.${rng.int(4, 9)}.${rng.int(0, 20)}.${rng.int(2, 250)}`,
      memTotalKb,
      totalRamPages,
      directMap4kKb: rng.pick([47_104, 63_488, 81_920]),
      cpus: fourGig ? 2 : 1,
      serverCount,
      anonVmas,
      nsdVmas: anonVmas + rng.int(45, 80),
      nsdSharedKb: fourGig ? rng.int(110_000, 200_000) : rng.int(90_000, 130_000),
      mainPrivKb: rng.int(1_800, 3_600),
      childPrivKb: rng.int(7_000, 16_000),
      reloadPrivKb: rng.int(600, 1_500),
      xfrdShareKb: rng.int(3_000, 6_000),
      xfrdPrivKb: rng.int(6_000, 14_000),
      mainFileKb: rng.int(2_400, 3_600),
      udbKb: 0,
      childFileKb: rng.int(1_500, 2_600),
      nsdVszKb: 0,
      nsdMaxVmaKb: rng.int(16_384, 40_960),
      nsdPtes: 0,
      nsdUid: rng.pick([106, 107, 108, 109]),
      xfrdReloadTimeout: 1,
      collectdAnonKb: fourGig ? rng.int(50_000, 90_000) : rng.int(40_000, 60_000),
      kernelOtherKb: fourGig ? rng.int(52_000, 70_000) : rng.int(34_000, 44_000),
      shmemKb: rng.int(380, 1_400),
      buffersPct: rng.int(3, 9),
      cacheStartKb: rng.int(110_000, 160_000),
      cacheGrowKbPerH: rng.int(6_000, 22_000),
      cacheMaxKb: Math.floor(memTotalKb * (fourGig ? 0.62 : 0.5)),
      cacheFloorKb: rng.int(48_000, 70_000),
      reclStartKb: rng.int(26_000, 40_000),
      reclGrowKbPerH: rng.int(300, 1_200),
      reclMaxKb: rng.int(140_000, 260_000),
      reclFloorKb: rng.int(14_000, 22_000),
      forkNsPerAvc: rng.int(18, 32),
      probeOffsetSec: rng.int(0, 59),
      vmallocUsedKb: rng.int(14_000, 40_000),
      zones: zonesFor(rng, domain),
    };
    p0.gateway = p0.ip.replace(/\.\d+$/, '.1');
    p0.resolver = p0.ip.replace(/\.\d+\.\d+$/, '.0.2');
    p0.nsdVszKb = p0.nsdSharedKb + 118_000 + rng.int(0, 20_000);
    p0.nsdPtes = Math.ceil(p0.nsdVszKb / 2048) + rng.int(8, 20);
    p0.udbKb = Math.round(p0.nsdSharedKb * rng.range(0.12, 0.22));
    const daysToOom = rng.range(2.3, 4.4);
    const levels = levelsToOom(p0);
    const meanMs = Math.round(((daysToOom * 86_400_000) / levels) * 0.93);
    const growthKb = growthBytes / 1024;
    if (meanMs < 4_000 || meanMs > 10_000 || growthKb < 48 || growthKb > 100) continue;
    const march = Date.UTC(2015, 2, rng.int(9, 26), rng.int(1, 5), rng.int(0, 59), rng.int(0, 59));
    return { ...p0, xfrMeanMs: meanMs, arrivalTarget: march, lateMs: rng.int(1, 5) * 3_600_000 + rng.int(0, 3_599_999) };
  }
}
