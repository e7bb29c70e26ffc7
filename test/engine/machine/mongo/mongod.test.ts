import { attachDevice, fs, pageCounts, readBlock, writeBlock } from '../../../../engine/kernel/block';
import { findProc } from '../../../../engine/kernel/procs';
import { advance } from '../../../../engine/machine/advance';
import { blockFileBytes, blockMkdir, blockUnlink, machineBacking } from '../../../../engine/machine/blockfs';
import { runDump } from '../../../../engine/machine/mongo/dump';
import { guarded, ServerDown } from '../../../../engine/machine/mongo/commands';
import { StoreFault } from '../../../../engine/storage/mmapv1';
import { interactiveLine, runMongo } from '../../../../engine/machine/mongo/program';
import { kill } from '../../../../engine/machine/signals';
import { commitInterval, mongoOf, setWriteRate, startMongod } from '../../../../engine/machine/mongo/server';
import { mongodService } from '../../../../engine/machine/mongo/service';
import { parseMongodArgs } from '../../../../engine/machine/mongo/conf';
import { RngStreams } from '../../../../engine/rng';
import { mongoWorld, PRIMARY, type MongoTestWorld } from '../../../fixtures/mongo-chapter';

const JOB = { job: 'mongod', config: '/etc/mongod.conf', user: 'mongodb', uid: 105, bootAtMs: 9_000 };

function setup(seed = 3, journalOn: 'own-disk' | 'data-disk' = 'own-disk'): { w: MongoTestWorld; streams: RngStreams; sh: (js: string, ...flags: string[]) => { out: string; code: number; err: string } } {
  const streams = new RngStreams(seed);
  const w = mongoWorld(streams, { journalOn });
  const sh = (js: string, ...flags: string[]) => {
    const r = runMongo([...flags, '--eval', js], { w, localNames: ['127.0.0.1', 'localhost', w.p.hostname], t: w.now, clientPort: 40_000 });
    return { out: r.stdout, code: r.code, err: r.stderr };
  };
  return { w, streams, sh };
}

const later = (w: MongoTestWorld, streams: RngStreams, ms: number): void => advance(w, streams, w.now + ms);
const server = (w: MongoTestWorld) => mongoOf(w).servers[0]!;
const log = (w: MongoTestWorld): string => w.files.files['/var/log/mongodb/mongod.log']?.content ?? '';

/** "N secs (H hrs) behind the primary " from printSlaveReplicationInfo */
function behind(out: string): number {
  const m = /\t(\d+) secs \([\d.]+ hrs\) behind the primary \n/.exec(out);
  if (!m) throw new Error(`no lag line in:\n${out}`);
  return Number(m[1]);
}

