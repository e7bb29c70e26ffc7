/**
 * The server's side of a shell connection: database commands and queries answered from the
 * mongod's state and its store, with 2.6's reply fields in 2.6's order. Replies are the shell's
 * own values (JsObj), so the shell prints them exactly as it would print what came over the wire.
 */
import { Binary, Long, ObjectId, Timestamp, type Document } from 'bson';
import * as store from '../../storage/mmapv1';
import type { MachineWorld } from '../world';
import { appliedOptimeMs, lastOptimeMs, opsWritten, opTimeMs, opTimestamp, oplogCapacity } from './repl';
import { findProc } from '../../kernel/procs';
import { BUILD_INFO, crashed, diskOf, durStats, fsyncCommand, isStoreFault, GIT_VERSION, mongoOf, MONGO_VERSION, unlockFsync, type MongodState } from './server';
import { JsObj, NumberIntV, NumberLongV, ObjectIdV, TimestampV, jsString, type JsVal } from './values';
import { sortDocs } from './sortOrder';

/** a BSON value as the shell holds it */
export function fromBson(v: unknown): JsVal {
  if (v === null) return null;
  if (v === undefined) return undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v;
  if (Array.isArray(v)) return v.map(fromBson);
  const bt = (v as { _bsontype?: string })._bsontype;
  if (bt === 'ObjectId' || bt === 'ObjectID') return new ObjectIdV((v as ObjectId).toHexString());
  if (bt === 'Long') return new NumberLongV((v as Long).toString());
  if (bt === 'Timestamp') {
    const ts = v as Timestamp;
    return new TimestampV(ts.high >>> 0, ts.low >>> 0);
  }
  if (bt === 'Int32' || bt === 'Double') return Number((v as { value: number }).value);
  if (bt === 'Binary') return `BinData(${(v as Binary).sub_type},"${(v as Binary).toString('base64')}")`;
  const o = new JsObj();
  for (const [k, x] of Object.entries(v as Document)) o.set(k, fromBson(x));
  return o;
}

/** a shell value as a BSON-ready one (a query's values, an _id to look up) */
export function toBson(v: JsVal): unknown {
  if (v instanceof ObjectIdV) return ObjectId.createFromHexString(v.hex);
  if (v instanceof NumberLongV) return Long.fromString(v.dec);
  if (v instanceof JsObj) {
    const o: Document = {};
    for (const [k, x] of v.m) o[k] = toBson(x);
    return o;
  }
  if (Array.isArray(v)) return v.map(toBson);
  return v;
}

const obj = (fields: Array<[string, JsVal]>): JsObj => JsObj.of(fields);
const date = (ms: number): Date => new Date(Math.floor(ms));
/** rs.status and the optime fields carry whole seconds */
const secDate = (ms: number): Date => new Date(Math.floor(ms / 1000) * 1000);

function reply(fields: Array<[string, unknown]>): JsObj {
  return obj(fields.map(([k, v]) => [k, v as JsVal]));
}

export interface ConnCtx {
  w: MachineWorld;
  s: MongodState;
  /** the connection's thread name for the log ([connN]) */
  thread: string;
  t: number;
}

const NO_REPL = (): JsObj => obj([
  ['ok', 0],
  ['errmsg', 'not running with --replSet'],
]);

