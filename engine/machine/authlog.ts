/**
 * /var/log/auth.log: what sshd, sudo, cron's PAM sessions and systemd-logind send to authpriv,
 * kept as records and rendered as rsyslog writes them when the file is read. logrotate turns it
 * over with kern.log, weekly, four kept (/etc/logrotate.d/rsyslog): auth.log.1, then .2.gz...
 */
import { authText, type AuthEvent } from '../formats/authlog';
import { formatSyslogLine } from '../formats/syslog';
import { findProc } from '../kernel/procs';
import type { Errno, FsResult, FsStat, TextChunk } from '../shell/types';
import { byteLength } from '../vfs/utf8';
import type { VfsProvider } from '../vfs/vfs';
import { rotationsOf, WEEKLY_ROTATE } from './syslog';
import type { AuthRecord, MachineWorld } from './world';

export interface AuthFileName {
  /** 0 the live file, 1 auth.log.1, 2.. the .gz ones */
  gen: number;
  name: string;
}

/** what gzip -6 leaves of a log's text, as the other rotated logs are sized */
const GZIP_RATIO = 0.1;

/**
 * A save from before auth.log was kept: the lines of the login that is open now (from wtmp), so
 * the file is not empty while someone is plainly logged in; nothing older is known.
 */
function fromHistory(w: MachineWorld): AuthRecord[] {
  const out: AuthRecord[] = [];
  for (const r of w.stats.wtmp?.records ?? []) {
    if (r.type !== 'login' || !findProc(w.k, r.pid)) continue;
    const bash = findProc(w.k, r.pid)!;
    const net = findProc(w.k, bash.ppid);
    const priv = net ? findProc(w.k, net.ppid) : undefined;
    if (priv) out.push(...loginRecords(w, priv.pid, priv.start, r.user, r.host, w.sessionNo));
  }
  return out;
}

/** the box's auth.log records; a save from before they were kept gets them from its history */
export function authRecordsOf(w: MachineWorld): AuthRecord[] {
  if (!w.stats.authlog) w.stats.authlog = w.k.release === '' ? [] : fromHistory(w);
  return w.stats.authlog;
}

/** Adds a message at t (a record may come in after later ones: readers order by time). */
export function authlog(w: MachineWorld, t: number, tag: string, pid: number, e: AuthEvent): void {
  // nothing reaches the file while rsyslogd is down
  if (!w.logs.syslogUp) return;
  const records = authRecordsOf(w);
  records.push({ t, tag, pid, e });
  // what no kept file holds any more goes
  const { weekly } = rotationsOf(w.logs);
  if (weekly.length > WEEKLY_ROTATE && records[0]!.t < weekly[0]!) w.stats.authlog = records.filter((r) => r.t >= weekly[0]!);
}

/** the player's key: a stable MD5 fingerprint, as OpenSSH 6.6 prints it */
function fingerprint(user: string, ip: string): string {
  const bytes: string[] = [];
  let h = 2_166_136_261;
  for (let i = 0; i < 16; i++) {
    for (const ch of `${user}@${ip}#${i}`) h = Math.imul(h ^ ch.charCodeAt(0), 16_777_619) >>> 0;
    bytes.push((h & 0xff).toString(16).padStart(2, '0'));
  }
  return bytes.join(':');
}

/** the source port of the player's ssh connection, as the socket table has it */
export function sshClientPort(privPid: number, privStart: number): number {
  let h = 2_166_136_261;
  const seed = `ssh:${privPid}:${privStart}`;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16_777_619) >>> 0;
  return 49_152 + (h % 16_000);
}

/** sshd's accept and pam_unix's session open for a login whose privileged sshd started at `at`, and logind's new session */
function loginRecords(w: MachineWorld, privPid: number, at: number, user: string, ip: string, session: number): AuthRecord[] {
  const logind = w.k.procs.find((p) => p.comm === 'systemd-logind');
  const out: AuthRecord[] = [
    { t: at + 120, tag: 'sshd', pid: privPid, e: { kind: 'accepted', user, ip, port: sshClientPort(privPid, at), keyType: 'RSA', fingerprint: fingerprint(user, ip) } },
    { t: at + 200, tag: 'sshd', pid: privPid, e: { kind: 'session', service: 'sshd', open: true, user, by: '', byUid: 0 } },
  ];
  if (logind) out.push({ t: at + 250, tag: 'systemd-logind', pid: logind.pid, e: { kind: 'logind', session, user } });
  return out;
}

/** The player's ssh login: sshd's privileged process started at `at`. */
export function authLogin(w: MachineWorld, privPid: number, at: number, user: string, session: number): void {
  authRecordsOf(w);
  for (const r of loginRecords(w, privPid, at, user, w.p.sshClientIp, session)) authlog(w, r.t, r.tag, r.pid, r.e);
}

/** sshd closes the session when its shell is gone */
export function authLogout(w: MachineWorld, privPid: number, t: number, user: string): void {
  authlog(w, t, 'sshd', privPid, { kind: 'session', service: 'sshd', open: false, user, by: '', byUid: 0 });
}

/** sudo's log line and pam_unix's session opened as a command starts ('run'), the session closed when it is done */
export function authSudo(w: MachineWorld, s: { phase: 'run' | 'done'; at: number; user: string; tty: string; pwd: string; runas: string; command: string }): void {
  if (s.phase === 'run') {
    authlog(w, s.at, 'sudo', 0, { kind: 'sudo', user: s.user, tty: s.tty, pwd: s.pwd, runas: s.runas, command: s.command });
    authlog(w, s.at, 'sudo', 0, { kind: 'session', service: 'sudo', open: true, user: s.runas, by: s.user, byUid: 0 });
  } else authlog(w, s.at, 'sudo', 0, { kind: 'session', service: 'sudo', open: false, user: s.runas, by: s.user, byUid: 0 });
}

