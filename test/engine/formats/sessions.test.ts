import { formatLast, formatW, formatWho, parseLastArgs, parseWArgs, parseWhoArgs, type LoginView, type WtmpRecord } from '../../../engine/formats/sessions';

const at = (iso: string): number => Date.parse(iso);
const login: LoginView = {
  user: 'ops',
  line: 'pts/0',
  host: '10.4.20.31',
  loginMs: at('2015-03-12T03:25:10Z'),
  pid: 28657,
  idleMs: 0,
  jcpuMs: 30,
  pcpuMs: 0,
  what: 'w',
};

function opts<T>(p: { ok: true; options: T } | { ok: false }): T {
  if (!p.ok) throw new Error('bad args');
  return p.options;
}

describe('who (coreutils 8.21, en_US.UTF-8)', () => {
  it('prints name, line, ISO time and the host, trailing blanks removed', () => {
    expect(formatWho([login], 0, opts(parseWhoArgs([])))).toBe('ops      pts/0        2015-03-12 03:25 (10.4.20.31)\n');
  });

  it('-H -u adds headings, idle and the pid; -b the boot; -q the names', () => {
    expect(formatWho([login], 0, opts(parseWhoArgs(['-H', '-u'])))).toBe(
      'NAME     LINE         TIME             IDLE          PID COMMENT\n' + 'ops      pts/0        2015-03-12 03:25   .         28657 (10.4.20.31)\n',
    );
    expect(formatWho([login], at('2015-03-08T13:16:28Z'), opts(parseWhoArgs(['-b'])))).toBe('         system boot  2015-03-08 13:16\n');
    expect(formatWho([login], 0, opts(parseWhoArgs(['-q'])))).toBe('ops\n# users=1\n');
    expect(formatWho([{ ...login, idleMs: 3_720_000 }], 0, opts(parseWhoArgs(['-u'])))).toBe('ops      pts/0        2015-03-12 03:25 01:02       28657 (10.4.20.31)\n');
  });
});

describe('w (procps-ng 3.3.9, FROM on as Debian builds it)', () => {
  const summary = { now: at('2015-03-12T03:26:31Z'), uptimeMs: (3 * 86_400 + 14 * 3600 + 10 * 60) * 1000, users: 1, loadavg: [0.52, 0.61, 0.58] as [number, number, number] };
  it('prints the uptime line, the headings and one row per login', () => {
    expect(formatW(summary, [login], opts(parseWArgs([])))).toBe(
      ' 03:26:31 up 3 days, 14:10,  1 user,  load average: 0.52, 0.61, 0.58\n' +
        'USER     TTY      FROM             LOGIN@   IDLE   JCPU   PCPU WHAT\n' +
        'ops      pts/0    10.4.20.31       03:25    0.00s  0.03s  0.00s w\n',
    );
  });

  it('-h -s drops the header and the LOGIN@/JCPU/PCPU columns; long intervals switch units', () => {
    expect(formatW(summary, [{ ...login, idleMs: 125_000 }], opts(parseWArgs(['-h', '-s'])))).toBe('ops      pts/0    10.4.20.31        2:05  w\n');
    expect(formatW(summary, [{ ...login, idleMs: 3 * 3_600_000 + 60_000, loginMs: at('2015-03-10T22:00:00Z') }], opts(parseWArgs(['-h'])))).toBe(
      'ops      pts/0    10.4.20.31       Tue22    3:01m  0.03s  0.00s w\n',
    );
  });
});

describe('last (sysvinit-utils 2.88)', () => {
  const records: WtmpRecord[] = [
    { kind: 'boot', time: at('2015-03-08T13:16:28Z'), release: '3.16.0-30-generic' },
    { kind: 'shutdown', time: at('2015-03-12T03:40:02Z') },
    { kind: 'boot', time: at('2015-03-12T03:41:00Z'), release: '3.16.0-31-generic' },
    { kind: 'login', time: at('2015-03-12T03:42:05Z'), user: 'ops', line: 'pts/0', host: '10.4.20.31', pid: 1234, alive: true },
  ];
  const now = at('2015-03-12T04:00:00Z');

  it('pairs the login with "still logged in" and each boot with the next shutdown, newest first', () => {
    expect(formatLast(records, now, opts(parseLastArgs([])))).toBe(
      [
        'ops      pts/0        10.4.20.31       Thu Mar 12 03:42   still logged in   ',
        'reboot   system boot  3.16.0-31-generi Thu Mar 12 03:41 - 04:00  (00:19)    ',
        'reboot   system boot  3.16.0-30-generi Sun Mar  8 13:16 - 03:40 (3+14:23)   ',
        '',
        'wtmp begins Sun Mar  8 13:16:28 2015',
        '',
      ].join('\n'),
    );
  });

  it('a boot after a crash leaves the sessions of the one before it ending in "crash"; names filter; -N limits', () => {
    const crashed: WtmpRecord[] = [
      { kind: 'boot', time: at('2015-03-08T13:16:28Z'), release: '3.16.0-30-generic' },
      { kind: 'login', time: at('2015-03-12T03:25:10Z'), user: 'ops', line: 'pts/0', host: '10.4.20.31', pid: 99, alive: false },
      { kind: 'boot', time: at('2015-03-12T03:41:00Z'), release: '3.16.0-30-generic' },
    ];
    expect(formatLast(crashed, now, opts(parseLastArgs(['ops'])))).toBe('ops      pts/0        10.4.20.31       Thu Mar 12 03:25 - crash  (00:15)    \n\nwtmp begins Sun Mar  8 13:16:28 2015\n');
    expect(formatLast(crashed, now, opts(parseLastArgs(['-1', '-R'])))).toBe('reboot   system boot  Thu Mar 12 03:41 - 04:00  (00:19)    \n\nwtmp begins Sun Mar  8 13:16:28 2015\n');
  });
});
