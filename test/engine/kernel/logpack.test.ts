/**
 * The log store as a save keeps it (engine/kernel/logpack.ts): packing and unpacking give back
 * the very same store, key order and every bit of every float included, for a store a real game
 * built and for shapes the packing does not know; and a game saved and loaded prints its logs
 * exactly as before.
 */
import { blocksToPlainText } from '../../../src/text/plain';
import { createGame, restoreGame, type GameHandle } from '../../../engine/index';
import { updateTimes, unpackCh1World } from '../../../engine/chapters/ch1/savedWorld';
import { isPackedLogs, packLogs, unpackLogs, type RunTriggers } from '../../../engine/kernel/logpack';
import type { LogState } from '../../../engine/kernel/types';
import type { Json } from '../../../engine/types';

type Obj = Record<string, unknown>;

const through = (logs: LogState, triggers?: RunTriggers): LogState => unpackLogs(JSON.parse(JSON.stringify(packLogs(logs, triggers))) as Json, triggers);

/** the live world of a game as restore rebuilds it from the save, and the update times its save is packed against */
function live(g: GameHandle): { logs: LogState; triggers: RunTriggers } {
  const state = g.snapshot().state as { world: Json; streams: { [name: string]: Json } };
  const world = unpackCh1World(JSON.parse(JSON.stringify(state.world)) as Json, state.streams) as unknown as { logs: LogState };
  return { logs: world.logs, triggers: updateTimes(world as unknown as Json, state.streams) };
}

/** letters of the packed runs' gaps that are not "as the triggers say" */
function surprises(packed: Json): { letters: number; surprising: number } {
  const diffs = ((packed as { runs: { byTriggers: { diffs: string[] } } }).runs.byTriggers.diffs ?? []).join('');
  return { letters: diffs.length, surprising: diffs.replace(/A/g, '').length };
}

describe('a week of a real game', () => {
  const g = createGame('1', 42);
  g.start();
  g.step('sleep 1d');
  g.step('repeat 100 sudo nsd-control reload');
  g.step('sleep 2d');
  const { logs, triggers } = live(g);

  it('has what the packing is for: reports, task rows, bulk runs, syslog records, xfrd commits', () => {
    expect(Object.keys(logs.reports).length).toBeGreaterThan(100);
    expect(Object.keys(logs.runs ?? {}).length).toBeGreaterThan(10);
    expect(Object.keys(logs.rows ?? {}).length).toBeGreaterThan(10);
    expect(logs.syslog.length).toBeGreaterThanOrEqual(1000);
    expect(logs.compact.length).toBeGreaterThan(100);
    const saved = (g.snapshot().state as Obj).world as Obj;
    expect((saved.logs as { packed: { fields: string[] } }).packed.fields).toEqual(['reports', 'syslog', 'compact', 'compact1', 'runs', 'rows']);
  });

  it('comes back exactly: the same JSON text, keys in the same order, with the update times and without', () => {
    expect(JSON.stringify(through(logs, triggers))).toBe(JSON.stringify(logs));
    expect(through(logs, triggers)).toEqual(logs);
    expect(JSON.stringify(through(logs))).toBe(JSON.stringify(logs));
  });

  it('keeps a bulk reload the primary\'s updates explain as one letter, and nine in ten or more are', () => {
    const { letters, surprising } = surprises(packLogs(logs, triggers));
    const reloads = Object.values(logs.runs ?? {}).reduce((n, r) => n + r.n - 1, 0);
    expect(letters).toBe(reloads);
    expect(reloads).toBeGreaterThan(10_000);
    // the player's own reloads (repeat 100) are the ones the updates do not explain
    expect(surprising).toBeLessThan(reloads / 10);
    // xfrd's commit records are the updates' own moments: steps along them, nothing kept as it was but the first
    const compact = (packLogs(logs, triggers) as { compact: { t: { steps: number[]; kept: number[] } } }).compact.t;
    expect(compact.steps.filter((s) => s !== 1).length).toBeLessThan(compact.steps.length / 100);
    expect(compact.kept.length).toBeLessThan(10);
  });

  it('packs the same store to the same form every time (a save and the save of its restored game match)', () => {
    expect(JSON.stringify(packLogs(through(logs, triggers), triggers))).toBe(JSON.stringify(packLogs(logs, triggers)));
    expect(JSON.stringify(restoreGame(g.snapshot()).snapshot())).toBe(JSON.stringify(g.snapshot()));
  });

  it('will not read the times against other triggers than it was packed with, saying so', () => {
    const packed = JSON.parse(JSON.stringify(packLogs(logs, triggers))) as Json;
    expect(() => unpackLogs(packed)).toThrow(RangeError);
    expect(() => unpackLogs(packed, { model: 'another', times: triggers.times })).toThrow(/kept against ch1 primary updates 1, which this engine cannot work out/);
    const moved: RunTriggers = { model: triggers.model, times: (from) => triggers.times(from).map((t) => t + 1) };
    expect(() => unpackLogs(packed, moved)).toThrow(/do not come back as they were saved/);
  });

  it('shares nothing with the live store', () => {
    const packed = packLogs(logs, triggers) as Obj;
    const before = JSON.stringify(logs);
    const runs = packed.runs as { offsets: number[][] };
    expect(runs.offsets.length).toBeGreaterThan(0);
    runs.offsets[0]![0] = -1;
    (packed.rotations as number[]).push(1);
    expect(JSON.stringify(logs)).toBe(before);
  });

  it('reads back a store that shares nothing with its saved form, and leaves that as it was', () => {
    const packed = packLogs(logs, triggers) as Obj;
    const before = JSON.stringify(packed);
    const live = unpackLogs(packed as Json, triggers) as unknown as Record<string, unknown>;
    // everything the live store holds is its own: changing it all leaves the save as it was
    const scribble = (v: unknown): void => {
      if (Array.isArray(v)) {
        v.forEach(scribble);
        v.push(0);
      } else if (typeof v === 'object' && v !== null) {
        for (const k of Object.keys(v)) scribble((v as Record<string, unknown>)[k]);
        (v as Record<string, unknown>).scribbled = true;
      }
    };
    scribble(live);
    expect(JSON.stringify(packed)).toBe(before);
  });
});

