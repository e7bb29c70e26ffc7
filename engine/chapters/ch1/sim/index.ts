/**
 * Chapter 1's simulation: a DNS secondary (Ubuntu 14.04, kernel 3.16.0-30, NSD 4.0.1) whose
 * reloads grow the anon_vma hierarchy until the OOM killer starts shooting NSD. The generic
 * machine (engine/machine) runs the box; this is the scenario on it. Everything the player sees is
 * computed from this state; the engine drives it through these functions.
 *
 * Conventions: every function takes the world first; `rng` is the game's Rng whose state the
 * engine keeps in the save; `user` is the effective user ('root' under sudo); errors come back as
 * data, nothing throws on bad input; times are virtual ms since the epoch.
 */

// the world
export type { Ch1World } from './world';
/** the scenario: NSD as a service, its timers, its bookkeeping (registered when this module loads) */
export { ch1Scenario } from './scenario';
/** Builds the box and runs its history until the player logs in (OOM kills already under way). */
export { createCh1World } from './create';
/** A freshly booted box with a brand-new NSD, for tests and for a "what if" from scratch. */
export { bootedWorld } from './create';
/** the machine, as chapter 1 uses it */
export {
  advance,
  login,
  kill,
  setOomScoreAdj,
  sysctl,
  dropCaches,
  swapCreate,
  mkswap,
  swapon,
  swapoff,
  swapsView,
  setPhysicalMemory,
  reboot,
  aptInstall,
  aptUpgrade,
  dpkgInstall,
  meminfo,
  slabCaches,
  processes,
  kernelLog,
  syslog,
  uname,
  pids,
  type AdvanceOptions,
  type AdvanceHooks,
} from '../../../machine/index';

// NSD
/** `service nsd start|stop|restart|reload|force-reload|status`, `nsd-control`, `nsd -v` */
export { serviceNsd, nsdControl, nsdVersion } from './service';
/** one dig run: the DigView and how long it took (timeouts take 15 s) */
export { dnsQuery } from './dns';
/** is some NSD serve child answering right now */
export { dnsServing } from './serving';

// stats for objectives
/** once-a-minute probes that hit an outage, and total downtime, over a window */
export { dnsProbeFailures, downtimeMs, oomKillsIn, firstOomKill, firstOomKillSince } from './stats';
/** which remedies are in place: fixed kernel, NSD >= 4.1, a cron restart and its period */
export { fixes } from './fixes';
