import { clueKnot as genericClueKnot, externalNames, FIX_EVENT_KNOTS, STORY_KNOTS, STORY_TAGS, STORY_VARIABLES, talkKnot, type ExternalSignature } from '../../story/contract';

/**
 * The contract between Chapter 2's ink story (story/ch2.ink, "fiNAGLEing") and the engine.
 *
 * The ink carries the words; the simulation (the loopback TCP stack, the publisher app, nsqd) is
 * the source of truth. Ink reads it only through the externals below (pure reads, bound
 * lookahead-safe) and never prints system output or a number of this world that it did not get
 * from one of them. test/engine/chapters/ch2/story.test.ts checks this file against the compiled
 * story.
 *
 * How the engine drives it (engine/story/contract.ts has the knots every story shares):
 * - chapter opens:            run(KNOTS.briefing)
 * - player types `talk`:      run(KNOTS.talk) (or `talk tomasz` -> run(TALK_KNOTS.tomasz)), then
 *                             choose(i) while the output has choices; the conversation ends
 *                             (no choices left) back at the shell
 * - player types `hint`:      setVariable(VARIABLES.hintLevel, n) with n = 1..HINT_LEVELS
 *                             (1 on the first hint, +1 each time, capped), then run(KNOTS.hints)
 * - a clue is first found:    run(clueKnot(id))
 * - events:                   run(KNOTS.eventFixApplied | eventWrongFix | eventRegressed)
 * - the objectives held:      run(KNOTS.debrief)
 * Story state (visit counts, once-only topics, hint_level) lives in runner.saveState().
 */

export const STORY_NAME = 'ch2';

/** Knots the engine may run: the ones every story has, and this chapter's events. */
export const KNOTS = {
  ...STORY_KNOTS,
  /**
   * the fix's events (story/contract.ts FIX_EVENT_KNOTS): the applied one says what the fix does and
   * what is left to prove, the wrong one what the experiment shows. A regression is the stall coming
   * back after a fix (an app restart dropped a live-only one, say).
   */
  ...FIX_EVENT_KNOTS,
} as const;

/**
 * Straight to one colleague (`talk tomasz`, `talk imani`): talk_<name>, same rules as KNOTS.talk.
 * KNOTS.talk offers the same people as a menu.
 */
export const TALK_KNOTS = {
  tomasz: talkKnot('tomasz'),
  imani: talkKnot('imani'),
} as const;

/** Clue ids: the argument of found(), and clue_<id> is a knot with a short reaction to each. */
export const CLUE_IDS = [
  /** a publish was timed: `time publish`, the app's log with per-publish latency, or `graph publish-latency` */
  'latency_measured',
  /** top, ps or nsqd's /stats show nsqd idle: no CPU to speak of, nothing queued */
  'daemon_idle',
  /** a POST with curl to nsqd's /pub answered in well under a millisecond */
  'curl_fast',
  /** the first publishes on a new connection (after a restart of either side) were fast, later ones slow again */
  'fresh_fast',
  /** strace of the app: both write() calls return at once, the read() that follows waits */
  'strace_read_waits',
  /** tcpdump on lo: the headers segment, a bare ACK from nsqd's side a delayed-ACK timeout later, then the body */
  'tcpdump_ack_gap',
  /** ss -tin while a publish waits: the app's side holds unsent bytes behind an unacknowledged segment (Send-Q,
   * unacked), nsqd's side shows its ato */
  'ss_notsent',
  /** the app's source/README or strace shows each POST written as two writes: headers, then body */
  'two_writes',
] as const;

export type ClueId = (typeof CLUE_IDS)[number];

export function clueKnot(id: ClueId): `clue_${ClueId}` {
  return genericClueKnot(id);
}

/**
 * What fix_kind() returns: the fix in place ('none' until one is applied).
 * - nodelay_live:   `setsockopt NODELAY` on the running app's socket; fast now, lost when the app restarts
 * - nodelay_config: `tcp_nodelay: true` in /etc/publisher/publisher.yml and the app restarted
 * - single_write:   `single_write: true` in the same config and the app restarted
 * - route_quickack: `ip route change ... quickack 1` on the loopback route; works, receiver-side workaround
 */
export const FIX_KINDS = ['none', 'nodelay_live', 'nodelay_config', 'single_write', 'route_quickack'] as const;
export type FixKind = (typeof FIX_KINDS)[number];

