/**
 * The 2.6 shell's objects over one connection: `db` (DB), its collections (DBCollection), their
 * cursors (DBQuery), `rs`, and the global helpers (print, printjson, tojson, ObjectId, ISODate,
 * NumberLong...). Each helper does what 2.6's db.js, collection.js, query.js and utils.js do, and
 * prints what they print; errors thrown from those files carry their file and line as 2.6 shows
 * them (" at src/mongo/shell/query.js:131").
 */
import { currentOpReply, oplogInfo, queryDocs, runCommand, ServerDown, sortSpec, unlockReply, unsupportedOperator, type ConnCtx } from './commands';
import { shellLogLine } from './log';
import { NOT_CONSTRUCTOR, Scope } from './interp';
import { MONGO_VERSION } from './server';
import { tojson, tojsononeline } from './tojson';
import { projector } from './sortOrder';
import { dateString, FnV, HostObj, JsObj, JsThrow, jsString, NumberIntV, NumberLongV, ObjectIdV, TimestampV, type JsVal } from './values';

/** the shell's session: its connection, what it printed, and its settings */
export interface ShellSession {
  conn: ConnCtx;
  out: string[];
  /** rs.slaveOk() was called: reads may go to a secondary */
  slaveOk: boolean;
  /** DBQuery.shellBatchSize: how many documents the shell prints of a cursor at a time (20) */
  batchSize?: number;
  /** the server went down under the connection */
  down?: boolean;
}

/** 2.6's DBQuery._exec when the connection drops: the client's log line, then the query's error */
function connectionLost(sh: ShellSession): JsThrow {
  sh.down = true;
  sh.out.push(shellLogLine(sh.conn.t, 'DBClientCursor::init call() failed').slice(0, -1));
  return new JsThrow('Error: error doing query: failed', 'src/mongo/shell/query.js:81');
}

const QUERY_JS = 'src/mongo/shell/query.js:131';

function arg(args: JsVal[], i: number): JsVal {
  return args[i];
}

function asObj(v: JsVal): JsObj {
  return v instanceof JsObj ? v : new JsObj();
}

export class DBObj extends HostObj {
  constructor(
    readonly sh: ShellSession,
    readonly name: string,
  ) {
    super();
  }
  toString(): string {
    return this.name;
  }
  override tojson(): string {
    return this.name;
  }
  override shellPrint(): string[] {
    return [this.name];
  }
  private fn(name: string, f: (args: JsVal[]) => JsVal): FnV {
    return new FnV(name, (_self, args) => f(args));
  }
  command(cmd: JsObj): JsObj {
    if (this.sh.down) throw connectionLost(this.sh);
    try {
      return runCommand(this.sh.conn, this.name, cmd, this.sh.slaveOk);
    } catch (e) {
      if (e instanceof ServerDown) throw connectionLost(this.sh);
      throw e;
    }
  }
  get(name: string): JsVal {
    const sh = this.sh;
    switch (name) {
      case 'getName':
        return this.fn(name, () => this.name);
      case 'getSiblingDB':
      case 'getSisterDB':
        return this.fn(name, (a) => new DBObj(sh, jsString(arg(a, 0))));
      case 'getCollection':
        return this.fn(name, (a) => new CollObj(this, jsString(arg(a, 0))));
      case 'runCommand':
        return this.fn(name, (a) => {
          const c = arg(a, 0);
          return this.command(typeof c === 'string' ? JsObj.of([[c, 1]]) : asObj(c));
        });
      case 'adminCommand':
        return this.fn(name, (a) => {
          const c = arg(a, 0);
          return new DBObj(sh, 'admin').command(typeof c === 'string' ? JsObj.of([[c, 1]]) : asObj(c));
        });
      case 'serverStatus':
        return this.fn(name, () => this.command(JsObj.of([['serverStatus', 1]])));
      case 'getCollectionNames':
        return this.fn(name, () => collectionNames(this));
      case 'stats':
        // db.js: this.runCommand({ dbstats: 1, scale: scale })
        return this.fn(name, (a) => this.command(JsObj.of([['dbstats', 1], ['scale', arg(a, 0)]])));
      case 'isMaster':
        return this.fn(name, () => this.command(JsObj.of([['isMaster', 1]])));
      case 'version':
        return this.fn(name, () => new DBObj(sh, 'admin').command(JsObj.of([['buildinfo', 1]])).get('version'));
      case 'serverBuildInfo':
        return this.fn(name, () => new DBObj(sh, 'admin').command(JsObj.of([['buildinfo', 1]])));
      case 'fsyncLock':
        return this.fn(name, () => new DBObj(sh, 'admin').command(JsObj.of([['fsync', 1], ['lock', true]])));
      case 'fsyncUnlock':
        // db.js: this.getSiblingDB("admin").$cmd.sys.unlock.findOne()
        return this.fn(name, () => unlockReply(sh.conn, 'admin'));
      case 'currentOp':
        return this.fn(name, () => currentOpReply(sh.conn));
      case 'getReplicationInfo':
        return this.fn(name, () => replicationInfo(this));
      case 'printReplicationInfo':
        return this.fn(name, () => {
          printReplicationInfo(this);
          return undefined;
        });
      case 'printSlaveReplicationInfo':
        return this.fn(name, () => {
          printSlaveReplicationInfo(this);
          return undefined;
        });
      case 'getMongo':
        return this.fn(name, () => new ConnObj(this));
      case 'toString':
      case 'tojson':
        return this.fn(name, () => this.name);
      default:
        return new CollObj(this, name);
    }
  }
}

