import type { ChapterBinding, ChapterModule, ChapterProgress } from '../../chapter';
import { bindMachine } from '../../machine/bind';
import { packMachineWorld, unpackMachineWorld } from '../../machine/savedWorld';
import type { PlayerAction } from '../../machine/spells/context';
import type { RngStreams } from '../../rng';
import type { Json } from '../../types';
import { getSock, tcpOf } from '../../kernel/tcp';
import { delackMin } from '../../kernel/tcp/constants';
import { drainQueued, fixChanged, tryWrongFix } from '../../story/fixEvents';
import { detectClues, journalEntry } from './clues';
import { currentFix, OBJECTIVES, verdicts } from './judge';
import { CH2_INJECTIONS } from './injections';
import { ch2Info } from './meta';
import { createCh2World } from './sim/create';
import { p50Us, p99Us } from './sim/traffic';
import type { Ch2World } from './sim/world';
import { publisherSpells, type Ch2Context } from './spells/publisher';
import { CLUE_IDS, HINT_LEVELS, KNOTS, STORY_NAME, type WrongFixKind } from './storyContract';

/**
 * Chapter 2, "fiNAGLEing": the world is sim/ (a Ruby publisher and nsqd on the generic machine,
 * talking over the kernel's loopback TCP stack), the words are story/ch2.ink, the judging is
 * judge.ts and clues.ts.
 */

function loadStory(): { json: object; version: string } {
  // compiled by scripts/compile-ink.js at build time
  const json = require('../../../generated/story/ch2.json') as object;
  const versions = require('../../../generated/story/versions.json') as Record<string, string>;
  return { json, version: versions[STORY_NAME] ?? 'unknown' };
}

let storyCache: { json: object; version: string } | null = null;

type Notes = ChapterProgress['notes'];

function hearAction(w: Ch2World, notes: Notes, wrongFix: (k: Exclude<WrongFixKind, 'none'>) => void, a: PlayerAction): void {
  if (a.kind !== 'service' || a.phase !== 'after' || a.code !== 0) return;
  if (a.action !== 'restart' && a.action !== 'start') return;
  notes.restartedAt = w.now;
  notes.freshFast = false;
  if (a.name === 'nsqd') wrongFix('nsqd_restart');
  // what a restart of the app changed is known once the new process has read its config
  if (a.name === 'publisher') notes.appRestartPending = true;
}

/** a restarted app that read its config: a bigger pool, or nothing that fixes anything, is an experiment */
function judgeAppRestart(w: Ch2World, notes: Notes, wrongFix: (k: Exclude<WrongFixKind, 'none'>) => void): void {
  if (notes.appRestartPending !== true || !w.app.config) return;
  delete notes.appRestartPending;
  if (w.app.config.poolSize > 1) wrongFix('pool_size');
  else if (currentFix(w).kind === 'none') wrongFix('app_restart');
}

/** every publish runs packet by packet through the stack: one line may let an hour pass, no more */
const LINE_LIMIT = { ms: 3_600_000, why: 'its loopback traffic is followed packet by packet, so an hour at most' };

function bind(worldJson: Json, streams: RngStreams, progress: ChapterProgress): ChapterBinding {
  const w = worldJson as unknown as Ch2World;
  const notes = progress.notes;
  if (typeof notes.publishedAtArrival !== 'number') notes.publishedAtArrival = w.net.published;
  // the delayed-ACK timeout of the incident: after a fix nsqd's end no longer runs the same timer
  if (typeof notes.incidentAtoMs !== 'number') notes.incidentAtoMs = delackMs(w);
  const wrongFix = (kind: Exclude<WrongFixKind, 'none'>): void => tryWrongFix(notes, KNOTS.eventWrongFix, kind);
  const machine = bindMachine(w, streams, { notify: (a) => hearAction(w, notes, wrongFix, a) });
  const ctx: Ch2Context = {
    ...machine.context,
    world: () => w,
    progress,
    sockopt: (pid, name, value) => {
      if (value !== 1) return;
      if (pid === w.nsqd.pid && name === 'TCP_QUICKACK') wrongFix('quickack_once');
      if (pid === w.nsqd.pid && name === 'TCP_NODELAY') wrongFix('server_nodelay');
    },
  };
  return {
    machine: { ...machine.binding, lineLimit: LINE_LIMIT },
    spells: publisherSpells(ctx),
    judge: {
      verdicts: () => verdicts(w, progress.clues, progress.openedAt),
      fixInEffect: () => currentFix(w).kind !== 'none',
      detectClues: (argvs, shown) => detectClues(w, progress, argvs, shown),
      journalEntry: (clue) => journalEntry(w, clue),
      drainEvents: () => {
        judgeAppRestart(w, notes, wrongFix);
        return drainEvents(w, notes);
      },
    },
    story: { externals: () => externals(w, progress) },
  };
}

