import { formatLsof, LSOF_USAGE, parseLsofArgs, type LsofFile } from '../../../engine/formats/lsof';
import type { InetSocket } from '../../../engine/formats/types';

const hosts = { '127.0.0.1': 'localhost', '10.3.21.241': 'ns3.example.net' };
const sock = (pid: number, comm: string, user: string, fd: number, proto: 'tcp' | 'udp', local: string, lport: number, state: InetSocket['state'], inode: number, extra: Partial<InetSocket> = {}): LsofFile => {
  const inet: InetSocket = { proto, v6: false, local, lport, remote: '0.0.0.0', rport: 0, state, inode, ...extra };
  return { pid, comm, user, fd, access: 'u', type: inet.v6 ? 'IPv6' : 'IPv4', device: String(inode), sizeOff: '0t0', node: proto.toUpperCase(), name: '', inet };
};
const sockets: LsofFile[] = [
  sock(28644, 'nsd', 'nsd', 4, 'udp', '0.0.0.0', 53, 'UNCONN', 42155),
  sock(611, 'sshd', 'root', 4, 'tcp', '::', 22, 'LISTEN', 10927, { v6: true, remote: '::' }),
  sock(611, 'sshd', 'root', 3, 'tcp', '0.0.0.0', 22, 'LISTEN', 10925),
  sock(900, 'sshd', 'root', 3, 'tcp', '10.3.21.241', 22, 'ESTABLISHED', 49122, { remote: '10.4.20.31', rport: 50495 }),
  sock(710, 'ntpd', 'ntp', 20, 'udp', '::1', 123, 'UNCONN', 52915, { v6: true, remote: '::' }),
];

const f = (pid: number, comm: string, user: string, fd: LsofFile['fd'], access: string, type: string, device: string, sizeOff: string, node: string, name: string, path?: string): LsofFile => ({
  pid,
  comm,
  user,
  fd,
  access,
  type,
  device,
  sizeOff,
  node,
  name,
  ...(path ? { path } : {}),
});
/** rsyslogd as lsof -p shows it on trusty, its descriptors before its image on purpose: lsof orders them */
const rsyslogd: LsofFile[] = [
  f(389, 'rsyslogd', 'syslog', 0, 'u', 'unix', '0xffff88003a1c2c00', '0t0', '9301', '/dev/log', '/dev/log'),
  f(389, 'rsyslogd', 'syslog', 1, 'w', 'REG', '202,1', '309659593', '529242', '/var/log/syslog', '/var/log/syslog'),
  f(389, 'rsyslogd', 'syslog', 'cwd', ' ', 'DIR', '202,1', '4096', '2', '/', '/'),
  f(389, 'rsyslogd', 'syslog', 'rtd', ' ', 'DIR', '202,1', '4096', '2', '/', '/'),
  f(389, 'rsyslogd', 'syslog', 'txt', ' ', 'REG', '202,1', '966656', '377711', '/usr/sbin/rsyslogd', '/usr/sbin/rsyslogd'),
  f(389, 'rsyslogd', 'syslog', 'mem', ' ', 'REG', '202,1', '1839104', '253133', '/lib/x86_64-linux-gnu/libc-2.19.so', '/lib/x86_64-linux-gnu/libc-2.19.so'),
  f(389, 'rsyslogd', 'syslog', 3, 'r', 'REG', '0,3', '0', '4026532039', '/proc/kmsg', '/proc/kmsg'),
];
const closed: LsofFile[] = [
  f(1, 'init', 'root', 'cwd', ' ', 'unknown', '', '', '', '/proc/1/cwd (readlink: Permission denied)'),
  f(1, 'init', 'root', 'rtd', ' ', 'unknown', '', '', '', '/proc/1/root (readlink: Permission denied)'),
  f(1, 'init', 'root', 'txt', ' ', 'unknown', '', '', '', '/proc/1/exe (readlink: Permission denied)'),
  f(1, 'init', 'root', 'NOFD', ' ', '', '', '', '', '/proc/1/fd (opendir: Permission denied)'),
];

function run(files: readonly LsofFile[], argv: string[]) {
  const p = parseLsofArgs(argv);
  if (!p.ok) throw new Error(p.stderr);
  return formatLsof(files, p.options, hosts);
}

describe('lsof -i (lsof 4.86)', () => {
  it('one line per process and descriptor, pid order, columns sized to their widest entry', () => {
    expect(run(sockets, ['-i']).stdout).toBe(
      [
        'COMMAND   PID USER   FD   TYPE DEVICE SIZE/OFF NODE NAME',
        'sshd      611 root    3u  IPv4  10925      0t0  TCP *:ssh (LISTEN)',
        'sshd      611 root    4u  IPv6  10927      0t0  TCP *:ssh (LISTEN)',
        'ntpd      710  ntp   20u  IPv6  52915      0t0  UDP [::1]:ntp',
        'sshd      900 root    3u  IPv4  49122      0t0  TCP ns3.example.net:ssh->10.4.20.31:50495 (ESTABLISHED)',
        'nsd     28644  nsd    4u  IPv4  42155      0t0  UDP *:domain',
        '',
      ].join('\n'),
    );
  });

  it('-i :53 -n -P selects by port with numbers; nothing found exits 1; -t prints the pids', () => {
    expect(run(sockets, ['-i', ':53', '-n', '-P']).stdout).toBe('COMMAND   PID USER   FD   TYPE DEVICE SIZE/OFF NODE NAME\nnsd     28644  nsd    4u  IPv4  42155      0t0  UDP *:53\n');
    expect(run(sockets, ['-i', 'tcp:8080'])).toEqual({ stdout: '', code: 1 });
    expect(run(sockets, ['-i', 'tcp', '-a', '-p', '611']).stdout.split('\n')).toHaveLength(4);
    expect(run(sockets, ['-ti', ':ssh'])).toEqual({ stdout: '611\n900\n', code: 0 });
  });
});

