/**
 * The cloud's volumes as the kernel's device contents: a device whose backingId is a volume id
 * reads and writes that volume's store (machine/blockfs.ts asks every registered resolver).
 */
import { registerBacking } from '../blockfs';
import type { BlockStore } from '../../kernel/block/types';
import type { MachineWorld } from '../world';

export function volumeStore(w: MachineWorld, backingId: string): BlockStore | undefined {
  return w.cloud?.volumes.find((v) => v.id === backingId)?.store;
}

registerBacking(volumeStore);