describe('mongod 2.6 on a replica-set secondary', () => {
  test('the upstart job starts it at boot with 2.6\'s startup lines, and it applies what the primary writes', () => {
    const { w, sh } = setup();
    const lines = log(w).split('\n');
    expect(lines[0]).toBe(`2015-05-11T20:00:09.000+0000 [initandlisten] MongoDB starting : pid=${server(w).pid} port=27017 dbpath=/data/db 64-bit host=beacon-1`);
    expect(lines[1]).toBe('2015-05-11T20:00:09.000+0000 [initandlisten] db version v2.6.9');
    expect(lines[6]).toBe('2015-05-11T20:00:09.000+0000 [initandlisten] journal dir=/data/db/journal');
    expect(lines[7]).toBe('2015-05-11T20:00:09.000+0000 [initandlisten] recover : no journal files present, no recovery needed');
    expect(lines[8]).toBe('2015-05-11T20:00:09.000+0000 [initandlisten] waiting for connections on port 27017');
    const r = sh("rs.slaveOk(); print(db.getSiblingDB('app').items.count())", '--quiet');
    // 60 s at 2 writes a second, a fifth of them updates of earlier documents
    expect(Number(r.out.trim())).toBeGreaterThan(80);
    expect(r.code).toBe(0);
    // the journal is on its own disk: the commit interval is 2.6's 30 ms there
    expect(server(w).dur.commits).toBeGreaterThan(60);
  });

  test('--eval prints the banner, then the last value as V8 makes it a string', () => {
    const { sh } = setup();
    expect(sh('db.serverStatus()').out).toBe('MongoDB shell version: 2.6.9\nconnecting to: test\n[object Object]\n');
    expect(sh('db.serverStatus().ok', '--quiet').out).toBe('1\n');
    expect(sh("db.getSiblingDB('app').items.find().limit(3)", '--quiet').out).toBe('DBQuery: app.items -> { }\n');
  });

  test('reads on a secondary need slaveOk, as the server says', () => {
    const { w, sh } = setup();
    const r = sh('printjson(db.items.findOne())', 'app', '--quiet');
    expect(r.out).toBe(`${stamp(w.now)} error: { "$err" : "not master and slaveOk=false", "code" : 13435 } at src/mongo/shell/query.js:131\n`);
    expect(r.code).toBe(252);
  });

  test('fsync flushes and returns; writes keep arriving', () => {
    const { w, streams, sh } = setup();
    const r = sh('printjson(db.adminCommand({fsync: 1}))', '--quiet');
    // app.ns, app.0 and app.1, which 2.6 preallocates as soon as the database is made
    expect(r.out).toBe('{ "numFiles" : 3, "ok" : 1 }\n');
    expect(log(w)).toMatch(/\[conn\d+\] CMD fsync: sync:1 lock:0\n/);
    later(w, streams, 30_000);
    expect(behind(sh('rs.printSlaveReplicationInfo()', '--quiet').out)).toBeLessThanOrEqual(1);
  });

  test('fsyncLock blocks the applier: lag grows until the unlock, then it catches up', () => {
    const { w, streams, sh } = setup();
    expect(sh('printjson(db.fsyncLock())', '--quiet').out).toBe(
      '{\n\t"info" : "now locked against writes, use db.fsyncUnlock() to unlock",\n\t"seeAlso" : "http://dochub.mongodb.org/core/fsynccommand",\n\t"ok" : 1\n}\n',
    );
    expect(sh('printjson(db.currentOp())', '--quiet').out).toBe('{\n\t"inprog" : [ ],\n\t"fsyncLock" : true,\n\t"info" : "use db.fsyncUnlock() to terminate the fsync write/snapshot lock"\n}\n');
    const applied = server(w).sync!.applied;
    later(w, streams, 90_000);
    expect(server(w).sync!.applied).toBe(applied);
    const info = sh('rs.printSlaveReplicationInfo()', '--quiet').out;
    expect(info).toMatch(/^source: beacon-1:27017\n\tsyncedTo: Mon May 11 2015 20:01:\d\d GMT\+0000 \(UTC\)\n/);
    expect(behind(info)).toBeGreaterThanOrEqual(89);
    expect(sh('printjson(db.fsyncUnlock())', '--quiet').out).toBe('{ "ok" : 1, "info" : "unlock completed" }\n');
    expect(sh('printjson(db.fsyncUnlock())', '--quiet').out).toBe('{ "ok" : 0, "errmsg" : "not locked" }\n');
    expect(sh('printjson(db.currentOp())', '--quiet').out).toBe('{ "inprog" : [ ] }\n');
    later(w, streams, 5_000);
    expect(behind(sh('rs.printSlaveReplicationInfo()', '--quiet').out)).toBeLessThanOrEqual(1);
    expect(log(w)).toContain('] db is now locked for snapshotting, no writes allowed. db.fsyncUnlock() to unlock\n');
    expect(log(w)).toContain('] command: unlock requested\n');
  });

  test('a second lock succeeds at once and needs its own unlock (2.6\'s lock thread waits to lock again)', () => {
    const { w, streams, sh } = setup();
    sh('db.fsyncLock()');
    expect(sh('printjson(db.fsyncLock())', '--quiet').out).toContain('"info" : "now locked against writes, use db.fsyncUnlock() to unlock"');
    sh('db.fsyncUnlock()');
    const applied = server(w).sync!.applied;
    later(w, streams, 10_000);
    expect(server(w).sync!.applied).toBe(applied);
    expect(sh('printjson(db.currentOp().fsyncLock)', '--quiet').out).toBe('true\n');
    sh('db.fsyncUnlock()');
    later(w, streams, 10_000);
    expect(server(w).sync!.applied).toBeGreaterThan(applied);
  });

  test('locked past the oplog window, the secondary goes stale (RS102) and stays RECOVERING after the unlock', () => {
    const { w, streams, sh } = setup();
    // 100 writes a second: the 2 MiB oplog of 200-byte entries holds 10,485 of them, under two minutes
    setWriteRate(w, w.now, 100);
    sh('db.fsyncLock()');
    later(w, streams, 60_000);
    expect(server(w).sync!.stale).toBe(false);
    later(w, streams, 120_000);
    expect(server(w).sync!.stale).toBe(true);
    const stale = log(w).split('\n').filter((l) => l.includes('[rsBackgroundSync]'));
    expect(stale[0]).toMatch(/^2015-05-11T20:0\d:\d\d\.\d{3}\+0000 \[rsBackgroundSync\] replSet error RS102 too stale to catch up, at least from alpha:27017$/);
    expect(stale[1]).toMatch(/^.* \[rsBackgroundSync\] replSet our last optime : May 11 20:01:\d\d 55510a[0-9a-f]{2}:[0-9a-f]+$/);
    expect(stale[2]).toMatch(/^.* \[rsBackgroundSync\] replSet oldest at alpha:27017 : May 11 20:0\d:\d\d 55510[0-9a-f]{3}:[0-9a-f]+$/);
    expect(stale.slice(3).map((l) => l.replace(/^.*\] /, ''))).toEqual([
      'replSet See http://dochub.mongodb.org/core/resyncingaverystalereplicasetmember',
      'replSet error RS102 too stale to catch up',
      'replSet RECOVERING',
    ]);
    sh('db.fsyncUnlock()');
    later(w, streams, 30_000);
    const st = sh('printjson(rs.status())', '--quiet').out;
    expect(st).toContain('\t"myState" : 3,\n');
    expect(st).toContain('\t\t\t"stateStr" : "RECOVERING",\n');
    expect(st).not.toContain('"syncingTo"');
    expect(server(w).sync!.stale).toBe(true);
    void PRIMARY;
  });

  test('no mongod listening: the shell\'s refusal and exit 1', () => {
    const { w, sh } = setup();
    const r = sh('db.serverStatus()', '--port', '27018');
    expect(r.out).toBe(
      `MongoDB shell version: 2.6.9\nconnecting to: 127.0.0.1:27018/test\n${stamp(w.now)} warning: Failed to connect to 127.0.0.1:27018, reason: errno:111 Connection refused\n${stamp(w.now)} Error: couldn't connect to server 127.0.0.1:27018 (127.0.0.1), connection attempt failed at src/mongo/shell/mongo.js:148\n`,
    );
    expect([r.err, r.code]).toEqual(['exception: connect failed\n', 1]);
  });

  test('malformed JavaScript is logged as V8 words it, exit 252; a missing name is a ReferenceError', () => {
    const { w, sh } = setup();
    expect(sh('db.adminCommand({fsync:1}', '--quiet')).toEqual({ out: `${stamp(w.now)} SyntaxError: Unexpected end of input\n`, err: '', code: 252 });
    expect(sh('printjson(dbs.stats())', '--quiet')).toEqual({ out: `${stamp(w.now)} ReferenceError: dbs is not defined\n`, err: '', code: 252 });
    expect(sh('db.fsyncUnlok()', '--quiet').out).toBe(`${stamp(w.now)} TypeError: Property 'fsyncUnlok' of object test is not a function\n`);
  });
});

