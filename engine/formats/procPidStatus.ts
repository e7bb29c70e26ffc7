/** /proc/PID/status as fs/proc/array.c and fs/proc/task_mmu.c print it on 3.16. */
import type { CpuTicks, ProcessView } from './types';
import { rpad } from './printf';
import { kernelState } from './procTree';
import { loadavgText } from './uptime';

/** Facts the status file shows that ProcessView does not carry; each has a documented default. */
interface ProcStatusExtra {
  /** real, effective, saved, filesystem gid (default: all equal to gid, itself defaulting to uid) */
  gid?: number;
  groups?: readonly number[];
  tracerPid?: number;
  /** fd table size (default 64; 0 for zombies and kernel threads without files) */
  fdSize?: number;
  /** kB; defaults: peak = VmSize, HWM = VmRSS */
  vmPeakKb?: number;
  vmHwmKb?: number;
  vmLckKb?: number;
  vmPinKb?: number;
  /** kB; default VmStk 136, VmExe 0, VmLib 0, VmData = VmSize - VmStk - VmExe - VmLib */
  vmStkKb?: number;
  vmExeKb?: number;
  vmLibKb?: number;
  vmDataKb?: number;
  /** queued signals / RLIMIT_SIGPENDING (default 0/7862 for a 2 GB box) */
  sigQueued?: number;
  sigLimit?: number;
  /** 64-bit masks as hex strings (default all zero) */
  sigPnd?: string;
  shdPnd?: string;
  sigBlk?: string;
  sigIgn?: string;
  sigCgt?: string;
  /** capabilities, hex (default: full set for root, none otherwise) */
  capInh?: string;
  capPrm?: string;
  capEff?: string;
  capBnd?: string;
  seccomp?: number;
  /** online CPUs (default 2) */
  cpus?: number;
  voluntaryCtxtSwitches?: number;
  nonvoluntaryCtxtSwitches?: number;
}

const STATE_TEXT: Record<string, string> = {
  R: 'R (running)',
  S: 'S (sleeping)',
  D: 'D (disk sleep)',
  T: 'T (stopped)',
  Z: 'Z (zombie)',
};

/** CAP_LAST_CAP is 36 on 3.16: 37 bits. */
const FULL_CAPS = '0000001fffffffff';
const NO_CAPS = '0000000000000000';

/** Ubuntu builds with NODES_SHIFT=10, so the node mask prints as 32 comma-separated words. */
const MEMS_ALLOWED = `${'00000000,'.repeat(31)}00000001`;

function cpuMask(cpus: number): { mask: string; list: string } {
  const mask = ((1 << Math.min(cpus, 31)) - 1).toString(16);
  return { mask, list: cpus === 1 ? '0' : `0-${cpus - 1}` };
}

function kb(label: string, value: number): string {
  return `${label}:\t${rpad(value, 8)} kB`;
}

