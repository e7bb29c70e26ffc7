/**
 * Chapter 3 played through the engine's public handle: the incident's snapshot really tears and
 * the scratch mongod on it answers with 10334 from the restored bytes, each working fix solves the
 * chapter over the nights the judge restores, each wrong fix behaves as the mechanism says, one
 * seed gives one game, and a saved game carries on exactly as an unsaved one.
 *
 * A new game simulates a night of replication and a restore (several seconds), so the tests fork
 * one game per seed with snapshot/restoreGame instead of building it again.
 */
import { blocksToPlainText } from '../../../../src/text/plain';
import { createGame, restoreGame, type GameHandle, type SavedGame } from '../../../../engine/index';

jest.setTimeout(300_000);

const SEED = 2;
let base: SavedGame;

beforeAll(() => {
  const g = createGame('3', SEED);
  g.start();
  base = g.snapshot();
});

const fork = (): GameHandle => restoreGame(JSON.parse(JSON.stringify(base)) as SavedGame);
const say = (g: GameHandle, line: string): string => blocksToPlainText(g.step(line));

interface NightView {
  snapshotId: string;
  nightly: boolean;
  locked: number;
  journalWithData: boolean;
  clean: boolean;
  error: string;
  badId: string;
}
interface WorldView {
  ch3: { nights: NightView[]; incidentSnapshot: string; dataVolume: string };
  mongo: { servers: Array<{ opts: { port: number }; fsyncLocks: number; sync?: { stale: boolean } }> };
}
const world = (g: GameHandle): WorldView => (g.snapshot().state as unknown as { world: WorldView }).world;
const objective = (g: GameHandle, id: string): string => g.inspect().objectives.find((o) => o.id === id)?.status ?? 'missing';

const LOCK = [
  `sudo sed -i '/create-snapshot/i mongo --quiet --eval "printjson(db.fsyncLock())"' /usr/local/bin/ebs-backup.sh`,
  `sudo sed -i '/create-snapshot/a mongo --quiet --eval "printjson(db.fsyncUnlock())"' /usr/local/bin/ebs-backup.sh`,
];
/** a mechanism clue: an fsync, then the replicated writes still counting up */
const DIAGNOSE = ["mongo --quiet --eval 'printjson(db.adminCommand({fsync: 1}))'", "mongo --quiet --eval 'printjson(db.serverStatus())'"];

