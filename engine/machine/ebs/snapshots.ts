/**
 * EBS snapshots as chains of block differences. A snapshot holds the blocks that changed since the
 * previous snapshot of the same volume (its parent), so a week of nightly snapshots of a volume
 * costs a save only what changed each night. Any snapshot's full contents are its chain applied
 * from the oldest: what the volume held at the instant that snapshot was requested.
 */
import type { BlockStore } from '../../kernel/block/types';
import type { CloudState, EbsSnapshot } from './types';

export const GIB = 1024 * 1024 * 1024;

export function snapshotById(cloud: CloudState, id: string): EbsSnapshot | undefined {
  return cloud.snapshots.find((s) => s.id === id);
}

/** the snapshot's chain, oldest first */
function chainOf(cloud: CloudState, snap: EbsSnapshot): EbsSnapshot[] {
  const chain: EbsSnapshot[] = [];
  const seen = new Set<string>();
  for (let s: EbsSnapshot | undefined = snap; s && !seen.has(s.id); s = s.parent ? snapshotById(cloud, s.parent) : undefined) {
    seen.add(s.id);
    chain.unshift(s);
  }
  return chain;
}

/** every block of the snapshot, as the volume held them when it was requested */
export function snapshotBlocks(cloud: CloudState, snap: EbsSnapshot): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of chainOf(cloud, snap))
    for (const [n, data] of Object.entries(s.blocks)) {
      if (data === '') delete out[n];
      else out[n] = data;
    }
  return out;
}

/** a volume's contents restored from a snapshot, on a volume of sizeGiB */
export function restoreStore(cloud: CloudState, snap: EbsSnapshot, sizeGiB: number): BlockStore {
  return { sizeBytes: sizeGiB * GIB, blocks: snapshotBlocks(cloud, snap) };
}

/** the newest snapshot of a volume that still exists: the next one's parent */
export function latestSnapshotOf(cloud: CloudState, volumeId: string): EbsSnapshot | undefined {
  let best: EbsSnapshot | undefined;
  for (const s of cloud.snapshots) if (s.volumeId === volumeId && (!best || s.startTime >= best.startTime)) best = s;
  return best;
}

/**
 * The blocks of `store` that differ from `parent` (all of them without one): what a new snapshot
 * copies. Block contents are compared as stored, so a block written back with the same bytes is
 * not copied again.
 */
export function blocksChangedSince(cloud: CloudState, store: BlockStore, parent: EbsSnapshot | undefined): Record<string, string> {
  const before = parent ? snapshotBlocks(cloud, parent) : {};
  const out: Record<string, string> = {};
  for (const [n, data] of Object.entries(store.blocks)) if (before[n] !== data) out[n] = data;
  for (const n of Object.keys(before)) if (!(n in store.blocks)) out[n] = '';
  return out;
}

/** A snapshot goes; the snapshots built on it keep what they need of its blocks. */
export function removeSnapshot(cloud: CloudState, id: string): void {
  const gone = snapshotById(cloud, id);
  if (!gone) return;
  for (const child of cloud.snapshots)
    if (child.parent === id) {
      child.blocks = { ...gone.blocks, ...child.blocks };
      child.parent = gone.parent;
    }
  cloud.snapshots = cloud.snapshots.filter((s) => s.id !== id);
}
