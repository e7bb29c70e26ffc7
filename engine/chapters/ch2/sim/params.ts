/**
 * Everything that differs from one seed to the next, drawn once when the world is made: the host,
 * where pids start, how busy the publisher is, the sizes of what it publishes, and the night the
 * player is paged. Variety only where it changes nothing about the story.
 */
import type { HostParams } from '../../../machine/world';
import type { Rng } from '../../../rng';

export interface Ch2Params extends HostParams {
  /** uids of the app's account and of nsqd's (system accounts, below 1000); each group's gid is its uid + 7 */
  publisherUid: number;
  nsqUid: number;
  /** nsqd's worker id: crc32(md5(hostname)) % 1024, as nsqd 0.3.6 derives it (see NSQD_IDS) */
  nsqdId: number;
  /** events the app publishes a second while traffic is steady */
  publishRate: number;
  /** the JSON body of a publish, bytes: each message's size is drawn between these */
  bodyMinBytes: number;
  bodyMaxBytes: number;
  /** the client side of the app's pooled connection: an ephemeral port (ip_local_port_range 32768-61000) */
  clientPort: number;
  /** resident anonymous memory of the Ruby app and of nsqd once warmed up */
  appAnonKb: number;
  nsqdAnonKb: number;
  /** threads of the nsqd process: Go 1.5's runtime with GOMAXPROCS=2 and nsqd's blocked syscalls */
  nsqdThreads: number;
  /** how long ruby takes from exec to having read its config (interpreter, gems, requires) */
  appLoadMs: number;
  /** when the team deployed the app and nsqd (after NSQ 0.3.6's release on Sep 24, 2015) */
  deployedAt: number;
  /** how far the pid counter has moved between boot and the services' start */
  pidSkip: number;
  /** how long the box had been up when the player logs in */
  uptimeMs: number;
  /** when the player logs in */
  arrivalAt: number;
}

const HOSTS = ['web-07', 'web-03', 'web-11', 'web-05'];
const DOMAINS = ['example.com', 'example.net'];

/**
 * nsqd 0.3.6 (nsqd/options.go NewOptions): the default --worker-id is
 * crc32.ChecksumIEEE(md5(hostname)) % 1024. Computed once per host name with Node's crypto and
 * zlib (the engine has neither): md5 then crc32 of the 16 digest bytes.
 */
export const NSQD_IDS: Readonly<Record<string, number>> = {
  'web-07': 315,
  'web-03': 826,
  'web-11': 57,
  'web-05': 76,
};

export function drawParams(rng: Rng): Ch2Params {
  const hostname = rng.pick(HOSTS);
  const domain = rng.pick(DOMAINS);
  const ip = `10.${rng.int(0, 3)}.${rng.int(1, 40)}.${rng.int(10, 250)}`;
  // an m3.medium-like VM has 3.75 GiB; an m3.large-like one 7.5 GiB: both have 2 vCPUs here
  const large = rng.chance(0.5);
  const totalRamPages = large ? 1_966_069 - rng.int(0, 60) : 983_036 - rng.int(0, 40);
  const memTotalKb = large ? 7_659_276 - rng.int(0, 40) * 4 : 3_833_620 - rng.int(0, 30) * 4;
  const bodyMin = rng.int(18, 30);
  const publisherUid = rng.int(106, 109);
  // the player arrives on a night between Nov 13 and Nov 20, 2015, between 01:00 and 04:59 UTC
  const arrivalAt = Date.UTC(2015, 10, rng.int(13, 20), rng.int(1, 4), rng.int(0, 59), rng.int(0, 59));
  return {
    hostname,
    domain,
    ip,
    gateway: ip.replace(/\.\d+$/, '.1'),
    resolver: ip.replace(/\.\d+\.\d+$/, '.0.2'),
    sshClientIp: `10.${rng.int(4, 9)}.${rng.int(0, 20)}.${rng.int(2, 250)}`,
    memTotalKb,
    totalRamPages,
    directMap4kKb: rng.pick([47_104, 63_488, 81_920]),
    cpus: 2,
    collectdAnonKb: rng.int(40_000, 70_000),
    kernelOtherKb: large ? rng.int(60_000, 80_000) : rng.int(45_000, 60_000),
    shmemKb: rng.int(380, 1_400),
    buffersPct: rng.int(3, 9),
    cacheStartKb: rng.int(110_000, 160_000),
    cacheGrowKbPerH: rng.int(4_000, 12_000),
    cacheMaxKb: Math.floor(memTotalKb * 0.5),
    cacheFloorKb: rng.int(48_000, 70_000),
    reclStartKb: rng.int(26_000, 40_000),
    reclGrowKbPerH: rng.int(300, 900),
    reclMaxKb: rng.int(140_000, 220_000),
    reclFloorKb: rng.int(14_000, 22_000),
    vmallocUsedKb: rng.int(14_000, 40_000),
    publisherUid,
    // nsqd's account came right after the app's: the same provisioning run made both
    nsqUid: publisherUid + 1,
    nsqdId: NSQD_IDS[hostname]!,
    publishRate: rng.int(3, 8),
    bodyMinBytes: bodyMin,
    bodyMaxBytes: bodyMin + rng.int(15, 35),
    clientPort: rng.int(32_768, 61_000),
    appAnonKb: rng.int(58_000, 84_000),
    nsqdAnonKb: rng.int(7_000, 15_000),
    // to the microsecond, as ruby's own clock would see it
    appLoadMs: rng.int(380_000, 720_000) / 1000,
    nsqdThreads: rng.int(6, 9),
    deployedAt: Date.UTC(2015, 9, rng.int(1, 28), rng.int(9, 18), rng.int(0, 59), rng.int(0, 59)),
    pidSkip: rng.int(20, 400),
    uptimeMs: rng.int(6, 60) * 3_600_000 + rng.int(0, 3_599_999),
    arrivalAt,
  };
}
