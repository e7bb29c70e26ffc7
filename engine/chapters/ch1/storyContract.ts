import { clueKnot as genericClueKnot, externalNames, FIX_EVENT_KNOTS, STORY_KNOTS, STORY_TAGS, STORY_VARIABLES, talkKnot, type ExternalSignature } from '../../story/contract';

/**
 * The contract between Chapter 1's ink story (story/ch1.ink) and the engine.
 *
 * The ink carries the words; the simulation is the source of truth. Ink reads the simulation only
 * through the externals below (pure reads, bound lookahead-safe) and never prints system output or
 * numbers it did not get from one of them. test/engine/chapters/ch1/story.test.ts checks this file
 * against the compiled story.
 *
 * How the engine drives it (engine/story/contract.ts has the knots every story shares):
 * - chapter opens:            run(KNOTS.briefing)
 * - player types `talk`:      run(KNOTS.talk) (or `talk odile` -> run(TALK_KNOTS.odile)), then
 *                             choose(i) while the output has choices; the conversation ends
 *                             (no choices left) back at the shell
 * - player types `hint`:      setVariable(VARIABLES.hintLevel, n) with n = 1..HINT_LEVELS
 *                             (1 on the first hint, +1 each time, capped), then run(KNOTS.hints)
 * - a clue is first found:    run(clueKnot(id))
 * - events:                   run(KNOTS.eventOomAgain | eventFixApplied | eventWrongFix | eventRegressed)
 * - the week held:            run(KNOTS.debrief)
 * Story state (visit counts, once-only topics, hint_level) lives in runner.saveState().
 */

export const STORY_NAME = 'ch1';

/** Knots the engine may run: the ones every story has, and this chapter's events. */
export const KNOTS = {
  ...STORY_KNOTS,
  /** the OOM killer struck again after the player arrived */
  eventOomAgain: 'event_oom_again',
  /**
   * the fix's events (story/contract.ts FIX_EVENT_KNOTS). Here a regression is the week-long check
   * failing after a fix.
   */
  ...FIX_EVENT_KNOTS,
} as const;

/**
 * Straight to one colleague (`talk odile`, `talk kwame`): talk_<name>, same rules as KNOTS.talk.
 * KNOTS.talk offers the same people as a menu.
 */
export const TALK_KNOTS = {
  odile: talkKnot('odile'),
  kwame: talkKnot('kwame'),
} as const;

/** Clue ids: the argument of found(), and clue_<id> is a knot with a short reaction to each. */
export const CLUE_IDS = [
  /** dig/host/nslookup against the box failed or timed out */
  'dns_failing',
  /** the OOM killer's report seen in dmesg or kern.log/syslog */
  'oom_in_logs',
  /** free says memory is used, but the processes' RSS adds up to much less */
  'memory_used_not_by_processes',
  /** /proc/meminfo: Slab / SUnreclaim is most of the machine */
  'slab_huge',
  /** slabtop or /proc/slabinfo: anon_vma / anon_vma_chain are the biggest caches */
  'anon_vma_top',
  /** ps over time: nsd's main PID keeps changing */
  'nsd_pid_changes',
  /** NSD's log: a reload after every zone transfer */
  'reloads_in_logs',
  /** nsd -v and uname -r (or dpkg) seen */
  'versions_known',
  /** forced many reloads and watched anon_vma / SUnreclaim climb */
  'growth_reproduced',
  /** a full restart of nsd released the slab */
  'restart_releases',
] as const;

export type ClueId = (typeof CLUE_IDS)[number];

export function clueKnot(id: ClueId): `clue_${ClueId}` {
  return genericClueKnot(id);
}

/** What fix_kind() returns. */
export const FIX_KINDS = ['none', 'kernel', 'nsd', 'restarts'] as const;
export type FixKind = (typeof FIX_KINDS)[number];

