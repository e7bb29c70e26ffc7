/**
 * The lines Ubuntu 14.04's authentication programs send to the authpriv facility, which rsyslog
 * writes to /var/log/auth.log: OpenSSH 6.6p1's sshd, sudo 1.8.9p5, and pam_unix (libpam 1.1.8)
 * for the sessions sshd, sudo and cron open and close.
 */

/** one authpriv message, as the box keeps it until the file is read */
export type AuthEvent =
  /** sshd auth_log(): "Accepted publickey for USER from IP port PORT ssh2: RSA <md5 fingerprint>" */
  | { kind: 'accepted'; user: string; ip: string; port: number; keyType: string; fingerprint: string }
  /** pam_unix's session module: opened (by whom) or closed */
  | { kind: 'session'; service: 'sshd' | 'sudo' | 'cron'; open: boolean; user: string; by: string; byUid: number }
  /** systemd-logind (204) registering a login */
  | { kind: 'logind'; session: number; user: string }
  /** sudo's log line for a command it ran */
  | { kind: 'sudo'; user: string; tty: string; pwd: string; runas: string; command: string };

/** the message text, with the space rsyslog shows after the tag (sudo's own padding keeps its) */
export function authText(e: AuthEvent): string {
  switch (e.kind) {
    case 'accepted':
      return `Accepted publickey for ${e.user} from ${e.ip} port ${e.port} ssh2: ${e.keyType} ${e.fingerprint}`;
    case 'session':
      // pam_unix: "session opened for user %s by %s(uid=%lu)"; sshd and cron have no login name to give
      return e.open ? `pam_unix(${e.service}:session): session opened for user ${e.user} by ${e.by}(uid=${e.byUid})` : `pam_unix(${e.service}:session): session closed for user ${e.user}`;
    case 'logind':
      return `New session ${e.session} of user ${e.user}.`;
    case 'sudo':
      // sudo's log_format "%8s : TTY=%s ; PWD=%s ; USER=%s ; COMMAND=%s", after syslog(3)'s "sudo: "
      return ` ${e.user.padStart(8)} : TTY=${e.tty} ; PWD=${e.pwd} ; USER=${e.runas} ; COMMAND=${e.command}`;
  }
}
