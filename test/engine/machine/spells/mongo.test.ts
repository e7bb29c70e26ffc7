import { deserialize } from 'bson';
import { registerChapter } from '../../../../engine/chapters/registry';
import { createGame, restoreGame } from '../../../../engine/index';
import type { GameHandle } from '../../../../engine/index';
import { mongoChapter, mongoWorld } from '../../../fixtures/mongo-chapter';
import { advance } from '../../../../engine/machine/advance';
import { bindMachine } from '../../../../engine/machine/bind';
import { parseMongoArgs, type MongoArgs } from '../../../../engine/machine/mongo/program';
import { mongoOf } from '../../../../engine/machine/mongo/server';
import { openTerminal, setTerminal } from '../../../../engine/machine/mongo/terminal';
import { RngStreams } from '../../../../engine/rng';

registerChapter(mongoChapter);

const say = (g: GameHandle, line: string): string => g.step(line).map((b) => ('text' in b ? b.text : '')).join('');

function game(): GameHandle {
  const g = createGame('mongo-test', 11);
  g.start();
  return g;
}

/** the documents of a .bson file: BSON objects one after another, each starting with its length */
function bsonDocs(bytes: Uint8Array): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  let at = 0;
  while (at < bytes.length) {
    const len = bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
    out.push(deserialize(bytes.subarray(at, at + len)));
    at += len;
  }
  return out;
}

