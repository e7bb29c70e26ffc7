/**
 * What the player has seen, read from what they ran and what it printed (plain text): each clue
 * only from output the simulation really produced.
 */
import type { ChapterProgress } from '../../chapter';
import { BACKUP_SCRIPT } from './sim/files';
import type { Ch3World } from './sim/world';
import { lagSeconds, oplogHours } from './judge';
import type { ClueId } from './storyContract';

const has = (argvs: string[][], name: string): boolean => argvs.some((a) => a.some((x) => x === name || x.endsWith(`/${name}`)));
const mentions = (argvs: string[][], text: string): boolean => argvs.some((a) => a.some((x) => x.includes(text)));

/** 2.6's assertion 10334, as the server words it: the size it read and the First element */
const BSON_ERROR = /BSONObj size: (-?\d+) \(0x[0-9A-F]+\) is invalid\. Size must be between 0 and 16793600\(16MB\) First element: (.*?)(?=",|", |"\s*\}| \}|\n|$)/;

/** the last 10334 in a text, its size and First element */
export function bsonError(shown: string): { size: string; firstElement: string } | null {
  let last: RegExpExecArray | null = null;
  const re = new RegExp(BSON_ERROR.source, 'g');
  for (let m = re.exec(shown); m; m = re.exec(shown)) last = m;
  return last ? { size: last[1]!, firstElement: last[2]! } : null;
}

/** a flush just answered: { "numFiles" : N, "ok" : 1 } or a lock's reply, or sync ran */
const flushed = (argvs: string[][], shown: string): boolean => /"numFiles" : \d+/.test(shown) || shown.includes('now locked against writes') || has(argvs, 'sync');

/** writes seen moving: opcountersRepl, Dirty/Writeback above zero, or iostat's writes on the data disk */
function writesMoving(argvs: string[][], shown: string): boolean {
  if (shown.includes('"opcountersRepl"')) return true;
  if (mentions(argvs, 'meminfo') && /^(Dirty|Writeback):\s+[1-9]\d* kB$/m.test(shown)) return true;
  // iostat's line for the data disk with some write traffic on it (w/s or kB_wrtn/s above zero)
  if (has(argvs, 'iostat') && /^xvdf(\s+[\d.]+)+\s*$/m.test(shown) && /^xvdf\s.*\b[1-9]/m.test(shown)) return true;
  return false;
}

export function detectClues(w: Ch3World, progress: ChapterProgress, argvs: string[][], shown: string): ClueId[] {
  const found: ClueId[] = [];
  const add = (id: ClueId): void => {
    if (!progress.clues.includes(id) && !found.includes(id)) found.push(id);
  };
  const notes = progress.notes;
  const err = bsonError(shown);
  if (err) {
    notes.badSize = err.size;
    notes.firstElement = err.firstElement;
    add('bson_error');
  }
  if ((mentions(argvs, 'ebs-backup') || has(argvs, 'crontab')) && shown.includes('create-snapshot') && shown.includes('fsync')) add('backup_script');
  if (/ journal -> \/journal\b/.test(shown)) add('journal_elsewhere');
  if ((has(argvs, 'mount') || has(argvs, 'df') || has(argvs, 'lsblk')) && /xvdg\b.*\/journal\b|\/journal\b.*xvdg\b/.test(shown)) add('journal_elsewhere');
  if (has(argvs, 'hexdump') && /ee ee ee ee 70 6f 69 6e 74 73|ee ee ee ee\s+70 6f 69 6e 74 73|\|\.\.\.\.points/.test(shown)) add('hexdump_oints');
  if (shown.includes('"valid" : false')) add('validate_errors');
  // writes after a flush: the flush first, then (within ten minutes) writes still moving
  if (flushed(argvs, shown)) notes.flushSeenAt = w.now;
  if (typeof notes.flushSeenAt === 'number' && w.now - notes.flushSeenAt <= 600_000 && writesMoving(argvs, shown)) add('writes_after_fsync');
  if (/\d+ secs \([\d.]+ hrs\) behind the primary/.test(shown) || (shown.includes('"optimeDate"') && mentions(argvs, 'rs.status'))) {
    if (lagSeconds(w) > 0 || /[1-9]\d* secs \(/.test(shown)) add('lag_seen');
  }
  // a snapshot of the player's own, taken without a lock, restored to a volume, and torn
  const torn = w.ch3.nights.find((n) => !n.nightly && n.locked === 0 && !n.clean && w.cloud.volumes.some((v) => v.snapshotId === n.snapshotId));
  if (torn) add('race_reproduced');
  return found;
}

export function journalEntry(w: Ch3World, progress: ChapterProgress, id: string): string {
  const notes = progress.notes;
  const size = typeof notes.badSize === 'string' ? notes.badSize : '';
  const first = typeof notes.firstElement === 'string' ? notes.firstElement : '';
  switch (id) {
    case 'bson_error':
      return `The restored copy answers reads with 10334: a BSON size of ${size} and "First element: ${first}". The reader is standing on bytes that are not the start of a document.`;
    case 'backup_script':
      return `${BACKUP_SCRIPT} runs at 03:00: an fsync through the mongo shell, then aws ec2 create-snapshot. Nothing stops writes in between.`;
    case 'journal_elsewhere':
      return '/data/db/journal is a symlink to /journal, another EBS volume: a snapshot of the data volume carries no journal to repair itself with.';
    case 'hexdump_oints':
      return 'hexdump of the restored data file: ee ee ee ee, then the word "points". The reader started four bytes before a field name, in the middle of something else.';
    case 'validate_errors':
      return 'validate(true) on the restored copy says it is not valid: records the index or the chain point at are not what they should be.';
    case 'writes_after_fsync':
      return 'Right after an fsync the replicated writes keep coming and the page cache fills with dirty pages again: fsync flushes, it does not stop anything.';
    case 'race_reproduced':
      return 'Reproduced: a snapshot taken with only an fsync before it, restored to a new volume, came out torn.';
    case 'lag_seen':
      return `The secondary is ${lagSeconds(w)} s behind the primary now; the oplog holds about ${oplogHours(w)} hours of writes.`;
    default:
      return id;
  }
}