export function formatProcPidStatus(p: ProcessView, extra: ProcStatusExtra = {}): string {
  const gid = extra.gid ?? p.uid;
  const noMm = p.kernelThread || p.state === 'Z';
  const lines = [
    `Name:\t${p.comm}`,
    `State:\t${STATE_TEXT[kernelState(p.state)] ?? 'S (sleeping)'}`,
    `Tgid:\t${p.pid}`,
    'Ngid:\t0',
    `Pid:\t${p.pid}`,
    `PPid:\t${p.ppid}`,
    `TracerPid:\t${extra.tracerPid ?? 0}`,
    `Uid:\t${p.uid}\t${p.uid}\t${p.uid}\t${p.uid}`,
    `Gid:\t${gid}\t${gid}\t${gid}\t${gid}`,
    `FDSize:\t${extra.fdSize ?? (noMm ? (p.kernelThread ? 64 : 0) : 64)}`,
    `Groups:\t${(extra.groups ?? []).map((g) => `${g} `).join('')}`,
  ];
  if (!noMm) {
    const stk = extra.vmStkKb ?? 136;
    const exe = extra.vmExeKb ?? 0;
    const lib = extra.vmLibKb ?? 0;
    lines.push(
      kb('VmPeak', extra.vmPeakKb ?? p.vszKb),
      kb('VmSize', p.vszKb),
      kb('VmLck', extra.vmLckKb ?? 0),
      kb('VmPin', extra.vmPinKb ?? 0),
      kb('VmHWM', extra.vmHwmKb ?? p.rssKb),
      kb('VmRSS', p.rssKb),
      kb('VmData', extra.vmDataKb ?? Math.max(0, p.vszKb - stk - exe - lib)),
      kb('VmStk', stk),
      kb('VmExe', exe),
      kb('VmLib', lib),
      // one 4 KiB page-table page maps 2 MiB
      kb('VmPTE', p.nrPtes * 4),
      kb('VmSwap', p.swapEntries * 4),
    );
  }
  const caps = p.uid === 0 ? FULL_CAPS : NO_CAPS;
  const cpus = cpuMask(extra.cpus ?? 2);
  lines.push(
    `Threads:\t${p.threads}`,
    `SigQ:\t${extra.sigQueued ?? 0}/${extra.sigLimit ?? 7862}`,
    `SigPnd:\t${extra.sigPnd ?? NO_CAPS}`,
    `ShdPnd:\t${extra.shdPnd ?? NO_CAPS}`,
    `SigBlk:\t${extra.sigBlk ?? NO_CAPS}`,
    `SigIgn:\t${extra.sigIgn ?? NO_CAPS}`,
    `SigCgt:\t${extra.sigCgt ?? NO_CAPS}`,
    `CapInh:\t${extra.capInh ?? NO_CAPS}`,
    `CapPrm:\t${extra.capPrm ?? caps}`,
    `CapEff:\t${extra.capEff ?? caps}`,
    `CapBnd:\t${extra.capBnd ?? FULL_CAPS}`,
    `Seccomp:\t${extra.seccomp ?? 0}`,
    `Cpus_allowed:\t${cpus.mask}`,
    `Cpus_allowed_list:\t${cpus.list}`,
    `Mems_allowed:\t${MEMS_ALLOWED}`,
    'Mems_allowed_list:\t0',
    `voluntary_ctxt_switches:\t${extra.voluntaryCtxtSwitches ?? 0}`,
    `nonvoluntary_ctxt_switches:\t${extra.nonvoluntaryCtxtSwitches ?? 0}`,
  );
  return lines.join('\n') + '\n';
}

/** /proc/PID/oom_score and oom_score_adj are single numbers. */
export function formatOomScore(p: ProcessView): string {
  return `${p.oomScore}\n`;
}
export function formatOomScoreAdj(p: ProcessView): string {
  return `${p.oomScoreAdj}\n`;
}

/** /proc/uptime: seconds up and seconds idle (summed over CPUs), two decimals each. */
export function formatProcUptime(uptimeMs: number, idleMs: number): string {
  const two = (ms: number) => {
    const cs = Math.floor(ms / 10);
    return `${Math.floor(cs / 100)}.${String(cs % 100).padStart(2, '0')}`;
  };
  return `${two(uptimeMs)} ${two(idleMs)}\n`;
}

/** /proc/loadavg: the three averages, runnable/total scheduling entities, and the last pid used. */
export function formatLoadavg(loadavg: readonly [number, number, number], running: number, total: number, lastPid: number): string {
  return `${loadavg.map(loadavgText).join(' ')} ${running}/${total} ${lastPid}\n`;
}

/** What /proc/stat shows, as fs/proc/stat.c of 3.16 prints it. */
export interface ProcStatView {
  /** the aggregate line first, then one per CPU */
  cpus: CpuTicks[];
  /** interrupts since boot, all sources together */
  intr: number;
  ctxt: number;
  /** boot time, seconds since the epoch */
  btime: number;
  /** forks since boot */
  processes: number;
  procsRunning: number;
  procsBlocked: number;
  /** HI TIMER NET_TX NET_RX BLOCK BLOCK_IOPOLL TASKLET SCHED HRTIMER RCU */
  softirqs: readonly number[];
}

export function formatProcStat(v: ProcStatView): string {
  const cols = (c: CpuTicks) => [c.user, c.nice, c.system, c.idle, c.iowait, c.irq, c.softirq, c.steal, 0, 0].map((n) => ` ${n}`).join('');
  const lines = v.cpus.map((c, i) => `${i === 0 ? 'cpu ' : `cpu${i - 1}`}${cols(c)}`);
  lines.push(
    `intr ${v.intr}`,
    `ctxt ${v.ctxt}`,
    `btime ${v.btime}`,
    `processes ${v.processes}`,
    `procs_running ${v.procsRunning}`,
    `procs_blocked ${v.procsBlocked}`,
    `softirq ${v.softirqs.reduce((a, b) => a + b, 0)}${v.softirqs.map((n) => ` ${n}`).join('')}`,
  );
  return lines.join('\n') + '\n';
}