describe('the interactive forms', () => {
  test('a line typed at the shell prompt prints its value as shellPrintHelper does: objects by tojson, a cursor 20 documents at a time', () => {
    const { w } = setup();
    const run = { w, localNames: ['127.0.0.1'], t: w.now, clientPort: 40_002 };
    expect(interactiveLine(run, 'test', 'use app')).toEqual({ stdout: 'switched to db app\n', db: 'app' });
    expect(interactiveLine(run, 'test', 'db.fsyncUnlock()').stdout).toBe('{ "ok" : 0, "errmsg" : "not locked" }\n');
    expect(interactiveLine(run, 'app', 'db').stdout).toBe('app\n');
    const cursor = interactiveLine(run, 'app', 'rs.slaveOk(); db.items.find()').stdout.split('\n');
    expect(cursor.length).toBe(22);
    for (const l of cursor.slice(0, 20)) expect(l).toMatch(/^\{ "_id" : ObjectId\("[0-9a-f]{24}"\), "owner" : "(ana|bo|cy|dee)", "kind" : "visit", "score" : \d+, "at" : ISODate\("2015-05-11T20:0\d:\d\d(\.\d{3})?Z"\), "labels" : \[ ("[xyz]"(, "[xyz]")? )?\] \}$/);
    expect(cursor[20]).toBe('Type "it" for more');
    expect(interactiveLine(run, 'app', 'rs.slaveOk(); db.items.find().limit(2)').stdout.split('\n').length).toBe(3);
  });

  test('SIGTERM shuts a mongod down cleanly, one started by hand included', () => {
    const { w, streams } = setup();
    const s = server(w);
    expect(kill(w, s.pid, 15, 'root')).toEqual({ ok: true });
    later(w, streams, 1_000);
    expect(mongoOf(w).servers).toEqual([]);
    expect(log(w)).toMatch(/\[signalProcessingThread\] got signal 15 \(SIGTERM\), will terminate after current cmd ends\n/);
    expect(log(w)).toMatch(/\[signalProcessingThread\] dbexit: really exiting now\n$/);
    expect(fs.lookup(w.k, 'xvdf', 'db/mongod.lock')!.size).toBe(0);
  });
});