describe('a game saved again later', () => {
  it('is packed the same as the same game saved for the first time (what packing kept from earlier saves changes nothing)', () => {
    const twins = [createGame('1', 9), createGame('1', 9)];
    const lines = [['sleep 1d', 'repeat 30 sudo nsd-control reload'], ['sleep 6h', 'repeat 10 sudo nsd-control reload', 'sleep 1h']];
    for (const g of twins) {
      g.start();
      for (const line of lines[0]!) g.step(line);
    }
    // only the first twin was saved before: its closed runs are packed from what that save kept
    twins[0]!.snapshot();
    for (const g of twins) for (const line of lines[1]!) g.step(line);
    const again = JSON.stringify(twins[0]!.snapshot());
    expect(again).toBe(JSON.stringify(twins[1]!.snapshot()));
    expect(JSON.stringify(restoreGame(JSON.parse(again) as ReturnType<GameHandle['snapshot']>).snapshot())).toBe(again);
    // a loaded game packs what loading kept; played on, it packs as a store packed for the first time
    const loaded = restoreGame(JSON.parse(again) as ReturnType<GameHandle['snapshot']>);
    loaded.step('repeat 5 sudo nsd-control reload');
    loaded.step('sleep 3h');
    const { logs, triggers } = live(loaded);
    const first = packLogs(JSON.parse(JSON.stringify(logs)) as LogState, triggers);
    expect(JSON.stringify(((loaded.snapshot().state as Obj).world as Obj).logs)).toBe(JSON.stringify(first));
  });
  it('is packed the same when saved after every line, each save carrying the last one\'s trigger index over, as its twin saved once', () => {
    const twins = [createGame('1', 12), createGame('1', 12)];
    const lines = ['sudo nsd-control reload', 'sleep 20m', 'repeat 3 sudo nsd-control reload', 'sleep 2h', 'sudo nsd-control reload', 'sleep 1d', 'sleep 30s'];
    for (const g of twins) g.start();
    const everyLine: string[] = [];
    for (const line of lines) {
      for (const g of twins) g.step(line);
      everyLine.push(JSON.stringify(twins[0]!.snapshot()));
    }
    // the twin saved only now packs against an index built afresh
    expect(everyLine[everyLine.length - 1]).toBe(JSON.stringify(twins[1]!.snapshot()));
    // and each save along the way reads back to a game that saves the same again
    for (const text of everyLine) expect(JSON.stringify(restoreGame(JSON.parse(text) as ReturnType<GameHandle['snapshot']>).snapshot())).toBe(text);
  });
});

