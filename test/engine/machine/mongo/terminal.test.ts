import { advance } from '../../../../engine/machine/advance';
import { parseMongoArgs, type MongoArgs, type MongoRun } from '../../../../engine/machine/mongo/program';
import { mongoOf, startMongod, stopMongod } from '../../../../engine/machine/mongo/server';
import { closeTerminal, openTerminal, terminalEof, terminalLine, type MongoTerminal } from '../../../../engine/machine/mongo/terminal';
import { RngStreams } from '../../../../engine/rng';
import { mongoWorld, type MongoTestWorld } from '../../../fixtures/mongo-chapter';

const STAMP = String.raw`2015-05-11T20:\d\d:\d\d\.\d{3}\+0000`;

function setup(argv: string[] = []): { w: MongoTestWorld; run: () => MongoRun; term: MongoTerminal; banner: string; say: (line: string) => string } {
  const streams = new RngStreams(5);
  const w = mongoWorld(streams);
  advance(w, streams, w.now + 60_000);
  const run = (): MongoRun => ({ w, localNames: ['127.0.0.1', 'localhost', w.p.hostname], t: w.now, clientPort: 40_100 });
  const open = openTerminal(parseMongoArgs(argv) as MongoArgs, run(), false);
  if (!open.term) throw new Error(open.stdout + open.stderr);
  const term = open.term;
  const say = (line: string): string => terminalLine(run(), term, line).stdout;
  return { w, run, term, banner: open.stdout, say };
}

