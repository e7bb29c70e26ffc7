import { fs as blockFs, deviceOf, readStore, BLOCK_BYTES } from '../../../../engine/kernel/block';
import { advance } from '../../../../engine/machine/advance';
import { blockFileBytes, blockSync, machineBacking, resolveBlockPath, type BlockFile } from '../../../../engine/machine/blockfs';
import { attachVolume, createSnapshot, createVolume, detachVolume, snapshotProgress, uploadMs, volumeById, VOLUME_CREATE_MS } from '../../../../engine/machine/ebs/cloud';
import { restoreStore, snapshotBlocks } from '../../../../engine/machine/ebs/snapshots';
import type { EbsSnapshot } from '../../../../engine/machine/ebs/types';
import { RngStreams } from '../../../../engine/rng';
import { ebsChapter, LOG_RECORDS, RECORD_BYTES, SCRIBE_EVERY_MS, type ScribeWorld } from '../../../fixtures/ebs-chapter';

/**
 * The cloud part on a live world (test/fixtures/ebs-chapter): a daemon writes a 4 KiB record to
 * /data/scribe.log every 2 s through the page cache, and the flusher writes pages back once
 * they are 30 s old, so the volume always lags the program by half a minute.
 */
function box(seed = 3): { w: ScribeWorld; streams: RngStreams } {
  const streams = new RngStreams(seed);
  const w = ebsChapter.createWorld(streams) as unknown as ScribeWorld;
  return { w, streams };
}

const fileAt = (w: ScribeWorld, path: string): BlockFile => {
  const f = resolveBlockPath(w, path);
  if ('errno' in f) throw new Error(`${path}: ${f.errno}`);
  return f;
};

/** where record n goes in /data/scribe.log (the log wraps around) */
const offsetOf = (n: number): number => (n % LOG_RECORDS) * RECORD_BYTES;
/** the device block that holds record n of /data/scribe.log */
const blockOfRecord = (w: ScribeWorld, n: number): number => blockFs.bmap(w.k, 'xvdf', fileAt(w, '/data/scribe.log').ino, offsetOf(n) / BLOCK_BYTES);

/** the record the snapshot holds at record n's place, as text ('' when that block is zeros) */
function recordIn(w: ScribeWorld, snap: EbsSnapshot, n: number): string {
  const store = restoreStore(w.cloud!, snap, snap.volumeSize);
  const bytes = readStore(store, blockOfRecord(w, n) * BLOCK_BYTES, 40);
  return String.fromCharCode(...bytes).split('\n')[0]!.replace(/\0+$/, '');
}

const volumeIds = (w: ScribeWorld): [string, string] => [w.cloud!.volumes[0]!.id, w.cloud!.volumes[1]!.id];

describe('EBS snapshots of a live volume', () => {
  it('capture the blocks the device holds when requested: an old record is in, the last ones (still dirty in the cache) are not', () => {
    const { w, streams } = box();
    const [data] = volumeIds(w);
    const last = w.scribe.n - 1;
    const r = createSnapshot(w, streams.stream('ebs'), data, 'test', w.now);
    if (!r.ok) throw new Error(r.error.message);
    // written 60 s ago: long written back
    expect(recordIn(w, r.value, last - 30)).toMatch(new RegExp(`^record ${last - 30} at `));
    // written a moment ago: only in the page cache, so the snapshot has what the block held before (an older record, or zeros)
    expect(recordIn(w, r.value, last)).not.toMatch(new RegExp(`^record ${last} `));
    // the program reads its own record from the cache all the same
    const f = fileAt(w, '/data/scribe.log');
    expect(String.fromCharCode(...blockFileBytes(w, f, offsetOf(last), 40))).toMatch(new RegExp(`^record ${last} at `));
  });

  it('after sync the next snapshot has the last record; it holds only the blocks changed since the first, and restores byte for byte', () => {
    const { w, streams } = box();
    const [data] = volumeIds(w);
    const rng = streams.stream('ebs');
    const first = createSnapshot(w, rng, data, 'one', w.now);
    if (!first.ok) throw new Error(first.error.message);
    const last = w.scribe.n - 1;
    const done = blockSync(w);
    // sync returns when the device has completed every page; let the world reach that moment
    advance(w, streams, done);
    const second = createSnapshot(w, rng, data, 'two', w.now);
    if (!second.ok) throw new Error(second.error.message);
    expect(recordIn(w, second.value, last)).toMatch(new RegExp(`^record ${last} `));
    expect(second.value.parent).toBe(first.value.id);
    // incremental: a handful of records and metadata blocks, not the whole volume again
    const changed = Object.keys(second.value.blocks).length;
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThan(Object.keys(snapshotBlocks(w.cloud!, second.value)).length);
    // the chain applied gives exactly the volume's blocks at that instant (nothing was written since: same virtual ms)
    expect(snapshotBlocks(w.cloud!, second.value)).toEqual(volumeById(w.cloud!, data)!.store.blocks);
  });

  it('two volumes snapshotted one after the other are captured at different instants', () => {
    const { w, streams } = box();
    const [data, journal] = volumeIds(w);
    const rng = streams.stream('ebs');
    advance(w, streams, blockSync(w));
    const a = createSnapshot(w, rng, data, 'data', w.now);
    const n = w.scribe.n;
    // the journal's snapshot a minute later, after the scribe wrote 30 more records and they were synced
    advance(w, streams, w.now + 60_000);
    advance(w, streams, blockSync(w));
    const b = createSnapshot(w, rng, journal, 'journal', w.now);
    if (!a.ok || !b.ok) throw new Error('snapshot failed');
    // the journal's line for record m: 64 bytes at (m mod 256) × 64
    const journalLine = (s: EbsSnapshot, m: number): string => {
      const store = restoreStore(w.cloud!, s, s.volumeSize);
      const at = (m % LOG_RECORDS) * 64;
      const blk = blockFs.bmap(w.k, 'xvdg', fileAt(w, '/journal/scribe.j').ino, Math.floor(at / BLOCK_BYTES));
      return String.fromCharCode(...readStore(store, blk * BLOCK_BYTES + (at % BLOCK_BYTES), 64)).trimEnd();
    };
    expect(journalLine(b.value, n + 20)).toBe(`j ${n + 20}`);
    expect(recordIn(w, a.value, n + 20)).not.toMatch(new RegExp(`^record ${n + 20} `));
  });

  it('stay pending while they upload, then complete; progress grows with time', () => {
    const { w, streams } = box();
    const [data] = volumeIds(w);
    const r = createSnapshot(w, streams.stream('ebs'), data, '', w.now);
    if (!r.ok) throw new Error(r.error.message);
    const s = r.value;
    expect(s.state).toBe('pending');
    expect(s.completeAt - s.startTime).toBe(uploadMs(Object.keys(s.blocks).length));
    expect(snapshotProgress(s, s.startTime)).toBe('0%');
    expect(snapshotProgress(s, s.startTime + (s.completeAt - s.startTime) / 2)).toBe('50%');
    advance(w, streams, s.completeAt - 1);
    expect(w.cloud!.snapshots[0]!.state).toBe('pending');
    advance(w, streams, s.completeAt);
    expect(w.cloud!.snapshots[0]!.state).toBe('completed');
    expect(snapshotProgress(w.cloud!.snapshots[0]!, w.now)).toBe('100%');
  });
});

