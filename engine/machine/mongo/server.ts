/**
 * mongod 2.6 as a process on the machine: started by a scenario's upstart job or by the player
 * (`mongod --dbpath ... --port ...`), it opens the MMAPv1 store (engine/storage/mmapv1) on its
 * dbpath's disk, journals each group commit (every 100 ms, 30 ms when the journal is on its own
 * device: 2.6's journalCommitInterval), flushes the data files every syncdelay seconds with an
 * fsync of each, applies what a replica set's primary writes when it is a secondary, and writes
 * its log in 2.6's format. Its state is plain JSON in the world (`w.mongo.servers`).
 *
 * fsyncLock follows 2.6's fsync.cpp: the lock flushes, then holds the global write lock in a
 * background thread until an unlock; a second lock while locked returns at once with the same
 * reply and its thread waits to lock again after the first unlock, so each lock needs its own
 * unlock (the count is kept here as `fsyncLocks`).
 */
import { addProc, exitProc, findProc, newMm, type Exited } from '../../kernel/procs';
import * as store from '../../storage/mmapv1';
import type { TimerSource } from '../scenario';
import type { MachineWorld } from '../world';
import { file } from '../files';
import type { MongodOptions } from './conf';
import { optionsLine } from './conf';
import { diskFor, PrivateView, type MongodDisk, type StateFiles } from './disk';
import { feedOp, type FeedConfig } from './feed';
import { mongodLogLine, optimeLong } from './log';
import { applicable, isTooStale, oldestOp, opTimeMs, opTimestamp, type PrimaryModel, type SecondarySync } from './repl';

export const MONGOD_ROLE = 'mongod';
/** the 2.6.x current on 2015-05-11 (2.6.10 was tagged on 2015-05-18) */
export const MONGO_VERSION = '2.6.9';
export const GIT_VERSION = 'df313bc75aa94d192330cb92756fc486ea604e64';
export const BUILD_INFO = 'Linux build20.nj1.10gen.cc 2.6.32-431.3.1.el6.x86_64 #1 SMP Fri Jan 3 21:39:27 UTC 2014 x86_64 BOOST_LIB_VERSION=1_49';

export interface OpCounters {
  insert: number;
  query: number;
  update: number;
  delete: number;
  getmore: number;
  command: number;
}

/** 2.6's dur statistics are those of the last interval of about 3 seconds (Stats::rotate), not totals */
export interface DurWindow {
  from: number;
  to: number;
  commits: number;
  journaledBytes: number;
  writeToDataFilesBytes: number;
  /** ms spent writing the journal (its device's completion) */
  writeToJournalMs: number;
}

export const DUR_WINDOW_MS = 3_000;

function durWindow(s: MongodState, t: number): DurWindow {
  let cur = s.dur.window;
  if (!cur) cur = s.dur.window = { from: t, to: t, commits: 0, journaledBytes: 0, writeToDataFilesBytes: 0, writeToJournalMs: 0 };
  if (t - cur.from >= DUR_WINDOW_MS) {
    // the dur thread rotates every interval whether or not anything happened: after a quiet spell the last one is empty
    s.dur.lastWindow = t - cur.from >= 2 * DUR_WINDOW_MS ? { from: t - DUR_WINDOW_MS, to: t, commits: 0, journaledBytes: 0, writeToDataFilesBytes: 0, writeToJournalMs: 0 } : { ...cur, to: t };
    cur = s.dur.window = { from: t, to: t, commits: 0, journaledBytes: 0, writeToDataFilesBytes: 0, writeToJournalMs: 0 };
  }
  return cur;
}

export interface MongodState {
  pid: number;
  opts: MongodOptions;
  /** how the set and serverStatus name it: hostname:port */
  host: string;
  startedAt: number;
  /** the fsync locks held (nested locks each need an unlock) */
  fsyncLocks: number;
  lockedAt: number;
  opcounters: OpCounters;
  opcountersRepl: OpCounters;
  flush: { flushes: number; totalMs: number; lastMs: number; lastFinished: number; nextAt: number };
  dur: { commits: number; journaledBytes: number; writeToDataFilesBytes: number; commitsInWriteLock: number; nextCommitAt: number; lastStepAt: number; lsn: number; journalFile: number; journalBytes: number; lastCommitMs: number; olderFiles?: Array<[number, number]>; window?: DurWindow; lastWindow?: DurWindow };
  conns: { current: number; totalCreated: number };
  /** the last connection number logged ([connN]) */
  connId: number;
  /** the replica set member this mongod is, when it is one (a secondary fed by `w.mongo.primary`) */
  sync?: SecondarySync;
  /** databases it has opened, for the flush and the catalog */
  dbs: string[];
  /**
   * when the last command's reply leaves the server: an fsync answers only once the device has
   * completed the flush (msync with MS_SYNC waits), so the client waits until then
   */
  replyAt?: number;
}

