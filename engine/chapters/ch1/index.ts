import type { ChapterBinding, ChapterModule, ChapterProgress } from '../../chapter';
import { DAY } from '../../clock';
import { bindMachine } from '../../machine/bind';
import { drainQueued, fixChanged, tryWrongFix } from '../../story/fixEvents';
import { migrateMachineV1 } from '../../machine/migrate';
import type { PlayerAction } from '../../machine/spells/context';
import type { RngStreams } from '../../rng';
import type { Json } from '../../types';
import { detectClues, journalEntry, noteBeforeRestart, noteManualReloads } from './clues';
import { currentFix, OBJECTIVES, peakSunreclaim, verdicts } from './judge';
import { CH1_INJECTIONS } from './injections';
import { ch1Info } from './meta';
import { packCh1World, unpackCh1World } from './savedWorld';
import * as sim from './sim/index';
import type { Ch1Context } from './spells/context';
import { nsdSpells } from './spells/nsd';
import { CLUE_IDS, HINT_LEVELS, KNOTS, STORY_NAME, type WrongFixKind } from './storyContract';

/**
 * Chapter 1, "it's coming from INSIDE THE KERNEL": the world is sim/ (NSD on the generic machine),
 * the words are story/ch1.ink, the judging is judge.ts and clues.ts. Everything the chapter
 * remembers between spells lives in the world (JSON) or in the player's progress notes (JSON).
 */

function loadStory(): { json: object; version: string } {
  // compiled by scripts/compile-ink.js at build time
  const json = require('../../../generated/story/ch1.json') as object;
  const versions = require('../../../generated/story/versions.json') as Record<string, string>;
  return { json, version: versions[STORY_NAME] ?? 'unknown' };
}

let storyCache: { json: object; version: string } | null = null;

type Note = ChapterProgress['notes'];

/** What the player did to the machine, as this incident reads it: wrong fixes, forced reloads, restarts. */
function hearAction(w: sim.Ch1World, progress: ChapterProgress, wrongFix: (kind: Exclude<WrongFixKind, 'none'>) => void, a: PlayerAction): void {
  const main = w.nsd.running?.mainPid ?? 0;
  switch (a.kind) {
    case 'sysctl-set':
      if (a.key === 'vm.drop_caches') wrongFix('drop_caches');
      break;
    case 'oom-score-adj':
      if (a.comm === 'nsd' && a.value <= -500) wrongFix('oom_score_adj');
      break;
    case 'swap-on':
      wrongFix('swap');
      break;
    case 'memory-resized':
      wrongFix('memory');
      break;
    case 'going-down':
      noteBeforeRestart(progress, w);
      break;
    case 'signal':
      if (a.pid !== main || main === 0) break;
      if (a.sig === 1) noteManualReloads(progress, w, 1);
      if ((a.sig === 9 || a.sig === 15) && a.user === 'root') noteBeforeRestart(progress, w);
      break;
    case 'service':
      if (a.name !== 'nsd') break;
      if (a.phase === 'before' && a.user === 'root' && (a.action === 'restart' || a.action === 'stop' || a.action === 'force-reload')) noteBeforeRestart(progress, w);
      if (a.phase === 'after' && a.code === 0 && a.action === 'reload') noteManualReloads(progress, w, 1);
      if (a.phase === 'after' && a.code === 0 && a.action === 'restart') wrongFix('restart_once');
      break;
    default:
      break;
  }
}

function bind(worldJson: Json, streams: RngStreams, progress: ChapterProgress): ChapterBinding {
  const w = worldJson as unknown as sim.Ch1World;
  const notes = progress.notes;
  if (typeof notes.oomAtArrival !== 'number') notes.oomAtArrival = w.stats.oomKillCount;
  if (typeof notes.lastOomSeen !== 'number') notes.lastOomSeen = w.stats.oomKillCount;
  // the debrief tells the story of the machine as it was when the page came in
  if (typeof notes.incidentNsd !== 'string') notes.incidentNsd = w.nsd.running?.version ?? w.nsd.installed;
  if (typeof notes.incidentKernel !== 'string') notes.incidentKernel = w.k.release;

  const wrongFix = (kind: Exclude<WrongFixKind, 'none'>): void => {
    if (kind === 'restart_once' && currentFix(w).kind !== 'none') return;
    tryWrongFix(notes, KNOTS.eventWrongFix, kind);
  };
  const machine = bindMachine(w, streams, { notify: (a) => hearAction(w, progress, wrongFix, a) });
  const ctx: Ch1Context = {
    ...machine.context,
    world: () => w,
    progress,
    manualReloads: (n) => noteManualReloads(progress, w, n),
    beforeRestart: () => noteBeforeRestart(progress, w),
  };

  return {
    machine: machine.binding,
    spells: nsdSpells(ctx),
    judge: {
      verdicts: () => verdicts(w, progress.clues),
      fixInEffect: () => currentFix(w).kind !== 'none',
      detectClues: (argvs, shown) => detectClues(w, progress, argvs, shown),
      journalEntry: (clue) => journalEntry(w, progress, clue),
      drainEvents: () => drainEvents(w, notes),
    },
    story: { externals: () => externals(w, progress) },
  };
}

