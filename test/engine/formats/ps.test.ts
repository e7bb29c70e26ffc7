import { formatPs, parsePsArgs, runPs, type PsContext } from '../../../engine/formats/ps';
import { BOOT, NOW, proc } from './fixtures';

const procs = [
  proc({ pid: 1, comm: 'init', args: '/sbin/init', vszKb: 33640, rssKb: 2920, cpuTimeMs: 1230 }),
  proc({ pid: 2, comm: 'kthreadd', kernelThread: true }),
  proc({ pid: 3, ppid: 2, comm: 'ksoftirqd/0', kernelThread: true, cpuTimeMs: 4560 }),
  proc({ pid: 880, ppid: 1, comm: 'sshd', args: '/usr/sbin/sshd -D', vszKb: 61364, rssKb: 3064 }),
  proc({
    pid: 1234, ppid: 1, uid: 108, user: 'nsd', comm: 'nsd', args: '/usr/sbin/nsd -c /etc/nsd/nsd.conf',
    vszKb: 493824, rssKb: 182112, startTime: NOW - 3600e3, cpuTimeMs: 61000,
  }),
  proc({ pid: 1240, ppid: 1234, uid: 108, user: 'nsd', comm: 'nsd', args: '/usr/sbin/nsd -c /etc/nsd/nsd.conf', vszKb: 493824, rssKb: 180000, startTime: NOW - 3500e3 }),
  proc({ pid: 2001, ppid: 880, comm: 'sshd', args: 'sshd: kiran [priv]', vszKb: 105628, rssKb: 4236, startTime: NOW - 600e3 }),
  proc({ pid: 2050, ppid: 2001, uid: 1000, user: 'kiran', comm: 'sshd', args: 'sshd: kiran@pts/0', vszKb: 105628, rssKb: 1900, startTime: NOW - 600e3 }),
  proc({ pid: 2051, ppid: 2050, uid: 1000, user: 'kiran', comm: 'bash', args: '-bash', tty: 'pts/0', vszKb: 21380, rssKb: 5100, startTime: NOW - 599e3 }),
  proc({ pid: 2100, ppid: 2051, uid: 1000, user: 'kiran', comm: 'ps', args: 'ps aux', tty: 'pts/0', vszKb: 17168, rssKb: 1264, state: 'R', startTime: NOW }),
];

const ctx: PsContext = {
  now: NOW,
  bootTime: BOOT,
  memTotalKb: 2048036,
  callerTty: 'pts/0',
  callerUser: 'kiran',
  callerUid: 1000,
  users: { root: 0, nsd: 108, kiran: 1000, messagebus: 102 },
};

const ps = (args: string[], list = procs, c: PsContext = ctx) => runPs(args, list, c);
const lines = (args: string[], list = procs, c: PsContext = ctx) => ps(args, list, c).stdout.split('\n').filter((l) => l !== '');

describe('ps selection and default format', () => {
  it('shows the caller\'s processes on its terminal as PID TTY TIME CMD', () => {
    expect(ps([]).stdout).toBe(
      '  PID TTY          TIME CMD\n' +
        ' 2051 pts/0    00:00:00 bash\n' +
        ' 2100 pts/0    00:00:00 ps\n',
    );
  });
  it('selects with -e, -C, -p, --ppid and -u', () => {
    expect(lines(['-e'])).toHaveLength(procs.length + 1);
    expect(lines(['-C', 'nsd']).slice(1).map((l) => l.trim().split(/\s+/)[0])).toEqual(['1234', '1240']);
    expect(lines(['-p', '880,2051']).slice(1).map((l) => l.trim().split(/\s+/)[0])).toEqual(['880', '2051']);
    expect(lines(['--ppid', '1']).slice(1).map((l) => l.trim().split(/\s+/)[0])).toEqual(['880', '1234']);
    expect(lines(['-u', 'nsd']).slice(1).map((l) => l.trim().split(/\s+/)[0])).toEqual(['1234', '1240']);
  });
  it('prints only the header and exits 1 when nothing matches', () => {
    expect(ps(['-p', '99999'])).toEqual({ stdout: '  PID TTY          TIME CMD\n', stderr: '', code: 1 });
  });
});

