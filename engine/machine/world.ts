/**
 * The generic machine: an Ubuntu 14.04 box as plain JSON. A chapter's world extends this with the
 * state of its own software (a name server, a database...) and names the scenario that knows how
 * to run it; everything here is what any box has: a kernel, logs, cron, packages, power, files,
 * a load average and the player's login.
 */
import type { KernelState, LogState } from '../kernel/types';
import type { FileStore } from '../vfs/store';
import type { AuthEvent } from '../formats/authlog';
import type { CloudState } from './ebs/types';

/** What differs from one box to the next: its name and addresses, and its memory's shape. */
export interface HostParams {
  hostname: string;
  domain: string;
  ip: string;
  gateway: string;
  resolver: string;
  sshClientIp: string;
  memTotalKb: number;
  totalRamPages: number;
  directMap4kKb: number;
  cpus: number;
  /** resident anonymous memory of collectd, the box's monitoring agent */
  collectdAnonKb: number;
  kernelOtherKb: number;
  shmemKb: number;
  buffersPct: number;
  cacheStartKb: number;
  cacheGrowKbPerH: number;
  cacheMaxKb: number;
  cacheFloorKb: number;
  reclStartKb: number;
  reclGrowKbPerH: number;
  reclMaxKb: number;
  reclFloorKb: number;
  vmallocUsedKb: number;
}

interface CronRun {
  /** the cron child that logged CMD */
  pid: number;
  /** the shell it started */
  shPid: number;
  endAt: number;
  /** the job printed something, which cron would mail */
  mta: boolean;
}

interface CronState {
  /** next minute at which some job is due; Infinity never happens in JSON, so -1 means none */
  nextAt: number;
  /** mtimes cron has seen, per table file, to log RELOAD when they change */
  seen: Record<string, number>;
  running: CronRun[];
  cronPid: number;
  /** the D-Bus serial of the last call to init about cron that the bus refused (a user's `service cron stop`) */
  busSerial?: number;
}

export interface PkgVersion {
  version: string;
  suite: string;
  sizeKb: number;
  installedSizeKb: number;
  depends: string[];
  /** the day (YYYY-MM-DD, UTC) this version was on the archive by: nothing offered postdates the clock */
  date?: string;
}

export interface PkgEntry {
  name: string;
  section: string;
  summary: string;
  arch: string;
  installed: string | null;
  /** every version apt knows, newest last */
  versions: PkgVersion[];
  /** apt pins a suite for this package (/etc/apt/preferences.d) */
  pinnedSuite?: string;
  /** the archive component, when it is not main */
  component?: 'universe';
}

export interface PkgState {
  list: PkgEntry[];
  /** apt-get update has run since the game started */
  updated: boolean;
  rebootRequired: boolean;
}

interface PowerState {
  up: boolean;
  /** while down: when the kernel starts again */
  bootAt: number;
  /** RAM the VM will have after its next power cycle */
  nextMemTotalKb: number;
  nextTotalRamPages: number;
  /** a panic reboots after kernel.panic seconds */
  panicRebootAt: number;
  /** the root filesystem's size in 1K blocks (see disk.ts) */
  diskTotalKb: number;
  /**
   * what the system's own files take on it: everything but the files the game stores and the
   * swap files, which disk.ts adds from where they are kept
   */
  diskSystemKb: number;
}

/** one /var/log/wtmp record (machine/wtmp.ts writes them; struct utmp, the fields last reads) */
export type WtmpEntry =
  /** BOOT_TIME: user "reboot", line "~", host the kernel release */
  | { type: 'boot'; t: number; release: string }
  /** RUN_LVL: user "runlevel", line "~", the new level in ut_pid's low byte */
  | { type: 'runlevel'; t: number; level: string; release: string }
  /** user "shutdown", line "~~": written by halt/reboot on the way down */
  | { type: 'shutdown'; t: number; release: string }
  /** USER_PROCESS from sshd: ut_pid is the login shell's */
  | { type: 'login'; t: number; user: string; line: string; host: string; pid: number }
  /** DEAD_PROCESS from sshd when the session's shell is gone */
  | { type: 'logout'; t: number; line: string; pid: number };

export interface WtmpLog {
  /** when the current file was started (its ctime): last prints it when the file is empty */
  since: number;
  records: WtmpEntry[];
}

/** What the machine remembers of its own life: boots, panics, and lost logins. */
export interface MachineStats {
  reboots: number[];
  panics: number[];
  /** when the player's login session was lost (OOM or reboot) */
  sessionLost: number[];
  /** /var/log/wtmp (absent in saves from before it was kept: machine/wtmp.ts builds it from the rest) */
  wtmp?: WtmpLog;
  /** /var/log/auth.log's messages, all its rotated files' (absent in saves from before it was kept) */
  authlog?: AuthRecord[];
}

/** one authpriv message (machine/authlog.ts): its time, the program's tag and pid (0: none) */
export interface AuthRecord {
  t: number;
  tag: string;
  pid: number;
  e: AuthEvent;
}

/**
 * The load average's and CPU time's books (machine/load.ts keeps them the way Linux 3.16 does).
 */
export interface LoadState {
  /** the power-on these books started at: a new boot starts them again from zero */
  boot: number;
  /** virtual ms the books are written up to */
  at: number;
  /** when the next sample is taken */
  nextSample: number;
  /** avenrun[0..2], fixed point with FSHIFT fractional bits */
  avenrun: [number, number, number];
  /** tasks runnable or uninterruptible from `at` on, kernel work aside */
  active: number;
  /** kernel work declared by kernelWork(): one more task on a CPU over [workFrom, workTo) */
  workFrom: number;
  workTo: number;
  /** CPU ms since boot, all CPUs together */
  userMs: number;
  systemMs: number;
  /** Σ of the processes' CPU rates (ms per second) from `at` on */
  userRate: number;
}

export interface MachineWorld {
  /** the scenario that runs this box's own software (see scenario.ts) */
  scenario: string;
  now: number;
  p: HostParams;
  k: KernelState;
  logs: LogState;
  cron: CronState;
  pkgs: PkgState;
  machine: PowerState;
  files: FileStore;
  stats: MachineStats;
  load: LoadState;
  hardware: string;
  /** rsyslogd's pid, for its own messages */
  rsyslogPid: number;
  /** the player's login shell, 0 when logged out */
  sessionPid: number;
  sessionNo: number;
  /** the player's own reboot ended the session: logging back in needs no explanation */
  logoutExpected?: boolean;
  /** the EC2 account around the box (its EBS volumes and snapshots: machine/ebs); absent on a box with no cloud API */
  cloud?: CloudState;
}

/** Roles the machine itself gives processes; a scenario's services use their own. */
export const MACHINE_ROLE = {
  cron: 'cron-job',
  session: 'session',
} as const;
