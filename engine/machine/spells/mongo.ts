import { defineCommand } from '../../shell/commands/define';
import type { CommandContext, CommandResult, CommandSpec } from '../../shell/types';
import { normalizePath } from '../../vfs/path';
import { blockCreate, blockMkdir, blockMountOf, blockTruncate, blockWrite, charsToBytes, resolveBlockPath } from '../blockfs';
import { parseMongodArgs } from '../mongo/conf';
import { runDump, type DumpTarget } from '../mongo/dump';
import { parseMongoArgs, runMongo, type MongoRun } from '../mongo/program';
import { closeTerminal, openTerminal, setTerminal, terminalEof, terminalLine, terminalOf } from '../mongo/terminal';
import type { TerminalProgram } from '../../chapter';
import { mongoOf, startMongod } from '../mongo/server';
import { sessionShell } from '../session';
import type { MachineWorld } from '../world';
import type { MachineContext } from './context';
import '../mongo/blockDisk';

/**
 * The MongoDB 2.6 tools of the mongodb-org packages, on a box whose world has MongoDB
 * (`w.mongo`): the `mongo` shell with --eval, a `mongod` started by hand (a scratch server on a
 * restored volume), and `mongodump`. A box without MongoDB has none of them.
 */

const res = (stdout: string, stderr = '', code = 0): CommandResult => ({ stdout, stderr, code });

/** the names and addresses that reach this box itself */
function localNames(w: MachineWorld): string[] {
  return ['127.0.0.1', 'localhost', w.p.hostname];
}

/** an ephemeral port (32768-61000, Linux's default range) for a client's connection, from the game's own stream */
function clientPort(c: MachineContext): number {
  return c.streams.stream('mongo').int(32768, 60999);
}

function shellRun(c: MachineContext): MongoRun {
  const w = c.world();
  return { w, localNames: localNames(w), t: w.now, clientPort: clientPort(c) };
}

/** a flush answers once the device has completed it: the shell waits for that reply */
function awaitReplies(c: MachineContext): void {
  const w = c.world();
  const until = Math.max(0, ...mongoOf(w).servers.map((s) => s.replyAt ?? 0));
  for (const s of mongoOf(w).servers) delete s.replyAt;
  if (until > w.now) c.advance(until - w.now);
}

/**
 * `mongo` without --eval: from the player's terminal the shell takes it over (its lines come
 * through mongoShellProgram); with a script piped in, or run by cron, it reads that script line
 * by line as dbshell.cpp reads any input that is not a terminal, without prompts, and says bye
 * at its end.
 */
function startShell(c: MachineContext, ctx: CommandContext): CommandResult {
  const w = c.world();
  const a = parseMongoArgs(ctx.argv.slice(1));
  if (typeof a === 'string') return res('', `${a}\n`, 2);
  const fromTerminal = ctx.stdin === '' && ctx.env.shellPid !== undefined;
  const home = ctx.env.vars?.HOME ?? (ctx.user === 'root' ? '/root' : `/home/${ctx.user}`);
  const rc = `${home}/.mongorc.js`;
  // 2.6 greets a first run (no ~/.mongorc.js) at a terminal, and leaves an empty one behind
  const rcFile = ctx.env.fs.read(rc, ctx.user);
  const firstRun = fromTerminal && !rcFile.ok;
  const open = openTerminal(a, shellRun(c), firstRun);
  if (!open.term) return res(open.stdout, open.stderr, open.code);
  if (firstRun) ctx.env.fs.write(rc, '', ctx.user);
  // the real shell runs what the player wrote there; this one says it does not
  if (fromTerminal && rcFile.ok && rcFile.value.trim() !== '') open.stdout += `mongo: running ${rc} is not simulated here; its settings are not applied\n`;
  if (fromTerminal) {
    setTerminal(w, open.term);
    return res(open.stdout);
  }
  let out = open.stdout;
  let exited = false;
  for (const line of ctx.stdin.split('\n')) {
    const rep = terminalLine(shellRun(c), open.term, line);
    awaitReplies(c);
    out += rep.stdout;
    if (rep.exit) {
      exited = true;
      break;
    }
  }
  if (!exited) out += terminalEof(open.term);
  closeTerminal(shellRun(c), open.term);
  return res(out);
}