describe('chapter 3: the incident comes out of the simulation', () => {
  test("last night's snapshot restores torn; the scratch mongod on it answers 10334 from the restored bytes", () => {
    const g = fork();
    const w = world(g);
    const night = w.ch3.nights.find((n) => n.snapshotId === w.ch3.incidentSnapshot)!;
    expect(night.nightly).toBe(true);
    expect(night.locked).toBe(0);
    expect(night.journalWithData).toBe(false);
    expect(night.clean).toBe(false);
    expect(night.badId).toMatch(/^[0-9a-f]{24}$/);
    // the same read, asked again of the scratch server, fails the same way
    const out = say(g, `mongo --port 27018 events --eval 'printjson(db.events.findOne({_id: ObjectId("${night.badId}")}))'`);
    expect(out).toMatch(/error: \{\n\t"\$err" : "BSONObj size: -?\d+ \(0x[0-9A-F]+\) is invalid\. Size must be between 0 and 16793600\(16MB\) First element: [^"]*",\n\t"code" : 10334\n\}/);
    expect(out).toContain(night.error);
    expect(g.inspect().clues.found).toContain('bson_error');
    // the live secondary has the same document, whole
    const live = say(g, `mongo events --quiet --eval 'rs.slaveOk(); printjson(db.events.findOne({_id: ObjectId("${night.badId}")}))'`);
    expect(live).toContain(`"_id" : ObjectId("${night.badId}")`);
    expect(live).toContain('"type" : "checkin"');
  });

  test.each([1, 2, 3])('seed %i: the read lands four bytes before "points", and hexdump of the restored file shows why', (seed) => {
    const g = seed === SEED ? fork() : createGame('3', seed);
    if (seed !== SEED) g.start();
    const w = world(g);
    const night = w.ch3.nights.find((n) => n.snapshotId === w.ch3.incidentSnapshot)!;
    const oints = 'BSONObj size: -286331154 (0xEEEEEEEE) is invalid. Size must be between 0 and 16793600(16MB) First element: oints: ?type=112';
    expect(night.error).toBe(oints);
    const out = say(g, `mongo --port 27018 events --eval 'printjson(db.events.findOne({_id: ObjectId("${night.badId}")}))'`);
    expect(out).toContain(`error: {\n\t"$err" : "${oints}",\n\t"code" : 10334\n}`);
    // mongod's freed-record marker, then the field name of the document that was there before
    const hex = say(g, 'sudo hexdump -C /restore/db/events.0 | grep oints');
    expect(hex).toMatch(/^[0-9a-f]{8}  ee ee ee ee 70 6f 69 6e  74 73 00 [0-9a-f]{2} [0-9a-f]{2} [0-9a-f]{2} [0-9a-f]{2} 09  \|\.\.\.\.points\.{0,1}.{0,5}\|$/m);
    expect(g.inspect().clues.found).toContain('hexdump_oints');
  });

  test('Nadia\'s paste is what the scratch server answered; the backup log shows the fsync, then the snapshot', () => {
    const g = fork();
    const paste = say(g, 'cat /home/ops/nadia-driver-error.txt');
    expect(paste).toContain('"code" : 10334');
    const log = say(g, 'cat /var/backups/ebs-backup.log');
    expect(log).toMatch(/^Tue May 12 03:00:00 UTC 2015 snapshot of vol-[0-9a-f]{8}\n\{ "numFiles" : 3, "ok" : 1 \}\nvolume vol-[0-9a-f]{8} is in-use\n\{\n/);
    expect(log).toContain(`"SnapshotId": "${world(g).ch3.incidentSnapshot}"`);
  });
});

describe('chapter 3: the working fixes', () => {
  test('the lock in the script: three nights restore clean, replication keeps up, the chapter is solved', () => {
    const g = fork();
    for (const l of DIAGNOSE) say(g, l);
    expect(g.inspect().clues.found).toContain('writes_after_fsync');
    for (const l of LOCK) say(g, l);
    expect(g.inspect().fixInEffect).toBe(true);
    expect(objective(g, 'backups_clean')).toBe('pending');
    const slept = say(g, 'sleep 3d');
    const nights = world(g).ch3.nights.filter((n) => n.nightly).slice(1);
    expect(nights).toHaveLength(3);
    // the debrief counts the nights the judge counted, read when it is told, not when the game began
    expect(slept).toContain('Since the fix, 3 nightly backups restored clean');
    for (const n of nights) {
      expect(n.locked).toBe(1);
      expect(n.clean).toBe(true);
    }
    // the unlock came after: nothing holds the lock now
    expect(world(g).mongo.servers.find((s) => s.opts.port === 27017)!.fsyncLocks).toBe(0);
    expect(objective(g, 'backups_clean')).toBe('done');
    expect(objective(g, 'replication')).toBe('done');
    expect(g.inspect().solved).toBe(true);
  });
});

describe('chapter 3: the wrong fixes', () => {
  test('a sync added before the snapshot: the race is still there, and the judge says which experiment it was', () => {
    const g = fork();
    say(g, "sudo sed -i '/create-snapshot/i sync' /usr/local/bin/ebs-backup.sh");
    expect(g.inspect().wrongFixes).toContain('sync_before');
    expect(g.inspect().fixInEffect).toBe(false);
  });

  test('fsync and a snapshot by hand during the import, again and again: some restore torn, some clean; a torn one restored is the proof', () => {
    const g = fork();
    const vol = world(g).ch3.dataVolume;
    // the next night's import is under way from about 02:57
    const now = (g.snapshot().state as unknown as { world: { now: number } }).world.now;
    say(g, `sleep ${Math.ceil((Date.UTC(2015, 4, 13, 2, 58) - now) / 60_000)}m`);
    for (let i = 0; i < 10; i++) {
      say(g, DIAGNOSE[0]!);
      expect(say(g, `aws ec2 create-snapshot --volume-id ${vol} --description repro`)).toContain('"State": "pending"');
      say(g, 'sleep 30s');
    }
    say(g, 'sleep 15m');
    const mine = world(g).ch3.nights.filter((n) => !n.nightly);
    expect(mine).toHaveLength(10);
    for (const n of mine) expect(n.locked).toBe(0);
    const torn = mine.filter((n) => !n.clean);
    // a race: it does not lose every time, and it does not win every time
    expect(torn.length).toBeGreaterThan(0);
    expect(torn.length).toBeLessThan(mine.length);
    expect(g.inspect().clues.found).not.toContain('race_reproduced');
    say(g, `aws ec2 create-volume --snapshot-id ${torn[0]!.snapshotId} --availability-zone us-east-1d`);
    expect(g.inspect().clues.found).toContain('race_reproduced');
  });

  test('locking by hand and forgetting: replication stops, the lag climbs past a minute', () => {
    const g = fork();
    const locked = say(g, 'fsyncLock');
    expect(locked).toContain('"info" : "now locked against writes, use db.fsyncUnlock() to unlock"');
    say(g, 'sleep 15m');
    expect(g.inspect().wrongFixes).toContain('lock_forgotten');
    expect(objective(g, 'replication')).toBe('failing');
    const info = say(g, "mongo --quiet --eval 'rs.printSlaveReplicationInfo()'");
    const behind = /\t(\d+) secs \([\d.]+ hrs\) behind the primary/.exec(info);
    expect(behind).not.toBeNull();
    expect(Number(behind![1])).toBeGreaterThanOrEqual(60);
    expect(g.inspect().clues.found).toContain('lag_seen');
    // unlocking lets it catch up
    expect(say(g, 'fsyncUnlock')).toContain('"info" : "unlock completed"');
    say(g, 'sleep 2m');
    expect(objective(g, 'replication')).not.toBe('failing');
    expect(say(g, 'fsyncUnlock')).toContain('"errmsg" : "not locked"');
  });

  test('a lock held for days: past the oplog window the secondary goes stale (RS102) and the game says so', () => {
    const g = fork();
    say(g, 'fsyncLock');
    const out = say(g, 'sleep 5d');
    expect(world(g).mongo.servers.find((s) => s.opts.port === 27017)!.sync!.stale).toBe(true);
    expect(g.inspect().wrongFixes).toEqual(expect.arrayContaining(['lock_forgotten', 'went_stale']));
    expect(objective(g, 'replication')).toBe('failing');
    expect(out.length).toBeGreaterThan(0);
    const log = say(g, 'grep RS102 /var/log/mongodb/mongod.log');
    expect(log).toMatch(/\[rsBackgroundSync\] replSet error RS102 too stale to catch up, at least from db-1:27017\n/);
  });

  test('locked once by hand around a snapshot: that snapshot is clean, the script is unchanged', () => {
    const g = fork();
    const vol = world(g).ch3.dataVolume;
    say(g, 'fsyncLock');
    say(g, `aws ec2 create-snapshot --volume-id ${vol} --description "by hand"`);
    say(g, 'fsyncUnlock');
    const mine = world(g).ch3.nights.filter((n) => !n.nightly);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.locked).toBe(1);
    expect(mine[0]!.clean).toBe(true);
    expect(g.inspect().wrongFixes).toContain('lock_once');
    expect(g.inspect().fixInEffect).toBe(false);
  });

  test('dumping the torn copy salvages what comes before the bad record and fixes nothing; restarting mongod changes nothing', () => {
    const g = fork();
    const dump = say(g, 'mongodump --port 27018 --db events --out /tmp/salvage');
    expect(dump).toContain('connected to: 127.0.0.1:27018');
    expect(g.inspect().wrongFixes).toContain('repair');
    say(g, 'sudo service mongod restart');
    expect(g.inspect().wrongFixes).toContain('restart_mongod');
    expect(g.inspect().fixInEffect).toBe(false);
  });
});

describe('chapter 3: one seed, one game', () => {
  const LINES = ['cat /usr/local/bin/ebs-backup.sh', ...DIAGNOSE, 'grep -e Dirty -e Writeback /proc/meminfo', 'sleep 90', "mongo --quiet --eval 'rs.printSlaveReplicationInfo()'", 'status'];

  test('two games of one seed are the same game', () => {
    const a = createGame('3', SEED);
    a.start();
    expect(JSON.stringify(a.snapshot().state)).toBe(JSON.stringify(base.state));
    const b = fork();
    for (const l of LINES) expect(say(a, l)).toBe(say(b, l));
  });

  test('a game saved and loaded mid-walkthrough carries on exactly as the unsaved one', () => {
    const a = fork();
    say(a, LINES[0]!);
    say(a, LINES[1]!);
    const saved = JSON.parse(JSON.stringify(a.snapshot())) as SavedGame;
    const b = restoreGame(saved);
    for (const l of [...LINES.slice(2), ...LOCK]) expect(say(b, l)).toBe(say(a, l));
    expect(JSON.stringify(b.snapshot().state)).toBe(JSON.stringify(a.snapshot().state));
  });
});
