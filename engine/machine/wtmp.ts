/**
 * /var/log/wtmp as the box writes it: upstart's boot and runlevel records, the shutdown record a
 * clean reboot leaves, and sshd's login and logout records for the player's sessions. A panic or a
 * hard reset writes nothing, which is how `last` knows the sessions of that boot ended in a crash.
 * logrotate starts the file afresh each month (monthly, rotate 1, in /etc/logrotate.conf).
 */
import { findProc } from '../kernel/procs';
import type { MachineWorld, WtmpEntry, WtmpLog } from './world';

/** when logrotate's monthly turn started the file in use at `t`: cron.daily on the 1st, 06:25 */
export function monthTurn(t: number): number {
  const d = new Date(t);
  const turn = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1, 6, 25, 1);
  return turn <= t ? turn : Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1, 6, 25, 1);
}

/**
 * A save from before the machine kept wtmp: what its history still says (its boots, which ended
 * cleanly, and the login that is open now); the logins of its earlier sessions are not known.
 */
function fromHistory(w: MachineWorld): WtmpLog {
  const release = w.k.release;
  const boots = [...new Set([...w.stats.reboots, w.k.bootTime])].filter((t) => t <= w.now).sort((a, b) => a - b);
  const records: WtmpEntry[] = [];
  boots.forEach((t, i) => {
    records.push({ type: 'boot', t, release });
    // a boot that is over (or a machine down now) ended cleanly unless it panicked; its last lost login is when
    const next = boots[i + 1] ?? (w.machine.up ? -1 : Infinity);
    if (next < 0) return;
    const panicked = w.stats.panics.some((x) => x >= t && x < next);
    const halts = w.stats.sessionLost.filter((x) => x >= t && x < next);
    if (!panicked && halts.length) records.push({ type: 'shutdown', t: halts[halts.length - 1]!, release });
  });
  const bash = w.sessionPid > 0 ? findProc(w.k, w.sessionPid) : undefined;
  if (bash) records.push({ type: 'login', t: bash.start, user: bash.user, line: bash.tty, host: w.p.sshClientIp, pid: bash.pid });
  records.sort((a, b) => a.t - b.t);
  const since = monthTurn(w.now);
  return { since, records: records.filter((r) => r.t >= since) };
}

/** the box's wtmp; a save from before it was kept gets one from its history */
export function wtmpOf(w: MachineWorld): WtmpLog {
  if (!w.stats.wtmp) w.stats.wtmp = w.k.release === '' ? { since: monthTurn(w.now), records: [] } : fromHistory(w);
  return w.stats.wtmp;
}

/** the file as it is at the world's clock: a month's turn since the last write has started it afresh */
export function wtmpNow(w: MachineWorld): WtmpLog {
  const log = wtmpOf(w);
  const turn = monthTurn(w.now);
  if (turn <= log.since) return { since: log.since, records: log.records.filter((r) => r.t <= w.now) };
  return { since: turn, records: log.records.filter((r) => r.t >= turn && r.t <= w.now) };
}

/** Appends a record; a record past the month's turn starts the new file first. */
export function writeWtmp(w: MachineWorld, e: WtmpEntry): void {
  const log = wtmpOf(w);
  const turn = monthTurn(e.t);
  if (turn > log.since) {
    log.since = turn;
    log.records = log.records.filter((r) => r.t >= turn);
  }
  log.records.push(e);
}

/** sshd's logout record for the session whose shell was `pid`, on the line its login named */
export function closeLogin(w: MachineWorld, pid: number, t: number): void {
  const records = wtmpOf(w).records;
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i]!;
    if (r.type === 'login' && r.pid === pid) return writeWtmp(w, { type: 'logout', t, line: r.line, pid });
  }
}
