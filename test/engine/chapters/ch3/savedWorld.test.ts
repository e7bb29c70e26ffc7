/**
 * Chapter 3 saves: the cloud's blocks kept once each, by reference (machine/ebs/savedBlocks.ts).
 * A save is small on disk, fresh and after a 20-spell game; a game saved and restored plays on
 * exactly as the one that was never saved; and a save from before (engine 4, every block in
 * place) still loads, through the migration, into the very world it held.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { ENGINE_MIGRATIONS, ENGINE_VERSION, createGame, restoreGame, validateSavedGame, type GameHandle, type SavedGame } from '../../../../engine/index';
import { unpackCh3World } from '../../../../engine/chapters/ch3/savedWorld';
import { BLOCK_TABLE } from '../../../../engine/machine/ebs/savedBlocks';
import { unpackMachineWorld } from '../../../../engine/machine/savedWorld';
import type { Json } from '../../../../engine/types';
import { encodeSlotFile } from '../../../../src/saves/slotFile';
import { blocksToPlainText } from '../../../../src/text/plain';

jest.setTimeout(300_000);

type Obj = { [key: string]: Json };

const SEED = 2;
/** the bound the issue sets a chapter 3 save on disk */
const MAX_ON_DISK = 256 * 1024;

// the 20 spells the benchmark plays (bench/run.ts)
const WALK = [
  'cat /home/ops/nadia-driver-error.txt', 'cat /etc/cron.d/ebs-backup', 'cat /usr/local/bin/ebs-backup.sh', 'mount', 'df -h', 'lsblk',
  "mongo --quiet --eval 'printjson(rs.status())'", "mongo --quiet --eval 'printjson(db.adminCommand({fsync: 1}))'",
  'grep -e Dirty -e Writeback /proc/meminfo', 'iostat -x 1 2', "mongo --port 27018 events --eval 'printjson(db.events.validate(true))'",
  'hexdump -C /restore/db/events.0 | head -n 20', 'tail -n 20 /var/log/mongodb/restore.log', 'hint', 'fsyncLock',
  "mongo --quiet --eval 'rs.printSlaveReplicationInfo()'", 'fsyncUnlock',
  `sudo sed -i '/create-snapshot/i mongo --quiet --eval "printjson(db.fsyncLock())"' /usr/local/bin/ebs-backup.sh`,
  `sudo sed -i '/create-snapshot/a mongo --quiet --eval "printjson(db.fsyncUnlock())"' /usr/local/bin/ebs-backup.sh`, 'status',
];

const say = (g: GameHandle, line: string): string => blocksToPlainText(g.step(line));
const copy = (s: SavedGame): SavedGame => JSON.parse(JSON.stringify(s)) as SavedGame;
const worldOf = (s: SavedGame): Obj => (s.state as Obj).world as Obj;

/** the bytes the save store writes for this game (header line and brotli body) */
async function onDisk(payload: SavedGame, history: string[] = []): Promise<number> {
  const meta = { chapter: '3', chapterTitle: 'oints', progress: '0/3 objectives done', virtualTime: '0s', hints: 0, spells: 0 };
  return (await encodeSlotFile({ slot: 'size', savedAt: '2026-12-03T12:00:00.000Z', meta, history, payload })).length;
}

let game: GameHandle;
let fresh: SavedGame;

beforeAll(() => {
  game = createGame('3', SEED);
  game.start();
  fresh = game.snapshot();
});

