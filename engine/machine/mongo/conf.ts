/**
 * mongod 2.6's options, from its command line and from the INI-style config file the
 * mongodb-org package ships as /etc/mongod.conf (`key = value`, `#` comments). 2.6 also reads
 * the YAML format; a file whose first key ends in ':' is refused here in one line, since the
 * package of 2015 writes INI.
 */

export interface MongodOptions {
  dbpath: string;
  /** null: logs go to the terminal */
  logpath: string | null;
  logappend: boolean;
  port: number;
  /** null: every interface */
  bindIp: string | null;
  journal: boolean;
  smallfiles: boolean;
  replSet: string | null;
  /** seconds between data-file flushes (--syncdelay, default 60) */
  syncdelay: number;
  /** ms between journal group commits; 0 for 2.6's default (100, or 30 with the journal on its own device) */
  journalCommitInterval: number;
  fork: boolean;
  /** the config file the options came from */
  config: string | null;
  /** options given, in the order given, for the startup `options:` line */
  given: Array<[string, string | boolean | number]>;
}

export const DEFAULT_OPTIONS: Omit<MongodOptions, 'given'> = {
  dbpath: '/data/db',
  logpath: null,
  logappend: false,
  port: 27017,
  bindIp: null,
  journal: true,
  smallfiles: false,
  replSet: null,
  syncdelay: 60,
  journalCommitInterval: 0,
  fork: false,
  config: null,
};

type Kind = 'string' | 'int' | 'double' | 'switch';

/** the 2.6 options this simulation acts on, and what boost::program_options expects of each */
const KNOWN: Record<string, Kind> = {
  dbpath: 'string',
  logpath: 'string',
  logappend: 'switch',
  port: 'int',
  bind_ip: 'string',
  journal: 'switch',
  nojournal: 'switch',
  smallfiles: 'switch',
  replSet: 'string',
  syncdelay: 'double',
  journalCommitInterval: 'int',
  fork: 'switch',
  config: 'string',
  f: 'string',
};

/** real 2.6 options this simulation accepts and leaves alone (their effects are not modelled) */
const ACCEPTED = new Set(['quiet', 'rest', 'httpinterface', 'nohttpinterface', 'auth', 'noauth', 'cpu', 'diaglog', 'nounixsocket', 'noprealloc', 'nssize', 'oplogSize', 'pidfilepath', 'keyFile', 'maxConns', 'objcheck', 'noscripting', 'notablescan', 'profile', 'slowms', 'directoryperdb', 'ipv6', 'verbose', 'v', 'unixSocketPrefix', 'timeStampFormat']);

export type ParseResult = { ok: true; opts: MongodOptions } | { ok: false; message: string; code: number };

function applyOption(o: MongodOptions, key: string, value: string | true, from: 'cli' | 'ini'): string | null {
  const kind = KNOWN[key];
  if (!kind) {
    if (ACCEPTED.has(key)) {
      o.given.push([key, value]);
      return null;
    }
    return from === 'cli' ? `Error parsing command line: unknown option ${key}` : `Error parsing INI config file: unknown option ${key}`;
  }
  let v: string | number | boolean;
  if (kind === 'switch') {
    if (value === true) v = true;
    else if (/^(true|1|yes)$/i.test(value)) v = true;
    else if (/^(false|0|no)$/i.test(value)) v = false;
    else return `Error parsing INI config file: the argument ('${value}') for option '${key}' is invalid`;
  } else {
    if (value === true) return `Error parsing command line: the required argument for option '--${key}' is missing`;
    if (kind === 'int') {
      if (!/^-?\d+$/.test(value.trim())) return `Error parsing ${from === 'cli' ? 'command line' : 'INI config file'}: the argument ('${value}') for option '${key}' is invalid`;
      v = Number(value.trim());
    } else if (kind === 'double') {
      if (!/^-?\d+(\.\d+)?$/.test(value.trim())) return `Error parsing ${from === 'cli' ? 'command line' : 'INI config file'}: the argument ('${value}') for option '${key}' is invalid`;
      v = Number(value.trim());
    } else v = value;
  }
  o.given.push([key, v]);
  switch (key) {
    case 'dbpath':
      o.dbpath = String(v);
      break;
    case 'logpath':
      o.logpath = String(v);
      break;
    case 'logappend':
      o.logappend = v === true;
      break;
    case 'port':
      o.port = Number(v);
      break;
    case 'bind_ip':
      o.bindIp = String(v);
      break;
    case 'journal':
      if (v === true) o.journal = true;
      break;
    case 'nojournal':
      if (v === true) o.journal = false;
      break;
    case 'smallfiles':
      o.smallfiles = v === true;
      break;
    case 'replSet':
      o.replSet = String(v);
      break;
    case 'syncdelay':
      o.syncdelay = Number(v);
      break;
    case 'journalCommitInterval':
      o.journalCommitInterval = Number(v);
      break;
    case 'fork':
      o.fork = v === true;
      break;
  }
  return null;
}

