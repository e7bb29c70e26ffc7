import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { blocksToPlainText } from '../../src/text/plain';
import { FsSaveStore } from '../../src/saves/index';
import { ENGINE_COMPAT, GameSession } from '../../src/session';

/** The play session: the player's files (save, load, saves, export, import, transcript) around the game. */

function setup(autosave: string | null = 'autosave') {
  const dir = mkdtempSync(join(tmpdir(), 'grimoire-session-'));
  const store = new FsSaveStore({ dir, engine: ENGINE_COMPAT });
  let tick = 0;
  const deps = { store, autosaveSlot: autosave, now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++)), transcriptPath: join(dir, 't.md') };
  return { dir, store, deps };
}

const say = async (s: GameSession, line: string) => blocksToPlainText((await s.handle(line)).blocks);

describe('play session', () => {
  it('autosaves after every spell, saves and loads named slots, and lists them', async () => {
    const { dir, store, deps } = setup();
    const s = GameSession.newGame('1', 8, deps);
    s.open();
    await say(s, 'uname -r');
    expect(existsSync(join(dir, 'autosave.json'))).toBe(true);
    expect(await say(s, 'save before-sleep')).toMatch(/Saved to slot "before-sleep"/);
    await say(s, 'sleep 2h');
    const listing = await say(s, 'saves');
    expect(listing).toMatch(/^SLOT\s+CHAPTER/m);
    expect(listing).toMatch(/before-sleep\s+ch1/);
    expect(listing).toMatch(/autosave\s+ch1/);
    const loaded = await say(s, 'load before-sleep');
    expect(loaded).toMatch(/Loaded "before-sleep"/);
    expect(s.history()).toEqual(['uname -r']);
    expect((await store.read('before-sleep')).status).toBe('ok');
  });

  it('refuses slot names that would escape the saves folder, and changes nothing', async () => {
    const { dir, deps } = setup();
    const s = GameSession.newGame('1', 8, deps);
    s.open();
    expect(await say(s, 'save ../../etc/passwd')).toMatch(/save:/);
    expect(existsSync(join(dir, '..', '..', 'etc', 'passwd.json'))).toBe(false);
    expect(await say(s, 'load autosave/../x')).toMatch(/load:/);
  });

  it('export writes one file that import brings back, to the same place in the game', async () => {
    const { dir, deps } = setup(null);
    const a = GameSession.newGame('1', 8, deps);
    a.open();
    await say(a, 'sleep 3h');
    const file = join(dir, 'stuck.json');
    expect(await say(a, `export ${file}`)).toMatch(/Exported/);
    const b = GameSession.newGame('1', 99, setup(null).deps);
    b.open();
    expect(await say(b, `import ${file}`)).toMatch(/Imported/);
    expect(b.result().virtualTime).toBe(a.result().virtualTime);
    expect(await say(b, 'date')).toBe(await say(a, 'date'));
  });

  it('a damaged import is reported by name and the current game goes on', async () => {
    const { dir, deps } = setup(null);
    const s = GameSession.newGame('1', 8, deps);
    s.open();
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{"format": "grimoire-export", "trunc');
    expect(await say(s, `import ${file}`)).toMatch(/bad\.json/);
    expect(await say(s, 'uname -r')).toMatch(/3\.16\.0-30-generic/);
  });

  it('bash export still works, and quit ends the session with a transcript', async () => {
    const { deps } = setup(null);
    const s = GameSession.newGame('1', 8, deps);
    s.open();
    expect(await say(s, 'export FOO=bar')).not.toMatch(/Exported|export:/);
    expect(await say(s, 'echo $FOO')).toMatch(/^bar$/m);
    const out = await s.handle('quit');
    expect(out.quit).toBe(true);
    await s.close();
    const md = readFileSync(deps.transcriptPath!, 'utf8');
    expect(md).toMatch(/\$ echo \$FOO/);
    expect(md).toMatch(/bar/);
  });
});

describe('a program holding the terminal', () => {
  it('exit inside the mongo shell leaves the shell, not the game; a slot saved inside it loads back inside it', async () => {
    const { deps } = setup(null);
    const s = GameSession.newGame('3', 4, deps);
    s.open();
    await say(s, 'mongo --quiet');
    expect(s.prompt()).toBe('rs0:SECONDARY> ');
    expect(await say(s, 'save in-shell')).toMatch(/Saved to slot "in-shell"/);
    const out = await s.handle('exit');
    expect(out.quit).toBeFalsy();
    expect(blocksToPlainText(out.blocks)).toBe('');
    expect(s.prompt()).toBe('ops@db-2:~$ ');
    expect(await say(s, 'load in-shell')).toMatch(/Loaded "in-shell"/);
    expect(s.prompt()).toBe('rs0:SECONDARY> ');
    expect(await say(s, 'db.getName()')).toBe('test');
    expect((await s.handle('exit')).quit).toBeFalsy();
    expect((await s.handle('exit')).quit).toBe(true);
  });
});
