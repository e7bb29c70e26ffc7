/**
 * Read-only views for the formatters: /proc/meminfo, /proc/slabinfo, the process table, the logs,
 * uname, top's header. Nothing here changes the world.
 */
import type {
  KernelLogRecord,
  MeminfoView,
  OomReportView,
  ProcessView,
  SlabCacheView,
  SyslogRecord,
  SystemSummaryView,
  UnameView,
} from '../formats/types';
import { reportOf, SYSLOG_MAX_LINES } from '../kernel/logs';
import { compactEntries, SYSLOG1_MAX_LINES, syslogTail } from './syslog';
import { meminfoFrom, memSnapshot, slabInputs, swapFraction, type MemSnap } from '../kernel/memory';
import { oomScore, rssPages } from '../kernel/oom';
import { cpuAt, findProc } from '../kernel/procs';
import { slabViews } from '../kernel/slab';
import type { Proc, SyslogEntry } from '../kernel/types';
import { cpuTicks, kswapdRuns, loadAt } from './load';
import { scenarioOf } from './scenario';
import type { MachineWorld } from './world';

function snap(w: MachineWorld): MemSnap {
  return memSnapshot(w.k, w.now);
}

export function meminfo(w: MachineWorld): MeminfoView {
  return meminfoFrom(w.k, snap(w), w.now);
}

/** /proc/slabinfo lines; numSlabs x pagesPerSlab x 4 adds up to meminfo's Slab exactly */
export function slabCaches(w: MachineWorld): SlabCacheView[] {
  const s = snap(w);
  return slabViews(slabInputs(s.counts, s.reclTargetKb), w.k.mem.fill);
}

function stateOf(w: MachineWorld, p: Proc): ProcessView['state'] {
  if (p.state === 'T' || p.state === 'Z') return p.state;
  // the kernel thread doing reclaim and the reload in flight are what a ps snapshot catches running
  if (p.kthread && p.comm === 'kswapd0' && kswapdRuns(w, w.now)) return 'R';
  return 'S';
}

export function processes(w: MachineWorld): ProcessView[] {
  const s = snap(w);
  const f = swapFraction(s);
  return w.k.procs
    .filter((p) => p.pid > 0)
    .map((p) => {
      const r = rssPages(p, f);
      return {
        pid: p.pid,
        ppid: p.ppid,
        uid: p.uid,
        user: p.user,
        comm: p.comm,
        args: p.args,
        state: stateOf(w, p),
        startTime: Math.min(p.start, w.now),
        cpuTimeMs: Math.round(cpuAt(p, w.now)),
        vszKb: p.mm ? p.mm.vszKb : 0,
        rssKb: (r.anon + r.file) * 4,
        anonRssKb: r.anon * 4,
        tty: p.tty,
        nice: p.nice,
        threads: p.threads,
        oomScoreAdj: p.adj,
        oomScore: oomScore(w.k, p, s),
        nrPtes: p.mm ? p.mm.ptes : 0,
        swapEntries: r.swap,
        kernelThread: p.kthread,
      };
    });
}

/** /proc/PID/status fields that are not already in ProcessView (kB unless noted) */
interface ProcStatusView {
  name: string;
  state: ProcessView['state'];
  pid: number;
  ppid: number;
  uid: number;
  vmPeakKb: number;
  vmSizeKb: number;
  vmLckKb: number;
  vmHwmKb: number;
  vmRssKb: number;
  vmDataKb: number;
  vmStkKb: number;
  vmExeKb: number;
  vmLibKb: number;
  vmPteKb: number;
  vmSwapKb: number;
  threads: number;
  voluntaryCtxtSwitches: number;
  nonvoluntaryCtxtSwitches: number;
}

export function procStatus(w: MachineWorld, pid: number): ProcStatusView | null {
  const p = findProc(w.k, pid);
  if (!p || !w.machine.up) return null;
  const s = snap(w);
  const r = rssPages(p, swapFraction(s));
  const mm = p.mm;
  const rss = (r.anon + r.file) * 4;
  const age = Math.max(0, w.now - p.start) / 1000;
  return {
    name: p.comm,
    state: stateOf(w, p),
    pid: p.pid,
    ppid: p.ppid,
    uid: p.uid,
    vmPeakKb: mm ? mm.vszKb + 4_096 : 0,
    vmSizeKb: mm ? mm.vszKb : 0,
    vmLckKb: 0,
    vmHwmKb: rss,
    vmRssKb: rss,
    vmDataKb: mm ? mm.commitKb : 0,
    vmStkKb: mm ? 136 : 0,
    vmExeKb: mm ? 632 : 0,
    vmLibKb: mm ? 5_380 : 0,
    vmPteKb: mm ? mm.ptes * 4 : 0,
    vmSwapKb: r.swap * 4,
    threads: p.threads,
    voluntaryCtxtSwitches: Math.floor(age * (p.kthread ? 2 : 0.8)) + 3,
    nonvoluntaryCtxtSwitches: Math.floor(age * 0.02),
  };
}

