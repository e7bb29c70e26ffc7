/**
 * db-2 as the player finds it: installed in 2014, the backup script from 2013's first box copied
 * over, booted the evening before; the night's import and the 03:00 backup simulated; Nadia's
 * restore of that backup done through the same commands a player would type. Its history since
 * boot is simulated, not written.
 */
import { emptyStore, mkfs } from '../../../kernel/block';
import { powerOn, unbootedWorld, type MachineSpec } from '../../../machine/create';
import { addVolume } from '../../../machine/ebs/cloud';
import { newAccountId, newId } from '../../../machine/ebs/ids';
import { GIB } from '../../../machine/ebs/snapshots';
import type { CloudState } from '../../../machine/ebs/types';
import { file } from '../../../machine/files';
import type { MongoState } from '../../../machine/mongo/server';
import { login } from '../../../machine/session';
import type { RngStreams, StreamsState } from '../../../rng';
import { DRIVER_PASTE, RESTORE_LOG, seedFiles } from './files';
import { historyOf, type History } from './history';
import { chooseFlushPhase, type NightShape } from './phase';
import { alignImport } from './importStart';
import { drawParams, OP_BYTES, OPLOG_BYTES, type Ch3Params } from './params';
import { SCENARIO } from './scenario';
import { DB, COLL } from './restoreCheck';
import { recordSnapshots } from './nights';
import type { Ch3World } from './world';

const INSTALLED = Date.UTC(2014, 9, 2, 16, 40, 11);
const SCRIPT_COPIED = Date.UTC(2014, 9, 3, 10, 5, 42);
export const DATA_GIB = 40;
export const JOURNAL_GIB = 8;
export const RESTORE_DEVICE = '/dev/sdh';

function newCloud(streams: RngStreams): { cloud: CloudState; data: string; journal: string } {
  const rng = streams.stream('ebs');
  const cloud: CloudState = { region: 'us-east-1', az: 'us-east-1d', instanceId: newId(rng, 'i'), ownerId: newAccountId(rng), volumes: [], snapshots: [] };
  const data = emptyStore(DATA_GIB * GIB);
  mkfs(data, 'mongo-data', INSTALLED + 300_000);
  const journal = emptyStore(JOURNAL_GIB * GIB);
  mkfs(journal, 'mongo-journal', INSTALLED + 360_000);
  const d = addVolume(cloud, rng, { sizeGiB: DATA_GIB, type: 'standard', createTime: INSTALLED + 120_000, store: data, device: '/dev/sdf' });
  const j = addVolume(cloud, rng, { sizeGiB: JOURNAL_GIB, type: 'gp2', createTime: INSTALLED + 150_000, store: journal, device: '/dev/sdg' });
  return { cloud, data: d.id, journal: j.id };
}

/** how many nights ahead the primary's import is scheduled (a month's sleep and more); quiet after that */
export const IMPORT_NIGHTS = 60;

/** the primary's cron runs the import every night at the same time */
function nightlyImports(p: Ch3Params): Array<{ fromMs: number; opsPerSec: number }> {
  const out: Array<{ fromMs: number; opsPerSec: number }> = [];
  for (let d = 0; d < IMPORT_NIGHTS; d++) {
    out.push({ fromMs: p.importFrom + d * 86_400_000, opsPerSec: p.importRate });
    out.push({ fromMs: p.importTo + d * 86_400_000, opsPerSec: p.quietRate });
  }
  return out;
}

const USERS = [
  'ana.k', 'bo', 'marta.silva', 'j.okafor', 'li.wei', 'sam_r', 'priya.n', 'tomasz.b', 'kemal', 'ines.d.almeida',
  'maria.fernandes83', 'joao.pereira.1987', 'chris.oconnell', 'aleksandra.wojcik', 'dmitri.v', 'hannah.schmidt', 'r.gupta',
  'katie.mcallister', 'mohammed.alharbi', 'sofia.rodriguez.m', 'daniel.kowalski', 'yuki.tanaka', 'ben.oduya',
];
const IMPORT_TAGS = ['venue-matched', 'src-foursquare', 'geo-us-east', 'dedup-checked', 'import-v2', 'campaign-may15', 'season-spring', 'weekday'];

