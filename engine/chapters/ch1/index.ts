import type { ChapterBinding, ChapterModule, ChapterProgress } from '../../chapter';
import { DAY } from '../../clock';
import type { Rng } from '../../rng';
import type { Json } from '../../types';
import { detectClues, journalEntry, noteBeforeRestart, noteManualReloads } from './clues';
import { currentFix, OBJECTIVES, peakSunreclaim, verdicts } from './judge';
import { procProvider, varLogProvider } from './procfs';
import * as sim from './sim/index';
import { actSpells } from './spells/act';
import { aptSpells } from './spells/apt';
import type { Ch1Context } from './spells/context';
import { observeSpells } from './spells/observe';
import { HINT_LEVELS, KNOTS, STORY_NAME } from './storyContract';

/**
 * Chapter 1, "it's coming from INSIDE THE KERNEL": the world is sim/, the words are story/ch1.ink,
 * the judging is judge.ts and clues.ts. Everything the chapter remembers between spells lives in
 * the world (JSON) or in the player's progress notes (JSON).
 */

function loadStory(): { json: object; version: string } {
  // compiled by scripts/compile-ink.js at build time
  const json = require('../../../generated/story/ch1.json') as object;
  const versions = require('../../../generated/story/versions.json') as Record<string, string>;
  return { json, version: versions[STORY_NAME] ?? 'unknown' };
}

let storyCache: { json: object; version: string } | null = null;

type Note = ChapterProgress['notes'];

function queue(notes: Note, event: string): void {
  const q = Array.isArray(notes.events) ? (notes.events as string[]) : [];
  if (!q.includes(event)) q.push(event);
  notes.events = q;
}

function bind(worldJson: Json, rng: Rng, progress: ChapterProgress): ChapterBinding {
  const w = worldJson as unknown as sim.Ch1World;
  const notes = progress.notes;
  if (typeof notes.oomAtArrival !== 'number') notes.oomAtArrival = w.stats.oomKillCount;
  if (typeof notes.lastOomSeen !== 'number') notes.lastOomSeen = w.stats.oomKillCount;
  // the debrief tells the story of the machine as it was when the page came in
  if (typeof notes.incidentNsd !== 'string') notes.incidentNsd = w.nsd.running?.version ?? w.nsd.installed;
  if (typeof notes.incidentKernel !== 'string') notes.incidentKernel = w.k.release;

  let runCron: (line: string, user: string) => void = () => undefined;
  const advanceTo = (ms: number) => {
    if (ms > w.now) sim.advance(w, rng, ms, { runCommand: (line, user) => runCron(line, user) });
  };

  const ctx: Ch1Context = {
    world: () => w,
    rng,
    progress,
    advance: (ms) => advanceTo(w.now + Math.max(0, ms)),
    users: () => ({ root: 0, daemon: 1, syslog: 101, nsd: 108, ops: 1000 }),
    wrongFix: (kind) => {
      if (kind === 'restart_once' && currentFix(w).kind !== 'none') return;
      notes.wrongFix = kind;
      const tried = Array.isArray(notes.wrongFixes) ? (notes.wrongFixes as string[]) : [];
      if (!tried.includes(kind)) {
        notes.wrongFixes = [...tried, kind];
        queue(notes, `${KNOTS.eventWrongFix}:${kind}`);
      }
    },
    manualReloads: (n) => noteManualReloads(progress, w, n),
    beforeRestart: () => noteBeforeRestart(progress, w),
    machineWentDown: () => {
      notes.sessionDropped = true;
    },
  };

  const commands = [...observeSpells(ctx), ...actSpells(ctx), ...aptSpells(ctx)];

  return {
    loginUser: 'ops',
    hostname: w.p.hostname,
    home: '/home/ops',
    sudoers: ['ops'],
    vars: { HOME: '/home/ops', USER: 'ops', LOGNAME: 'ops', SHELL: '/bin/bash', PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', TERM: 'xterm-256color', LANG: 'en_US.UTF-8', HOSTNAME: w.p.hostname },
    files: w.files,
    providers: [procProvider(ctx), varLogProvider(ctx)],
    commands,
    now: () => w.now,
    advanceTo: (ms, run) => {
      runCron = run;
      advanceTo(ms);
    },
    pids: () => sim.pids(w),
    verdicts: () => verdicts(w, progress.clues),
    fixInEffect: () => currentFix(w).kind !== 'none',
    detectClues: (argvs, shown) => detectClues(w, progress, argvs, shown),
    journalEntry: (clue) => journalEntry(w, progress, clue),
    beforeSpell: (advance) => reconnect(w, rng, notes, advance),
    drainEvents: () => drainEvents(w, notes),
    externals: () => externals(w, progress),
    world: () => w as unknown as Json,
  };
}

/**
 * The player's ssh session ends when the machine goes down (a reboot, a panic). Before the next
 * spell they wait for it to come back and log in again; a hung kernel needs a reset from the
 * cloud console, which is what an on-call engineer would do.
 */
function reconnect(w: sim.Ch1World, rng: Rng, notes: Note, advance: (ms: number) => void): string[] {
  if (sim.sessionShell(w) > 0) return [];
  const lines: string[] = [];
  if (notes.sessionDropped !== true) lines.push(`Connection to ${w.p.hostname} closed by remote host.`);
  notes.sessionDropped = false;
  if (!w.machine.up) {
    const waitingFor = w.machine.bootAt > 0 ? w.machine.bootAt : w.machine.panicRebootAt;
    if (waitingFor > w.now) {
      lines.push(`You wait for ${w.p.hostname} to come back up...`);
      advance(waitingFor - w.now + 20_000);
    }
    if (!w.machine.up) {
      lines.push(`${w.p.hostname} does not answer: its console shows a kernel panic. You reset it from the cloud console.`);
      const r = sim.hardReset(w, rng);
      advance(r.backAt - w.now + 20_000);
    }
  }
  const pid = sim.login(w, w.now);
  lines.push(pid > 0 ? `You ssh back in to ${w.p.hostname}.` : `${w.p.hostname} is up but will not let you in yet.`);
  return lines;
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
  if (fix.kind !== 'none' && notes.fixAnnounced !== fix.kind) {
    notes.fixAnnounced = fix.kind;
    events.push(KNOTS.eventFixApplied);
  }
  if (fix.kind === 'none' && typeof notes.fixAnnounced === 'string') {
    delete notes.fixAnnounced;
    events.push(KNOTS.eventRegressed);
  }
  const queued = Array.isArray(notes.events) ? (notes.events as string[]) : [];
  notes.events = [];
  for (const q of queued) {
    const [knot, kind] = q.split(':');
    notes.wrongFix = kind ?? notes.wrongFix ?? 'none';
    events.push(knot!);
  }
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
  info: {
    id: '1',
    number: 1,
    title: "it's coming from INSIDE THE KERNEL",
    blurb: 'A DNS secondary keeps losing its name server to the OOM killer, yet no process is using much memory.',
  },
  objectives: OBJECTIVES,
  hintLevels: HINT_LEVELS,
  story: () => (storyCache ??= loadStory()),
  createWorld: (rng) => {
    const w = sim.createCh1World(rng);
    sim.login(w, w.now);
    return w as unknown as Json;
  },
  bind,
};
