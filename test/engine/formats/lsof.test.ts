import { formatLsof, parseLsofArgs, type LsofSocket } from '../../../engine/formats/lsof';

const hosts = { '127.0.0.1': 'localhost', '10.3.21.241': 'ns3.example.net' };
const s = (pid: number, comm: string, user: string, fd: number, proto: 'tcp' | 'udp', local: string, lport: number, state: LsofSocket['state'], inode: number, extra: Partial<LsofSocket> = {}): LsofSocket => ({
  pid,
  comm,
  user,
  fd,
  proto,
  v6: false,
  local,
  lport,
  remote: '0.0.0.0',
  rport: 0,
  state,
  inode,
  ...extra,
});
const sockets: LsofSocket[] = [
  s(28644, 'nsd', 'nsd', 4, 'udp', '0.0.0.0', 53, 'UNCONN', 42155),
  s(611, 'sshd', 'root', 4, 'tcp', '::', 22, 'LISTEN', 10927, { v6: true, remote: '::' }),
  s(611, 'sshd', 'root', 3, 'tcp', '0.0.0.0', 22, 'LISTEN', 10925),
  s(900, 'sshd', 'root', 3, 'tcp', '10.3.21.241', 22, 'ESTABLISHED', 49122, { remote: '10.4.20.31', rport: 50495 }),
  s(710, 'ntpd', 'ntp', 20, 'udp', '::1', 123, 'UNCONN', 52915, { v6: true, remote: '::' }),
];

function run(argv: string[]) {
  const p = parseLsofArgs(argv);
  if (!p.ok) throw new Error(p.stderr);
  return formatLsof(sockets, p.options, hosts);
}

describe('lsof -i (lsof 4.86)', () => {
  it('one line per process and descriptor, pid order, columns sized to their widest entry', () => {
    expect(run(['-i']).stdout).toBe(
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

  it('-i :53 -n -P selects by port with numbers; nothing found exits 1', () => {
    expect(run(['-i', ':53', '-n', '-P']).stdout).toBe('COMMAND   PID USER   FD   TYPE DEVICE SIZE/OFF NODE NAME\nnsd     28644  nsd    4u  IPv4  42155      0t0  UDP *:53\n');
    expect(run(['-i', 'tcp:8080'])).toEqual({ stdout: '', code: 1 });
    expect(run(['-i', 'tcp', '-a', '-p', '611']).stdout.split('\n')).toHaveLength(4);
  });

  it('refuses what it does not simulate in one line', () => {
    expect(parseLsofArgs(['/var/log/syslog'])).toMatchObject({ ok: false, code: 1 });
    expect(parseLsofArgs(['-i', 'tcp:nosuch'])).toMatchObject({ ok: false, stderr: 'lsof: unknown service nosuch in: -i tcp:nosuch\n' });
  });
});