/** Reads the INI text of a config file into the options (the command line's own come after, and win). */
export function parseIni(o: MongodOptions, text: string): string | null {
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (/^[A-Za-z_]+:/.test(line)) return 'this simulation reads the INI config format of the 2015 mongodb-org package, not the YAML one';
    const eq = line.indexOf('=');
    const key = (eq < 0 ? line : line.slice(0, eq)).trim();
    const value = eq < 0 ? '' : line.slice(eq + 1).trim();
    const err = applyOption(o, key, eq < 0 ? true : value, 'ini');
    if (err) return err;
  }
  return null;
}

/**
 * mongod's command line; `readFile` gives the config file's text (null when it cannot be read).
 * Exit code 2 on bad options, as 2.6's option parsing exits.
 */
export function parseMongodArgs(args: readonly string[], readFile: (path: string) => string | null): ParseResult {
  const o: MongodOptions = { ...DEFAULT_OPTIONS, given: [] };
  const cli: Array<[string, string | true]> = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('-')) return { ok: false, code: 2, message: `Error parsing command line: too many positional options` };
    const body = a.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const key = eq < 0 ? body : body.slice(0, eq);
    const kind = KNOWN[key];
    if (eq >= 0) cli.push([key, body.slice(eq + 1)]);
    else if (kind && kind !== 'switch') {
      if (i + 1 >= args.length) return { ok: false, code: 2, message: `Error parsing command line: the required argument for option '--${key}' is missing` };
      cli.push([key, args[++i]!]);
    } else cli.push([key, true]);
  }
  const cfg = cli.find(([k]) => k === 'config' || k === 'f');
  if (cfg) {
    const path = String(cfg[1]);
    const text = readFile(path);
    if (text === null) return { ok: false, code: 2, message: `Error reading config file: No such file or directory` };
    o.config = path;
    const err = parseIni(o, text);
    if (err) return { ok: false, code: 2, message: err };
  }
  for (const [k, v] of cli) {
    if (k === 'config' || k === 'f') continue;
    const err = applyOption(o, k, v, 'cli');
    if (err) return { ok: false, code: 2, message: err };
  }
  if (!Number.isInteger(o.port) || o.port < 1 || o.port > 65535) return { ok: false, code: 2, message: `bad --port number` };
  return { ok: true, opts: o };
}

/**
 * The `options:` line 2.6 logs at startup: the settings in its YAML-era names, nested and
 * sorted by key, printed as BSONObj::toString prints ({ key: value, s: "text" }).
 */
export function optionsLine(o: MongodOptions): string {
  const tree: Record<string, unknown> = {};
  const put = (path: string[], v: unknown): void => {
    let n = tree;
    for (const p of path.slice(0, -1)) n = (n[p] ??= {}) as Record<string, unknown>;
    n[path[path.length - 1]!] = v;
  };
  if (o.config) put(['config'], o.config);
  for (const [k, v] of o.given) {
    switch (k) {
      case 'dbpath':
        put(['storage', 'dbPath'], v);
        break;
      case 'logpath':
        put(['systemLog', 'destination'], 'file');
        put(['systemLog', 'path'], v);
        break;
      case 'logappend':
        put(['systemLog', 'logAppend'], v);
        break;
      case 'port':
        put(['net', 'port'], v);
        break;
      case 'bind_ip':
        put(['net', 'bindIp'], v);
        break;
      case 'journal':
        put(['storage', 'journal', 'enabled'], v);
        break;
      case 'nojournal':
        put(['storage', 'journal', 'enabled'], !v);
        break;
      case 'smallfiles':
        put(['storage', 'smallFiles'], v);
        break;
      case 'replSet':
        put(['replication', 'replSet'], v);
        break;
      case 'syncdelay':
        put(['storage', 'syncPeriodSecs'], { double: v });
        break;
      case 'fork':
        put(['processManagement', 'fork'], v);
        break;
      case 'journalCommitInterval':
        put(['storage', 'journal', 'commitIntervalMs'], v);
        break;
    }
  }
  const show = (v: unknown): string => {
    if (typeof v === 'string') return `"${v}"`;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    const rec = v as Record<string, unknown>;
    if ('double' in rec && Object.keys(rec).length === 1) {
      const d = Number(rec.double);
      return Number.isInteger(d) ? `${d}.0` : String(d);
    }
    const keys = Object.keys(rec).sort();
    return keys.length === 0 ? '{}' : `{ ${keys.map((k) => `${k}: ${show(rec[k])}`).join(', ')} }`;
  };
  return show(tree);
}
