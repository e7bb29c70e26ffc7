import * as path from 'node:path';
import { InkRunner, type ExternalFunction, type InkLine, type InkOutput } from '../../../engine/story/inkRunner';
import { STORY_DIR, compiler } from '../../helpers/inkCompiler';
import { textOf } from './storyHarness';

/**
 * The checks every chapter's story gets against its own contract (engine/chapters/chN/storyContract.ts):
 * each chapter's story.test.ts keeps its tests and calls these with its contract, its ink source
 * and its compiled story, so the checks cannot drift apart between chapters.
 */

/** What of a chapter's storyContract.ts these checks read. */
export interface StoryContract {
  KNOTS: Readonly<Record<string, string>>;
  TALK_KNOTS: Readonly<Record<string, string>>;
  CLUE_IDS: readonly string[];
  clueKnot(id: never): string;
  EXTERNALS: Readonly<Record<string, { args: readonly string[] }>>;
  EXTERNAL_NAMES: readonly string[];
  HINT_LEVELS: number;
  VARIABLES: { hintLevel: string };
  SPEAKERS: Readonly<Record<string, string>>;
  STORY_COMMANDS: readonly string[];
}

/** The lines one test produced, in the world it ran against. */
export interface Produced<W> {
  label: string;
  lines: InkLine[];
  w: W;
}

const knotOf = (c: StoryContract, id: string): string => (c.clueKnot as (id: string) => string)(id);

/** The source split into knots: name -> body (top-level part under ''). */
export function knotsOf(ink: string): Map<string, string> {
  const out = new Map<string, string>();
  const parts = ink.split(/^===\s*(?:function\s+)?(\w+)[^\n]*$/m);
  out.set('', parts[0]);
  for (let i = 1; i < parts.length; i += 2) out.set(parts[i], parts[i + 1]);
  return out;
}

/** External function names called anywhere in the compiled story. */
export function externalsUsed(json: string): Set<string> {
  const used = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'x()' && typeof x === 'string') used.add(x);
        walk(x);
      }
    }
  };
  walk(JSON.parse(json));
  return used;
}

/** Every contract knot exists, and the clue_<id> knots in the source are exactly the contract's clues. */
export function expectContractKnots(c: StoryContract, r: InkRunner, source: string): void {
  for (const k of Object.values(c.KNOTS)) expect([k, r.hasKnot(k)]).toEqual([k, true]);
  for (const k of Object.values(c.TALK_KNOTS)) expect([k, r.hasKnot(k)]).toEqual([k, true]);
  for (const id of c.CLUE_IDS) expect([id, r.hasKnot(knotOf(c, id))]).toEqual([id, true]);
  const clueKnotsInSource = [...knotsOf(source).keys()].filter((k) => k.startsWith('clue_'));
  expect(clueKnotsInSource.sort()).toEqual(c.CLUE_IDS.map((id) => knotOf(c, id)).sort());
}

/** The externals the story calls are exactly the contract's, and its EXTERNAL lines have their arity. */
export function expectContractExternals(c: StoryContract, json: string, source: string): void {
  expect([...externalsUsed(json)].sort()).toEqual([...c.EXTERNAL_NAMES].sort());
  const declared = [...source.matchAll(/^EXTERNAL\s+(\w+)\(([^)]*)\)/gm)].map((m) => [
    m[1],
    m[2].trim() === '' ? 0 : m[2].split(',').length,
  ]);
  expect(Object.fromEntries(declared)).toEqual(
    Object.fromEntries(c.EXTERNAL_NAMES.map((n) => [n, c.EXTERNALS[n].args.length])),
  );
}

