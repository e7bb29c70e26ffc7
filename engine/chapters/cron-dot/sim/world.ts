import type { HostParams, MachineWorld } from '../../../machine/world';

/** The report box: the generic machine, and when the deploy renamed the job's file. */
export interface CronDotWorld extends MachineWorld {
  report: {
    /** virtual ms of the deploy that renamed /etc/cron.d/report-export */
    deployAt: number;
    /** the last export cron ran before the deploy */
    lastExportAt: number;
  };
}

export const JOB_FILE = '/etc/cron.d/report-export';
export const DOTTED_JOB_FILE = '/etc/cron.d/report-export.cron';
export const SCRIPT = '/usr/local/bin/report-export';
export const EXPORT_LOG = '/var/lib/report-export/runs.log';
/** the job runs every five minutes */
export const EVERY_MS = 5 * 60_000;

/** what the job's file holds (what the deploy's template wrote, before and after the rename) */
export const JOB_TABLE = `# report-export: hand the last five minutes of orders to the finance dashboard
# (written by config management)
SHELL=/bin/sh
PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin

*/5 * * * * root ${SCRIPT}
`;

export const EXPORT_SCRIPT = `#!/bin/sh
# report-export: the orders of the last five minutes go to the dashboard; one line per run here
date -u '+%Y-%m-%d %H:%M:%S exported' >> ${EXPORT_LOG}
`;

/** the line the script appends for a run at t */
export function exportLine(t: number): string {
  return `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} exported\n`;
}

export const HOST: HostParams = {
  hostname: 'reports-1',
  domain: 'example.com',
  ip: '10.0.3.21',
  gateway: '10.0.3.1',
  resolver: '10.0.0.2',
  sshClientIp: '10.0.9.14',
  memTotalKb: 2_048_016,
  totalRamPages: 524_157,
  directMap4kKb: 47_104,
  cpus: 1,
  collectdAnonKb: 40_000,
  kernelOtherKb: 36_000,
  shmemKb: 600,
  buffersPct: 5,
  cacheStartKb: 120_000,
  cacheGrowKbPerH: 8_000,
  cacheMaxKb: 1_000_000,
  cacheFloorKb: 50_000,
  reclStartKb: 30_000,
  reclGrowKbPerH: 500,
  reclMaxKb: 150_000,
  reclFloorKb: 15_000,
  vmallocUsedKb: 20_000,
};