/** the shell holding the player's terminal: each line typed at its prompt, until it exits */
export function mongoShellProgram(c: MachineContext): TerminalProgram {
  return {
    prompt: () => terminalOf(c.world())?.prompt ?? null,
    line: (text) => {
      const w = c.world();
      const term = terminalOf(w);
      if (!term) return { stdout: '', stderr: '', argv: [] };
      const rep = terminalLine(shellRun(c), term, text);
      awaitReplies(c);
      if (rep.exit) {
        closeTerminal(shellRun(c), term);
        setTerminal(w, null);
      }
      // a chapter reads a line typed here as it reads the same JavaScript given to --eval
      return { stdout: rep.stdout, stderr: '', argv: ['mongo', '--eval', text] };
    },
    hangup: () => {
      const w = c.world();
      const term = terminalOf(w);
      if (!term) return;
      closeTerminal(shellRun(c), term);
      setTerminal(w, null);
    },
    eof: () => {
      const w = c.world();
      const term = terminalOf(w);
      if (!term) return '';
      const out = terminalEof(term);
      closeTerminal(shellRun(c), term);
      setTerminal(w, null);
      return out;
    },
  };
}

/** where mongodump writes: a block filesystem through the page cache, otherwise the machine's own files */
function dumpTarget(w: MachineWorld, ctx: CommandContext): DumpTarget {
  const abs = (p: string): string => normalizePath(p, ctx.cwd);
  return {
    mkdir: (path) => {
      const parts = abs(path).split('/').filter(Boolean);
      let cur = '';
      for (const part of parts) {
        cur += '/' + part;
        if (blockMountOf(w, cur)) {
          const r = resolveBlockPath(w, cur);
          if ('errno' in r) {
            const m = blockMkdir(w, cur, { perm: 0o755 });
            if (!m.ok) return `Error creating directory ${path}: ${m.errno}`;
          }
        } else if (!w.files.dirs[cur] && !Object.keys(w.files.files).some((f) => f.startsWith(cur + '/'))) {
          w.files.dirs[cur] = { mode: 0o755, owner: ctx.user, group: ctx.user };
        }
      }
      return null;
    },
    write: (path, data, binary) => {
      const p = abs(path);
      if (blockMountOf(w, p)) {
        let f = resolveBlockPath(w, p);
        if ('errno' in f) {
          const m = blockCreate(w, p, 0, { perm: 0o644 });
          if (!m.ok) return `Error creating file ${path}: ${m.errno}`;
          f = m.file;
        }
        blockTruncate(w, f, 0);
        const g = resolveBlockPath(w, p);
        if (!('errno' in g) && data.length > 0) blockWrite(w, g, 0, charsToBytes(data));
        return null;
      }
      const r = ctx.env.fs.write(p, data, ctx.user);
      if (!r.ok) return `Error writing ${path}: ${r.errno}`;
      // the file holds bytes (one char each): its size is their count, not their UTF-8 length
      const f = w.files.files[p];
      if (f && binary) f.bytes = data.length;
      return null;
    },
  };
}

