/**
 * An fsync answers once the device has completed the flush (msync with MS_SYNC waits): the
 * server notes when its reply leaves, after the last page of the flush reaches the disk, and the
 * mongo spell lets the clock get there before it returns.
 */
import { pageCounts } from '../../../../engine/kernel/block';
import { advance } from '../../../../engine/machine/advance';
import { runMongo } from '../../../../engine/machine/mongo/program';
import { mongoOf } from '../../../../engine/machine/mongo/server';
import { RngStreams } from '../../../../engine/rng';
import { mongoWorld } from '../../../fixtures/mongo-chapter';

test('the reply of {fsync: 1} and of the lock comes when the flush is on the disk, not when it was asked', () => {
  const streams = new RngStreams(3);
  const w = mongoWorld(streams);
  // writes since the last flush: dirty pages for the fsync to write
  advance(w, streams, w.now + 20_000);
  expect(pageCounts(w.k).dirty).toBeGreaterThan(0);
  const s = mongoOf(w).servers[0]!;
  const asked = w.now;
  const r = runMongo(['--quiet', '--eval', 'printjson(db.adminCommand({fsync: 1}))'], { w, localNames: ['127.0.0.1'], t: w.now, clientPort: 40_000 });
  expect(r.stdout).toBe('{ "numFiles" : 3, "ok" : 1 }\n');
  expect(s.replyAt).toBeGreaterThan(asked);
  // at the moment it was asked the pages are only on their way; at the reply they are all written
  expect(pageCounts(w.k).writeback).toBeGreaterThan(0);
  advance(w, streams, s.replyAt!);
  expect(pageCounts(w.k).writeback).toBe(0);
  delete s.replyAt;
  advance(w, streams, w.now + 20_000);
  runMongo(['--quiet', '--eval', 'db.fsyncLock()'], { w, localNames: ['127.0.0.1'], t: w.now, clientPort: 40_001 });
  expect(s.replyAt).toBeGreaterThan(w.now);
});
