/**
 * A scenario is the software a chapter installs on the generic machine: its services (daemons
 * init starts at boot), the timers they run on, the kernels and packages its archive offers, and
 * the hooks through which the machine lets it keep its own books. The machine's state names its
 * scenario; the scenario itself is code, registered once when the chapter loads, never saved.
 */
import type { StraceEvent } from '../formats/strace';
import type { AllocCtx } from '../kernel/alloc';
import type { KnobTable } from '../kernel/sysctl';
import type { Proc } from '../kernel/types';
import type { TcpEvent } from '../kernel/tcp';
import type { Json } from '../types';
import type { RngStreams } from '../rng';
import type { NetworkView } from './downloads';
import type { PkgEntry } from './world';
import type { MachineWorld } from './world';

/** A burst of kernel work starting at one instant: the allocation context and the world it acts on. */
export interface Burst extends AllocCtx {
  w: MachineWorld;
}

export interface CommandOutput {
  stdout: string;
  stderr: string;
  code: number;
}

/** What an advance of the clock may do on the player's behalf. */
export interface AdvanceHooks {
  /** run a command through the shell at the current virtual time; cron uses it */
  runCommand?(command: string, user: string): CommandOutput | void;
  /**
   * Ctrl-C: asked between the scheduler's events. Once it says true the advance stops at that
   * boundary, with the world exactly as it is after the last event fired.
   */
  interrupted?(): boolean;
}

export interface AdvanceOptions {
  /** run every step of the scenario's work exactly, never in bulk (for tests comparing both paths) */
  exact?: boolean;
}

/** One advance of the clock, as a timer source sees it while it fires. */
export interface AdvanceRun {
  /** the game's random streams: each subsystem draws from its own */
  streams: RngStreams;
  /** where this advance stops */
  toMs: number;
  hooks: AdvanceHooks;
  opts: AdvanceOptions;
  /** the earliest time any source but these is due: a source may run ahead in bulk until then */
  nextOther(except: readonly string[]): number;
}

/**
 * Something that happens at times it knows in advance. The scheduler asks every source for its
 * next time and fires the earliest (ties go to the source registered first), so nothing is
 * polled and a week with nothing to do costs nothing.
 */
export interface TimerSource<W extends MachineWorld = MachineWorld> {
  name: string;
  /** virtual ms of the next firing; Infinity when none is due */
  next(w: W): number;
  fire(w: W, t: number, run: AdvanceRun): void;
  /** the source keeps its own books: the scheduler neither settles nor books the world around it */
  own?: boolean;
  /** with own: the scheduler books the world around this firing after all, when this says so */
  books?(w: W): boolean;
}

/** One thing strace saw a traced process do (the formatter's record, so a chapter fills it in directly). */
export type TraceEvent = StraceEvent;

/** What strace asks a service about one of its processes over a traced interval. */
export interface TraceRequest {
  pid: number;
  from: number;
  to: number;
  /** -f: the children it forks are traced too */
  follow: boolean;
  /** the process table when strace attached */
  before: ReadonlyArray<{ pid: number; ppid: number; role: string; start: number }>;
}

/** A daemon of the scenario's, as init and the kernel see it. */
export interface ServiceDef<W extends MachineWorld = MachineWorld> {
  /** the name `service NAME ...` and the init script use */
  name: string;
  /** ms after power-on at which init starts it */
  bootAtMs: number;
  /** the machine powered on: forget what ran before, then start at t */
  boot(w: W, t: number): void;
  /** the machine went down (a panic, a reboot, a reset): its timers stop until it boots again */
  halted(w: W): void;
  /** what its processes do with a signal; false when the machine's default applies */
  signal?(ctx: Burst, p: Proc, sig: number): boolean;
  /** the package it comes from: dpkg's maintainer scripts stop it before an upgrade and start it after */
  package?: {
    name: string;
    /** prerm: stop the running daemon; what the init script printed */
    prerm(ctx: Burst): string[];
    /** postinst: the new version is on disk; start it; what the init script printed */
    postinst(ctx: Burst, version: string): string[];
  };
  /** `service NAME ACTION` as root: the init script's output and exit code */
  initScript?(w: W, action: string, user: string): CommandOutput;
  /** strace -p: the system calls one of its processes made between req.from and req.to; null when the pid is not its */
  syscalls?(w: W, req: TraceRequest): TraceEvent[] | null;
  /** the sockets its processes hold open (netstat, ss, lsof); none once no process holds them */
  sockets?(w: W): ServiceSocket[];
  /** an upstart job (/etc/init/NAME.conf) rather than an init.d script: initctl lists and drives it */
  upstart?: UpstartJob<W>;
}

