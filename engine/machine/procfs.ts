import { formatMeminfo } from '../formats/meminfo';
import { formatSlabinfo } from '../formats/slabinfo';
import { formatLoadavg, formatOomScore, formatOomScoreAdj, formatProcPidStatus, formatProcStat, formatProcUptime } from '../formats/procPidStatus';
import { cpuTicks, loadAt, procStatAt } from './load';
import { credentials, hexMask, signalMasks } from './identity';
import { fileChunks, findLogFile, gzipSizeOf, logFiles, mtimeOf, sizeOf, type LogFileName } from './logfiles';
import { LIMITS } from '../shell/limits';
import type { Errno, FsResult, FsStat } from '../shell/types';
import type { VfsProvider } from '../vfs/vfs';
import * as sim from './index';
import { knobsOf } from './knobs';
import { findProc } from '../kernel/procs';
import { sessionShell } from './session';
import { formatProcMaps, formatProcSmaps } from '../formats/maps';
import { mappingsOf, mayReadMaps, VSYSCALL } from './mappings';
import { formatProcLimits } from '../formats/limits';
import { rlimitsOf } from './rlimits';
import type { MachineContext } from './spells/context';
import { buddyViews, vmPicture, zoneinfoViews } from './vmstatView';
import { cpuinfoView } from './cpuinfo';
import { formatProcVmstat } from '../formats/vmstatFile';
import { formatZoneinfo } from '../formats/zoneinfo';
import { formatBuddyinfo } from '../formats/buddyinfo';
import { formatCpuinfo } from '../formats/cpuinfo';
import { formatProcNetTcp } from '../formats/tcpSockets';
import { procNetTcpRows } from '../kernel/tcp';
import { stackOf, tcpAt } from './tcp';
import { blockStateOf } from '../kernel/block';
import { diskstatsText } from './blockfs';

/** tcp6_seq_show's header: this machine's IPv6 TCP sockets are not simulated, so it has no rows */
const TCP6_HEADER = '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';

/**
 * /proc and /var/log as the simulation sees them: every read renders the current state, so
 * `cat /proc/meminfo` twice, a minute apart, shows the minute that passed.
 */

const ok = <T>(value: T): FsResult<T> => ({ ok: true, value });
const fail = <T>(errno: Errno): FsResult<T> => ({ ok: false, errno });

interface Node {
  mode: number;
  owner?: string;
  group?: string;
  read?: (user: string) => string;
  /** opening it is checked beyond its mode (ptrace access for maps and smaps) */
  mayRead?: (user: string) => boolean;
  write?: (data: string, user: string) => FsResult<void>;
}

function fileStat(now: number, n: Node, size: number): FsStat {
  return { type: 'file', mode: n.mode, owner: n.owner ?? 'root', group: n.group ?? 'root', size, mtime: now };
}

function dirStat(now: number, owner = 'root', group = 'root'): FsStat {
  return { type: 'dir', mode: 0o555, owner, group, size: 0, mtime: now };
}

/** the value written to a /proc knob: one integer, as the kernel's parser takes it */
function intOf(data: string): string | null {
  const t = data.trim();
  return /^-?\d+$/.test(t) ? t : null;
}

