import { formatNetstat, formatSs, parseNetstatArgs, parseSsArgs, type SocketRow } from '../../../engine/formats/netstat';

const hosts = { '127.0.0.1': 'localhost', '10.3.21.241': 'ns3.example.net' };
const h = (pid: number, comm: string, args: string, fd: number, visible = true) => ({ pid, comm, args, fd, visible });
const rows: SocketRow[] = [
  { proto: 'udp', v6: false, local: '0.0.0.0', lport: 53, remote: '0.0.0.0', rport: 0, state: 'UNCONN', holders: [h(681, 'nsd', '/usr/sbin/nsd -P /run/nsd/nsd.pid', 4), h(700, 'nsd', '/usr/sbin/nsd -P /run/nsd/nsd.pid', 4)] },
  { proto: 'tcp', v6: true, local: '::', lport: 22, remote: '::', rport: 0, state: 'LISTEN', holders: [h(611, 'sshd', '/usr/sbin/sshd -D', 4)] },
  { proto: 'tcp', v6: false, local: '0.0.0.0', lport: 22, remote: '0.0.0.0', rport: 0, state: 'LISTEN', holders: [h(611, 'sshd', '/usr/sbin/sshd -D', 3)] },
  { proto: 'tcp', v6: false, local: '10.3.21.241', lport: 22, remote: '10.4.20.31', rport: 50495, state: 'ESTABLISHED', holders: [h(900, 'sshd', 'sshd: ops [priv]', 3), h(901, 'sshd', 'sshd: ops@pts/0', 3)] },
];

function nopts(argv: string[]) {
  const p = parseNetstatArgs(argv, hosts);
  if (!p.ok) throw new Error(p.stderr);
  return p.options;
}

function sopts(argv: string[]) {
  const p = parseSsArgs(argv, hosts);
  if (!p.ok) throw new Error(p.stderr);
  return p.options;
}

describe('netstat (net-tools 1.60, Ubuntu)', () => {
  it('-tulpn: tcp, tcp6, udp, udp6 in fixed columns, the first holder as pid/argv[0] basename', () => {
    expect(formatNetstat(rows, nopts(['-tulpn']), true).stdout).toBe(
      [
        'Active Internet connections (only servers)',
        'Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name   ',
        'tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN      611/sshd            ',
        'tcp6       0      0 :::22                   :::*                    LISTEN      611/sshd            ',
        'udp        0      0 0.0.0.0:53              0.0.0.0:*                           681/nsd             ',
        '',
      ].join('\n'),
    );
  });

  it('names addresses and ports without -n; a retitled sshd shows its title cut to 19 characters', () => {
    expect(formatNetstat(rows, nopts(['-tp']), true).stdout.split('\n')[2]).toBe('tcp        0      0 ns3.example.net:ssh     10.4.20.31:50495        ESTABLISHED 900/sshd: ops [priv ');
    expect(formatNetstat(rows, nopts(['-tl']), true).stdout.split('\n')[3]).toBe('tcp6       0      0 [::]:ssh                [::]:*                  LISTEN      ');
  });

  it("shows - for other users' processes and says why on stderr", () => {
    const asOps = rows.map((r) => ({ ...r, holders: r.holders.map((x) => ({ ...x, visible: x.comm !== 'sshd' || x.pid > 611 })) }));
    const r = formatNetstat(asOps, nopts(['-tlnp']), false);
    expect(r.stdout.split('\n')[2]).toBe('tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN      -                   ');
    expect(r.stderr).toBe('(Not all processes could be identified, non-owned process info\n will not be shown, you would have to be root to see it all.)\n');
  });
});

describe('ss (iproute2 3.12, 80 columns)', () => {
  it('-tulpn: Netid and State columns, udp before tcp, every holder newest first', () => {
    expect(formatSs(rows, sopts(['-tulpn'])).stdout).toBe(
      [
        'Netid  State      Recv-Q Send-Q     Local Address:Port       Peer Address:Port ',
        'udp    UNCONN     0      0                      *:53                    *:*      users:(("nsd",700,4),("nsd",681,4))',
        'tcp    LISTEN     0      128                    *:22                    *:*      users:(("sshd",611,3))',
        'tcp    LISTEN     0      128                   :::22                   :::*      users:(("sshd",611,4))',
        '',
      ].join('\n'),
    );
  });

  it('-tn: connections only, no Netid or State column', () => {
    expect(formatSs(rows, sopts(['-tn'])).stdout).toBe(
      ['Recv-Q Send-Q             Local Address:Port               Peer Address:Port ', '0      0                    10.3.21.241:22                   10.4.20.31:50495 ', ''].join('\n'),
    );
  });
});