describe('a chapter 3 save', () => {
  it('keeps the blocks once each, by reference', () => {
    const cloud = worldOf(fresh).cloud as Obj;
    expect(Array.isArray(cloud[BLOCK_TABLE])).toBe(true);
    const vol = (cloud.volumes as Obj[])[0]!.store as Obj;
    expect(Object.values(vol.blocks as Obj).every((n) => typeof n === 'number')).toBe(true);
    // the live world's blocks are every volume's and snapshot's own, so there are more of them than distinct ones
    const live = unpackCh3World(worldOf(fresh)) as Obj;
    const liveCloud = live.cloud as { volumes: Array<{ store: { blocks: Obj } }>; snapshots: Array<{ blocks: Obj }> };
    const all = [...liveCloud.volumes.map((v) => v.store.blocks), ...liveCloud.snapshots.map((s) => s.blocks)].flatMap((b) => Object.values(b));
    expect((cloud[BLOCK_TABLE] as string[]).length).toBe(new Set(all.filter((d) => d !== '')).size);
    expect((cloud[BLOCK_TABLE] as string[]).length).toBeLessThan(all.length);
  });

  it('of a new game is under 256 KiB on disk, and its JSON under 1 MiB', async () => {
    expect(await onDisk(fresh)).toBeLessThan(MAX_ON_DISK);
    expect(JSON.stringify(fresh).length).toBeLessThan(1024 * 1024);
  });

  it('restored, saves as it was and plays on exactly as the game never saved', () => {
    const restored = restoreGame(copy(fresh));
    expect(JSON.stringify(restored.snapshot())).toBe(JSON.stringify(fresh));
    const original = restoreGame(copy(fresh));
    // the original is played on without a save in between; the other is saved and restored after every line
    let again = restored;
    for (const line of ['cat /home/ops/nadia-driver-error.txt', 'sudo hexdump -C /restore/db/events.0 | head -n 20', 'fsyncLock', 'sleep 1d', 'fsyncUnlock', 'sudo blockdev --getsize64 /dev/xvdf']) {
      expect(say(again, line)).toBe(say(original, line));
      again = restoreGame(copy(again.snapshot()));
    }
    expect(JSON.stringify(again.snapshot())).toBe(JSON.stringify(original.snapshot()));
  });

  it('after the 20-spell script is under 256 KiB on disk', async () => {
    const g = restoreGame(copy(fresh));
    for (const line of WALK) say(g, line);
    expect(await onDisk(g.snapshot(), WALK)).toBeLessThan(MAX_ON_DISK);
  });
});

describe('a chapter 3 save of engine 4 (every block in place)', () => {
  // seed 7 after the 20 spells above, saved by the engine of 2026-12-03 before this packing
  const file = JSON.parse(brotliDecompressSync(readFileSync(join(__dirname, '..', '..', '..', 'fixtures', 'saves', 'ch3-engine-v4.json.br'))).toString('utf8')) as { payload: SavedGame };
  const old = file.payload;
  let now = old;
  while (now.engineVersion < ENGINE_VERSION) now = ENGINE_MIGRATIONS[now.engineVersion]!(now);

  it('is migrated to this engine, its blocks by reference', () => {
    expect(old.engineVersion).toBe(4);
    expect(BLOCK_TABLE in (worldOf(old).cloud as Obj)).toBe(false);
    expect(now.engineVersion).toBe(ENGINE_VERSION);
    expect(Array.isArray((worldOf(now).cloud as Obj)[BLOCK_TABLE])).toBe(true);
    expect(() => validateSavedGame(now)).not.toThrow();
  });

  it('unpacks into the very world the old save held, and leaves the rest of the state alone', () => {
    expect(JSON.stringify(unpackCh3World(worldOf(now)))).toBe(JSON.stringify(unpackMachineWorld(worldOf(old))));
    const strip = (s: SavedGame): string => JSON.stringify({ ...(s.state as Obj), world: null });
    expect(strip(now)).toBe(strip(old));
  });

  it('loads and plays on reading the same bytes as the old world, and is small on disk', async () => {
    const lines = ['sudo hexdump -C /restore/db/events.0 | head -n 20', "mongo --port 27018 events --eval 'printjson(db.events.validate(true))'", 'sudo cat /usr/local/bin/ebs-backup.sh'];
    const migrated = restoreGame(copy(now));
    // the old world read as it is (this engine's unpacking still takes blocks in place)
    const asItWas = restoreGame({ ...copy(old), engineVersion: ENGINE_VERSION });
    for (const line of lines) expect(say(migrated, line)).toBe(say(asItWas, line));
    expect(say(migrated, 'sudo hexdump -C /restore/db/events.0 | head -n 3')).toMatch(/^00000000 {2}[0-9a-f]{2} /);
    expect(await onDisk(now)).toBeLessThan(MAX_ON_DISK);
  });
});