/** as many documents as a cursor's batches hold to the end: the shell iterates it to the last */
const TO_THE_END = 0x7fffffff;

/**
 * db.js's getCollectionNames (2.6): system.namespaces read like any collection, so a secondary
 * refuses it without slaveOk as it refuses any query; an index's entry ($ in its name) is left
 * out, an oplog's is not; each name without the database's; sorted. `show collections` prints these.
 */
export function collectionNames(db: DBObj): string[] {
  const prefix = db.name.length + 1;
  const all: string[] = [];
  for (const doc of new QueryObj(new CollObj(db, 'system.namespaces'), new JsObj(), 0, TO_THE_END, false).fetch()) {
    const name = jsString(doc.get('name'));
    if (name.includes('$') && !name.includes('.oplog.$')) continue;
    all.push(name.slice(prefix));
  }
  return all.sort();
}

/** db.getMongo(): the shell's connection (mongo.js's Mongo) */
export class ConnObj extends HostObj {
  constructor(private readonly db: DBObj) {
    super();
  }
  toString(): string {
    return `connection to ${this.db.sh.conn.s.host.replace(/^[^:]*/, '127.0.0.1')}`;
  }
  override tojson(): string {
    return this.toString();
  }
  override shellPrint(): string[] {
    return [this.toString()];
  }
  get(name: string): JsVal {
    const sh = this.db.sh;
    switch (name) {
      case 'getDBNames':
        // mongo.js: this.getDBs().databases, mapped to their names
        return new FnV(name, () => {
          const res = new DBObj(sh, 'admin').command(JsObj.of([['listDatabases', 1]]));
          if (res.get('ok') !== 1) throw new JsThrow(`listDatabases failed:${tojson(res)}`);
          const dbs = res.get('databases');
          return Array.isArray(dbs) ? dbs.map((x) => (x instanceof JsObj ? x.get('name') : undefined)) : [];
        });
      case 'getDBs':
        return new FnV(name, () => new DBObj(sh, 'admin').command(JsObj.of([['listDatabases', 1]])));
      case 'getDB':
        return new FnV(name, (_s, a) => new DBObj(sh, jsString(a[0])));
      case 'toString':
      case 'tojson':
        return new FnV(name, () => this.toString());
      default:
        return undefined;
    }
  }
}