export interface MongoState {
  servers: MongodState[];
  /** the replica set's primary, simulated (another box: its writes arrive by replication) */
  primary?: PrimaryModel;
  /** what the primary writes */
  feed?: FeedConfig;
  files?: StateFiles;
  /**
   * how far each dbpath's secondary has applied the primary's operations: what its own oplog in
   * `local` records, so a restarted mongod resumes where its data files are
   */
  syncPoints?: Record<string, number>;
}

export type MongoWorld = MachineWorld & { mongo?: MongoState };

export function mongoOf(w: MachineWorld): MongoState {
  const mw = w as MongoWorld;
  const m = (mw.mongo ??= { servers: [] });
  m.servers ??= [];
  return m;
}

/** the mongod listening on a port, if one is up */
/** the dur statistics serverStatus shows at t: the last completed interval */
export function durStats(s: MongodState, t: number): DurWindow {
  durWindow(s, t);
  return s.dur.lastWindow ?? { from: s.startedAt, to: t, commits: 0, journaledBytes: 0, writeToDataFilesBytes: 0, writeToJournalMs: 0 };
}

export function serverOnPort(w: MachineWorld, port: number): MongodState | undefined {
  return mongoOf(w).servers.find((s) => s.opts.port === port && findProc(w.k, s.pid) !== undefined);
}

export function diskOf(w: MachineWorld, s: MongodState): MongodDisk {
  return diskFor(w, s.opts.dbpath);
}

const storeOpts = (s: MongodState): store.StoreOptions => ({ smallfiles: s.opts.smallfiles });

// ---- the log ----

/** appends lines to the mongod's log file (the terminal's when it has none: then they are returned) */
export function logTo(w: MachineWorld, s: { opts: MongodOptions }, t: number, thread: string, lines: string[]): string {
  const text = lines.map((l) => mongodLogLine(t, thread, l)).join('');
  const path = s.opts.logpath;
  if (!path) return text;
  const f = w.files.files[path];
  if (!f) w.files.files[path] = file(text, t, 0o644, 'mongodb', 'nogroup');
  else {
    f.content += text;
    f.mtime = Math.max(f.mtime, t);
  }
  return '';
}

/** a block mongod writes to stdout unstamped (the lock-file and dbpath banners) */
function rawTo(w: MachineWorld, s: { opts: MongodOptions }, t: number, text: string): string {
  const path = s.opts.logpath;
  if (!path) return text;
  const f = w.files.files[path];
  if (!f) w.files.files[path] = file(text, t, 0o644, 'mongodb', 'nogroup');
  else f.content += text;
  return '';
}

// ---- starting and stopping ----

export interface StartSpec {
  opts: MongodOptions;
  hostname: string;
  ppid: number;
  user: string;
  uid: number;
  /** the command line ps shows */
  args: string;
}

export type StartResult = { ok: true; server: MongodState; output: string } | { ok: false; code: number; output: string };

const MONGOD_MEM = { vszKb: 350_000, anonKb: 40_000, fileKb: 9_000, ptes: 30, vmas: 60, anonVmas: 20, commitKb: 120_000, maxVmaKb: 65_536 };

/** the databases a dbpath holds: its `.ns` files */
function databasesOn(d: MongodDisk): string[] {
  return d
    .list()
    .filter((n) => n.endsWith('.ns'))
    .map((n) => n.slice(0, -3));
}

/**
 * Starts a mongod at t: the checks 2.6's initAndListen makes, in its order (the port, the dbpath,
 * the lock file, the journal), recovery from the journal when there is one to replay, then it
 * serves. What it logs goes to its log file, or back to the caller for the terminal.
 */
