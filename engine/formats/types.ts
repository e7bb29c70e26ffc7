/**
 * View models: plain data the kernel simulation produces and the formatters turn into the exact
 * text real tools print. The simulation never builds tool output itself, and the formatters never
 * invent numbers: everything a formatter prints comes from one of these.
 *
 * Units are stated per field. Times are virtual milliseconds unless stated.
 */

/** /proc/meminfo, every value in kB (HugePages_* are counts). Keys in kernel order. */
export interface MeminfoView {
  MemTotal: number;
  MemFree: number;
  MemAvailable: number;
  Buffers: number;
  Cached: number;
  SwapCached: number;
  Active: number;
  Inactive: number;
  'Active(anon)': number;
  'Inactive(anon)': number;
  'Active(file)': number;
  'Inactive(file)': number;
  Unevictable: number;
  Mlocked: number;
  SwapTotal: number;
  SwapFree: number;
  Dirty: number;
  Writeback: number;
  AnonPages: number;
  Mapped: number;
  Shmem: number;
  Slab: number;
  SReclaimable: number;
  SUnreclaim: number;
  KernelStack: number;
  PageTables: number;
  NFS_Unstable: number;
  Bounce: number;
  WritebackTmp: number;
  CommitLimit: number;
  Committed_AS: number;
  VmallocTotal: number;
  VmallocUsed: number;
  VmallocChunk: number;
  HardwareCorrupted: number;
  AnonHugePages: number;
  HugePages_Total: number;
  HugePages_Free: number;
  HugePages_Rsvd: number;
  HugePages_Surp: number;
  Hugepagesize: number;
  DirectMap4k: number;
  DirectMap2M: number;
}

/** One line of /proc/slabinfo (SLUB: tunables are always 0, sharedavail 0). */
export interface SlabCacheView {
  name: string;
  activeObjs: number;
  numObjs: number;
  /** bytes */
  objSize: number;
  objPerSlab: number;
  pagesPerSlab: number;
  activeSlabs: number;
  numSlabs: number;
  /** counted in SReclaimable (true) or SUnreclaim (false) */
  reclaimable: boolean;
}

export type ProcState = 'R' | 'S' | 'D' | 'Z' | 'T' | 'I';

/** What ps, top, pidof and /proc/PID/* need to know about one process. */
export interface ProcessView {
  pid: number;
  ppid: number;
  uid: number;
  user: string;
  /** the 15-character command name (comm) */
  comm: string;
  /** the full command line, arguments separated by spaces; kernel threads have '' */
  args: string;
  state: ProcState;
  /** virtual ms since the epoch at which the process started */
  startTime: number;
  /** cumulative CPU time in ms */
  cpuTimeMs: number;
  /** kB */
  vszKb: number;
  /** kB, resident */
  rssKb: number;
  /** kB of rss that is anonymous (the rest is file-backed) */
  anonRssKb: number;
  /** controlling terminal, '?' when none, e.g. 'pts/0' */
  tty: string;
  nice: number;
  threads: number;
  oomScoreAdj: number;
  /** /proc/PID/oom_score, 0..1000 */
  oomScore: number;
  /** page-table pages */
  nrPtes: number;
  swapEntries: number;
  kernelThread: boolean;
}

export type KernelLogLevel = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** One record of the kernel ring buffer (dmesg). */
export interface KernelLogRecord {
  /** virtual ms since boot */
  sinceBootMs: number;
  level: KernelLogLevel;
  /** one line of text, no trailing newline */
  text: string;
}

/** One line of /var/log/syslog, rsyslog's traditional format. */
export interface SyslogRecord {
  /** virtual ms since the epoch */
  time: number;
  host: string;
  /** program name: 'kernel', 'CRON', 'sshd', 'rsyslogd', ... */
  tag: string;
  /** omitted for 'kernel' */
  pid?: number;
  text: string;
}

