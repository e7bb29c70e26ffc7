import { clueKnot as genericClueKnot, externalNames, FIX_EVENT_KNOTS, STORY_KNOTS, STORY_TAGS, STORY_VARIABLES, talkKnot, type ExternalSignature } from '../../story/contract';

/**
 * The contract between Chapter 3's ink story (story/ch3.ink, "oints") and the engine.
 *
 * The ink carries the words; the simulation (the page cache, the EBS volumes and snapshots, the
 * MMAPv1 store, mongod replicating as a secondary) is the source of truth. Ink reads it only
 * through the externals below (pure reads, bound lookahead-safe) and never prints system output
 * or a number of this world that it did not get from one of them.
 *
 * How the engine drives it (engine/story/contract.ts has the knots every story shares):
 * - chapter opens:            run(KNOTS.briefing)
 * - player types `talk`:      run(KNOTS.talk) (or `talk nadia` -> run(TALK_KNOTS.nadia)), then
 *                             choose(i) while the output has choices
 * - player types `hint`:      setVariable(VARIABLES.hintLevel, n) with n = 1..HINT_LEVELS, then run(KNOTS.hints)
 * - a clue is first found:    run(clueKnot(id))
 * - events:                   run(KNOTS.eventFixApplied | eventWrongFix | eventRegressed | eventStale)
 * - the objectives held:      run(KNOTS.debrief)
 */

export const STORY_NAME = 'ch3';

/** Knots the engine may run: the ones every story has, and this chapter's events. */
export const KNOTS = {
  ...STORY_KNOTS,
  /**
   * the fix's events (story/contract.ts FIX_EVENT_KNOTS): the applied one says what the fix does and
   * what is left to prove (the nightly backups), the wrong one what the experiment shows. A
   * regression is a nightly backup after a fix that did not restore clean, or the fix undone.
   */
  ...FIX_EVENT_KNOTS,
  /** the secondary fell past the oplog window and went stale (RS102): it needs a resync */
  eventStale: 'event_stale',
} as const;

/** Straight to one colleague (`talk nadia`, `talk owen`): talk_<name>, same rules as KNOTS.talk. */
export const TALK_KNOTS = {
  nadia: talkKnot('nadia'),
  owen: talkKnot('owen'),
} as const;

/** Clue ids: the argument of found(), and clue_<id> is a knot with a short reaction to each. */
export const CLUE_IDS = [
  /** saw the 10334 error from the restored copy: mongo shell find/validate on it, its log, or mongodump stopping */
  'bson_error',
  /** read the cron entry or the backup script: fsync, no lock */
  'backup_script',
  /** saw /data/db/journal is a symlink to another volume: ls -l, mount/df/lsblk */
  'journal_elsewhere',
  /** hexdump -C of the restored data file showing ee ee ee ee 70 6f 69 6e 74 73 (....points) */
  'hexdump_oints',
  /** validate(true) on the restored copy: invalid objects or index keys pointing at missing records */
  'validate_errors',
  /** opcountersRepl, Dirty/Writeback in /proc/meminfo or iostat moving right after an fsync: writes do not stop */
  'writes_after_fsync',
  /** the player snapshotted under load without a lock, restored it, and it came out torn */
  'race_reproduced',
  /** rs.status / rs.printSlaveReplicationInfo showing lag, e.g. while locked */
  'lag_seen',
] as const;

export type ClueId = (typeof CLUE_IDS)[number];

/** The clues that show the mechanism (the `diagnosed` milestone needs one of them). */
export const MECHANISM_CLUES: readonly ClueId[] = ['hexdump_oints', 'writes_after_fsync', 'race_reproduced'];

export function clueKnot(id: ClueId): `clue_${ClueId}` {
  return genericClueKnot(id);
}

/**
 * What fix_kind() returns: the fix in place ('none' until one is applied).
 * - lock_in_script:      the backup script locks writes (fsyncLock), snapshots, unlocks; judged by what a
 *                        nightly run did
 * - journal_same_volume: /data/db/journal is a real directory on the data volume, mongod restarted on it
 */