describe('the mongo, mongod and mongodump spells', () => {
  test('mongo --eval through the shell: quoting, printjson, exit status', () => {
    const g = game();
    expect(say(g, "mongo --quiet --eval 'printjson(db.adminCommand({fsync: 1}))'")).toBe('{ "numFiles" : 3, "ok" : 1 }\n');
    expect(say(g, "mongo --quiet --eval 'print(rs.status().members[1].stateStr)'")).toBe('SECONDARY\n');
    expect(say(g, "mongo --quiet --eval 'db.fsyncUnlock(' ; echo status=$?")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000 SyntaxError: Unexpected end of input\nstatus=252\n$/);
    expect(say(g, 'mongo --bogus')).toBe('ERROR: unknown option --bogus\n');
    // without --eval the shell takes the terminal: its prompt, its lines, exit gives bash back
    expect(say(g, 'mongo --quiet')).toMatch(/^Welcome to the MongoDB shell\.\n/);
    expect(g.prompt()).toBe('rs-test:SECONDARY> ');
    expect(say(g, 'rs.status().members[1].stateStr')).toBe('SECONDARY\n');
    expect(say(g, 'exit')).toBe('');
    expect(g.prompt()).toMatch(/\$ $/);
    // the first run left an empty ~/.mongorc.js: no welcome now; one the player filled is not run, and says so
    expect(say(g, 'cat ~/.mongorc.js; mongo --quiet')).toBe('');
    expect(say(g, 'exit')).toBe('');
    expect(say(g, "echo 'prompt = \"x> \"' > ~/.mongorc.js; mongo --quiet")).toBe('mongo: running /home/ops/.mongorc.js is not simulated here; its settings are not applied\n');
    expect(say(g, 'exit')).toBe('');
  });

  test('mongod on a dbpath that is not there: 2.6\'s banner, and the forked parent reports the child\'s exit', () => {
    const g = game();
    const out = say(g, 'sudo mongod --dbpath /data/nope --port 27018 --fork --logpath /tmp/scratch.log');
    expect(out).toMatch(/^about to fork child process, waiting until server is ready for connections\.\nforked process: \d+\nERROR: child process failed, exited with error number 100\n$/);
    const log = say(g, 'cat /tmp/scratch.log');
    expect(log).toContain(
      '[initandlisten] exception in initAndListen: 10296 \n*********************************************************************\n ERROR: dbpath (/data/nope) does not exist.\n Create this directory or give existing directory in --dbpath.\n See http://dochub.mongodb.org/core/startingandstoppingmongo\n*********************************************************************\n, terminating\n',
    );
    expect(say(g, 'sudo mongod --fork --dbpath /data/db')).toBe("BadValue --fork has to be used with --logpath or --syslog\ntry '/usr/bin/mongod --help' for more information\n");
    expect(say(g, 'mongod --port x')).toBe("Error parsing command line: the argument ('x') for option 'port' is invalid\ntry '/usr/bin/mongod --help' for more information\n");
  });

  test('mongodump writes .bson files that bson reads back document for document', () => {
    const g = game();
    const out = say(g, 'mongodump --db app --out /tmp/dump');
    const n = Number(/\t\t (\d+) documents\n[^\n]*\tMetadata for app\.items/.exec(out)![1]);
    expect(out.split('\n')[0]).toBe('connected to: 127.0.0.1');
    expect(out).toMatch(/\+0000 DATABASE: app\t to \t\/tmp\/dump\/app\n/);
    expect(out).toMatch(/\+0000 \tapp\.items to \/tmp\/dump\/app\/items\.bson\n/);
    const f = g.machineFile('/tmp/dump/app/items.bson');
    if (!f.ok) throw new Error(f.message);
    const docs = bsonDocs(f.bytes);
    expect(docs.length).toBe(n);
    expect(n).toBeGreaterThan(50);
    expect(Object.keys(docs[0]!)).toEqual(['_id', 'owner', 'kind', 'score', 'at', 'labels']);
    const meta = say(g, 'cat /tmp/dump/app/items.metadata.json');
    expect(meta).toContain('"_id"');
  });

  test('a saved game keeps the mongod running where it was', () => {
    const g = game();
    say(g, "mongo --quiet --eval 'db.fsyncLock()'");
    const again = restoreGame(JSON.parse(JSON.stringify(g.snapshot())));
    expect(say(again, "mongo --quiet --eval 'printjson(db.currentOp().fsyncLock)'")).toBe('true\n');
    expect(say(again, "mongo --quiet --eval 'printjson(db.fsyncUnlock())'")).toBe('{ "ok" : 1, "info" : "unlock completed" }\n');
  });

  test('the same seed and the same spells give the same answers', () => {
    const lines = ["mongo --quiet --eval 'printjson(rs.status())'", "mongo app --quiet --eval 'rs.slaveOk(); printjson(db.items.find().limit(2).toArray())'", 'sleep 30', "mongo --quiet --eval 'printjson(db.serverStatus().opcountersRepl)'"];
    const a = game();
    const b = game();
    for (const l of lines) expect(say(b, l)).toBe(say(a, l));
  });

  test('a scratch mongod started by hand forks, serves on its port, shows in ps and stops on kill', () => {
    const g = game();
    const out = say(g, 'sudo mongod --dbpath /journal --port 27018 --fork --logpath /tmp/scratch.log');
    const pid = Number(/^about to fork child process, waiting until server is ready for connections\.\nforked process: (\d+)\nchild process started successfully, parent exiting\n$/.exec(out)![1]);
    expect(say(g, "mongo --port 27018 --quiet --eval 'print(db.serverStatus().ok)'")).toBe('1\n');
    expect(say(g, 'ps -o pid,args -p ' + pid)).toContain(`${pid} mongod --dbpath /journal --port 27018 --fork --logpath /tmp/scratch.log`);
    say(g, `sudo kill ${pid}`);
    expect(say(g, 'tail -1 /tmp/scratch.log')).toMatch(/\[signalProcessingThread\] dbexit: really exiting now\n$/);
    expect(say(g, "mongo --port 27018 --quiet --eval 'print(1)'")).toMatch(/Error: couldn't connect to server 127\.0\.0\.1:27018 \(127\.0\.0\.1\), connection attempt failed at src\/mongo\/shell\/mongo\.js:148\nexception: connect failed\n$/);
  });
});

describe('the mongo shell as the program holding the terminal', () => {
  test('its prompt while a session is open, a line read as mongo --eval LINE for the clues, hangup closing it', () => {
    const streams = new RngStreams(9);
    const w = mongoWorld(streams);
    advance(w, streams, w.now + 10_000);
    const program = bindMachine(w, streams).binding.program!;
    expect(program.prompt()).toBeNull();
    const open = openTerminal(parseMongoArgs([]) as MongoArgs, { w, localNames: ['127.0.0.1'], t: w.now, clientPort: 40_300 }, false);
    setTerminal(w, open.term);
    const open1 = mongoOf(w).servers[0]!.conns.current;
    expect(program.prompt()).toBe('rs-test:SECONDARY> ');
    expect(program.line('db.getName()')).toEqual({ stdout: 'test\n', stderr: '', argv: ['mongo', '--eval', 'db.getName()'] });
    program.hangup();
    expect(program.prompt()).toBeNull();
    expect(mongoOf(w).servers[0]!.conns.current).toBe(open1 - 1);
    expect(w.files.files['/var/log/mongodb/mongod.log']!.content).toMatch(/end connection 127\.0\.0\.1:40300 \(\d+ connections? now open\)\n$/);
  });
});