function drainEvents(w: sim.Ch1World, notes: Note): string[] {
  const events: string[] = [];
  const kills = w.stats.oomKillCount;
  const seen = typeof notes.lastOomSeen === 'number' ? notes.lastOomSeen : kills;
  const fix = currentFix(w);
  if (kills > seen) {
    if (fix.kind !== 'none' && notes.fixAnnounced === fix.kind) events.push(KNOTS.eventRegressed);
    else events.push(KNOTS.eventOomAgain);
  }
  notes.lastOomSeen = kills;
  events.push(...fixChanged(notes, fix.kind, { applied: KNOTS.eventFixApplied, regressed: KNOTS.eventRegressed }), ...drainQueued(notes));
  return events;
}

function externals(w: sim.Ch1World, progress: ChapterProgress): Record<string, (...args: any[]) => string | number | boolean> {
  const notes = progress.notes;
  return {
    found: (id: string) => progress.clues.includes(String(id)),
    fix_kind: () => currentFix(w).kind,
    wrong_fix_kind: () => (typeof notes.wrongFix === 'string' ? notes.wrongFix : 'none'),
    hints_used: () => progress.hintsUsed,
    spells_cast: () => progress.spellsCast,
    oom_kills_seen: () => Math.max(0, w.stats.oomKillCount - (typeof notes.oomAtArrival === 'number' ? notes.oomAtArrival : 0)),
    peak_sunreclaim_mb: () => Math.round((peakSunreclaim(w, progress.openedAt - DAY, w.now) ?? 0) / 1024),
    sunreclaim_mb: () => Math.round(sim.meminfo(w).SUnreclaim / 1024),
    days_to_solve: () => Math.max(0, Math.round(((progress.solvedAt ?? w.now) - progress.openedAt) / DAY)),
    nsd_version: () => w.nsd.running?.version ?? w.nsd.installed,
    kernel_release: () => w.k.release,
    incident_nsd_version: () => String(notes.incidentNsd),
    incident_kernel_release: () => String(notes.incidentKernel),
    hostname: () => w.p.hostname,
  };
}

export const chapter1: ChapterModule = {
  info: ch1Info,
  objectives: OBJECTIVES,
  hintLevels: HINT_LEVELS,
  story: () => (storyCache ??= loadStory()),
  createWorld: (streams) => {
    const w = sim.createCh1World(streams);
    sim.login(w, w.now);
    return w as unknown as Json;
  },
  bind,
  migrateWorld: (world, from, state) => {
    if (from !== 1) throw new RangeError(`no migration of chapter 1's world from engine version ${from}`);
    const w = world as { [key: string]: Json };
    migrateMachineV1(w, sim.ch1Scenario);
    w.version = 2;
    // the player's own reboot used to be remembered in the progress notes; the machine keeps it now
    const progress = state.progress as { notes?: { [key: string]: Json } } | undefined;
    if (progress?.notes?.sessionDropped === true) w.logoutExpected = true;
    if (progress?.notes) delete progress.notes.sessionDropped;
    return w;
  },
  packWorld: packCh1World,
  unpackWorld: unpackCh1World,
  clueIds: CLUE_IDS,
  diagnosis:
    'On kernel 3.16 every fork adds a level to the anon_vma hierarchy that stays while any descendant lives ' +
    '(fixed upstream in 3.19 by "mm: prevent endless growth of anon_vma hierarchy"), and NSD 4.0 reloads by forking ' +
    'a child that becomes the new main after every zone transfer: the chain deepens with each reload, the anon_vma ' +
    'slabs (SUnreclaim) climb, and the OOM killer ends up killing nsd. Fixes: a kernel with that patch, NSD 4.1 (its ' +
    'reload leaves the old main in place), or full restarts of nsd at least daily. drop_caches, swap, oom_score_adj ' +
    'and a single restart do not hold.',
  injections: CH1_INJECTIONS,
};
