/**
 * The 2.6 shell run interactively: `mongo` without --eval holds the player's terminal, and each
 * line typed goes to it (dbshell.cpp's loop) until `exit`, `quit()` or the end of input. What
 * the session keeps between lines is plain JSON in the world (MongoTerminal): the database,
 * rs.slaveOk(), the cursor `it` goes on with, the prompt, and the variables whose values can be
 * written back as JavaScript. The JavaScript itself runs as in --eval (program.ts, shellApi.ts).
 */
import type { MachineWorld } from '../world';
import { connect, disconnect, mongoOf, serverOnPort, MONGO_VERSION, type MongodState } from './server';
import { databasesOnDisk, runCommand } from './commands';
import { parseJs, JsNotSimulated, JsSyntaxError } from './js';
import { Interp } from './interp';
import { shellLogLine } from './log';
import type { MongoArgs, MongoRun } from './program';
import { collectionNames, CollObj, DBObj, QueryObj, shellGlobals, type ShellSession } from './shellApi';
import { shellPrintLines, tojson } from './tojson';
import { FnV, HostObj, JsObj, JsThrow, type JsVal } from './values';

/** the cursor `it` continues: its query as the shell's JavaScript, and how far it was shown */
export interface SavedCursor {
  db: string;
  coll: string;
  query: string;
  skip: number;
  limit: number;
  pretty: boolean;
}

export interface MongoTerminal {
  host: string;
  port: number;
  db: string;
  quiet: boolean;
  slaveOk: boolean;
  /** what the shell asks with, computed after each line as dbshell.cpp does before reading the next */
  prompt: string;
  cursor: SavedCursor | null;
  /** the session's own variables, each as JavaScript that rebuilds its value */
  vars: Record<string, string>;
  /** DBQuery.shellBatchSize, when set */
  batchSize?: number;
  /** the connection: the server's pid when it was made, its log thread, the client's address */
  conn: { pid: number; thread: string; from: string };
}

/** the world's terminal session, when the player is inside the shell */
export function terminalOf(w: MachineWorld): MongoTerminal | null {
  return (mongoOf(w) as { terminal?: MongoTerminal }).terminal ?? null;
}

export function setTerminal(w: MachineWorld, t: MongoTerminal | null): void {
  const m = mongoOf(w) as { terminal?: MongoTerminal };
  if (t) m.terminal = t;
  else delete m.terminal;
}

const WELCOME = [
  'Welcome to the MongoDB shell.',
  'For interactive help, type "help".',
  'For more comprehensive documentation, see',
  '\thttp://docs.mongodb.org/',
  'Questions? Try the support group',
  '\thttp://groups.google.com/group/mongodb-user',
];

/** utils.js help (the first screen of it) */
const HELP = [
  '\tdb.help()                    help on db methods',
  '\tdb.mycoll.help()             help on collection methods',
  '\tsh.help()                    sharding helpers',
  '\trs.help()                    replica set helpers',
  '\thelp admin                   administrative help',
  '\thelp connect                 connecting to a db help',
  '\thelp keys                    key shortcuts',
  '\thelp misc                    misc things to know',
  '\thelp mr                      mapreduce',
  '',
  '\tshow dbs                     show database names',
  '\tshow collections             show collections in current database',
  '\tshow users                   show users in current database',
  '\tshow profile                 show most recent system.profile entries with time >= 1ms',
  '\tshow logs                    show the accessible logger names',
  "\tshow log [name]              prints out the last segment of log in memory, 'global' is default",
  '\tuse <db_name>                set current database',
  '\tdb.foo.find()                list objects in collection foo',
  '\tdb.foo.find( { a : 1 } )     list objects in foo where a == 1',
  '\tit                           result of the last line evaluated; use to further iterate',
  '\tDBQuery.shellBatchSize = x   set default number of items to display on shell',
  '\texit                         quit the mongo shell',
];

const lines = (xs: readonly string[]): string => xs.map((l) => l + '\n').join('');

/**
 * Starts the shell: the banner, the connection (2.6's refusal when nothing listens, and then no
 * session), the welcome of a first run (no ~/.mongorc.js yet), and the first prompt.
 */
