import { formatPmap, parsePmapArgs, type PmapProcess } from '../../formats/pmap';
import { formatPstree, parsePstreeArgs, type PstreeProc } from '../../formats/pstree';
import { formatPgrep, parsePgrepArgs, selectProcs } from '../../formats/pgrep';
import { errnoMessage } from '../../vfs/errno';
import * as sim from '../index';
import { defineCommand } from '../../shell/commands/define';
import type { CommandContext, CommandResult, CommandSpec } from '../../shell/types';
import { mappingsOf, mayReadMaps, VSYSCALL } from '../mappings';
import type { MachineContext } from './context';

/**
 * Spells that look into processes: their address spaces (pmap), finding and signalling them by
 * name (pgrep, pkill), their family tree (pstree), and how many CPUs they share (nproc).
 */

const res = (stdout: string, stderr = '', code = 0): CommandResult => ({ stdout, stderr, code });
const args = (ctx: CommandContext) => ctx.argv.slice(1);
const tupleOf = (r: { stdout: string; stderr: string; code: number }): [string, string, number] => [r.stdout, r.stderr, r.code];

/**
 * The tree pstree reads: each process with its threads. The simulation counts threads but does
 * not number them; they get the free pids right after their process's, as threads started at
 * once would.
 */
/** a retitled process (sshd: ops@pts/0) has its title where argv[0] was and nothing after it */
function argvOf(p: { kernelThread: boolean; args: string }): string[] | null {
  if (p.kernelThread || !p.args) return null;
  const words = p.args.split(' ');
  return words[0]!.endsWith(':') ? [p.args] : words;
}

function pstreeProcs(c: MachineContext): PstreeProc[] {
  const procs = sim.processes(c.world());
  const used = new Set(procs.map((p) => p.pid));
  return procs.map((p) => {
    const tids: number[] = [];
    for (let t = p.pid + 1; tids.length < p.threads - 1; t++) {
      if (used.has(t)) continue;
      used.add(t);
      tids.push(t);
    }
    return { pid: p.pid, ppid: p.ppid, uid: p.uid, comm: p.comm, argv: argvOf(p), tids };
  });
}

function pgrepRun(c: MachineContext, ctx: CommandContext, pkill: boolean): CommandResult {
  const p = parsePgrepArgs(args(ctx), pkill, (s) => sim.parseSignal(s) ?? -1, c.users());
  if (!p.ok) return res(p.stdout, p.stderr, p.code);
  const world = c.world();
  const sel = selectProcs(world.machine.up ? sim.processes(world) : [], p.options);
  if (!sel.ok) return res('', sel.stderr, sel.code);
  if (!pkill) return res(formatPgrep(sel.matches, p.options), '', sel.matches.length ? 0 : 1);
  let stdout = '';
  let stderr = '';
  for (const m of sel.matches) {
    const r = p.options.signal < 0 ? ({ ok: false, errno: 'EINVAL' } as const) : (c.notify({ kind: 'signal', pid: m.pid, sig: p.options.signal, user: ctx.user }), sim.kill(c.world(), m.pid, p.options.signal, ctx.user));
    if (r.ok) {
      if (p.options.echo) stdout += `${m.text} killed (pid ${m.pid})\n`;
    } else if (r.errno !== 'ESRCH') stderr += `pkill: killing pid ${m.pid} failed: ${errnoMessage(r.errno)}\n`;
  }
  if (p.options.count) stdout += `${sel.matches.length}\n`;
  return res(stdout, stderr, sel.matches.length ? 0 : 1);
}

