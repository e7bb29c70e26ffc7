import { formatPstree, parsePstreeArgs, type PstreeProc } from '../../../engine/formats/pstree';

const users = { root: 0, syslog: 101, ops: 1000 };
const proc = (pid: number, ppid: number, comm: string, args: string | null, uid = 0, tids: number[] = []): PstreeProc => ({ pid, ppid, uid, comm, argv: args === null ? null : args.split(' '), tids });

const table: PstreeProc[] = [
  proc(1, 0, 'init', '/sbin/init'),
  proc(2, 0, 'kthreadd', null),
  proc(448, 1, 'rsyslogd', 'rsyslogd', 101, [449, 450, 451]),
  proc(482, 1, 'getty', '/sbin/getty -8 38400 tty4'),
  proc(515, 1, 'getty', '/sbin/getty -8 38400 tty5'),
  proc(611, 1, 'sshd', '/usr/sbin/sshd -D'),
  proc(637, 1, 'cron', 'cron'),
  proc(900, 611, 'sshd', 'sshd: ops [priv]'),
  proc(901, 900, 'sshd', 'sshd: ops@pts/0', 1000),
  proc(902, 901, 'bash', '-bash', 1000),
];

function run(argv: string[]): string {
  const p = parsePstreeArgs(argv, users);
  if (!p.ok) throw new Error(p.stderr);
  return formatPstree(table, users, p.options).stdout;
}

describe('pstree (psmisc 22.20)', () => {
  it('draws from init, sorted by name, folding identical leaves and threads', () => {
    expect(run([])).toBe(
      [
        'init─┬─cron',
        '     ├─2*[getty]',
        '     ├─rsyslogd───3*[{rsyslogd}]',
        '     └─sshd───sshd───sshd───bash',
        '',
      ].join('\n'),
    );
  });

  it('-p shows pids and stops folding; -A draws in ASCII', () => {
    expect(run(['-p', '-A'])).toBe(
      [
        'init(1)-+-cron(637)',
        '        |-getty(482)',
        '        |-getty(515)',
        '        |-rsyslogd(448)-+-{rsyslogd}(449)',
        '        |               |-{rsyslogd}(450)',
        "        |               `-{rsyslogd}(451)",
        '        `-sshd(611)---sshd(900)---sshd(901)---bash(902)',
        '',
      ].join('\n'),
    );
  });

  it('-a puts each command line on its own line and still folds threads', () => {
    expect(run(['-a', '-A', '448'])).toBe('rsyslogd\n  `-3*[{rsyslogd}]\n');
    expect(run(['-a', '-A', '611'])).toBe(['sshd -D', '  `-sshd ops [priv]', '      `-sshd ops@pts/0', '          `-bash', ''].join('\n'));
  });

  it('-u marks a change of user; a USER argument draws their trees', () => {
    expect(run(['-u', '611'])).toBe('sshd───sshd───sshd(ops)───bash\n');
    expect(run(['ops'])).toBe('sshd───bash\n');
    expect(parsePstreeArgs(['nobody'], users)).toMatchObject({ ok: false, stderr: 'No such user name: nobody\n', code: 1 });
    expect(parsePstreeArgs(['-z'], users)).toMatchObject({ ok: false, code: 1 });
  });
});