describe('mongod startup on a dbpath', () => {
  test('a clean stop empties the lock file and removes the journal; the next start needs no recovery', () => {
    const { w, streams } = setup();
    const svc = mongodService(JOB);
    expect(svc.initScript!(w, 'stop', 'root')).toEqual({ stdout: 'mongod stop/waiting\n', stderr: '', code: 0 });
    expect(fs.lookup(w.k, 'xvdf', 'db/mongod.lock')!.size).toBe(0);
    expect(Object.keys(fs.lookup(w.k, 'xvdg', '')!.entries ?? {}).filter((n) => n.startsWith('j._'))).toEqual([]);
    later(w, streams, 1_000);
    const r = svc.initScript!(w, 'start', 'root');
    expect(r.stdout).toMatch(/^mongod start\/running, process \d+\n$/);
    expect(log(w).split('\n').filter((l) => l.includes('recover')).slice(-1)[0]).toMatch(/\[initandlisten\] recover : no journal files present, no recovery needed$/);
  });

  test('after a crash the journal is replayed at startup', () => {
    const { w, streams } = setup();
    const s = server(w);
    // the box loses the process: no shutdown, the journal and the lock file stay
    mongodService(JOB).halted(w);
    findProc(w.k, s.pid) && (findProc(w.k, s.pid)!.state = 'Z');
    const p = parseMongodArgs(['--config', '/etc/mongod.conf'], (f) => w.files.files[f]?.content ?? null);
    if (!p.ok) throw new Error(p.message);
    later(w, streams, 1_000);
    mongoOf(w).servers = [];
    const before = log(w).length;
    const r = startMongod(w, { opts: { ...p.opts, port: 27019 }, hostname: 'beacon-1', ppid: 1, user: 'mongodb', uid: 105, args: 'mongod' }, w.now);
    expect(r.ok).toBe(true);
    const rec = log(w).slice(before).split('\n').filter((l) => / \[initandlisten\] (recover|removeJournalFiles)/.test(l)).map((l) => l.replace(/^.*\] /, ''));
    expect(rec[0]).toBe('recover begin');
    expect(rec).toContain('recover /data/db/journal/j._0');
    expect(rec.slice(-3)).toEqual(['recover cleaning up', 'removeJournalFiles', 'recover done']);
  });

  test('a lock file left by a crash with no journal files to replay: 2.6 refuses to start (12596, exit 100)', () => {
    const { w } = setup();
    mongodService(JOB).halted(w);
    mongoOf(w).servers = [];
    for (const n of Object.keys(fs.lookup(w.k, 'xvdg', '')!.entries ?? {})) blockUnlink(w, `/journal/${n}`);
    const p = parseMongodArgs(['--config', '/etc/mongod.conf'], (f) => w.files.files[f]?.content ?? null);
    if (!p.ok) throw new Error(p.message);
    const before = log(w).length;
    const r = startMongod(w, { opts: { ...p.opts, port: 27019 }, hostname: 'beacon-1', ppid: 1, user: 'mongodb', uid: 105, args: 'mongod' }, w.now);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe(100);
    const text = log(w).slice(before);
    expect(text).toContain(
      '************** \nold lock file: /data/db/mongod.lock.  probably means unclean shutdown,\nbut there are no journal files to recover.\nthis is likely human error or filesystem corruption.\nplease make sure that your journal directory is mounted.\nfound 1 dbs.\nsee: http://dochub.mongodb.org/core/repair for more information\n*************\n',
    );
    expect(text).toMatch(/\[initandlisten\] exception in initAndListen: 12596 old lock file, terminating\n/);
    expect(text).toMatch(/\[initandlisten\] dbexit: really exiting now\n$/);
    expect(mongoOf(w).servers).toEqual([]);
  });
});

