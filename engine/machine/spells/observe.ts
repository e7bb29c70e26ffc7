import { runPs, type PsContext } from '../../formats/ps';
import type { ProcessExtra } from '../../formats/procTree';
import type { MachineWorld } from '../world';
import { formatFree, parseFreeArgs } from '../../formats/free';
import { formatSlabtop, parseSlabtopArgs, SLABTOP_PERMISSION_DENIED } from '../../formats/slabtop';
import { formatTop, parseTopArgs } from '../../formats/top';
import { formatUptime, parseUptimeArgs } from '../../formats/uptime';
import { formatPidof, parsePidofArgs } from '../../formats/pidof';
import { formatDate, parseDateArgs } from '../../formats/date';
import { formatUname, parseUnameArgs } from '../../formats/uname';
import { formatDf, parseDfArgs, type DfRow } from '../../formats/df';
import { quoteUtf8 } from '../../formats/args';
import { normalizePath } from '../../vfs/path';
import { STORE_QUOTA } from '../../vfs/space';
import { formatDmesg, parseDmesgArgs } from '../../formats/dmesg';
import { oomReportRecords } from '../../formats/oomReport';
import type { CpuTicks, KernelLogRecord, ProcessView } from '../../formats/types';
import { endlessRepeat, runRepeat } from './repeat';
import { procStatAt } from '../load';
import {
  formatVmstatFirst, formatVmstatForks, formatVmstatHeader, formatVmstatNext, formatVmstatSlabLine, formatVmstatStats,
  parseVmstatArgs, VMSTAT_NO_SLABINFO, VMSTAT_SLAB_HEADER, type VmstatSample,
} from '../../formats/vmstat';
import { vmPicture } from '../vmstatView';
import { clearKmsg } from '../../kernel/logs';
import { defineCommand } from '../../shell/commands/define';
import type { CommandContext, CommandResult, CommandSpec } from '../../shell/types';
import * as sim from '../index';
import type { MachineContext } from './context';
import { resolveBlockPath } from '../blockfs';
import { mountOfIn } from '../disk';

/**
 * Spells that look at the machine: every one reads a view of the simulation and hands it to the
 * formatter that prints it the way the real tool does.
 */

const args = (ctx: CommandContext) => ctx.argv.slice(1);
const res = (stdout: string, stderr = '', code = 0): CommandResult => ({ stdout, stderr, code });

/** ps and top list themselves, as the real ones do: a short-lived process on the player's tty. */
function withSelf(c: MachineContext, ctx: CommandContext): ProcessView[] {
  const w = c.world();
  const procs = sim.processes(w);
  const shell = sim.sessionShell(w);
  const self: ProcessView = {
    pid: w.k.lastPid + 1,
    ppid: shell || 1,
    uid: ctx.user === 'root' ? 0 : 1000,
    user: ctx.user,
    comm: ctx.argv[0]!.slice(0, 15),
    args: ctx.argv.join(' '),
    state: 'R',
    startTime: w.now,
    cpuTimeMs: 0,
    vszKb: ctx.argv[0] === 'top' ? 24_960 : 17_168,
    rssKb: ctx.argv[0] === 'top' ? 1_612 : 1_204,
    anonRssKb: 400,
    tty: 'pts/0',
    nice: 0,
    threads: 1,
    oomScoreAdj: 0,
    oomScore: 0,
    nrPtes: 12,
    swapEntries: 0,
    kernelThread: false,
  };
  return [...procs, self];
}

/** sessions the scenario knows better than ps's inference (a daemon whose leader has gone) */
function sessionExtras(w: MachineWorld): Record<number, ProcessExtra> {
  const of = sim.scenarioOf(w).sessionOf;
  const out: Record<number, ProcessExtra> = {};
  if (!of) return out;
  for (const p of w.k.procs) {
    const sid = of(w, p);
    if (sid !== undefined && sid > 0) out[p.pid] = { sid, pgid: sid };
  }
  return out;
}

function psContext(c: MachineContext, ctx: CommandContext): PsContext {
  const w = c.world();
  return {
    extras: sessionExtras(w),
    now: w.now,
    bootTime: w.k.bootTime,
    memTotalKb: w.k.mem.totalKb,
    callerTty: 'pts/0',
    callerUid: ctx.user === 'root' ? 0 : 1000,
    callerUser: ctx.user,
    users: c.users(),
  };
}

