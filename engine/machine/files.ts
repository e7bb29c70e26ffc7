/**
 * The files every box starts with: accounts, name and addresses, the system crontab and the
 * run-parts folders, sysctl.conf, apt's sources. A scenario adds its own (its daemons' configuration,
 * its accounts) on top.
 */
import type { FileStore, StoredFile } from '../vfs/store';
import type { HostParams } from './world';

/** Ubuntu 14.04's rsyslog package (7.4.4-1ubuntu2): what machine/syslog.ts rotates by */
const LOGROTATE_RSYSLOG = `/var/log/syslog
{
\trotate 7
\tdaily
\tmissingok
\tnotifempty
\tdelaycompress
\tcompress
\tpostrotate
\t\treload rsyslog >/dev/null 2>&1 || true
\tendscript
}

/var/log/mail.info
/var/log/mail.warn
/var/log/mail.err
/var/log/mail.log
/var/log/daemon.log
/var/log/kern.log
/var/log/auth.log
/var/log/user.log
/var/log/lpr.log
/var/log/cron.log
/var/log/debug
/var/log/messages
{
\trotate 4
\tweekly
\tmissingok
\tnotifempty
\tcompress
\tdelaycompress
\tsharedscripts
\tpostrotate
\t\treload rsyslog >/dev/null 2>&1 || true
\tendscript
}
`;

const USERS: ReadonlyArray<{ name: string; uid: number; gid: number; home: string; shell: string; gecos: string }> = [
  { name: 'root', uid: 0, gid: 0, home: '/root', shell: '/bin/bash', gecos: 'root' },
  { name: 'daemon', uid: 1, gid: 1, home: '/usr/sbin', shell: '/usr/sbin/nologin', gecos: 'daemon' },
  { name: 'syslog', uid: 101, gid: 104, home: '/home/syslog', shell: '/bin/false', gecos: '' },
  { name: 'messagebus', uid: 102, gid: 106, home: '/var/run/dbus', shell: '/bin/false', gecos: '' },
  { name: 'landscape', uid: 103, gid: 109, home: '/var/lib/landscape', shell: '/bin/false', gecos: '' },
  { name: 'sshd', uid: 104, gid: 65534, home: '/var/run/sshd', shell: '/usr/sbin/nologin', gecos: '' },
  { name: 'ntp', uid: 105, gid: 112, home: '/home/ntp', shell: '/bin/false', gecos: '' },
];

/** the login the player has on every box */
export const LOGIN = { name: 'ops', uid: 1000, gid: 1000, home: '/home/ops' } as const;

export function file(content: string, t: number, mode = 0o644, owner = 'root', group = owner): StoredFile {
  return { content, mode, owner, group, mtime: t };
}

const CRONTAB = `# /etc/crontab: the system-wide table. Unlike a user's crontab it names the user
# that runs each job, and cron picks up edits here (and in /etc/cron.d) by itself.

SHELL=/bin/sh
PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin

# m h dom mon dow user\tcommand
17 *\t* * *\troot    cd / && run-parts --report /etc/cron.hourly
25 6\t* * *\troot\ttest -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )
47 6\t* * 7\troot\ttest -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.weekly )
52 6\t1 * *\troot\ttest -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.monthly )
#
`;

const SYSCTL = `# Kernel settings applied at boot (see sysctl.conf(5) and sysctl(8)).
# Keys map to files under /proc/sys: vm.swappiness is /proc/sys/vm/swappiness.

# Reboot ten seconds after a kernel panic instead of hanging at the console.
kernel.panic = 10

# Uncomment to log martian packets.
#net.ipv4.conf.all.log_martians = 1
`;

const SOURCES = `deb http://us-east-1.ec2.archive.ubuntu.com/ubuntu/ trusty main restricted universe
deb http://us-east-1.ec2.archive.ubuntu.com/ubuntu/ trusty-updates main restricted universe
deb http://us-east-1.ec2.archive.ubuntu.com/ubuntu/ trusty-backports main restricted universe multiverse
deb http://security.ubuntu.com/ubuntu trusty-security main restricted universe
`;

const DIR = { mode: 0o755, owner: 'root', group: 'root' } as const;

/**
 * /var/lib as a trusty cloud server has it for what every box here runs: the package tools'
 * state (dpkg, apt), and the directories of the base system's daemons and daily jobs (dhclient's
 * leases, ntpd's drift, sudo's timestamps, dbus's machine id, collectd's data, logrotate's status,
 * updatedb's database). Only the directories: their files' contents are not simulated. cron keeps
 * nothing here (its tables are in /var/spool/cron); a scenario adds its own daemons' (mongodb).
 */
const VAR_LIB: Record<string, { mode: number; owner: string; group: string }> = {
  '/var/lib': DIR,
  '/var/lib/apt': DIR,
  '/var/lib/apt/lists': DIR,
  '/var/lib/apt/lists/partial': DIR,
  '/var/lib/collectd': DIR,
  '/var/lib/dbus': DIR,
  '/var/lib/dhcp': DIR,
  '/var/lib/dpkg': DIR,
  '/var/lib/dpkg/alternatives': DIR,
  '/var/lib/dpkg/info': DIR,
  '/var/lib/dpkg/parts': DIR,
  '/var/lib/dpkg/triggers': DIR,
  '/var/lib/dpkg/updates': DIR,
  '/var/lib/logrotate': DIR,
  '/var/lib/mlocate': DIR,
  '/var/lib/ntp': { mode: 0o755, owner: 'ntp', group: 'ntp' },
  '/var/lib/sudo': { mode: 0o700, owner: 'root', group: 'root' },
};

