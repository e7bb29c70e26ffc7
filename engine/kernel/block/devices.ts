/** Disks appearing and going away, as xen-blkfront shows them to a guest (major 202). */
import type { KernelState } from '../types';
import { blockOf } from './subsystem';
import type { BlockDevice, DeviceTiming, DiskStats } from './types';

/** XENVBD_MAJOR: every xvd* disk has it */
export const XVD_MAJOR = 202;
/** blkfront gives each disk 16 minors (the disk and 15 partitions) */
const PARTS_PER_DISK = 16;

/**
 * An EBS magnetic ("standard") volume of 2015: about 100 IOPS, 40-90 MiB/s (AWS's
 * previous-generation volume figures), and a round trip to the storage of about a millisecond
 * beyond the request's own service time.
 */
export const EBS_STANDARD_TIMING: DeviceTiming = { latencyMs: 1, bytesPerMs: 40 * 1024 * 1024 / 1000, iops: 100 };
/** gp2 (2014-): 3 IOPS per GiB bursting to 3,000, at most 128 MiB/s per volume in 2015 */
export function ebsGp2Timing(sizeGiB: number): DeviceTiming {
  return { latencyMs: 1, bytesPerMs: 128 * 1024 * 1024 / 1000, iops: Math.min(10_000, Math.max(3_000, sizeGiB * 3)) };
}

export function zeroStats(t: number): DiskStats {
  return { reads: 0, readsMerged: 0, sectorsRead: 0, msReading: 0, writes: 0, writesMerged: 0, sectorsWritten: 0, msWriting: 0, inFlight: 0, msIo: 0, msWeighted: 0, stamp: t };
}

/** 'xvdf' from 'xvdf' or '/dev/xvdf' */
export function devName(name: string): string {
  return name.startsWith('/dev/') ? name.slice(5) : name;
}

/**
 * blkfront's minor for xvdX: (X - 'a') * 16, and xvdXN (a partition-named disk, as EC2's PV root
 * xvda1 is) that plus N; xvdaa and beyond are not simulated
 */
export function xvdMinor(name: string): number {
  const m = /^xvd([a-z])([1-9]|1[0-5])?$/.exec(name);
  if (!m) throw new RangeError(`${name}: only xvda..xvdz (and their partitions 1-15) are simulated`);
  return (m[1].charCodeAt(0) - 97) * PARTS_PER_DISK + (m[2] ? Number(m[2]) : 0);
}

export function deviceOf(k: KernelState, name: string): BlockDevice | undefined {
  const n = devName(name);
  return blockOf(k).devices.find((d) => d.name === n);
}

export function attachDevice(
  k: KernelState,
  spec: { name: string; backingId: string; sizeBytes: number; timing?: Partial<DeviceTiming> },
  t: number,
): BlockDevice {
  const b = blockOf(k);
  const name = devName(spec.name);
  if (b.devices.some((d) => d.name === name)) throw new RangeError(`${name} is already attached`);
  const d: BlockDevice = {
    name,
    major: XVD_MAJOR,
    minor: xvdMinor(name),
    backingId: spec.backingId,
    sizeBytes: spec.sizeBytes,
    stats: zeroStats(t),
    timing: { ...EBS_STANDARD_TIMING, ...spec.timing },
    busyUntil: t,
    attachedAt: t,
  };
  b.devices.push(d);
  b.devices.sort((x, y) => x.minor - y.minor);
  return d;
}

export function detachDevice(k: KernelState, name: string, _t: number): { ok: true } | { ok: false; reason: 'busy' | 'nodev' } {
  const b = blockOf(k);
  const n = devName(name);
  const i = b.devices.findIndex((d) => d.name === n);
  if (i < 0) return { ok: false, reason: 'nodev' };
  if (b.mounts.some((m) => m.dev === n) || b.inflight.some((r) => r.dev === n)) return { ok: false, reason: 'busy' };
  b.devices.splice(i, 1);
  // what the raw device had dirty in the cache is lost with it, as with a yanked disk
  b.inodes = b.inodes.filter((c) => c.dev !== n);
  return { ok: true };
}