function drainEvents(w: Ch2World, notes: Notes): string[] {
  return [...fixChanged(notes, currentFix(w).kind, { applied: KNOTS.eventFixApplied, regressed: KNOTS.eventRegressed }), ...drainQueued(notes)];
}

/**
 * The world as a save holds it: the machine's logs packed as every chapter's are, and the stack's
 * packet log left out. That log is lo's capture ring, read live by a tcpdump running during one
 * line (packetsSince the moment it started); no later line reads what an earlier one saw, so a
 * saved game keeps only the running packet count.
 */
function packCh2World(world: Json): Json {
  const w = world as unknown as Ch2World;
  const tcp = w.k.subsys?.tcp as { log?: unknown[] } | undefined;
  if (!tcp || !Array.isArray(tcp.log)) return packMachineWorld(world);
  const k = { ...w.k, subsys: { ...w.k.subsys, tcp: { ...tcp, log: [] } } };
  return packMachineWorld({ ...w, k } as unknown as Json);
}

/** the delayed-ACK timeout nsqd's end of the app's connection is using, in ms */
function delackMs(w: Ch2World): number {
  const tcp = tcpOf(w.k);
  for (const sc of w.net.server) {
    const s = getSock(tcp, sc.sock);
    if (s && s.ack.ato > 0) return Math.round((s.ack.ato * 1000) / tcp.hz);
  }
  // no data received yet: the timer would start from the kernel's floor
  return Math.round((delackMin(tcp.hz) * 1000) / tcp.hz);
}

function externals(w: Ch2World, progress: ChapterProgress): Record<string, (...args: any[]) => string | number | boolean> {
  const notes = progress.notes;
  return {
    found: (id: string) => progress.clues.includes(String(id)),
    fix_kind: () => currentFix(w).kind,
    wrong_fix_kind: () => (typeof notes.wrongFix === 'string' ? notes.wrongFix : 'none'),
    hints_used: () => progress.hintsUsed,
    spells_cast: () => progress.spellsCast,
    hostname: () => w.p.hostname,
    p50_ms: () => (p50Us(w.net) / 1000).toFixed(2),
    p99_ms: () => (p99Us(w.net) / 1000).toFixed(2),
    publishes_seen: () => Math.max(0, w.net.published - (typeof notes.publishedAtArrival === 'number' ? notes.publishedAtArrival : 0)),
    delack_ms: () => (currentFix(w).kind === 'none' || typeof notes.incidentAtoMs !== 'number' ? delackMs(w) : notes.incidentAtoMs),
    minutes_to_solve: () => Math.max(0, Math.round(((progress.solvedAt ?? w.now) - progress.openedAt) / 60_000)),
  };
}

export const chapter2: ChapterModule = {
  info: ch2Info,
  objectives: OBJECTIVES,
  hintLevels: HINT_LEVELS,
  story: () => (storyCache ??= loadStory()),
  createWorld: (streams) => createCh2World(streams) as unknown as Json,
  bind,
  packWorld: packCh2World,
  unpackWorld: (saved) => unpackMachineWorld(saved),
  clueIds: CLUE_IDS,
  diagnosis:
    'The Ruby app writes each POST in two pieces (headers, then body). With Nagle on, the kernel holds the body ' +
    'until the headers are acknowledged, and nsqd\'s end delays its ACK (the delayed-ACK timer, 40 ms at its floor): every publish waits for that timer. ' +
    'Fixes: TCP_NODELAY in the app\'s config (lasting) or on its live sockets (lost at the next restart), one write ' +
    'per request, or quickack on the lo route. Restarting nsqd, a bigger pool, or QUICKACK/NODELAY on nsqd\'s side do not hold.',
  injections: CH2_INJECTIONS,
};