export function openTerminal(a: MongoArgs, r: MongoRun, firstRun: boolean): { stdout: string; stderr: string; code: number; term: MongoTerminal | null } {
  const port = a.port ?? 27017;
  const host = a.host ?? '127.0.0.1';
  const explicit = a.host !== null || a.port !== null;
  let out = '';
  if (!a.quiet) out += `MongoDB shell version: ${MONGO_VERSION}\nconnecting to: ${explicit ? `${host}:${port}/${a.db}` : a.db}\n`;
  if (!r.localNames.includes(host)) return { stdout: out, stderr: `mongo: ${host} is another machine; only this box's own mongod is simulated\n`, code: 1, term: null };
  const s = serverOnPort(r.w, port);
  const addr = host === 'localhost' ? '127.0.0.1' : host;
  if (!s) {
    out += shellLogLine(r.t, `warning: Failed to connect to ${addr}:${port}, reason: errno:111 Connection refused`);
    out += shellLogLine(r.t, `Error: couldn't connect to server ${addr}:${port} (${addr}), connection attempt failed at src/mongo/shell/mongo.js:${explicit ? 148 : 146}`);
    return { stdout: out, stderr: 'exception: connect failed\n', code: 1, term: null };
  }
  const from = `127.0.0.1:${r.clientPort}`;
  const thread = connect(r.w, s, r.t, from);
  if (firstRun) out += lines(WELCOME);
  const term: MongoTerminal = { host, port, db: a.db, quiet: a.quiet, slaveOk: false, prompt: '> ', cursor: null, vars: {}, conn: { pid: s.pid, thread, from } };
  term.prompt = promptOf(r, term);
  return { stdout: out, stderr: '', code: 0, term };
}

/** the connection's server, while it is the one the session connected to */
function serverOf(r: MongoRun, term: MongoTerminal): MongodState | null {
  const s = serverOnPort(r.w, term.port);
  return s && s.pid === term.conn.pid ? s : null;
}

/**
 * utils.js replSetMemberStatePrompt: "SET:STATE> " from replSetGetStatus (forShell), "> " when
 * that fails (not a replica set member, or no server to ask).
 */
function promptOf(r: MongoRun, term: MongoTerminal): string {
  const s = serverOf(r, term);
  if (!s) return '> ';
  const st = runCommand({ w: r.w, s, thread: term.conn.thread, t: r.t }, 'admin', JsObj.of([['replSetGetStatus', 1], ['forShell', 1]]));
  if (st.get('ok') !== 1) return '> ';
  const members = st.get('members');
  let state = '';
  if (Array.isArray(members)) for (const m of members) if (m instanceof JsObj && m.get('self') === true) state = String(m.get('stateStr'));
  return `${String(st.get('set'))}:${state || String(st.get('myState'))}> `;
}

/** closes the session's connection as the shell's exit does */
export function closeTerminal(r: MongoRun, term: MongoTerminal): void {
  const s = serverOf(r, term);
  if (s) disconnect(r.w, s, r.t, term.conn.thread, term.conn.from);
}

export interface TerminalReply {
  stdout: string;
  /** the shell has exited: the terminal is bash's again */
  exit: boolean;
}

/** One line typed at the shell's prompt (dbshell.cpp's loop body). The session is updated in place. */
export function terminalLine(r: MongoRun, term: MongoTerminal, raw: string): TerminalReply {
  const line = raw.replace(/^ +| +$/g, '');
  // dbshell.cpp: "exit" alone says bye (unless --quiet); "exit;" leaves without a word
  if (line === 'exit') return { stdout: term.quiet ? '' : 'bye\n', exit: true };
  if (line === 'exit;') return { stdout: '', exit: true };
  if (line === '') return { stdout: '', exit: false };
  const cmd = line.split(' ')[0]!;
  const rest = line.slice(cmd.length).trim().replace(/\s*;$/, '');
  let out: string;
  switch (cmd) {
    case 'use':
      out = rest === '' ? 'bad use parameter\n' : `switched to db ${rest}\n`;
      if (rest !== '') term.db = rest;
      break;
    case 'show':
      out = show(r, term, rest);
      break;
    case 'it':
      out = more(r, term);
      break;
    case 'help':
      out = rest === '' ? lines(HELP) : `mongo: help ${rest} is not simulated here; help alone lists what the shell offers\n`;
      break;
    default: {
      const res = evaluate(r, term, line);
      out = res.out;
      if (res.quit) return { stdout: out, exit: true };
    }
  }
  term.prompt = promptOf(r, term);
  return { stdout: out, exit: false };
}

/** the end of input (Ctrl-D): dbshell.cpp says bye as for exit */
export function terminalEof(term: MongoTerminal): string {
  return term.quiet ? '' : 'bye\n';
}