/**
 * The top-level directories of a trusty server that hold nothing the game simulates: empty on a
 * fresh install (mount points, /opt, /srv) or holding only what no spell here reads. lost+found
 * and /root are root's alone, /var/tmp is world-writable with the sticky bit, and /var/mail and
 * /var/local belong to the mail and staff groups (setgid), as base-files and the installer leave
 * them.
 */
const EMPTY_DIRS: Record<string, { mode: number; owner: string; group: string }> = {
  '/lost+found': { mode: 0o700, owner: 'root', group: 'root' },
  '/media': DIR,
  '/mnt': DIR,
  '/opt': DIR,
  '/root': { mode: 0o700, owner: 'root', group: 'root' },
  '/srv': DIR,
  '/var/cache': DIR,
  '/var/local': { mode: 0o2775, owner: 'root', group: 'staff' },
  '/var/mail': { mode: 0o2775, owner: 'root', group: 'mail' },
  '/var/opt': DIR,
  '/var/tmp': { mode: 0o1777, owner: 'root', group: 'root' },
};

/** A scenario's own system account: a passwd line and its group. */
interface SystemAccount {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/** The base system's files, with the scenario's accounts added before the player's own. */
export function baseFiles(p: HostParams, t: number, accounts: readonly SystemAccount[] = []): FileStore {
  const files: Record<string, StoredFile> = {};
  const passwd = USERS.map((u) => `${u.name}:x:${u.uid}:${u.gid}:${u.gecos}:${u.home}:${u.shell}`);
  for (const a of accounts) passwd.push(`${a.name}:x:${a.uid}:${a.gid}::${a.home}:/bin/false`);
  passwd.push(`${LOGIN.name}:x:${LOGIN.uid}:${LOGIN.gid}:Ops,,,:${LOGIN.home}:/bin/bash`);
  const group = ['root:x:0:', 'daemon:x:1:', `adm:x:4:syslog,${LOGIN.name}`, 'mail:x:8:', `sudo:x:27:${LOGIN.name}`, 'staff:x:50:', 'nogroup:x:65534:', 'crontab:x:103:', 'syslog:x:104:', 'messagebus:x:106:', 'landscape:x:109:', 'ntp:x:112:'];
  for (const a of accounts) group.push(`${a.name}:x:${a.gid}:`);
  group.push(`${LOGIN.name}:x:${LOGIN.gid}:`);
  files['/etc/passwd'] = file(passwd.join('\n') + '\n', t);
  files['/etc/group'] = file(group.join('\n') + '\n', t);
  files['/etc/hostname'] = file(`${p.hostname}\n`, t);
  files['/etc/hosts'] = file(`127.0.0.1 localhost\n${p.ip} ${p.hostname}.${p.domain} ${p.hostname}\n`, t);
  files['/etc/resolv.conf'] = file(`nameserver ${p.resolver}\nsearch ${p.domain}\n`, t);
  files['/etc/lsb-release'] = file('DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=14.04\nDISTRIB_CODENAME=trusty\nDISTRIB_DESCRIPTION="Ubuntu 14.04.2 LTS"\n', t);
  files['/etc/issue'] = file('Ubuntu 14.04.2 LTS \\n \\l\n\n', t);
  files['/etc/crontab'] = file(CRONTAB, t);
  files['/etc/cron.d/.placeholder'] = file('# cron ignores files whose names contain a dot, like this one.\n', t);
  // the cron package keeps each run-parts folder with a placeholder, so none of them is ever missing
  for (const every of ['hourly', 'daily', 'weekly', 'monthly']) files[`/etc/cron.${every}/.placeholder`] = file('# run-parts skips this file.\n', t);
  files['/etc/cron.daily/logrotate'] = file('#!/bin/sh\ntest -x /usr/sbin/logrotate || exit 0\n/usr/sbin/logrotate /etc/logrotate.conf\n', t, 0o755);
  files['/etc/cron.daily/mlocate'] = file('#!/bin/sh\nset -e\n[ -x /usr/bin/updatedb.mlocate ] || exit 0\nnice -n 19 ionice -c 3 /usr/bin/updatedb.mlocate\n', t, 0o755);
  files['/etc/cron.daily/apt'] = file('#!/bin/sh\n# daily apt housekeeping\n[ -x /usr/lib/apt/apt.systemd.daily ] || exit 0\n', t, 0o755);
  files['/etc/logrotate.d/rsyslog'] = file(LOGROTATE_RSYSLOG, t);
  files['/etc/cron.weekly/fstrim'] = file('#!/bin/sh\nexec fstrim-all\n', t, 0o755);
  files['/etc/sysctl.conf'] = file(SYSCTL, t);
  files['/etc/apt/sources.list'] = file(SOURCES, t);
  return {
    files,
    dirs: {
      '/etc/cron.d': { mode: 0o755, owner: 'root', group: 'root' },
      '/etc/sysctl.d': { mode: 0o755, owner: 'root', group: 'root' },
      '/var/spool/cron/crontabs': { mode: 0o1730, owner: 'root', group: 'crontab' },
      [LOGIN.home]: { mode: 0o755, owner: LOGIN.name, group: LOGIN.name },
      '/tmp': { mode: 0o1777, owner: 'root', group: 'root' },
      ...VAR_LIB,
      ...EMPTY_DIRS,
    },
  };
}
