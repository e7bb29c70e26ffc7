/**
 * The seeded facts of one game: the box's host parameters (an m3.medium-sized EC2 instance), when
 * it booted (which sets mongod's flush phase: its DataFileSync thread flushes every 60 s from its
 * start), and the primary's write schedule around the nightly import.
 */
import type { Rng } from '../../../rng';
import type { HostParams } from '../../../machine/world';

export interface Ch3Params extends HostParams {
  /** virtual ms the box was powered on (the evening before) */
  bootAt: number;
  /** when the primary's nightly import starts, ends, and its rate (operations a second) */
  importFrom: number;
  importTo: number;
  importRate: number;
  /** the quiet rate the rest of the day */
  quietRate: number;
  /** when the player arrives (Nadia's message) */
  arrivalAt: number;
}

const day = (h: number, m = 0, s = 0): number => Date.UTC(2015, 4, 11, h, m, s);

export const HOSTNAME = 'db-2';

export function drawParams(rng: Rng): Ch3Params {
  // the box came up the evening before (a kernel update's reboot): mongod's flush phase follows from this instant
  const bootAt = day(19) + rng.int(0, 3 * 3_600_000 - 1);
  return {
    hostname: HOSTNAME,
    domain: 'ec2.internal',
    ip: `10.0.${rng.int(1, 3)}.${rng.int(10, 250)}`,
    gateway: '10.0.0.1',
    resolver: '10.0.0.2',
    sshClientIp: `10.0.9.${rng.int(10, 250)}`,
    memTotalKb: 3_857_324,
    totalRamPages: 983_039,
    directMap4kKb: 61_440,
    cpus: 1,
    collectdAnonKb: 38_000,
    kernelOtherKb: 44_000,
    shmemKb: 420,
    buffersPct: 4,
    cacheStartKb: 180_000,
    cacheGrowKbPerH: 20_000,
    cacheMaxKb: 2_400_000,
    cacheFloorKb: 60_000,
    reclStartKb: 40_000,
    reclGrowKbPerH: 900,
    reclMaxKb: 200_000,
    reclFloorKb: 20_000,
    vmallocUsedKb: 22_000,
    bootAt,
    importFrom: day(26, 57),
    importTo: day(27, 5),
    importRate: IMPORT_RATE,
    quietRate: QUIET_RATE,
    arrivalAt: day(24 + 9, 12) + rng.int(0, 20 * 60_000),
  };
}

/** operations a second the primary writes outside the import: with the import, a simulated day costs 1.2-2.2 s of CPU (measured on the built engine) */
export const QUIET_RATE = 0.01;
/** operations a second during the nightly import */
export const IMPORT_RATE = 2;

/** the primary's oplog entry: an insert of one of these documents with its envelope */
export const OP_BYTES = 310;
/**
 * the primary's capped oplog, scaled with the simulated write rate (a few thousand writes a day):
 * about three days of them, as a 2015 oplog sized at 5% of the disk held for a busier set
 */
export const OPLOG_BYTES = 2 * 1024 * 1024;
/** the secondary's background-sync buffer, scaled the same way: some hours of writes */
export const SYNC_BUFFER_BYTES = 256 * 1024;