/** a session over the connection for one line, with what the session keeps restored into it */
function session(r: MongoRun, term: MongoTerminal): { sh: ShellSession; ok: true } | { ok: false; out: string } {
  const s = serverOf(r, term);
  const restarted = s ? null : serverOnPort(r.w, term.port);
  if (restarted) {
    // a mongod restarted under the session: the operation fails on the dead socket, then the shell reconnects
    const addr = term.host === 'localhost' ? '127.0.0.1' : term.host;
    const thread = connect(r.w, restarted, r.t, term.conn.from);
    term.conn = { pid: restarted.pid, thread, from: term.conn.from };
    return {
      ok: false,
      out:
        shellLogLine(r.t, 'DBClientCursor::init call() failed') +
        shellLogLine(r.t, 'Error: error doing query: failed at src/mongo/shell/query.js:81') +
        shellLogLine(r.t, `trying reconnect to ${addr}:${term.port} (${addr}) failed`) +
        shellLogLine(r.t, `reconnect ${addr}:${term.port} (${addr}) ok`),
    };
  }
  if (!s) {
    // the shell reconnects before the next operation, and says so when it cannot
    const addr = term.host === 'localhost' ? '127.0.0.1' : term.host;
    return {
      ok: false,
      out:
        shellLogLine(r.t, `trying reconnect to ${addr}:${term.port} (${addr}) failed`) +
        shellLogLine(r.t, `warning: Failed to connect to ${addr}:${term.port}, reason: errno:111 Connection refused`) +
        shellLogLine(r.t, `reconnect ${addr}:${term.port} (${addr}) failed failed couldn't connect to server ${addr}:${term.port} (${addr}), connection attempt failed`),
    };
  }
  return { ok: true, sh: { conn: { w: r.w, s, thread: term.conn.thread, t: r.t }, out: [], slaveOk: term.slaveOk, ...(term.batchSize !== undefined ? { batchSize: term.batchSize } : {}) } };
}

/** the DBQuery constructor as far as the shell's users touch it: DBQuery.shellBatchSize = N */
class DBQueryObj extends HostObj {
  constructor(readonly sh: ShellSession) {
    super();
  }
  toString(): string {
    return 'DBQuery (its source is not reproduced here)';
  }
  get(name: string): JsVal {
    return name === 'shellBatchSize' ? (this.sh.batchSize ?? 20) : undefined;
  }
  override set(name: string, v: JsVal): void {
    // query.js compares n < DBQuery.shellBatchSize: a number is taken as it is, anything else prints none
    if (name === 'shellBatchSize') this.sh.batchSize = typeof v === 'number' && v > 0 ? Math.ceil(v) : 0;
  }
}

const BUILTINS = new Set(['DBQuery', 'db', 'rs', 'print', 'printjson', 'printjsononeline', 'tojson', 'tojsononeline', 'ObjectId', 'ISODate', 'Date', 'NumberLong', 'NumberInt', 'Timestamp', 'version', 'isNaN', 'quit']);

/** JavaScript that rebuilds a value in a later line's scope, or null for what cannot be kept */
function keepable(v: JsVal): string | null {
  if (v instanceof DBObj) return `db.getSiblingDB(${tojson(v.name)})`;
  if (v instanceof CollObj) return `db.getSiblingDB(${tojson(v.db.name)}).getCollection(${tojson(v.name)})`;
  if (v instanceof FnV || v instanceof HostObj) return null;
  if (Array.isArray(v)) return v.every((x) => keepable(x) !== null) ? tojson(v, '', true) : null;
  if (v instanceof JsObj) return [...v.m.values()].every((x) => keepable(x) !== null) ? tojson(v, '', true) : null;
  return tojson(v, '', true);
}

