/**
 * What the publisher makes of /etc/publisher/publisher.yml when it starts, following its own
 * source (files.ts: config.rb) on Ruby 1.9.3: Psych reads the YAML, Hash#merge lays it over the
 * defaults, Integer() converts pool_size, and only a real `true` turns an option on. When any of
 * that raises, the app dies before its log is open and what ruby prints for an uncaught exception
 * (the message, then the backtrace) is what upstart's console log gets.
 */
import type { StoredFile } from '../../../vfs/store';
import { BIN_PUBLISHER, CONFIG_PATH, LIB_APP, LIB_CONFIG, LIB_NSQ_CLIENT, lineOf } from './files';
import type { AppConfig } from './world';
import { parseYaml, type YamlValue } from './yaml';

export type ConfigRead = { ok: true; config: AppConfig } | { ok: false; stderr: string };

const PSYCH = '/usr/lib/ruby/1.9.1/psych.rb';
const NET_HTTP = '/usr/lib/ruby/1.9.1/net/http.rb';
const TIMEOUT = '/usr/lib/ruby/1.9.1/timeout.rb';
const BIN = '/srv/publisher/bin/publisher';
const CONFIG_RB = '/srv/publisher/lib/publisher/config.rb';
const APP_RB = '/srv/publisher/lib/publisher/app.rb';
const CLIENT_RB = '/srv/publisher/lib/publisher/nsq_client.rb';

const at = (file: string, line: number, method: string): string => `${file}:${line}:in \`${method}'`;

/** ruby's report of an uncaught exception: the innermost frame with the message, then "\tfrom" the rest */
function uncaught(frames: string[], message: string, klass: string): string {
  const [first, ...rest] = frames;
  return `${first}: ${message} (${klass})\n${rest.map((f) => `\tfrom ${f}\n`).join('')}`;
}

/** the frames from Config.load down to the script's top level */
function loadFrames(): string[] {
  return [at(CONFIG_RB, lineOf(LIB_CONFIG, 'new(DEFAULTS.merge('), 'load'), at(BIN, lineOf(BIN_PUBLISHER, 'Config.load('), '<main>')];
}

function initializeFrames(line: number, method: string): string[] {
  const load = lineOf(LIB_CONFIG, 'new(DEFAULTS.merge(');
  return [at(CONFIG_RB, line, method), ...(method === 'initialize' ? [] : [at(CONFIG_RB, line, 'initialize')]), at(CONFIG_RB, load, 'new'), ...loadFrames()];
}

/** a Ruby object's class name as 1.9.3's conversion errors print it ("can't convert nil into Integer") */
function convName(v: YamlValue): string {
  switch (v.t) {
    case 'null':
      return 'nil';
    case 'bool':
      return String(v.v);
    case 'int':
      return 'Fixnum';
    case 'float':
      return 'Float';
    case 'str':
      return 'String';
    case 'seq':
      return 'Array';
    case 'map':
      return 'Hash';
  }
}

/** Kernel#Integer on a String in 1.9.3: optional blanks and sign, 0x/0b/0o/0 prefixes, underscores between digits */
function integerOfString(s: string): number | null {
  const m = /^\s*([-+]?)(0x[0-9a-f]+(?:_[0-9a-f]+)*|0b[01]+(?:_[01]+)*|0o?[0-7]+(?:_[0-7]+)*|[1-9][0-9]*(?:_[0-9]+)*|0)\s*$/i.exec(s);
  if (!m) return null;
  const body = m[2]!.replace(/_/g, '').toLowerCase();
  const sign = m[1] === '-' ? -1 : 1;
  if (body.startsWith('0x')) return sign * parseInt(body.slice(2), 16);
  if (body.startsWith('0b')) return sign * parseInt(body.slice(2), 2);
  if (body.startsWith('0o')) return sign * parseInt(body.slice(2), 8);
  if (body.length > 1 && body.startsWith('0')) return sign * parseInt(body.slice(1), 8);
  return sign * parseInt(body, 10);
}

/** String#inspect for the error message of Integer() */
const inspect = (s: string): string => JSON.stringify(s);

/** #to_s of a setting: what the app keeps for nsqd_url and topic */
function toS(v: YamlValue): string {
  switch (v.t) {
    case 'null':
      return '';
    case 'bool':
    case 'int':
      return String(v.v);
    case 'float':
      return Number.isInteger(v.v) ? `${v.v}.0` : String(v.v);
    case 'str':
      return v.v;
    case 'seq':
      return `[${v.items.map((i) => (i.t === 'str' ? inspect(i.v) : toS(i))).join(', ')}]`;
    case 'map':
      return `{${v.entries.map(([k, x]) => `${inspect(k)}=>${x.t === 'str' ? inspect(x.v) : toS(x)}`).join(', ')}}`;
  }
}

/** 1.9.3's Object#inspect address: 14 hex digits; where ruby's heap put the File object is a fact of this process */
export function fileObjectId(pid: number): string {
  const slot = (Math.imul(pid, 2654435761) >>> 0) % 0x80000;
  return `0x${(0x1000000 + slot * 40).toString(16).padStart(14, '0')}`;
}

/** may the publisher account open the file for reading (root:publisher 0640 as shipped) */
function readable(f: StoredFile, user: string, groups: readonly string[]): boolean {
  if (user === 'root') return true;
  if (f.owner === user) return (f.mode & 0o400) !== 0;
  if (groups.includes(f.group)) return (f.mode & 0o040) !== 0;
  return (f.mode & 0o004) !== 0;
}

/**
 * What `Publisher::Config.load('/etc/publisher/publisher.yml')` does with the file as it is now,
 * read by process `pid` running as `user` (member of `groups`).
 */