export function startMongod(w: MachineWorld, spec: StartSpec, t: number): StartResult {
  const o = spec.opts;
  const m = mongoOf(w);
  let out = '';
  const log = (thread: string, ...lines: string[]): void => {
    out += logTo(w, { opts: o }, t, thread, lines);
  };
  const fail = (code: number, lines: string[], exception: string): StartResult => {
    log('initandlisten', ...lines, `exception in initAndListen: ${exception}, terminating`);
    log('initandlisten', 'dbexit: ', 'shutdown: going to close listening sockets...', 'shutdown: going to flush diaglog...', 'shutdown: going to close sockets...', 'shutdown: waiting for fs preallocator...', 'shutdown: closing all files...', 'closeAllFiles() finished', 'dbexit: really exiting now');
    return { ok: false, code, output: out };
  };
  if (o.logpath && !o.logappend && w.files.files[o.logpath]) {
    // 2.6 renames the old log aside (logRotate at startup) unless told to append
    const stamp = new Date(Math.floor(t)).toISOString().slice(0, 19);
    w.files.files[`${o.logpath}.${stamp}`] = w.files.files[o.logpath]!;
    delete w.files.files[o.logpath];
  }
  const d = diskFor(w, o.dbpath);
  const proc = addProc(w.k, { ppid: spec.ppid, uid: spec.uid, user: spec.user, comm: 'mongod', args: spec.args, start: t, role: MONGOD_ROLE, threads: 12, cpuRate: 0.3, mm: newMm(w.k, { comm: 'mongod', args: spec.args, ...MONGOD_MEM }) });
  const exitWith = (r: StartResult): StartResult => {
    exitProc(w.k, proc, r.ok ? 0 : r.code);
    return r;
  };
  log('initandlisten', `MongoDB starting : pid=${proc.pid} port=${o.port} dbpath=${o.dbpath} 64-bit host=${spec.hostname}`, `db version v${MONGO_VERSION}`, `git version: ${GIT_VERSION}`, `build info: ${BUILD_INFO}`, 'allocator: tcmalloc', `options: ${optionsLine(o)}`);
  if (m.servers.some((s) => s.opts.port === o.port && findProc(w.k, s.pid))) {
    log('initandlisten', `ERROR: listen(): bind() failed errno:98 Address already in use for socket: ${o.bindIp ?? '0.0.0.0'}:${o.port}`, 'ERROR:   addr already in use', 'now exiting', 'dbexit: ', 'shutdown: going to close listening sockets...', 'shutdown: going to flush diaglog...', 'shutdown: going to close sockets...', 'shutdown: waiting for fs preallocator...', 'shutdown: closing all files...', 'closeAllFiles() finished', 'dbexit: really exiting now');
    return exitWith({ ok: false, code: 48, output: out });
  }
  if (!d.exists()) {
    return exitWith(
      fail(100, [], `10296 \n*********************************************************************\n ERROR: dbpath (${o.dbpath}) does not exist.\n Create this directory or give existing directory in --dbpath.\n See http://dochub.mongodb.org/core/startingandstoppingmongo\n*********************************************************************\n`),
    );
  }
  if (m.servers.some((s) => s.opts.dbpath === o.dbpath && findProc(w.k, s.pid))) {
    return exitWith(fail(100, [], `10310 Unable to lock file: ${o.dbpath}/mongod.lock. Is a mongod instance already running?`));
  }
  if (d.readOnly?.()) return exitWith(fail(100, [], `10309 Unable to create/open lock file: ${o.dbpath}/mongod.lock errno:30 Read-only file system Is a mongod instance already running?`));
  const lock = d.readSmall('mongod.lock');
  const oldLock = lock !== null && lock.length > 0;
  const journalFiles = d.journal.list();
  const dirty = journalFiles.some((n) => /^j\._\d+$/.test(n));
  if (oldLock) {
    let errmsg = '';
    if (o.journal) {
      const dbs = databasesOn(d);
      if (journalFiles.length === 0 && dbs.length > 0)
        errmsg =
          `************** \nold lock file: ${o.dbpath}/mongod.lock.  probably means unclean shutdown,\nbut there are no journal files to recover.\nthis is likely human error or filesystem corruption.\nplease make sure that your journal directory is mounted.\nfound ${dbs.length} dbs.\nsee: http://dochub.mongodb.org/core/repair for more information\n*************\n`;
    } else if (!dirty) errmsg = '************** \nUnclean shutdown detected.\nPlease visit http://dochub.mongodb.org/core/repair for recovery instructions.\n*************\n';
    if (errmsg) {
      out += rawTo(w, { opts: o }, t, errmsg);
      return exitWith(fail(100, [], '12596 old lock file'));
    }
  }
  if (!o.journal && dirty) {
    out += rawTo(w, { opts: o }, t, '**************\nError: journal files are present in journal directory, yet starting without journaling enabled.\nIt is recommended that you start with journaling enabled so that recovery may occur.\n**************\n');
    return exitWith(fail(100, [], "13597 can't start without --journal enabled when journal/ files are present"));
  }
  d.writeSmall('mongod.lock', asciiBytes(`${proc.pid}\n`), t);
  let lsn = 0;
  if (o.journal) {
    log('initandlisten', `journal dir=${o.dbpath}/journal`);
    if (!dirty) log('initandlisten', 'recover : no journal files present, no recovery needed');
    else lsn = recoverJournal(w, d, o, t, (l) => log('initandlisten', l));
  }
  const s: MongodState = {
    pid: proc.pid,
    opts: o,
    host: `${spec.hostname}:${o.port}`,
    startedAt: t,
    fsyncLocks: 0,
    lockedAt: 0,
    opcounters: { insert: 0, query: 0, update: 0, delete: 0, getmore: 0, command: 0 },
    opcountersRepl: { insert: 0, query: 0, update: 0, delete: 0, getmore: 0, command: 0 },
    flush: { flushes: 0, totalMs: 0, lastMs: 0, lastFinished: t, nextAt: t + o.syncdelay * 1000 },
    dur: { commits: 0, journaledBytes: 0, writeToDataFilesBytes: 0, commitsInWriteLock: 0, nextCommitAt: t + commitInterval(w, o), lastStepAt: t, lsn, journalFile: 0, journalBytes: 0, lastCommitMs: 0 },
    conns: { current: 0, totalCreated: 0 },
    connId: 0,
    dbs: databasesOn(d),
  };
  m.servers = m.servers.filter((x) => x.opts.port !== o.port);
  m.servers.push(s);
  if (o.journal) openJournal(d, s, t);
  log('initandlisten', `waiting for connections on port ${o.port}`);
  return { ok: true, server: s, output: out };
}

