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
import { reportOf } from '../kernel/logs';
import { fileEvents, findLogFile, runKillsFrom } from './logfiles';
import { meminfoFrom, memSnapshot, slabInputs, swapFraction, type MemSnap } from '../kernel/memory';
import { oomScore, rssPages } from '../kernel/oom';
import { cpuAt, findProc } from '../kernel/procs';
import { slabViews } from '../kernel/slab';
import type { Proc } from '../kernel/types';
import { cpuTicks, kswapdRuns, loadAt } from './load';
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
    else if (e.kind === 'oomrun') {
      const run = w.logs.runs?.[e.run];
      if (!run) continue;
      for (const k of runKillsFrom(w.logs, run, e.skip)) {
        const since = k.time - run.bootTime;
        if (since <= upTo) out.push({ kind: 'oom', sinceBootMs: since, report: k.report });
      }
    } else {
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

/** /var/log/syslog (current = 0) or /var/log/syslog.1 (previous = 1), every record in time order */
export function syslog(w: MachineWorld, which: 0 | 1 = 0): SyslogView[] {
  const f = findLogFile(w, which === 0 ? 'syslog' : 'syslog.1');
  if (!f) return [];
  const out: SyslogView[] = [];
  for (const e of fileEvents(w, f)) {
    if (e.kind === 'line') out.push({ kind: 'line', record: e.record });
    else {
      // a bulk kill's report is worked out when it is looked at
      const view = { kind: 'oom', time: e.time, host: w.p.hostname, sinceBootMs: e.sinceBootMs } as SyslogView & { kind: 'oom' };
      Object.defineProperty(view, 'report', { enumerable: true, get: () => e.report });
      out.push(view);
    }
  }
  return out;
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