/** a crash-consistent copy of the data disk at this instant, attached and mounted at /mnt/restore */
function restoreCopy(w: MongoTestWorld): void {
  const live = w.testDisks['disk-data']!;
  w.testDisks['disk-restore'] = { sizeBytes: live.sizeBytes, blocks: { ...live.blocks } };
  attachDevice(w.k, { name: 'xvdh', backingId: 'disk-restore', sizeBytes: live.sizeBytes }, w.now);
  expect(fs.mount(w.k, 'xvdh', '/mnt/restore', ['rw'], w.now, machineBacking(w)).ok).toBe(true);
}

describe('the journal and a snapshot of the data disk', () => {
  test('with the journal on the data disk, a copy taken with pages still dirty recovers from it and reads clean', () => {
    const { w, streams, sh } = setup(3, 'data-disk');
    expect(commitInterval(w, server(w).opts)).toBe(100);
    // past the minute's flush, with writes since: the copy's data files lag its journal
    later(w, streams, 20_000);
    expect(pageCounts(w.k).dirty).toBeGreaterThan(0);
    restoreCopy(w);
    const o = parseMongodArgs(['--dbpath', '/mnt/restore/db', '--port', '27018'], () => null);
    if (!o.ok) throw new Error(o.message);
    const before = log(w).length;
    const r = startMongod(w, { opts: { ...o.opts, logpath: '/var/log/mongodb/mongod.log', logappend: true }, hostname: 'beacon-1', ppid: 1, user: 'root', uid: 0, args: 'mongod' }, w.now);
    expect(r.ok).toBe(true);
    const rec = log(w).slice(before).split('\n').map((l) => l.replace(/^.*\] /, ''));
    expect(rec).toContain('recover begin');
    expect(rec).toContain('recover /mnt/restore/db/journal/j._0');
    expect(rec).toContain('recover done');
    const n = sh("print(db.getSiblingDB('app').items.find().toArray().length)", '--quiet', '--port', '27018');
    expect(n.code).toBe(0);
    const v = sh("printjson(db.getSiblingDB('app').items.validate(true).valid)", '--quiet', '--port', '27018');
    expect(v.out).toBe('true\n');
  });

  test('with the journal on its own disk the commit interval is 30 ms, and a copy of the data disk alone has no journal to replay', () => {
    const { w, streams } = setup(3, 'own-disk');
    expect(commitInterval(w, server(w).opts)).toBe(30);
    later(w, streams, 20_000);
    restoreCopy(w);
    // the copy's journal is a symlink to the live /journal: the restore replaces it with an empty directory
    blockUnlink(w, '/mnt/restore/db/journal');
    blockMkdir(w, '/mnt/restore/db/journal');
    const o = parseMongodArgs(['--dbpath', '/mnt/restore/db', '--port', '27018'], () => null);
    if (!o.ok) throw new Error(o.message);
    const r = startMongod(w, { opts: o.opts, hostname: 'beacon-1', ppid: 1, user: 'root', uid: 0, args: 'mongod' }, w.now);
    // the copy's lock file is the running mongod's: 2.6 refuses to start on it
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.output).toContain('old lock file: /mnt/restore/db/mongod.lock.  probably means unclean shutdown,');
  });
});