describe('ps aux', () => {
  const out = lines(['aux']);
  it('has the BSD user-oriented header', () => {
    expect(out[0]).toBe('USER       PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND');
  });
  it('lays out a daemon line, kernel threads in brackets', () => {
    expect(out[1]).toBe('root         1  0.0  0.1  33640  2920 ?        Ss   Mar11   0:01 /sbin/init');
    expect(out[2]).toBe('root         2  0.0  0.0      0     0 ?        S    Mar11   0:00 [kthreadd]');
  });
  it('lets a 6-digit RSS push TTY right and absorbs the shift in the next padding', () => {
    // %CPU = (61 s CPU * 1000 / 3600 s alive) per mille = 16 -> 1.6; %MEM = 182112*1000/2048036 = 88 -> 8.8
    expect(out[5]).toBe('nsd       1234  1.6  8.8 493824 182112 ?       Ss   02:12   1:01 /usr/sbin/nsd -c /etc/nsd/nsd.conf');
  });
  it('marks session leaders with s and the foreground job with +', () => {
    expect(out[9]).toBe('kiran     2051  0.0  0.2  21380  5100 pts/0    Ss   03:02   0:00 -bash');
    expect(out[10]).toBe('kiran     2100  0.0  0.0  17168  1264 pts/0    R+   03:12   0:00 ps aux');
  });
  it('accepts the -aux spelling by reparsing as BSD', () => {
    expect(ps(['-aux']).stdout).toBe(ps(['aux']).stdout);
  });
  it('truncates the command to the terminal width on a tty', () => {
    const narrow = lines(['aux'], procs, { ...ctx, columns: 80 });
    expect(narrow[5]).toBe('nsd       1234  1.6  8.8 493824 182112 ?       Ss   02:12   1:01 /usr/sbin/nsd -');
    expect(narrow[5]).toHaveLength(80);
  });
});

describe('ps -ef, -eF, -el', () => {
  it('prints the full format with STIME and the full command line', () => {
    const out = lines(['-ef']);
    expect(out[0]).toBe('UID        PID  PPID  C STIME TTY          TIME CMD');
    expect(out[2]).toBe('root         2     0  0 Mar11 ?        00:00:00 [kthreadd]');
    expect(out[5]).toBe('nsd       1234     1  1 02:12 ?        00:01:01 /usr/sbin/nsd -c /etc/nsd/nsd.conf');
  });
  it('adds SZ RSS PSR with -F', () => {
    expect(lines(['-eF'])[0]).toBe('UID        PID  PPID  C    SZ   RSS PSR STIME TTY          TIME CMD');
    expect(lines(['-eF'])[1]).toBe('root         1     0  0  8410  2920   0 Mar11 ?        00:00:01 /sbin/init');
  });
  it('squeezes ADDR into its one-column field with -l', () => {
    expect(lines(['-el'])[0]).toBe('F S   UID   PID  PPID  C PRI  NI ADDR SZ WCHAN  TTY          TIME CMD');
    expect(lines(['-el'])[1]).toBe('4 S     0     1     0  0  80   0 -  8410 poll_s ?        00:00:01 init');
  });
});

