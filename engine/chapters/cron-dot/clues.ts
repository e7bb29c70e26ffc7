import type { ChapterProgress } from '../../chapter';
import type { ClueId } from './storyContract';
import { EXPORT_LOG, SCRIPT, type CronDotWorld } from './sim/world';

/** the words after sudo */
const bare = (argv: string[]): string[] => (argv[0] === 'sudo' ? argv.slice(1) : argv);

/** What the player just saw and ran tells the chapter which clues they have now found. */
export function detectClues(w: CronDotWorld, progress: ChapterProgress, argvs: string[][], shown: string): ClueId[] {
  const found: ClueId[] = [];
  const add = (id: ClueId): void => {
    if (!progress.clues.includes(id) && !found.includes(id)) found.push(id);
  };
  const reads = (path: string) => argvs.some((a) => a.includes(path));
  if (reads(EXPORT_LOG) && / exported$/m.test(shown)) add('export_stale');
  if (/CRON\[\d+\]: \(root\) CMD \(\/usr\/local\/bin\/report-export\)/.test(shown)) add('cron_silent');
  if (argvs.some((a) => a.some((x) => x.startsWith('/etc/cron.d'))) && /report-export\.cron/.test(shown)) add('dotted_name');
  if (argvs.some((a) => bare(a)[0] === SCRIPT)) add('runs_by_hand');
  return found;
}

const hhmm = (t: number): string => new Date(t).toISOString().slice(11, 16);

export function journalEntry(w: CronDotWorld, id: string): string {
  switch (id) {
    case 'export_stale':
      return `The export's log ends at ${hhmm(w.report.lastExportAt)} UTC; it used to gain a line every five minutes.`;
    case 'cron_silent':
      return `Cron's last run of the export in syslog is at ${hhmm(w.report.lastExportAt)} UTC. Since then cron has not even tried.`;
    case 'dotted_name':
      return `The job's file is /etc/cron.d/report-export.cron, written at ${hhmm(w.report.deployAt)} UTC by the deploy. Debian's cron skips files in /etc/cron.d whose names have a dot.`;
    case 'runs_by_hand':
      return `Run by hand, the export works: the script is fine. Cron is not running it.`;
    default:
      return '';
  }
}
