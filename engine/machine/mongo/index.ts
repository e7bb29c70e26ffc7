/**
 * MongoDB 2.6 on the generic machine: mongod as a process (an upstart job or started by hand),
 * its store on the machine's disks (engine/storage/mmapv1 through the page cache), journaling
 * and the syncdelay flush, replication as a secondary of a simulated primary, the mongo shell's
 * one-line JavaScript and its printing, and mongodump.
 *
 * How a scenario uses it (test/fixtures/mongo-chapter is a complete example):
 * - World: `w.mongo = { servers: [], primary, feed }` (MongoState). `primary` (repl.ts
 *   PrimaryModel) is the set's primary: host, set name, its write-rate schedule, oplog size and
 *   entry size. `feed` (feed.ts FeedConfig) is what it writes: db, collection, a JSON template of
 *   the documents' fields, the share of in-place updates, a seed drawn from the game's RNG.
 * - Kernel and timers: BLOCK_SUBSYSTEM in the kernel; sources [BLOCK_TIMER_SOURCE,
 *   MONGOD_TIMER_SOURCE]. Disks mounted before the job starts (a dbpath under a block mount uses
 *   the page cache; anywhere else the files are kept in `w.mongo.files`, written through).
 * - Service: `mongodService({ job: 'mongod', config: '/etc/mongod.conf', user, uid, bootAtMs,
 *   started(w, s) { joinAsSecondary(w, s, 'mongo-b:27017', 1) } })` among the scenario's services;
 *   /etc/mongod.conf in the 2015 package's INI form. `service mongod stop|start|restart|status`,
 *   initctl, SIGTERM and a machine going down behave as 2.6 under upstart 1.12.
 * - Load: `setWriteRate(w, fromMs, opsPerSec)` changes the primary's rate from an instant on
 *   (the night's import); lag, the oplog window and RS102 follow from the schedule.
 * - Spells: mongo, mongod, mongodump appear on any box whose world has `mongo`. `mongo` without
 *   --eval opens the interactive shell (terminal.ts): the machine binding's `program` then takes
 *   each typed line until `exit`, with its prompt (`rs0:SECONDARY> `) shown instead of bash's;
 *   the session lives in `w.mongo.terminal`, so a save made inside it resumes inside it. A line
 *   typed there reaches the chapter's detectClues as the argv ['mongo', '--eval', LINE].
 *   `interactiveLine(run, db, line)` answers one line as typed at a 2.6 shell prompt, for a
 *   chapter's own incantations (db.fsyncLock()).
 * - Reading state for a judge: mongoOf(w).servers[i] (fsyncLocks, sync.applied, sync.stale,
 *   flush, dur), repl.ts lagMs / oplogWindowMs / isTooStale, commands.ts replSetStatus.
 */
export { parseMongodArgs, optionsLine, type MongodOptions } from './conf';
export { diskFor, registerDiskResolver, stateDisk, type MongodDisk } from './disk';
export { registerBlockDisks } from './blockDisk';
export { feedOp, type FeedConfig, type FieldGen } from './feed';
export { mongodLogLine, mongoStamp, optimeLong, shellLogLine } from './log';
export { appliedOptimeMs, isTooStale, lagMs, lastOptimeMs, oldestOp, oplogCapacity, oplogWindowMs, opsWritten, opTimeMs, type PrimaryModel, type RateStep, type SecondarySync } from './repl';
export {
  commitInterval,
  flushAll,
  joinAsSecondary,
  JOURNAL_FILE_BYTES,
  MONGO_VERSION,
  MONGOD_ROLE,
  MONGOD_TIMER_SOURCE,
  mongoOf,
  serverOnPort,
  setWriteRate,
  startMongod,
  stopMongod,
  type MongodState,
  type MongoState,
  type MongoWorld,
} from './server';
export { mongodService, startJob, stopJob, type MongodJobSpec } from './service';
export { currentOpReply, isMasterReply, replSetStatus, runCommand, serverStatus } from './commands';
export { evalLine, interactiveLine, parseMongoArgs, runMongo, type MongoRun } from './program';
export { runDump, parseDumpArgs, type DumpTarget } from './dump';
export { tojson, tojsononeline, isoDate } from './tojson';
export { closeTerminal, openTerminal, terminalLine, terminalOf, type MongoTerminal } from './terminal';
