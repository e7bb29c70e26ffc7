/**
 * The cloud's blocks as a save holds them: each distinct block once, by reference, without its
 * long runs of zeros, and back exactly as they were.
 */
import { toBase64 } from '../../../../engine/kernel/block/bytes';
import { BLOCK_TABLE, packCloudBlocks, unpackCloudBlocks } from '../../../../engine/machine/ebs/savedBlocks';
import type { Json } from '../../../../engine/types';

type Obj = { [key: string]: Json };

function block(fill: (b: Uint8Array) => void): string {
  const b = new Uint8Array(4096);
  fill(b);
  return toBase64(b);
}

// a mongod-like block: a header, zeros, a record in the middle, zeros to the end
const sparse = block((b) => {
  b.set([0x10, 0, 0, 0, 0x02, 0x61, 0x00], 0);
  b.set(Array.from({ length: 300 }, (_, i) => (i * 7 + 1) & 255), 2000);
});
const dense = block((b) => b.fill(0xab));
const lastByte = block((b) => (b[4095] = 1));

function cloud(): Obj {
  return {
    region: 'us-east-1',
    volumes: [
      { id: 'vol-1', sizeGiB: 1, store: { sizeBytes: 1 << 30, blocks: { '0': sparse, '7': dense, '9': lastByte } }, snapshotId: '' },
      { id: 'vol-2', sizeGiB: 1, store: { sizeBytes: 1 << 30, blocks: { '0': sparse, '7': dense } }, snapshotId: 'snap-1' },
    ],
    snapshots: [
      { id: 'snap-1', volumeId: 'vol-1', parent: '', blocks: { '0': sparse, '7': dense }, completeAt: 5 },
      { id: 'snap-2', volumeId: 'vol-1', parent: 'snap-1', blocks: { '7': '', '9': lastByte }, completeAt: 9 },
    ],
  };
}

describe('packCloudBlocks', () => {
  it('keeps each distinct block once and every store refers to it', () => {
    const saved = packCloudBlocks(cloud()) as Obj;
    const table = saved[BLOCK_TABLE] as string[];
    expect(table).toHaveLength(3);
    const vols = saved.volumes as Obj[];
    expect((vols[0]!.store as Obj).blocks).toEqual({ '0': 0, '7': 1, '9': 2 });
    expect((vols[1]!.store as Obj).blocks).toEqual({ '0': 0, '7': 1 });
    expect((saved.snapshots as Obj[])[1]!.blocks).toEqual({ '7': -1, '9': 2 });
  });

  it('leaves out long runs of zeros, keeping where the bytes were', () => {
    const table = (packCloudBlocks(cloud()) as Obj)[BLOCK_TABLE] as string[];
    // 6 bytes from 0 (the record's zero byte is in the run that follows) and 300 from 2000 (base 36: 1jk); the last byte alone at 4095 (35r)
    expect(table[0]!.split(',').map((s) => s.split(':')[0])).toEqual(['0', '1jk']);
    expect(table[2]).toBe('35r:AQ==');
    expect(table[0]!.length).toBeLessThan(500);
  });

  it('gives back the very cloud it was given, keys in their places', () => {
    const c = cloud();
    const back = unpackCloudBlocks(packCloudBlocks(c));
    expect(JSON.stringify(back)).toBe(JSON.stringify(c));
  });

  it('shares nothing with the live cloud or with the saved one', () => {
    const c = cloud();
    const saved = packCloudBlocks(c) as Obj;
    ((c.volumes as Obj[])[0]!.store as Obj).sizeBytes = 1;
    expect(((saved.volumes as Obj[])[0]!.store as Obj).sizeBytes).toBe(1 << 30);
    const back = unpackCloudBlocks(saved) as Obj;
    ((back.volumes as Obj[])[1]!.store as Obj).blocks = {};
    expect(((saved.volumes as Obj[])[1]!.store as Obj).blocks).toEqual({ '0': 0, '7': 1 });
  });

  it('keeps a string that is not a block exactly as it was', () => {
    const c = cloud();
    ((c.volumes as Obj[])[0]!.store as Obj).blocks = { '3': 'AAEC' };
    const saved = packCloudBlocks(c) as Obj;
    expect((saved[BLOCK_TABLE] as string[])[0]).toBe('~AAEC');
    expect(JSON.stringify(unpackCloudBlocks(saved))).toBe(JSON.stringify(c));
  });

  it('reads a cloud saved with its blocks in place (before the table) as it is', () => {
    const c = cloud();
    expect(JSON.stringify(unpackCloudBlocks(c))).toBe(JSON.stringify(c));
  });

  it('refuses a reference to no saved block, saying so', () => {
    const saved = packCloudBlocks(cloud()) as Obj;
    (((saved.volumes as Obj[])[0]!.store as Obj).blocks as Obj)['0'] = 17;
    expect(() => unpackCloudBlocks(saved)).toThrow('a saved block refers to 17, not to one of the 3 blocks saved');
  });
});
