/**
 * The clue reader on the texts the real tools print: each clue from a line the simulation would
 * really show, none from a near miss. The texts are written out by hand in the tools' formats.
 */
import type { ChapterProgress } from '../../../../engine/chapter';
import { bsonError, detectClues } from '../../../../engine/chapters/ch3/clues';
import type { Ch3World } from '../../../../engine/chapters/ch3/sim/world';

const progress = (): ChapterProgress => ({ clues: [], notes: {}, hintsUsed: 0, spellsCast: 0, openedAt: 0, solvedAt: null });

/** a world with nothing in it the readers look at: no mongod, no snapshots */
const w = { now: 1_000, mongo: { servers: [] }, ch3: { nights: [] }, cloud: { volumes: [] } } as unknown as Ch3World;

describe('chapter 3 clues', () => {
  test("a 10334 in the shell's words: the size and First element are read back, negative or not", () => {
    const shown = '2015-05-12T09:02:55.390+0000 error: {\n\t"$err" : "BSONObj size: -286331154 (0xEEEEEEEE) is invalid. Size must be between 0 and 16793600(16MB) First element: oints: ?type=112",\n\t"code" : 10334\n} at src/mongo/shell/query.js:131\n';
    expect(bsonError(shown)).toEqual({ size: '-286331154', firstElement: 'oints: ?type=112' });
    expect(bsonError('"$err" : "BSONObj size: 0 (0x0) is invalid. Size must be between 0 and 16793600(16MB) First element: EOO",')).toEqual({ size: '0', firstElement: 'EOO' });
    const p = progress();
    expect(detectClues(w, p, [['mongo', '--port', '27018']], shown)).toEqual(['bson_error']);
    expect(p.notes.badSize).toBe('-286331154');
  });

  test('hexdump -C showing the marker before "points" is the mechanism; the same bytes elsewhere are not', () => {
    const row = '00a3c050  ee ee ee ee 70 6f 69 6e  74 73 00 0c 00 00 00 10  |....points......|\n';
    expect(detectClues(w, progress(), [['hexdump', '-C', '/restore/db/events.0']], row)).toEqual(['hexdump_oints']);
    expect(detectClues(w, progress(), [['cat', 'notes.txt']], row)).toEqual([]);
  });

  test('the journal on its own volume: from mount, not from a line that only mentions /journal', () => {
    const mount = '/dev/xvda1 on / type ext4 (rw,discard)\n/dev/xvdf on /data type ext4 (rw,noatime)\n/dev/xvdg on /journal type ext4 (rw,noatime)\n';
    expect(detectClues(w, progress(), [['mount']], mount)).toEqual(['journal_elsewhere']);
    expect(detectClues(w, progress(), [['echo', '/journal']], '/journal\n')).toEqual([]);
  });

  test('writes after an fsync: the flush first, then dirty pages again; dirty pages alone are not the clue', () => {
    const meminfo = 'Dirty:               148 kB\nWriteback:             0 kB\nWritebackTmp:          0 kB\n';
    expect(detectClues(w, progress(), [['grep', '-e', 'Dirty', '/proc/meminfo']], meminfo)).toEqual([]);
    const p = progress();
    expect(detectClues(w, p, [['mongo', '--eval', 'printjson(db.adminCommand({fsync: 1}))']], '{ "numFiles" : 3, "ok" : 1 }\n')).toEqual([]);
    expect(detectClues(w, p, [['grep', '-e', 'Dirty', '/proc/meminfo']], meminfo)).toEqual(['writes_after_fsync']);
  });

  test('validate(true) saying false, and the lag line of printSlaveReplicationInfo', () => {
    expect(detectClues(w, progress(), [['mongo']], '{\n\t"ns" : "events.events",\n\t"valid" : false,\n')).toEqual(['validate_errors']);
    const lag = 'source: db-2:27017\n\t syncedTo: Tue May 12 2015 09:40:01 GMT+0000 (UTC)\n\t 92 secs (0.03 hrs) behind the primary \n';
    expect(detectClues(w, progress(), [['mongo']], lag)).toEqual(['lag_seen']);
    expect(detectClues(w, progress(), [['mongo']], lag.replace('92 secs (0.03', '0 secs (0'))).toEqual([]);
  });

  test('the script read: fsync and create-snapshot in a file named ebs-backup', () => {
    const script = "mongo --quiet --eval 'printjson(db.adminCommand({fsync: 1}))'\naws ec2 create-snapshot --volume-id $VOLUME\n";
    expect(detectClues(w, progress(), [['cat', '/usr/local/bin/ebs-backup.sh']], script)).toEqual(['backup_script']);
    expect(detectClues(w, progress(), [['cat', '/tmp/other.sh']], script)).toEqual([]);
  });
});
