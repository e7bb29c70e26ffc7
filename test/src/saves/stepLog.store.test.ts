/**
 * Autosaves as a save and the spells logged after it (src/saves/stepLog.ts, FsSaveStore.appendSteps,
 * GameSession's autosave): what a read gives back is the game as it was, the log is bounded, and
 * the log is never trusted or written where it should not be.
 */
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FsSaveStore } from '../../../src/saves/fsStore';
import type { EngineCompat } from '../../../src/saves/index';
import { parseStepLog } from '../../../src/saves/stepLog';
import { ENGINE_COMPAT, GameSession, MAX_LOGGED_STEPS } from '../../../src/session';
import { cleanupTempDirs, tempDir } from './helpers';

afterAll(cleanupTempDirs);

const SPELLS = ['free -m', 'sleep 1h', 'sudo nsd-control reload', 'ps aux', 'hint', 'sleep 10m', 'dmesg | tail -n 2', 'uptime'];

function setup(engine: EngineCompat = ENGINE_COMPAT) {
  const dir = tempDir('grimoire-steps-');
  let tick = 0;
  const now = () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++));
  const store = new FsSaveStore({ dir, engine });
  return { dir, store, deps: { store, autosaveSlot: 'autosave', now } };
}

async function played(n: number, engine?: EngineCompat) {
  const s = setup(engine);
  const session = GameSession.newGame('1', 5, s.deps);
  session.open();
  await session.saveNow();
  for (let i = 0; i < n; i++) await session.handle(SPELLS[i % SPELLS.length]!);
  return { ...s, session };
}

/** the live game's save, as a fresh store (another process) reads it */
async function readBack(dir: string, engine: EngineCompat = ENGINE_COMPAT) {
  const r = await new FsSaveStore({ dir, engine }).read('autosave');
  if (r.status !== 'ok' && r.status !== 'recovered') throw new Error(r.message);
  return r;
}

const snapshotOf = (session: GameSession): string => JSON.stringify((session as unknown as { game: { snapshot(): unknown } }).game.snapshot());
const logOf = (dir: string) => parseStepLog(readFileSync(join(dir, 'autosave.steps')))!;