describe('a torn store read through the server', () => {
  test('find, validate and mongodump report the server\'s 10334 from the bytes on the restored disk', () => {
    const { w, streams, sh } = setup();
    sh('db.adminCommand({fsync: 1})');
    later(w, streams, 2_000);
    // a crash-consistent copy of the data disk (what a snapshot restored to a new volume holds)
    const live = w.testDisks['disk-data']!;
    const copy = { sizeBytes: live.sizeBytes, blocks: { ...live.blocks } };
    // the first document's length overwritten with 0xEE fill, as a page that never reached the disk leaves it
    const ino = fs.lookup(w.k, 'xvdf', 'db/app.0')!.ino;
    const bytes = blockFileBytes(w, { dev: 'xvdf', ino, inode: fs.stat(w.k, 'xvdf', ino)!, path: '/data/db/app.0' });
    const at = indexOf(bytes, [0x07, 0x5f, 0x69, 0x64, 0x00]) - 4;
    expect(at).toBeGreaterThan(8192);
    const blk = fs.bmap(w.k, 'xvdf', ino, Math.floor(at / 4096));
    const page = readBlock(copy, blk);
    page.fill(0xee, at % 4096, (at % 4096) + 4);
    writeBlock(copy, blk, page);
    w.testDisks['disk-restore'] = copy;
    attachDevice(w.k, { name: 'xvdh', backingId: 'disk-restore', sizeBytes: copy.sizeBytes }, w.now);
    expect(fs.mount(w.k, 'xvdh', '/mnt/restore', ['rw'], w.now, machineBacking(w)).ok).toBe(true);
    // the restore procedure: no lock file, and a journal directory of its own (the copy's points at the live /journal)
    blockUnlink(w, '/mnt/restore/db/mongod.lock');
    blockUnlink(w, '/mnt/restore/db/journal');
    const o = parseMongodArgs(['--dbpath', '/mnt/restore/db', '--port', '27018', '--nojournal'], () => null);
    if (!o.ok) throw new Error(o.message);
    const started = startMongod(w, { opts: o.opts, hostname: 'beacon-1', ppid: 1, user: 'root', uid: 0, args: 'mongod --dbpath /mnt/restore/db --port 27018 --nojournal' }, w.now);
    expect(started.ok).toBe(true);
    const find = sh('db.items.find().limit(3).toArray()', 'app', '--quiet', '--port', '27018');
    expect(find.code).toBe(252);
    expect(find.out).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000 error: \{\n\t"\$err" : "BSONObj size: -286331154 \(0xEEEEEEEE\) is invalid\. Size must be between 0 and 16793600\(16MB\) First element: [^"]*",\n\t"code" : 10334\n\} at src\/mongo\/shell\/query\.js:131\n$/,
    );
    const v = sh('printjson(db.items.validate(true))', 'app', '--quiet', '--port', '27018');
    expect(v.out).toContain('\t"ns" : "app.items",\n');
    expect(v.out).toContain('\t"valid" : false,\n');
    const files: Record<string, string> = {};
    const dump = runDump(['--port', '27018', '--db', 'app', '--out', '/tmp/dump'], w, w.now, ['127.0.0.1'], 40_001, { mkdir: () => null, write: (p, d) => void (files[p] = d) ?? null });
    expect(dump.code).toBe(255);
    expect(dump.stdout.split('\n')[0]).toBe('connected to: 127.0.0.1:27018');
    expect(dump.stdout).toMatch(/\+0000 DATABASE: app\t to \t\/tmp\/dump\/app\n/);
    expect(dump.stdout).toMatch(/\+0000 \tapp\.items to \/tmp\/dump\/app\/items\.bson\n.*\+0000 assertion: 13106 nextSafe\(\): \{ \$err: "BSONObj size: -286331154 \(0xEEEEEEEE\) is invalid\. [^\n]*", code: 10334 \}\n$/);
    // what came before the bad record is in the file: here nothing, the first record was the torn one
    expect(files['/tmp/dump/app/items.bson']).toBe('');
  });
});

