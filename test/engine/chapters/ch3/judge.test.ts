/**
 * The judge on the simulation itself: the journal moved onto the data volume makes a snapshot
 * that mongod's recovery repairs (the judge replays the journal from the snapshot's own blocks),
 * and the objectives follow the nights. Driven below the game (the world and a root shell), since
 * the journal's move needs a symlink removed, which the machine's file commands do not do yet.
 */
import { fs } from '../../../../engine/kernel/block';
import { blockMkdir, blockUnlink } from '../../../../engine/machine/blockfs';
import { currentFix, NIGHTS_NEEDED, verdicts } from '../../../../engine/chapters/ch3/judge';
import { createCh3World } from '../../../../engine/chapters/ch3/sim/create';
import { historyOf } from '../../../../engine/chapters/ch3/sim/history';
import { recordSnapshots } from '../../../../engine/chapters/ch3/sim/nights';
import { RngStreams } from '../../../../engine/rng';

jest.setTimeout(300_000);

test('the journal on the data volume: the nightly snapshots carry it, restore clean after replay, and the objective is met', () => {
  const streams = new RngStreams(2);
  const w = createCh3World(streams);
  const h = historyOf(w, streams);
  expect(currentFix(w)).toBe('none');
  expect(h.type('service mongod stop')).toBe('mongod stop/waiting\n');
  expect(blockUnlink(w, '/data/db/journal').ok).toBe(true);
  expect(blockMkdir(w, '/data/db/journal', { perm: 0o755, uid: 106, gid: 113 }).ok).toBe(true);
  // the directory alone is not the fix: mongod must be started on it
  expect(currentFix(w)).toBe('none');
  expect(h.type('service mongod start')).toMatch(/^mongod start\/running, process \d+\n$/);
  expect(currentFix(w)).toBe('journal_same_volume');
  expect(fs.lookup(w.k, 'xvdf', 'db/journal')!.kind).toBe('d');
  const fixedAt = w.now;
  h.advanceTo(w.now + NIGHTS_NEEDED * 86_400_000);
  recordSnapshots(w);
  const nights = w.ch3.nights.filter((n) => n.nightly && n.at >= fixedAt);
  expect(nights).toHaveLength(NIGHTS_NEEDED);
  for (const n of nights) {
    expect(n.locked).toBe(0);
    expect(n.journalWithData).toBe(true);
    expect(n.clean).toBe(true);
  }
  const v = verdicts(w, ['writes_after_fsync'], fixedAt);
  expect(v.backups_clean).toEqual({ status: 'done', detail: `${NIGHTS_NEEDED} nightly snapshots restored and validated` });
  expect(v.replication.status).toBe('done');
  expect(v.diagnosed).toEqual({ status: 'done' });
});

test("before any fix, last night's backup fails the objective and nothing counts as fixed", () => {
  const streams = new RngStreams(2);
  const w = createCh3World(streams);
  expect(verdicts(w, [], -1).backups_clean.status).toBe('pending');
  expect(verdicts(w, [], -1).diagnosed.status).toBe('pending');
  // a fix seen, then a night that was neither locked nor journalled: failing
  const v = verdicts(w, [], w.ch3.nights[0]!.at - 1);
  expect(v.backups_clean.status).toBe('failing');
});
