import type { ChapterBinding, ChapterModule, ChapterProgress } from '../../chapter';
import { bindMachine } from '../../machine/bind';
import type { PlayerAction } from '../../machine/spells/context';
import type { RngStreams } from '../../rng';
import type { Json } from '../../types';
import { drainQueued, fixChanged, queueEvent, tryWrongFix } from '../../story/fixEvents';
import { bsonError, detectClues, journalEntry } from './clues';
import { currentFix, goodNight, isStale, lagSeconds, liveMongod, NIGHTS_NEEDED, nightsSince, OBJECTIVES, oplogHours, scriptLocks, verdicts } from './judge';
import { CH3_INJECTIONS } from './injections';
import { ch3Info } from './meta';
import { packCh3World, unpackCh3World } from './savedWorld';
import { createCh3World } from './sim/create';
import { BACKUP_SCRIPT, DRIVER_PASTE } from './sim/files';
import { recordSnapshots } from './sim/nights';
import type { Ch3World, NightRecord } from './sim/world';
import { lockSpells } from './spells/fsyncLock';
import { CLUE_IDS, HINT_LEVELS, KNOTS, STORY_NAME, type WrongFixKind } from './storyContract';

/**
 * Chapter 3, "oints": the world is sim/ (db-2, a MongoDB 2.6 secondary on two EBS volumes, its
 * nightly fsync-then-snapshot backup), the words are story/ch3.ink, the judging is judge.ts and
 * clues.ts. The judge restores every snapshot of the data volume itself (sim/restoreCheck.ts).
 *
 * What the rates cost and give (measured on the built engine, December 2026): a new game takes
 * 3-6 s of CPU (a night of replication, the backup, the trials of import start and flush phase
 * that find a night whose snapshot really tears, Nadia's restore), a simulated day 1.2-4 s; the
 * primary writes ~0.01 op/s by day and 2 op/s in the nightly import, about a thousandth of a real
 * import, so a minute's dirty pages are a few dozen and a flush is in flight well under a second
 * a minute. Snapshots taken by hand during the import after an fsync came out torn 0 of 14 (and
 * 0 of 14 under fsyncLock): the race is real in the model but rare at these rates.
 */

function loadStory(): { json: object; version: string } {
  // compiled by scripts/compile-ink.js at build time
  const json = require('../../../generated/story/ch3.json') as object;
  const versions = require('../../../generated/story/versions.json') as Record<string, string>;
  return { json, version: versions[STORY_NAME] ?? 'unknown' };
}

let storyCache: { json: object; version: string } | null = null;

type Notes = ChapterProgress['notes'];
type WrongFix = (k: Exclude<WrongFixKind, 'none'>) => void;

/** how long a lock may be held by hand before it counts as forgotten */
const LOCK_FORGOTTEN_MS = 10 * 60_000;

function hearAction(w: Ch3World, notes: Notes, wrongFix: WrongFix, a: PlayerAction): void {
  if (a.kind !== 'service' || a.phase !== 'after' || a.code !== 0 || a.name !== 'mongod') return;
  if (a.action !== 'restart' && a.action !== 'start') return;
  notes.mongodRestartPending = true;
}

