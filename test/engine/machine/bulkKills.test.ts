import { emptyLogs, klog } from '../../../engine/kernel/logs';
import type { LogState } from '../../../engine/kernel/types';
import { BulkKills, logBulkKills, runStarts } from '../../../engine/machine/syslog';

/**
 * A run of bulk reloads logs its kills through BulkKills, which writes them into the open run
 * once at the end; the logs must come out as logging each reload on its own leaves them.
 */
function logsWithPattern(): LogState {
  const logs = emptyLogs(0);
  klog(logs, 0, 1_000, 6, 'nsd[812]: nsd started (NSD 4.0.1), pid 812');
  // report 1 lists three tasks (2400 + 3 x 64 bytes in the ring), report 2 none (2400)
  logs.reports[1] = { refs: 1, rows: [1, 2, 3] };
  logs.reports[2] = { refs: 1, rows: [] };
  logs.nextReport = 3;
  logs.pattern = { reports: [1, 2], offsets: [0, 1_500] };
  return logs;
}

const starts = (n: number, from = 10_000): number[] => Array.from({ length: n }, (_, i) => from + i * 15_321.7);

describe('BulkKills', () => {
  it('leaves the logs as logBulkKills reload by reload does', () => {
    const one = logsWithPattern();
    const many = logsWithPattern();
    for (const t of starts(400)) logBulkKills(one, t, 2, 0);
    const k = new BulkKills(many);
    for (const t of starts(400)) k.log(t, 2, 0);
    k.flush();
    expect(many).toEqual(one);
  });

  it('trims the ring buffer to the kills that fit in 256 KiB, oldest first', () => {
    const logs = logsWithPattern();
    const k = new BulkKills(logs);
    for (const t of starts(400)) k.log(t, 2, 0);
    k.flush();
    // 800 kills of 2592 and 2400 bytes in turn: the last 105 (53 of 2400, 52 of 2592) fit in 262144
    expect(logs.kmsg).toEqual([{ kind: 'oomrun', t: 10_000, run: 1, skip: 695 }]);
    expect(logs.kmsgBytes).toBe(53 * 2400 + 52 * 2592);
    const run = logs.runs![1]!;
    expect(run.n).toBe(400);
    expect([...runStarts(run)]).toEqual(starts(400).map(Math.round));
  });

  it('starts a new run where the kills per reload change, as one by one does', () => {
    const one = logsWithPattern();
    const many = logsWithPattern();
    const k = new BulkKills(many);
    starts(30).forEach((t, i) => {
      const kills = i < 12 ? 2 : 3;
      logBulkKills(one, t, kills, 0);
      k.log(t, kills, 0);
    });
    k.flush();
    expect(many).toEqual(one);
    expect(Object.keys(many.runs!)).toEqual(['1', '2']);
    expect(many.runs![2]!.n).toBe(18);
  });

  it('logs nothing while syslog is down, as one by one does', () => {
    const logs = logsWithPattern();
    logs.syslogUp = false;
    const k = new BulkKills(logs);
    for (const t of starts(5)) k.log(t, 2, 0);
    k.flush();
    expect(logs.runs).toEqual({});
    expect(logs.kmsg).toHaveLength(1);
  });
});
