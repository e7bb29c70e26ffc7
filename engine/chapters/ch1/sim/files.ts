/**
 * The files of the box that the simulation reads or writes: configuration it obeys (nsd.conf,
 * crontabs, sysctl.conf, apt pins) and a few that make the machine feel lived in.
 */
import type { FileStore, StoredFile } from '../../../vfs/store';
import type { Ch1Params } from './params';
import { zoneFileText } from './zones';
import type { ZoneState } from './world';

export const USERS: ReadonlyArray<{ name: string; uid: number; gid: number; home: string; shell: string; gecos: string }> = [
  { name: 'root', uid: 0, gid: 0, home: '/root', shell: '/bin/bash', gecos: 'root' },
  { name: 'daemon', uid: 1, gid: 1, home: '/usr/sbin', shell: '/usr/sbin/nologin', gecos: 'daemon' },
  { name: 'syslog', uid: 101, gid: 104, home: '/home/syslog', shell: '/bin/false', gecos: '' },
  { name: 'messagebus', uid: 102, gid: 106, home: '/var/run/dbus', shell: '/bin/false', gecos: '' },
  { name: 'landscape', uid: 103, gid: 109, home: '/var/lib/landscape', shell: '/bin/false', gecos: '' },
  { name: 'sshd', uid: 104, gid: 65534, home: '/var/run/sshd', shell: '/usr/sbin/nologin', gecos: '' },
  { name: 'ntp', uid: 105, gid: 112, home: '/home/ntp', shell: '/bin/false', gecos: '' },
];

export function file(content: string, t: number, mode = 0o644, owner = 'root', group = owner): StoredFile {
  return { content, mode, owner, group, mtime: t };
}

function nsdConf(p: Ch1Params): string {
  const zones = p.zones
    .map((z) => `zone:\n\tname: "${z.name}"\n\tzonefile: "${z.name}.zone"\n\tinclude-pattern: "from-primary"\n`)
    .join('\n');
  return `# nsd.conf for ${p.hostname}: secondary for the zones below, fed by the primary at ${p.primaryIp}.
# Changes here need a restart of nsd (reload only rereads zone files).

server:
\tip-address: 0.0.0.0
\tdo-ip6: no
\thide-version: yes
\tusername: nsd
\tzonesdir: "/var/lib/nsd"
\tpidfile: "/run/nsd/nsd.pid"
\tserver-count: ${p.serverCount}
\tverbosity: 1
\t# ask the main process for a reload at most once a second
\txfrd-reload-timeout: ${p.xfrdReloadTimeout}

remote-control:
\tcontrol-enable: yes
\tcontrol-interface: 127.0.0.1
\tcontrol-port: 8952

pattern:
\tname: "from-primary"
\tallow-notify: ${p.primaryIp} NOKEY
\trequest-xfr: AXFR ${p.primaryIp} NOKEY

${zones}`;
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

const PIN = `# Take nsd from trusty-backports once someone asks apt for it.
Package: nsd
Pin: release a=trusty-backports
Pin-Priority: 500
`;

export function seedFiles(p: Ch1Params, zones: ZoneState[], t: number): FileStore {
  const files: Record<string, StoredFile> = {};
  const passwd = USERS.map((u) => `${u.name}:x:${u.uid}:${u.gid}:${u.gecos}:${u.home}:${u.shell}`);
  passwd.push(`nsd:x:${p.nsdUid}:${p.nsdUid + 7}::/var/lib/nsd:/bin/false`);
  passwd.push('ops:x:1000:1000:Ops,,,:/home/ops:/bin/bash');
  const group = ['root:x:0:', 'daemon:x:1:', 'adm:x:4:syslog,ops', 'sudo:x:27:ops', 'syslog:x:104:', 'messagebus:x:106:', `nsd:x:${p.nsdUid + 7}:`, 'ops:x:1000:'];
  files['/etc/passwd'] = file(passwd.join('\n') + '\n', t);
  files['/etc/group'] = file(group.join('\n') + '\n', t);
  files['/etc/hostname'] = file(`${p.hostname}\n`, t);
  files['/etc/hosts'] = file(`127.0.0.1 localhost\n${p.ip} ${p.hostname}.${p.domain} ${p.hostname}\n`, t);
  files['/etc/resolv.conf'] = file(`nameserver ${p.resolver}\nsearch ${p.domain}\n`, t);
  files['/etc/lsb-release'] = file('DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=14.04\nDISTRIB_CODENAME=trusty\nDISTRIB_DESCRIPTION="Ubuntu 14.04.2 LTS"\n', t);
  files['/etc/issue'] = file('Ubuntu 14.04.2 LTS \\n \\l\n\n', t);
  files['/etc/nsd/nsd.conf'] = file(nsdConf(p), t);
  files['/etc/crontab'] = file(CRONTAB, t);
  files['/etc/cron.d/.placeholder'] = file('# cron ignores files whose names contain a dot, like this one.\n', t);
  files['/etc/cron.hourly/.placeholder'] = file('# run-parts skips this file.\n', t);
  files['/etc/cron.daily/logrotate'] = file('#!/bin/sh\ntest -x /usr/sbin/logrotate || exit 0\n/usr/sbin/logrotate /etc/logrotate.conf\n', t, 0o755);
  files['/etc/cron.daily/mlocate'] = file('#!/bin/sh\nset -e\n[ -x /usr/bin/updatedb.mlocate ] || exit 0\nnice -n 19 ionice -c 3 /usr/bin/updatedb.mlocate\n', t, 0o755);
  files['/etc/cron.daily/apt'] = file('#!/bin/sh\n# daily apt housekeeping\n[ -x /usr/lib/apt/apt.systemd.daily ] || exit 0\n', t, 0o755);
  files['/etc/cron.weekly/fstrim'] = file('#!/bin/sh\nexec fstrim-all\n', t, 0o755);
  files['/etc/sysctl.conf'] = file(SYSCTL, t);
  files['/etc/apt/sources.list'] = file(SOURCES, t);
  files['/etc/apt/preferences.d/nsd-backports'] = file(PIN, t);
  files['/etc/default/nsd'] = file('# Extra options for the nsd init script.\nDAEMON_OPTS=""\n', t);
  for (const z of zones) files[`/var/lib/nsd/${z.name}.zone`] = file(zoneFileText(p, z), t, 0o644, 'nsd');
  return {
    files,
    dirs: {
      '/etc/cron.d': { mode: 0o755, owner: 'root', group: 'root' },
      '/etc/sysctl.d': { mode: 0o755, owner: 'root', group: 'root' },
      '/var/spool/cron/crontabs': { mode: 0o1730, owner: 'root', group: 'crontab' },
      '/run/nsd': { mode: 0o755, owner: 'nsd', group: 'nsd' },
      '/home/ops': { mode: 0o755, owner: 'ops', group: 'ops' },
      '/tmp': { mode: 0o1777, owner: 'root', group: 'root' },
    },
  };
}