export class CollObj extends HostObj {
  constructor(
    readonly db: DBObj,
    readonly name: string,
  ) {
    super();
  }
  get fullName(): string {
    return `${this.db.name}.${this.name}`;
  }
  toString(): string {
    return this.fullName;
  }
  override tojson(): string {
    return this.fullName;
  }
  override shellPrint(): string[] {
    return [this.fullName];
  }
  get(name: string): JsVal {
    const fn = (f: (args: JsVal[]) => JsVal): FnV => new FnV(name, (_s, a) => f(a));
    switch (name) {
      case 'find':
        return fn((a) => new QueryObj(this, asObj(arg(a, 0)), 0, 0, false, a[1] instanceof JsObj && a[1].m.size > 0 ? a[1] : null));
      case 'findOne':
        return fn((a) => {
          const r = new QueryObj(this, asObj(arg(a, 0)), 0, -1, false, a[1] instanceof JsObj && a[1].m.size > 0 ? a[1] : null).fetch();
          return r[0] ?? null;
        });
      case 'count':
        return fn((a) => countOf(this, asObj(arg(a, 0))));
      case 'validate':
        // collection.js: full validation when the argument is true
        return fn((a) => {
          const cmd = JsObj.of([['validate', this.name]]);
          if (a[0] === true) cmd.set('full', true);
          else if (a[0] instanceof JsObj) for (const [k, v] of a[0].m) cmd.set(k, v);
          return this.db.command(cmd);
        });
      case 'getName':
        return fn(() => this.name);
      case 'getFullName':
        return fn(() => this.fullName);
      case 'getDB':
        return fn(() => this.db);
      case 'insert':
      case 'update':
      case 'remove':
      case 'save':
      case 'drop':
        return fn(() => {
          throw new JsThrow(`${name}(): writes from the shell are not simulated here; this box's data arrives by replication`);
        });
      case 'toString':
      case 'tojson':
        return fn(() => this.fullName);
      default:
        return new CollObj(this.db, `${this.name}.${name}`);
    }
  }
}

function countOf(c: CollObj, query: JsObj): number {
  const bad = unsupportedOperator(query);
  if (bad) throw new JsThrow(`the query operator ${bad} is not simulated here (equality on top-level fields only)`);
  const cmd = JsObj.of([['count', c.name]]);
  if (query.m.size > 0) cmd.set('query', query);
  const res = c.db.command(cmd);
  const n = res.get('n');
  if (typeof n === 'number') return n;
  throw new JsThrow(`count failed: ${tojson(res)}`);
}

/** 2.6's answer to a sort whose direction is not a number (CanonicalQuery's sort check) */
const BAD_SORT = JsObj.of([
  ['$err', "Can't canonicalize query: BadValue bad sort specification"],
  ['code', 17287],
]);

/** 2.6's answer to a projection that both includes and excludes fields */
const BAD_PROJECTION = JsObj.of([
  ['$err', "Can't canonicalize query: BadValue Projection cannot have a mix of inclusion and exclusion."],
  ['code', 17287],
]);

/** the shell prints 20 documents of a cursor, then offers the rest */
const SHELL_BATCH = 20;

