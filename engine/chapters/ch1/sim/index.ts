/**
 * Chapter 1's simulation: a DNS secondary (Ubuntu 14.04, kernel 3.16.0-30, NSD 4.0.1) whose
 * reloads grow the anon_vma hierarchy until the OOM killer starts shooting NSD. Everything the
 * player sees is computed from this state; the engine drives it through these functions.
 *
 * Conventions: every function takes the world first; `rng` is the game's Rng whose state the
 * engine keeps in the save; `user` is the effective user ('root' under sudo); errors come back as
 * data, nothing throws on bad input; times are virtual ms since the epoch.
 */

// the world
export type { Ch1World } from './world';
export type { Ch1Params } from './params';
/** Builds the box and runs its history until the player logs in (OOM kills already under way). */
export { createCh1World } from './create';
/** A freshly booted box with a brand-new NSD, for tests and for a "what if" from scratch. */
export { bootedWorld } from './create';
/** Runs everything (zone transfers, reloads, cron, reboots) up to a virtual time; re-entrant. */
export { advance, type AdvanceOptions } from './advance';
export type { AdvanceHooks, CommandOutput } from './crond';
/** Logs the player in again (after a reboot or a lost session); returns the shell's pid or 0. */
export { login } from './session';

// actions
/** `service nsd start|stop|restart|reload|force-reload|status` */
export { serviceNsd, nsdControl, nsdVersion, type ToolOutput } from './service';
/** kill(2) with ESRCH/EPERM/EINVAL, and /proc/PID/oom_score_adj writes with EACCES/EINVAL */
export { kill, parseSignal, setOomScoreAdj } from './signals';
/** sysctl read/write, drop_caches, swap files, and resizing the VM (effective at next boot) */
export { sysctl, dropCaches, swapCreate, mkswap, swapon, swapoff, swapsView, setPhysicalMemory } from './memctl';
/** `reboot` as root, and a reset from the cloud console for a hung (panicked) kernel */
export { reboot, hardReset } from './machine';
/** apt-get update/install/upgrade/dist-upgrade as data for the transcript formatter */
export { aptUpdate, aptInstall, aptUpgrade, type AptResult, type AptUpdateLine } from './apt';
export { aptPackagesView as aptPackages, aptPolicy, type AptPlan, type AptFetch } from './packages';

// views
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
  sessionShell,
  type KernelLogEntry,
  type SyslogView,
  type ProcStatusView,
} from './views';
/** one dig run: the DigView and how long it took (timeouts take 15 s) */
export { dnsQuery, type DnsQuery } from './dns';
/** is some NSD serve child answering right now */
export { dnsServing } from './nsd';

// stats for objectives
/** once-a-minute probes that hit an outage, and total downtime, over a window */
export { dnsProbeFailures, downtimeMs, outagesIn, oomKillsIn, firstOomKill, firstOomKillSince } from './stats';
/** which remedies are in place: fixed kernel, NSD >= 4.1, a cron restart and its period */
export { fixes, type FixStatus } from './fixes';