/** 2.6: 100 ms, or 30 ms when the journal directory is on another device than the data files */
export function commitInterval(w: MachineWorld, o: MongodOptions): number {
  if (o.journalCommitInterval > 0) return o.journalCommitInterval;
  return journalOnOtherDevice(w, o.dbpath) ? 30 : 100;
}

type DeviceProbe = (w: MachineWorld, path: string) => string | null;
let deviceOfPath: DeviceProbe = () => null;

/** The machine's block glue says which device a path is on (through symlinks), so the commit interval can tell. */
export function registerDeviceProbe(p: DeviceProbe): void {
  deviceOfPath = p;
}

function journalOnOtherDevice(w: MachineWorld, dbpath: string): boolean {
  const data = deviceOfPath(w, dbpath);
  const journal = deviceOfPath(w, `${dbpath}/journal`);
  return data !== null && journal !== null && data !== journal;
}

/** recover: replays the journal's sections past the lsn file's onto the data files, then removes the journal */
function recoverJournal(w: MachineWorld, d: MongodDisk, o: MongodOptions, t: number, log: (l: string) => void): number {
  const names = d.journal
    .list()
    .filter((n) => /^j\._\d+$/.test(n))
    .sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
  log('recover begin');
  const lsnBytes = d.journal.size('lsn') > 0 ? d.journal.read('lsn') : null;
  const last = lsnBytes ? store.decodeLsnFile(lsnBytes) : null;
  if (last !== null) log(`recover lsn: ${last}`);
  else log('recover : no lsn file, starting from the beginning');
  const journals = names.map((n) => {
    log(`recover ${o.dbpath}/journal/${n}`);
    return store.decodeJournal(d.journal.read(n));
  });
  const r = store.replayJournal(d.io, journals, last ?? 0);
  for (const f of new Set(r.writes.map((x) => x.file))) d.fsync(f, t);
  log('recover cleaning up');
  for (const n of names) d.journal.remove(n);
  d.journal.remove('lsn');
  log('removeJournalFiles');
  log('recover done');
  let lsn = last ?? 0;
  for (const j of journals) for (const sec of j.sections) lsn = Math.max(lsn, sec.lsn);
  void w;
  return lsn;
}