export function procProvider(c: MachineContext): VfsProvider {
  const w = () => c.world();
  const sysctlNode = (key: string, mode = 0o644): Node => ({
    mode,
    read: () => {
      const r = sim.sysctl(w(), key, null, 'root');
      return r.ok ? `${r.value}\n` : '';
    },
    write: (data, user) => {
      const v = intOf(data);
      if (v === null) return fail('EINVAL');
      const r = sim.sysctl(w(), key, v, user);
      if (!r.ok) return fail(r.errno === 'EACCES' ? 'EACCES' : 'EINVAL');
      c.notify({ kind: 'sysctl-set', key: r.key, value: r.value });
      return ok(undefined);
    },
  });

  const statics: Record<string, Node> = {
    meminfo: { mode: 0o444, read: () => formatMeminfo(sim.meminfo(w())) },
    slabinfo: { mode: 0o400, read: () => formatSlabinfo(sim.slabCaches(w())) },
    loadavg: {
      mode: 0o444,
      read: () => {
        // nr_running, nr_threads and the last pid handed out all count the reader (cat), as ps lists itself
        const st = procStatAt(w(), w().now, 1);
        const threads = w().k.procs.reduce((n, p) => n + (p.pid > 0 ? p.threads : 0), 1);
        return formatLoadavg(loadAt(w(), w().now), st.procsRunning, threads, w().k.lastPid + 1);
      },
    },
    stat: { mode: 0o444, read: () => formatProcStat(procStatAt(w(), w().now, 1)) },
    uptime: {
      mode: 0o444,
      read: () => {
        const up = w().now - w().k.bootTime;
        return formatProcUptime(up, cpuTicks(w(), w().now).idle * 10);
      },
    },
    version: { mode: 0o444, read: () => `${sim.runningKernelBanner(w())}\n` },
    swaps: {
      mode: 0o444,
      read: () =>
        'Filename\t\t\t\tType\t\tSize\tUsed\tPriority\n' +
        sim
          .swapsView(w())
          .map((r) => `${r.filename.padEnd(40)}${r.type}\t\t${r.sizeKb}\t${r.usedKb}\t${r.priority}\n`)
          .join(''),
    },
  };
  statics.vmstat = { mode: 0o444, read: () => formatProcVmstat(vmPicture(w()).counters) };
  statics.zoneinfo = { mode: 0o444, read: () => formatZoneinfo(zoneinfoViews(vmPicture(w()))) };
  statics.buddyinfo = { mode: 0o444, read: () => formatBuddyinfo(buddyViews(vmPicture(w()))) };
  statics.cpuinfo = { mode: 0o444, read: () => formatCpuinfo(cpuinfoView(w())) };
  for (const [path, read] of Object.entries(sim.scenarioOf(w()).procFiles ?? {})) statics[path] = { mode: 0o444, read: () => read(w()) };
  const dirs = new Set(['', 'sys']);
  // the loopback TCP stack's sockets; root (CAP_SYSLOG) sees their addresses under kptr_restrict=1
  // the block layer's per-device counters, on a box whose kernel has one
  if (blockStateOf(w().k)) {
    statics.diskstats = { mode: 0o444, read: () => diskstatsText(w()) };
    statics.mounts = { mode: 0o444, read: () => '/proc/mounts: not simulated on this machine; mount lists what is mounted\n' };
  }
  if (stackOf(w())) {
    statics['net/tcp'] = { mode: 0o444, read: (user) => formatProcNetTcp(procNetTcpRows(tcpAt(w(), c.streams)!), user !== 'root') };
    statics['net/tcp6'] = { mode: 0o444, read: () => TCP6_HEADER };
    dirs.add('net');
  }
  // every knob of every subsystem the kernel was built with has its file under /proc/sys
  for (const [key, knob] of Object.entries(knobsOf(w()))) {
    const path = `sys/${key.replace(/\./g, '/')}`;
    statics[path] = sysctlNode(key, knob.mode ?? 0o644);
    for (let d = path.lastIndexOf('/'); d > 0; d = path.lastIndexOf('/', d - 1)) dirs.add(path.slice(0, d));
  }

  const pidNode = (pid: number, leaf: string): Node | null => {
    // the process table answers who owns the files; the process's view (its memory, rss, score) is built when one is read
    const proc = pid > 0 ? findProc(w().k, pid) : undefined;
    if (!proc) return null;
    const owner = proc.user;
    const view = () => sim.processes(w()).find((x) => x.pid === pid)!;
    switch (leaf) {
      case 'status':
        return {
          mode: 0o444,
          owner,
          group: owner,
          read: () => {
            const st = sim.procStatus(w(), pid);
            const ids = credentials(w(), proc);
            const sig = signalMasks(w(), proc);
            return formatProcPidStatus(view(), {
              ...(st ? { vmPeakKb: st.vmPeakKb, vmHwmKb: st.vmHwmKb, vmStkKb: st.vmStkKb, vmExeKb: st.vmExeKb, vmLibKb: st.vmLibKb } : {}),
              gid: ids.gid,
              groups: ids.groups,
              ...(sig ? { sigIgn: hexMask(sig.ign), sigCgt: hexMask(sig.cgt) } : {}),
            });
          },
        };
      case 'cmdline':
        return { mode: 0o444, owner, group: owner, read: () => (proc.args ? proc.args.split(' ').join('\0') + '\0' : '') };
      case 'maps':
      case 'smaps': {
        const text = leaf === 'maps' ? formatProcMaps : formatProcSmaps;
        return {
          mode: 0o444,
          owner,
          group: owner,
          mayRead: (user) => !proc.mm || mayReadMaps(user, owner),
          read: () => (proc.mm && !proc.kthread ? text([...mappingsOf(w(), proc), VSYSCALL]) : ''),
        };
      }
      case 'limits':
        return { mode: 0o444, owner, group: owner, read: () => formatProcLimits(rlimitsOf(w())) };
      case 'comm':
        return { mode: 0o644, owner, group: owner, read: () => `${proc.comm}\n` };
      case 'oom_score':
        return { mode: 0o444, owner, group: owner, read: () => formatOomScore(view()) };
      case 'oom_score_adj':
        return {
          mode: 0o644,
          owner,
          group: owner,
          read: () => formatOomScoreAdj(view()),
          write: (data, user) => {
            const r = sim.setOomScoreAdj(w(), pid, data, user);
            if (!r.ok) return fail(r.errno === 'ESRCH' ? 'ENOENT' : r.errno);
            c.notify({ kind: 'oom-score-adj', pid, comm: proc.comm, value: Number(data.trim()) });
            return ok(undefined);
          },
        };
      default: {
        const u = PID_UNSIMULATED[leaf];
        if (u === undefined) return null;
        return { mode: u, owner, group: owner, read: () => `/proc/${pid}/${leaf}: not simulated on this machine\n` };
      }
    }
  };
  const PID_FILES = ['cmdline', 'comm', 'limits', 'maps', 'oom_score', 'oom_score_adj', 'smaps', 'status'];
  /** the other files of a 3.16 /proc/PID (Ubuntu's config), with their modes: listed, their contents not simulated */
  const PID_UNSIMULATED: Record<string, number> = {
    autogroup: 0o644, auxv: 0o400, cgroup: 0o444, clear_refs: 0o200, coredump_filter: 0o644, cpuset: 0o444, environ: 0o400,
    gid_map: 0o644, io: 0o400, loginuid: 0o644, mem: 0o600, mountinfo: 0o444, mounts: 0o444, mountstats: 0o400, numa_maps: 0o444,
    oom_adj: 0o644, pagemap: 0o400, personality: 0o400, projid_map: 0o644, sched: 0o644, schedstat: 0o444, sessionid: 0o444,
    stack: 0o400, stat: 0o444, statm: 0o444, syscall: 0o400, timers: 0o444, uid_map: 0o644, wchan: 0o444,
  };

  /**
   * /proc/self: a link to the reading process's own directory. Commands here have no pids of their
   * own, so it names the player's login shell (what $$ gives), or the newest process when nobody
   * is logged in.
   */
  const selfPid = (): number => sessionShell(w()) || Math.max(0, ...sim.pids(w()));
  /** a path through /proc/self as the kernel follows it: the same path under the process's pid */
  const throughSelf = (clean: string): string => (clean === 'self' || clean.startsWith('self/') ? `${selfPid()}${clean.slice(4)}` : clean);

  const resolve = (rel: string): { node?: Node; dir?: { owner: string } } | null => {
    const clean = throughSelf(rel.replace(/^\/+|\/+$/g, ''));
    if (statics[clean]) return { node: statics[clean] };
    if (dirs.has(clean)) return { dir: { owner: 'root' } };
    const m = /^(\d+)(?:\/(.*))?$/.exec(clean);
    if (m) {
      const pid = Number(m[1]);
      // the process table itself: building every process's view (its memory, its rss) for each path looked up made a walk of /proc quadratic
      const p = pid > 0 ? findProc(w().k, pid) : undefined;
      if (!p) return null;
      if (m[2] === undefined) return { dir: { owner: p.user } };
      const n = pidNode(pid, m[2]);
      return n ? { node: n } : null;
    }
    return null;
  };

  const stat = (rel: string): FsResult<FsStat> => {
    const r = resolve(rel);
    if (!r) return fail('ENOENT');
    // /proc files report size 0, as on Linux
    return ok(r.node ? fileStat(w().now, r.node, 0) : dirStat(w().now, r.dir!.owner, r.dir!.owner));
  };

  return {
    mountPoint: '/proc',
    stat,
    read: (rel, user) => {
      const r = resolve(rel);
      if (!r) return fail('ENOENT');
      if (!r.node) return fail('EISDIR');
      if (!r.node.read || (user !== 'root' && !(r.node.mode & 0o004) && !(r.node.owner === user && r.node.mode & 0o400))) return fail('EACCES');
      if (r.node.mayRead && !r.node.mayRead(user)) return fail('EACCES');
      return ok(r.node.read(user));
    },
    write: (rel, data, user) => {
      const r = resolve(rel);
      if (!r) return fail('ENOENT');
      if (!r.node) return fail('EISDIR');
      if (!r.node.write) return fail('EACCES');
      return r.node.write(data, user);
    },
    // lstat of /proc/self is the link itself (ls -l shows self -> PID); everything else is what stat says
    lstat: (rel) => {
      if (rel.replace(/^\/+|\/+$/g, '') !== 'self') return stat(rel);
      const pid = selfPid();
      return ok({ type: 'link', mode: 0o777, owner: 'root', group: 'root', size: 0, mtime: w().now, target: String(pid) });
    },
    list: (rel) => {
      const clean = throughSelf(rel.replace(/^\/+|\/+$/g, ''));
      if (clean === '') {
        const pids = sim.pids(w()).map(String);
        return ok([...pids, ...Object.keys(statics).filter((k) => !k.includes('/')), ...(dirs.has('net') ? ['net'] : []), 'self', 'sys']);
      }
      if (/^\d+$/.test(clean)) return resolve(clean) ? ok([...new Set([...PID_FILES, ...Object.keys(PID_UNSIMULATED)])].sort()) : fail('ENOENT');
      if (dirs.has(clean)) {
        const prefix = `${clean}/`;
        const kids = new Set<string>();
        for (const k of [...Object.keys(statics), ...dirs]) if (k.startsWith(prefix) && k !== clean) kids.add(k.slice(prefix.length).split('/')[0]!);
        return ok([...kids].sort());
      }
      return resolve(clean) ? fail('ENOTDIR') : fail('ENOENT');
    },
  };
}

