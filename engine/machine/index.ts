/**
 * The generic machine as its spells and the chapters see it. Conventions: every function takes the
 * world first; `rng` is the game's random stream for the machine; `user` is the effective user
 * ('root' under sudo); errors come back as data, nothing throws on bad input; times are virtual ms
 * since the epoch.
 */
export type { MachineWorld, HostParams } from './world';
export { MACHINE_ROLE } from './world';
export { registerScenario, scenarioOf, type Scenario, type ServiceDef, type TimerSource, type Burst, type AdvanceHooks, type AdvanceOptions, type AdvanceRun, type CommandOutput } from './scenario';
/** Runs everything (timers, cron, reboots) up to a virtual time; re-entrant. */
export { advance } from './advance';
export { bootMachine, BOOT_MS } from './boot';
/** Logs the player in again (after a reboot or a lost session); returns the shell's pid or 0. */
export { login, sessionShell } from './session';
export { withStep } from './act';
/** kill(2) with ESRCH/EPERM/EINVAL, and /proc/PID/oom_score_adj writes with EACCES/EINVAL */
export { kill, parseSignal, setOomScoreAdj } from './signals';
/** sysctl read/write, drop_caches, swap files, and resizing the VM (effective at next boot) */
export { sysctl, dropCaches, swapCreate, mkswap, swapon, swapoff, swapsView, setPhysicalMemory } from './memctl';
/** `reboot` as root, and a reset from the cloud console for a hung (panicked) kernel */
export { reboot, hardReset, panicMachine, afterBurst } from './power';
/** apt-get update/install/upgrade as data for the transcript formatter */
export { aptUpdate, aptInstall, aptUpgrade, type AptResult, type AptUpdateLine } from './apt';
export { aptPackagesView as aptPackages, aptPolicy, type AptPlan, type AptFetch } from './packages';
/** /proc/meminfo, /proc/slabinfo, ps/top, /proc/PID/status, dmesg, syslog, uname, top's header */
export {
  meminfo,
  slabCaches,
  processes,
  procStatus,
  procMapsCount,
  kernelLog,
  syslog,
  uname,
  systemSummary,
  pids,
  type KernelLogEntry,
  type SyslogView,
  type ProcStatusView,
} from './views';