export const FIX_KINDS = ['none', 'lock_in_script', 'journal_same_volume'] as const;
export type FixKind = (typeof FIX_KINDS)[number];

/**
 * What wrong_fix_kind() returns ('none' when no wrong fix has been tried).
 * - sync_before:     sync or fsync added to the script, no lock: the race is still there
 * - lock_once:       locked by hand around one snapshot; the script unchanged, tomorrow races again
 * - lock_forgotten:  locked and not unlocked: the lag climbs
 * - went_stale:      the lag passed the oplog window: the secondary is stale (RS102)
 * - repair:          mongod --repair or mongodump of the torn copy: salvages some records, fixes no backup
 * - restart_mongod:  mongod restarted without a change: nothing changes
 */
export const WRONG_FIX_KINDS = [
  'none',
  'sync_before',
  'lock_once',
  'lock_forgotten',
  'went_stale',
  'repair',
  'restart_mongod',
] as const;
export type WrongFixKind = (typeof WRONG_FIX_KINDS)[number];

/** Number of graduated hint levels; level HINT_LEVELS gives the exact lines to type. */
export const HINT_LEVELS = 6;

/** ink variables the engine reads or writes. */
export const VARIABLES = STORY_VARIABLES;

/** Values of `# speaker: NAME` tags in this story. Lines without one are the grimoire's narration. */
export const SPEAKERS = {
  /** data platform on-call; restored last night's snapshot for an unrelated failure, hit the error, pasted it */
  restorer: 'Nadia',
  /** wrote ebs-backup.sh two years ago; "it runs fsync, it is fine" */
  scriptAuthor: 'Owen',
} as const;

/** Other tags the story puts on lines. */
export const TAGS = STORY_TAGS;

/** Every command the story tells the player to type (in `backticks`), by name, after any `sudo`. */
export const STORY_COMMANDS = [
  'help',
  'hint',
  'talk',
  'status',
  'journal',
  'cat',
  'ls',
  'grep',
  'crontab',
  'mount',
  'df',
  'lsblk',
  'hexdump',
  'mongo',
  'mongod',
  'mongodump',
  'aws',
  'iostat',
  'sysctl',
  'sync',
  'sleep',
  'sed',
  'tee',
  'service',
  'tail',
  'fsyncLock',
  'fsyncUnlock',
] as const;

/** The externals the engine binds. All are pure reads of the simulation. ints are whole numbers. */
export interface Ch3Externals {
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
  /** e.g. 'db-2' */
  hostname(): string;
  /** the box's current replication lag behind the primary, whole seconds */
  lag_seconds(): number;
  /** the oplog window, whole hours */
  oplog_hours(): number;
  /** nightly backups since the fix that restored clean */
  clean_nights(): number;
  /** how many clean nightly backups the chapter needs */
  nights_needed(): number;
  /** the int32 the last BSON error read as a size, e.g. '-286331154' ('' if none seen) */
  bad_size(): string;
  /** the last BSON error's First element text, e.g. 'oints: ?type=112' ('' if none seen) */
  first_element(): string;
  /** the data volume's id, vol-... */
  data_volume(): string;
  /** last night's snapshot id, snap-... */
  last_snapshot(): string;
  /** whole virtual minutes from arrival to the solve */
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
  lag_seconds: { args: [], returns: 'int' },
  oplog_hours: { args: [], returns: 'int' },
  clean_nights: { args: [], returns: 'int' },
  nights_needed: { args: [], returns: 'int' },
  bad_size: { args: [], returns: 'string' },
  first_element: { args: [], returns: 'string' },
  data_volume: { args: [], returns: 'string' },
  last_snapshot: { args: [], returns: 'string' },
  minutes_to_solve: { args: [], returns: 'int' },
} as const satisfies Record<keyof Ch3Externals, ExternalSignature>;

export const EXTERNAL_NAMES = externalNames(EXTERNALS);
