import { blocksToPlainText } from '../../../../src/text/plain';
import { createGame, restoreGame } from '../../../../engine/index';

/** the 2.6 shell's log stamp, as its error lines begin */
const STAMP = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000`;

/** Chapter 3's box with the mongo shell typed into interactively, line by line, as an on-call engineer uses it. */
describe('the interactive mongo shell on chapter 3', () => {
  // a seed whose torn copy also fails validate (on some seeds only reads through the index fail)
  const g = createGame('3', 1);
  g.start();
  const say = (line: string): string => blocksToPlainText(g.step(line));

  test('mongo alone prints 2.6\'s banner, a first run\'s welcome, and hands the terminal to the shell with the member\'s prompt', () => {
    expect(g.prompt()).toBe('ops@db-2:~$ ');
    const out = say('mongo');
    expect(out.startsWith(
      'MongoDB shell version: 2.6.9\n' +
        'connecting to: test\n' +
        'Welcome to the MongoDB shell.\n' +
        'For interactive help, type "help".\n' +
        'For more comprehensive documentation, see\n' +
        '\thttp://docs.mongodb.org/\n' +
        'Questions? Try the support group\n' +
        '\thttp://groups.google.com/group/mongodb-user\n',
    )).toBe(true);
    expect(g.prompt()).toBe('rs0:SECONDARY> ');
  });

  test('use, show collections, it without a cursor, and bad input answered in the shell\'s words', () => {
    expect(say('use events')).toBe('switched to db events');
    // utils.js lists them with db.getCollectionNames(), a find on system.namespaces: refused here until rs.slaveOk()
    expect(say('show collections')).toMatch(new RegExp(`^${STAMP} error: \\{ "\\$err" : "not master and slaveOk=false", "code" : 13435 \\} at src/mongo/shell/query\\.js:131$`));
    expect(say('it')).toBe('no cursor');
    expect(say('db')).toBe('events');
    expect(say('db.events.find(')).toMatch(new RegExp(`^${STAMP} SyntaxError: Unexpected end of input$`));
    expect(say('nope()')).toMatch(new RegExp(`^${STAMP} ReferenceError: nope is not defined$`));
    expect(say('show nothing')).toMatch(new RegExp(`^${STAMP} don't know how to show \\[nothing\\]$`));
    // a bash command typed at the mongo prompt is JavaScript to the shell
    expect(say('ls -l')).toMatch(new RegExp(`^${STAMP} ReferenceError: ls is not defined$`));
  });

  test('a read on a secondary needs rs.slaveOk() first, which the session keeps for the lines after it', () => {
    expect(say('db.events.findOne()')).toMatch(new RegExp(`^${STAMP} error: \\{ "\\$err" : "not master and slaveOk=false", "code" : 13435 \\} at src/mongo/shell/query.js:131$`));
    expect(say('rs.slaveOk()')).toBe('');
    expect(say('show collections')).toBe('events\nsystem.indexes');
    const batch = say('db.events.find()').split('\n');
    expect(batch.length).toBe(21);
    for (const l of batch.slice(0, 20)) expect(l).toMatch(/^\{ "_id" : ObjectId\("[0-9a-f]{24}"\), .* \}$/);
    expect(batch[20]).toBe('Type "it" for more');
    const next = say('it').split('\n');
    expect(next[0]).toMatch(/^\{ "_id" : ObjectId\("[0-9a-f]{24}"\), /);
    // the second batch goes on from the first: no document of the first comes again
    const ids = (ls: string[]): string[] => ls.map((l) => /ObjectId\("([0-9a-f]{24})"\)/.exec(l)?.[1] ?? '').filter(Boolean);
    expect(ids(next).filter((id) => ids(batch).includes(id))).toEqual([]);
  });

  test('cursor idioms: forEach(printjson) prints tojson\'s indented form, forEach(print) V8\'s [object Object], a function literal runs per document', () => {
    const pretty = say("db.getSiblingDB('events').events.find().limit(2).forEach(printjson)").split('\n');
    expect(pretty.filter((l) => l === '{').length).toBe(2);
    expect(pretty.filter((l) => l === '}').length).toBe(2);
    expect(pretty[1]).toMatch(/^\t"_id" : ObjectId\("[0-9a-f]{24}"\),$/);
    expect(say('db.events.find().limit(2).forEach(print)')).toBe('[object Object]\n[object Object]');
    expect(say('db.events.find().limit(3).forEach(function (d) { print(d._id.str ? "x" : typeof d.type) })')).toBe('string\nstring\nstring');
    expect(say('db.events.find().limit(2).forEach(printjsononeline)')).toMatch(/^\{  "_id" : ObjectId\("[0-9a-f]{24}"\), .*\}\n\{  "_id" : /);
    expect(say('var n = db.events.find().limit(3).toArray().length')).toBe('');
    expect(say('n')).toBe('3');
  });

  test('a game saved inside the shell resumes inside it', () => {
    const saved = JSON.parse(JSON.stringify(g.snapshot()));
    const h = restoreGame(saved);
    expect(h.prompt()).toBe('rs0:SECONDARY> ');
    expect(blocksToPlainText(h.step('db'))).toBe('events');
    expect(blocksToPlainText(h.step('n + 1'))).toBe('4');
    expect(blocksToPlainText(h.step('exit'))).toBe('bye');
    expect(h.prompt()).toBe('ops@db-2:~$ ');
  });

  test('exit says bye and gives bash back; each line took the machine\'s time as a spell does', () => {
    const before = g.inspect();
    expect(say('db.serverStatus().host')).toBe('db-2');
    const after = g.inspect();
    expect(after.spells).toBe(before.spells + 1);
    expect(after.elapsedMs).toBeGreaterThanOrEqual(before.elapsedMs + 800);
    expect(say('exit')).toBe('bye');
    expect(g.prompt()).toBe('ops@db-2:~$ ');
    // bash again: a shell line typed here is bash's syntax error, as on the real box
    expect(say('db.serverStatus()')).toBe("bash: syntax error near unexpected token `('");
    // the second run has its ~/.mongorc.js: no welcome
    expect(say('mongo --quiet')).toBe('');
    expect(say('quit()')).toBe('');
    expect(g.prompt()).toBe('ops@db-2:~$ ');
  });

  test('a script piped in is read line by line without prompts, and the end of it says bye', () => {
    const out = say("printf 'use events\\ndb\\n' | mongo").split('\n').filter((l) => !l.startsWith('✦')).join('\n');
    expect(out).toBe('MongoDB shell version: 2.6.9\nconnecting to: test\nswitched to db events\nevents\nbye');
    expect(g.prompt()).toBe('ops@db-2:~$ ');
  });

  test('a refused connection prints 2.6\'s lines and stays in bash', () => {
    const out = say('mongo --port 27019');
    expect(out).toMatch(new RegExp(
      '^MongoDB shell version: 2\\.6\\.9\nconnecting to: 127\\.0\\.0\\.1:27019/test\n' +
        `${STAMP} warning: Failed to connect to 127\\.0\\.0\\.1:27019, reason: errno:111 Connection refused\n` +
        `${STAMP} Error: couldn't connect to server 127\\.0\\.0\\.1:27019 \\(127\\.0\\.0\\.1\\), connection attempt failed at src/mongo/shell/mongo\\.js:148\n` +
        'exception: connect failed$',
    ));
    expect(g.prompt()).toBe('ops@db-2:~$ ');
  });

  test('the torn copy\'s validate(true) typed at the scratch mongod\'s prompt is a clue, as with --eval', () => {
    expect(say('mongo --port 27018 events')).toBe('MongoDB shell version: 2.6.9\nconnecting to: 127.0.0.1:27018/events');
    // a standalone mongod: replSetGetStatus fails, the prompt is the plain one
    expect(g.prompt()).toBe('> ');
    // the story's check of the copy, typed at the prompt instead of given to --eval
    expect(g.inspect().clues.found).not.toContain('validate_errors');
    const out = say('db.events.validate(true)');
    expect(out.split('\n')[0]).toBe('{');
    expect(out).toMatch(/^\t"ns" : "events\.events",$/m);
    expect(out).toMatch(/^\t"valid" : false,$/m);
    expect(g.inspect().clues.found).toContain('validate_errors');
    expect(say('exit')).toBe('bye');
  });
  test('a cursor sorts: on _id through the index, so the restored copy\'s newest events meet the torn record; a projection keeps what it names', () => {
    const live = say(`mongo events --quiet --eval 'rs.slaveOk(); db.events.find({}, {at: 1}).sort({_id: -1}).limit(3).forEach(function (d) { print(d._id.str) })'`);
    const ids = live.trim().split('\n');
    expect(ids).toHaveLength(3);
    expect([...ids].sort().reverse()).toEqual(ids);
    const shown = say(`mongo events --quiet --eval 'rs.slaveOk(); printjson(db.events.find({type: "checkin"}, {points: 1, _id: 0}).sort({points: -1}).limit(2).toArray())'`);
    const points = [...shown.matchAll(/"points" : (\d+)/g)].map((m) => Number(m[1]));
    expect(points).toHaveLength(2);
    expect(points[0]).toBeGreaterThanOrEqual(points[1]!);
    expect(shown).not.toContain('_id');
    expect(say(`mongo events --quiet --eval 'rs.slaveOk(); db.events.find().sort({at: "newest"}).limit(1).toArray()'`)).toContain('"$err" : "Can\'t canonicalize query: BadValue bad sort specification",');
    // the app's read, newest first, on the restored copy
    const copy = say(`mongo --port 27018 events --quiet --eval 'db.events.find().sort({_id: -1}).limit(5).toArray()'`);
    expect(copy).toMatch(/"\$err" : "BSONObj size: -?\d+ \(0x[0-9A-F]+\) is invalid\. Size must be between 0 and 16793600\(16MB\) First element: /);
    expect(copy).toContain('"code" : 10334');
  });

  test('the end of input (Ctrl-D) at the shell\'s prompt says bye and gives bash back; at bash it is the player\'s, not the machine\'s', () => {
    say('mongo');
    expect(g.prompt()).toBe('rs0:SECONDARY> ');
    expect(g.programRunning!()).toBe(true);
    const out = g.endOfInput!();
    expect(blocksToPlainText(out!)).toBe('bye');
    expect(g.prompt()).toBe('ops@db-2:~$ ');
    expect(g.programRunning!()).toBe(false);
    expect(g.endOfInput!()).toBeNull();
    // bash has the terminal: a line is a command again
    expect(say('echo back').split('\n')[0]).toBe('back');
    // with --quiet the shell ends without a word
    say('mongo --quiet');
    expect(g.endOfInput!()).toEqual([]);
    expect(g.prompt()).toBe('ops@db-2:~$ ');
  });

  test('listDatabases (admin only) and the connection object: getDBNames, getDB, its own name when printed', () => {
    const listed = say(`mongo --quiet --eval 'printjson(db.adminCommand({listDatabases: 1}))'`);
    expect(listed).toMatch(/^\{\n\t"databases" : \[\n\t\t\{\n\t\t\t"name" : "events",\n\t\t\t"sizeOnDisk" : \d+,\n\t\t\t"empty" : false\n\t\t\}\n\t\],\n\t"totalSize" : \d+,\n\t"ok" : 1\n\}$/);
    expect(say(`mongo --quiet --eval 'printjson(db.runCommand({listDatabases: 1}))'`).split('\n')[0]).toBe('{ "ok" : 0, "errmsg" : "access denied; use admin db" }');
    expect(say(`mongo --quiet --eval 'printjson(db.getMongo().getDBNames())'`).split('\n')[0]).toBe('[ "events" ]');
    expect(say(`mongo --quiet --eval 'db.getMongo()'`).split('\n')[0]).toBe('connection to 127.0.0.1:27017');
    expect(say(`mongo --quiet --eval 'rs.slaveOk(); print(db.getMongo().getDB("events").events.count() > 0)'`).split('\n')[0]).toBe('true');
    // without rs.slaveOk() the secondary will not count for the client
    expect(say(`mongo events --quiet --eval 'db.events.count()'`).split('\n')[0]).toMatch(/ count failed: \{ "note" : "from execCommand", "ok" : 0, "errmsg" : "not master" \}$/);
  });
});
