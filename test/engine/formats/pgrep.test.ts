import { formatPgrep, parsePgrepArgs, selectProcs, type PgrepOptions } from '../../../engine/formats/pgrep';
import type { ProcessView } from '../../../engine/formats/types';

const proc = (pid: number, ppid: number, user: string, uid: number, comm: string, args: string, startTime: number, extra: Partial<ProcessView> = {}): ProcessView => ({
  pid,
  ppid,
  uid,
  user,
  comm,
  args,
  state: 'S',
  startTime,
  cpuTimeMs: 0,
  vszKb: 1000,
  rssKb: 100,
  anonRssKb: 50,
  tty: '?',
  nice: 0,
  threads: 1,
  oomScoreAdj: 0,
  oomScore: 0,
  nrPtes: 1,
  swapEntries: 0,
  kernelThread: false,
  ...extra,
});

// listed out of pid order: pgrep walks /proc, which is in pid order
const table: ProcessView[] = [
  proc(1, 0, 'root', 0, 'init', '/sbin/init', 0),
  proc(2, 0, 'root', 0, 'kthreadd', '', 0, { kernelThread: true }),
  proc(900, 1, 'root', 0, 'cron', 'cron', 100),
  proc(450, 1, 'syslog', 101, 'rsyslogd', 'rsyslogd', 50),
  proc(901, 900, 'root', 0, 'cron', 'CRON', 500),
  proc(902, 901, 'ops', 1000, 'sh', '/bin/sh -c /home/ops/report.sh', 500),
  proc(777, 1, 'root', 0, 'crond-helper', '/usr/local/bin/crond-helper --cron', 100),
];

const users = { root: 0, syslog: 101, ops: 1000 };
const sig = (s: string): number => ({ HUP: 1, KILL: 9, TERM: 15, '9': 9, '1': 1 })[s.toUpperCase().replace(/^SIG/, '')] ?? -1;

function run(argv: string[], pkill = false): { out: string; code: number; o: PgrepOptions } {
  const p = parsePgrepArgs(argv, pkill, sig, users);
  if (!p.ok) throw new Error(p.stderr);
  const s = selectProcs(table, p.options);
  if (!s.ok) throw new Error(s.stderr);
  return { out: formatPgrep(s.matches, p.options), code: s.matches.length ? 0 : 1, o: p.options };
}

describe('pgrep (procps-ng 3.3.9)', () => {
  it('matches the pattern anywhere in the name, in pid order', () => {
    expect(run(['cron']).out).toBe('777\n900\n901\n');
    expect(run(['-x', 'cron']).out).toBe('900\n901\n');
    expect(run(['-l', '^cr']).out).toBe('777 crond-helper\n900 cron\n901 cron\n');
  });

  it('-f matches and -a prints the command line; a kernel thread falls back to its name', () => {
    expect(run(['-f', 'report']).out).toBe('902\n');
    expect(run(['-a', 'kthr|sh']).out).toBe('2 kthreadd\n902 /bin/sh -c /home/ops/report.sh\n');
  });

  it('-n and -o keep one process, ties going to the higher (lower) pid', () => {
    expect(run(['-n', 'cron']).out).toBe('901\n');
    expect(run(['-o', '-x', 'cron']).out).toBe('900\n');
    expect(run(['-o', 'cron|crond']).out).toBe('777\n');
  });

  it('-u by name or uid, -P by parent, -c counts, -d joins, -v inverts', () => {
    expect(run(['-u', 'ops']).out).toBe('902\n');
    expect(run(['-u', '101,1000']).out).toBe('450\n902\n');
    expect(run(['-P', '1', '-d', ',']).out).toBe('450,777,900\n');
    expect(run(['-c', 'cron']).out).toBe('3\n');
    expect(run(['-v', '-u', 'root']).out).toBe('450\n902\n');
    expect(run(['nothing-here'])).toMatchObject({ out: '', code: 1 });
  });

  it("says what went wrong in pgrep's own words", () => {
    expect(parsePgrepArgs([], false, sig, users)).toMatchObject({ ok: false, stderr: "pgrep: no matching criteria specified\nTry `pgrep --help' for more information.\n", code: 1 });
    expect(parsePgrepArgs(['a', 'b'], false, sig, users)).toMatchObject({ ok: false, stderr: "pgrep: only one pattern can be provided\nTry `pgrep --help' for more information.\n", code: 1 });
    expect(parsePgrepArgs(['-u', 'nobody', 'x'], false, sig, users)).toMatchObject({ ok: false, stderr: 'pgrep: invalid user name: nobody\n', code: 2 });
    expect(parsePgrepArgs(['-P', 'abc'], false, sig, users)).toMatchObject({ ok: false, stderr: 'pgrep: not a number: abc\n', code: 2 });
    // 3.3.9 prints its usage to stdout and exits 0 after an unknown option
    const bad = parsePgrepArgs(['-z', 'x'], false, sig, users);
    expect(bad).toMatchObject({ ok: false, stderr: "pgrep: invalid option -- 'z'\n", code: 0 });
    expect(bad.ok === false && bad.stdout.startsWith('\nUsage:\n pgrep [options] <pattern>\n')).toBe(true);
  });
});

describe('pkill (procps-ng 3.3.9)', () => {
  it('takes the first -SIGNAL out of its arguments, by name or number', () => {
    expect(run(['-HUP', 'rsyslogd'], true).o.signal).toBe(1);
    expect(run(['-f', '-9', 'report'], true).o.signal).toBe(9);
    expect(run(['--signal', 'KILL', 'cron'], true).o.signal).toBe(9);
    expect(run(['cron'], true).o.signal).toBe(15);
  });
});
