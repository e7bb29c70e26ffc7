/**
 * Saves written before the log store was packed (engine version 3, and version 1 by way of 2 and
 * 3) load: their logs come out of the migration packed, and unpacked they are the very records
 * the old save held.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ENGINE_MIGRATIONS, ENGINE_VERSION, restoreGame, validateSavedGame, type SavedGame } from '../../engine/index';
import { unpackCh1World } from '../../engine/chapters/ch1/savedWorld';
import { isPackedLogs } from '../../engine/kernel/logpack';
import type { Json } from '../../engine/types';
import { blocksToPlainText } from '../../src/text/plain';

type Obj = Record<string, Json>;

function fixture(name: string): SavedGame {
  const file = JSON.parse(gunzipSync(readFileSync(join(__dirname, '..', 'fixtures', 'saves', name))).toString('utf8')) as { payload: SavedGame };
  return file.payload;
}

function migrated(saved: SavedGame): SavedGame {
  let s = saved;
  while (s.engineVersion < ENGINE_VERSION) s = ENGINE_MIGRATIONS[s.engineVersion]!(s);
  return s;
}

const logsOf = (s: SavedGame): Json => ((s.state as Obj).world as Obj).logs!;

describe('engine 3 → 4: the log store packed', () => {
  const old = fixture('ch1-format1.json.gz');
  const now = migrated(old);

  it('starts from an engine 3 save with logs as lists of records', () => {
    expect(old.engineVersion).toBe(3);
    expect(isPackedLogs(logsOf(old))).toBe(false);
    expect(((logsOf(old) as Obj).syslog as Json[]).length).toBeGreaterThan(100);
  });

  it('packs the world, and unpacked it is what the old save held, logs and all', () => {
    expect(now.engineVersion).toBe(ENGINE_VERSION);
    expect(isPackedLogs(logsOf(now))).toBe(true);
    const state = now.state as Obj;
    const world = unpackCh1World(JSON.parse(JSON.stringify(state.world)) as Json, state.streams as Obj);
    expect(JSON.stringify(world)).toBe(JSON.stringify((old.state as Obj).world));
    expect(() => validateSavedGame(now)).not.toThrow();
  });

  it('leaves the old save as it was and the rest of the state alone', () => {
    expect(isPackedLogs(logsOf(old))).toBe(false);
    const strip = (s: SavedGame) => JSON.stringify({ ...(s.state as Obj), world: null });
    expect(strip(now)).toBe(strip(old));
  });

  it('keeps a world packed already as it is (a save handed on by an earlier migration)', () => {
    const again = ENGINE_MIGRATIONS[3]!({ ...now, engineVersion: 3 });
    expect(JSON.stringify(again.state)).toBe(JSON.stringify(now.state));
  });

  it('plays on, its logs read as they were written', () => {
    const g = restoreGame(now);
    const size = Number(blocksToPlainText(g.step('cat /var/log/syslog | wc -c')).split('\n')[0]);
    expect(size).toBeGreaterThan(10_000);
    expect(blocksToPlainText(g.step('dmesg | grep -c Killed')).split('\n')[0]).toMatch(/^[1-9]\d*$/);
  });
});

describe('an engine 1 save goes through every migration to packed logs', () => {
  it('loads and plays', () => {
    const text = gunzipSync(readFileSync(join(__dirname, '..', 'fixtures', 'saves', 'ch1-engine-v1.json.gz'))).toString('utf8');
    const old = JSON.parse(text) as { payload: SavedGame };
    const now = migrated(old.payload);
    expect(isPackedLogs(logsOf(now))).toBe(true);
    const g = restoreGame(now);
    expect(blocksToPlainText(g.step('sudo grep -c anon_vma /proc/slabinfo')).split('\n')[0]).toBe('2');
  });
});

describe('the state schema knows the packed form', () => {
  it('refuses a log store packed in a layout this engine does not read, saying where', () => {
    const now = migrated(fixture('ch1-format1.json.gz'));
    const state = JSON.parse(JSON.stringify(now.state)) as Obj;
    (((state.world as Obj).logs as Obj).packed as Obj).v = 2;
    expect(() => validateSavedGame({ ...now, state })).toThrow(/state\.world\.logs\.packed\.v/);
  });
});
