import { formatPidof, parsePidofArgs } from '../../../engine/formats/pidof';
import { proc } from './fixtures';

const procs = [
  proc({ pid: 2, comm: 'kthreadd', kernelThread: true }),
  proc({ pid: 1234, comm: 'nsd', args: '/usr/sbin/nsd -c /etc/nsd/nsd.conf' }),
  proc({ pid: 1240, comm: 'nsd', args: '/usr/sbin/nsd -c /etc/nsd/nsd.conf' }),
  proc({ pid: 1300, comm: 'nsd', state: 'Z' }),
  proc({ pid: 900, comm: 'backup.sh', args: '/bin/sh /usr/local/bin/backup.sh' }),
];

function run(argv: string[]) {
  const p = parsePidofArgs(argv);
  if (!p.ok) return p;
  return formatPidof(procs, p.options, { parentPid: 1240 });
}

describe('pidof', () => {
  it('prints matching pids highest first, space separated', () => {
    expect(run(['nsd'])).toEqual({ stdout: '1240 1234\n', stderr: '', code: 0 });
    expect(run(['/usr/sbin/nsd'])).toEqual({ stdout: '1240 1234\n', stderr: '', code: 0 });
    // kernel threads have no command line to match
    expect(run(['kthreadd']).code).toBe(1);
  });
  it('stops at one pid with -s and omits with -o', () => {
    expect(run(['-s', 'nsd']).stdout).toBe('1240\n');
    expect(run(['-o', '1240', 'nsd']).stdout).toBe('1234\n');
    expect(run(['-o', '%PPID', 'nsd']).stdout).toBe('1234\n');
  });
  it('finds scripts only with -x', () => {
    expect(run(['backup.sh']).code).toBe(1);
    expect(run(['-x', 'backup.sh']).stdout).toBe('900\n');
  });
  it('exits 1 silently when nothing matches', () => {
    expect(run(['named'])).toEqual({ stdout: '', stderr: '', code: 1 });
  });
  it('complains about unknown options', () => {
    const r = parsePidofArgs(['-q']);
    expect(!r.ok && r.stderr).toBe("pidof: invalid option -- 'q'\npidof: invalid options on command line!\n\n");
  });
});
