/**
 * The `mongo` program of 2.6 with --eval (the interactive shell is terminal.ts): its banner ("MongoDB shell version: 2.6.9",
 * "connecting to: test") unless --quiet, the connection to this box's mongod (2.6's refusal
 * lines and "exception: connect failed" when nothing listens), --eval's JavaScript with its
 * last value printed as V8 converts it to a string, and errors as the shell logs them (exit 252,
 * the -4 dbshell.cpp returns when the eval fails).
 */
import type { MachineWorld } from '../world';
import type { CommandOutput } from '../scenario';
import { JsNotSimulated, JsSyntaxError, parseJs } from './js';
import { Interp } from './interp';
import { shellLogLine } from './log';
import { connect, disconnect, serverOnPort, MONGO_VERSION } from './server';
import { shellGlobals, type ShellSession } from './shellApi';
import { shellPrintLines } from './tojson';
import { JsThrow, jsString, type JsVal } from './values';

export interface MongoArgs {
  quiet: boolean;
  port: number | null;
  host: string | null;
  eval: string | null;
  db: string;
  version: boolean;
  help: boolean;
  files: string[];
}

const USAGE_HEAD = 'MongoDB shell version: ';

/** `mongo`'s command line as 2.6 reads it; a string is the error it prints */
export function parseMongoArgs(argv: readonly string[]): MongoArgs | string {
  const a: MongoArgs = { quiet: false, port: null, host: null, eval: null, db: 'test', version: false, help: false, files: [] };
  let positional = 0;
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i]!;
    const take = (): string | null => {
      const eq = x.indexOf('=');
      if (eq >= 0) return x.slice(eq + 1);
      if (i + 1 >= argv.length) return null;
      return argv[++i]!;
    };
    const key = x.startsWith('--') ? x.slice(2).split('=')[0]! : x;
    if (key === 'quiet') a.quiet = true;
    else if (key === 'version') a.version = true;
    else if (key === 'help' || x === '-h') a.help = true;
    else if (key === 'norc' || key === 'shell') continue;
    else if (key === 'port') {
      const v = take();
      if (v === null) return "ERROR: the required argument for option '--port' is missing";
      if (!/^\d+$/.test(v) || Number(v) > 65535) return `ERROR: the argument ('${v}') for option '--port' is invalid`;
      a.port = Number(v);
    } else if (key === 'host') {
      const v = take();
      if (v === null) return "ERROR: the required argument for option '--host' is missing";
      a.host = v;
    } else if (key === 'eval') {
      const v = take();
      if (v === null) return "ERROR: the required argument for option '--eval' is missing";
      a.eval = v;
    } else if (x.startsWith('-')) return `ERROR: unknown option ${x}`;
    else if (positional === 0 && !x.endsWith('.js')) {
      positional++;
      const m = /^(?:([^/:]+)(?::(\d+))?\/)?([^/]+)$/.exec(x);
      if (!m) return `ERROR: bad address ${x}`;
      if (m[1]) a.host = m[1];
      if (m[2]) a.port = Number(m[2]);
      a.db = m[3]!;
    } else a.files.push(x);
  }
  return a;
}

export interface MongoRun {
  w: MachineWorld;
  /** this box's name and addresses, which reach its own mongod */
  localNames: readonly string[];
  t: number;
  /** the client's ephemeral port for the server's log */
  clientPort: number;
}

/** runs `mongo ARGS` on the box; its stdout, stderr and exit status */
export function runMongo(argv: readonly string[], r: MongoRun): CommandOutput {
  const a = parseMongoArgs(argv);
  if (typeof a === 'string') return { stdout: '', stderr: `${a}\n`, code: 2 };
  if (a.version) return { stdout: `${USAGE_HEAD}${MONGO_VERSION}\n`, stderr: '', code: 0 };
  if (a.help) return { stdout: `${USAGE_HEAD}${MONGO_VERSION}\nusage: mongo [options] [db address] [file names (ending in .js)]\n`, stderr: '', code: 0 };
  if (a.files.length > 0) return { stdout: '', stderr: 'mongo: running .js files is not simulated here; use --eval\n', code: 2 };
  // the spell opens the interactive shell itself (terminal.ts); this entry runs --eval only
  if (a.eval === null) return { stdout: '', stderr: 'mongo: runMongo runs --eval; the interactive shell is terminal.ts\n', code: 2 };
  let out = '';
  const port = a.port ?? 27017;
  const host = a.host ?? '127.0.0.1';
  const explicit = a.host !== null || a.port !== null;
  if (!a.quiet) out += `${USAGE_HEAD}${MONGO_VERSION}\nconnecting to: ${explicit ? `${host}:${port}/${a.db}` : a.db}\n`;
  if (!r.localNames.includes(host)) {
    return { stdout: out, stderr: `mongo: ${host} is another machine; only this box's own mongod is simulated\n`, code: 1 };
  }
  const s = serverOnPort(r.w, port);
  const addr = host === 'localhost' ? '127.0.0.1' : host;
  if (!s) {
    out += shellLogLine(r.t, `warning: Failed to connect to ${addr}:${port}, reason: errno:111 Connection refused`);
    out += shellLogLine(r.t, `Error: couldn't connect to server ${addr}:${port} (${addr}), connection attempt failed at src/mongo/shell/mongo.js:${explicit ? 148 : 146}`);
    return { stdout: out, stderr: 'exception: connect failed\n', code: 1 };
  }
  const from = `127.0.0.1:${r.clientPort}`;
  const thread = connect(r.w, s, r.t, from);
  const sh: ShellSession = { conn: { w: r.w, s, thread, t: r.t }, out: [], slaveOk: false };
  const res = evalLine(sh, a.db, a.eval, 'eval');
  out += sh.out.map((l) => l + '\n').join('');
  if (res.error) out += shellLogLine(r.t, res.error);
  else if (res.value !== undefined) out += jsString(res.value) + '\n';
  if (!sh.down) disconnect(r.w, s, r.t, thread, from);
  return { stdout: out, stderr: res.notSimulated ? `mongo: ${res.notSimulated}\n` : '', code: res.error || res.notSimulated ? 252 : 0 };
}

