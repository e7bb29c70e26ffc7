/** A kernel with only the block layer booted, one store per volume id, for the block layer's tests. */
import { bootBlockState } from '../../../../engine/kernel/block/subsystem';
import { attachDevice, emptyStore, type Backing, type BlockStore } from '../../../../engine/kernel/block';
import type { KernelState } from '../../../../engine/kernel/types';

export const MiB = 1024 * 1024;

export interface Rig {
  k: KernelState;
  stores: Record<string, BlockStore>;
  backing: Backing;
}

/** 4 GiB of RAM, so the background threshold (10 %) is far above what a test dirties unless it says otherwise */
export function rig(devices: Array<{ name: string; id: string; sizeBytes: number }> = [{ name: 'xvdf', id: 'vol-1', sizeBytes: 64 * MiB }]): Rig {
  const k = { subsys: { block: bootBlockState() }, mem: { totalKb: 4 * 1024 * 1024 } } as unknown as KernelState;
  const stores: Record<string, BlockStore> = {};
  for (const d of devices) {
    stores[d.id] = emptyStore(d.sizeBytes);
    attachDevice(k, { name: d.name, backingId: d.id, sizeBytes: d.sizeBytes }, 0);
  }
  return { k, stores, backing: (id) => stores[id] };
}

export const bytes = (n: number, fill: number): Uint8Array => new Uint8Array(n).fill(fill);
export const text = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
