/**
 * How Chapter 3 is judged, from the simulation: the nightly snapshots the cron job took (each
 * restored and validated by the judge itself, sim/restoreCheck.ts), whether mongod's writes were
 * locked at each snapshot's instant (mongod's own log), where the journal lives, and the
 * secondary's replication lag.
 */
import { fs } from '../../kernel/block';
import { lagMs, oplogWindowMs } from '../../machine/mongo/repl';
import { serverOnPort } from '../../machine/mongo/server';
import type { ObjectiveDef, ObjectiveVerdicts } from '../../objectives';
import { BACKUP_SCRIPT } from './sim/files';
import type { Ch3World, NightRecord } from './sim/world';
import { MECHANISM_CLUES, type FixKind } from './storyContract';

/**
 * Nightly backups that must restore clean after the fix. Each night costs the simulation a day of
 * replication (a few seconds of CPU, see index.ts): three nights, not seven, keep `sleep 1d`
 * three times within a minute of the player's wait.
 */
export const NIGHTS_NEEDED = 3;
export const LAG_LIMIT_S = 60;

export const OBJECTIVES: readonly ObjectiveDef[] = [
  { id: 'diagnosed', label: 'See why a backup that ran fsync restores corrupt', kind: 'milestone' },
  { id: 'backups_clean', label: `${NIGHTS_NEEDED} nightly backups under write load restore and validate`, kind: 'condition' },
  { id: 'replication', label: `Replication lag stays under ${LAG_LIMIT_S} s and the secondary never goes stale`, kind: 'condition' },
];

/** the box's own mongod (the upstart job's, port 27017) */
export const liveMongod = (w: Ch3World) => serverOnPort(w, 27017);

/** the script locks writes around the snapshot and unlocks after (what cron will run tonight) */
export function scriptLocks(w: Ch3World): boolean {
  const text = (w.files.files[BACKUP_SCRIPT]?.content ?? '')
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n');
  const lock = /fsyncLock\s*\(|lock\s*:\s*(true|1)\b/.test(text);
  const unlock = /fsyncUnlock\s*\(|fsyncUnlock\s*:\s*1/.test(text);
  return lock && unlock;
}

/** /data/db/journal is a directory on the data volume, and the live mongod was started after it became one */
export function journalWithData(w: Ch3World): boolean {
  const j = fs.lookup(w.k, 'xvdf', 'db/journal');
  const s = liveMongod(w);
  return !!j && j.kind === 'd' && !!s && s.startedAt >= j.ctime;
}

/** nightly snapshots judged since `from` */
export const nightsSince = (w: Ch3World, from: number): NightRecord[] => w.ch3.nights.filter((n) => n.nightly && n.at >= from);

/** a nightly backup that counts: it restored clean, and it was protected (locked at the instant, or the journal with it) */
export const goodNight = (n: NightRecord): boolean => n.clean && (n.locked > 0 || n.journalWithData);

/** the fix in place: the journal with the data, or the script's lock as tonight's run will do it (or last night's did) */
export function currentFix(w: Ch3World): FixKind {
  if (journalWithData(w)) return 'journal_same_volume';
  if (scriptLocks(w)) return 'lock_in_script';
  return 'none';
}

export function lagSeconds(w: Ch3World): number {
  const s = liveMongod(w);
  const p = w.mongo.primary;
  if (!s?.sync || !p) return 0;
  return Math.floor(lagMs(p, s.sync, w.now) / 1000);
}

export function oplogHours(w: Ch3World): number {
  const p = w.mongo.primary;
  return p ? Math.floor(oplogWindowMs(p, w.now) / 3_600_000) : 0;
}

export const isStale = (w: Ch3World): boolean => w.mongo.servers.some((s) => s.sync?.stale === true);

/** `fixedAt`: when a fix was first seen in place (the judge's note), -1 before */
export function verdicts(w: Ch3World, clues: readonly string[], fixedAt: number): ObjectiveVerdicts {
  const seen = MECHANISM_CLUES.some((c) => clues.includes(c));
  const nights = fixedAt >= 0 ? nightsSince(w, fixedAt) : [];
  const bad = nights.find((n) => !goodNight(n));
  const good = nights.filter(goodNight).length;
  const backups = bad
    ? { status: 'failing' as const, detail: `the nightly snapshot ${bad.snapshotId} ${bad.clean ? 'was taken with writes running and no journal' : 'does not restore clean'}` }
    : good >= NIGHTS_NEEDED
      ? { status: 'done' as const, detail: `${good} nightly snapshots restored and validated` }
      : fixedAt < 0
        ? { status: 'pending' as const, detail: 'last night\'s backup does not restore' }
        : { status: good > 0 ? ('holding' as const) : ('pending' as const), detail: `${good} of ${NIGHTS_NEEDED} nightly snapshots since the fix restored clean` };
  const lag = lagSeconds(w);
  const stale = isStale(w);
  const replication = stale
    ? { status: 'failing' as const, detail: 'the secondary fell off the oplog (RS102) and needs a resync' }
    : lag >= LAG_LIMIT_S
      ? { status: 'failing' as const, detail: `${lag} s behind the primary` }
      : backups.status === 'done'
        ? { status: 'done' as const, detail: `${lag} s behind the primary` }
        : { status: 'holding' as const, detail: `${lag} s behind the primary` };
  return {
    diagnosed: seen ? { status: 'done' } : { status: 'pending', detail: 'the copy is corrupt; nobody knows why yet' },
    backups_clean: backups,
    replication,
  };
}