export class QueryObj extends HostObj {
  private result: JsObj[] | null = null;
  private pos = 0;
  /** cursor.sort()'s spec; null when a direction was not a number (the server refuses the query) */
  private sortBy: Array<[string, number]> | null = [];
  /** what the last shellPrint showed: how many documents, and whether more were left ("it") */
  printed = { n: 0, more: false };
  constructor(
    readonly coll: CollObj,
    readonly query: JsObj,
    public skipN: number,
    public limitN: number,
    public prettyOn: boolean,
    /** find's second argument: which fields come back */
    readonly fields: JsObj | null = null,
  ) {
    super();
  }
  toString(): string {
    return `DBQuery: ${this.coll.fullName} -> ${tojson(this.query)}`;
  }
  /** the first batch, fetched once (query.js _exec): the server's $err is thrown as the shell throws it */
  fetch(): JsObj[] {
    if (this.result) return this.result;
    const bad = unsupportedOperator(this.query);
    if (bad) throw new JsThrow(`the query operator ${bad} is not simulated here (equality on top-level fields only)`);
    const sh = this.coll.db.sh;
    if (sh.down) throw connectionLost(sh);
    if (!this.sortBy) throw new JsThrow(`error: ${tojson(BAD_SORT)}`, QUERY_JS);
    const r = queryDocs(sh.conn, this.coll.db.name, this.coll.name, this.query, this.skipN, Math.abs(this.limitN), sh.slaveOk, this.sortBy);
    if ('down' in r) throw connectionLost(sh);
    if ('err' in r) throw new JsThrow(`error: ${tojson(r.err)}`, QUERY_JS);
    this.result = this.projected(r.docs);
    return this.result;
  }
  /** the documents as the projection returns them */
  private projected(docs: JsObj[]): JsObj[] {
    if (!this.fields) return docs;
    const p = projector(this.fields);
    if (!p) throw new JsThrow(`error: ${tojson(BAD_PROJECTION)}`, QUERY_JS);
    return docs.map(p);
  }
  /**
   * Every document the cursor yields, for the methods that walk it to the end (forEach, map,
   * toArray, next): a real cursor fetches batch after batch; here they come in one read.
   */
  private all(): JsObj[] {
    if (this.limitN !== 0) return this.fetch();
    if (this.result && this.result.length < 101) return this.result;
    const bad = unsupportedOperator(this.query);
    if (bad) throw new JsThrow(`the query operator ${bad} is not simulated here (equality on top-level fields only)`);
    const sh = this.coll.db.sh;
    if (sh.down) throw connectionLost(sh);
    if (!this.sortBy) throw new JsThrow(`error: ${tojson(BAD_SORT)}`, QUERY_JS);
    const r = queryDocs(sh.conn, this.coll.db.name, this.coll.name, this.query, this.skipN, Number.MAX_SAFE_INTEGER, sh.slaveOk, this.sortBy);
    if ('down' in r) throw connectionLost(sh);
    if ('err' in r) throw new JsThrow(`error: ${tojson(r.err)}`, QUERY_JS);
    this.result = this.projected(r.docs);
    return this.result;
  }
  /** query.js DBQuery.shellPrint: 20 documents, then "Type \"it\" for more"; an error is printed, not thrown */
  override shellPrint(): string[] {
    const lines: string[] = [];
    let n = 0;
    try {
      const docs = this.fetch();
      const batch = this.coll.db.sh.batchSize ?? SHELL_BATCH;
      while (this.pos < docs.length && n < batch) {
        const d = docs[this.pos++]!;
        lines.push(this.prettyOn ? tojson(d) : tojson(d, '', true));
        n++;
      }
      const more = this.pos < docs.length || (this.limitN === 0 && docs.length >= 101 && this.pos === docs.length);
      this.printed = { n, more };
      if (more) lines.push('Type "it" for more');
    } catch (e) {
      if (!(e instanceof JsThrow)) throw e;
      this.printed = { n, more: false };
      lines.push(...this.coll.db.sh.out.splice(0), e.text);
    }
    return lines;
  }
  get(name: string): JsVal {
    const fn = (f: (args: JsVal[]) => JsVal): FnV => new FnV(name, (_s, a) => f(a));
    switch (name) {
      case 'limit':
        return fn((a) => {
          this.limitN = Math.trunc(Number(a[0] ?? 0)) || 0;
          return this;
        });
      case 'skip':
        return fn((a) => {
          this.skipN = Math.max(0, Math.trunc(Number(a[0] ?? 0)) || 0);
          return this;
        });
      case 'pretty':
        return fn(() => {
          this.prettyOn = true;
          return this;
        });
      case 'toArray':
        return fn(() => {
          const docs = this.all().slice(this.pos);
          this.pos += docs.length;
          return docs;
        });
      case 'hasNext':
        return fn(() => this.pos < this.all().length);
      case 'next':
        return fn(() => {
          const docs = this.all();
          if (this.pos >= docs.length) throw new JsThrow('error hasNext: false', 'src/mongo/shell/query.js:127');
          return docs[this.pos++]!;
        });
      case 'count':
        return fn(() => countOf(this.coll, this.query));
      case 'size':
      case 'length':
        return fn(() => this.all().length);
      case 'itcount':
        return fn(() => {
          const n = this.all().length - this.pos;
          this.pos += n;
          return n;
        });
      case 'forEach':
      case 'map':
        // query.js: while (this.hasNext()) func(this.next()), map collecting what func returns
        return fn((a) => {
          const f = a[0];
          const docs = this.all();
          const out: JsVal[] = [];
          while (this.pos < docs.length) {
            const d = docs[this.pos++]!;
            if (!(f instanceof FnV)) throw new JsThrow(`TypeError: ${f === undefined ? 'undefined' : jsString(f)} is not a function`);
            const v = f.call(undefined, [d]);
            if (name === 'map') out.push(v);
          }
          return name === 'map' ? out : undefined;
        });
      case 'sort':
        return fn((a) => {
          const spec = a[0];
          this.sortBy = spec instanceof JsObj ? sortSpec(spec) : spec === undefined ? [] : null;
          return this;
        });
      case 'explain':
      case 'hint':
        return fn(() => {
          throw new JsThrow(`${name}(): not simulated here; the cursor answers limit, skip, sort, pretty, count, size, itcount, toArray, forEach, map, next and hasNext`);
        });
      case 'toString':
        return fn(() => this.toString());
      default:
        return undefined;
    }
  }
}

// ---- replication helpers (db.js, utils.js) ----

