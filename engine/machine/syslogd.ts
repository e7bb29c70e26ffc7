/**
 * rsyslogd, the box's syslog daemon: its own marks in /var/log/syslog, and what its death means
 * (nothing new reaches the files until it is started again).
 */
import type { Exited } from '../kernel/procs';
import type { MachineWorld } from './world';
import { closeLogin } from './wtmp';
import { authLogout } from './authlog';
import { findProc } from '../kernel/procs';

/** Ubuntu 14.04's rsyslog */
const RSYSLOG_VERSION = '7.4.4';

/** rsyslogd's own line about itself: start, HUP, exiting on a signal */
export function rsyslogMark(w: MachineWorld, what: string, pid = w.rsyslogPid): string {
  return `[origin software="rsyslogd" swVersion="${RSYSLOG_VERSION}" x-pid="${pid}" x-info="http://www.rsyslog.com"] ${what}`;
}

/** A death the machine itself cares about: the player's login shell, or the syslog daemon. */
export function noteMachineDeath(w: MachineWorld, t: number, d: Exited): void {
  if (d.pid === w.sessionPid) {
    // sshd sees its session's shell gone and closes the login
    closeLogin(w, d.pid, t);
    const net = findProc(w.k, d.ppid);
    const priv = net ? findProc(w.k, net.ppid) : undefined;
    if (net && priv) authLogout(w, priv.pid, t, net.user);
    w.stats.sessionLost.push(t);
    w.sessionPid = 0;
  }
  if (d.pid === w.rsyslogPid) w.logs.syslogUp = false;
}
