/**
 * The generic machine as its spells and the chapters see it. Conventions: every function takes the
 * world first; `rng` is the game's random stream for the machine; `user` is the effective user
 * ('root' under sudo); errors come back as data, nothing throws on bad input; times are virtual ms
 * since the epoch.
 */
export { scenarioOf, type AdvanceHooks, type AdvanceOptions } from './scenario';
/** Runs everything (timers, cron, reboots) up to a virtual time; re-entrant. */
export { advance } from './advance';
/** Logs the player in again (after a reboot or a lost session); returns the shell's pid or 0. */
export { login, sessionShell } from './session';
/** kill(2) with ESRCH/EPERM/EINVAL, and /proc/PID/oom_score_adj writes with EACCES/EINVAL */
export { kill, parseSignal, setOomScoreAdj } from './signals';
/** sysctl read/write, drop_caches, swap files, and resizing the VM (effective at next boot) */
export { sysctl, dropCaches, swapCreate, mkswap, swapon, swapoff, swapsView, setPhysicalMemory } from './memctl';
/** `reboot` as root */
export { reboot } from './power';
/** apt-get update/install/upgrade as data for the transcript formatter */
export { aptUpdate, aptInstall, aptUpgrade, type AptResult } from './apt';
export { aptPackagesView as aptPackages, installedKernelReleases, runningKernelBanner, suiteSources } from './packages';
export { compareDebVersions } from './debversion';
export { dpkgInstall, type ArchiveFile } from './dpkg';
/** /proc/meminfo, /proc/slabinfo, ps/top, /proc/PID/status, dmesg, syslog, uname, top's header */
export { meminfo, slabCaches, processes, procStatus, kernelLog, syslog, uname, systemSummary, pids } from './views';
/** the filesystems df lists, with what is used on them derived from the stored files and swap files */
export { filesystems, mountOf, type Filesystem } from './disk';