/** what the player's last line changed that only the world shows */
function judgeWorld(w: Ch3World, notes: Notes, wrongFix: WrongFix, argvs: string[][], fresh: NightRecord[]): void {
  const fix = currentFix(w);
  if (fix !== 'none' && typeof notes.fixedAt !== 'number') notes.fixedAt = w.now;
  for (const n of fresh) {
    // a snapshot taken by hand under a lock, the script still without one: tonight races again
    if (!n.nightly && n.locked > 0 && !scriptLocks(w)) wrongFix('lock_once');
    if (n.nightly && typeof notes.fixedAt === 'number' && n.at >= notes.fixedAt && !goodNight(n)) notes.regressedNight = n.snapshotId;
  }
  // the script changed, with a sync or an fsync added and no lock
  const script = w.files.files[BACKUP_SCRIPT]?.content ?? '';
  if (script !== notes.scriptSeen) {
    notes.scriptSeen = script;
    const lines = script.split('\n').filter((l) => !/^\s*#/.test(l));
    const locking = lines.some((l) => /fsyncLock|lock\s*:\s*(true|1)\b/.test(l));
    // more flushes than the one fsync Owen wrote, and no lock anywhere
    if (!locking && lines.filter((l) => /(^|[;&|\s])sync(\s|;|$)|fsync\s*:/.test(l)).length > 1) wrongFix('sync_before');
  }
  const s = liveMongod(w);
  if (s && s.fsyncLocks > 0 && w.now - s.lockedAt >= LOCK_FORGOTTEN_MS) wrongFix('lock_forgotten');
  if (isStale(w) && notes.staleSeen !== true) {
    notes.staleSeen = true;
    wrongFix('went_stale');
    queueEvent(notes, KNOTS.eventStale, 'went_stale');
  }
  if (argvs.some((a) => a.includes('--repair')) || argvs.some((a) => a.some((x) => /mongodump$/.test(x)) && a.includes('27018'))) wrongFix('repair');
  if (notes.mongodRestartPending === true) {
    delete notes.mongodRestartPending;
    if (currentFix(w) === 'none') wrongFix('restart_mongod');
  }
}

function bind(worldJson: Json, streams: RngStreams, progress: ChapterProgress): ChapterBinding {
  const w = worldJson as unknown as Ch3World;
  const notes = progress.notes;
  // the script as the player found it: a change to it is judged against this
  if (typeof notes.scriptSeen !== 'string') notes.scriptSeen = w.files.files[BACKUP_SCRIPT]?.content ?? '';
  const wrongFix: WrongFix = (kind) => tryWrongFix(notes, KNOTS.eventWrongFix, kind);
  const machine = bindMachine(w, streams, { notify: (a) => hearAction(w, notes, wrongFix, a) });
  let lastArgvs: string[][] = [];
  // snapshots judged since the last events were drained
  let fresh: NightRecord[] = [];
  return {
    machine: machine.binding,
    spells: lockSpells(machine.context),
    judge: {
      verdicts: () => verdicts(w, progress.clues, typeof notes.fixedAt === 'number' ? notes.fixedAt : -1),
      fixInEffect: () => currentFix(w) !== 'none',
      detectClues: (argvs, shown) => {
        lastArgvs = argvs;
        fresh.push(...recordSnapshots(w));
        return detectClues(w, progress, argvs, shown);
      },
      journalEntry: (clue) => journalEntry(w, progress, clue),
      drainEvents: () => {
        fresh.push(...recordSnapshots(w));
        judgeWorld(w, notes, wrongFix, lastArgvs, fresh);
        lastArgvs = [];
        fresh = [];
        return drainEvents(w, notes);
      },
    },
    story: { externals: () => externals(w, progress) },
  };
}

function drainEvents(w: Ch3World, notes: Notes): string[] {
  const out = fixChanged(notes, currentFix(w), { applied: KNOTS.eventFixApplied, regressed: KNOTS.eventRegressed });
  if (typeof notes.regressedNight === 'string' && notes.regressedAnnounced !== notes.regressedNight) {
    notes.regressedAnnounced = notes.regressedNight;
    if (!out.includes(KNOTS.eventRegressed)) out.push(KNOTS.eventRegressed);
  }
  return [...out, ...drainQueued(notes)];
}

/** the incident's error, as Nadia's paste holds it (the scratch mongod's own answer) */
function incidentError(w: Ch3World): { size: string; firstElement: string } | null {
  return bsonError(w.files.files[DRIVER_PASTE]?.content ?? '');
}

function externals(w: Ch3World, progress: ChapterProgress): Record<string, (...args: any[]) => string | number | boolean> {
  const notes = progress.notes;
  // read when ink asks, not when the externals are bound: the fix lands after binding
  const fixedAt = (): number => (typeof notes.fixedAt === 'number' ? notes.fixedAt : -1);
  const lastNight = (): string => {
    const nightly = w.ch3.nights.filter((n) => n.nightly);
    return nightly.length > 0 ? nightly[nightly.length - 1]!.snapshotId : w.ch3.incidentSnapshot;
  };
  return {
    found: (id: string) => progress.clues.includes(String(id)),
    fix_kind: () => currentFix(w),
    wrong_fix_kind: () => (typeof notes.wrongFix === 'string' ? notes.wrongFix : 'none'),
    hints_used: () => progress.hintsUsed,
    spells_cast: () => progress.spellsCast,
    hostname: () => w.p.hostname,
    lag_seconds: () => lagSeconds(w),
    oplog_hours: () => oplogHours(w),
    clean_nights: () => (fixedAt() < 0 ? 0 : nightsSince(w, fixedAt()).filter(goodNight).length),
    nights_needed: () => NIGHTS_NEEDED,
    bad_size: () => (typeof notes.badSize === 'string' ? notes.badSize : incidentError(w)?.size ?? ''),
    first_element: () => (typeof notes.firstElement === 'string' ? notes.firstElement : incidentError(w)?.firstElement ?? ''),
    data_volume: () => w.ch3.dataVolume,
    last_snapshot: lastNight,
    minutes_to_solve: () => Math.max(0, Math.round(((progress.solvedAt ?? w.now) - progress.openedAt) / 60_000)),
  };
}

export const chapter3: ChapterModule = {
  info: ch3Info,
  objectives: OBJECTIVES,
  hintLevels: HINT_LEVELS,
  story: () => (storyCache ??= loadStory()),
  createWorld: (streams) => createCh3World(streams) as unknown as Json,
  bind,
  packWorld: (world) => packCh3World(world),
  unpackWorld: (saved) => unpackCh3World(saved),
  clueIds: CLUE_IDS,
  diagnosis:
    'The nightly backup runs fsync on mongod and then snapshots the data volume, without locking writes. Replicated ' +
    'writes keep dirtying pages after the fsync, and mongod\'s 60 s flush (or the kernel\'s write-back) can put part of a ' +
    'logical write (record, index bucket, extent, .ns) on the volume before the snapshot instant; with the journal on ' +
    'another volume nothing repairs it, so the restore reads torn records (10334). Fixes: db.fsyncLock() before the ' +
    'snapshot and db.fsyncUnlock() after it, in the script; or the journal on the data volume. A sync or fsync alone ' +
    'keeps the race; a lock left held stops replication until the secondary goes stale.',
  injections: CH3_INJECTIONS,
};