function mongoState(p: Ch3Params, streams: RngStreams): MongoState {
  const f = streams.stream('mongo-feed');
  return {
    servers: [],
    primary: {
      host: 'db-1:27017',
      setName: 'rs0',
      memberId: 0,
      startedAt: p.bootAt - 41 * 86_400_000,
      electedAt: p.bootAt - 41 * 86_400_000 + 12_000,
      // db-2 resumes from its own files: what the primary wrote from its last sync on
      schedule: [{ fromMs: p.bootAt - 6 * 3_600_000, opsPerSec: p.quietRate }, ...nightlyImports(p)],
      oplogBytes: OPLOG_BYTES,
      opBytes: OP_BYTES,
    },
    feed: {
      db: DB,
      coll: COLL,
      template: [
        ['_id', { oid: true }],
        // the app's user names as people chose them: 2 to 17 characters
        ['user', { pick: USERS }],
        ['type', { const: 'checkin' }],
        ['points', { int: [1, 500] }],
        ['at', { now: true }],
        ['tags', { pickSome: ['mobile', 'web', 'promo-may', 'first-visit', 'streak', 'referral', 'late-night'], max: 4 }],
      ],
      updateShare: 0.1,
      updateField: 'points',
      // the import tags events it matched; an event that outgrows its record is moved by mongod
      grow: { share: 0.25, field: 'tags', add: IMPORT_TAGS, count: [3, 6] },
      // the mobile clients' pings, a few dozen bytes each, in the same collection
      small: { share: 0.25, template: [['_id', { oid: true }], ['type', { const: 'ping' }], ['seq', { int: [1, 999_999] }]] },
      seed: f.int(1, 0x7fffffff),
      machine: f.int(0x100000, 0xffffff),
      pid: f.int(0x400, 0x7fff),
    },
  };
}

/** A box powered off at its boot instant, with its files, volumes and replica set. */
export function unbootedCh3World(p: Ch3Params, streams: RngStreams): Ch3World {
  const { cloud, data, journal } = newCloud(streams);
  const spec: MachineSpec = {
    scenario: SCENARIO,
    p,
    files: seedFiles(p, data, INSTALLED, SCRIPT_COPIED),
    diskTotalKb: 8_115_168,
    diskUsedKb: 1_604_000,
    hardware: 'Xen HVM domU, BIOS 4.2.amazon 12/07/2014',
  };
  const w = unbootedWorld(spec, p.bootAt, {
    format: 'grimoire-ch3-world' as const,
    version: 1 as const,
    mongo: mongoState(p, streams),
    ch3: { dataVolume: data, journalVolume: journal, restoreVolume: '', incidentSnapshot: '', nights: [] },
  }) as unknown as Ch3World;
  w.cloud = cloud;
  return w;
}

/** Nadia's restore, at a root shell, the morning after: the commands a player would type */
function nadiaRestores(w: Ch3World, type: (line: string) => string, advance: (ms: number) => void): void {
  const snap = w.ch3.incidentSnapshot;
  const made = type(`aws ec2 create-volume --snapshot-id ${snap} --availability-zone ${w.cloud.az} --volume-type standard`);
  const vol = /"VolumeId": "(vol-[0-9a-f]+)"/.exec(made)?.[1];
  if (!vol) throw new Error(`ch3: the restore's create-volume failed:\n${made}`);
  w.ch3.restoreVolume = vol;
  advance(20_000);
  type(`aws ec2 attach-volume --volume-id ${vol} --instance-id ${w.cloud.instanceId} --device ${RESTORE_DEVICE}`);
  advance(15_000);
  type('mount /dev/xvdh /restore');
  // the copy's lock file is the live mongod's, and its journal is a symlink to the live /journal
  type('rm /restore/db/mongod.lock');
  // rm takes the link itself, not the live journal it points at
  type('rm /restore/db/journal');
  type(`mongod --dbpath /restore/db --port 27018 --nojournal --fork --logpath ${RESTORE_LOG}`);
  advance(40_000);
  // the app reads the latest events back by _id; Nadia asks the copy for the one the app choked on
  const night = w.ch3.nights.find((n) => n.snapshotId === snap);
  const query = night?.badId ? `db.${COLL}.findOne({_id: ObjectId("${night.badId}")})` : `db.${COLL}.find({points: {$gt: 400}}).toArray()`;
  const got = type(`mongo --port 27018 ${DB} --eval 'printjson(${query})'`);
  const err = /"\$err" : "([^"]*)"/.exec(got)?.[1];
  if (err) {
    w.files.files[DRIVER_PASTE] = file(
      `the events API fails on the restored copy (db-2:27018) as soon as it reads the latest events back; the same read from the mongo shell on the box:\n\n${got}`,
      w.now,
      0o644,
      'ops',
    );
  }
}

/**
 * The incident night's candidates: the inserts tonight's import start is aimed at (AIMS, in
 * order) and, for an aimed one, up to PHASE_ROUNDS sets of flush phases. The first candidate
 * whose restore fails a read on the marker right before "points" (the story's symptom) is kept;
 * failing that, the best one tried (a read error on any field, then any tear). The bound keeps a
 * new game's CPU in check; the aims on any field are tried only when no aim on "points" gave a
 * read error.
 */
