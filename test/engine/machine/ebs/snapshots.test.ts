import { blocksChangedSince, latestSnapshotOf, removeSnapshot, restoreStore, snapshotBlocks } from '../../../../engine/machine/ebs/snapshots';
import type { CloudState, EbsSnapshot } from '../../../../engine/machine/ebs/types';

/** The incremental chain: each snapshot holds what changed since its parent; deleting one keeps its children whole. */
describe('snapshot chains', () => {
  const cloud = (): CloudState => ({ region: 'us-east-1', az: 'us-east-1b', instanceId: 'i-00000001', ownerId: '123456789012', volumes: [], snapshots: [] });
  const take = (c: CloudState, id: string, blocks: Record<string, string>, t: number): EbsSnapshot => {
    const parent = latestSnapshotOf(c, 'vol-00000001');
    const s: EbsSnapshot = {
      id,
      volumeId: 'vol-00000001',
      volumeSize: 1,
      description: '',
      startTime: t,
      state: 'completed',
      ownerId: c.ownerId,
      parent: parent?.id ?? '',
      blocks: blocksChangedSince(c, { sizeBytes: 1 << 30, blocks }, parent),
      completeAt: t,
    };
    c.snapshots.push(s);
    return s;
  };

  it('keeps only the changed blocks, marks blocks that went back to zeros, and restores every instant exactly', () => {
    const c = cloud();
    const v1 = { '0': 'AAA', '1': 'BBB', '7': 'CCC' };
    const v2 = { '0': 'AAA', '1': 'bbb', '9': 'DDD' };
    const v3 = { '0': 'AAA', '1': 'bbb', '9': 'DDD', '10': 'EEE' };
    const s1 = take(c, 'snap-00000001', v1, 1);
    const s2 = take(c, 'snap-00000002', v2, 2);
    const s3 = take(c, 'snap-00000003', v3, 3);
    expect(s1.blocks).toEqual(v1);
    expect(s2.blocks).toEqual({ '1': 'bbb', '7': '', '9': 'DDD' });
    expect(s3.blocks).toEqual({ '10': 'EEE' });
    expect(snapshotBlocks(c, s1)).toEqual(v1);
    expect(snapshotBlocks(c, s2)).toEqual(v2);
    expect(restoreStore(c, s3, 2)).toEqual({ sizeBytes: 2 * 1024 ** 3, blocks: v3 });
  });

  it('deleting a snapshot in the middle or at the root leaves the others restoring the same blocks', () => {
    const c = cloud();
    take(c, 'snap-00000001', { '0': 'A', '3': 'X' }, 1);
    take(c, 'snap-00000002', { '0': 'B' }, 2);
    take(c, 'snap-00000003', { '0': 'B', '5': 'Y' }, 3);
    removeSnapshot(c, 'snap-00000002');
    expect(c.snapshots.map((s) => s.id)).toEqual(['snap-00000001', 'snap-00000003']);
    expect(snapshotBlocks(c, c.snapshots[1]!)).toEqual({ '0': 'B', '5': 'Y' });
    removeSnapshot(c, 'snap-00000001');
    expect(c.snapshots[0]!.parent).toBe('');
    expect(snapshotBlocks(c, c.snapshots[0]!)).toEqual({ '0': 'B', '5': 'Y' });
  });
});
