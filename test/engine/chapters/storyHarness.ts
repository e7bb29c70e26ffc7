import { InkRunner, type ExternalFunction, type InkLine, type InkOutput } from '../../../engine/story/inkRunner';
import { compiler } from '../../helpers/inkCompiler';

/**
 * Running a chapter's ink story against a fake world, the same way for every chapter: each
 * chapter's story.helpers.ts gives its own world (sentinel values) and its typed externals; this
 * compiles the story once per test file, binds the externals and walks conversations.
 */

/** Which clues a fake world says are found. */
export type FoundClues<Id extends string> = ReadonlySet<Id> | 'all' | 'none';

export function isFound<Id extends string>(found: FoundClues<Id>, id: Id): boolean {
  return found === 'all' ? true : found === 'none' ? false : found.has(id);
}

export interface Exploration {
  lines: InkLine[];
  /** every choice text that was offered */
  offered: Set<string>;
  /** every choice text that was taken at least once */
  taken: Set<string>;
}

/** Things that must never reach a player: ink syntax, JS leftovers, raw booleans. */
export const UNRESOLVED = /[{}]|->|<>|\bundefined\b|\bnull\b|\bNaN\b|\[object|\btrue\b|\bfalse\b|RUNTIME|^\s*$/;

export function textOf(out: InkOutput): string {
  return out.lines.map((l) => l.text).join('\n');
}

export interface StoryHarness<W> {
  /** the story compiled through the build's own compiler path (once per test file) */
  compiled(): string;
  /** pure, read-only externals over a fake world; each call is logged into `calls` when given */
  fakeExternals(w: W, calls?: { name: string; args: unknown[] }[]): Record<string, ExternalFunction>;
  runner(w?: W, savedState?: string): InkRunner;
  runKnot(knot: string, w?: W, setup?: (r: InkRunner) => void): InkOutput;
  /**
   * Walks a conversation: from the knot, takes every choice text at least once, restoring the
   * saved state at each branch point (so this also exercises save/restore).
   */
  explore(knot: string, w: W, fromState?: string): Exploration;
  /** every line has text and none of it is UNRESOLVED (after the chapter's playerText) */
  assertClean(lines: readonly InkLine[], label: string): void;
}

export function storyHarness<W>(opts: {
  /** path of the .ink file */
  ink: string;
  defaultWorld: W;
  /** the chapter's externals over a fake world, typed against its contract by the caller */
  externals: (w: W) => object;
  /** what of a line UNRESOLVED judges: a chapter may blank text that is legitimately brace- or boolean-like */
  playerText?: (text: string) => string;
}): StoryHarness<W> {
  let json: string | undefined;
  const compiled = (): string => {
    if (json === undefined) {
      const r = compiler.compileInk(opts.ink);
      if (r.json === null || r.messages.length > 0) {
        throw new Error(`${opts.ink} does not compile:\n${r.messages.join('\n')}`);
      }
      json = r.json;
    }
    return json;
  };

  const fakeExternals = (w: W, calls?: { name: string; args: unknown[] }[]): Record<string, ExternalFunction> => {
    const out: Record<string, ExternalFunction> = {};
    for (const [name, fn] of Object.entries(opts.externals(w)) as [string, (...a: unknown[]) => unknown][]) {
      out[name] = (...args: unknown[]) => {
        calls?.push({ name, args });
        return fn(...args);
      };
    }
    return Object.freeze(out);
  };

  const runner = (w: W = opts.defaultWorld, savedState?: string): InkRunner =>
    new InkRunner(compiled(), fakeExternals(w), savedState);

  const runKnot = (knot: string, w: W = opts.defaultWorld, setup?: (r: InkRunner) => void): InkOutput => {
    const r = runner(w);
    setup?.(r);
    return r.run(knot);
  };

  const explore = (knot: string, w: W, fromState?: string): Exploration => {
    const story = compiled();
    const ext = fakeExternals(w);
    const first = new InkRunner(story, ext, fromState);
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
        const r = new InkRunner(story, ext, state);
        const next = r.choose(c.index);
        lines.push(...next.lines);
        if (next.choices.length > 0) stack.push({ state: r.saveState(), out: next });
      }
    }
    return { lines, offered, taken };
  };

  const playerText = opts.playerText ?? ((text: string) => text);
  const assertClean = (lines: readonly InkLine[], label: string): void => {
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) {
      if (UNRESOLVED.test(playerText(l.text))) {
        throw new Error(`${label}: unresolved text in line: ${JSON.stringify(l.text)}`);
      }
    }
  };

  return { compiled, fakeExternals, runner, runKnot, explore, assertClean };
}
