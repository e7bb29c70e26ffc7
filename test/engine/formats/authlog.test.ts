import { authText, type AuthEvent } from '../../../engine/formats/authlog';
import { formatSyslogLine } from '../../../engine/formats/syslog';

const at = Date.parse('2015-03-13T03:03:51Z');
const line = (tag: string, pid: number | undefined, e: AuthEvent): string => formatSyslogLine({ time: at, host: 'ns2', tag, ...(pid ? { pid } : {}), text: authText(e) });

describe('auth.log lines (OpenSSH 6.6p1, sudo 1.8.9p5, pam_unix 1.1.8, systemd-logind 204)', () => {
  it("sshd's accept and its PAM session, logind's new session", () => {
    expect(line('sshd', 15696, { kind: 'accepted', user: 'ops', ip: '10.5.16.164', port: 52741, keyType: 'RSA', fingerprint: '56:f4:63:31:ae:f0:0b:b5:9e:04:c2:fb:53:98:e2:27' })).toBe(
      'Mar 13 03:03:51 ns2 sshd[15696]: Accepted publickey for ops from 10.5.16.164 port 52741 ssh2: RSA 56:f4:63:31:ae:f0:0b:b5:9e:04:c2:fb:53:98:e2:27',
    );
    expect(line('sshd', 15696, { kind: 'session', service: 'sshd', open: true, user: 'ops', by: '', byUid: 0 })).toBe('Mar 13 03:03:51 ns2 sshd[15696]: pam_unix(sshd:session): session opened for user ops by (uid=0)');
    expect(line('sshd', 15696, { kind: 'session', service: 'sshd', open: false, user: 'ops', by: '', byUid: 0 })).toBe('Mar 13 03:03:51 ns2 sshd[15696]: pam_unix(sshd:session): session closed for user ops');
    expect(line('systemd-logind', 369, { kind: 'logind', session: 1, user: 'ops' })).toBe('Mar 13 03:03:51 ns2 systemd-logind[369]: New session 1 of user ops.');
  });

  it("sudo's line (its user right-aligned in 8 after syslog's \"sudo: \") and its PAM session, with no pid", () => {
    expect(line('sudo', undefined, { kind: 'sudo', user: 'ops', tty: 'pts/0', pwd: '/home/ops', runas: 'root', command: '/usr/bin/tail /var/log/syslog' })).toBe(
      'Mar 13 03:03:51 ns2 sudo:      ops : TTY=pts/0 ; PWD=/home/ops ; USER=root ; COMMAND=/usr/bin/tail /var/log/syslog',
    );
    expect(line('sudo', undefined, { kind: 'session', service: 'sudo', open: true, user: 'root', by: 'ops', byUid: 0 })).toBe('Mar 13 03:03:51 ns2 sudo: pam_unix(sudo:session): session opened for user root by ops(uid=0)');
    expect(line('sudo', undefined, { kind: 'session', service: 'sudo', open: false, user: 'root', by: 'ops', byUid: 0 })).toBe('Mar 13 03:03:51 ns2 sudo: pam_unix(sudo:session): session closed for user root');
  });

  it("cron's PAM session for a job", () => {
    expect(line('CRON', 11170, { kind: 'session', service: 'cron', open: true, user: 'root', by: '', byUid: 0 })).toBe('Mar 13 03:03:51 ns2 CRON[11170]: pam_unix(cron:session): session opened for user root by (uid=0)');
    expect(line('CRON', 11170, { kind: 'session', service: 'cron', open: false, user: 'root', by: '', byUid: 0 })).toBe('Mar 13 03:03:51 ns2 CRON[11170]: pam_unix(cron:session): session closed for user root');
  });
});