/**
 * This simulation's journal file size before a new one is begun: 2.6 rotates at 1 GB (128 MB with
 * --smallfiles), which would fill a saved game; the mechanism (rotate, then remove files whose
 * every section the data files already hold) is the same, at a smaller scale.
 */
export const JOURNAL_FILE_BYTES = 1 << 20;

function journalName(s: MongodState): string {
  return `j._${s.dur.journalFile}`;
}

function openJournal(d: MongodDisk, s: MongodState, t: number): void {
  d.journal.allocate(journalName(s), JOURNAL_FILE_BYTES);
  const header = store.encodeJournalHeader(journalName(s), s.opts.dbpath);
  d.journal.write(journalName(s), 0, header, t);
  s.dur.journalBytes = header.length;
}

/** a clean shutdown: a final commit and flush, the journal removed, the lock file emptied */
export function stopMongod(w: MachineWorld, s: MongodState, t: number, signal: string): Exited | null {
  const d = diskOf(w, s);
  logTo(w, s, t, 'signalProcessingThread', [`got signal 15 (${signal}), will terminate after current cmd ends`]);
  flushAll(w, s, t);
  logTo(w, s, t, 'signalProcessingThread', ['now exiting', 'dbexit: ', 'shutdown: going to close listening sockets...', 'shutdown: going to flush diaglog...', 'shutdown: going to close sockets...', 'shutdown: waiting for fs preallocator...', 'shutdown: lock for final commit...', 'shutdown: final commit...', 'shutdown: closing all files...', 'closeAllFiles() finished', 'journalCleanup...', 'removeJournalFiles', 'shutdown: removing fs lock...', 'dbexit: really exiting now']);
  for (const n of d.journal.list()) d.journal.remove(n);
  d.writeSmall('mongod.lock', new Uint8Array(0), t);
  const p = findProc(w.k, s.pid);
  mongoOf(w).servers = mongoOf(w).servers.filter((x) => x !== s);
  return p ? exitProc(w.k, p, 0) : null;
}

/** the process died without a word (SIGKILL, a crash, the box going down): files stay as they are */
export function mongodGone(w: MachineWorld, s: MongodState): void {
  mongoOf(w).servers = mongoOf(w).servers.filter((x) => x !== s);
}

function asciiBytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

// ---- the flusher and the journal ----

/** MemoryMappedFile::flushAll(true): an fsync of every data file; returns how many and when the last completed */
export function flushAll(w: MachineWorld, s: MongodState, t: number): { numFiles: number; doneAt: number } {
  const d = diskOf(w, s);
  let numFiles = 0;
  let doneAt = t;
  for (const db of s.dbs) {
    for (const f of store.databaseFiles(d.io, db)) {
      doneAt = Math.max(doneAt, d.fsync(f, t));
      numFiles++;
    }
  }
  if (s.opts.journal && s.dur.lsn > 0) {
    // the data is durable up to this sequence number: journal replay may skip what came before,
    // and the journal files holding nothing newer can go
    doneAt = Math.max(doneAt, d.journal.write('lsn', 0, store.encodeLsnFile(s.dur.lsn), doneAt));
    const keep: Array<[number, number]> = [];
    for (const [n, last] of s.dur.olderFiles ?? []) {
      if (last <= s.dur.lsn) d.journal.remove(`j._${n}`);
      else keep.push([n, last]);
    }
    s.dur.olderFiles = keep;
  }
  return { numFiles, doneAt };
}

/** the DataFileSync thread's flush every syncdelay seconds */
function backgroundFlush(w: MachineWorld, s: MongodState, t: number): void {
  const { doneAt } = flushAll(w, s, t);
  const ms = Math.round(doneAt - t);
  s.flush.flushes++;
  s.flush.totalMs += ms;
  s.flush.lastMs = ms;
  s.flush.lastFinished = doneAt;
  s.flush.nextAt = t + s.opts.syncdelay * 1000;
}

// ---- applying writes ----


/**
 * The group commit: the operations since the last one go to the journal as one section (written
 * straight to its device), then onto the data files' shared view (the page cache); their pages
 * are dirty from here on and reach the disk when the kernel or the next flush writes them.
 */