/** Everything the 3.x OOM killer report prints. Page counts are in 4 KiB pages. */
export interface OomReportView {
  /** how the task was picked: by the scan (absent), or as the allocating task (vm.oom_kill_allocating_task) */
  reason?: 'allocating';
  trigger: { comm: string; pid: number; gfpMask: number; order: number; oomScoreAdj: number };
  cpu: number;
  kernelRelease: string;
  /** e.g. '#70~14.04.1-Ubuntu' */
  kernelBuild: string;
  hardware: string;
  mem: {
    activeAnon: number;
    inactiveAnon: number;
    activeFile: number;
    inactiveFile: number;
    unevictable: number;
    dirty: number;
    writeback: number;
    free: number;
    slabReclaimable: number;
    slabUnreclaimable: number;
    mapped: number;
    shmem: number;
    pagetables: number;
    kernelStackKb: number;
    /** zone watermarks in kB for the Normal zone line */
    minKb: number;
    lowKb: number;
    highKb: number;
    presentKb: number;
    managedKb: number;
    swapTotalKb: number;
    swapFreeKb: number;
    pageCachePages: number;
    totalRamPages: number;
    reservedPages: number;
  };
  tasks: Array<{
    pid: number;
    uid: number;
    tgid: number;
    /** pages */
    totalVm: number;
    /** pages */
    rss: number;
    nrPtes: number;
    swapents: number;
    oomScoreAdj: number;
    name: string;
  }>;
  /** the process the killer chose, and its badness score 0..1000 */
  chosen: { pid: number; comm: string; score: number };
  /** the process actually killed (a child may be sacrificed instead of the chosen one) */
  killed: { pid: number; comm: string; totalVmKb: number; anonRssKb: number; fileRssKb: number };
}

/** uname's fields. */
export interface UnameView {
  sysname: string;
  nodename: string;
  release: string;
  version: string;
  machine: string;
  processor: string;
  hardwarePlatform: string;
  operatingSystem: string;
}

/** The result of one DNS query as dig would report it. */
export interface DigView {
  /** as typed by the player, for the header line: e.g. '@127.0.0.1 example.com' */
  commandLine: string;
  server: string;
  port: number;
  qname: string;
  qtype: string;
  outcome: 'answer' | 'nxdomain' | 'refused' | 'timeout';
  /** DNS message id */
  id: number;
  /** present when outcome is answer or nxdomain */
  answers: Array<{ name: string; ttl: number; type: string; data: string }>;
  authority: Array<{ name: string; ttl: number; type: string; data: string }>;
  additional: Array<{ name: string; ttl: number; type: string; data: string }>;
  queryTimeMs: number;
  /** virtual ms since the epoch, for the WHEN line */
  when: number;
  msgSize: number;
  /** +short */
  short: boolean;
  /** authoritative answer flag */
  aa: boolean;
  /** number of tries before giving up, for timeouts */
  tries: number;
  /** rcode text when the server answered; NOERROR or NXDOMAIN follow from outcome when absent */
  rcode?: string;
  /** recursion available: only a recursive resolver sets it */
  ra?: boolean;
  /** the reply's EDNS UDP size; null when it carried no OPT record */
  ednsUdp?: number | null;
}

/** A package as apt sees it. */
export interface AptPackageView {
  name: string;
  /** e.g. 'trusty-updates' */
  suite: string;
  arch: string;
  installedVersion: string | null;
  candidateVersion: string;
  section: string;
  summary: string;
  /** the archive component (main, universe); main when absent */
  component?: string;
  /** every version apt knows and the suite it comes from ('now': only dpkg's status file) */
  versions?: ReadonlyArray<{ version: string; suite: string }>;
}

/** Summary numbers for top's header and uptime. */
/** The columns of a cpu line of /proc/stat, in USER_HZ ticks (1/100 s). */
export interface CpuTicks {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
}

export interface SystemSummaryView {
  /** virtual ms since the epoch */
  now: number;
  /** ms since boot */
  uptimeMs: number;
  users: number;
  loadavg: [number, number, number];
  tasks: { total: number; running: number; sleeping: number; stopped: number; zombie: number };
  /** /proc/stat's aggregate cpu line since boot */
  cpu: CpuTicks;
  meminfo: MeminfoView;
}

/** An internet socket as netstat, ss and lsof print it. */
export interface InetSocket {
  proto: 'tcp' | 'udp';
  v6: boolean;
  local: string;
  lport: number;
  remote: string;
  rport: number;
  state: 'LISTEN' | 'ESTABLISHED' | 'UNCONN';
  inode: number;
  /** the queues, where the machine simulates them (the loopback TCP stack's connections); 0 otherwise */
  recvQ?: number;
  sendQ?: number;
}