describe('spells logged after a save', () => {
  it('are played again by a read: the very game that was left, its history and the list line of its last spell', async () => {
    const { dir, session } = await played(11);
    expect(readdirSync(dir).sort()).toEqual(['autosave.json', 'autosave.steps']);
    expect(logOf(dir).steps.map((s) => s.line)).toEqual(Array.from({ length: 11 }, (_, i) => SPELLS[i % SPELLS.length]));
    const r = await readBack(dir);
    expect(r.status).toBe('ok');
    expect(JSON.stringify(r.save.payload)).toBe(snapshotOf(session));
    expect(r.save.history).toEqual([...session.history()]);
    expect(r.save.meta.spells).toBe(session.result().spells);
    const [listed] = await new FsSaveStore({ dir, engine: ENGINE_COMPAT }).list();
    expect(listed).toMatchObject({ slot: 'autosave', spells: session.result().spells, virtualTime: session.result().virtualTime, savedAt: r.save.savedAt });
    // and the game read back plays on exactly as the one that was left
    const back = GameSession.fromSave(r.save, setup().deps, 'test');
    expect((await back.handle('tail -n 3 /var/log/syslog')).blocks).toEqual((await session.handle('tail -n 3 /var/log/syslog')).blocks);
  });

  it(`are at most ${MAX_LOGGED_STEPS} before the game is saved whole again and the log starts over`, async () => {
    const { dir, session } = await played(MAX_LOGGED_STEPS + 5);
    // the first save, then ${MAX_LOGGED_STEPS} logged, then a whole save (and its backup), then 4 logged
    expect(readdirSync(dir).sort()).toEqual(['autosave.bak.json', 'autosave.json', 'autosave.steps']);
    expect(logOf(dir).steps).toHaveLength(4);
    expect(JSON.stringify((await readBack(dir)).save.payload)).toBe(snapshotOf(session));
  });

  it('are not kept by a store that cannot play them again: every autosave is then whole', async () => {
    const { replay: _, ...withoutReplay } = ENGINE_COMPAT;
    const { dir, session } = await played(3, withoutReplay);
    expect(readdirSync(dir).sort()).toEqual(['autosave.bak.json', 'autosave.json']);
    expect(JSON.stringify((await readBack(dir, withoutReplay)).save.payload)).toBe(snapshotOf(session));
  });

  it('that follow an older save are ignored: the save written whole since is the game', async () => {
    const { dir, store, session } = await played(3);
    const stale = readFileSync(join(dir, 'autosave.steps'));
    await session.saveNow();
    // the log of the older save put back beside the newer one (as a crash between the two could leave it)
    writeFileSync(join(dir, 'autosave.steps'), stale);
    expect(JSON.stringify((await readBack(dir)).save.payload)).toBe(snapshotOf(session));
    // and a log cannot be added to a save the store did not write or read
    expect(await store.appendSteps('autosave', 'f'.repeat(64), [{ line: 'uname -r', savedAt: '2026-01-01T00:00:00Z', meta: (await readBack(dir)).save.meta }])).toBe(false);
  });

  it('end quietly before a line a crash left half written', async () => {
    const { dir, session } = await played(4);
    const before = snapshotOf(session);
    appendFileSync(join(dir, 'autosave.steps'), '{"n":5,"line":"sleep 30d","sav');
    const r = await readBack(dir);
    expect(r.status).toBe('ok');
    expect(JSON.stringify(r.save.payload)).toBe(before);
  });

  it('stop at a damaged line, saying so, with the game as the spells before it left it', async () => {
    const { dir } = await played(4);
    const file = join(dir, 'autosave.steps');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[3] = lines[3]!.replace('"line":"sudo nsd-control reload"', '"line":"sudo nsd-control stop"');
    writeFileSync(file, lines.join('\n'));
    const r = await readBack(dir);
    expect(r.status).toBe('recovered');
    if (r.status !== 'recovered') throw new Error('unreachable');
    expect(r.message).toMatch(/autosave\.steps: spell 3 of the log does not match its checksum.*2 of the logged spells were played/);
    const twoSpells = await played(2);
    expect(JSON.stringify(r.save.payload)).toBe(snapshotOf(twoSpells.session));
  });

  it('never replace or read a file of another kind under the log\'s name', async () => {
    const { dir, session } = await played(0);
    const mine = join(dir, 'autosave.steps');
    writeFileSync(mine, 'my notes, not a step log\n');
    await session.handle('uname -r');
    await session.handle('free -m');
    expect(readFileSync(mine, 'utf8')).toBe('my notes, not a step log\n');
    // the spells were saved whole instead
    expect(JSON.stringify((await readBack(dir)).save.payload)).toBe(snapshotOf(session));
    await new FsSaveStore({ dir, engine: ENGINE_COMPAT }).remove('autosave');
    expect(readdirSync(dir)).toEqual(['autosave.steps']);
  });

  it('logged by one store are never dropped by another that did not log them (it saves whole instead)', async () => {
    const { dir, session } = await played(3);
    const before = readFileSync(join(dir, 'autosave.steps'));
    const other = new FsSaveStore({ dir, engine: ENGINE_COMPAT });
    const r = await other.read('autosave');
    if (r.status !== 'ok') throw new Error(r.status);
    const { base } = JSON.parse(readFileSync(join(dir, 'autosave.steps'), 'utf8').split('\n')[0]!) as { base: string };
    expect(await other.appendSteps('autosave', base, [{ line: 'uname -r', savedAt: '2026-01-02T00:00:00Z', meta: r.save.meta }])).toBe(false);
    expect(readFileSync(join(dir, 'autosave.steps'))).toEqual(before);
    expect(JSON.stringify((await readBack(dir)).save.payload)).toBe(snapshotOf(session));
  });

  it('are never logged after a facilitator\'s injection, which a replay would not know of: that autosave is whole', async () => {
    const { dir, session } = await played(2);
    expect(session.inject('reload-burst').ok).toBe(true);
    await session.handle('uname -r');
    await session.handle('free -m');
    // the save written whole after the injection, and one spell logged after it
    expect(logOf(dir).steps.map((s) => s.line)).toEqual(['free -m']);
    expect(JSON.stringify((await readBack(dir)).save.payload)).toBe(snapshotOf(session));
  });

  it('go when the slot is removed', async () => {
    const { dir, store } = await played(2);
    await store.remove('autosave');
    expect(readdirSync(dir)).toEqual([]);
  });
});