/** replSetGetStatus, as a secondary reports itself and its primary */
export function replSetStatus(c: ConnCtx): JsObj {
  const m = mongoOf(c.w);
  const p = m.primary;
  const sync = c.s.sync;
  if (!c.s.opts.replSet || !p || !sync) return NO_REPL();
  const t = c.t;
  const primaryOpt = lastOptimeMs(p, t);
  const primaryTs = opsWritten(p, t) === 0 ? { t: Math.floor(p.electedAt / 1000), i: 0 } : opTimestamp(p, opsWritten(p, t) - 1);
  const mineMs = appliedOptimeMs(p, sync);
  const mineTs = sync.applied === 0 ? { t: Math.floor(p.electedAt / 1000), i: 0 } : opTimestamp(p, sync.applied - 1);
  const hb = Math.floor(t / 2000) * 2000;
  const electionTs = new TimestampV(Math.floor(p.electedAt / 1000), 1);
  const primary = obj([
    ['_id', p.memberId],
    ['name', p.host],
    ['health', 1],
    ['state', 1],
    ['stateStr', 'PRIMARY'],
    ['uptime', Math.floor((t - Math.max(p.startedAt, c.s.startedAt)) / 1000)],
    ['optime', new TimestampV(primaryTs.t, primaryTs.i)],
    ['optimeDate', secDate(primaryOpt)],
    ['lastHeartbeat', date(Math.floor(hb / 1000) * 1000)],
    ['lastHeartbeatRecv', date(Math.floor((hb - 1000) / 1000) * 1000)],
    ['pingMs', 0],
    ['electionTime', electionTs],
    ['electionDate', secDate(p.electedAt)],
  ]);
  const self = obj([
    ['_id', sync.memberId],
    ['name', sync.me],
    ['health', 1],
    ['state', sync.state === 'SECONDARY' ? 2 : sync.state === 'RECOVERING' ? 3 : 5],
    ['stateStr', sync.state],
    ['uptime', Math.floor((t - c.s.startedAt) / 1000)],
    ['optime', new TimestampV(mineTs.t, mineTs.i)],
    ['optimeDate', secDate(mineMs)],
    ...(sync.stale ? ([['infoMessage', 'error RS102 too stale to catch up']] as Array<[string, JsVal]>) : []),
    ['self', true],
  ]);
  const members = p.memberId < sync.memberId ? [primary, self] : [self, primary];
  return obj([
    ['set', c.s.opts.replSet],
    ['date', secDate(t)],
    ['myState', sync.state === 'SECONDARY' ? 2 : sync.state === 'RECOVERING' ? 3 : 5],
    ...(sync.stale ? [] : ([['syncingTo', p.host]] as Array<[string, JsVal]>)),
    ['members', members],
    ['ok', 1],
  ]);
}

export function isMasterReply(c: ConnCtx): JsObj {
  const m = mongoOf(c.w);
  const p = m.primary;
  const sync = c.s.sync;
  const common: Array<[string, JsVal]> = [
    ['maxBsonObjectSize', 16777216],
    ['maxMessageSizeBytes', 48000000],
    ['maxWriteBatchSize', 1000],
    ['localTime', date(c.t)],
    ['maxWireVersion', 2],
    ['minWireVersion', 0],
    ['ok', 1],
  ];
  if (!c.s.opts.replSet || !p || !sync) return obj([['ismaster', true], ...common]);
  return obj([
    ['setName', c.s.opts.replSet],
    ['setVersion', 1],
    ['ismaster', false],
    ['secondary', sync.state === 'SECONDARY'],
    ['hosts', [p.host, sync.me]],
    ...(sync.stale ? [] : ([['primary', p.host]] as Array<[string, JsVal]>)),
    ['me', sync.me],
    ...common,
  ]);
}

const MB = 1024 * 1024;