describe('lsof (lsof 4.86): every kind of open file', () => {
  it('cwd, rtd, txt, mem, then the descriptors by number; REG shows a size, the rest an offset', () => {
    expect(run(rsyslogd, ['-p', '389']).stdout).toBe(
      [
        'COMMAND  PID   USER   FD   TYPE             DEVICE  SIZE/OFF       NODE NAME',
        'rsyslogd 389 syslog  cwd    DIR              202,1      4096          2 /',
        'rsyslogd 389 syslog  rtd    DIR              202,1      4096          2 /',
        'rsyslogd 389 syslog  txt    REG              202,1    966656     377711 /usr/sbin/rsyslogd',
        'rsyslogd 389 syslog  mem    REG              202,1   1839104     253133 /lib/x86_64-linux-gnu/libc-2.19.so',
        'rsyslogd 389 syslog    0u  unix 0xffff88003a1c2c00       0t0       9301 /dev/log',
        'rsyslogd 389 syslog    1w   REG              202,1 309659593     529242 /var/log/syslog',
        'rsyslogd 389 syslog    3r   REG                0,3         0 4026532039 /proc/kmsg',
        '',
      ].join('\n'),
    );
  });

  it("another user's process, without root: what could not be read, with NOFD widening FD", () => {
    expect(run(closed, []).stdout).toBe(
      [
        'COMMAND PID USER   FD      TYPE DEVICE SIZE/OFF NODE NAME',
        'init      1 root  cwd   unknown                      /proc/1/cwd (readlink: Permission denied)',
        'init      1 root  rtd   unknown                      /proc/1/root (readlink: Permission denied)',
        'init      1 root  txt   unknown                      /proc/1/exe (readlink: Permission denied)',
        'init      1 root NOFD                                /proc/1/fd (opendir: Permission denied)',
        '',
      ].join('\n'),
    );
  });

  it('a file name selects whoever has it open; -u and -c select, ^ excludes, -a ands', () => {
    const all = [...rsyslogd, ...closed, ...sockets];
    expect(run(all, ['/var/log/syslog']).stdout).toBe(
      'COMMAND  PID   USER   FD   TYPE DEVICE  SIZE/OFF   NODE NAME\nrsyslogd 389 syslog    1w   REG  202,1 309659593 529242 /var/log/syslog\n',
    );
    expect(run(all, ['-t', '-u', 'root'])).toEqual({ stdout: '1\n611\n900\n', code: 0 });
    expect(run(all, ['-t', '-u', '^root'])).toEqual({ stdout: '389\n710\n28644\n', code: 0 });
    // -c matches the start of the command name
    expect(run(all, ['-t', '-c', 'ss', '-c', 'nt'])).toEqual({ stdout: '611\n710\n900\n', code: 0 });
    expect(run(all, ['-t', '-a', '-u', 'root', '-i', 'tcp'])).toEqual({ stdout: '611\n900\n', code: 0 });
    expect(run(all, ['-t', '-u', 'root', '-i', 'udp'])).toEqual({ stdout: '1\n611\n710\n900\n28644\n', code: 0 });
  });

  it('a size worked out on demand is asked for only for the lines printed', () => {
    let asked = 0;
    const lazy: LsofFile = { ...rsyslogd[1]!, sizeOff: () => String(++asked) };
    expect(run([lazy, ...closed], ['-p', '1']).code).toBe(0);
    expect(asked).toBe(0);
    expect(run([lazy, ...closed], ['-p', '389']).stdout).toContain(' 1 529242 /var/log/syslog');
  });

  it("refuses bad selections in lsof's words", () => {
    expect(parseLsofArgs(['-i', 'tcp:nosuch'])).toMatchObject({ ok: false, stderr: 'lsof: unknown service nosuch in: -i tcp:nosuch\n' });
    expect(parseLsofArgs(['-p', 'x1'])).toEqual({ ok: false, stdout: '', stderr: `lsof: illegal process ID: x1\n${LSOF_USAGE}`, code: 1 });
    expect(parseLsofArgs(['-p'])).toEqual({ ok: false, stdout: '', stderr: `lsof: no process ID specified\n${LSOF_USAGE}`, code: 1 });
    expect(parseLsofArgs(['-u'])).toEqual({ ok: false, stdout: '', stderr: `lsof: no UIDs specified\n${LSOF_USAGE}`, code: 1 });
    expect(parseLsofArgs(['-j'])).toEqual({ ok: false, stdout: '', stderr: `lsof: illegal option character: j\n${LSOF_USAGE}`, code: 1 });
    expect(LSOF_USAGE.split('\n').slice(4, 7)).toEqual([
      ' usage: [-?abhKlnNoOPRtUvVX] [+|-c c] [+|-d s] [+D D] [+|-e s] [+|-f[gG]]',
      ' [-F [f]] [-g [s]] [-i [i]] [+|-L [l]] [+m [m]] [+|-M] [-o [o]] [-p s]',
      ' [+|-r [t]] [-s [p:s]] [-S [t]] [-T [t]] [-u s] [+|-w] [-x [fl]] [--] [names]',
    ]);
    expect(parseLsofArgs(['-i', '/var/log/syslog'])).toMatchObject({ ok: false, stderr: 'lsof: unacceptable Internet address: /var/log/syslog\n' });
    expect(parseLsofArgs(['+D', '/var/log'])).toMatchObject({ ok: false, stderr: 'lsof: the +D option is not simulated here (-a -c -i -n -p -P -t -u and file names are)\n' });
  });
});
