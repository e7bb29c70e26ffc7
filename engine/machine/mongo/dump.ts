/**
 * mongodump 2.6 against a running mongod: "connected to: ...", then per database
 * "DATABASE: events\t to \tdump/events", per collection "\tevents.events to
 * dump/events/events.bson", "\t\t N documents" and "\tMetadata for events.events to
 * dump/events/events.metadata.json". The .bson files are the store's own documents,
 * concatenated BSON (engine/storage/mmapv1's dump writer). A bad record stops it as 2.6's
 * cursor stops it: DBClientCursor::nextSafe's 13106 with the server's $err, reported by the
 * tool's main as "assertion: ..." (exit 255), the .bson written up to the bad record.
 */
import * as store from '../../storage/mmapv1';
import type { CommandOutput } from '../scenario';
import type { MachineWorld } from '../world';
import { shellLogLine } from './log';
import { connect, crashed, disconnect, diskOf, isStoreFault, serverOnPort } from './server';

export interface DumpArgs {
  port: number;
  host: string | null;
  db: string | null;
  collection: string | null;
  out: string;
}

export function parseDumpArgs(argv: readonly string[]): DumpArgs | string {
  const a: DumpArgs = { port: 27017, host: null, db: null, collection: null, out: 'dump' };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i]!;
    const eq = x.indexOf('=');
    const key = eq >= 0 ? x.slice(0, eq) : x;
    const val = (): string | null => (eq >= 0 ? x.slice(eq + 1) : i + 1 < argv.length ? argv[++i]! : null);
    const need = (name: string): string => `ERROR: the required argument for option '${name}' is missing`;
    if (key === '--port') {
      const v = val();
      if (v === null) return need('--port');
      if (!/^\d+$/.test(v) || Number(v) > 65535) return `ERROR: the argument ('${v}') for option '--port' is invalid`;
      a.port = Number(v);
    } else if (key === '--host' || key === '-h') {
      const v = val();
      if (v === null) return need('--host');
      const m = /^([^:]+)(?::(\d+))?$/.exec(v);
      a.host = m ? m[1]! : v;
      if (m?.[2]) a.port = Number(m[2]);
    } else if (key === '--db' || key === '-d') {
      const v = val();
      if (v === null) return need('--db');
      a.db = v;
    } else if (key === '--collection' || key === '-c') {
      const v = val();
      if (v === null) return need('--collection');
      a.collection = v;
    } else if (key === '--out' || key === '-o') {
      const v = val();
      if (v === null) return need('--out');
      a.out = v;
    } else if (key === '--dbpath') return 'mongodump --dbpath (reading data files without a server) is not simulated here; start a mongod on them and dump over --port';
    else return `ERROR: unknown option ${x}`;
  }
  if (a.collection && !a.db) return 'ERROR: need to specify --db with --collection';
  return a;
}

/** where mongodump writes: files by path (one char per byte for .bson), and directories it makes */
export interface DumpTarget {
  mkdir(path: string): string | null;
  /** binary: the data is bytes, one char each (a .bson), not text */
  write(path: string, data: string, binary: boolean): string | null;
}

const latin1 = (b: Uint8Array): string => {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
};

export function runDump(argv: readonly string[], w: MachineWorld, t: number, localNames: readonly string[], clientPort: number, target: DumpTarget): CommandOutput {
  const a = parseDumpArgs(argv);
  if (typeof a === 'string') return { stdout: '', stderr: `${a}\n`, code: 2 };
  const host = a.host ?? '127.0.0.1';
  if (!localNames.includes(host)) return { stdout: '', stderr: `mongodump: ${host} is another machine; only this box's own mongod is simulated\n`, code: 1 };
  const addr = host === 'localhost' ? '127.0.0.1' : host;
  const shown = a.port === 27017 && a.host === null ? addr : `${addr}:${a.port}`;
  const s = serverOnPort(w, a.port);
  if (!s) {
    return { stdout: '', stderr: shellLogLine(t, `couldn't connect to [${shown}] couldn't connect to server ${addr}:${a.port} (${addr}), connection attempt failed`), code: 255 };
  }
  const from = `127.0.0.1:${clientPort}`;
  const thread = connect(w, s, t, from);
  let out = `connected to: ${shown}\n`;
  const d = diskOf(w, s);
  const dbs = a.db ? [a.db] : s.dbs.filter((x) => x !== 'local');
  if (!a.db) out += shellLogLine(t, 'all dbs');
  let code = 0;
  outer: for (const db of dbs) {
    const dir = `${a.out}/${db}`;
    out += shellLogLine(t, `DATABASE: ${db}\t to \t${dir}`);
    const err = target.mkdir(dir);
    if (err) {
      out += shellLogLine(t, err);
      code = 255;
      break;
    }
    if (!store.databaseExists(d.io, db)) continue;
    const colls = store.listCollections(d.io, db).filter((c) => (a.collection ? c === a.collection : !c.startsWith('system.') || c === 'system.indexes'));
    for (const coll of colls) {
      const path = `${dir}/${coll}.bson`;
      out += shellLogLine(t, `\t${db}.${coll} to ${path}`);
      let r: store.DumpResult;
      try {
        r = store.dumpCollection(d.io, db, coll);
      } catch (e) {
        if (!isStoreFault(e)) throw e;
        // the server died under the cursor
        crashed(w, s, t, thread);
        out += shellLogLine(t, 'DBClientCursor::init call() failed');
        code = 255;
        return { stdout: out, stderr: '', code };
      }
      const werr = target.write(path, latin1(r.bson), true);
      if (werr) {
        out += shellLogLine(t, werr);
        code = 255;
        break outer;
      }
      if (r.error) {
        out += shellLogLine(t, `assertion: 13106 nextSafe(): { $err: "${r.error.message}", code: ${r.error.code} }`);
        code = 255;
        break outer;
      }
      out += shellLogLine(t, `\t\t ${r.count} documents`);
      if (coll.startsWith('system.')) continue;
      const meta = `${dir}/${coll}.metadata.json`;
      out += shellLogLine(t, `\tMetadata for ${db}.${coll} to ${meta}`);
      const merr = target.write(meta, r.metadata, false);
      if (merr) {
        out += shellLogLine(t, merr);
        code = 255;
        break outer;
      }
    }
  }
  disconnect(w, s, t, thread, from);
  return { stdout: out, stderr: '', code };
}