/** The ring buffer as records: an OOM report expands into the lines the kernel printed. */
function kernelRecords(c: MachineContext): KernelLogRecord[] {
  const w = c.world();
  const out: KernelLogRecord[] = [];
  for (const e of sim.kernelLog(w)) {
    if (e.kind === 'line') out.push(e.record);
    else {
      out.push(...oomReportRecords(e.report, e.sinceBootMs, { cpus: w.k.cpus }));
      if (e.kind === 'panic') out.push({ sinceBootMs: e.sinceBootMs, level: 0, text: e.message });
    }
  }
  return out;
}

/** df of a path in a filesystem with no blocks: proc and sysfs show zeros and no percentage */
function dummyFilesystem(path: string): DfRow | null {
  const zero = { totalKb: 0, usedKb: 0, availKb: 0, inodes: { total: 0, used: 0, free: 0 } };
  if (path === '/proc' || path.startsWith('/proc/')) return { source: 'proc', type: 'proc', target: '/proc', ...zero };
  if ((path === '/sys' || path.startsWith('/sys/')) && !path.startsWith('/sys/fs/cgroup')) return { source: 'sysfs', type: 'sysfs', target: '/sys', ...zero };
  return null;
}

export function observeSpells(c: MachineContext): CommandSpec[] {
  return [
    defineCommand({
      name: 'free',
      summary: 'how much memory is used, free, and held as cache',
      category: 'memory',
      synopsis: ['free [-b|-k|-m|-g|-h] [-o] [-t] [-s SECONDS] [-c COUNT]'],
      description: [
        'Reads /proc/meminfo and prints totals for memory and swap, as procps 3.3.9 does. On the Mem line "used" is everything that is not free, caches included; the "-/+ buffers/cache" line takes buffers and the page cache away from used and adds them to free. Memory the kernel keeps for itself (its slab caches) stays in used on both lines: it belongs to no process.',
        'With -s or -c it prints again and again, a blank line between two prints, and the clock moves on by the interval (one second unless -s says otherwise) between them. -s without -c would never stop: here it needs a count.',
      ],
      options: [
        ['-k, -m, -g, -b', 'show sizes in KiB (the default), MiB, GiB or bytes'],
        ['-h', 'human-readable sizes'],
        ['-o', 'the old format, without the -/+ buffers/cache line'],
        ['-t', 'add a Total line'],
        ['-s N -c COUNT', 'print COUNT times, N seconds apart'],
      ],
      examples: [
        ['free -m', 'the usual look, in MiB'],
        ['free -m -s 60 -c 5', 'five looks a minute apart'],
      ],
      run: (ctx) => {
        const p = parseFreeArgs(args(ctx));
        if (!p.ok) return res(p.stdout, p.stderr, p.code);
        const o = p.options;
        const frame = () => formatFree(sim.meminfo(c.world()), o);
        if (!o.repeat) return res(frame());
        if (o.count === undefined) return endlessRepeat('free', '-c COUNT');
        return runRepeat(c, ctx, { tool: 'free', count: o.count, intervalMs: o.intervalSeconds * 1000, frame, between: '\n' });
      },
    }),
    defineCommand({
      name: 'ps',
      summary: 'list processes',
      category: 'processes',
      synopsis: ['ps [options]'],
      description: [
        'Shows a snapshot of the process table. With no options, only the processes on your terminal. RSS is the memory a process has resident, in KiB; VSZ its whole address space.',
        'Both the BSD style (ps aux) and the UNIX style (ps -ef, ps -eo pid,ppid,rss,comm) work, as do --sort, -p, -C, --ppid, -u and f/--forest.',
      ],
      examples: [
        ['ps aux --sort=-rss | head', 'the processes holding the most memory'],
        ['ps -ef --forest', 'who is whose parent'],
        ['ps -o pid,ppid,lstart,cmd -C cron', 'every cron process and when it started'],
      ],
      argKind: 'pid',
      run: (ctx) => res(...tuple(runPs(args(ctx), withSelf(c, ctx), psContext(c, ctx)))),
    }),
    defineCommand({
      name: 'top',
      summary: 'load, memory and the busiest processes (one screen)',
      category: 'processes',
      synopsis: ['top -b [-n COUNT] [-d SECONDS] [-o FIELD] [-p PID]'],
      description: [
        'Prints the load average, task counts, CPU use, memory and swap, then the processes sorted by CPU (or by the field given with -o, such as %MEM or RES), as procps 3.3.9 does in batch mode.',
        'The first screen\'s %Cpu(s) line covers everything since boot, as a real top\'s first screen does; each later screen (-n 2 or more) covers the delay before it (-d, 3 seconds by default), and the clock moves on by that delay. The grimoire has no live screen: without -n, top prints one screen.',
      ],
      examples: [
        ['top -b -n 1 -o %MEM | head -n 15', 'the biggest memory users'],
        ['top -b -n 2 -d 5 | grep Cpu', 'what the CPUs did over five seconds'],
      ],
      run: (ctx) => {
        const p = parseTopArgs(args(ctx));
        if (!p.ok) return res(p.stdout, p.stderr, p.code);
        const o = p.options;
        let prevCpu: CpuTicks | undefined;
        let prevTimes: Map<number, number> | undefined;
        const delaySeconds = o.delaySeconds ?? 3;
        const frame = () => {
          const s = sim.systemSummary(c.world());
          const procs = withSelf(c, ctx);
          const cpuPercent: Record<number, number> = {};
          if (prevTimes) {
            for (const q of procs) cpuPercent[q.pid] = delaySeconds > 0 ? (Math.max(0, q.cpuTimeMs - (prevTimes.get(q.pid) ?? 0)) * 100) / (delaySeconds * 1000) : 0;
          }
          const out = formatTop(s, procs, o, { prevCpu, ...(prevTimes ? { cpuPercent } : {}) });
          prevCpu = s.cpu;
          prevTimes = new Map(procs.map((q) => [q.pid, q.cpuTimeMs]));
          return out;
        };
        return runRepeat(c, ctx, { tool: 'top', count: o.iterations ?? 1, intervalMs: delaySeconds * 1000, frame, between: '\n' });
      },
    }),
    defineCommand({
      name: 'vmstat',
      summary: 'processes, memory, paging and CPU, line by line over time',
      category: 'memory',
      synopsis: ['vmstat [-a] [-w] [-n] [-S k|K|m|M] [DELAY [COUNT]]', 'vmstat -s', 'vmstat -f', 'sudo vmstat -m'],
      description: [
        'Prints one line of numbers as procps 3.3.9 does: r (tasks running, vmstat itself left out) and b (tasks blocked), swap used, free memory, buffers and cache (inactive and active with -a), pages swapped in and out per second (si, so), blocks read and written (bi, bo), interrupts and context switches per second (in, cs), and how the CPUs spent their time: us (user), sy (system: the kernel working for processes), id (idle), wa (waiting for I/O), st (stolen).',
        'The first line averages everything since boot. With DELAY, each later line covers the DELAY seconds before it, and the clock moves on by DELAY between lines; COUNT says how many lines (here a DELAY needs a COUNT). This box\'s disks are not simulated, so bi, bo, si and so stay at 0, and the only interrupts counted are the scheduler ticks of busy CPUs.',
      ],
      options: [
        ['-a', 'inactive and active memory instead of buffers and cache'],
        ['-s', 'the counters since boot, one per line'],
        ['-f', 'forks since boot'],
        ['-m', 'the slab caches (needs root)'],
        ['-S M', 'memory in MiB (k, K, m or M)'],
        ['-w', 'wide columns'],
      ],
      examples: [['vmstat 5 6', 'half a minute, five seconds a line']],
      run: (ctx) => {
        const p = parseVmstatArgs(args(ctx));
        if (!p.ok) return res(p.stdout, p.stderr, p.code);
        const o = p.options;
        const sample = (): VmstatSample => {
          const w = c.world();
          // the same reading /proc/meminfo and /proc/vmstat give at this instant
          const pic = vmPicture(w);
          const v = pic.counters;
          return { stat: procStatAt(w, w.now, 1), mem: pic.meminfo, pgpgin: v.pgpgin!, pgpgout: v.pgpgout!, pswpin: v.pswpin!, pswpout: v.pswpout! };
        };
        if (o.mode === 'forks') return res(formatVmstatForks(sample()));
        if (o.mode === 'stats') return res(formatVmstatStats(o, sample()));
        if (o.mode === 'disk') return res('', 'vmstat: the disks of this box are not simulated: it has no disk statistics to show\n', 1);
        const count = o.delaySeconds === undefined ? 1 : o.count === undefined ? -1 : Math.max(1, o.count);
        if (count < 0) return endlessRepeat('vmstat', 'a COUNT after the DELAY');
        // winhi() - 3 of a 24-line terminal: the header comes again every 21 lines
        const height = 21;
        if (o.mode === 'slabs') {
          if (ctx.user !== 'root') return res('', VMSTAT_NO_SLABINFO, 0);
          let k = 0;
          return runRepeat(c, ctx, {
            tool: 'vmstat', count, intervalMs: (o.delaySeconds ?? 1) * 1000, between: '',
            frame: () => {
              let out = o.oneHeader && k === 0 ? VMSTAT_SLAB_HEADER : '';
              for (const cache of sim.slabCaches(c.world())) {
                if (!o.oneHeader && k % height === 0) out += VMSTAT_SLAB_HEADER;
                out += formatVmstatSlabLine(cache);
                k++;
              }
              return out;
            },
          });
        }
        let prev: VmstatSample | null = null;
        return runRepeat(c, ctx, {
          tool: 'vmstat', count, intervalMs: (o.delaySeconds ?? 1) * 1000, between: '',
          frame: (i) => {
            const s = sample();
            let out = i === 0 || (!o.oneHeader && i % height === 0) ? formatVmstatHeader(o) : '';
            out += prev ? formatVmstatNext(o, prev, s, o.delaySeconds ?? 1) : formatVmstatFirst(o, s);
            prev = s;
            return out;
          },
        });
      },
    }),
    defineCommand({
      name: 'uptime',
      summary: 'how long since boot, and the load average',
      category: 'processes',
      synopsis: ['uptime [-p] [-s]'],
      description: ['One line: the time, how long the machine has been up, how many users are logged in, and the load average over 1, 5 and 15 minutes.'],
      run: (ctx) => {
        const p = parseUptimeArgs(args(ctx));
        if (!p.ok) return res(p.stdout, p.stderr, p.code);
        return res(formatUptime(sim.systemSummary(c.world()), p.options));
      },
    }),
    defineCommand({
      name: 'pidof',
      summary: 'the PIDs of processes running a program',
      category: 'processes',
      synopsis: ['pidof [-s] [-o PID] NAME...'],
      description: ['Prints the process IDs of every process running NAME, newest first, on one line. Exit status 1 when there is none.'],
      examples: [['pidof rsyslogd', 'the pids of a program (run it twice, a few seconds apart, to see whether they change)']],
      run: (ctx) => {
        const p = parsePidofArgs(args(ctx));
        if (!p.ok) return res(p.stdout, p.stderr, p.code);
        return res(...tuple(formatPidof(sim.processes(c.world()), p.options, { parentPid: sim.sessionShell(c.world()) })));
      },
    }),
    defineCommand({
      name: 'slabtop',
      summary: "the kernel's slab caches, biggest first (needs root)",
      category: 'memory',
      synopsis: ['sudo slabtop [-o] [-s SORT]'],
      description: [
        'The kernel allocates its own small objects (inodes, dentries, process structures, reverse-mapping records...) from slab caches. slabtop reads /proc/slabinfo, which only root may read, and lists the caches with their object counts and sizes.',
        'Here every slabtop prints one screen and exits, as with -o.',
      ],
      options: [
        ['-o, --once', 'print once and exit'],
        ['-s SORT', 'sort by: o objects (default), c cache size, a active objects, s object size, n name, l slabs, u use'],
      ],
      examples: [['sudo slabtop -o -s c | head -n 20', 'the caches that take the most memory']],
      run: (ctx) => {
        const p = parseSlabtopArgs(args(ctx));
        if (!p.ok) return res(p.stdout, p.stderr, p.code);
        if (ctx.user !== 'root') return res('', SLABTOP_PERMISSION_DENIED, 1);
        return res(formatSlabtop(sim.slabCaches(c.world()), { sort: p.options.sort }));
      },
    }),
    defineCommand({
      name: 'dmesg',
      summary: "the kernel's message buffer (OOM killer reports land here)",
      category: 'logs',
      synopsis: ['dmesg [-T] [-l LEVELS] [-c]'],
      description: [
        'Prints the kernel ring buffer: boot messages, driver chatter and, when memory runs out, the OOM killer\'s full report. Each line starts with the seconds since boot; -T turns that into a date.',
        'The buffer has a fixed size, so old messages fall out of it; /var/log/syslog and /var/log/kern.log keep a copy.',
      ],
      examples: [['dmesg | grep -i -E "oom|killed process"', 'every OOM kill still in the buffer']],
      run: (ctx) => {
        const p = parseDmesgArgs(args(ctx));
        if (!p.ok) return res(p.stdout, p.stderr, p.code);
        const w = c.world();
        const out = formatDmesg(kernelRecords(c), p.options, { bootTime: w.k.bootTime, isRoot: ctx.user === 'root' });
        if (out.clearAfter) clearKmsg(w.logs);
        return res(out.stdout, out.stderr, out.code);
      },
    }),
    defineCommand({
      name: 'uname',
      summary: 'which kernel is running',
      category: 'processes',
      synopsis: ['uname [-a] [-r] [-v] [-n] [-m]'],
      description: ['Prints facts about the running kernel. -r gives its release, which is what decides whether a kernel bug is yours.'],
      run: (ctx) => {
        const p = parseUnameArgs(args(ctx));
        if (!p.ok) return res(p.stdout, p.stderr, p.code);
        return res(formatUname(sim.uname(c.world()), p.options));
      },
    }),
    defineCommand({
      name: 'df',
      summary: 'how full the disks are',
      category: 'files',
      argKind: 'path',
      completions: ['-h', '-H', '-k', '-i', '-T', '-P', '--total'],
      synopsis: ['df [-h|-H|-k|-B SIZE] [-i] [-T] [-P] [--total] [-t TYPE] [-x TYPE] [FILE]...'],
      description: [
        'Shows, for each mounted filesystem (or the one holding each FILE), its size, what is used, what is still available and how full it is. / is the machine\'s 8 GB disk; the others (udev, tmpfs, none) live in memory.',
        '"Available" leaves out the 5% of / that only root may fill, so Used and Available do not add up to the size. Files you write and swap files made with fallocate take room on the filesystem they are on; past the free space, writes fail with "No space left on device".',
        `Everything written to files is also kept in your saved game, so all files together have a quota of ${STORE_QUOTA / 1024 / 1024} MiB: past it, writes fail with "Disk quota exceeded" whatever df says is free. Emptying a file (> FILE) gives the room back.`,
      ],
      options: [
        ['-h, -H', 'human-readable sizes, in powers of 1024 (or 1000 with -H)'],
        ['-k, -B SIZE', 'sizes in 1K blocks (the default) or in blocks of SIZE (-BM for MiB)'],
        ['-i', 'inodes instead of blocks'],
        ['-T', 'show the filesystem type'],
        ['-P', 'the POSIX format'],
        ['--total', 'add a total line'],
        ['-t TYPE, -x TYPE', 'only, or all but, filesystems of TYPE (ext4, tmpfs...)'],
      ],
      examples: [
        ['df -h', 'every filesystem, sizes in K, M and G'],
        ['df -h /tmp', 'the filesystem /tmp is on, and how full it is'],
      ],
      run: (ctx) => {
        const p = parseDfArgs(args(ctx));
        if (!p.ok) return res(p.stdout, p.stderr, p.code);
        const o = p.options;
        const rows: DfRow[] = c.filesystems().map((f) => ({ source: f.source, type: f.type, target: f.target, totalKb: f.totalKb, usedKb: f.usedKb, availKb: f.availKb, inodes: f.inodes }));
        let err = '';
        let shown: DfRow[] = rows;
        if (o.operands.length > 0) {
          shown = [];
          for (const operand of o.operands) {
            const path = normalizePath(operand, ctx.cwd);
            const st = ctx.env.fs.stat(path);
            if (!st.ok) {
              err += `df: ${quoteUtf8(operand)}: No such file or directory\n`;
              continue;
            }
            const dummy = dummyFilesystem(path);
            // the filesystem holding the file itself, a symlink among the block mounts followed (as stat does)
            const real = resolveBlockPath(c.world(), path);
            const mount = mountOfIn(c.world(), 'errno' in real ? path : real.path);
            shown.push(dummy ?? rows.find((r) => r.target === mount) ?? rows.find((r) => r.target === sim.mountOf(path))!);
          }
        }
        const listed = shown.filter((r) => (o.onlyTypes.length === 0 || o.onlyTypes.includes(r.type)) && !o.excludeTypes.includes(r.type));
        if (listed.length === 0) return res('', `${err}df: no file systems processed\n`, 1);
        return res(formatDf(shown, o), err, err ? 1 : 0);
      },
    }),
    defineCommand({
      name: 'date',
      summary: "the machine's clock",
      category: 'processes',
      synopsis: ['date [-u] [+FORMAT]'],
      description: ['Prints the date and time on the machine (UTC). Useful to line up log timestamps. Setting the clock is not allowed here: the grimoire keeps time.'],
      run: (ctx) => {
        const p = parseDateArgs(args(ctx));
        if (!p.ok) return res(p.stdout, p.stderr, p.code);
        const out = formatDate(c.world().now, p.options, ctx.user === 'root');
        if (out.setTo !== undefined) return res('', 'date: cannot set date: the grimoire keeps this clock\n', 1);
        return res(out.stdout, out.stderr, out.code);
      },
    }),
  ];
}

function tuple(r: { stdout: string; stderr: string; code: number }): [string, string, number] {
  return [r.stdout, r.stderr, r.code];
}