describe('a volume restored from a snapshot', () => {
  it('is created, attached as a new kernel device after a few seconds, and mounts with the same files and bytes', () => {
    const { w, streams } = box();
    const [data] = volumeIds(w);
    const rng = streams.stream('ebs');
    advance(w, streams, blockSync(w));
    const snap = createSnapshot(w, rng, data, 'restore me', w.now);
    if (!snap.ok) throw new Error(snap.error.message);
    const want = Array.from(readStore(volumeById(w.cloud!, data)!.store, 0, 64 * BLOCK_BYTES));
    expect(createVolume(w, rng, { snapshotId: snap.value.id, az: 'us-east-1b' }, w.now)).toEqual({ ok: false, error: { code: 'IncorrectState', message: 'Snapshot is in invalid state - pending' } });
    advance(w, streams, snap.value.completeAt);
    const vol = createVolume(w, rng, { snapshotId: snap.value.id, az: 'us-east-1b', type: 'gp2' }, w.now);
    if (!vol.ok) throw new Error(vol.error.message);
    expect(vol.value.state).toBe('creating');
    advance(w, streams, w.now + VOLUME_CREATE_MS);
    expect(volumeById(w.cloud!, vol.value.id)!.state).toBe('available');
    const att = attachVolume(w, { volumeId: vol.value.id, instanceId: w.cloud!.instanceId, device: '/dev/sdh' }, w.now);
    if (!att.ok) throw new Error(att.error.message);
    expect(att.value.state).toBe('attaching');
    expect(deviceOf(w.k, 'xvdh')).toBeUndefined();
    advance(w, streams, w.now + 5_000);
    expect(volumeById(w.cloud!, vol.value.id)!.attachment!.state).toBe('attached');
    const dev = deviceOf(w.k, 'xvdh')!;
    expect(dev.backingId).toBe(vol.value.id);
    // the restored volume's first blocks are the source's at the snapshot, superblock and inode table included
    expect(Array.from(readStore(volumeById(w.cloud!, vol.value.id)!.store, 0, 64 * BLOCK_BYTES))).toEqual(want);
    const m = blockFs.mount(w.k, 'xvdh', '/restore', ['ro'], w.now, machineBacking(w));
    expect(m.ok).toBe(true);
    const names = blockFs.list(w.k, 'xvdh', '/');
    expect(names.ok && names.value.map((e) => e.name).sort()).toContain('scribe.log');
    const src = fileAt(w, '/data/scribe.log');
    const copy = fileAt(w, '/restore/scribe.log');
    expect(copy.inode.size).toBe(src.inode.size);
    const n = w.scribe.n - 40;
    expect(String.fromCharCode(...blockFileBytes(w, copy, offsetOf(n), 12))).toBe(String.fromCharCode(...blockFileBytes(w, src, offsetOf(n), 12)));
  });

  it('cannot be detached while it is mounted: EC2 shows the attachment busy until the guest lets go', () => {
    const { w, streams } = box();
    const [data] = volumeIds(w);
    const r = detachVolume(w, { volumeId: data }, w.now);
    expect(r.ok && r.value.state).toBe('detaching');
    advance(w, streams, w.now + 10_000);
    expect(volumeById(w.cloud!, data)!.attachment!.state).toBe('busy');
    expect(deviceOf(w.k, 'xvdf')).toBeDefined();
    // the scribe's files keep it mounted; unmounting lets the detach finish at its next look
    w.scribe.nextAt = -1;
    const u = blockFs.umount(w.k, '/data', w.now, machineBacking(w));
    expect(u.ok).toBe(true);
    advance(w, streams, w.now + 30_000);
    expect(volumeById(w.cloud!, data)!.attachment).toBeNull();
    expect(volumeById(w.cloud!, data)!.state).toBe('available');
    expect(deviceOf(w.k, 'xvdf')).toBeUndefined();
  });

  it('keeps the scribe\'s pace: records arrive every 2 s', () => {
    const { w, streams } = box();
    const n = w.scribe.n;
    advance(w, streams, w.now + 10 * SCRIBE_EVERY_MS);
    expect(w.scribe.n - n).toBe(10);
  });
});
