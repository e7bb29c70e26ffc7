import { InkRunner, type ExternalFunction, type InkLine, type InkOutput } from '../../../../engine/story/inkRunner';
import {
  CLUE_IDS,
  type Ch1Externals,
  type ClueId,
  type FixKind,
  type WrongFixKind,
} from '../../../../engine/chapters/ch1/storyContract';
import { CH1_INK, compiler } from '../../../helpers/inkCompiler';

export { CH1_INK };

let ch1Json: string | undefined;
/** story/ch1.ink compiled through the build's own compiler path (once per test file). */
export function ch1(): string {
  if (ch1Json === undefined) {
    const r = compiler.compileInk(CH1_INK);
    if (r.json === null || r.messages.length > 0) throw new Error(`ch1.ink does not compile:\n${r.messages.join('\n')}`);
    ch1Json = r.json;
  }
  return ch1Json;
}

/** Sentinel values: distinctive, so a test can tell numbers the story read from numbers it made up. */
export interface FakeWorld {
  found: ReadonlySet<ClueId> | 'all' | 'none';
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

/** Pure, read-only externals over a fake world, typed against the contract. */
export function fakeExternals(w: FakeWorld, calls?: { name: string; args: unknown[] }[]): Record<string, ExternalFunction> {
  const isFound = (id: ClueId): boolean => (w.found === 'all' ? true : w.found === 'none' ? false : w.found.has(id));
  const ext: Ch1Externals = {
    found: (id) => isFound(id),
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
  return new InkRunner(ch1(), fakeExternals(w), savedState);
}

export function runKnot(knot: string, w: FakeWorld = DEFAULT_WORLD, setup?: (r: InkRunner) => void): InkOutput {
  const r = runner(w);
  setup?.(r);
  return r.run(knot);
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
  const json = ch1();
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
    if (UNRESOLVED.test(l.text)) throw new Error(`${label}: unresolved text in line: ${JSON.stringify(l.text)}`);
  }
}

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
