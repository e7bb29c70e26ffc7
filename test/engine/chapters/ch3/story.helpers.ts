import * as path from 'node:path';
import { InkRunner, type ExternalFunction, type InkLine, type InkOutput } from '../../../../engine/story/inkRunner';
import {
  CLUE_IDS,
  type Ch3Externals,
  type ClueId,
  type FixKind,
  type WrongFixKind,
} from '../../../../engine/chapters/ch3/storyContract';
import { STORY_DIR, compiler } from '../../../helpers/inkCompiler';

export const CH3_INK = path.join(STORY_DIR, 'ch3.ink');

let ch3Json: string | undefined;
/** story/ch3.ink compiled through the build's own compiler path (once per test file). */
export function ch3(): string {
  if (ch3Json === undefined) {
    const r = compiler.compileInk(CH3_INK);
    if (r.json === null || r.messages.length > 0) throw new Error(`ch3.ink does not compile:\n${r.messages.join('\n')}`);
    ch3Json = r.json;
  }
  return ch3Json;
}

/**
 * A stand-in for the chapter's simulation. Sentinel values are distinctive (not the talk's
 * -286331154, not round numbers, not the scenario's own ids), so a test can tell numbers the story
 * read from numbers it made up.
 */
export interface FakeWorld {
  found: ReadonlySet<ClueId> | 'all' | 'none';
  fixKind: FixKind;
  wrongFixKind: WrongFixKind;
  hintsUsed: number;
  spellsCast: number;
  hostname: string;
  lagSeconds: number;
  oplogHours: number;
  cleanNights: number;
  nightsNeeded: number;
  badSize: string;
  firstElement: string;
  dataVolume: string;
  lastSnapshot: string;
  minutesToSolve: number;
}

export const DEFAULT_WORLD: FakeWorld = {
  found: 'none',
  fixKind: 'none',
  wrongFixKind: 'none',
  hintsUsed: 13,
  spellsCast: 271,
  hostname: 'dbfake',
  lagSeconds: 4417,
  oplogHours: 37,
  cleanNights: 2,
  nightsNeeded: 3,
  badSize: '-572662307',
  firstElement: 'ags: ?type=116',
  dataVolume: 'vol-fa1ce0ff',
  lastSnapshot: 'snap-beef5eed',
  minutesToSolve: 53,
};

export function world(over: Partial<FakeWorld> = {}): FakeWorld {
  return { ...DEFAULT_WORLD, ...over };
}

/** Pure, read-only externals over a fake world, typed against the contract. */
export function fakeExternals(w: FakeWorld, calls?: { name: string; args: unknown[] }[]): Record<string, ExternalFunction> {
  const isFound = (id: ClueId): boolean => (w.found === 'all' ? true : w.found === 'none' ? false : w.found.has(id));
  const ext: Ch3Externals = {
    found: (id) => isFound(id),
    fix_kind: () => w.fixKind,
    wrong_fix_kind: () => w.wrongFixKind,
    hints_used: () => w.hintsUsed,
    spells_cast: () => w.spellsCast,
    hostname: () => w.hostname,
    lag_seconds: () => w.lagSeconds,
    oplog_hours: () => w.oplogHours,
    clean_nights: () => w.cleanNights,
    nights_needed: () => w.nightsNeeded,
    bad_size: () => w.badSize,
    first_element: () => w.firstElement,
    data_volume: () => w.dataVolume,
    last_snapshot: () => w.lastSnapshot,
    minutes_to_solve: () => w.minutesToSolve,
  };
  const out: Record<string, ExternalFunction> = {};
  for (const [name, fn] of Object.entries(ext) as [string, (...a: unknown[]) => unknown][]) {
    out[name] = (...args: unknown[]) => {
      calls?.push({ name, args });
      return fn(...args);
    };
  }
  return Object.freeze(out);
}

export function runner(w: FakeWorld = DEFAULT_WORLD, savedState?: string): InkRunner {
  return new InkRunner(ch3(), fakeExternals(w), savedState);
}

export function runKnot(knot: string, w: FakeWorld = DEFAULT_WORLD, setup?: (r: InkRunner) => void): InkOutput {
  const r = runner(w);
  setup?.(r);
  return r.run(knot);
}

export function textOf(out: InkOutput): string {
  return out.lines.map((l) => l.text).join('\n');
}

export interface Exploration {
  lines: InkLine[];
  /** every choice text that was offered */
  offered: Set<string>;
  /** every choice text that was taken at least once */
  taken: Set<string>;
}

/**
 * Walks a conversation: from the knot, takes every choice text at least once, restoring the
 * saved state at each branch point (so this also exercises save/restore).
 */
export function explore(knot: string, w: FakeWorld, fromState?: string): Exploration {
  const json = ch3();
  const ext = fakeExternals(w);
  const first = new InkRunner(json, ext, fromState);
  const start = first.run(knot);
  const lines = [...start.lines];
  const offered = new Set<string>();
  const taken = new Set<string>();
  const stack: { state: string; out: InkOutput }[] = [{ state: first.saveState(), out: start }];
  let steps = 0;
  while (stack.length > 0) {
    const { state, out } = stack.pop()!;
    for (const c of out.choices) {
      offered.add(c.text);
      if (taken.has(c.text)) continue;
      taken.add(c.text);
      if (++steps > 500) throw new Error('conversation exploration does not terminate');
      const r = new InkRunner(json, ext, state);
      const next = r.choose(c.index);
      lines.push(...next.lines);
      if (next.choices.length > 0) stack.push({ state: r.saveState(), out: next });
    }
  }
  return { lines, offered, taken };
}

/** Things that must never reach a player: ink syntax, JS leftovers, raw booleans. */
export const UNRESOLVED = /[{}]|->|<>|\bundefined\b|\bnull\b|\bNaN\b|\[object|\btrue\b|\bfalse\b|RUNTIME|^\s*$/;

export function assertClean(lines: readonly InkLine[], label: string): void {
  expect(lines.length).toBeGreaterThan(0);
  for (const l of lines) {
    // a command in backticks is the player's syntax: mongo's JavaScript has braces of its own
    const text = l.text.replace(/`[^`]*`/g, '`cmd`');
    if (UNRESOLVED.test(text)) throw new Error(`${label}: unresolved text in line: ${JSON.stringify(l.text)}`);
  }
}

export const ALL_CLUES: ReadonlySet<ClueId> = new Set(CLUE_IDS);
