import {
  CLUE_IDS,
  type Ch1Externals,
  type ClueId,
  type FixKind,
  type WrongFixKind,
} from '../../../../engine/chapters/ch1/storyContract';
import { CH1_INK } from '../../../helpers/inkCompiler';
import { isFound, storyHarness, type FoundClues } from '../storyHarness';

export { UNRESOLVED, textOf, type Exploration } from '../storyHarness';

export { CH1_INK };

/** Sentinel values: distinctive, so a test can tell numbers the story read from numbers it made up. */
export interface FakeWorld {
  found: FoundClues<ClueId>;
  fixKind: FixKind;
  wrongFixKind: WrongFixKind;
  hintsUsed: number;
  spellsCast: number;
  oomKillsSeen: number;
  peakSunreclaimMb: number;
  sunreclaimMb: number;
  daysToSolve: number;
  nsdVersion: string;
  kernelRelease: string;
  hostname: string;
}

export const DEFAULT_WORLD: FakeWorld = {
  found: 'none',
  fixKind: 'none',
  wrongFixKind: 'none',
  hintsUsed: 13,
  spellsCast: 271,
  oomKillsSeen: 17,
  peakSunreclaimMb: 7311,
  sunreclaimMb: 6143,
  daysToSolve: 23,
  nsdVersion: '4.0.1',
  kernelRelease: '3.16.0-30-generic',
  hostname: 'nsfake',
};

export function world(over: Partial<FakeWorld> = {}): FakeWorld {
  return { ...DEFAULT_WORLD, ...over };
}

const harness = storyHarness<FakeWorld>({
  ink: CH1_INK,
  defaultWorld: DEFAULT_WORLD,
  externals: (w) => {
    const ext: Ch1Externals = {
      found: (id) => isFound(w.found, id),
      fix_kind: () => w.fixKind,
      wrong_fix_kind: () => w.wrongFixKind,
      hints_used: () => w.hintsUsed,
      spells_cast: () => w.spellsCast,
      oom_kills_seen: () => w.oomKillsSeen,
      peak_sunreclaim_mb: () => w.peakSunreclaimMb,
      sunreclaim_mb: () => w.sunreclaimMb,
      days_to_solve: () => w.daysToSolve,
      nsd_version: () => w.nsdVersion,
      kernel_release: () => w.kernelRelease,
      incident_nsd_version: () => '4.0.1',
      incident_kernel_release: () => '3.16.0-30-generic',
      hostname: () => w.hostname,
    };
    return ext;
  },
});

/** story/ch1.ink compiled through the build's own compiler path (once per test file). */
export const ch1 = harness.compiled;
export const { fakeExternals, runner, runKnot, explore, assertClean } = harness;

export const ALL_CLUES: ReadonlySet<ClueId> = new Set(CLUE_IDS);

/**
 * Runs a knot and keeps taking the first choice until the conversation ends: with once-only
 * topics listed before the sticky way out, this asks every topic on offer. Returns the state.
 */
export function talkThrough(knot: string, w: FakeWorld, firstChoice = 0): string {
  const r = runner(w);
  let out = r.run(knot);
  out = r.choose(firstChoice);
  for (let guard = 0; out.choices.length > 0; guard++) {
    if (guard > 100) throw new Error(`${knot}: conversation does not end`);
    out = r.choose(0);
  }
  return r.saveState();
}
