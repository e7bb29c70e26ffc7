/**
 * The check a saved game's state passes before Game.restore accepts it: every real state passes,
 * a state whoever recomputed the checksum filled with something else is refused with a RangeError
 * that says where, and restoring never gets as far as a raw JavaScript error.
 */
import { registerChapter } from '../../engine/chapters/registry';
import { createGame, restoreGame, validateSavedGame, type SavedGame } from '../../engine/index';
import type { MachineWorld } from '../../engine/machine/world';
import { WORLD_TOP_LEVEL } from '../../engine/stateSchema';
import { stubChapter } from '../fixtures/stub-chapter';

type Obj = Record<string, unknown>;

function played(): SavedGame {
  const g = createGame('1', 42);
  g.start();
  for (const line of ['uname -r', 'cd /var/log', 'X=1', 'talk', 'hint', 'sleep 2h']) g.step(line);
  return g.snapshot();
}

const base = played();

function withState(change: (state: Obj) => void): SavedGame {
  const state = JSON.parse(JSON.stringify(base.state)) as Obj;
  change(state);
  return { ...base, state: state as SavedGame['state'] };
}

describe('validateSavedGame', () => {
  it('accepts every state the engine itself writes: a new game, a played one, a restored one', () => {
    const fresh = createGame('1', 7).snapshot();
    expect(() => validateSavedGame(fresh)).not.toThrow();
    expect(() => validateSavedGame(base)).not.toThrow();
    const again = restoreGame(base);
    again.step('ls');
    expect(() => validateSavedGame(again.snapshot())).not.toThrow();
  });

  it('is cheap: the world is looked at only at its top level', () => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < 20; i++) validateSavedGame(base);
    const ms = Number(process.hrtime.bigint() - started) / 1e6 / 20;
    // the state is ~300 kB of JSON; parsing it alone takes longer than this check
    expect(ms).toBeLessThan(25);
  });

  const bad: [string, (s: Obj) => void, RegExp][] = [
    ['shell is a number', (s) => (s.shell = 5), /state\.shell: expected object, received number/],
    ['shell.cwd missing', (s) => delete (s.shell as Obj).cwd, /state\.shell\.cwd/],
    ['shell.cwd relative', (s) => ((s.shell as Obj).cwd = 'home/ops'), /state\.shell\.cwd/],
    ['an unknown top-level key', (s) => (s.cheat = true), /Unrecognized key: "cheat"/],
    ['history holds a number', (s) => ((s.history as unknown[])[0] = 3), /state\.history\.0/],
    ['hintLevel negative', (s) => (s.hintLevel = -1), /state\.hintLevel/],
    ['a stream with three words', (s) => ((s.streams as Obj).spells = [1, 2, 3]), /state\.streams\.spells/],
    ['the world is null', (s) => (s.world = null), /state\.world/],
    ['the world has no process table', (s) => delete (s.world as Obj).k, /state\.world\.k/],
    ['the world clock is text', (s) => ((s.world as Obj).now = 'soon'), /state\.world\.now/],
    ['the flow is a string', (s) => (s.flow = 'solved'), /state\.flow/],
    ['progress without clues', (s) => delete (s.progress as Obj).clues, /state\.progress\.clues/],
    ['journal entry without text', (s) => (s.journal = [{ id: 'x', at: 1 }]), /state\.journal\.0\.text/],
  ];

  it.each(bad)('%s: a RangeError that says where', (_label, change, where) => {
    const saved = withState(change);
    let caught: unknown;
    try {
      validateSavedGame(saved);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(RangeError);
    expect((caught as Error).message).toMatch(/^the saved game's state is not one this grimoire can restore \(/);
    expect((caught as Error).message).toMatch(where);
  });

  it('a state that is not an object at all is refused', () => {
    for (const state of [[], null, 'state', 7]) {
      expect(() => validateSavedGame({ ...base, state: state as SavedGame['state'] })).toThrow(/^the saved game's state is not one this grimoire can restore \(state: expected object/);
    }
  });

  it('a state of another chapter or seed than its save says is refused', () => {
    expect(() => validateSavedGame({ ...base, seed: 43 })).toThrow(/has seed 42, but the save says seed 43/);
    expect(() => validateSavedGame({ ...base, state: { ...(base.state as Obj), chapter: '2' } as SavedGame['state'] })).toThrow(/for chapter "2"/);
  });
});

describe('Game.restore', () => {
  it('refuses `"shell": 5` with a RangeError before any game exists (it used to crash the front end later)', () => {
    const saved = withState((s) => (s.shell = 5));
    expect(() => restoreGame(saved)).toThrow(RangeError);
    expect(() => restoreGame(saved)).toThrow(/state\.shell/);
  });

  it('turns whatever else building the game throws into a RangeError with the reason', () => {
    // passes the shape check, but ink cannot read it
    const saved = withState((s) => (s.story = '{"not": "an ink state"'));
    let caught: unknown;
    try {
      restoreGame(saved);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(RangeError);
    expect((caught as Error).message).toBe('this game could not be restored: what the save holds could not be rebuilt into a running game');
    expect((caught as Error).cause).toBeInstanceOf(Error);
  });

  it('still restores a real save exactly', () => {
    const g = restoreGame(base);
    expect(g.history()).toEqual(['uname -r', 'cd /var/log', 'X=1', 'talk', 'hint', 'sleep 2h']);
    expect(g.prompt()).toMatch(/:\/var\/log\$ $/);
  });
});

describe('WORLD_TOP_LEVEL', () => {
  it('is the top level of MachineWorld: what two chapters built on the machine have in common', () => {
    // MachineWorld is an interface (gone at run time), so compare with two real worlds: chapter 1's
    // and the stub chapter's, which share the machine's fields and nothing else
    registerChapter(stubChapter);
    const keys = (chapter: string) => Object.keys((createGame(chapter, 3).snapshot().state as Obj).world as Obj);
    const ch1 = keys('1');
    const stub = new Set(keys('stub'));
    const shared = ch1.filter((k) => stub.has(k)).sort();
    const required = Object.entries(WORLD_TOP_LEVEL)
      .filter(([, schema]) => !schema.safeParse(undefined).success)
      .map(([k]) => k)
      .sort();
    expect(shared).toEqual(required);
    // and the optional ones are MachineWorld's too (a compile-time check, should tests be type-checked)
    const listed: readonly (keyof MachineWorld)[] = Object.keys(WORLD_TOP_LEVEL) as (keyof typeof WORLD_TOP_LEVEL)[];
    expect(listed).toContain('logoutExpected');
  });
});
