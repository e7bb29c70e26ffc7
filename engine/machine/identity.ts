/**
 * What /proc/PID/status shows of a process's credentials and signal dispositions, from the box's
 * account files and what each daemon's source installs.
 */
import { parseGroup, parsePasswd } from '../vfs/accounts';
import type { Proc } from '../kernel/types';
import { scenarioOf } from './scenario';
import type { MachineWorld } from './world';

/** SigIgn and SigCgt as 64-bit masks: bit N-1 for signal N */
export interface SignalMasks {
  ign: bigint;
  cgt: bigint;
}

const bit = (...sigs: number[]) => sigs.reduce((m, s) => m | (1n << BigInt(s - 1)), 0n);
const SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGABRT = 6, SIGUSR1 = 10, SIGSEGV = 11, SIGPIPE = 13, SIGTERM = 15, SIGCHLD = 17, SIGTTIN = 21, SIGXFSZ = 25;
/** NPTL's SIGCANCEL and SIGSETXID (32, 33): a process that loads libpthread catches both */
const NPTL = bit(32, 33);

/** The base system's daemons, as started by init, keyed by comm. */
const DAEMONS: Readonly<Record<string, SignalMasks>> = {
  // rsyslog 7.4.4 tools/syslogd.c (not in debug mode); threaded, so NPTL's two as well
  rsyslogd: {
    ign: bit(SIGINT, SIGQUIT, SIGUSR1, SIGPIPE, SIGXFSZ),
    cgt: bit(SIGHUP, SIGABRT, SIGSEGV, SIGTERM, SIGCHLD, SIGTTIN) | NPTL,
  },
  // OpenSSH 6.6p1 sshd.c, the listening daemon (protocol 2 only: no key regeneration alarm)
  sshd: { ign: bit(SIGPIPE), cgt: bit(SIGHUP, SIGQUIT, SIGTERM, SIGCHLD) },
};

export function hexMask(m: bigint): string {
  return m.toString(16).padStart(16, '0');
}

/** null where nothing is known: the caller shows no handlers */
export function signalMasks(w: MachineWorld, p: Proc): SignalMasks | null {
  if (p.kthread) return null;
  const own = scenarioOf(w).signalMasks?.(w, p);
  if (own) return own;
  const d = DAEMONS[p.comm];
  // sshd's per-login children put the defaults back before they serve a session
  if (d && p.ppid === 1) return d;
  return null;
}

/**
 * The primary gid and supplementary groups: root's daemons run with none (init gives them none),
 * any other account has what initgroups() gives it, sorted as the kernel keeps them.
 */
export function credentials(w: MachineWorld, p: Proc): { gid: number; groups: number[] } {
  const passwd = parsePasswd(w.files.files['/etc/passwd']?.content ?? '');
  const groups = parseGroup(w.files.files['/etc/group']?.content ?? '');
  const acct = passwd.find((a) => a.uid === p.uid && a.name === p.user) ?? passwd.find((a) => a.uid === p.uid);
  const gid = acct ? acct.gid : p.uid;
  if (p.uid === 0 || p.kthread || !acct) return { gid, groups: [] };
  const list = new Set([gid]);
  for (const g of groups) if (g.members.includes(acct.name)) list.add(g.gid);
  return { gid, groups: [...list].sort((a, b) => a - b) };
}