describe('the 2.6 shell at its prompt', () => {
  test('the banner and the prompt replSetMemberStatePrompt builds on a secondary', () => {
    const { term, banner, w } = setup();
    expect(banner).toBe('MongoDB shell version: 2.6.9\nconnecting to: test\n');
    expect(term.prompt).toBe('rs-test:SECONDARY> ');
    // the shell's connection is one, held open for the session, as the server's log says
    expect(w.files.files['/var/log/mongodb/mongod.log']!.content).toMatch(/\[initandlisten\] connection accepted from 127\.0\.0\.1:40100 #\d+ \(1 connection now open\)\n$/);
  });

  test('exit says bye, exit; leaves without a word, and --quiet says nothing; the end of input says bye too', () => {
    const { say, term } = setup();
    expect(terminalLine(setup().run(), setup().term, 'exit;')).toEqual({ stdout: '', exit: true });
    expect(say('   ')).toBe('');
    expect(terminalLine(setup().run(), term, '  exit  ')).toEqual({ stdout: 'bye\n', exit: true });
    const quiet = setup(['--quiet']);
    expect(quiet.banner).toBe('');
    expect(terminalLine(quiet.run(), quiet.term, 'exit')).toEqual({ stdout: '', exit: true });
    expect(terminalEof(term)).toBe('bye\n');
    expect(terminalEof(quiet.term)).toBe('');
  });

  test('use and db, show dbs padded as 2.6 pads it, show collections', () => {
    const { say, term } = setup();
    expect(say('use app')).toBe('switched to db app\n');
    expect(term.db).toBe('app');
    expect(say('use')).toBe('bad use parameter\n');
    expect(say('show dbs')).toMatch(/^app {2}0\.\d{3}GB\n$/);
    // utils.js lists them with db.getCollectionNames(), a find on system.namespaces: a secondary refuses it without slaveOk
    expect(say('show collections')).toMatch(/^\S+ error: \{ "\$err" : "not master and slaveOk=false", "code" : 13435 \} at src\/mongo\/shell\/query\.js:131\n$/);
    expect(say('db.getCollectionNames()')).toBe(say('show collections'));
    say('rs.slaveOk()');
    expect(say('show collections')).toBe('items\nsystem.indexes\n');
    expect(say('db.getCollectionNames()')).toBe('[ "items", "system.indexes" ]\n');
    expect(say('db.getSiblingDB("none").getCollectionNames()')).toBe('[ ]\n');
    expect(say('db = db.getSiblingDB("admin")')).toBe('admin\n');
    expect(term.db).toBe('admin');
  });

  test('it goes on with the last cursor 20 at a time, then says there is none', () => {
    const { say } = setup(['app']);
    expect(say('it')).toBe('no cursor\n');
    say('rs.slaveOk()');
    const first = say('db.items.find().limit(25)').split('\n');
    expect(first.length).toBe(22);
    expect(first[20]).toBe('Type "it" for more');
    const rest = say('it').split('\n');
    expect(rest.length).toBe(6);
    expect(rest[4]).toMatch(/^\{ "_id" : ObjectId\("[0-9a-f]{24}"\), "owner" : "(ana|bo|cy|dee)", "kind" : "visit", /);
    expect(rest[5]).toBe('');
    expect(say('it')).toBe('no cursor\n');
  });

  test('DBQuery.shellBatchSize changes the batch for the rest of the session', () => {
    const { say } = setup(['app']);
    say('rs.slaveOk()');
    expect(say('DBQuery.shellBatchSize = 3')).toBe('3\n');
    expect(say('DBQuery.shellBatchSize')).toBe('3\n');
    const first = say('db.items.find().limit(5)').split('\n');
    expect(first.length).toBe(5);
    expect(first[3]).toBe('Type "it" for more');
    expect(say('it').split('\n').length).toBe(3);
  });

  test('pretty() and forEach(printjson) print tojson\'s tab-indented form', () => {
    const { say } = setup(['app']);
    say('rs.slaveOk()');
    for (const out of [say('db.items.find().limit(1).pretty()'), say('db.items.find().limit(1).forEach(printjson)')]) {
      const l = out.split('\n');
      expect(l[0]).toBe('{');
      expect(l[1]).toMatch(/^\t"_id" : ObjectId\("[0-9a-f]{24}"\),$/);
      expect(l[2]).toMatch(/^\t"owner" : "(ana|bo|cy|dee)",$/);
      expect(l[3]).toBe('\t"kind" : "visit",');
      expect(l[4]).toMatch(/^\t"score" : \d+,$/);
      expect(l[5]).toMatch(/^\t"at" : ISODate\("2015-05-11T20:0\d:\d\d(\.\d{3})?Z"\),$/);
      expect(l[6]).toMatch(/^\t"labels" : (\[ \]|\[)$/);
      expect(l[l.length - 2]).toBe('}');
    }
    expect(say('db.items.find().limit(2).map(function (d) { return d.kind })')).toBe('[ "visit", "visit" ]\n');
    expect(say('db.items.find().limit(2).forEach(printjson)').split('\n').filter((x) => x === '{').length).toBe(2);
  });

  test('variables holding values, a db or a collection last from line to line; a cursor is refused in one line', () => {
    const { say, term } = setup(['app']);
    expect(say('var k = "visit"; var c = db.items; var when = ISODate("2015-05-11T20:00:00Z")')).toBe('');
    expect(term.vars).toEqual({ k: '"visit"', c: 'db.getSiblingDB("app").getCollection("items")', when: 'ISODate("2015-05-11T20:00:00Z")' });
    expect(say('rs.slaveOk(); c.findOne().kind == k')).toBe('true\n');
    expect(say('when')).toBe('ISODate("2015-05-11T20:00:00Z")\n');
    expect(say('var q = c.find()')).toBe('mongo: q: keeping a cursor, a function or rs from one line to the next is not simulated here; write it on the line that uses it\n');
    expect(say('var show = function (d) { printjson(d) }; c.find().limit(1).forEach(show)')).toMatch(/^\{\n\t"_id" : ObjectId\("[0-9a-f]{24}"\),\n[^]*\}\nmongo: show: keeping a cursor, a function or rs/);
    expect(say('q')).toMatch(new RegExp(`^${STAMP} ReferenceError: q is not defined\n$`));
  });

  test('bad input is answered as the shell answers it, never thrown', () => {
    const { say } = setup();
    expect(say('db.items.find({)')).toMatch(new RegExp(`^${STAMP} SyntaxError: Unexpected token \\)\n$`));
    expect(say('while (true) {}')).toBe('mongo: `while` is valid JavaScript, but this shell runs expressions, calls and function literals only\n');
    expect(say('db.items.find().explain()')).toMatch(/explain\(\): not simulated here/);
    expect(say('help')).toMatch(/^\tdb\.help\(\) {20}help on db methods\n/);
    expect(say('help admin')).toBe('mongo: help admin is not simulated here; help alone lists what the shell offers\n');
    expect(say('show users')).toBe('mongo: show users is not simulated here; show dbs and show collections are\n');
    expect(say('quit()')).toBe('');
  });

  test('the server gone under the session: the shell tries to reconnect, and says it could not', () => {
    const { say, w, run, term } = setup();
    stopMongod(w, mongoOf(w).servers[0]!, w.now, 'SIGTERM');
    const out = say('db.serverStatus()');
    expect(out).toMatch(new RegExp(
      `^${STAMP} trying reconnect to 127\\.0\\.0\\.1:27017 \\(127\\.0\\.0\\.1\\) failed\n` +
        `${STAMP} warning: Failed to connect to 127\\.0\\.0\\.1:27017, reason: errno:111 Connection refused\n` +
        `${STAMP} reconnect 127\\.0\\.0\\.1:27017 \\(127\\.0\\.0\\.1\\) failed failed couldn't connect to server 127\\.0\\.0\\.1:27017 \\(127\\.0\\.0\\.1\\), connection attempt failed\n$`,
    ));
    expect(term.prompt).toBe('> ');
    closeTerminal(run(), term);
  });

  test('a mongod restarted under the session: that line fails and the shell reconnects; the next one runs', () => {
    const { say, w, term } = setup();
    const old = mongoOf(w).servers[0]!;
    const opts = old.opts;
    stopMongod(w, old, w.now, 'SIGTERM');
    const again = startMongod(w, { opts, hostname: 'beacon-1', ppid: 1, user: 'mongodb', uid: 105, args: 'mongod' }, w.now);
    expect(again.ok).toBe(true);
    expect(say('db.serverStatus().ok')).toMatch(new RegExp(
      `^${STAMP} DBClientCursor::init call\\(\\) failed\n${STAMP} Error: error doing query: failed at src/mongo/shell/query\\.js:81\n` +
        `${STAMP} trying reconnect to 127\\.0\\.0\\.1:27017 \\(127\\.0\\.0\\.1\\) failed\n${STAMP} reconnect 127\\.0\\.0\\.1:27017 \\(127\\.0\\.0\\.1\\) ok\n$`,
    ));
    expect(say('db.serverStatus().ok')).toBe('1\n');
    expect(term.conn.pid).not.toBe(old.pid);
  });

  test('nothing listening: 2.6\'s refusal, and no session', () => {
    const streams = new RngStreams(5);
    const w = mongoWorld(streams);
    advance(w, streams, w.now + 10_000);
    const open = openTerminal(parseMongoArgs(['--port', '27018']) as MongoArgs, { w, localNames: ['127.0.0.1'], t: w.now, clientPort: 40_200 }, true);
    expect(open.term).toBeNull();
    expect(open.code).toBe(1);
    expect(open.stderr).toBe('exception: connect failed\n');
    expect(open.stdout).toMatch(/^MongoDB shell version: 2\.6\.9\nconnecting to: 127\.0\.0\.1:27018\/test\n.* warning: Failed to connect to 127\.0\.0\.1:27018, reason: errno:111 Connection refused\n/);
    expect(open.stdout).not.toMatch(/Welcome/);
  });
});
