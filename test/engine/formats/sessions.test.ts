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
    { kind: 'runlevel', time: at('2015-03-08T13:16:34Z'), level: '2', release: '3.16.0-30-generic' },
    { kind: 'runlevel', time: at('2015-03-12T03:40:00Z'), level: '6', release: '3.16.0-30-generic' },
    { kind: 'shutdown', time: at('2015-03-12T03:40:02Z'), release: '3.16.0-30-generic' },
    { kind: 'boot', time: at('2015-03-12T03:41:00Z'), release: '3.16.0-31-generic' },
    { kind: 'runlevel', time: at('2015-03-12T03:41:06Z'), level: '2', release: '3.16.0-31-generic' },
    { kind: 'login', time: at('2015-03-12T03:42:05Z'), user: 'ops', line: 'pts/0', host: '10.4.20.31', pid: 1234, alive: true },
  ];
  const now = at('2015-03-12T04:00:00Z');
  const empty = at('2015-03-01T06:25:01Z');

  it('pairs the login with "still logged in" and each boot with the next shutdown, newest first', () => {
    expect(formatLast(records, now, empty, opts(parseLastArgs([])))).toBe(
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

  it('-x adds the shutdown record (ended by the next boot) and each runlevel change (ended by the next one)', () => {
    expect(formatLast(records, now, empty, opts(parseLastArgs(['-x'])))).toBe(
      [
        'ops      pts/0        10.4.20.31       Thu Mar 12 03:42   still logged in   ',
        'runlevel (to lvl 2)   3.16.0-31-generi Thu Mar 12 03:41 - 04:00  (00:18)    ',
        'reboot   system boot  3.16.0-31-generi Thu Mar 12 03:41 - 04:00  (00:19)    ',
        'shutdown system down  3.16.0-30-generi Thu Mar 12 03:40 - 03:41  (00:00)    ',
        'runlevel (to lvl 6)   3.16.0-30-generi Thu Mar 12 03:40 - 03:40  (00:00)    ',
        'runlevel (to lvl 2)   3.16.0-30-generi Sun Mar  8 13:16 - 03:40 (3+14:23)   ',
        'reboot   system boot  3.16.0-30-generi Sun Mar  8 13:16 - 03:40 (3+14:23)   ',
        '',
        'wtmp begins Sun Mar  8 13:16:28 2015',
        '',
      ].join('\n'),
    );
  });

  it('a session open at a clean shutdown ends "down"; at a boot with no shutdown before it, "crash"', () => {
    const down: WtmpRecord[] = [
      records[0]!,
      { kind: 'login', time: at('2015-03-12T03:25:10Z'), user: 'ops', line: 'pts/0', host: '10.4.20.31', pid: 99, alive: false },
      ...records.slice(2),
    ];
    expect(formatLast(down, now, empty, opts(parseLastArgs(['ops'])))).toBe(
      'ops      pts/0        10.4.20.31       Thu Mar 12 03:42   still logged in   \n' +
        'ops      pts/0        10.4.20.31       Thu Mar 12 03:25 - down   (00:14)    \n\nwtmp begins Sun Mar  8 13:16:28 2015\n',
    );
    const crashed: WtmpRecord[] = [
      { kind: 'boot', time: at('2015-03-08T13:16:28Z'), release: '3.16.0-30-generic' },
      { kind: 'login', time: at('2015-03-12T03:25:10Z'), user: 'ops', line: 'pts/0', host: '10.4.20.31', pid: 99, alive: false },
      { kind: 'boot', time: at('2015-03-12T03:41:00Z'), release: '3.16.0-30-generic' },
    ];
    expect(formatLast(crashed, now, empty, opts(parseLastArgs(['ops'])))).toBe('ops      pts/0        10.4.20.31       Thu Mar 12 03:25 - crash  (00:15)    \n\nwtmp begins Sun Mar  8 13:16:28 2015\n');
    // the crashed boot keeps the end of the one after it: nothing recorded its own end
    expect(formatLast(crashed, now, empty, opts(parseLastArgs(['reboot'])))).toBe(
      'reboot   system boot  3.16.0-30-generi Thu Mar 12 03:41 - 04:00  (00:19)    \n' +
        'reboot   system boot  3.16.0-30-generi Sun Mar  8 13:16 - 04:00 (3+14:43)   \n\nwtmp begins Sun Mar  8 13:16:28 2015\n',
    );
  });

  it('a logout record ends the login on its line; a login whose shell is gone with no record is "gone"', () => {
    const out: WtmpRecord[] = [
      records[4]!,
      { kind: 'login', time: at('2015-03-12T03:42:05Z'), user: 'ops', line: 'pts/0', host: '10.4.20.31', pid: 1234, alive: false },
      { kind: 'logout', time: at('2015-03-12T03:50:45Z'), line: 'pts/0' },
      { kind: 'login', time: at('2015-03-12T03:52:00Z'), user: 'ops', line: 'pts/0', host: '10.4.20.31', pid: 1300, alive: false },
    ];
    expect(formatLast(out, now, empty, opts(parseLastArgs(['-R', 'pts/0'])))).toBe(
      'ops      pts/0        Thu Mar 12 03:52    gone - no logout \n' + 'ops      pts/0        Thu Mar 12 03:42 - 03:50  (00:08)    \n\nwtmp begins Thu Mar 12 03:41:00 2015\n',
    );
  });

  it('-N and -n limit, -F prints whole times, -a puts the host last, -w keeps the whole host', () => {
    expect(formatLast(records, now, empty, opts(parseLastArgs(['-1', '-R'])))).toBe('ops      pts/0        Thu Mar 12 03:42   still logged in   \n\nwtmp begins Sun Mar  8 13:16:28 2015\n');
    expect(formatLast(records, now, empty, opts(parseLastArgs(['-n', '2', 'reboot'])))).toBe(
      'reboot   system boot  3.16.0-31-generi Thu Mar 12 03:41 - 04:00  (00:19)    \n' +
        'reboot   system boot  3.16.0-30-generi Sun Mar  8 13:16 - 03:40 (3+14:23)   \n\nwtmp begins Sun Mar  8 13:16:28 2015\n',
    );
    expect(formatLast(records, now, empty, opts(parseLastArgs(['-F', '-n1', 'reboot'])))).toBe(
      'reboot   system boot  3.16.0-31-generi Thu Mar 12 03:41:00 2015 - Thu Mar 12 04:00:00 2015  (00:19)    \n\nwtmp begins Sun Mar  8 13:16:28 2015\n',
    );
    expect(formatLast(records, now, empty, opts(parseLastArgs(['-a', '-1'])))).toBe('ops      pts/0        Thu Mar 12 03:42   still logged in    10.4.20.31\n\nwtmp begins Sun Mar  8 13:16:28 2015\n');
    expect(formatLast(records, now, empty, opts(parseLastArgs(['-w', '-n', '1', 'reboot'])))).toBe(
      'reboot   system boot  3.16.0-31-generic Thu Mar 12 03:41 - 04:00  (00:19)    \n\nwtmp begins Sun Mar  8 13:16:28 2015\n',
    );
  });

  it('-t shows wtmp as it stood then; an empty file begins at its ctime', () => {
    expect(formatLast(records, now, empty, opts(parseLastArgs(['-t', '20150310000000'])))).toBe(
      'reboot   system boot  3.16.0-30-generi Sun Mar  8 13:16 - 04:00 (3+14:43)   \n\nwtmp begins Sun Mar  8 13:16:28 2015\n',
    );
    expect(formatLast([], now, empty, opts(parseLastArgs([])))).toBe('\nwtmp begins Sun Mar  1 06:25:01 2015\n');
  });

  it("refuses what sysvinit's getopt refuses, with its usage line", () => {
    const usage = 'Usage: last [-num | -n num] [-f file] [-t YYYYMMDDHHMMSS] [-R] [-adioxFw] [username..] [tty..]\n';
    expect(parseLastArgs(['--help'])).toEqual({ ok: false, stdout: '', stderr: `last: invalid option -- '-'\n${usage}`, code: 1 });
    expect(parseLastArgs(['-z'])).toEqual({ ok: false, stdout: '', stderr: `last: invalid option -- 'z'\n${usage}`, code: 1 });
    expect(parseLastArgs(['-n'])).toEqual({ ok: false, stdout: '', stderr: `last: option requires an argument -- 'n'\n${usage}`, code: 1 });
    expect(parseLastArgs(['-t', '20150230000000'])).toEqual({ ok: false, stdout: '', stderr: `last: Invalid time value "20150230000000"\n${usage}`, code: 1 });
    // atoi: what is not a number is 0, which is no limit
    expect(opts(parseLastArgs(['-n', 'ten'])).max).toBe(0);
    expect(opts(parseLastArgs(['-12'])).max).toBe(12);
  });
});