/** found("x") names only contract clue ids; with everyClueAsked, each clue id is asked somewhere. */
export function expectFoundIdsInContract(c: StoryContract, source: string, opts: { everyClueAsked: boolean }): void {
  const ids = [...source.matchAll(/found\("([^"]*)"\)/g)].map((m) => m[1]);
  expect(ids.length).toBeGreaterThan(0);
  for (const id of ids) expect(c.CLUE_IDS).toContain(id);
  // every clue id is asked about somewhere: each one changes what the story says
  if (opts.everyClueAsked) expect(c.CLUE_IDS.filter((id) => !ids.includes(id))).toEqual([]);
}

/** Every quoted kind the story compares against (case labels and == tests) is a contract kind. */
export function expectKindsInContract(source: string, kindsAllowed: readonly string[]): void {
  const kinds = [...source.matchAll(/^\s*-\s*"(\w+)":|kind\s*[!=]=\s*"(\w+)"|fix_kind\(\)\s*[!=]=\s*"(\w+)"/gm)].map(
    (m) => m[1] ?? m[2] ?? m[3],
  );
  expect(kinds.length).toBeGreaterThan(10);
  const allowed = new Set<string>(kindsAllowed);
  for (const k of kinds) expect([k, allowed.has(k)]).toEqual([k, true]);
}

/** hint_level starts at 0 and the ink's CONST HINT_LEVELS is the contract's. */
export function expectHintLevels(c: StoryContract, r: InkRunner, source: string): void {
  expect(r.getVariable(c.VARIABLES.hintLevel)).toBe(0);
  expect(source).toMatch(new RegExp(`^CONST HINT_LEVELS = ${c.HINT_LEVELS}$`, 'm'));
}

/** Building a runner without one of the externals fails, naming it. */
export function expectMissingBindingCaught(json: string, externals: Record<string, ExternalFunction>, name: string): void {
  const ext = { ...externals };
  delete ext[name];
  expect(() => new InkRunner(json, ext)).toThrow(new RegExp(name));
}

/** The text of every event knot given, every clue reaction and every hint level, in one runner. */
export function everything(c: StoryContract, r: InkRunner, eventKnots: readonly string[]): string[] {
  const out: string[] = [];
  for (const k of [c.KNOTS.briefing, c.KNOTS.debrief, ...eventKnots]) out.push(...r.run(k).lines.map((l) => l.text));
  for (const id of c.CLUE_IDS) out.push(...r.run(knotOf(c, id)).lines.map((l) => l.text));
  for (let level = 1; level <= c.HINT_LEVELS; level++) {
    r.setVariable(c.VARIABLES.hintLevel, level);
    out.push(...r.run(c.KNOTS.hints).lines.map((l) => l.text));
  }
  return out;
}

/**
 * Frozen externals drive every knot (see everything()) the same way twice, and every call the
 * story makes is a contract external with its arity, found() only of contract clue ids.
 */
export function expectPureExternals<W>(
  c: StoryContract,
  json: string,
  fakeExternals: (w: W, calls?: { name: string; args: unknown[] }[]) => Record<string, ExternalFunction>,
  w: W,
  eventKnots: readonly string[],
): void {
  const calls: { name: string; args: unknown[] }[] = [];
  const ext = fakeExternals(w, calls);
  expect(Object.isFrozen(ext)).toBe(true);
  const first = everything(c, new InkRunner(json, ext), eventKnots);
  const second = everything(c, new InkRunner(json, fakeExternals(w)), eventKnots);
  expect(second).toEqual(first);
  expect(calls.length).toBeGreaterThan(0);
  for (const call of calls) {
    expect(c.EXTERNAL_NAMES).toContain(call.name);
    expect(call.args.length).toBe(c.EXTERNALS[call.name].args.length);
    if (call.name === 'found') expect(c.CLUE_IDS.includes(call.args[0] as string)).toBe(true);
  }
}

export function expectContractSpeakers<W>(c: StoryContract, produced: readonly Produced<W>[]): void {
  const allowed = new Set<string>(Object.values(c.SPEAKERS));
  for (const { lines } of produced) for (const l of lines) if (l.speaker) expect(allowed).toContain(l.speaker);
}

/**
 * No line has a digit that is not one of the world's values (fromWorld) or a documented fact.
 * With skipCommands, text in backticks is the player's syntax (ports, paths, counts) and is left
 * to expectStoryCommands.
 */
export function expectNoInventedNumbers<W>(
  produced: readonly Produced<W>[],
  facts: readonly string[],
  fromWorld: (w: W) => string[],
  opts: { skipCommands: boolean },
): void {
  for (const { label, lines, w } of produced) {
    const values = fromWorld(w);
    for (const l of lines) {
      let t = opts.skipCommands ? l.text.replace(/`[^`]*`/g, ' ') : l.text;
      for (const f of [...facts, ...values.filter((s) => /\D/.test(s))]) t = t.split(f).join(' ');
      for (const n of values.filter((s) => /^\d+$/.test(s))) t = t.replace(new RegExp(`\\b${n}\\b`, 'g'), ' ');
      if (/\d/.test(t)) throw new Error(`${label}: a number the simulation did not give: ${JSON.stringify(l.text)}`);
    }
  }
}

/** No produced line looks like system output (the chapter's own pattern of its tools' lines). */
export function expectNoSystemOutput<W>(produced: readonly Produced<W>[], systemOutput: RegExp): void {
  for (const { label, lines } of produced) {
    for (const l of lines) {
      if (systemOutput.test(l.text)) throw new Error(`${label}: looks like system output: ${JSON.stringify(l.text)}`);
    }
  }
}

/**
 * Every command in `backticks` outside ink comments (each part of a pipe or list, after any sudo)
 * is in STORY_COMMANDS; there are more than minSpans of them; with everyCommandSuggested, each
 * STORY_COMMAND is suggested somewhere (`time X` counting X with timedCommands).
 */
export function expectStoryCommands(
  c: StoryContract,
  source: string,
  opts: { minSpans: number; everyCommandSuggested: boolean; timedCommands?: boolean },
): void {
  const prose = source
    .split('\n')
    .filter((line) => !/^\s*\/\//.test(line))
    .join('\n');
  const spans = [...prose.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
  expect(spans.length).toBeGreaterThan(opts.minSpans);
  const named = new Set<string>();
  for (const span of spans) {
    for (const part of span.split(/\\?\||&&|;/)) {
      const words = part.trim().split(/\s+/);
      const name = words[0] === 'sudo' ? words[1] : words[0];
      named.add(name);
      // `time X` times another command, which must be known as well
      if (opts.timedCommands && name === 'time') named.add(words[1]);
      expect([span, c.STORY_COMMANDS.includes(name)]).toEqual([span, true]);
    }
  }
  if (opts.everyCommandSuggested) expect([...c.STORY_COMMANDS].filter((cmd) => !named.has(cmd))).toEqual([]);
}

/**
 * Every line a test produced, for the whole-story checks at the end of a file: record() asserts
 * the lines clean (the chapter's assertClean) and keeps them with their world.
 */
export function recorder<W>(assertClean: (lines: readonly InkLine[], label: string) => void): {
  produced: Produced<W>[];
  record(label: string, lines: InkLine[], w: W): InkLine[];
} {
  const produced: Produced<W>[] = [];
  const record = (label: string, lines: InkLine[], w: W): InkLine[] => {
    assertClean(lines, label);
    produced.push({ label, lines, w });
    return lines;
  };
  return { produced, record };
}

/** scripts/compile-ink.js finds the story by itself and compiles it with no message, under its name. */
export function expectBuildsWithTheOthers(inkPath: string, storyName: string): void {
  expect(compiler.storyFiles(STORY_DIR).map((f) => path.basename(f))).toContain(`${storyName}.ink`);
  const r = compiler.compileInk(inkPath);
  expect(r.messages).toEqual([]);
  expect(r.name).toBe(storyName);
  expect(r.hash).toMatch(/^[0-9a-f]{12}$/);
}

/**
 * The contract tests every chapter's story gets, registered in the caller's describe(): knots
 * (and the chapter's own event knot names), externals, found() ids (and the fix kinds, when the
 * chapter gives them), hint levels, and a missing binding caught.
 */
export function storyContractTests<W>(
  c: StoryContract,
  opts: {
    source: string;
    json: () => string;
    runner: () => InkRunner;
    fakeExternals: (w: W) => Record<string, ExternalFunction>;
    defaultWorld: W;
    /** KNOTS key -> the knot name it must have */
    eventKnots: Readonly<Record<string, string>>;
    everyClueAsked: boolean;
    /** every kind the story may compare fix_kind()/wrong_fix_kind() against */
    kinds?: readonly string[];
    /** the external to leave out when building a runner */
    missingBinding: string;
  },
): void {
  test('every contract knot exists, and every clue has its clue_<id> knot', () => {
    expectContractKnots(c, opts.runner(), opts.source);
    for (const [key, knot] of Object.entries(opts.eventKnots)) expect(c.KNOTS[key]).toBe(knot);
  });

  test('the externals the story uses are exactly the contract externals, declared with matching arity', () => {
    expectContractExternals(c, opts.json(), opts.source);
  });

  const kinds = opts.kinds;
  test(`found() is only ever asked about contract clue ids${kinds ? ', and fix kinds only about contract kinds' : ''}`, () => {
    expectFoundIdsInContract(c, opts.source, { everyClueAsked: opts.everyClueAsked });
    if (kinds) expectKindsInContract(opts.source, kinds);
  });

  test('hint_level is a story variable and HINT_LEVELS matches the ink constant', () => {
    expectHintLevels(c, opts.runner(), opts.source);
  });

  test('a missing binding is caught when the runner is built', () => {
    expectMissingBindingCaught(opts.json(), opts.fakeExternals(opts.defaultWorld), opts.missingBinding);
  });
}

/** A hint at a level in a world (the chapter's runKnot(KNOTS.hints) with hint_level set). */
type HintAt<W> = (level: number, w: W) => InkOutput;
type Record_<W> = (label: string, lines: InkLine[], w: W) => InkLine[];

/** Levels 1..HINT_LEVELS in the world each give a different hint, as narration with no choices. */
export function expectGraduatedHints<W>(c: StoryContract, hint: HintAt<W>, record: Record_<W>, w: W, label: (level: number) => string): void {
  const texts: string[] = [];
  for (let level = 1; level <= c.HINT_LEVELS; level++) {
    const out = hint(level, w);
    record(label(level), out.lines, w);
    expect(out.choices).toEqual([]);
    expect(out.lines.every((l) => l.speaker === undefined)).toBe(true);
    texts.push(textOf(out));
  }
  expect(new Set(texts).size).toBe(c.HINT_LEVELS);
}

/** At each of levels 1 to 3, every stage of the trail (the clues found so far) gets its own hint. */
export function expectHintPerTrailStep<W, Id extends string>(
  hint: HintAt<W>,
  record: Record_<W>,
  worldWith: (found: ReadonlySet<Id>) => W,
  trail: readonly Id[][],
): void {
  for (let level = 1; level <= 3; level++) {
    const texts = trail.map((clues, i) => {
      const w = worldWith(new Set(clues));
      const out = hint(level, w);
      record(`hint ${level} at stage ${i}`, out.lines, w);
      return textOf(out);
    });
    expect(new Set(texts).size).toBe(trail.length);
  }
}
