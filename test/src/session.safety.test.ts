/**
 * The play session keeps the player's games and files: a new game or an import never replaces
 * another game's save, a save from a newer grimoire is left alone, a failed autosave is told, a
 * file that is not the game's own is not replaced without --force, and a crafted save is refused
 * in words. Each of these failed before the fix.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
// the module object itself, so a test can fill the disk
import fs = require('node:fs');
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsSaveStore } from '../../src/saves/index';
import { ENGINE_COMPAT, GameSession } from '../../src/session';
import { blocksToPlainText } from '../../src/text/plain';
import { TRANSCRIPT_MARKER } from '../../src/transcript/markdown';
import { grimoire, script } from './cli.helpers';
import { mockDisk, resealSlotFile } from './saves/helpers';

afterEach(() => jest.restoreAllMocks());

function setup(autosave: string | null = 'autosave', transcriptPath: string | null = null) {
  const dir = mkdtempSync(join(tmpdir(), 'grimoire-session-'));
  const store = new FsSaveStore({ dir, engine: ENGINE_COMPAT, displayPath: (p) => `saves/${p.slice(dir.length + 1)}` });
  let tick = 0;
  const deps = { store, autosaveSlot: autosave, now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++)), transcriptPath };
  return { dir, store, deps };
}

const say = async (s: GameSession, line: string) => blocksToPlainText((await s.handle(line)).blocks);

const within = async <T>(p: Promise<T>, ms = 5000): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer after ${ms} ms: it hangs`)), ms).unref())]);

// slot files are a header line and a compressed body since format 2: resealSlotFile edits the envelope inside
const reseal = resealSlotFile;

describe('4. starting over keeps the old game', () => {
  it('a new game does not replace the saved one: it moves to a slot of its own, is announced, listed and loadable', async () => {
    const { dir, deps } = setup();
    const old = GameSession.newGame('1', 8, deps);
    old.open();
    await say(old, 'uname -r');
    await say(old, 'sleep 2h');
    const oldTime = old.result().virtualTime;
    // the old game's last autosave was stamped 2026-01-01 00:00:02
    const fresh = GameSession.newGame('1', 9, deps);
    fresh.open();
    const first = await say(fresh, 'hostname');
    expect(first).toContain('Slot "autosave" held another game (chapter 1');
    expect(first).toContain('moved to slot "autosave-20260101-000002" (load autosave-20260101-000002 brings it back)');
    // two more spells: the old game is still there, its save and the spell logged after it moved together
    await say(fresh, 'uptime');
    await say(fresh, 'free -m');
    expect(readdirSync(dir).sort()).toEqual(['autosave-20260101-000002.json', 'autosave-20260101-000002.steps', 'autosave.json', 'autosave.steps']);
    const listing = await say(fresh, 'saves');
    expect(listing).toMatch(/^autosave-20260101-000002\s+ch1/m);
    expect(await say(fresh, 'load autosave-20260101-000002')).toMatch(/Loaded "autosave-20260101-000002"/);
    expect(fresh.history()).toEqual(['uname -r', 'sleep 2h']);
    expect(fresh.result().virtualTime).toBe(oldTime);
  });

  it('the same game carrying on (a Continue) writes over its own autosave with no copies', async () => {
    const { dir, store, deps } = setup();
    const a = GameSession.newGame('1', 8, deps);
    a.open();
    await say(a, 'uname -r');
    const r = await store.read('autosave');
    if (r.status !== 'ok') throw new Error(r.status);
    const b = GameSession.fromSave(r.save, deps, 'slot "autosave"');
    b.open();
    expect(await say(b, 'uptime')).not.toMatch(/held another game/);
    expect(readdirSync(dir).sort()).toEqual(['autosave.bak.json', 'autosave.json']);
  });

  it('an import (which autosaves at once) moves the game it replaces out of the way', async () => {
    const { dir, deps } = setup();
    const exporter = GameSession.newGame('1', 5, setup(null).deps);
    exporter.open();
    await say(exporter, 'sleep 3h');
    const file = join(dir, '..', `${dir.split('/').pop()}-stuck.json`);
    expect(await say(exporter, `export ${file}`)).toMatch(/Exported/);
    const mine = GameSession.newGame('1', 8, deps);
    mine.open();
    await say(mine, 'uname -r');
    const out = await say(mine, `import ${file}`);
    expect(out).toMatch(/Imported/);
    const moved = /Slot "autosave" held another game .* moved to slot "(autosave-20260101-\d{6})"/.exec(out)?.[1];
    expect(moved).toBeDefined();
    expect(readdirSync(dir).sort()).toEqual([`${moved}.json`, 'autosave.json']);
    fs.unlinkSync(file);
  });

  it('grimoire play --seed N --save EXISTING keeps the game that was in EXISTING', () => {
    const { dir } = setup();
    const first = grimoire(['play', '1', '--seed', '5', '--script', '-', '--save', 'mine', '--saves-dir', dir], script(['sleep 1h']));
    expect(first.status).toBe(1);
    const before = readFileSync(join(dir, 'mine.json'));
    const second = grimoire(['play', '1', '--seed', '6', '--script', '-', '--save', 'mine', '--saves-dir', dir], script(['uname -r']));
    expect(second.stdout).toMatch(/Slot "mine" held another game .* moved to slot "mine-\d{8}-\d{6}"/);
    const archived = readdirSync(dir).filter((n) => /^mine-\d{8}-\d{6}\.json$/.test(n));
    expect(archived).toHaveLength(1);
    expect(readFileSync(join(dir, archived[0]!)).equals(before)).toBe(true);
    // running the same script again with the same seed is the same game: nothing new is kept
    const again = grimoire(['play', '1', '--seed', '6', '--script', '-', '--save', 'mine', '--saves-dir', dir], script(['uname -r']));
    expect(again.stdout).not.toMatch(/held another game/);
    expect(readdirSync(dir).filter((n) => n.startsWith('mine-'))).toEqual(archived);
  }, 120_000);
});

describe('5. a save this grimoire cannot read is left alone', () => {
  it('an autosave slot from a newer grimoire: never demoted or overwritten; the autosave goes elsewhere, said once', async () => {
    const { dir, deps } = setup();
    const s = GameSession.newGame('1', 8, deps);
    s.open();
    await say(s, 'uname -r');
    const file = join(dir, 'autosave.json');
    reseal(file, (env) => {
      env.formatVersion = 99;
    });
    const newer = readFileSync(file);
    const out = await say(s, 'uptime');
    expect(out).toMatch(
      /Slot "autosave" holds a file this grimoire cannot read, so it was left as it is: saves\/autosave\.json was made by a newer grimoire .* This game now autosaves to slot "autosave-20260101-\d{6}" instead\./,
    );
    for (const line of ['free -m', 'df -h', 'date']) expect(await say(s, line)).not.toMatch(/cannot read|autosave failed/);
    expect(readFileSync(file).equals(newer)).toBe(true);
    const others = readdirSync(dir).filter((n) => n !== 'autosave.json');
    for (const n of others) expect(readFileSync(join(dir, n)).equals(newer)).toBe(false);
    expect(others.filter((n) => n.endsWith('.json') && !n.endsWith('.bak.json'))).toHaveLength(1);
    expect(others.some((n) => n.includes('damaged'))).toBe(false);
  });

  it('`save NAME` over a slot it cannot read is refused and says what to do', async () => {
    const { dir, deps } = setup(null);
    writeFileSync(join(dir, 'mine.json'), '{"format": "grimoire-save", "cut off');
    const s = GameSession.newGame('1', 8, deps);
    s.open();
    expect(await say(s, 'save mine')).toMatch(/save: saves\/mine\.json is damaged .* Nothing was saved to slot "mine": the game never replaces or moves a file it cannot read\. Save under another name/);
    expect(readFileSync(join(dir, 'mine.json'), 'utf8')).toBe('{"format": "grimoire-save", "cut off');
  });
});

describe('2. a failed autosave is shown to the player', () => {
  it('a full disk: the line still runs, and its output says the autosave failed, in words', async () => {
    const { dir, deps } = setup();
    const s = GameSession.newGame('1', 8, deps);
    s.open();
    await say(s, 'uname -r');
    const before = readFileSync(join(dir, 'autosave.json'));
    mockDisk(fs, { room: 0 });
    const out = await say(s, 'hostname');
    jest.restoreAllMocks();
    expect(out).toMatch(/^auth-ns\d|\S+/);
    expect(out).toMatch(/autosave failed: could not write saves\/autosave\.(bak\.)?json: the disk is full\. The previous save in slot "autosave" was kept\./);
    expect(out).not.toMatch(/ENOSPC|\.json\.\d/);
    expect(readFileSync(join(dir, 'autosave.json')).equals(before)).toBe(true);
  });
});

describe('1. files that are not the game’s own', () => {
  it('transcript package.json and export README.md are refused and the files kept; --force replaces them', async () => {
    const { dir, deps } = setup(null);
    const pkg = join(dir, 'package.json');
    const readme = join(dir, 'README.md');
    writeFileSync(pkg, '{"name": "my-project", "version": "1.0.0", "dependencies": {}}\n');
    writeFileSync(readme, '# My project\n');
    const s = GameSession.newGame('1', 8, deps);
    s.open();
    expect(await say(s, `transcript ${pkg}`)).toBe(
      `transcript: ${pkg} already exists and is not a grimoire transcript; the game does not replace files it did not write. To replace it anyway: transcript --force ${pkg}. Nothing was written.`,
    );
    expect(await say(s, `export ${readme}`)).toMatch(/already exists and is not a grimoire export; .* To replace it anyway: export --force .*README\.md\. Nothing was written\./);
    expect(readFileSync(pkg, 'utf8')).toBe('{"name": "my-project", "version": "1.0.0", "dependencies": {}}\n');
    expect(readFileSync(readme, 'utf8')).toBe('# My project\n');
    expect(await say(s, `export --force ${readme}`)).toMatch(/Exported this game to/);
    expect(await say(s, `transcript --force ${pkg}`)).toMatch(/Transcript written to/);
    expect(readFileSync(pkg, 'utf8').split('\n')[0]).toBe(TRANSCRIPT_MARKER);
    // and now they are the game's own: no --force needed
    expect(await say(s, `transcript ${pkg}`)).toMatch(/Transcript written to/);
    expect(await say(s, `export ${readme}`)).toMatch(/Exported/);
    // bash's export is still bash's
    expect(await say(s, 'export FOO=bar')).not.toMatch(/Exported|export:/);
  });

  it('the transcript written when the session closes is refused over a foreign file, said in close()', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'grimoire-session-'));
    const notes = join(dir, 'notes.md');
    writeFileSync(notes, 'my notes\n');
    const s = GameSession.newGame('1', 8, { store: null, autosaveSlot: null, now: () => new Date(0), transcriptPath: notes });
    s.open();
    await say(s, 'uname -r');
    const closed = await s.close();
    expect(blocksToPlainText(closed.blocks)).toMatch(/transcript not written: .*notes\.md already exists and is not a grimoire transcript/);
    expect(readFileSync(notes, 'utf8')).toBe('my notes\n');
    const forced = GameSession.newGame('1', 8, { store: null, autosaveSlot: null, now: () => new Date(0), transcriptPath: notes, transcriptForce: true });
    forced.open();
    expect((await forced.close()).blocks).toEqual([]);
    expect(readFileSync(notes, 'utf8')).toMatch(/^<!-- grimoire transcript/);
  });
});

describe('9. a crafted save is refused in words, and the game goes on', () => {
  async function crafted(change: (state: Record<string, unknown>) => void): Promise<{ file: string; deps: ReturnType<typeof setup>['deps']; dir: string }> {
    const { dir, deps } = setup(null);
    const a = GameSession.newGame('1', 8, deps);
    a.open();
    await say(a, 'uname -r');
    const file = join(dir, 'crafted.json');
    await say(a, `export ${file}`);
    reseal(file, (env) => change(env.payload.state));
    return { file, deps, dir };
  }

  it('import of a save whose state.shell is 5 (checksum recomputed): "not a grimoire save it can read"', async () => {
    const { file, deps } = await crafted((state) => (state.shell = 5));
    const s = GameSession.newGame('1', 9, deps);
    s.open();
    const out = await say(s, `import ${file}`);
    expect(out).toMatch(/crafted\.json is not a grimoire save this grimoire can read: the saved game's state is not one this grimoire can restore \(state\.shell: expected object, received number\)/);
    expect(out).toMatch(/Nothing was imported\./);
    expect(out).not.toMatch(/TypeError|at .*\.ts:\d+/);
    // the game it was in goes on
    expect(s.prompt()).toMatch(/\$ $/);
    expect(await say(s, 'uname -r')).toMatch(/generic/);
  });

  it('a slot with a crafted state is listed as unreadable and not loaded', async () => {
    const { dir, deps } = setup();
    const a = GameSession.newGame('1', 8, deps);
    a.open();
    await say(a, 'uname -r');
    reseal(join(dir, 'autosave.json'), (env) => (env.payload.state.history = 'not a list'));
    const out = await say(a, 'load autosave');
    expect(out).toMatch(/autosave\.json is not a grimoire save this grimoire can read: .*state\.history/);
    expect(await say(a, 'saves')).toMatch(/not a grimoire save this grimoire can read/);
  });
});

describe('6. import of what is not a plain file answers at once', () => {
  it('import /dev/zero, and a link to it, is refused in words without reading it', async () => {
    const { dir, deps } = setup(null);
    const s = GameSession.newGame('1', 8, deps);
    s.open();
    expect(await within(say(s, 'import /dev/zero'))).toBe('/dev/zero could not be read: it is a device, not a plain file. Nothing was imported.');
    fs.symlinkSync('/dev/zero', join(dir, 'zero.json'));
    expect(await within(say(s, `import ${join(dir, 'zero.json')}`))).toMatch(/zero\.json could not be read: it is a device, not a plain file\. Nothing was imported\./);
    expect(existsSync(join(dir, 'zero.json'))).toBe(true);
  }, 20_000);
});