describe('option parsing through getopt_long (glibc 2.19)', () => {
  const NETSTAT_USAGE =
    'usage: netstat [-vWeenNcCF] [<Af>] -r         netstat {-V|--version|-h|--help}\n' +
    '       netstat [-vWnNcaeol] [<Socket> ...]\n' +
    '       netstat { [-vWeenNac] -i | [-cWnNe] -M | -s }\n';
  const SS_USAGE = 'Usage: ss [ OPTIONS ]\n       ss [ OPTIONS ] [ FILTER ]\n';

  it('netstat: clusters, long options and their unambiguous prefixes', () => {
    expect(nopts(['-t', '-ln'])).toMatchObject({ tcp: true, udp: false, listening: true, numeric: true });
    expect(nopts(['--tcp', '--listen', '--prog'])).toMatchObject({ tcp: true, listening: true, programs: true });
    expect(nopts(['--numeric', '-u'])).toMatchObject({ numeric: true, udp: true, tcp: false });
  });

  it("netstat: glibc's words for a bad option, then the usage; what is not simulated says so", () => {
    expect(parseNetstatArgs(['-tz'], hosts)).toEqual({ ok: false, stdout: '', stderr: `netstat: invalid option -- 'z'\n${NETSTAT_USAGE}`, code: 1 });
    expect(parseNetstatArgs(['--bogus'], hosts)).toEqual({ ok: false, stdout: '', stderr: `netstat: unrecognized option '--bogus'\n${NETSTAT_USAGE}`, code: 1 });
    expect(parseNetstatArgs(['--n'], hosts)).toMatchObject({ ok: false, stderr: expect.stringMatching(/^netstat: option '--n' is ambiguous; possibilities: '--numeric'/) });
    expect(parseNetstatArgs(['-A'], hosts)).toEqual({ ok: false, stdout: '', stderr: `netstat: option requires an argument -- 'A'\n${NETSTAT_USAGE}`, code: 1 });
    expect(parseNetstatArgs(['-rn'], hosts)).toEqual({ ok: false, stdout: '', stderr: "netstat: -r is not simulated here: this machine's netstat lists internet sockets only (-t, -u, -l, -a, -n, -p)\n", code: 1 });
    expect(parseNetstatArgs(['tcp'], hosts)).toEqual({ ok: false, stdout: '', stderr: NETSTAT_USAGE, code: 1 });
  });

  it("ss: the same parser; a filter is not simulated; -h prints the usage", () => {
    expect(sopts(['-tulpn'])).toMatchObject({ tcp: true, udp: true, listening: true, processes: true, numeric: true });
    expect(sopts(['--tcp', '--resolve'])).toMatchObject({ tcp: true, resolve: true, udp: false });
    expect(parseSsArgs(['-y'], hosts)).toEqual({ ok: false, stdout: '', stderr: `ss: invalid option -- 'y'\n${SS_USAGE}`, code: 255 });
    expect(parseSsArgs(['--nope'], hosts)).toEqual({ ok: false, stdout: '', stderr: `ss: unrecognized option '--nope'\n${SS_USAGE}`, code: 255 });
    expect(parseSsArgs(['-D'], hosts)).toEqual({ ok: false, stdout: '', stderr: `ss: option requires an argument -- 'D'\n${SS_USAGE}`, code: 255 });
    expect(parseSsArgs(['-t', 'state', 'established'], hosts)).toEqual({ ok: false, stdout: '', stderr: 'ss: filters (state established) are not simulated here: use -t, -u, -l, -a, -n, -p and grep\n', code: 255 });
    expect(parseSsArgs(['-h'], hosts)).toEqual({ ok: false, stdout: SS_USAGE, stderr: '', code: 0 });
  });
});