export function readConfig(file: StoredFile | undefined, pid: number, user: string, groups: readonly string[]): ConfigRead {
  const openFrames = [at(PSYCH, 297, 'initialize'), at(PSYCH, 297, 'open'), at(PSYCH, 297, 'load_file'), ...loadFrames()];
  if (!file) return { ok: false, stderr: uncaught(openFrames, `No such file or directory - ${CONFIG_PATH}`, 'Errno::ENOENT') };
  if (!readable(file, user, groups)) return { ok: false, stderr: uncaught(openFrames, `Permission denied - ${CONFIG_PATH}`, 'Errno::EACCES') };
  const parsed = parseYaml(file.content);
  if (!parsed.ok && 'unsupported' in parsed) {
    return { ok: false, stderr: `grimoire: ${CONFIG_PATH} uses YAML the game does not read (${parsed.unsupported}); the app is taken to fail at start.\n` };
  }
  if (!parsed.ok) {
    const e = parsed.error;
    const message = `(#<File:${fileObjectId(pid)}>): ${[e.problem, e.context].filter(Boolean).join(' ')} at line ${e.line} column ${e.column}`;
    const frames = [
      at(PSYCH, 203, 'parse'),
      at(PSYCH, 203, 'parse_stream'),
      at(PSYCH, 151, 'parse'),
      at(PSYCH, 127, 'load'),
      at(PSYCH, 297, 'block in load_file'),
      at(PSYCH, 297, 'open'),
      at(PSYCH, 297, 'load_file'),
      ...loadFrames(),
    ];
    return { ok: false, stderr: uncaught(frames, message, 'Psych::SyntaxError') };
  }
  const doc = parsed.value;
  // `YAML.load_file(path) || {}`: an empty document and a bare false both leave the defaults
  const top: YamlValue = doc === null || doc.t === 'null' || (doc.t === 'bool' && !doc.v) ? { t: 'map', entries: [] } : doc;
  if (top.t !== 'map') {
    const merge = lineOf(LIB_CONFIG, 'new(DEFAULTS.merge(');
    return { ok: false, stderr: uncaught([at(CONFIG_RB, merge, 'merge'), ...loadFrames()], `can't convert ${convName(top)} into Hash`, 'TypeError') };
  }
  const settings = new Map<string, YamlValue>([
    ['nsqd_url', { t: 'str', v: 'http://127.0.0.1:4151' }],
    ['topic', { t: 'str', v: 'events' }],
    ['pool_size', { t: 'int', v: 1 }],
    ['tcp_nodelay', { t: 'bool', v: false }],
    ['single_write', { t: 'bool', v: false }],
  ]);
  for (const [k, v] of top.entries) settings.set(k, v);
  const poolLine = lineOf(LIB_CONFIG, '@pool_size    = Integer(');
  const pool = settings.get('pool_size')!;
  let poolSize: number;
  if (pool.t === 'int') poolSize = pool.v;
  else if (pool.t === 'float') poolSize = Math.trunc(pool.v);
  else if (pool.t === 'str') {
    const n = integerOfString(pool.v);
    if (n === null) return { ok: false, stderr: uncaught(initializeFrames(poolLine, 'Integer'), `invalid value for Integer(): ${inspect(pool.v)}`, 'ArgumentError') };
    poolSize = n;
  } else return { ok: false, stderr: uncaught(initializeFrames(poolLine, 'Integer'), `can't convert ${convName(pool)} into Integer`, 'TypeError') };
  if (poolSize < 1) {
    const raise = lineOf(LIB_CONFIG, 'raise ArgumentError');
    return { ok: false, stderr: uncaught(initializeFrames(raise, 'initialize'), `pool_size must be at least 1 (got ${poolSize})`, 'ArgumentError') };
  }
  const isTrue = (v: YamlValue | undefined): boolean => v?.t === 'bool' && v.v;
  return {
    ok: true,
    config: {
      nsqdUrl: toS(settings.get('nsqd_url')!),
      topic: toS(settings.get('topic')!),
      poolSize,
      tcpNodelay: isTrue(settings.get('tcp_nodelay')),
      singleWrite: isTrue(settings.get('single_write')),
    },
  };
}

/**
 * The app's pool connects at start (NsqClient#initialize): with nothing listening on nsqd's port
 * the first connect(2) is refused and ruby 1.9.3's Net::HTTP lets the error through.
 */
export function connectRefused(): string {
  const pool = lineOf(LIB_NSQ_CLIENT, '@pool = Array.new(');
  const client = lineOf(LIB_APP, '@client = NsqClient.new(');
  const app = lineOf(BIN_PUBLISHER, 'Publisher::App.new(');
  const frames = [
    at(NET_HTTP, 763, 'initialize'),
    at(NET_HTTP, 763, 'open'),
    at(NET_HTTP, 763, 'block in connect'),
    at(TIMEOUT, 55, 'timeout'),
    at(TIMEOUT, 100, 'timeout'),
    at(NET_HTTP, 763, 'connect'),
    at(NET_HTTP, 756, 'do_start'),
    at(NET_HTTP, 750, 'start'),
    at(CLIENT_RB, lineOf(LIB_NSQ_CLIENT, 'http.start'), 'connect'),
    at(CLIENT_RB, pool, 'block in initialize'),
    at(CLIENT_RB, pool, 'initialize'),
    at(CLIENT_RB, pool, 'new'),
    at(CLIENT_RB, pool, 'initialize'),
    at(APP_RB, client, 'new'),
    at(APP_RB, client, 'initialize'),
    at(BIN, app, 'new'),
    at(BIN, app, '<main>'),
  ];
  return uncaught(frames, 'Connection refused - connect(2)', 'Errno::ECONNREFUSED');
}