/**
 * What wrong_fix_kind() returns ('none' when no wrong fix has been tried).
 * - quickack_once:  TCP_QUICKACK set once on nsqd's socket: the next publish is fast, then the stall returns
 * - server_nodelay: TCP_NODELAY on nsqd's socket: no change
 * - nsqd_restart:   nsqd restarted: a fresh connection is fast for a request or two, then slow again
 * - app_restart:    the app restarted without a config fix: same as above, from the client's side
 * - pool_size:      a bigger connection pool: every connection is still slow
 * - more_cpu:       more CPU (or memory): no effect
 */
export const WRONG_FIX_KINDS = [
  'none',
  'quickack_once',
  'server_nodelay',
  'nsqd_restart',
  'app_restart',
  'pool_size',
  'more_cpu',
] as const;
export type WrongFixKind = (typeof WRONG_FIX_KINDS)[number];

/** Number of graduated hint levels; level HINT_LEVELS gives the answer away. */
export const HINT_LEVELS = 6;

/** ink variables the engine reads or writes (0 or less reads as hint 1, more reads as the last). */
export const VARIABLES = STORY_VARIABLES;

/** Values of `# speaker: NAME` tags in this story. Lines without one are the grimoire's narration. */
export const SPEAKERS = {
  /** wrote and owns the publisher app (Ruby, Net::HTTP, proud of its connection pool); sends the chat message */
  app: 'Tomasz',
  /** runs nsqd and the rest of the messaging platform; insists nsqd is idle, and it is */
  platform: 'Imani',
} as const;

/** Other tags the story puts on lines (the runner passes them through in InkLine.tags). */
export const TAGS = STORY_TAGS;

/**
 * Every command the story tells the player to type (in `backticks`), by name, after any `sudo`.
 * test/engine/chapters/ch2/story.test.ts checks the story against this list. Most are the generic
 * machine's spells; `publish`, `graph`, `setsockopt`, `tcpdump`, `curl`, `ip` and `time` (the bash
 * keyword) are the design's spells for this chapter (/tmp/notes/ch2-design.md, "Player's tools"):
 * the chapter's shell must know every name here before the chapter ships.
 */
export const STORY_COMMANDS = [
  'help',
  'hint',
  'talk',
  'status',
  'journal',
  'time',
  'publish',
  'tail',
  'graph',
  'top',
  'ps',
  'curl',
  'service',
  'pgrep',
  'strace',
  'tcpdump',
  'download',
  'ss',
  'cat',
  'setsockopt',
  'echo',
  'tee',
  'ip',
] as const;

/**
 * The externals the engine binds. All are pure reads of the simulation; ink may call them any
 * number of times (lookahead). ints must be whole numbers.
 */
export interface Ch2Externals {
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
  /** e.g. 'web-07' */
  hostname(): string;
  /**
   * median publish latency over the app's last 1,000 publishes (fewer if it has made fewer), in ms,
   * formatted as the app's log prints a latency, e.g. '41.93' or '0.05'
   */
  p50_ms(): string;
  /** 99th percentile over the same window, same format */
  p99_ms(): string;
  /** publishes the app made since the player arrived */
  publishes_seen(): number;
  /** the delayed-ACK timeout (ato) of nsqd's side of the app's connection, in ms, as `ss -tin` prints it */
  delack_ms(): number;
  /** whole virtual minutes from the chat message to the solve */
  minutes_to_solve(): number;
}

/** Every external with its ink signature, for binding and for the contract test. */
export const EXTERNALS = {
  found: { args: ['clue_id'], returns: 'bool' },
  fix_kind: { args: [], returns: 'string' },
  wrong_fix_kind: { args: [], returns: 'string' },
  hints_used: { args: [], returns: 'int' },
  spells_cast: { args: [], returns: 'int' },
  hostname: { args: [], returns: 'string' },
  p50_ms: { args: [], returns: 'string' },
  p99_ms: { args: [], returns: 'string' },
  publishes_seen: { args: [], returns: 'int' },
  delack_ms: { args: [], returns: 'int' },
  minutes_to_solve: { args: [], returns: 'int' },
} as const satisfies Record<keyof Ch2Externals, ExternalSignature>;

export const EXTERNAL_NAMES = externalNames(EXTERNALS);