type KernelLogEntry =
  | { kind: 'line'; record: KernelLogRecord }
  | { kind: 'oom'; sinceBootMs: number; report: OomReportView }
  | { kind: 'panic'; sinceBootMs: number; report: OomReportView; message: string };

/** dmesg: the ring buffer, oldest first; an OOM report is one entry the formatter expands */
export function kernelLog(w: MachineWorld): KernelLogEntry[] {
  const out: KernelLogEntry[] = [];
  // a burst of work still running has stamped its messages ahead: they are not in the buffer yet
  const upTo = w.now - w.k.bootTime;
  for (const e of w.logs.kmsg) {
    if (e.t > upTo) continue;
    if (e.kind === 'line') out.push({ kind: 'line', record: { sinceBootMs: e.t, level: e.lv, text: e.text } });
    else {
      const report = reportOf(w.logs, e.id);
      if (!report) continue;
      if (e.kind === 'oom') out.push({ kind: 'oom', sinceBootMs: e.t, report });
      else out.push({ kind: 'panic', sinceBootMs: e.t, report, message: e.message });
    }
  }
  return out;
}

type SyslogView =
  | { kind: 'line'; record: SyslogRecord }
  /** printed as `kernel: [secs.usecs] ...` lines, one per line of the report */
  | { kind: 'oom'; time: number; host: string; sinceBootMs: number; report: OomReportView };

function timeOf(x: SyslogView): number {
  return x.kind === 'line' ? x.record.time : x.time;
}

function linesOf(x: SyslogView): number {
  return x.kind === 'line' ? 1 : 30 + x.report.tasks.length;
}

function syslogEntries(w: MachineWorld, list: SyslogEntry[], compact: Array<[number, number, number, number]>, maxLines: number): SyslogView[] {
  const host = w.p.hostname;
  const out: SyslogView[] = [];
  for (const e of list) {
    // lines of a burst still running are written when their moment comes, not before
    if (e.time > w.now) continue;
    if (e.kind === 'line') {
      const rec: SyslogRecord = { time: e.time, host, tag: e.tag, text: e.text };
      if (e.pid > 0) rec.pid = e.pid;
      out.push({ kind: 'line', record: rec });
    } else {
      const report = reportOf(w.logs, e.id);
      if (report) out.push({ kind: 'oom', time: e.time, host, sinceBootMs: e.sinceBootMs, report });
    }
  }
  const line = scenarioOf(w).compactLine;
  if (line) {
    for (const [t, pid, a, b] of compact) if (t <= w.now) out.push({ kind: 'line', record: { time: t, host, pid, ...line(w, pid, a, b, t) } });
  }
  // entries arrive from several rings and from bursts that ran their own clocks: order by time
  const sorted = out.sort((a, b) => timeOf(a) - timeOf(b));
  let lines = 0;
  let i = sorted.length;
  while (i > 0 && lines + linesOf(sorted[i - 1]!) <= maxLines) lines += linesOf(sorted[--i]!);
  return sorted.slice(i);
}

/** /var/log/syslog (current = 0) or /var/log/syslog.1 (previous = 1) */
export function syslog(w: MachineWorld, which: 0 | 1 = 0): SyslogView[] {
  const L = w.logs;
  return which === 0
    ? syslogEntries(w, syslogTail(L), compactEntries(L.compact, L.compactT0), SYSLOG_MAX_LINES)
    : syslogEntries(w, L.syslog1, compactEntries(L.compact1, L.compact1T0), SYSLOG1_MAX_LINES);
}

export function uname(w: MachineWorld): UnameView {
  return {
    sysname: 'Linux',
    nodename: w.p.hostname,
    release: w.k.release,
    version: w.k.version,
    machine: 'x86_64',
    processor: 'x86_64',
    hardwarePlatform: 'x86_64',
    operatingSystem: 'GNU/Linux',
  };
}

/** top's header and uptime */
export function systemSummary(w: MachineWorld): SystemSummaryView {
  const s = snap(w);
  const procs = w.k.procs.filter((p) => p.pid > 0);
  const running = procs.filter((p) => stateOf(w, p) === 'R').length;
  const stopped = procs.filter((p) => p.state === 'T').length;
  return {
    now: w.now,
    uptimeMs: Math.max(0, w.now - w.k.bootTime),
    users: w.sessionPid > 0 ? 1 : 0,
    loadavg: loadAt(w, w.now),
    tasks: { total: procs.length, running, sleeping: procs.length - running - stopped, stopped, zombie: 0 },
    cpu: cpuTicks(w, w.now),
    meminfo: meminfoFrom(w.k, s, w.now),
  };
}

/** pids of live processes, for completion and $$ */
export function pids(w: MachineWorld): number[] {
  return w.machine.up ? w.k.procs.filter((p) => p.pid > 0).map((p) => p.pid) : [];
}
