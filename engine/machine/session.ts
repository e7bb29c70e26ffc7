/**
 * The player's ssh login: sshd's privilege-separated pair and a bash on pts/0.
 */
import { slog } from './syslog';
import { addProc, findProc, newMm } from '../kernel/procs';
import { MACHINE_ROLE, type MachineWorld } from './world';
import { writeWtmp } from './wtmp';
import { authLogin } from './authlog';

/** Logs the player in (if the machine is up and nobody is logged in); returns bash's pid or 0. */
export function login(w: MachineWorld, t: number): number {
  if (!w.machine.up) return 0;
  if (w.sessionPid > 0 && findProc(w.k, w.sessionPid)) return w.sessionPid;
  const k = w.k;
  const sshd = k.procs.find((p) => p.comm === 'sshd' && p.ppid === 1);
  if (!sshd) return 0;
  const at = Math.max(k.bootTime, t - 30_000);
  const priv = addProc(k, {
    ppid: sshd.pid,
    uid: 0,
    user: 'root',
    comm: 'sshd',
    args: 'sshd: ops [priv]',
    start: at,
    role: MACHINE_ROLE.session,
    mm: newMm(k, { comm: 'sshd', args: 'sshd: ops [priv]', vszKb: 105_632, anonKb: 1_480, fileKb: 2_960, ptes: 20, vmas: 118, anonVmas: 24, commitKb: 4_200, maxVmaKb: 1_024 }),
  });
  const net = addProc(k, {
    ppid: priv.pid,
    uid: 1000,
    user: 'ops',
    comm: 'sshd',
    args: 'sshd: ops@pts/0',
    start: at + 300,
    role: MACHINE_ROLE.session,
    mm: newMm(k, { comm: 'sshd', args: 'sshd: ops@pts/0', vszKb: 105_632, anonKb: 760, fileKb: 1_640, ptes: 19, vmas: 118, anonVmas: 24, commitKb: 3_100, maxVmaKb: 1_024 }),
  });
  const bash = addProc(k, {
    ppid: net.pid,
    uid: 1000,
    user: 'ops',
    comm: 'bash',
    args: '-bash',
    start: at + 420,
    tty: 'pts/0',
    role: MACHINE_ROLE.session,
    state: 'S',
    mm: newMm(k, { comm: 'bash', args: '-bash', vszKb: 22_520, anonKb: 2_260, fileKb: 2_980, ptes: 12, vmas: 34, anonVmas: 9, commitKb: 3_400, maxVmaKb: 1_200 }),
  });
  w.sessionNo++;
  // before the wtmp record: the auth.log of a save from before it was kept is built from wtmp's open logins
  authLogin(w, priv.pid, at, bash.user, w.sessionNo);
  writeWtmp(w, { type: 'login', t: bash.start, user: bash.user, line: bash.tty, host: w.p.sshClientIp, pid: bash.pid });
  const logind = k.procs.find((p) => p.comm === 'systemd-logind');
  if (logind) slog(w.logs, at + 250, 'systemd-logind', logind.pid, `New session ${w.sessionNo} of user ops.`);
  w.sessionPid = bash.pid;
  return bash.pid;
}

/** the player's login shell pid, 0 when logged out */
export function sessionShell(w: MachineWorld): number {
  return w.sessionPid > 0 && findProc(w.k, w.sessionPid)?.role === MACHINE_ROLE.session ? w.sessionPid : 0;
}