function groupCommit(w: MachineWorld, s: MongodState, view: PrivateView, t: number): void {
  const d = diskOf(w, s);
  if (view.writes.length === 0) return;
  s.dur.lsn++;
  // after an fsync lock removed the journal, the next commit begins a new file
  if (s.dur.journalBytes === 0) openJournal(d, s, t);
  let section = store.encodeJournalSection({ lsn: s.dur.lsn, writes: view.writes.map((x) => ({ ...x })) }, journalName(s));
  if (s.dur.journalBytes + section.length > JOURNAL_FILE_BYTES) {
    (s.dur.olderFiles ??= []).push([s.dur.journalFile, s.dur.lsn - 1]);
    s.dur.journalFile++;
    openJournal(d, s, t);
    section = store.encodeJournalSection({ lsn: s.dur.lsn, writes: view.writes.map((x) => ({ ...x })) }, journalName(s));
  }
  const done = d.journal.write(journalName(s), s.dur.journalBytes, section, t);
  s.dur.journalBytes += section.length;
  s.dur.journaledBytes += section.length;
  const applied = view.applyToFiles();
  s.dur.writeToDataFilesBytes += applied;
  s.dur.commits++;
  s.dur.lastCommitMs = Math.max(0, Math.round(done - t));
  const win = durWindow(s, t);
  win.commits++;
  win.journaledBytes += section.length;
  win.writeToDataFilesBytes += applied;
  win.writeToJournalMs += done - t;
}

/** applies operations [from, to) of the feed onto the secondary's store */
function applyOps(w: MachineWorld, s: MongodState, p: PrimaryModel, f: FeedConfig, count: number, t: number): void {
  const d = diskOf(w, s);
  // journaling, the batch's writes wait in the private view for the commit; without, they reach the
  // shared view at the same instant (the batch is one moment of the world's time): one view serves both
  const view = new PrivateView(d.io);
  const io = view;
  const opMs = (k: number): number => opTimeMs(p, k);
  const sync = s.sync!;
  for (let n = 0; n < count; n++) {
    const op = feedOp(f, sync.applied, opMs);
    if (!s.dbs.includes(f.db)) s.dbs.push(f.db);
    if (op.kind === 'insert') {
      store.insert(io, f.db, f.coll, op.doc, storeOpts(s));
      s.opcountersRepl.insert++;
    } else {
      store.update(io, f.db, f.coll, op.doc._id, op.doc, storeOpts(s));
      s.opcountersRepl.update++;
    }
    sync.applied++;
  }
  if (s.opts.journal) groupCommit(w, s, view, t);
  else s.dur.writeToDataFilesBytes += view.applyToFiles();
  (mongoOf(w).syncPoints ??= {})[s.opts.dbpath] = sync.applied;
}

/** 2.6's goStale: the RS102 lines, then RECOVERING for good (until a resync) */
function goStale(w: MachineWorld, s: MongodState, p: PrimaryModel, t: number): void {
  const sync = s.sync!;
  sync.stale = true;
  sync.state = 'RECOVERING';
  const ours = sync.applied > 0 ? opTimestamp(p, sync.applied - 1) : { t: Math.floor(p.electedAt / 1000), i: 0 };
  const oldest = opTimestamp(p, oldestOp(p, t));
  logTo(w, s, t, 'rsBackgroundSync', [
    `replSet error RS102 too stale to catch up, at least from ${p.host}`,
    `replSet our last optime : ${optimeLong(ours.t, ours.i)}`,
    `replSet oldest at ${p.host} : ${optimeLong(oldest.t, oldest.i)}`,
    'replSet See http://dochub.mongodb.org/core/resyncingaverystalereplicasetmember',
    'replSet error RS102 too stale to catch up',
    'replSet RECOVERING',
  ]);
}

/** the secondary's replication work up to t: stale check, then (unless locked) apply in commit-sized batches */
function replicate(w: MachineWorld, s: MongodState, from: number, t: number): void {
  const m = mongoOf(w);
  const p = m.primary;
  const f = m.feed;
  const sync = s.sync;
  if (!p || !f || !sync || sync.stale) return;
  if (isTooStale(p, sync, t)) {
    goStale(w, s, p, t);
    return;
  }
  if (s.fsyncLocks > 0) return;
  const n = applicable(p, sync, from, t);
  if (n > 0) applyOps(w, s, p, f, n, t);
}

/**
 * What the store cannot survive (a write through a pointer outside the files, a btree it cannot
 * walk: mmapv1's StoreFault) kills mongod as the segmentation fault or fatal assertion would: a
 * line in its log, the process gone, its lock file and journal left as they are.
 */