function replicationInfo(db: DBObj): JsObj {
  const info = oplogInfo(db.sh.conn);
  if (!info) return JsObj.of([['errmsg', 'neither master/slave nor replica set replication detected']]);
  const tfirst = Math.floor(info.firstMs / 1000);
  const tlast = Math.floor(info.lastMs / 1000);
  const timeDiff = tlast - tfirst;
  return JsObj.of([
    ['logSizeMB', info.sizeBytes / (1024 * 1024)],
    ['usedMB', Math.round((info.sizeBytes / (1024 * 1024)) * 100) / 100],
    ['timeDiff', timeDiff],
    ['timeDiffHours', Math.round(timeDiff / 36) / 100],
    ['tFirst', dateString(new Date(tfirst * 1000))],
    ['tLast', dateString(new Date(tlast * 1000))],
    ['now', dateString(new Date(Math.floor(db.sh.conn.t)))],
  ]);
}

function printReplicationInfo(db: DBObj): void {
  const r = replicationInfo(db);
  const out = db.sh.out;
  if (r.m.has('errmsg')) {
    out.push(tojson(r));
    return;
  }
  out.push(`configured oplog size:   ${jsString(r.get('logSizeMB'))}MB`);
  out.push(`log length start to end: ${jsString(r.get('timeDiff'))}secs (${jsString(r.get('timeDiffHours'))}hrs)`);
  out.push(`oplog first event time:  ${jsString(r.get('tFirst'))}`);
  out.push(`oplog last event time:   ${jsString(r.get('tLast'))}`);
  out.push(`now:                     ${jsString(r.get('now'))}`);
}

function printSlaveReplicationInfo(db: DBObj): void {
  const status = new DBObj(db.sh, 'admin').command(JsObj.of([['replSetGetStatus', 1]]));
  const out = db.sh.out;
  const members = status.get('members');
  if (!Array.isArray(members)) {
    out.push(tojson(status));
    return;
  }
  const primary = members.find((x) => x instanceof JsObj && x.get('state') === 1) as JsObj | undefined;
  const start = primary?.get('optimeDate');
  for (const x of members) {
    if (!(x instanceof JsObj)) continue;
    const state = x.get('state');
    if (state === 1 || state === 7) continue;
    out.push(`source: ${jsString(x.get('name'))}`);
    const st = x.get('optimeDate');
    if (x.get('optime') && st instanceof Date && start instanceof Date) {
      out.push(`\tsyncedTo: ${dateString(st)}`);
      const ago = (start.getTime() - st.getTime()) / 1000;
      const hrs = Math.round(ago / 36) / 100;
      out.push(`\t${Math.round(ago)} secs (${hrs} hrs) behind the primary `);
    } else out.push(`\tno replication info, yet.  State: ${jsString(x.get('stateStr'))}`);
  }
}

export class RsObj extends HostObj {
  constructor(readonly sh: ShellSession) {
    super();
  }
  toString(): string {
    return '[object Object]';
  }
  get(name: string): JsVal {
    const admin = new DBObj(this.sh, 'admin');
    const fn = (f: () => JsVal): FnV => new FnV(name, () => f());
    switch (name) {
      case 'status':
        return fn(() => admin.command(JsObj.of([['replSetGetStatus', 1]])));
      case 'isMaster':
        return fn(() => admin.command(JsObj.of([['isMaster', 1]])));
      case 'slaveOk':
        return fn(() => {
          this.sh.slaveOk = true;
          return undefined;
        });
      case 'printSlaveReplicationInfo':
        return fn(() => {
          printSlaveReplicationInfo(admin);
          return undefined;
        });
      case 'printReplicationInfo':
        return fn(() => {
          printReplicationInfo(admin);
          return undefined;
        });
      default:
        return undefined;
    }
  }
}

// ---- globals ----

const HEX24 = /^[0-9a-fA-F]{24}$/;

function makeObjectId(args: JsVal[]): JsVal {
  const s = args[0];
  if (s === undefined) throw new JsThrow('ObjectId(): generating a new id is not simulated here; give its 24 hex digits');
  const str = jsString(s);
  if (str.length !== 24) throw new JsThrow('Error: invalid object id: length');
  if (!HEX24.test(str)) throw new JsThrow('Error: invalid object id: not hex');
  return new ObjectIdV(str.toLowerCase());
}