/** serverStatus: the sections this simulation keeps (locks, metrics and recordStats are not modelled) */
export function serverStatus(c: ConnCtx): JsObj {
  const s = c.s;
  const t = c.t;
  const d = diskOf(c.w, s);
  let mappedBytes = 0;
  for (const db of s.dbs) for (const f of store.databaseFiles(d.io, db)) mappedBytes += d.io.size(f);
  const mappedMb = Math.round(mappedBytes / MB);
  // the process's own memory, as the kernel counts it: its resident pages and its address space besides the mappings
  const mm = findProc(c.w.k, s.pid)?.mm;
  const residentMb = mm ? Math.round((mm.shareKb + mm.privKb + mm.fileKb) / 1024) : 0;
  const virtualMb = mm ? Math.round(mm.vszKb / 1024) : 0;
  const counters = (x: typeof s.opcounters): JsObj => obj([
    ['insert', x.insert],
    ['query', x.query],
    ['update', x.update],
    ['delete', x.delete],
    ['getmore', x.getmore],
    ['command', x.command],
  ]);
  const avg = s.flush.flushes === 0 ? 0 : s.flush.totalMs / s.flush.flushes;
  const fields: Array<[string, JsVal]> = [
    ['host', s.host.replace(/:27017$/, '')],
    ['version', MONGO_VERSION],
    ['process', 'mongod'],
    ['pid', NumberLongV.of(s.pid)],
    ['uptime', Math.floor((t - s.startedAt) / 1000)],
    ['uptimeMillis', NumberLongV.of(Math.floor(t - s.startedAt))],
    ['uptimeEstimate', Math.floor((t - s.startedAt) / 1000)],
    ['localTime', date(t)],
    [
      'backgroundFlushing',
      obj([
        ['flushes', s.flush.flushes],
        ['total_ms', s.flush.totalMs],
        ['average_ms', avg],
        ['last_ms', s.flush.lastMs],
        ['last_finished', date(s.flush.lastFinished)],
      ]),
    ],
    [
      'connections',
      obj([
        ['current', s.conns.current],
        ['available', 819 - s.conns.current],
        ['totalCreated', NumberLongV.of(s.conns.totalCreated)],
      ]),
    ],
  ];
  if (s.opts.journal) {
    const win = durStats(s, t);
    const mb = (b: number): number => Math.round((b / MB) * 1000) / 1000;
    fields.push([
      'dur',
      obj([
        ['commits', win.commits],
        ['journaledMB', mb(win.journaledBytes)],
        ['writeToDataFilesMB', mb(win.writeToDataFilesBytes)],
        ['compression', 0],
        ['commitsInWriteLock', 0],
        ['earlyCommits', 0],
        [
          'timeMs',
          obj([
            ['dt', Math.round(win.to - win.from)],
            ['prepLogBuffer', 0],
            ['writeToJournal', Math.round(win.writeToJournalMs)],
            ['writeToDataFiles', 0],
            ['remapPrivateView', 0],
          ]),
        ],
      ]),
    ]);
  }
  fields.push(
    [
      'mem',
      obj([
        ['bits', 64],
        ['resident', residentMb],
        ['virtual', virtualMb + mappedMb * (s.opts.journal ? 2 : 1)],
        ['supported', true],
        ['mapped', mappedMb],
        ['mappedWithJournal', mappedMb * (s.opts.journal ? 2 : 1)],
      ]),
    ],
    ['opcounters', counters(s.opcounters)],
    ['opcountersRepl', counters(s.opcountersRepl)],
  );
  const m = mongoOf(c.w);
  if (s.opts.replSet && m.primary && s.sync)
    fields.push([
      'repl',
      obj([
        ['setName', s.opts.replSet],
        ['setVersion', 1],
        ['ismaster', false],
        ['secondary', s.sync.state === 'SECONDARY'],
        ['hosts', [m.primary.host, s.sync.me]],
        ...(s.sync.stale ? [] : ([['primary', m.primary.host]] as Array<[string, JsVal]>)),
        ['me', s.sync.me],
      ]),
    ]);
  fields.push(['ok', 1]);
  return obj(fields);
}

/** `admin.$cmd.sys.inprog`: what db.currentOp() asks (operations in progress are not modelled: the list is empty) */
export function currentOpReply(c: ConnCtx): JsObj {
  const fields: Array<[string, JsVal]> = [['inprog', []]];
  if (c.s.fsyncLocks > 0) {
    fields.push(['fsyncLock', true], ['info', 'use db.fsyncUnlock() to terminate the fsync write/snapshot lock']);
  }
  return obj(fields);
}

export function unlockReply(c: ConnCtx, db: string): JsObj {
  if (db !== 'admin') return obj([['err', 'unauthorized - this command must be run against the admin DB']]);
  return reply(unlockFsync(c.w, c.s, c.t, c.thread));
}

/** getReplicationInfo's numbers: the oplog as this member holds it (what it has applied, capped) */
export function oplogInfo(c: ConnCtx): { sizeBytes: number; firstMs: number; lastMs: number } | null {
  const p = mongoOf(c.w).primary;
  const sync = c.s.sync;
  if (!p || !sync || sync.applied === 0) return null;
  const first = Math.max(0, sync.applied - oplogCapacity(p));
  return { sizeBytes: p.oplogBytes, firstMs: opTimeMs(p, first), lastMs: opTimeMs(p, sync.applied - 1) };
}

function noSuchCmd(name: string, cmd: JsObj): JsObj {
  return obj([
    ['ok', 0],
    ['errmsg', `no such cmd: ${name}`],
    ['code', 59],
    ['bad cmd', cmd],
  ]);
}

const ADMIN_ONLY = new Set(['fsync', 'replSetGetStatus', 'listDatabases', 'shutdown']);

/** runs a command against a database; the reply the shell gets */
/** commands a secondary runs only for a client that allows reads from it (their slaveOverrideOk) */
const READS = new Set(['count']);