describe('ps trees, sorting and user formats', () => {
  it('draws forests with kthreadd first and init\'s children flush left', () => {
    expect(lines(['axf'])).toEqual([
      '  PID TTY      STAT   TIME COMMAND',
      '    2 ?        S      0:00 [kthreadd]',
      '    3 ?        S      0:04  \\_ [ksoftirqd/0]',
      '    1 ?        Ss     0:01 /sbin/init',
      '  880 ?        Ss     0:00 /usr/sbin/sshd -D',
      ' 2001 ?        S      0:00  \\_ sshd: kiran [priv]',
      ' 2050 ?        S      0:00      \\_ sshd: kiran@pts/0',
      ' 2051 pts/0    Ss     0:00          \\_ -bash',
      ' 2100 pts/0    R+     0:00              \\_ ps aux',
      ' 1234 ?        Ss     1:01 /usr/sbin/nsd -c /etc/nsd/nsd.conf',
      ' 1240 ?        S      0:00  \\_ /usr/sbin/nsd -c /etc/nsd/nsd.conf',
    ]);
  });
  it('sorts with --sort, "-" reversing', () => {
    const out = lines(['-eo', 'pid,rss,comm', '--sort=-rss']);
    expect(out[0]).toBe('  PID   RSS COMMAND');
    expect(out[1]).toBe(' 1234 182112 nsd');
    expect(out.slice(1).map((l) => l.trim().split(/\s+/)[0])).toEqual(['1234', '1240', '2051', '2001', '880', '1', '2050', '2100', '2', '3']);
  });
  it('renames and blanks headers; all-blank headers print no header line', () => {
    expect(ps(['-p', '1234', '-o', 'pid,comm=NAME']).stdout).toBe('  PID NAME\n 1234 nsd\n');
    expect(ps(['-p', '1234', '-o', 'pid=,etime=']).stdout).toBe(' 1234    01:00:00\n');
    expect(ps(['-p', '1234', '-o', 'user:12,pid']).stdout).toBe('USER           PID\nnsd           1234\n');
  });
  it('falls back to the uid when a user name is wider than the column', () => {
    const list = [proc({ pid: 700, uid: 102, user: 'messagebus', comm: 'dbus-daemon', args: 'dbus-daemon --system' })];
    expect(lines(['-eo', 'user,pid'], list)[1]).toBe('102        700');
  });
  it('shows zombies as <defunct> and nice/threads in STAT', () => {
    const list = [
      proc({ pid: 10, ppid: 1, comm: 'nsd', state: 'Z' }),
      proc({ pid: 11, ppid: 1, comm: 'hi', args: 'hi', nice: -5 }),
      proc({ pid: 12, ppid: 1, comm: 'lo', args: 'lo', nice: 10, threads: 4 }),
    ];
    const out = lines(['-eo', 'pid,stat,args'], list);
    expect(out.slice(1)).toEqual(['   10 Zs   [nsd] <defunct>', '   11 S<s  hi', '   12 SNsl lo']);
    expect(lines(['-eo', 'pid,comm'], list)[1]).toBe('   10 nsd <defunct>');
  });
});

describe('ps errors', () => {
  it('rejects unknown options and format specifiers with procps\'s text', () => {
    const usage =
      '\nUsage:\n ps [options]\n\n' +
      " Try 'ps --help <simple|list|output|threads|misc|all>'\n" +
      "  or 'ps --help <s|l|o|t|m|a>'\n" +
      ' for additional help text.\n\nFor more details see ps(1).\n';
    expect(ps(['-z'])).toEqual({ stdout: '', stderr: `error: unsupported SysV option\n${usage}`, code: 1 });
    expect(ps(['-o', 'oom_score_adj']).stderr).toBe(`error: unknown user-defined format specifier "oom_score_adj"\n${usage}`);
    expect(ps(['-u', 'nobody_here']).stderr).toBe(`error: user name does not exist\n${usage}`);
    expect(ps(['--bogus']).stderr).toBe(`error: unknown gnu long option\n${usage}`);
  });
  it('prints its version, which must be the only option', () => {
    // 3.3.9's ps prints display_version() of proc/version.c
    expect(ps(['--version']).stdout).toBe('procps-ng version 3.3.9\n');
    expect(ps(['-V', '-e']).stderr.startsWith('error: the option is exclusive: -V\n')).toBe(true);
  });
  it('prints 3.3.9\'s --help list section, without 3.3.10\'s quick-pid', () => {
    expect(ps(['--help', 'list']).stdout).toBe(
      '\nUsage:\n ps [options]\n\nSelection by list:\n' +
        ' -C <command>         command name\n' +
        ' -G, --Group <gid>    real group id or name\n' +
        ' -g, --group <group>  session or effective group name\n' +
        ' -p, --pid <pid>      process id\n' +
        '     --ppid <pid>     select by parent process id\n' +
        ' -s, --sid <session>  session id\n' +
        ' -t, t, --tty <tty>   terminal\n' +
        ' -u, U, --user <uid>  effective user id or name\n' +
        ' -U, --User <uid>     real user id or name\n' +
        '\n' +
        '  selection <arguments> take either:\n' +
        "    comma-separated list e.g. '-u root,nobody' or\n" +
        "    blank-separated list e.g. '-p 123 4567'\n" +
        '\nFor more details see ps(1).\n',
    );
    expect(ps(['--help', 't']).stdout).toContain('  H                   as if they where processes\n');
  });
  it('parses to options that can be reused', () => {
    const p = parsePsArgs(['-eo', 'pid', '--no-headers']);
    expect(p.ok).toBe(true);
    if (p.ok) expect(formatPs(procs.slice(0, 2), ctx, p.options).stdout).toBe('    1\n    2\n');
  });
});