/** cron's child opens a PAM session for the job's user before it runs the job, and closes it after */
export function authCron(w: MachineWorld, t: number, pid: number, user: string, open: boolean): void {
  authlog(w, t, 'CRON', pid, { kind: 'session', service: 'cron', open, user, by: '', byUid: 0 });
}

/** the auth.log files /var/log has now */
export function authFiles(w: MachineWorld): AuthFileName[] {
  const turns = rotationsOf(w.logs).weekly.length;
  const out: AuthFileName[] = [{ gen: 0, name: 'auth.log' }];
  for (let g = 1; g <= Math.min(turns, WEEKLY_ROTATE); g++) out.push({ gen: g, name: g === 1 ? 'auth.log.1' : `auth.log.${g}.gz` });
  return out;
}

export function findAuthFile(w: MachineWorld, name: string): AuthFileName | null {
  return authFiles(w).find((f) => f.name === name) ?? null;
}

/** [from, to) of the records a file holds: between logrotate's weekly turns */
function windowOf(w: MachineWorld, f: AuthFileName): [number, number] {
  const turns = rotationsOf(w.logs).weekly;
  const n = turns.length;
  const to = f.gen === 0 ? Infinity : turns[n - f.gen]!;
  const from = n - f.gen - 1 >= 0 ? turns[n - f.gen - 1]! : -Infinity;
  return [from, to];
}

/** the file's records in time order; nothing stamped after now */
function recordsIn(w: MachineWorld, f: AuthFileName): AuthRecord[] {
  const [from, to] = windowOf(w, f);
  return authRecordsOf(w)
    .filter((r) => r.t >= from && r.t < to && r.t <= w.now)
    .sort((a, b) => a.t - b.t);
}

/** the file's lines, oldest first, each with its newline */
export function authLines(w: MachineWorld, f: AuthFileName): string[] {
  return recordsIn(w, f).map((r) => `${formatSyslogLine({ time: r.t, host: w.p.hostname, tag: r.tag, ...(r.pid > 0 ? { pid: r.pid } : {}), text: authText(r.e) })}\n`);
}

export function authSize(w: MachineWorld, f: AuthFileName): number {
  const bytes = authLines(w, f).reduce((n, l) => n + byteLength(l), 0);
  return f.gen >= 2 ? (bytes === 0 ? 20 : 18 + Math.ceil(bytes * GZIP_RATIO)) : bytes;
}

/** when the file was last written: its newest line, else when its week began */
export function authMtime(w: MachineWorld, f: AuthFileName): number {
  const rs = recordsIn(w, f);
  if (rs.length > 0) return Math.floor(rs[rs.length - 1]!.t / 1000) * 1000;
  const from = windowOf(w, f)[0];
  return Number.isFinite(from) ? from : w.k.bootTime;
}

/** ops is in group adm, as the first user of an Ubuntu install is: -rw-r----- syslog adm */
const readable = (user: string): boolean => user === 'root' || user === 'ops' || user === 'syslog';

/** /var/log with the auth.log files beside what `inner` (the other logs) holds */
export function withAuthLog(inner: VfsProvider, world: () => MachineWorld): VfsProvider {
  const file = (rel: string): AuthFileName | null => findAuthFile(world(), rel.replace(/^\/+|\/+$/g, ''));
  const ok = <T>(value: T): FsResult<T> => ({ ok: true, value });
  const fail = (errno: Errno): FsResult<never> => ({ ok: false, errno });
  const stat = (f: AuthFileName): FsStat => {
    const st = { type: 'file', mode: 0o640, owner: 'syslog', group: 'adm' } as FsStat;
    // worked out only when asked for, like the other logs
    Object.defineProperty(st, 'size', { enumerable: true, get: () => authSize(world(), f) });
    Object.defineProperty(st, 'mtime', { enumerable: true, get: () => authMtime(world(), f) });
    return st;
  };
  return {
    ...inner,
    stat: (rel) => {
      const f = file(rel);
      return f ? ok(stat(f)) : inner.stat(rel);
    },
    read: (rel, user) => {
      const f = file(rel);
      if (!f) return inner.read(rel, user);
      if (!readable(user)) return fail('EACCES');
      // the bytes of a .gz are not simulated: zcat and zgrep read what it holds
      if (f.gen >= 2) return fail('EINVAL');
      return ok(authLines(world(), f).join(''));
    },
    readChunks: (rel, user, opts) => {
      const f = file(rel);
      if (!f) return inner.readChunks ? inner.readChunks(rel, user, opts) : fail('EINVAL');
      if (!readable(user)) return fail('EACCES');
      if ((f.gen >= 2) !== opts.gunzip) return fail('EINVAL');
      const lines = authLines(world(), f).map((text): TextChunk => ({ newlines: 1, text }));
      return ok(opts.reverse ? lines.reverse() : lines);
    },
    list: (rel, user) => {
      const r = inner.list(rel, user);
      if (!r.ok || rel.replace(/^\/+|\/+$/g, '') !== '') return r;
      return ok([...r.value, ...authFiles(world()).map((f) => f.name)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    },
  };
}
