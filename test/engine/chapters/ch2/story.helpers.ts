import * as path from 'node:path';
import { InkRunner, type ExternalFunction, type InkLine, type InkOutput } from '../../../../engine/story/inkRunner';
import {
  CLUE_IDS,
  type Ch2Externals,
  type ClueId,
  type FixKind,
  type WrongFixKind,
} from '../../../../engine/chapters/ch2/storyContract';
import { STORY_DIR, compiler } from '../../../helpers/inkCompiler';

export const CH2_INK = path.join(STORY_DIR, 'ch2.ink');

let ch2Json: string | undefined;
/** story/ch2.ink compiled through the build's own compiler path (once per test file). */
export function ch2(): string {
  if (ch2Json === undefined) {
    const r = compiler.compileInk(CH2_INK);
    if (r.json === null || r.messages.length > 0) throw new Error(`ch2.ink does not compile:\n${r.messages.join('\n')}`);
    ch2Json = r.json;
  }
  return ch2Json;
}

/**
 * A stand-in for the chapter's simulation. Sentinel values are distinctive (no 40 ms delayed ACK,
 * no round latencies), so a test can tell numbers the story read from numbers it made up.
 */
export interface FakeWorld {
  found: ReadonlySet<ClueId> | 'all' | 'none';
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

/** Pure, read-only externals over a fake world, typed against the contract. */
export function fakeExternals(w: FakeWorld, calls?: { name: string; args: unknown[] }[]): Record<string, ExternalFunction> {
  const isFound = (id: ClueId): boolean => (w.found === 'all' ? true : w.found === 'none' ? false : w.found.has(id));
  const ext: Ch2Externals = {
    found: (id) => isFound(id),
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
  return new InkRunner(ch2(), fakeExternals(w), savedState);
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
  const json = ch2();
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
    // "tcp_nodelay: true" is a config line the story quotes, not a boolean that leaked
    const text = l.text.replace(/\b(tcp_nodelay|single_write): true\b/g, '$1: on');
    if (UNRESOLVED.test(text)) throw new Error(`${label}: unresolved text in line: ${JSON.stringify(l.text)}`);
  }
}

export const ALL_CLUES: ReadonlySet<ClueId> = new Set(CLUE_IDS);
