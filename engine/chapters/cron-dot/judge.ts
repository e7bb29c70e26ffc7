import { cronDNameOk } from '../../machine/crontab';
import type { ObjectiveDef, ObjectiveVerdicts } from '../../objectives';
import type { FixKind } from './storyContract';
import { EVERY_MS, EXPORT_LOG, SCRIPT, type CronDotWorld } from './sim/world';

/** three runs in a row, on cron's five-minute marks, after the player arrived */
export const RUNS_NEEDED = 3;

export const OBJECTIVES: readonly ObjectiveDef[] = [
  { id: 'cause', label: 'Found why the export stopped', kind: 'milestone' },
  { id: 'exports', label: `Cron ran the export ${RUNS_NEEDED} times in a row`, kind: 'condition' },
];

/** a table line that runs the export (not a comment) */
const runsExport = (table: string): boolean => table.split('\n').some((l) => !l.trimStart().startsWith('#') && l.includes(SCRIPT));

/**
 * Where cron finds the job now, judged from the files as cron reads them: /etc/crontab, the files
 * in /etc/cron.d whose names cron accepts (no dots), and root's own crontab.
 */
export function currentFix(w: CronDotWorld): FixKind {
  for (const [path, f] of Object.entries(w.files.files)) {
    if (!runsExport(f.content)) continue;
    if (path.startsWith('/etc/cron.d/') && cronDNameOk(path.slice('/etc/cron.d/'.length))) return 'cron_d';
    if (path === '/etc/crontab' || path === '/var/spool/cron/crontabs/root') return 'crontab';
  }
  return 'none';
}

/** times of the export's lines, as the script wrote them (UTC, to the second) */
export function exportTimes(w: CronDotWorld): number[] {
  const out: number[] = [];
  for (const line of (w.files.files[EXPORT_LOG]?.content ?? '').split('\n')) {
    const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) exported$/.exec(line);
    if (m) out.push(Date.parse(`${m[1]}T${m[2]}Z`));
  }
  return out;
}

/**
 * Runs from cron since `from`: lines on the job's five-minute marks, to the second (cron starts
 * the job at the top of the minute; a run by hand lands wherever the typing did).
 */
export function cronRunsSince(w: CronDotWorld, from: number): number {
  return exportTimes(w).filter((t) => t > from && t % EVERY_MS === 0).length;
}

export function verdicts(w: CronDotWorld, clues: readonly string[], openedAt: number): ObjectiveVerdicts {
  const runs = cronRunsSince(w, openedAt);
  const fix = currentFix(w);
  return {
    cause: clues.includes('dotted_name') ? { status: 'done' } : { status: 'pending' },
    exports:
      fix === 'none'
        ? { status: 'failing', detail: `cron has not run the export since ${new Date(w.report.lastExportAt).toISOString().slice(11, 16)} UTC` }
        : runs >= RUNS_NEEDED
          ? { status: 'done' }
          : { status: 'holding', detail: `${runs} of ${RUNS_NEEDED} runs since you arrived` },
  };
}