/** types.js ISODate: the forms it accepts, "invalid ISO date" otherwise */
function makeIsoDate(args: JsVal[], now: number): JsVal {
  if (args[0] === undefined) return new Date(Math.floor(now));
  const s = jsString(args[0]);
  const m = /(\d{4})-?(\d{2})-?(\d{2})([T ](\d{2})(:?(\d{2})(:?(\d{2}(\.\d+)?))?)?(Z|([+-])(\d{2}):?(\d{2})?)?)?/.exec(s);
  if (!m) throw new JsThrow('invalid ISO date');
  const year = parseInt(m[1]!, 10) || 1970;
  const month = (parseInt(m[2]!, 10) || 1) - 1;
  const date = parseInt(m[3]!, 10) || 0;
  const hour = parseInt(m[5] ?? '', 10) || 0;
  const min = parseInt(m[7] ?? '', 10) || 0;
  let sec = parseFloat(m[9] ?? '') || 0;
  const ms = Math.round((sec % 1) * 1000);
  sec -= ms / 1000;
  let time = Date.UTC(year, month, date, hour, min, sec, ms);
  if (m[11] && m[11] !== 'Z') {
    let ofs = 0;
    ofs += (parseInt(m[13] ?? '', 10) || 0) * 60 * 60 * 1000;
    ofs += (parseInt(m[14] ?? '', 10) || 0) * 60 * 1000;
    if (m[12] === '+') ofs *= -1;
    time += ofs;
  }
  return new Date(time);
}

function makeNumberLong(args: JsVal[]): JsVal {
  const v = args[0] ?? 0;
  if (typeof v === 'string') {
    if (!/^-?\d+$/.test(v.trim())) throw new JsThrow('Error: could not convert string to long long');
    return new NumberLongV(BigInt.asIntN(64, BigInt(v.trim())).toString());
  }
  return NumberLongV.of(Number(v) || 0);
}

/** the global scope of a shell session: db, rs and the helpers */
export function shellGlobals(sh: ShellSession, dbName: string): { scope: Scope; construct: (name: string, args: JsVal[]) => JsVal | typeof NOT_CONSTRUCTOR } {
  const scope = new Scope();
  const g = (name: string, f: (args: JsVal[]) => JsVal): void => {
    scope.vars.set(name, new FnV(name, (_s, a) => f(a)));
  };
  scope.vars.set('db', new DBObj(sh, dbName));
  scope.vars.set('rs', new RsObj(sh));
  g('print', (a) => {
    sh.out.push(a.map((x) => jsString(x)).join(' '));
    return undefined;
  });
  g('printjson', (a) => {
    sh.out.push(tojson(a[0]));
    return undefined;
  });
  g('printjsononeline', (a) => {
    sh.out.push(tojsononeline(a[0]));
    return undefined;
  });
  g('tojson', (a) => tojson(a[0], typeof a[1] === 'string' ? a[1] : undefined, a[2] === true ? true : undefined));
  g('tojsononeline', (a) => tojsononeline(a[0]));
  g('ObjectId', (a) => makeObjectId(a));
  g('ISODate', (a) => makeIsoDate(a, sh.conn.t));
  g('Date', () => dateString(new Date(Math.floor(sh.conn.t))));
  g('NumberLong', (a) => makeNumberLong(a));
  g('NumberInt', (a) => new NumberIntV(Math.trunc(Number(a[0] ?? 0)) | 0));
  g('Timestamp', (a) => new TimestampV(Number(a[0] ?? 0), Number(a[1] ?? 0)));
  g('version', () => MONGO_VERSION);
  g('isNaN', (a) => Number.isNaN(Number(a[0])));
  const construct = (name: string, args: JsVal[]): JsVal | typeof NOT_CONSTRUCTOR => {
    switch (name) {
      case 'Date': {
        const a = args[0];
        if (a === undefined) return new Date(Math.floor(sh.conn.t));
        if (typeof a === 'number') return new Date(a);
        if (a instanceof Date) return new Date(a.getTime());
        const d = new Date(jsString(a));
        return d;
      }
      case 'ObjectId':
        return makeObjectId(args);
      case 'NumberLong':
        return makeNumberLong(args);
      case 'NumberInt':
        return new NumberIntV(Math.trunc(Number(args[0] ?? 0)) | 0);
      case 'Timestamp':
        return new TimestampV(Number(args[0] ?? 0), Number(args[1] ?? 0));
      case 'ISODate':
        return makeIsoDate(args, sh.conn.t);
      default:
        return NOT_CONSTRUCTOR;
    }
  };
  return { scope, construct };
}
