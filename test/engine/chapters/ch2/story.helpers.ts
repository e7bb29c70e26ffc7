import * as path from 'node:path';
import {
  CLUE_IDS,
  type Ch2Externals,
  type ClueId,
  type FixKind,
  type WrongFixKind,
} from '../../../../engine/chapters/ch2/storyContract';
import { STORY_DIR } from '../../../helpers/inkCompiler';
import { isFound, storyHarness, type FoundClues } from '../storyHarness';

export { UNRESOLVED, textOf, type Exploration } from '../storyHarness';

export const CH2_INK = path.join(STORY_DIR, 'ch2.ink');

/**
 * A stand-in for the chapter's simulation. Sentinel values are distinctive (no 40 ms delayed ACK,
 * no round latencies), so a test can tell numbers the story read from numbers it made up.
 */
export interface FakeWorld {
  found: FoundClues<ClueId>;
  fixKind: FixKind;
  wrongFixKind: WrongFixKind;
  hintsUsed: number;
  spellsCast: number;
  hostname: string;
  p50Ms: string;
  p99Ms: string;
  publishesSeen: number;
  delackMs: number;
  minutesToSolve: number;
}

export const DEFAULT_WORLD: FakeWorld = {
  found: 'none',
  fixKind: 'none',
  wrongFixKind: 'none',
  hintsUsed: 13,
  spellsCast: 271,
  hostname: 'webfake',
  p50Ms: '43.97',
  p99Ms: '44.13',
  publishesSeen: 8261,
  delackMs: 37,
  minutesToSolve: 53,
};

export function world(over: Partial<FakeWorld> = {}): FakeWorld {
  return { ...DEFAULT_WORLD, ...over };
}

const harness = storyHarness<FakeWorld>({
  ink: CH2_INK,
  defaultWorld: DEFAULT_WORLD,
  externals: (w) => {
    const ext: Ch2Externals = {
      found: (id) => isFound(w.found, id),
      fix_kind: () => w.fixKind,
      wrong_fix_kind: () => w.wrongFixKind,
      hints_used: () => w.hintsUsed,
      spells_cast: () => w.spellsCast,
      hostname: () => w.hostname,
      p50_ms: () => w.p50Ms,
      p99_ms: () => w.p99Ms,
      publishes_seen: () => w.publishesSeen,
      delack_ms: () => w.delackMs,
      minutes_to_solve: () => w.minutesToSolve,
    };
    return ext;
  },
  // "tcp_nodelay: true" is a config line the story quotes, not a boolean that leaked
  playerText: (text) => text.replace(/\b(tcp_nodelay|single_write): true\b/g, '$1: on'),
});

/** story/ch2.ink compiled through the build's own compiler path (once per test file). */
export const ch2 = harness.compiled;
export const { fakeExternals, runner, runKnot, explore, assertClean } = harness;

export const ALL_CLUES: ReadonlySet<ClueId> = new Set(CLUE_IDS);