/** `slaveOk`: the client called rs.slaveOk() (the query flag a driver sets) */
export function runCommand(c: ConnCtx, db: string, cmd: JsObj, slaveOk = true): JsObj {
  const first = [...cmd.m.keys()][0];
  c.s.opcounters.command++;
  // execCommand's check on a member that is not the primary
  if (first !== undefined && READS.has(first) && c.s.sync && !slaveOk) return obj([
    ['note', 'from execCommand'],
    ['ok', 0],
    ['errmsg', 'not master'],
  ]);
  if (first === undefined) return obj([
    ['ok', 0],
    ['errmsg', 'no such cmd: '],
    ['code', 59],
    ['bad cmd', cmd],
  ]);
  // commands registered under an old name as well (Command's oldName)
  const name = first === 'ismaster' ? 'isMaster' : first === 'buildinfo' ? 'buildInfo' : first === 'dbstats' ? 'dbStats' : first;
  if (ADMIN_ONLY.has(name) && db !== 'admin') return obj([
    ['ok', 0],
    ['errmsg', 'access denied; use admin db'],
  ]);
  const arg = cmd.m.get(first);
  const truthyField = (k: string): boolean => trueValue(cmd.m.get(k));
  switch (name) {
    case 'fsync':
      return reply(fsyncCommand(c.w, c.s, truthyField('lock'), truthyField('async'), c.t, c.thread));
    case 'serverStatus':
      return serverStatus(c);
    case 'replSetGetStatus':
      return replSetStatus(c);
    case 'isMaster':
      return isMasterReply(c);
    case 'ping':
      return obj([['ok', 1]]);
    case 'listDatabases': {
      // 2.6's listDatabases: each database's files, and whether it holds no more than its preallocation
      const dbs = databasesOnDisk(c);
      return obj([
        ['databases', dbs.map((x) => obj([['name', x.name], ['sizeOnDisk', x.sizeOnDisk], ['empty', x.sizeOnDisk <= 1]]))],
        ['totalSize', dbs.reduce((n, x) => n + x.sizeOnDisk, 0)],
        ['ok', 1],
      ]);
    }
    case 'buildInfo':
      return obj([
        ['version', MONGO_VERSION],
        ['gitVersion', GIT_VERSION],
        ['sysInfo', BUILD_INFO],
        ['allocator', 'tcmalloc'],
        ['versionArray', MONGO_VERSION.split('.').map(Number).concat([0])],
        ['javascriptEngine', 'V8'],
        ['bits', 64],
        ['debug', false],
        ['maxBsonObjectSize', 16777216],
        ['ok', 1],
      ]);
    case 'count': {
      const coll = typeof arg === 'string' ? arg : jsString(arg);
      const q = cmd.m.get('query');
      if (q instanceof JsObj && q.m.size > 0) {
        const r = queryDocs(c, db, coll, q, 0, 0, true);
        if ('down' in r) throw new ServerDown('the server went down');
        if ('err' in r) return obj([
          ['ok', 0],
          ['errmsg', String(r.err.get('$err'))],
        ]);
        return obj([
          ['n', r.docs.length],
          ['ok', 1],
        ]);
      }
      const d = diskOf(c.w, c.s);
      const n = guarded(c, () => (store.databaseExists(d.io, db) && store.listCollections(d.io, db).includes(coll) ? store.count(d.io, db, coll) : 0));
      return obj([
        ['n', n],
        ['ok', 1],
      ]);
    }
    case 'dbStats':
      return dbStatsReply(c, db, cmd.m.get('scale'));
    case 'validate': {
      const coll = typeof arg === 'string' ? arg : jsString(arg);
      const d = diskOf(c.w, c.s);
      if (!store.databaseExists(d.io, db) || !store.listCollections(d.io, db).includes(coll)) return obj([
        ['ok', 0],
        ['errmsg', 'ns not found'],
      ]);
      try {
        const v = guarded(c, () => store.validate(d.io, db, coll, { full: truthyField('full') }));
        const o = fromBson(v) as JsObj;
        if (!o.m.has('ok')) o.set('ok', 1);
        return o;
      } catch (e) {
        const a = assertionOf(e);
        if (!a) throw e;
        return obj([
          ['ok', 0],
          ['errmsg', `exception: ${a.message}`],
          ['code', a.code],
        ]);
      }
    }
    default:
      return noSuchCmd(first, cmd);
  }
}

