/**
 * Which of the known remedies are in place right now: a kernel with the anon_vma fix, an NSD whose
 * reload keeps the main process, or a cron job that restarts NSD often enough.
 */
import { allJobs } from '../../../machine/crond';
import { jobPeriodMinutes } from '../../../machine/crontab';
import { childBecomesMain } from './nsd';
import { kernelByRelease, newestInstalledKernel } from '../../../machine/packages';
import type { Ch1World } from './world';

interface FixStatus {
  runningKernel: string;
  runningKernelHasFix: boolean;
  /** the kernel grub will boot next */
  nextBootKernel: string;
  nextBootKernelHasFix: boolean;
  installedNsd: string;
  /** upstream version of the nsd that runs now, null when none does */
  runningNsd: string | null;
  runningNsdFixed: boolean;
  /** cron entries that fully restart nsd, with how often they fire */
  restartJobs: Array<{ file: string; user: string; command: string; periodMinutes: number | null }>;
}

export function fixes(w: Ch1World): FixStatus {
  const next = newestInstalledKernel(w);
  const run = w.nsd.running;
  return {
    runningKernel: w.k.release,
    runningKernelHasFix: w.k.anonVmaReuse,
    nextBootKernel: next.release,
    nextBootKernelHasFix: kernelByRelease(w, next.release)?.anonVmaReuse ?? false,
    installedNsd: w.nsd.installed,
    runningNsd: run ? run.version : null,
    runningNsdFixed: !!run && !childBecomesMain(run.version),
    restartJobs: nsdRestartJobs(w),
  };
}

/** Entries that fully restart NSD, and how often they fire. */
export function nsdRestartJobs(w: Ch1World): Array<{ file: string; user: string; command: string; periodMinutes: number | null }> {
  const re = /(service\s+nsd\s+restart|\/etc\/init\.d\/nsd\s+restart|invoke-rc\.d\s+nsd\s+restart|nsd-control\s+stop[^\n]*nsd-control\s+start|service\s+nsd\s+stop[^\n]*service\s+nsd\s+start|\/etc\/init\.d\/nsd\s+stop[^\n]*\/etc\/init\.d\/nsd\s+start)/;
  return allJobs(w)
    .filter((j) => re.test(j.command) && (j.user === 'root' || /\bsudo\b/.test(j.command)))
    .map((j) => ({ file: j.file, user: j.user, command: j.command.trim(), periodMinutes: jobPeriodMinutes(j) }));
}