function evaluate(r: MongoRun, term: MongoTerminal, line: string): { out: string; quit?: boolean } {
  let stmts;
  try {
    stmts = parseJs(line);
  } catch (e) {
    if (e instanceof JsSyntaxError) return { out: shellLogLine(r.t, `${e.kind}: ${e.message}`) };
    if (e instanceof JsNotSimulated) return { out: `mongo: ${e.message} is valid JavaScript, but this shell runs expressions, calls and function literals only\n` };
    throw e;
  }
  const got = session(r, term);
  if (!got.ok) return { out: got.out };
  const sh = got.sh;
  const { scope, construct } = shellGlobals(sh, term.db);
  let quit = false;
  scope.vars.set(
    'quit',
    new FnV('quit', () => {
      quit = true;
      throw QUIT;
    }),
  );
  scope.vars.set('DBQuery', new DBQueryObj(sh));
  const it = new Interp(scope, construct);
  for (const [name, js] of Object.entries(term.vars)) {
    try {
      scope.vars.set(name, it.run(parseJs(js)));
    } catch {
      delete term.vars[name];
    }
  }
  let out = '';
  const flush = (): void => {
    out += sh.out.splice(0).map((l) => l + '\n').join('');
  };
  try {
    const value = it.run(stmts);
    flush();
    out += shellPrintLines(value).map((l) => l + '\n').join('');
    flush();
    if (value instanceof QueryObj) term.cursor = value.printed.more ? savedCursor(value) : null;
  } catch (e) {
    flush();
    if (e === QUIT) return { out, quit };
    if (e instanceof JsThrow) out += shellLogLine(r.t, e.where ? `${e.text} at ${e.where}` : e.text);
    else if (e instanceof JsNotSimulated) out += `mongo: ${e.message} is valid JavaScript, but this shell runs expressions, calls and function literals only\n`;
    else throw e;
  }
  term.slaveOk = sh.slaveOk;
  if (sh.batchSize !== undefined) term.batchSize = sh.batchSize;
  // what the line left in its variables: `db = db.getSiblingDB(...)` moves the session
  const db = scope.vars.get('db');
  if (db instanceof DBObj) term.db = db.name;
  const dropped: string[] = [];
  for (const [name, v] of scope.vars) {
    if (BUILTINS.has(name)) continue;
    const js = keepable(v);
    if (js === null) {
      dropped.push(name);
      delete term.vars[name];
    } else term.vars[name] = js;
  }
  if (dropped.length > 0) out += `mongo: ${dropped.join(', ')}: keeping a cursor, a function or rs from one line to the next is not simulated here; write it on the line that uses it\n`;
  return { out };
}

const QUIT = Symbol('quit()');

function savedCursor(q: QueryObj): SavedCursor {
  return { db: q.coll.db.name, coll: q.coll.name, query: tojson(q.query, '', true), skip: q.skipN + q.printed.n, limit: q.limitN === 0 ? 0 : Math.sign(q.limitN) * Math.max(1, Math.abs(q.limitN) - q.printed.n), pretty: q.prettyOn };
}

/** shellHelper.it: the last cursor's next 20 */
function more(r: MongoRun, term: MongoTerminal): string {
  const c = term.cursor;
  if (!c) return 'no cursor\n';
  const got = session(r, term);
  if (!got.ok) return got.out;
  const { scope, construct } = shellGlobals(got.sh, term.db);
  const query = new Interp(scope, construct).run(parseJs(`(${c.query})`));
  const q = new QueryObj(new CollObj(new DBObj(got.sh, c.db), c.coll), query instanceof JsObj ? query : new JsObj(), c.skip, c.limit, c.pretty);
  const shown = q.shellPrint();
  term.cursor = q.printed.more ? savedCursor(q) : null;
  return shown.map((l) => l + '\n').join('');
}

/** shellHelper.show: dbs and collections */
function show(r: MongoRun, term: MongoTerminal, what: string): string {
  if (what !== 'dbs' && what !== 'databases' && what !== 'collections' && what !== 'tables') {
    if (['users', 'profile', 'logs', 'log'].includes(what.split(/\s+/)[0]!)) return `mongo: show ${what} is not simulated here; show dbs and show collections are\n`;
    // utils.js: throw "don't know how to show [" + what + "]" (the shell's source line is not reproduced)
    return shellLogLine(r.t, `don't know how to show [${what}]`);
  }
  const got = session(r, term);
  if (!got.ok) return got.out;
  if (what === 'collections' || what === 'tables') {
    // utils.js: db.getCollectionNames().forEach(print), so a secondary without slaveOk refuses it as it refuses a find
    try {
      return collectionNames(new DBObj(got.sh, term.db)).map((n) => n + '\n').join('');
    } catch (e) {
      if (e instanceof JsThrow) return shellLogLine(r.t, e.where ? `${e.text} at ${e.where}` : e.text);
      throw e;
    }
  }
  // listDatabases: each database's files on disk; show dbs pads the names and the GB figures
  const dbs = databasesOnDisk(got.sh.conn).map(({ name, sizeOnDisk: size }) => {
    const sizeStr = (size / 1024 / 1024 / 1024).toFixed(3);
    return { name, size, sizeStr, gbDigits: sizeStr.indexOf('.') };
  });
  const nameW = Math.max(0, ...dbs.map((x) => x.name.length));
  const gbW = Math.max(0, ...dbs.map((x) => x.gbDigits));
  return dbs.map((x) => `${x.name}${' '.repeat(nameW - x.name.length + gbW - x.gbDigits + 2)}${x.size > 1 ? `${x.sizeStr}GB` : '(empty)'}\n`).join('');
}