/** whether a value counts as true where mongod reads an option (BSONElement::trueValue) */
function trueValue(v: JsVal | undefined): boolean {
  return v !== undefined && v !== null && v !== false && v !== 0 && v !== '';
}

/**
 * dbStats (CmdDBStats in 2.6's dbcommands.cpp): the sizes divided by `scale`, as whole numbers; a
 * database with no files answers with zeros, no nsSizeMB, an empty format and no free list.
 */
function dbStatsReply(c: ConnCtx, db: string, scaleArg: JsVal | undefined): JsObj {
  let scale = 1;
  if (typeof scaleArg === 'number' || scaleArg instanceof NumberLongV || scaleArg instanceof NumberIntV) {
    // numberInt(): a double is cut to an int
    scale = typeof scaleArg === 'number' ? Math.trunc(scaleArg) | 0 : scaleArg instanceof NumberIntV ? scaleArg.v : scaleArg.toNumber() | 0;
    if (scale <= 0) return obj([['ok', 0], ['errmsg', 'scale has to be > 0']]);
  } else if (trueValue(scaleArg)) return obj([['ok', 0], ['errmsg', 'scale has to be a number > 0']]);
  const d = diskOf(c.w, c.s);
  const s = guarded(c, () => store.databaseStats(d.io, db));
  const scaled = (n: number): number => Math.trunc(n / scale);
  const fields: Array<[string, JsVal]> = [
    ['db', db],
    ['collections', s?.collections ?? 0],
    ['objects', s?.objects ?? 0],
    ['avgObjSize', s && s.objects > 0 ? s.dataSize / s.objects : 0],
    ['dataSize', scaled(s?.dataSize ?? 0)],
    ['storageSize', scaled(s?.storageSize ?? 0)],
    ['numExtents', s?.numExtents ?? 0],
    ['indexes', s?.indexes ?? 0],
    ['indexSize', scaled(s?.indexSize ?? 0)],
    ['fileSize', scaled(s?.fileSize ?? 0)],
  ];
  if (s) fields.push(['nsSizeMB', s.nsSizeMB]);
  fields.push(['dataFileVersion', obj(s ? [['major', s.version.major], ['minor', s.version.minor]] : [])]);
  if (s) fields.push(['extentFreeList', obj([['num', s.freeList.num], ['totalSize', scaled(s.freeList.totalSize)]])]);
  fields.push(['ok', 1]);
  return obj(fields);
}

/** an assertion the store threw (its shape, or null for anything else) */
export function assertionOf(e: unknown): store.MongoAssertion | null {
  const a = (e as { assertion?: store.MongoAssertion } | null)?.assertion;
  return a && typeof a.code === 'number' && typeof a.message === 'string' ? a : null;
}

function matches(doc: JsObj, filter: JsObj): boolean {
  for (const [k, want] of filter.m) {
    const got = doc.m.get(k);
    if (want instanceof ObjectIdV) {
      if (!(got instanceof ObjectIdV) || got.hex !== want.hex) return false;
    } else if (want instanceof Date) {
      if (!(got instanceof Date) || got.getTime() !== want.getTime()) return false;
    } else if (Array.isArray(got) && !Array.isArray(want)) {
      if (!got.some((x) => x === want)) return false;
    } else if (got !== want) return false;
  }
  return true;
}

/** down: the server crashed answering (the connection dropped under the client) */
export type QueryResult = { docs: JsObj[] } | { err: JsObj } | { down: true };

/** the connection's server died while it answered */
export class ServerDown extends Error {}

/** runs a piece of the server's work; a store fault takes the server down and says so */
export function guarded<T>(c: ConnCtx, work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (!isStoreFault(e)) throw e;
    crashed(c.w, c.s, c.t, c.thread);
    throw new ServerDown('the server went down');
  }
}

/** a query filter this simulation can answer (equality on top-level fields); the operator it cannot */
export function unsupportedOperator(filter: JsObj): string | null {
  for (const [k, v] of filter.m) {
    if (k.startsWith('$')) return k;
    if (v instanceof JsObj) for (const kk of v.m.keys()) if (kk.startsWith('$')) return kk;
  }
  return null;
}

/** the databases whose files are in the dbpath, sorted, with their files' size (listDatabases, show dbs) */
export function databasesOnDisk(c: ConnCtx): Array<{ name: string; sizeOnDisk: number }> {
  const d = diskOf(c.w, c.s);
  return d
    .list()
    .filter((n) => n.endsWith('.ns'))
    .map((n) => n.slice(0, -3))
    .filter((db) => store.databaseExists(d.io, db))
    .sort()
    .map((name) => ({ name, sizeOnDisk: store.databaseFiles(d.io, name).reduce((n, f) => n + d.io.size(f), 0) }));
}

