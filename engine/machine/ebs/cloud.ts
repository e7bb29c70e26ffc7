/**
 * The EC2 API's side of EBS for one instance's account, over `MachineWorld.cloud`: snapshots,
 * volumes, attach and detach, each answering as EC2 did in 2015 (its error codes and messages),
 * and the transitions time brings (creating → available, attaching → attached, pending →
 * completed...). An attached volume becomes a kernel block device (engine/kernel/block) whose
 * contents are the volume's store; a snapshot copies the store at the instant it is requested,
 * so whatever the guest's page cache still holds is not in it.
 *
 * Timings are this simulation's: EC2 gave no figures, only "a few seconds" for attach and detach
 * and "can take hours" for a snapshot's upload, which here runs at UPLOAD_BYTES_PER_MS.
 */
import { attachDevice, blockStateOf, completeIo, detachDevice, deviceOf, ebsGp2Timing, BLOCK_BYTES, type BlockStore } from '../../kernel/block';
import { klog } from '../../kernel/logs';
import type { Rng } from '../../rng';
import { machineBacking } from '../blockfs';
import type { MachineWorld } from '../world';
import './backing';
import { ID_PATTERNS, newId } from './ids';
import { blocksChangedSince, latestSnapshotOf, removeSnapshot, restoreStore, snapshotById, GIB } from './snapshots';
import type { CloudState, EbsAttachment, EbsSnapshot, EbsVolume } from './types';

export const VOLUME_CREATE_MS = 5_000;
export const ATTACH_MS = 4_000;
export const DETACH_MS = 3_000;
export const DELETE_MS = 2_000;
/** while the guest holds a device EC2 is detaching, how often the attachment looks again */
export const BUSY_POLL_MS = 5_000;
/** a snapshot's fixed cost before its blocks upload */
export const SNAPSHOT_BASE_MS = 15_000;
/** its upload rate: 4 MB/s of changed blocks */
export const UPLOAD_BYTES_PER_MS = 4_096;

/** an error as EC2 returns it: the code and message aws-cli prints */
export interface Ec2Error {
  code: string;
  message: string;
}
export type Ec2Result<T> = { ok: true; value: T } | { ok: false; error: Ec2Error };

const fail = <T>(code: string, message: string): Ec2Result<T> => ({ ok: false, error: { code, message } });
const ok = <T>(value: T): Ec2Result<T> => ({ ok: true, value });

export const cloudOf = (w: MachineWorld): CloudState | undefined => w.cloud;

export function volumeById(cloud: CloudState, id: string): EbsVolume | undefined {
  return cloud.volumes.find((v) => v.id === id);
}