/** What wrong_fix_kind() returns ('none' when no wrong fix has been tried). */
export const WRONG_FIX_KINDS = ['none', 'drop_caches', 'oom_score_adj', 'swap', 'memory', 'restart_once'] as const;
export type WrongFixKind = (typeof WRONG_FIX_KINDS)[number];

/** Number of graduated hint levels; level HINT_LEVELS gives the answer away. */
export const HINT_LEVELS = 6;

/** ink variables the engine reads or writes (0 or less reads as hint 1, more reads as the last). */
export const VARIABLES = STORY_VARIABLES;

/** Values of `# speaker: NAME` tags in this story. Lines without one are the grimoire's narration. */
export const SPEAKERS = {
  /** owns DNS; built the zone-transfer pipeline */
  dns: 'Odile',
  /** SRE lead, incident commander for this page */
  lead: 'Kwame',
  /** the paging system */
  pager: 'pager',
} as const;

/** Other tags the story puts on lines (the runner passes them through in InkLine.tags). */
export const TAGS = STORY_TAGS;

/**
 * Every command the story tells the player to type (in `backticks`), by name, after any `sudo`.
 * The chapter's shell should know all of them; test/engine/chapters/ch1/story.test.ts checks the
 * story against this list.
 */
export const STORY_COMMANDS = [
  'help',
  'hint',
  'talk',
  'status',
  'journal',
  'dmesg',
  'free',
  'ps',
  'grep',
  'cat',
  'slabtop',
  'nsd',
  'uname',
  'nsd-control',
  'service',
  'apt-get',
  'wget',
  'dpkg',
  'reboot',
] as const;

/**
 * The externals the engine binds. All are pure reads of the simulation; ink may call them any
 * number of times (lookahead). ints must be whole numbers.
 */
export interface Ch1Externals {
  /** has the player found this clue? */
  found(clueId: ClueId): boolean;
  /** the fix in place ('none' until one is applied) */
  fix_kind(): FixKind;
  /** the wrong fix just tried */
  wrong_fix_kind(): WrongFixKind;
  /** hints asked for so far */
  hints_used(): number;
  /** commands run so far */
  spells_cast(): number;
  /** OOM kills that happened since the player arrived */
  oom_kills_seen(): number;
  /** highest SUnreclaim seen this chapter, MB */
  peak_sunreclaim_mb(): number;
  /** SUnreclaim now, MB */
  sunreclaim_mb(): number;
  /** whole virtual days from the page to the solve */
  days_to_solve(): number;
  /** e.g. '4.0.1' (what nsd -v would say, without the 'NSD version ' prefix) */
  nsd_version(): string;
  /** e.g. '3.16.0-30-generic' (what uname -r would say) */
  kernel_release(): string;
  /** the NSD version that was running when the player arrived (the one with the bug) */
  incident_nsd_version(): string;
  /** the kernel release that was running when the player arrived */
  incident_kernel_release(): string;
  /** e.g. 'ns2' */
  hostname(): string;
}

/** Every external with its ink signature, for binding and for the contract test. */
export const EXTERNALS = {
  found: { args: ['clue_id'], returns: 'bool' },
  fix_kind: { args: [], returns: 'string' },
  wrong_fix_kind: { args: [], returns: 'string' },
  hints_used: { args: [], returns: 'int' },
  spells_cast: { args: [], returns: 'int' },
  oom_kills_seen: { args: [], returns: 'int' },
  peak_sunreclaim_mb: { args: [], returns: 'int' },
  sunreclaim_mb: { args: [], returns: 'int' },
  days_to_solve: { args: [], returns: 'int' },
  nsd_version: { args: [], returns: 'string' },
  kernel_release: { args: [], returns: 'string' },
  incident_nsd_version: { args: [], returns: 'string' },
  incident_kernel_release: { args: [], returns: 'string' },
  hostname: { args: [], returns: 'string' },
} as const satisfies Record<keyof Ch1Externals, ExternalSignature>;

export const EXTERNAL_NAMES = externalNames(EXTERNALS);