export function crashed(w: MachineWorld, s: MongodState, t: number, thread: string): void {
  logTo(w, s, t, thread, ['Got signal: 11 (Segmentation fault).']);
  const p = findProc(w.k, s.pid);
  if (p) exitProc(w.k, p, 139);
  mongodGone(w, s);
}

/** is this the store's way of saying mongod would crash here */
export function isStoreFault(e: unknown): boolean {
  return e instanceof store.StoreFault;
}

/**
 * A secondary that cannot apply an operation (its disk is full) stops as 2.6's rs_sync does: the
 * writer's exception, fassert 16360, abort. The process dies; its lock file and journal stay.
 */
function writerFailed(w: MachineWorld, s: MongodState, t: number): void {
  logTo(w, s, t, 'repl writer worker 1', ['ERROR: writer worker caught exception: 14031 Can\'t take a write lock while out of disk space', 'Fatal Assertion 16360']);
  rawTo(w, s, t, '\n\n***aborting after fassert() failure\n\n\n');
  const p = findProc(w.k, s.pid);
  if (p) exitProc(w.k, p, 134);
  mongodGone(w, s);
}

// ---- the timer source ----

function nextFor(w: MachineWorld, s: MongodState): number {
  if (!findProc(w.k, s.pid)) return Infinity;
  return Math.min(s.flush.nextAt, s.dur.nextCommitAt);
}

/** every mongod's group commits (with replication applied at each) and its flushes, in time order */
export const MONGOD_TIMER_SOURCE: TimerSource = {
  name: 'mongod',
  next: (w) => {
    let n = Infinity;
    for (const s of mongoOf(w).servers) n = Math.min(n, nextFor(w, s));
    return n;
  },
  fire: (w, t) => {
    for (const s of [...mongoOf(w).servers]) {
      if (!findProc(w.k, s.pid)) {
        mongodGone(w, s);
        continue;
      }
      if (s.dur.nextCommitAt <= t) {
        const interval = commitInterval(w, s.opts);
        const from = s.dur.lastStepAt;
        s.dur.lastStepAt = t;
        try {
          replicate(w, s, from, t);
        } catch (e) {
          if (isStoreFault(e)) {
            crashed(w, s, t, 'repl writer worker 1');
            continue;
          }
          if (!(e instanceof RangeError) || !e.message.startsWith('ENOSPC')) throw e;
          writerFailed(w, s, t);
          continue;
        }
        // an idle mongod wakes at the flush or when the primary's next operation is due, not every commit
        s.dur.nextCommitAt = t + interval;
        const m = mongoOf(w);
        if (s.sync && m.primary && (s.sync.stale || s.fsyncLocks > 0)) s.dur.nextCommitAt = Math.max(s.dur.nextCommitAt, Math.min(s.flush.nextAt, t + 10_000));
        else if (s.sync && m.primary) {
          const due = opTimeMs(m.primary, s.sync.applied);
          s.dur.nextCommitAt = Math.max(s.dur.nextCommitAt, Math.min(due, s.flush.nextAt, t + 10_000));
        } else s.dur.nextCommitAt = Math.max(s.dur.nextCommitAt, s.flush.nextAt);
      }
      if (s.flush.nextAt <= t) backgroundFlush(w, s, t);
    }
  },
};

// ---- replication setup for a scenario ----

/** makes a running mongod a SECONDARY of the primary `w.mongo.primary`, having applied `applied` operations (by default where its dbpath left off) */
export function joinAsSecondary(w: MachineWorld, s: MongodState, me: string, memberId: number, opts: { applied?: number; applyPerSec?: number; bufferBytes?: number } = {}): void {
  const m = mongoOf(w);
  const p = m.primary;
  if (!p) throw new RangeError('joinAsSecondary: no primary is set up (w.mongo.primary)');
  s.sync = {
    // a mongod restarted on the same files resumes where its own oplog says it was
    applied: opts.applied ?? m.syncPoints?.[s.opts.dbpath] ?? 0,
    me,
    memberId,
    state: 'SECONDARY',
    stale: false,
    lastHeartbeat: w.now,
    applyPerSec: opts.applyPerSec ?? 5_000,
    bufferOps: Math.floor((opts.bufferBytes ?? 256 * 1024 * 1024) / Math.max(1, p.opBytes)),
  };
}