describe('shapes the packing does not know', () => {
  const base: LogState = {
    syslogUp: true,
    reports: {},
    nextReport: 1,
    kmsg: [],
    kmsgBytes: 0,
    syslog: [],
    syslogLines: 0,
    syslog1: [],
    compact: [],
    compactT0: 0,
    compactLast: 0,
    compact1: [],
    compact1T0: 0,
    nextRotate: 0,
  };

  it('keeps an empty store as it is, with no optional fields invented', () => {
    expect(JSON.stringify(through(base))).toBe(JSON.stringify(base));
    expect(isPackedLogs(packLogs(base))).toBe(true);
  });

  it('keeps floats no time grid holds, negative ids and an unknown record kind exactly', () => {
    const logs: LogState = {
      ...base,
      syslog: [
        { kind: 'line', time: 0.1 + 0.2, tag: 'cron', pid: 12, text: 'a' },
        { kind: 'oom', time: 1426468031040.25, sinceBootMs: 1e-9, id: -3 },
        { kind: 'oomrun', time: 1426468031041, run: 2 },
      ],
      syslog1: [{ kind: 'line', time: 5, tag: 'x', pid: 1, text: 'b', extra: true } as never],
      compact: [0.5, 650, 0, 79738, 10805, 650, 1, 11116],
      reports: { 7: { refs: 1, p: ['nsd', 1.5, 'x'], rows: [4, 5, 6, 9] }, 9: { refs: 2, trigger: 'old shape' } as never },
      rows: { 4: { v: [1, 0, 8410, 800, 8, 0, -17], name: 'init', refs: 1 } },
    };
    const back = through(logs);
    expect(JSON.stringify(back)).toBe(JSON.stringify(logs));
    const packed = packLogs(logs) as { packed: { fields: string[] } };
    // the syslog list with the unknown record and the reports with the old shape stay lists of records
    expect(packed.packed.fields).toEqual(['syslog', 'compact', 'rows']);
  });

  it('keeps numbers whose differences are too big to write as digits, and a column that turns out not to be numbers after one', () => {
    const line = (pid: unknown, t: number) => ({ kind: 'line', time: t, tag: 'x', pid, text: 'a' }) as never;
    const logs: LogState = {
      ...base,
      syslog: [line(7, 1), line(2 ** 52, 2), line(5, 3), line(-(2 ** 52), 4)],
      syslog1: [line(7, 1), line(2 ** 52, 2), line('x', 3)],
    };
    expect(JSON.stringify(through(logs))).toBe(JSON.stringify(logs));
  });

  it('reads a store that was never packed as it is, into a copy (a save from before packing, once migrated, is packed)', () => {
    const read = unpackLogs(base as unknown as Json);
    expect(read).toStrictEqual(base);
    expect(read).not.toBe(base);
  });

  it('refuses a layout it does not know, saying so', () => {
    const packed = packLogs(base) as Obj;
    (packed.packed as Obj).v = 99;
    expect(() => unpackLogs(packed as Json)).toThrow(/packed in layout 99; this engine reads layout 1/);
  });
});

describe('a game saved and loaded reads its logs as before', () => {
  // reading a day of full-volume logs takes a while on a busy machine: one seed
  const SPELLS = ['cat /var/log/syslog | wc -c', 'dmesg | tail', 'sudo grep -c Killed /var/log/kern.log', 'dmesg | grep -c Killed'];

  it.each([7])('seed %i', (seed) => {
    const g = createGame('1', seed);
    g.start();
    g.step('sleep 1d');
    g.step('repeat 50 sudo nsd-control reload');
    const restored = restoreGame(JSON.parse(JSON.stringify(g.snapshot())));
    for (const spell of SPELLS) {
      const want = blocksToPlainText(g.step(spell));
      expect(want).not.toMatch(/command not found|No such file/);
      expect(blocksToPlainText(restored.step(spell))).toBe(want);
    }
    // kern.log has grown past what grep can hold (it says so, alike in both); the ring buffer has the kills
    expect(Number(blocksToPlainText(g.step('dmesg | grep -c Killed')).trim())).toBeGreaterThan(0);
  });
});