export function procSpells(c: MachineContext): CommandSpec[] {
  const w = () => c.world();
  return [
    defineCommand({
      name: 'pmap',
      summary: "a process's memory map: each mapping, its size, and the total",
      category: 'memory',
      synopsis: ['pmap [-x | -d] [-q] [-p] PID...'],
      description: [
        'Lists the mappings of a process (its program, each shared library, the heap, anonymous regions, the stack) from /proc/PID/maps, and the total size, which is the VSZ ps shows plus the one vsyscall page every 64-bit process sees.',
        'With -x it reads /proc/PID/smaps and adds what is resident (RSS) and dirty in each mapping. You may only look at your own processes unless you use sudo; for anyone else pmap prints nothing and exits with status 1.',
      ],
      options: [
        ['-x, --extended', 'show RSS and dirty kB per mapping'],
        ['-d, --device', 'show the offset and device of each mapping'],
        ['-q, --quiet', 'no header or total line'],
        ['-p, --show-path', 'the full path of each file'],
      ],
      examples: [['sudo pmap -x $(pidof cron)', "where cron's memory is"]],
      argKind: 'pid',
      run: (ctx) => {
        const p = parsePmapArgs(args(ctx));
        if (!p.ok) return res(p.stdout, p.stderr, p.code);
        const world = w();
        const wanted = new Set(p.options.pids);
        const found: Array<PmapProcess | 'denied'> = [];
        if (world.machine.up) {
          for (const proc of world.k.procs) {
            if (proc.pid <= 0 || !wanted.has(proc.pid)) continue;
            wanted.delete(proc.pid);
            if (proc.mm && !mayReadMaps(ctx.user, proc.user)) found.push('denied');
            else {
              const vmas = mappingsOf(world, proc);
              found.push({ pid: proc.pid, args: proc.args, comm: proc.comm, vmas: proc.mm && !proc.kthread ? [...vmas, VSYSCALL] : [] });
            }
          }
        }
        const r = formatPmap(found, wanted.size, p.options);
        return res(r.stdout, '', r.code);
      },
    }),
    defineCommand({
      name: 'pgrep',
      summary: 'find processes by name (or by user, parent, terminal)',
      category: 'processes',
      synopsis: ['pgrep [-flan] [-u USER] [-P PPID] [-x] PATTERN'],
      description: [
        'Prints the pid of every process whose name matches PATTERN, an extended regular expression, one per line, in pid order. The name is the 15-character command name (comm); with -f the whole command line is matched instead.',
        'Exit status 0 when something matched, 1 when nothing did.',
      ],
      options: [
        ['-f, --full', 'match the full command line, not just the name'],
        ['-l, --list-name', 'print the name after each pid'],
        ['-a, --list-full', 'print the full command line after each pid'],
        ['-x, --exact', 'the whole name must match'],
        ['-n, --newest / -o, --oldest', 'only the most (least) recently started match'],
        ['-u, --euid USER', 'only processes of these users (names or uids, comma-separated)'],
        ['-P, --parent PPID', 'only children of these pids'],
        ['-c, --count', 'print how many matched'],
        ['-v, --inverse', 'those that do not match'],
      ],
      examples: [
        ['pgrep -l cron', 'every cron process, with its name'],
        ['pgrep -P 1 -l', 'what init started directly'],
      ],
      run: (ctx) => pgrepRun(c, ctx, false),
    }),
    defineCommand({
      name: 'pkill',
      summary: 'signal processes by name',
      category: 'processes',
      synopsis: ['pkill [-SIGNAL] [-f] [-u USER] [-P PPID] [-x] [-n|-o] PATTERN'],
      description: [
        'Sends a signal (TERM unless told otherwise) to every process pgrep would list for the same options. It goes through kill(2), exactly as kill does, with the same permission rule: your own processes only, unless you use sudo.',
        'Careful: a pattern matches more than you think. Try it with pgrep -l first.',
      ],
      options: [
        ['-SIGNAL, --signal SIGNAL', 'the signal, by name (HUP, KILL...) or number'],
        ['-e, --echo', 'say what was signalled'],
        ['-f, -x, -n, -o, -u, -P, -c', 'as for pgrep'],
      ],
      examples: [['pgrep -l rsyslogd && sudo pkill -HUP rsyslogd', 'ask rsyslogd to reopen its files']],
      run: (ctx) => pgrepRun(c, ctx, true),
    }),
    defineCommand({
      name: 'pstree',
      summary: 'the processes as a tree, from init down',
      category: 'processes',
      synopsis: ['pstree [-a] [-p] [-c] [-n] [-u] [-l] [-A] [PID | USER]'],
      description: [
        'Draws every process under its parent, starting from init (pid 1). Identical branches are folded: 3*[getty] means three getty processes with nothing under them, and {name} is a thread.',
        'Give a PID to draw only that part of the tree, or a USER for the trees of their processes.',
      ],
      options: [
        ['-p, --show-pids', 'show pids (and stop folding)'],
        ['-a, --arguments', 'show each command line'],
        ['-c, --compact', 'do not fold identical branches'],
        ['-n, --numeric-sort', 'order children by pid, not by name'],
        ['-u, --uid-changes', 'show where the user changes'],
        ['-l, --long', 'do not cut lines at 132 columns'],
        ['-A, --ascii', 'draw with ASCII characters'],
      ],
      examples: [['pstree -p $(pgrep -o cron)', "one daemon's family, with pids"]],
      argKind: 'pid',
      run: (ctx) => {
        const users = c.users();
        const p = parsePstreeArgs(args(ctx), users);
        if (!p.ok) return res(p.stdout, p.stderr, p.code);
        return res(...tupleOf(formatPstree(w().machine.up ? pstreeProcs(c) : [], users, p.options)));
      },
    }),
    defineCommand({
      name: 'nproc',
      summary: 'how many CPUs there are',
      category: 'processes',
      synopsis: ['nproc [--all] [--ignore=N]'],
      description: ['Prints the number of processing units available to the current process. A load average is read against this number: a load of 2 on 2 CPUs keeps them both busy.'],
      examples: [['uptime; nproc', 'a load average means little until you know how many CPUs share it']],
      options: [
        ['--all', 'every installed processor'],
        ['--ignore=N', 'N fewer, but never less than 1'],
      ],
      run: (ctx) => {
        let ignore = 0;
        const a = args(ctx);
        for (let i = 0; i < a.length; i++) {
          const x = a[i]!;
          if (x === '--all') continue;
          if (x === '--help') return res('Usage: nproc [OPTION]...\nPrint the number of processing units available to the current process,\nwhich may be less than the number of online processors\n\n      --all      print the number of installed processors\n      --ignore=N  if possible, exclude N processing units\n      --help     display this help and exit\n      --version  output version information and exit\n');
          if (x === '--version') return res('nproc (GNU coreutils) 8.21\n');
          const m = /^--ignore(?:=(.*))?$/.exec(x);
          if (m) {
            const v = m[1] ?? a[++i];
            if (v === undefined) return res('', "nproc: option '--ignore' requires an argument\nTry 'nproc --help' for more information.\n", 1);
            if (!/^\s*\+?\d+$/.test(v)) return res('', `nproc: invalid number: \u2018${v}\u2019\n`, 1);
            ignore = Number(v.trim());
            continue;
          }
          if (x.startsWith('-') && x !== '-') return res('', `nproc: ${x.startsWith('--') ? `unrecognized option '${x}'` : `invalid option -- '${x[1]}'`}\nTry 'nproc --help' for more information.\n`, 1);
          return res('', `nproc: extra operand \u2018${x}\u2019\nTry 'nproc --help' for more information.\n`, 1);
        }
        return res(`${Math.max(1, w().k.cpus - ignore)}\n`);
      },
    }),
  ];
}