/** the primary writes at this rate from `fromMs` on (the scenario's quiet day, its night import) */
export function setWriteRate(w: MachineWorld, fromMs: number, opsPerSec: number): void {
  const p = mongoOf(w).primary;
  if (!p) throw new RangeError('setWriteRate: no primary is set up');
  p.schedule = p.schedule.filter((x) => x.fromMs < fromMs);
  p.schedule.push({ fromMs, opsPerSec });
}

// ---- fsync and its lock ----

export interface Reply {
  /** fields in the order the server appends them */
  fields: Array<[string, unknown]>;
}

/** `{fsync: 1}` and `{fsync: 1, lock: true}`; their log lines; the reply's fields */
export function fsyncCommand(w: MachineWorld, s: MongodState, lock: boolean, async: boolean, t: number, conn: string): Array<[string, unknown]> {
  logTo(w, s, t, conn, [`CMD fsync: sync:${async ? 0 : 1} lock:${lock ? 1 : 0}`]);
  if (lock) {
    if (async) return [['errmsg', 'fsync: sync option must be true when using lock'], ['ok', 0]];
    // a second lock returns at once: its thread waits for the first unlock, then locks again
    if (s.fsyncLocks === 0) {
      s.replyAt = syncDataAndTruncateJournal(w, s, t);
      s.lockedAt = t;
    }
    s.fsyncLocks++;
    logTo(w, s, t, conn, ['db is now locked for snapshotting, no writes allowed. db.fsyncUnlock() to unlock', '    For more info see http://dochub.mongodb.org/core/fsynccommand']);
    return [
      ['info', 'now locked against writes, use db.fsyncUnlock() to unlock'],
      ['seeAlso', 'http://dochub.mongodb.org/core/fsynccommand'],
      ['ok', 1],
    ];
  }
  const { numFiles, doneAt } = flushAll(w, s, t);
  s.replyAt = doneAt;
  return [
    ['numFiles', numFiles],
    ['ok', 1],
  ];
}

/**
 * dur.cpp's syncDataAndTruncateJournal, which the lock thread runs before it holds the lock: the
 * data files flushed, then every journal file removed (nothing in them is needed any more). A
 * snapshot taken while locked therefore holds a full lock file and no journal.
 */
function syncDataAndTruncateJournal(w: MachineWorld, s: MongodState, t: number): number {
  const { doneAt } = flushAll(w, s, t);
  if (!s.opts.journal) return doneAt;
  const d = diskOf(w, s);
  for (const n of d.journal.list()) d.journal.remove(n);
  s.dur.olderFiles = [];
  s.dur.journalFile = 0;
  s.dur.journalBytes = 0;
  return doneAt;
}

/** `admin.$cmd.sys.unlock`: instance.cpp's unlockFsync */
export function unlockFsync(w: MachineWorld, s: MongodState, t: number, conn: string): Array<[string, unknown]> {
  logTo(w, s, t, conn, ['command: unlock requested']);
  if (s.fsyncLocks === 0) return [
    ['ok', 0],
    ['errmsg', 'not locked'],
  ];
  s.fsyncLocks--;
  if (s.fsyncLocks > 0) {
    // the waiting lock thread takes the lock again, after its own flush
    syncDataAndTruncateJournal(w, s, t);
    s.lockedAt = t;
  } else if (s.sync) {
    s.dur.nextCommitAt = Math.min(s.dur.nextCommitAt, t + commitInterval(w, s.opts));
    s.dur.lastStepAt = t;
  }
  return [
    ['ok', 1],
    ['info', 'unlock completed'],
  ];
}

/** a client connects: 2.6's accept line; returns the connection's thread name */
export function connect(w: MachineWorld, s: MongodState, t: number, from: string): string {
  s.connId++;
  s.conns.current++;
  s.conns.totalCreated++;
  logTo(w, s, t, 'initandlisten', [`connection accepted from ${from} #${s.connId} (${s.conns.current} connection${s.conns.current === 1 ? '' : 's'} now open)`]);
  return `conn${s.connId}`;
}

export function disconnect(w: MachineWorld, s: MongodState, t: number, thread: string, from: string): void {
  s.conns.current = Math.max(0, s.conns.current - 1);
  logTo(w, s, t, thread, [`end connection ${from} (${s.conns.current} connection${s.conns.current === 1 ? '' : 's'} now open)`]);
}
