/**
 * The cloud around an EC2 instance, as plain JSON in the machine's world (`MachineWorld.cloud`): its
 * region and zone, the instance's own id, and the account's EBS volumes and snapshots. A volume's
 * contents are a BlockStore (engine/kernel/block/types.ts); the kernel reaches them through the
 * Backing of backing.ts, so what a snapshot copies is exactly what the device has completed.
 */
import type { BlockStore } from '../../kernel/block/types';

export type VolumeState = 'creating' | 'available' | 'in-use' | 'deleting';
/** EC2's attachment states; `busy` is a detach the guest refuses while it still uses the device */
export type AttachmentState = 'attaching' | 'attached' | 'detaching' | 'busy';
export type SnapshotState = 'pending' | 'completed';

export interface EbsAttachment {
  instanceId: string;
  /** as the API names it: '/dev/sdf' */
  device: string;
  /** what the guest kernel calls it: 'xvdf' */
  guest: string;
  state: AttachmentState;
  attachTime: number;
  deleteOnTermination: boolean;
  /** when the current transition (attaching, detaching) completes; -1 when none is under way */
  until: number;
}

export interface EbsVolume {
  id: string;
  sizeGiB: number;
  type: 'standard' | 'gp2';
  az: string;
  state: VolumeState;
  createTime: number;
  /** when a creating volume becomes available, or a deleting one is gone; -1 when neither */
  until: number;
  /** the snapshot it was created from, '' for an empty volume */
  snapshotId: string;
  attachment: EbsAttachment | null;
  /** the volume's blocks: what the device has completed, never the guest's page cache */
  store: BlockStore;
}

export interface EbsSnapshot {
  id: string;
  volumeId: string;
  volumeSize: number;
  description: string;
  startTime: number;
  state: SnapshotState;
  ownerId: string;
  /** the previous snapshot of the same volume this one builds on ('' for the first one) */
  parent: string;
  /**
   * the blocks that differ from the parent's at the instant the snapshot was requested, base64 by
   * block number; '' marks a block the parent holds that the volume no longer has (reads as zeros)
   */
  blocks: Record<string, string>;
  /** when the upload finishes (pending → completed) */
  completeAt: number;
}

export interface CloudState {
  region: string;
  az: string;
  /** this instance, 2015 style: 'i-' and 8 hex digits */
  instanceId: string;
  /** the account (12 digits) that owns the volumes and snapshots */
  ownerId: string;
  volumes: EbsVolume[];
  snapshots: EbsSnapshot[];
  /**
   * the instance metadata service's other fields, as a scenario gives them (ami-id, instance-type,
   * mac...): a list for public-keys, null for a field the service answers 404 for
   */
  metadata?: Record<string, string | string[] | null>;
}