/**
 * A sort spec as the shell sends it ({field: 1 or -1, ...}); null when a direction is not a number
 * (2.6 refuses such a query: "bad sort specification")
 */
export function sortSpec(sort: JsObj): Array<[string, number]> | null {
  const out: Array<[string, number]> = [];
  for (const [k, v] of sort.m) {
    const n = typeof v === 'number' ? v : v instanceof NumberLongV ? v.toNumber() : typeof v === 'boolean' ? Number(v) : NaN;
    if (!Number.isFinite(n)) return null;
    out.push([k, n < 0 ? -1 : 1]);
  }
  return out;
}

/**
 * A query's first batch: a collection scan in natural order (an `_id` equality goes through the
 * index, as 2.6's planner would), `skip` then up to `limit` matches (0: the whole first batch of
 * 101). A sort on `_id` walks the _id index; on `$natural`, the scan's order; on other fields,
 * every match is read and sorted in memory. A bad record in the way answers with the server's `$err`.
 */
export function queryDocs(c: ConnCtx, db: string, coll: string, filter: JsObj, skip: number, limit: number, slaveOk: boolean, sort: Array<[string, number]> = []): QueryResult {
  c.s.opcounters.query++;
  const sync = c.s.sync;
  if (sync && !slaveOk) return { err: obj([
    ['$err', 'not master and slaveOk=false'],
    ['code', 13435],
  ]) };
  if (sync && sync.state === 'RECOVERING') return { err: obj([
    ['$err', 'not master or secondary; cannot currently read from this replSet member'],
    ['code', 13436],
  ]) };
  const d = diskOf(c.w, c.s);
  if (!store.databaseExists(d.io, db) || !store.listCollections(d.io, db).includes(coll)) return { docs: [] };
  const batch = limit > 0 ? limit : 101;
  const err = (a: store.MongoAssertion): QueryResult => ({ err: obj([
    ['$err', a.message],
    ['code', a.code],
  ]) });
  try {
    const id = filter.m.get('_id');
    if (sort.length === 1 && sort[0]![0] === '_id' && !(filter.m.size === 1 && id !== undefined)) {
      const accept = filter.m.size === 0 ? undefined : (doc: Document): boolean => matches(fromBson(doc) as JsObj, filter);
      const r = store.scanByIdOrder(d.io, db, coll, { skip, limit: batch, reverse: sort[0]![1] < 0, accept });
      if (r.error && r.docs.length < batch) return err(r.error);
      return { docs: r.docs.map((x) => fromBson(x) as JsObj) };
    }
    if (sort.length > 0 && !(filter.m.size === 1 && id !== undefined)) {
      // the whole collection is read before the first document can be returned
      const r = store.scan(d.io, db, coll, {});
      if (r.error) return err(r.error);
      let docs = r.docs.map((x) => fromBson(x) as JsObj).filter((x) => matches(x, filter));
      if (sort.length === 1 && sort[0]![0] === '$natural') {
        if (sort[0]![1] < 0) docs.reverse();
      } else docs = sortDocs(docs, sort);
      return { docs: docs.slice(skip, skip + batch) };
    }
    if (filter.m.size === 1 && id !== undefined) {
      const doc = store.findById(d.io, db, coll, toBson(id));
      return { docs: doc && skip === 0 ? [fromBson(doc) as JsObj] : [] };
    }
    if (filter.m.size === 0) {
      const r = store.scan(d.io, db, coll, { skip, limit: batch });
      if (r.error) return err(r.error);
      return { docs: r.docs.map((x) => fromBson(x) as JsObj) };
    }
    const r = store.scan(d.io, db, coll, {});
    const docs = r.docs.map((x) => fromBson(x) as JsObj).filter((x) => matches(x, filter));
    if (r.error && docs.length < skip + batch) return err(r.error);
    return { docs: docs.slice(skip, skip + batch) };
  } catch (e) {
    if (isStoreFault(e)) {
      crashed(c.w, c.s, c.t, c.thread);
      return { down: true };
    }
    const a = assertionOf(e);
    if (!a) throw e;
    return err(a);
  }
}