export interface EvalResult {
  value: JsVal;
  /** what the shell logs for the exception (SyntaxError: ..., error: {...} at src/mongo/shell/query.js:131) */
  error?: string;
  /** valid JavaScript this shell does not run */
  notSimulated?: string;
}

/** runs a line of JavaScript in a session: its last value, or what went wrong as the shell words it */
export function evalLine(sh: ShellSession, dbName: string, src: string, mode: 'eval' | 'interactive', onValue?: (v: JsVal) => void): EvalResult {
  let stmts;
  try {
    stmts = parseJs(src);
  } catch (e) {
    if (e instanceof JsSyntaxError) return { value: undefined, error: `${e.kind}: ${e.message}` };
    if (e instanceof JsNotSimulated) return { value: undefined, notSimulated: `${e.message} is valid JavaScript, but this shell runs expressions and calls only` };
    throw e;
  }
  const { scope, construct } = shellGlobals(sh, dbName);
  const it = new Interp(scope, construct);
  try {
    const value = it.run(stmts, mode === 'interactive' ? onValue : undefined);
    return { value };
  } catch (e) {
    if (e instanceof JsThrow) return { value: undefined, error: e.where ? `${e.text} at ${e.where}` : e.text };
    if (e instanceof JsNotSimulated) return { value: undefined, notSimulated: `${e.message} is valid JavaScript, but this shell runs expressions and calls only` };
    throw e;
  }
}

/**
 * One line typed at an interactive 2.6 shell prompt (what a chapter routes `db.serverStatus()`
 * to): `use DB` switches database, anything else runs and its value is printed as the shell's
 * shellPrintHelper prints it (objects by tojson, a cursor's first 20 documents).
 */
export function interactiveLine(r: MongoRun, dbName: string, line: string): { stdout: string; db: string } {
  const use = /^\s*use\s+(\S+)\s*;?\s*$/.exec(line);
  if (use) return { stdout: `switched to db ${use[1]}\n`, db: use[1]! };
  const port = 27017;
  const s = serverOnPort(r.w, port);
  if (!s) {
    return {
      stdout:
        shellLogLine(r.t, `warning: Failed to connect to 127.0.0.1:${port}, reason: errno:111 Connection refused`) +
        shellLogLine(r.t, `Error: couldn't connect to server 127.0.0.1:${port} (127.0.0.1), connection attempt failed at src/mongo/shell/mongo.js:146`),
      db: dbName,
    };
  }
  // the interactive shell keeps one connection open for the session: no accept line per statement
  const thread = `conn${Math.max(1, s.connId)}`;
  const sh: ShellSession = { conn: { w: r.w, s, thread, t: r.t }, out: [], slaveOk: false };
  const lines: string[] = [];
  const res = evalLine(sh, dbName, line, 'interactive');
  lines.push(...sh.out);
  let out = lines.map((l) => l + '\n').join('');
  if (res.error) out += shellLogLine(r.t, res.error);
  else if (res.notSimulated) out += `mongo: ${res.notSimulated}\n`;
  else {
    try {
      const shown = shellPrintLines(res.value);
      out += shown.map((l) => l + '\n').join('');
    } catch (e) {
      if (!(e instanceof JsThrow)) throw e;
      out += shellLogLine(r.t, e.where ? `${e.text} at ${e.where}` : e.text);
    }
  }
  return { stdout: out, db: dbName };
}