export function mongoSpells(c: MachineContext): CommandSpec[] {
  if (!(c.world() as MachineWorld & { mongo?: unknown }).mongo) return [];
  const w = (): MachineWorld => c.world();
  return [
    defineCommand({
      name: 'mongo',
      path: '/usr/bin/mongo',
      summary: "MongoDB 2.6's shell: run JavaScript against a mongod, at its prompt or with --eval",
      category: 'network',
      synopsis: ['mongo [--quiet] [--port PORT] [--host HOST] [DB]', "mongo [--quiet] [--port PORT] [--host HOST] [DB] --eval 'JAVASCRIPT'"],
      description: [
        "Connects to a mongod (this box's own, 127.0.0.1:27017 unless --port says otherwise) and runs the JavaScript given with --eval. The shell prints what print() and printjson() print, then the value of the last statement as JavaScript turns it into a string: an object shows as [object Object], so wrap it in printjson() to see it.",
        'Without --eval the shell takes over the terminal with its own prompt (rs0:SECONDARY> on a replica set member): type JavaScript a line at a time, `use DB` to switch database, `show dbs`, `show collections`, `it` for the next 20 documents of the last query, `help`, and `exit` to get back to bash.',
        'The helpers are those of the 2.6 shell: db.serverStatus(), db.adminCommand({fsync: 1}), db.fsyncLock() and db.fsyncUnlock(), db.currentOp(), rs.status(), rs.printSlaveReplicationInfo(), db.printReplicationInfo(), db.COLLECTION.find().limit(N) with forEach(printjson), pretty(), toArray() and map(), findOne(), count() and validate(true). On a secondary, reads need rs.slaveOk() first.',
      ],
      options: [
        ['--quiet', 'no banner ("MongoDB shell version", "connecting to")'],
        ['--port PORT', 'the port of the mongod to talk to'],
        ['--eval JS', 'the JavaScript to run'],
      ],
      examples: [
        ["mongo --eval 'printjson(db.adminCommand({fsync: 1}))'", 'flush the data files to disk (writes carry on)'],
        ["mongo --quiet --eval 'printjson(rs.status())'", 'the replica set as this member sees it'],
        ["mongo events --eval 'rs.slaveOk(); printjson(db.events.findOne())'", 'one document, read on a secondary'],
        ['mongo --port 27018 events', 'the shell itself, on the mongod listening on port 27018'],
      ],
      notes: ["Only this box's own mongod can be reached. .js files, loops and if statements, sort() and writes are not simulated; variables are kept from one line to the next only when they hold plain values, a db or a collection."],
      run: (ctx) => {
        const a = parseMongoArgs(ctx.argv.slice(1));
        if (typeof a !== 'string' && a.eval === null && a.files.length === 0 && !a.version && !a.help) return startShell(c, ctx);
        const out = runMongo(ctx.argv.slice(1), shellRun(c));
        awaitReplies(c);
        return res(out.stdout, out.stderr, out.code);
      },
    }),
    defineCommand({
      name: 'mongod',
      path: '/usr/bin/mongod',
      summary: 'start a MongoDB 2.6 server on a data directory',
      category: 'processes',
      synopsis: ['mongod --dbpath DIR [--port PORT] [--fork --logpath FILE] [--nojournal] [--config FILE]'],
      description: [
        'Starts a mongod on the data files in DIR: it takes the lock file, replays a journal it finds there, and serves on PORT (27017 by default). A lock file that is not empty with no journal to replay means the last mongod there did not shut down cleanly, and 2.6 refuses to start.',
        'With --fork and --logpath it runs in the background and logs to the file; without --fork its log is printed here.',
      ],
      options: [
        ['--dbpath DIR', 'the data directory'],
        ['--port PORT', 'the port to listen on'],
        ['--fork', 'run in the background (needs --logpath)'],
        ['--logpath FILE', 'where the log goes'],
        ['--nojournal', 'no journal'],
      ],
      examples: [['sudo mongod --dbpath /mnt/restore/db --port 27018 --fork --logpath /tmp/restore.log', 'a scratch server on a restored volume']],
      run: (ctx) => {
        const world = w();
        const parsed = parseMongodArgs(ctx.argv.slice(1), (p) => {
          const r = ctx.env.fs.read(normalizePath(p, ctx.cwd), ctx.user);
          return r.ok ? r.value : null;
        });
        if (!parsed.ok) return res('', `${parsed.message}\ntry '/usr/bin/mongod --help' for more information\n`, parsed.code);
        const o = parsed.opts;
        o.dbpath = normalizePath(o.dbpath, ctx.cwd);
        if (o.logpath) o.logpath = normalizePath(o.logpath, ctx.cwd);
        if (o.fork && !o.logpath) return res('', "BadValue --fork has to be used with --logpath or --syslog\ntry '/usr/bin/mongod --help' for more information\n", 2);
        const shell = sessionShell(world);
        const uid = c.users()[ctx.user] ?? 0;
        const r = startMongod(world, { opts: o, hostname: world.p.hostname, ppid: o.fork ? 1 : shell > 0 ? shell : 1, user: ctx.user, uid, args: ['mongod', ...ctx.argv.slice(1)].join(' ') }, world.now);
        if (o.fork) {
          if (!r.ok) return res(`about to fork child process, waiting until server is ready for connections.\nforked process: ${world.k.lastPid}\nERROR: child process failed, exited with error number ${r.code}\n`, '', 1);
          return res(`about to fork child process, waiting until server is ready for connections.\nforked process: ${r.server.pid}\nchild process started successfully, parent exiting\n`);
        }
        if (!r.ok) return res(r.output, '', r.code);
        return res(r.output, `mongod: ${r.server.pid} keeps running in the foreground; this simulation gives the prompt back with it running (stop it with kill ${r.server.pid})\n`);
      },
    }),
    defineCommand({
      name: 'mongodump',
      path: '/usr/bin/mongodump',
      summary: "write a mongod's collections out as .bson files",
      category: 'files',
      synopsis: ['mongodump [--port PORT] [--host HOST] [--db DB [--collection COLL]] [--out DIR]'],
      description: [
        'Reads every collection of a running mongod (or the one given) and writes its documents, as BSON one after another, to DIR/DB/COLL.bson (DIR is ./dump by default), with COLL.metadata.json describing its indexes. A record the server cannot read stops the dump with the server\'s error; what came before it is already in the .bson file.',
      ],
      options: [
        ['--port PORT', 'the mongod to read'],
        ['--db DB', 'one database'],
        ['--collection COLL', 'one collection (with --db)'],
        ['--out DIR', 'where to write (default ./dump)'],
      ],
      examples: [['mongodump --port 27018 --db events --out /tmp/dump', 'dump the restored copy']],
      run: (ctx) => {
        const world = w();
        const out = runDump(ctx.argv.slice(1), world, world.now, localNames(world), clientPort(c), dumpTarget(world, ctx));
        return res(out.stdout, out.stderr, out.code);
      },
    }),
  ];
}
