import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { FsSaveStore } from '../../src/saves/index';
import type { SaveInput, WriteOptions, WriteReport } from '../../src/saves/store';
import type { LoggedStep } from '../../src/saves/stepLog';
import { runScript } from '../../src/script';
import { AUTOSAVE_DEFER_MS, ENGINE_COMPAT, GameSession } from '../../src/session';

/**
 * Autosaves while more input is waiting (script mode reading a file or a pipe) are put off and
 * made together, at most AUTOSAVE_DEFER_MS apart; whenever the game would wait for input, at a
 * quit, before a load, and at close, everything so far is on disk.
 */

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/**
 * An FsSaveStore that counts its saves and how many lines of input each one held: a save written
 * whole, or spells logged after one (SaveStore.appendSteps), which a read plays again.
 */
class CountingStore extends FsSaveStore {
  writes: { slot: string; lines: number }[] = [];
  override async write(slot: string, save: SaveInput, opts?: WriteOptions): Promise<WriteReport> {
    this.writes.push({ slot, lines: save.history.length });
    return super.write(slot, save, opts);
  }
  override async appendSteps(slot: string, base: string, steps: readonly LoggedStep[]): Promise<boolean> {
    const done = await super.appendSteps(slot, base, steps);
    const before = this.writes[this.writes.length - 1]?.lines ?? 0;
    if (done) this.writes.push({ slot, lines: before + steps.length });
    return done;
  }
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'grimoire-autosave-'));
  dirs.push(dir);
  const store = new CountingStore({ dir, engine: ENGINE_COMPAT });
  const deps = { store, autosaveSlot: 'autosave', now: () => new Date(Date.UTC(2026, 0, 1)), transcriptPath: null };
  return { store, deps };
}

async function savedLines(store: FsSaveStore): Promise<number> {
  const r = await store.read('autosave');
  if (r.status !== 'ok') throw new Error(r.status);
  return r.save.history.length;
}

describe('autosaves put off while input is waiting', () => {
  it('a line with nothing queued after it is saved at once, as every line always was', async () => {
    const { store, deps } = setup();
    const s = GameSession.newGame('1', 8, deps);
    s.open();
    for (const line of ['uname -r', 'whoami', 'hostname']) await s.handle(line);
    expect(store.writes.map((w) => w.lines)).toEqual([1, 2, 3]);
  });

  it('queued lines share a save; the next line the game waits after writes everything so far', async () => {
    const { store, deps } = setup();
    const s = GameSession.newGame('1', 8, deps);
    s.open();
    const started = performance.now(); // the window runs from the start of the first save
    await s.handle('uname -r', { moreQueued: true }); // nothing saved yet in this session: saved now
    await s.handle('whoami', { moreQueued: true });
    await s.handle('hostname', { moreQueued: true });
    // (on a machine so slow that the three lines took longer than the window, the second save is due)
    if (performance.now() - started < AUTOSAVE_DEFER_MS) {
      expect(store.writes.map((w) => w.lines)).toEqual([1]);
      expect(await savedLines(store)).toBe(1);
    }
    await s.handle('date');
    expect(store.writes[store.writes.length - 1]!.lines).toBe(4);
    expect(await savedLines(store)).toBe(4);
  });

  it('close() and quit write a save that was put off', async () => {
    const a = setup();
    const s = GameSession.newGame('1', 8, a.deps);
    s.open();
    await s.handle('uname -r', { moreQueued: true });
    await s.handle('whoami', { moreQueued: true });
    await s.close();
    expect(await savedLines(a.store)).toBe(2);

    const b = setup();
    const t = GameSession.newGame('1', 8, b.deps);
    t.open();
    await t.handle('uname -r', { moreQueued: true });
    await t.handle('whoami', { moreQueued: true });
    expect((await t.handle('quit', { moreQueued: true })).quit).toBe(true);
    expect(await savedLines(b.store)).toBe(2);
  });

  it('a put-off save is written before a load replaces the game', async () => {
    const { store, deps } = setup();
    const s = GameSession.newGame('1', 8, deps);
    s.open();
    await s.handle('uname -r');
    await s.handle('save mine');
    await s.handle('whoami', { moreQueued: true });
    await s.handle('hostname', { moreQueued: true });
    await s.handle('load mine');
    expect(await savedLines(store)).toBe(3);
  });

  it('script mode: a script read at once costs a few saves, not one per line, and ends with every line saved', async () => {
    const { store, deps } = setup();
    const s = GameSession.newGame('1', 8, deps);
    const input = new PassThrough();
    input.end(Array.from({ length: 60 }, (_, i) => (i % 2 ? 'uname -r' : 'whoami')).join('\n') + '\n');
    const sink = new Writable({ write: (_c, _e, done) => done() });
    await runScript(s, input, sink, { json: true, showOpening: false });
    expect(await savedLines(store)).toBe(60);
    expect(store.writes.length).toBeLessThan(60);
  });
});
