import { clueKnot as genericClueKnot, FIX_EVENT_KNOTS, STORY_KNOTS, STORY_VARIABLES, type ExternalSignature } from '../../story/contract';

/**
 * The contract between this chapter's story (story/cron-dot.ink) and its simulation. The ink
 * carries the words; every number it prints comes from an external below. `grimoire
 * check-chapter cron-dot` checks the compiled story against this file: the knots, the externals,
 * the clue ids, the commands the story names, and that the last hint gives ANSWER.
 */
export const STORY_NAME = 'cron-dot';

export const KNOTS = {
  ...STORY_KNOTS,
  /**
   * the fix's events: applied, cron reads the export's job again (fix_kind() says how); a wrong fix,
   * something that does not bring cron back was tried (wrong_fix_kind() says what); regressed, the job
   * is out of cron's reach again
   */
  ...FIX_EVENT_KNOTS,
} as const;

/** Clue ids: found(id) in ink, and clue_<id> is a knot reacting to each. */
export const CLUE_IDS = [
  /** the export's own log: its last line is hours old */
  'export_stale',
  /** syslog: cron's last CMD line for the export is from before the deploy, none since */
  'cron_silent',
  /** /etc/cron.d lists the job's file as report-export.cron */
  'dotted_name',
  /** the export, run by hand, works */
  'runs_by_hand',
] as const;
export type ClueId = (typeof CLUE_IDS)[number];

export function clueKnot(id: ClueId): `clue_${ClueId}` {
  return genericClueKnot(id);
}

/** fix_kind(): how cron reaches the job again ('none' while it does not) */
export const FIX_KINDS = ['none', 'cron_d', 'crontab'] as const;
export type FixKind = (typeof FIX_KINDS)[number];

/**
 * wrong_fix_kind(): what was tried that does not bring the job back: running the export by hand
 * (the dashboard moves once), making the table executable (cron reads it as a table, not a script)
 */
export const WRONG_FIX_KINDS = ['none', 'hand_run', 'made_executable'] as const;
export type WrongFixKind = (typeof WRONG_FIX_KINDS)[number];

export const HINT_LEVELS = 4;
export const VARIABLES = STORY_VARIABLES;

/** The line(s) that fix it: the last hint must contain each, and a walkthrough must use them. */
export const ANSWER = ['sudo mv /etc/cron.d/report-export.cron /etc/cron.d/report-export'] as const;

/** Every command the story tells the player to type (in `backticks`), after any sudo. */
export const STORY_COMMANDS = ['hint', 'talk', 'status', 'journal', 'tail', 'grep', 'ls', 'cat', 'mv', 'sleep'] as const;

/** Every external with its ink signature; all are pure reads of the world. */
export const EXTERNALS = {
  found: { args: ['clue_id'], returns: 'bool' },
  fix_kind: { args: [], returns: 'string' },
  wrong_fix_kind: { args: [], returns: 'string' },
  hostname: { args: [], returns: 'string' },
  deploy_time: { args: [], returns: 'string' },
  last_export: { args: [], returns: 'string' },
  exports_since: { args: [], returns: 'int' },
  missed_runs: { args: [], returns: 'int' },
} as const satisfies Record<string, ExternalSignature>;