export const PHASE_ROUNDS = 2;

/** an insert tonight's import start is set for: the `nth` onto a freed record's marker before `field` ('' any field) */
interface Aim {
  field: string;
  nth: number;
}
/** the marker right before 'points' first (the chapter's title), then before any field (a read still fails) */
export const AIMS: readonly Aim[] = [
  { field: 'points', nth: 0 },
  { field: 'points', nth: 1 },
  { field: 'points', nth: 2 },
  { field: '', nth: 0 },
  { field: '', nth: 1 },
];

/** the world and its streams at a moment, to run the night again from it with another candidate */
interface Checkpoint {
  world: string;
  streams: StreamsState;
}

/** back to the checkpoint; the phase stream goes on, so the next candidate's phases are new draws */
function backTo(w: Ch3World, streams: RngStreams, at: Checkpoint): void {
  const phase = streams.getState()['ch3-phase'];
  streams.setState(phase ? { ...at.streams, 'ch3-phase': phase } : at.streams);
  const again = JSON.parse(at.world) as Ch3World;
  for (const k of Object.keys(w)) delete (w as unknown as Record<string, unknown>)[k];
  Object.assign(w, again);
}

/** how good a candidate night is for the story: a read on the marker before "points", any read error, any tear */
const RANK: Record<NightShape, number> = { oints: 3, read: 2, torn: 1, none: 0 };

/**
 * Tonight's import start (the aimed insert arrives just after the backup's fsync; the usual start
 * when there is none in reach) and mongod's flush phase, up to a minute before the backup.
 */
function tonight(w: Ch3World, h: History, streams: RngStreams, backupAt: number, aim: Aim): NightShape {
  const aligned = alignImport(w, aim.field, 1, w.now + 30_000, backupAt - 60_000, backupAt + 350, aim.nth);
  h.advanceTo(backupAt - 65_000);
  // further phases are worth their trials only when an insert was aimed at the backup
  const rounds = aligned ? PHASE_ROUNDS : 1;
  let shape: NightShape = 'none';
  for (let round = 0; round < rounds && RANK[shape] < RANK.read; round++) shape = chooseFlushPhase(w, streams, backupAt, round);
  return shape;
}

/** Builds db-2 with its history since boot, the player logged in the morning after. */
export function createCh3World(streams: RngStreams): Ch3World {
  const p = drawParams(streams.stream('params'));
  const w = unbootedCh3World(p, streams);
  powerOn(w, streams, p.bootAt);
  let h = historyOf(w, streams);
  // the night: the import, the 03:00 backup (cron runs the script through the shell)
  const backupAt = Date.UTC(2015, 4, 12, 3, 0);
  // the primary's import job starts up to half an hour before its usual time; tonight's start is the
  // one that brings an insert onto a freed record's marker just after the backup's fsync; when
  // no phase makes that night's restore fail a read, the night is run again from here for the
  // next such insert
  h.advanceTo(p.importFrom - 30 * 60_000);
  const before: Checkpoint = { world: JSON.stringify(w), streams: streams.getState() };
  let best: { shape: NightShape; at: Checkpoint | null } = { shape: 'none', at: null };
  for (let i = 0; i < AIMS.length && best.shape !== 'oints'; i++) {
    // the aims on any field only when those on "points" gave no read error
    if (AIMS[i]!.field === '' && best.shape === 'read') break;
    if (i > 0) {
      backTo(w, streams, before);
      h = historyOf(w, streams);
    }
    const shape = tonight(w, h, streams, backupAt, AIMS[i]!);
    if (RANK[shape] <= RANK[best.shape]) continue;
    // the last candidate tried needs no copy: the world is still it
    best = { shape, at: shape === 'oints' || i === AIMS.length - 1 ? null : { world: JSON.stringify(w), streams: streams.getState() } };
  }
  if (best.at) {
    backTo(w, streams, best.at);
    h = historyOf(w, streams);
  }
  h.advanceTo(Date.UTC(2015, 4, 12, 3, 10));
  recordSnapshots(w);
  const incident = w.ch3.nights.find((n) => n.nightly);
  if (!incident) throw new Error('ch3: the nightly backup did not run');
  w.ch3.incidentSnapshot = incident.snapshotId;
  // Nadia restores it in the morning, for an unrelated failure
  h.advanceTo(p.arrivalAt - 30 * 60_000);
  nadiaRestores(w, (l) => h.type(l), (ms) => h.advanceTo(w.now + ms));
  h.advanceTo(p.arrivalAt);
  login(w, w.now);
  return w;
}
