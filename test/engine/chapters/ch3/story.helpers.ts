import * as path from 'node:path';
import {
  CLUE_IDS,
  type Ch3Externals,
  type ClueId,
  type FixKind,
  type WrongFixKind,
} from '../../../../engine/chapters/ch3/storyContract';
import { STORY_DIR } from '../../../helpers/inkCompiler';
import { isFound, storyHarness, type FoundClues } from '../storyHarness';

export { UNRESOLVED, textOf, type Exploration } from '../storyHarness';

export const CH3_INK = path.join(STORY_DIR, 'ch3.ink');

/**
 * A stand-in for the chapter's simulation. Sentinel values are distinctive (not the talk's
 * -286331154, not round numbers, not the scenario's own ids), so a test can tell numbers the story
 * read from numbers it made up.
 */
export interface FakeWorld {
  found: FoundClues<ClueId>;
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

const harness = storyHarness<FakeWorld>({
  ink: CH3_INK,
  defaultWorld: DEFAULT_WORLD,
  externals: (w) => {
    const ext: Ch3Externals = {
      found: (id) => isFound(w.found, id),
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
    return ext;
  },
  // a command in backticks is the player's syntax: mongo's JavaScript has braces of its own
  playerText: (text) => text.replace(/`[^`]*`/g, '`cmd`'),
});

/** story/ch3.ink compiled through the build's own compiler path (once per test file). */
export const ch3 = harness.compiled;
export const { fakeExternals, runner, runKnot, explore, assertClean } = harness;

export const ALL_CLUES: ReadonlySet<ClueId> = new Set(CLUE_IDS);
