/**
 * Chapter 3's world as a save holds it: the machine's packing (logs and long stats lists by
 * column) and the cloud's blocks by reference, each distinct block once (machine/ebs/savedBlocks.ts).
 * The blocks are nearly all of a live world's size: the data and journal volumes, the incident's
 * snapshot and the volume Nadia restored from it, which holds most of the snapshot's blocks again.
 */
import { packMachineWorld, unpackMachineWorld } from '../../machine/savedWorld';
import { packCloudBlocks, unpackCloudBlocks } from '../../machine/ebs/savedBlocks';
import type { Json } from '../../types';

type Obj = { [key: string]: Json };

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function packCh3World(world: Json): Json {
  if (!isObj(world) || !isObj(world.cloud)) return packMachineWorld(world);
  // the cloud keeps its place among the keys and is copied once, by its own packer
  const out = packMachineWorld({ ...world, cloud: null }) as Obj;
  out.cloud = packCloudBlocks(world.cloud);
  return out;
}

export function unpackCh3World(saved: Json): Json {
  if (!isObj(saved) || !isObj(saved.cloud)) return unpackMachineWorld(saved);
  const w = unpackMachineWorld({ ...saved, cloud: null }) as Obj;
  w.cloud = unpackCloudBlocks(saved.cloud);
  return w;
}
