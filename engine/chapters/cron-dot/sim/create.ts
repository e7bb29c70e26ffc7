import { advance } from '../../../machine/advance';
import { powerOn, unbootedWorld } from '../../../machine/create';
import { baseFiles, file } from '../../../machine/files';
import { login } from '../../../machine/session';
import type { RngStreams } from '../../../rng';
import { SCENARIO_NAME } from './scenario';
import { DOTTED_JOB_FILE, EXPORT_LOG, EXPORT_SCRIPT, exportLine, HOST, JOB_FILE, JOB_TABLE, SCRIPT, type CronDotWorld } from './world';

const HOUR = 3_600_000;

/**
 * What the deploy does to the box (and does again whenever config management runs): the job's
 * table written under the template's new name, the file of the old name removed.
 */
export function deploy(w: CronDotWorld, t: number): void {
  delete w.files.files[JOB_FILE];
  w.files.files[DOTTED_JOB_FILE] = file(JOB_TABLE, t);
  w.report.deployAt = t;
}

/**
 * The box as the player finds it: up for a few days with the export running every five minutes,
 * then a deploy (its time drawn from the seed) that rewrote the job's file under a name with a
 * dot, which Debian's cron skips in /etc/cron.d; hours of silence since.
 */
export function createWorld(streams: RngStreams): CronDotWorld {
  const rng = streams.stream('report');
  const built = Date.UTC(2015, 3, 14, 9, 0, 0);
  const bootAt = Date.UTC(2015, 4, 11, 7, 0, 0) + rng.int(0, 50) * 60_000;
  const files = baseFiles(HOST, built);
  files.files[JOB_FILE] = file(JOB_TABLE, built);
  files.files[SCRIPT] = file(EXPORT_SCRIPT, built, 0o755);
  files.files[EXPORT_LOG] = file('', built);
  files.dirs['/var/lib/report-export'] = { mode: 0o755, owner: 'root', group: 'root' };
  const w = unbootedWorld({ scenario: SCENARIO_NAME, p: HOST, files, diskTotalKb: 8_123_812, diskUsedKb: 1_604_000, hardware: 'Xen HVM domU' }, bootAt, {
    report: { deployAt: 0, lastExportAt: 0 },
  });
  powerOn(w, streams, bootAt);
  // while the job's file had its old name, each of cron's runs appended the script's line (the
  // game's shell is not there yet, so the run's one effect is written here, at the run's moment)
  const ran = (command: string): void => {
    if (command.trim() !== SCRIPT) return;
    const log = w.files.files[EXPORT_LOG]!;
    log.content += exportLine(w.now);
    log.mtime = w.now;
    w.report.lastExportAt = w.now;
  };
  const deployAt = bootAt + (2 * 24 + rng.int(2, 9)) * HOUR + rng.int(1, 4) * 60_000 + rng.int(0, 59) * 1000;
  advance(w, streams, deployAt, { runCommand: ran });
  deploy(w, deployAt);
  const arriveAt = deployAt + rng.int(3, 6) * HOUR + rng.int(0, 59) * 60_000;
  advance(w, streams, arriveAt, { runCommand: ran });
  login(w, w.now);
  return w;
}
