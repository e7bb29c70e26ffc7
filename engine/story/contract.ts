/**
 * The knots every chapter's ink story has, and how the engine drives them. A chapter's own
 * contract (its clue ids, events, externals) adds to this; the engine reads knot names from here
 * only.
 *
 * - chapter opens:            run(STORY_KNOTS.briefing)
 * - player types `talk`:      run(STORY_KNOTS.talk) (or `talk NAME` -> run(talkKnot(NAME)) when the
 *                             story has it), then choose(i) while the output has choices; the
 *                             conversation ends (no choices left) back at the shell
 * - player types `hint`:      setVariable(STORY_VARIABLES.hintLevel, n) with n = 1..hintLevels
 *                             (1 on the first hint, +1 each time, capped), then run(STORY_KNOTS.hints)
 * - a clue is first found:    run(clueKnot(id)) when the story has it
 * - world events:             run(knot) for each knot name the chapter's judge reports
 * - the objectives held:      run(STORY_KNOTS.debrief)
 * Story state (visit counts, once-only topics, hint_level) lives in the runner's saved state.
 */
export const STORY_KNOTS = {
  /** the book opens, the page arrives, who you are, how to play */
  briefing: 'briefing',
  /** colleagues: a menu of people, then topics; ends back at the shell */
  talk: 'talk',
  /** graduated hints, driven by the hint-level variable */
  hints: 'hints',
  /** after solving: what happened, the chosen fix, the mechanism, reading, the player's numbers */
  debrief: 'debrief',
} as const;

/**
 * The events of the fix, which every chapter's story has: a fix took effect (the story reads
 * fix_kind()), a known wrong fix or experiment was tried (wrong_fix_kind()), and the trouble came
 * back after a fix (fix_kind() again). What each means in a chapter is said in its contract.
 */
export const FIX_EVENT_KNOTS = {
  eventFixApplied: 'event_fix_applied',
  eventWrongFix: 'event_wrong_fix',
  eventRegressed: 'event_regressed',
} as const;

/** ink variables the engine writes */
export const STORY_VARIABLES = {
  /** int, set by the engine before run(STORY_KNOTS.hints): 1..hintLevels */
  hintLevel: 'hint_level',
} as const;

/** Straight to one colleague: `talk NAME` runs talk_<name>. */
export function talkKnot(name: string): string {
  return `talk_${name.toLowerCase()}`;
}

/** A short reaction the first time a clue is found. */
export function clueKnot<Id extends string>(id: Id): `clue_${Id}` {
  return `clue_${id}`;
}

/** Tags the runner passes through on lines: a section heading inside a long knot (the debrief). */
export const STORY_TAGS = {
  heading: 'heading',
} as const;

/** The ink types an external may return (ints are whole numbers). */
export type ExternalType = 'bool' | 'int' | 'string';

/** One row of a chapter's EXTERNALS table: the ink signature the engine binds and the tests check. */
export interface ExternalSignature {
  readonly args: readonly string[];
  readonly returns: ExternalType;
}

/** The names of a chapter's EXTERNALS table, typed as its keys. */
export function externalNames<T extends Record<string, ExternalSignature>>(externals: T): (keyof T & string)[] {
  return Object.keys(externals) as (keyof T & string)[];
}