function indexOf(hay: Uint8Array, needle: number[]): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function stamp(t: number): string {
  const d = new Date(Math.floor(t));
  const p = (n: number, k = 2) => String(n).padStart(k, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}+0000`;
}

describe('dbStats', () => {
  test('db.stats() answers on a secondary with 2.6\'s fields in their order, worked out from the files; scale divides the sizes', () => {
    const { sh } = setup();
    const out = sh("printjson(db.getSiblingDB('app').stats())", '--quiet').out;
    const keys = [...out.matchAll(/^\t"([A-Za-z]+)" : /gm)].map((m) => m[1]);
    expect(keys).toEqual(['db', 'collections', 'objects', 'avgObjSize', 'dataSize', 'storageSize', 'numExtents', 'indexes', 'indexSize', 'fileSize', 'nsSizeMB', 'dataFileVersion', 'extentFreeList', 'ok']);
    expect(out).toContain('\t"dataFileVersion" : {\n\t\t"major" : 4,\n\t\t"minor" : 5\n\t},\n');
    /** the top level's numbers, as printjson prints them */
    const numbers = (text: string): Record<string, number> => Object.fromEntries([...text.matchAll(/^\t"([A-Za-z]+)" : ([\d.]+),?$/gm)].map((m) => [m[1]!, Number(m[2])]));
    const s = numbers(out);
    const items = Number(sh("rs.slaveOk(); print(db.getSiblingDB('app').items.count())", '--quiet').out);
    // the items, a document per collection in system.namespaces and one per index in system.indexes
    expect(s.collections).toBe(3);
    expect(s.indexes).toBe(1);
    expect(s.objects).toBe(items + 3 + 1);
    expect(s.avgObjSize).toBeCloseTo(s.dataSize! / s.objects!, 10);
    expect(s.storageSize).toBeGreaterThanOrEqual(s.dataSize!);
    expect(s.fileSize! % (16 * 1024 * 1024)).toBe(0);
    const k = numbers(sh("printjson(db.getSiblingDB('app').stats(1024))", '--quiet').out);
    for (const f of ['dataSize', 'storageSize', 'indexSize', 'fileSize']) expect(k[f]).toBe(Math.floor(s[f]! / 1024));
    expect(k.objects).toBe(s.objects);
  });

  test('a database with no files has zeros and no format; the command\'s old name works; a bad scale is refused', () => {
    const { sh } = setup();
    expect(sh("printjson(db.getSiblingDB('nothere').stats())", '--quiet').out).toBe(
      '{\n\t"db" : "nothere",\n\t"collections" : 0,\n\t"objects" : 0,\n\t"avgObjSize" : 0,\n\t"dataSize" : 0,\n\t"storageSize" : 0,\n' +
        '\t"numExtents" : 0,\n\t"indexes" : 0,\n\t"indexSize" : 0,\n\t"fileSize" : 0,\n\t"dataFileVersion" : {\n\t\t\n\t},\n\t"ok" : 1\n}\n',
    );
    expect(sh("print(db.getSiblingDB('app').runCommand({ dbStats: 1 }).objects === db.getSiblingDB('app').runCommand('dbstats').objects)", '--quiet').out).toBe('true\n');
    expect(sh("printjson(db.getSiblingDB('app').stats(0))", '--quiet').out).toBe('{ "ok" : 0, "errmsg" : "scale has to be > 0" }\n');
    expect(sh("printjson(db.getSiblingDB('app').stats('k'))", '--quiet').out).toBe('{ "ok" : 0, "errmsg" : "scale has to be a number > 0" }\n');
  });
});

describe('serverStatus', () => {
  test('dur reports the last 3-second interval; mem comes from the process and the mapped files', () => {
    const { w, sh } = setup();
    const r = sh('var s = db.serverStatus(); printjson(s.dur); printjson(s.mem)', '--quiet');
    const m = /^\{\n\t"commits" : (\d+),\n\t"journaledMB" : ([\d.]+),\n\t"writeToDataFilesMB" : ([\d.]+),\n\t"compression" : 0,\n\t"commitsInWriteLock" : 0,\n\t"earlyCommits" : 0,\n\t"timeMs" : \{\n\t\t"dt" : (\d+),\n\t\t"prepLogBuffer" : 0,\n\t\t"writeToJournal" : (\d+),\n\t\t"writeToDataFiles" : 0,\n\t\t"remapPrivateView" : 0\n\t\}\n\}\n/.exec(r.out);
    expect(m).not.toBeNull();
    // 2 writes a second: a handful of commits in about three seconds
    expect(Number(m![1])).toBeGreaterThan(0);
    expect(Number(m![1])).toBeLessThan(20);
    expect(Number(m![4])).toBeGreaterThanOrEqual(3000);
    expect(Number(m![4])).toBeLessThan(6000);
    // mapped: the data files' sizes; with the journal the private view maps them a second time
    const mem = /"mapped" : (\d+),\n\t"mappedWithJournal" : (\d+)\n/.exec(r.out)!;
    expect(Number(mem[2])).toBe(2 * Number(mem[1]));
    expect(r.out).toMatch(/\{\n\t"bits" : 64,\n\t"resident" : \d+,\n\t"virtual" : \d+,\n\t"supported" : true,\n/);
  });
});

describe('a snapshot taken under fsyncLock', () => {
  test('the lock removed the journal: the copy has a full lock file and nothing to replay; without the lock file it starts and reads clean', () => {
    const { w, streams, sh } = setup(5, 'data-disk');
    later(w, streams, 20_000);
    sh('db.fsyncLock()');
    expect(Object.keys(fs.lookup(w.k, 'xvdf', 'db/journal')!.entries ?? {})).toEqual([]);
    later(w, streams, 2_000);
    restoreCopy(w);
    sh('db.fsyncUnlock()');
    const o = parseMongodArgs(['--dbpath', '/mnt/restore/db', '--port', '27018'], () => null);
    if (!o.ok) throw new Error(o.message);
    const spec = { opts: o.opts, hostname: 'beacon-1', ppid: 1, user: 'root', uid: 0, args: 'mongod' };
    const refused = startMongod(w, spec, w.now);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.output).toContain('but there are no journal files to recover.\n');
    // the documented restore step: remove the stale lock file
    blockUnlink(w, '/mnt/restore/db/mongod.lock');
    const r = startMongod(w, spec, w.now);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.output).toContain('[initandlisten] recover : no journal files present, no recovery needed\n');
    expect(sh("printjson(db.getSiblingDB('app').items.validate(true).valid)", '--quiet', '--port', '27018').out).toBe('true\n');
    // the live one journals again after the unlock, in a new file
    later(w, streams, 5_000);
    expect(Object.keys(fs.lookup(w.k, 'xvdf', 'db/journal')!.entries ?? {})).toContain('j._0');
  });
});

describe('a dbpath on a read-only mount', () => {
  test('the lock file cannot be made: 10309 with errno 30, and no server', () => {
    const { w } = setup();
    const live = w.testDisks['disk-data']!;
    w.testDisks['disk-ro'] = { sizeBytes: live.sizeBytes, blocks: { ...live.blocks } };
    attachDevice(w.k, { name: 'xvdi', backingId: 'disk-ro', sizeBytes: live.sizeBytes }, w.now);
    expect(fs.mount(w.k, 'xvdi', '/mnt/ro', ['ro'], w.now, machineBacking(w)).ok).toBe(true);
    const o = parseMongodArgs(['--dbpath', '/mnt/ro/db', '--port', '27020', '--logpath', '/tmp/ro.log'], () => null);
    if (!o.ok) throw new Error(o.message);
    const r = startMongod(w, { opts: o.opts, hostname: 'beacon-1', ppid: 1, user: 'root', uid: 0, args: 'mongod' }, w.now);
    expect(r.ok).toBe(false);
    expect(w.files.files['/tmp/ro.log']!.content).toMatch(/\[initandlisten\] exception in initAndListen: 10309 Unable to create\/open lock file: \/mnt\/ro\/db\/mongod\.lock errno:30 Read-only file system Is a mongod instance already running\?, terminating\n/);
    expect(mongoOf(w).servers.map((s) => s.opts.port)).toEqual([27017]);
  });
});

describe('a store fault (what would crash mongod)', () => {
  test('the server dies with a segmentation fault in its log; afterwards nothing listens on its port', () => {
    const { w, streams, sh } = setup();
    sh('db.adminCommand({fsync: 1})');
    later(w, streams, 2_000);
    restoreCopy(w);
    blockUnlink(w, '/mnt/restore/db/mongod.lock');
    blockUnlink(w, '/mnt/restore/db/journal');
    const o = parseMongodArgs(['--dbpath', '/mnt/restore/db', '--port', '27018', '--nojournal', '--logpath', '/tmp/scratch.log'], () => null);
    if (!o.ok) throw new Error(o.message);
    const r = startMongod(w, { opts: o.opts, hostname: 'beacon-1', ppid: 1, user: 'root', uid: 0, args: 'mongod' }, w.now);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // a fault as the store raises it (a btree it cannot walk), met while the server answers a connection
    const s = r.server;
    const c = { w, s, thread: 'conn9', t: w.now };
    expect(() => guarded(c, () => { throw new StoreFault('btree bucket 1:2000 of app.items is unreadable'); })).toThrow(ServerDown);
    expect(w.files.files['/tmp/scratch.log']!.content).toMatch(/\[conn9\] Got signal: 11 \(Segmentation fault\)\.\n$/);
    expect(mongoOf(w).servers.some((x) => x.opts.port === 27018)).toBe(false);
    expect(sh('db.serverStatus()', '--quiet', '--port', '27018').out).toMatch(/Error: couldn't connect to server 127\.0\.0\.1:27018/);
  });
});