/** What initctl asks of a scenario's upstart job. */
export interface UpstartJob<W extends MachineWorld = MachineWorld> {
  /** its main process while it has one */
  mainPid(w: W): number | null;
  /** what init is trying to do with it */
  goal(w: W): 'start' | 'stop';
  /** initctl start|stop|restart|reload|status NAME as `user`: what upstart prints, and its exit code */
  control(w: W, verb: string, user: string): CommandOutput;
}

/** A listening socket of a service, and which of its processes hold it (a fork inherits the descriptor). */
export interface ServiceSocket {
  proto: 'tcp' | 'udp';
  /** the address it is bound to: '0.0.0.0', '127.0.0.1', '::' */
  local: string;
  port: number;
  holders: Array<{ pid: number; fd: number }>;
}

export interface KernelBuild {
  release: string;
  /** uname -v */
  version: string;
  /** carries the anon_vma reuse of upstream 7a3ef208 (or its backport) */
  anonVmaReuse: boolean;
  image: string;
  pkgVersion: string;
  /** for the boot banner */
  builder: string;
  upstream: string;
  /** the banner's compiler, `gcc version ... `; trusty's gcc 4.8.2 when absent */
  compiler?: string;
  /** a mainline build from kernel.ubuntu.com: vanilla source, no Ubuntu version signature */
  mainline?: boolean;
}

/**
 * A kernel subsystem a scenario adds to the core (memory, slab and the OOM killer are always
 * there): its knobs under /proc/sys, and its state, kept in KernelState.subsys under its name.
 */
export interface KernelSubsystem {
  name: string;
  knobs: KnobTable;
  /** its state on a freshly booted kernel */
  boot?(): Json;
}

export interface Scenario<W extends MachineWorld = MachineWorld> {
  name: string;
  /** kernel subsystems beyond the core this box's kernel is built with */
  kernel?: ReadonlyArray<KernelSubsystem>;
  /** files under /proc the scenario's subsystems or daemons add (path below /proc, text on each read) */
  procFiles?: Readonly<Record<string, (w: W) => string>>;
  /** SigIgn/SigCgt of the scenario's own processes, as their software installs handlers; undefined for others */
  signalMasks?(w: W, p: Proc): { ign: bigint; cgt: bigint } | undefined;
  /** the session (and process group) of the scenario's own processes when it is not what ps infers; undefined for others */
  sessionOf?(w: W, p: Proc): number | undefined;
  services: ReadonlyArray<ServiceDef<W>>;
  /** timers after the machine's own (power, cron), in tie-break order */
  sources: ReadonlyArray<TimerSource<W>>;
  /** the kernel images the archive offers, oldest first */
  kernels: ReadonlyArray<KernelBuild>;
  /** what the box can download besides the archive (wget); none when absent */
  network?: NetworkView;
  /** the packages the box knows (installed or not) when it is built */
  packages(): PkgEntry[];
  /** a burst of work at t (a cron job, a service starting at boot) */
  burst(w: W, t: number): Burst;
  /** a player's action begins now: lazy work is brought up to date and a burst opens for it */
  actionStart(w: W): Burst;
  /** the action's burst is over (its dead already reaped) */
  actionDone(w: W, ctx: Burst): void;
  /** processes that died in a burst go to their parents; the machine's own deaths are noted first */
  reap(ctx: Burst): void;
  /** bring work the scenario applies lazily up to date before the machine looks at the world */
  settle(w: W): void;
  /** the scenario is busy until then: the machine's own work starts after */
  busyUntil(w: W): number;
  /** bookkeeping around every firing of the machine's own timers: before and after the world changes at t */
  beforeChange(w: W, t: number): void;
  afterChange(w: W, t: number): void;
  /** anything the scenario has cached about the world's structure is stale (a knob or a process changed) */
  invalidate(w: W): void;
  /** what the kernel's TCP stack tells the programs (a connection up, bytes to read, the peer gone), at its moment */
  tcpEvent?(w: W, e: TcpEvent): void;
  /** the text of one entry of the compact syslog ring (the scenario's busiest daemon writes it) */
  compactLine?(w: W, pid: number, a: number, b: number, t: number): { tag: string; text: string };
}

const SCENARIOS = new Map<string, Scenario<any>>();

/** Registers a scenario under its name; the chapter that owns it does this when it loads. */
export function registerScenario<W extends MachineWorld>(s: Scenario<W>): Scenario<W> {
  SCENARIOS.set(s.name, s);
  return s;
}

export function scenarioOf<W extends MachineWorld>(w: W): Scenario<W> {
  const s = SCENARIOS.get(w.scenario);
  if (!s) throw new RangeError(`no scenario '${w.scenario}' is registered`);
  return s as Scenario<W>;
}