/** '/dev/sdf' → 'xvdf', '/dev/xvdh' → 'xvdh', '/dev/sda1' → 'xvda1': how a Xen guest names an EBS device */
export function guestName(device: string): string {
  return device.replace(/^\/dev\//, '').replace(/^sd/, 'xvd');
}

/** device names EC2 accepted for a Linux instance's EBS volumes */
export const validDevice = (device: string): boolean => /^\/dev\/(sd[b-z]|xvd[b-z])$/.test(device) || device === '/dev/sda1';

/** gp2's baseline: 3 IOPS per GiB, at least 100, at most 10,000 (2014-2015 figures) */
export const gp2Iops = (sizeGiB: number): number => Math.min(10_000, Math.max(100, 3 * sizeGiB));

// ---- transitions in time ----

/** the next moment something in the cloud changes by itself; Infinity when nothing is under way */
export function nextCloudEventAt(w: MachineWorld): number {
  const cloud = w.cloud;
  if (!cloud) return Infinity;
  let next = Infinity;
  for (const v of cloud.volumes) {
    if (v.until >= 0) next = Math.min(next, v.until);
    if (v.attachment && v.attachment.until >= 0) next = Math.min(next, v.attachment.until);
  }
  for (const s of cloud.snapshots) if (s.state === 'pending') next = Math.min(next, s.completeAt);
  return next;
}

const hasBlockLayer = (w: MachineWorld): boolean => blockStateOf(w.k) !== undefined;

/** the guest's kernel sees a new disk: Xen's blkfront reports it, then the partition scan */
function plugIn(w: MachineWorld, v: EbsVolume, a: EbsAttachment, t: number): void {
  // a partition-named root device (xvda1) is the scenario's own business
  if (!hasBlockLayer(w) || !/^xvd[a-z]$/.test(a.guest) || deviceOf(w.k, a.guest)) return;
  attachDevice(w.k, { name: a.guest, backingId: v.id, sizeBytes: v.store.sizeBytes, timing: v.type === 'gp2' ? ebsGp2Timing(v.sizeGiB) : undefined }, t);
  // linux 3.13 drivers/block/xen-blkfront.c xlvbd_flush() (the same backend features as the root disk's line at boot) and block/partitions/check.c
  klog(w.logs, w.k.bootTime, t, 6, `blkfront: ${a.guest}: barrier or flush: disabled; persistent grants: disabled; indirect descriptors: enabled;`);
  klog(w.logs, w.k.bootTime, t, 4, ` ${a.guest}: unknown partition table`);
}

function settleVolume(w: MachineWorld, cloud: CloudState, v: EbsVolume, t: number): void {
  const a = v.attachment;
  if (a && a.until >= 0 && a.until <= t) {
    if (a.state === 'attaching') {
      a.state = 'attached';
      a.until = -1;
      // a machine that is down sees the disk when its scenario plugs in the attached volumes at boot
      if (w.machine.up) plugIn(w, v, a, t);
    } else if (a.state === 'detaching' || a.state === 'busy') {
      const held = w.machine.up && hasBlockLayer(w) && deviceOf(w.k, a.guest);
      if (held) completeIo(w.k, a.until, machineBacking(w));
      const r = held ? detachDevice(w.k, a.guest, a.until) : { ok: true as const };
      if (r.ok) {
        v.attachment = null;
        v.state = 'available';
      } else {
        a.state = 'busy';
        a.until = a.until + BUSY_POLL_MS;
      }
    }
  }
  if (v.until >= 0 && v.until <= t) {
    if (v.state === 'creating') {
      v.state = 'available';
      v.until = -1;
    } else if (v.state === 'deleting') cloud.volumes = cloud.volumes.filter((x) => x !== v);
  }
}

/** brings the cloud up to t: every transition due by then, in the order they fall due */
export function settleCloud(w: MachineWorld, t: number): void {
  const cloud = w.cloud;
  if (!cloud) return;
  for (let guard = 0; guard < 10_000; guard++) {
    const at = nextCloudEventAt(w);
    if (at > t) return;
    for (const s of cloud.snapshots) if (s.state === 'pending' && s.completeAt <= at) s.state = 'completed';
    for (const v of [...cloud.volumes]) settleVolume(w, cloud, v, at);
  }
}

/** the scheduler's timer for the cloud's transitions (a scenario with a cloud lists it among its sources) */
export const CLOUD_TIMER_SOURCE = {
  name: 'ebs',
  next: (w: MachineWorld): number => nextCloudEventAt(w),
  fire: (w: MachineWorld, t: number): void => settleCloud(w, t),
};

/** the kernel devices of volumes attached to this instance, for a scenario's boot (a reboot keeps its volumes) */
export function plugInAttached(w: MachineWorld, t: number): void {
  const cloud = w.cloud;
  if (!cloud) return;
  for (const v of cloud.volumes) if (v.attachment && v.attachment.instanceId === cloud.instanceId && v.attachment.state === 'attached') plugIn(w, v, v.attachment, t);
}

// ---- building a world ----

/** a volume that exists when the story starts (the scenario's own data volumes), optionally attached here */
export function addVolume(
  cloud: CloudState,
  rng: Rng,
  spec: { sizeGiB: number; type?: 'standard' | 'gp2'; createTime: number; store?: BlockStore; device?: string; attachTime?: number },
): EbsVolume {
  const id = newId(rng, 'vol', new Set(cloud.volumes.map((v) => v.id)));
  const v: EbsVolume = {
    id,
    sizeGiB: spec.sizeGiB,
    type: spec.type ?? 'standard',
    az: cloud.az,
    state: spec.device ? 'in-use' : 'available',
    createTime: spec.createTime,
    until: -1,
    snapshotId: '',
    attachment: spec.device
      ? { instanceId: cloud.instanceId, device: spec.device, guest: guestName(spec.device), state: 'attached', attachTime: spec.attachTime ?? spec.createTime, deleteOnTermination: false, until: -1 }
      : null,
    store: spec.store ?? { sizeBytes: spec.sizeGiB * GIB, blocks: {} },
  };
  cloud.volumes.push(v);
  return v;
}

// ---- the API's operations ----

const malformedVolume = <T>(id: string): Ec2Result<T> => fail('InvalidParameterValue', `Value (${id}) for parameter volumeId is invalid. Expected: 'vol-...'.`);
const missingVolume = <T>(id: string): Ec2Result<T> => fail('InvalidVolume.NotFound', `The volume '${id}' does not exist.`);
const missingSnapshot = <T>(id: string): Ec2Result<T> => fail('InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`);

function findVolume(cloud: CloudState, id: string): Ec2Result<EbsVolume> {
  if (!ID_PATTERNS.vol.test(id)) return malformedVolume(id);
  const v = volumeById(cloud, id);
  return v ? ok(v) : missingVolume(id);
}

/** how long a snapshot holding `blocks` changed blocks takes to upload */
export const uploadMs = (blocks: number): number => SNAPSHOT_BASE_MS + Math.ceil((blocks * BLOCK_BYTES) / UPLOAD_BYTES_PER_MS);

/**
 * CreateSnapshot: the volume's blocks as the device holds them at t (crash-consistent: the guest's
 * dirty pages are not on the volume), kept as the difference from the volume's previous snapshot.
 */
export function createSnapshot(w: MachineWorld, rng: Rng, volumeId: string, description: string, t: number): Ec2Result<EbsSnapshot> {
  const cloud = w.cloud!;
  settleCloud(w, t);
  const found = findVolume(cloud, volumeId);
  if (!found.ok) return found;
  const v = found.value;
  // writes the device completed by now are on the volume; the ones still in flight are not
  if (hasBlockLayer(w)) completeIo(w.k, t, machineBacking(w));
  const parent = latestSnapshotOf(cloud, v.id);
  const blocks = blocksChangedSince(cloud, v.store, parent);
  const snap: EbsSnapshot = {
    id: newId(rng, 'snap', new Set(cloud.snapshots.map((s) => s.id))),
    volumeId: v.id,
    volumeSize: v.sizeGiB,
    description,
    startTime: t,
    state: 'pending',
    ownerId: cloud.ownerId,
    parent: parent?.id ?? '',
    blocks,
    completeAt: t + uploadMs(Object.keys(blocks).length),
  };
  cloud.snapshots.push(snap);
  return ok(snap);
}

/** "n%": how much of a snapshot has uploaded by t */
export function snapshotProgress(s: EbsSnapshot, t: number): string {
  if (s.state === 'completed') return '100%';
  const span = s.completeAt - s.startTime;
  return `${Math.min(99, Math.max(0, Math.floor((100 * (t - s.startTime)) / Math.max(1, span))))}%`;
}

export function availabilityZones(region: string): string[] {
  return (region === 'us-east-1' ? 'abcde' : 'abc').split('').map((l) => region + l);
}

export function createVolume(
  w: MachineWorld,
  rng: Rng,
  req: { snapshotId?: string; sizeGiB?: number; az: string; type?: string },
  t: number,
): Ec2Result<EbsVolume> {
  const cloud = w.cloud!;
  settleCloud(w, t);
  if (!availabilityZones(cloud.region).includes(req.az)) return fail('InvalidParameterValue', `Invalid availability zone: [${req.az}]`);
  const type = req.type ?? 'standard';
  if (type !== 'standard' && type !== 'gp2') return fail('InvalidParameterValue', `Value (${type}) for parameter volumeType is invalid. Valid values: standard, io1, gp2`);
  let store: BlockStore;
  let size: number;
  if (req.snapshotId !== undefined) {
    if (!ID_PATTERNS.snap.test(req.snapshotId)) return fail('InvalidParameterValue', `Value (${req.snapshotId}) for parameter snapshotId is invalid. Expected: 'snap-...'.`);
    const snap = snapshotById(cloud, req.snapshotId);
    if (!snap) return missingSnapshot(req.snapshotId);
    if (snap.state !== 'completed') return fail('IncorrectState', `Snapshot is in invalid state - ${snap.state}`);
    size = req.sizeGiB ?? snap.volumeSize;
    if (size < snap.volumeSize) return fail('InvalidParameterValue', `Volume of ${size}GiB is too small; minimum is ${snap.volumeSize}GiB.`);
    store = restoreStore(cloud, snap, size);
  } else {
    if (req.sizeGiB === undefined) return fail('MissingParameter', 'The request must contain the parameter size/snapshot');
    size = req.sizeGiB;
    store = { sizeBytes: size * GIB, blocks: {} };
  }
  const max = type === 'standard' ? 1024 : 16384;
  if (size < 1 || size > max) return fail('InvalidParameterValue', `Volume of ${size}GiB is too ${size < 1 ? 'small; minimum is 1' : `large; maximum is ${max}`}GiB.`);
  const v: EbsVolume = {
    id: newId(rng, 'vol', new Set(cloud.volumes.map((x) => x.id))),
    sizeGiB: size,
    type,
    az: req.az,
    state: 'creating',
    createTime: t,
    until: t + VOLUME_CREATE_MS,
    snapshotId: req.snapshotId ?? '',
    attachment: null,
    store,
  };
  cloud.volumes.push(v);
  return ok(v);
}

export function attachVolume(w: MachineWorld, req: { volumeId: string; instanceId: string; device: string }, t: number): Ec2Result<EbsAttachment & { volumeId: string }> {
  const cloud = w.cloud!;
  settleCloud(w, t);
  const found = findVolume(cloud, req.volumeId);
  if (!found.ok) return found;
  if (!ID_PATTERNS.i.test(req.instanceId)) return fail('InvalidInstanceID.Malformed', `Invalid id: "${req.instanceId}"`);
  if (req.instanceId !== cloud.instanceId) return fail('InvalidInstanceID.NotFound', `The instance ID '${req.instanceId}' does not exist`);
  const v = found.value;
  if (v.az !== cloud.az) return fail('InvalidVolume.ZoneMismatch', `The volume '${v.id}' is not in the same availability zone as instance '${cloud.instanceId}'`);
  if (v.attachment) return fail('VolumeInUse', `${v.id} is already attached to an instance`);
  if (v.state !== 'available') return fail('IncorrectState', `${v.id} is not 'available'.`);
  if (!validDevice(req.device)) return fail('InvalidParameterValue', `Value (${req.device}) for parameter device is invalid. ${req.device} is not a valid EBS device name.`);
  const guest = guestName(req.device);
  const taken = cloud.volumes.some((x) => x.attachment && x.attachment.instanceId === cloud.instanceId && x.attachment.guest === guest) || (hasBlockLayer(w) && deviceOf(w.k, guest) !== undefined);
  if (taken) return fail('InvalidParameterValue', `Invalid value '${req.device}' for unixDevice. Attachment point ${req.device} is already in use`);
  const a: EbsAttachment = { instanceId: cloud.instanceId, device: req.device, guest, state: 'attaching', attachTime: t, deleteOnTermination: false, until: t + ATTACH_MS };
  v.attachment = a;
  v.state = 'in-use';
  return ok({ ...a, volumeId: v.id });
}

export function detachVolume(w: MachineWorld, req: { volumeId: string; instanceId?: string; device?: string }, t: number): Ec2Result<EbsAttachment & { volumeId: string }> {
  const cloud = w.cloud!;
  settleCloud(w, t);
  const found = findVolume(cloud, req.volumeId);
  if (!found.ok) return found;
  const v = found.value;
  const a = v.attachment;
  if (!a) return fail('IncorrectState', `Volume '${v.id}'is in the '${v.state}' state.`);
  if (req.instanceId !== undefined && req.instanceId !== a.instanceId) return fail('InvalidAttachment.NotFound', `Volume ${v.id} can not be detached from ${req.instanceId} because it is not attached`);
  if (a.state === 'attached') {
    a.state = 'detaching';
    a.until = t + DETACH_MS;
  }
  return ok({ ...a, volumeId: v.id });
}

export function deleteVolume(w: MachineWorld, volumeId: string, t: number): Ec2Result<null> {
  const cloud = w.cloud!;
  settleCloud(w, t);
  const found = findVolume(cloud, volumeId);
  if (!found.ok) return found;
  const v = found.value;
  if (v.attachment) return fail('VolumeInUse', `Volume ${v.id} is currently attached to ${v.attachment.instanceId}`);
  if (v.state === 'deleting') return fail('InvalidVolume.NotFound', `The volume '${v.id}' does not exist.`);
  if (v.state !== 'available') return fail('IncorrectState', `The volume '${v.id}' is '${v.state}'.`);
  v.state = 'deleting';
  v.until = t + DELETE_MS;
  return ok(null);
}

export function deleteSnapshot(w: MachineWorld, snapshotId: string, t: number): Ec2Result<null> {
  const cloud = w.cloud!;
  settleCloud(w, t);
  if (!ID_PATTERNS.snap.test(snapshotId)) return fail('InvalidParameterValue', `Value (${snapshotId}) for parameter snapshotId is invalid. Expected: 'snap-...'.`);
  if (!snapshotById(cloud, snapshotId)) return missingSnapshot(snapshotId);
  const user = cloud.volumes.find((v) => v.state === 'creating' && v.snapshotId === snapshotId);
  if (user) return fail('InvalidSnapshot.InUse', `The snapshot ${snapshotId} is currently in use by ${user.id}`);
  removeSnapshot(cloud, snapshotId);
  return ok(null);
}

/** DescribeVolumes/DescribeSnapshots by id: the first unknown or malformed id is the error */
export function volumesById(cloud: CloudState, ids: readonly string[]): Ec2Result<EbsVolume[]> {
  for (const id of ids) if (!ID_PATTERNS.vol.test(id)) return fail('InvalidVolumeID.Malformed', `Invalid id: "${id}"`);
  for (const id of ids) if (!volumeById(cloud, id)) return missingVolume(id);
  return ok(cloud.volumes.filter((v) => ids.includes(v.id)));
}

export function snapshotsById(cloud: CloudState, ids: readonly string[]): Ec2Result<EbsSnapshot[]> {
  for (const id of ids) if (!ID_PATTERNS.snap.test(id)) return fail('InvalidSnapshotID.Malformed', `Invalid id: "${id}"`);
  for (const id of ids) if (!snapshotById(cloud, id)) return missingSnapshot(id);
  return ok(cloud.snapshots.filter((s) => ids.includes(s.id)));
}