/** /var/log: syslog, kern.log and their rotated files, rendered from the log records as they are read. */
export function varLogProvider(c: MachineContext): VfsProvider {
  const w = () => c.world();
  const file = (rel: string): LogFileName | null => findLogFile(w(), rel.replace(/^\/+|\/+$/g, ''));
  // ops is in group adm, as the first user of an Ubuntu install is, so the logs are readable
  const readable = (user: string): boolean => user === 'root' || user === 'ops' || user === 'syslog';
  const stat = (f: LogFileName): FsStat => {
    const st = { type: 'file', mode: 0o640, owner: 'syslog', group: 'adm' } as FsStat;
    // worked out only when asked for: opening a file to read it looks at its mode, not its size
    let size: number | undefined;
    let mtime: number | undefined;
    Object.defineProperty(st, 'size', { enumerable: true, get: () => (size ??= f.gen >= 2 ? gzipSizeOf(w(), f) : sizeOf(w(), f)) });
    Object.defineProperty(st, 'mtime', { enumerable: true, get: () => (mtime ??= mtimeOf(w(), f)) });
    return st;
  };
  return {
    mountPoint: '/var/log',
    stat: (rel) => {
      if (rel.replace(/^\/+|\/+$/g, '') === '') return ok({ type: 'dir', mode: 0o775, owner: 'root', group: 'syslog', size: 4096, mtime: w().now });
      const f = file(rel);
      return f ? ok(stat(f)) : fail('ENOENT');
    },
    read: (rel, user) => {
      if (rel.replace(/^\/+|\/+$/g, '') === '') return fail('EISDIR');
      const f = file(rel);
      if (!f) return fail('ENOENT');
      if (!readable(user)) return fail('EACCES');
      // the bytes of a .gz are not simulated: zcat and zgrep read what it holds
      if (f.gen >= 2) return fail('EINVAL');
      // a tool that takes the whole file at once (sort, awk) cannot hold a day of the storm
      if (sizeOf(w(), f) > LIMITS.output) return fail('ENOMEM');
      let text = '';
      for (const c of fileChunks(w(), f)) text += c.text;
      return ok(text);
    },
    readChunks: (rel, user, opts) => {
      const f = file(rel);
      if (!f) return fail('ENOENT');
      if (!readable(user)) return fail('EACCES');
      if ((f.gen >= 2) !== opts.gunzip) return fail('EINVAL');
      return ok(fileChunks(w(), f, opts.reverse));
    },
    list: (rel) => (rel.replace(/^\/+|\/+$/g, '') === '' ? ok(logFiles(w()).map((f) => f.name)) : fail('ENOTDIR')),
  };
}
