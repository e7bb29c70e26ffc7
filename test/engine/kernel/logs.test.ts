import { emptyLogs, klogOom, reportOf, release } from '../../../engine/kernel/logs';
import type { CompactReport } from '../../../engine/kernel/types';

/** A report as the OOM killer builds it: two tasks, the second one killed. */
function report(pid: number): CompactReport {
  return {
    trigger: { comm: 'nsd', pid, gfpMask: 0xd0, order: 0, oomScoreAdj: 0 },
    cpu: 1,
    kernelRelease: '3.16.0-30-generic',
    kernelBuild: '#40~14.04.1-Ubuntu',
    hardware: 'Xen HVM domU, BIOS 4.2.amazon 11/11/2014',
    mem: {
      activeAnon: 63341, inactiveAnon: 10311, activeFile: 7455, inactiveFile: 5399, unevictable: 0, dirty: 81, writeback: 0, free: 5845,
      slabReclaimable: 4872, slabUnreclaimable: 903372, mapped: 12123, shmem: 296, pagetables: 685, kernelStackKb: 1568, minKb: 2010,
      lowKb: 2513, highKb: 3015, presentKb: 1047924, managedKb: 1011048, swapTotalKb: 0, swapFreeKb: 0, pageCachePages: 13151,
      totalRamPages: 1048413, reservedPages: 36876,
    },
    tasks: [641, 0, 15341, 775, 8, 0, -1000, pid, 106, 60448, 34475, 118, 0, 0],
    names: ['sshd', 'nsd'],
    chosen: { pid, comm: 'nsd', score: 35 },
    killed: { pid, comm: 'nsd', totalVmKb: 241792, anonRssKb: 137900, fileRssKb: 1580 },
  };
}

describe('stored OOM reports', () => {
  it('come back exactly as the killer wrote them, and rows shared by two reports are kept once', () => {
    const logs = emptyLogs(-1);
    klogOom(logs, 0, 1000, report(13183));
    klogOom(logs, 0, 2000, report(13190));
    const a = reportOf(logs, 1)!;
    expect(a.trigger).toEqual({ comm: 'nsd', pid: 13183, gfpMask: 0xd0, order: 0, oomScoreAdj: 0 });
    expect(a.mem.slabUnreclaimable).toBe(903372);
    expect(a.mem.reservedPages).toBe(36876);
    expect(a.killed).toEqual({ pid: 13183, comm: 'nsd', totalVmKb: 241792, anonRssKb: 137900, fileRssKb: 1580 });
    expect(a.tasks).toEqual([
      { pid: 641, uid: 0, tgid: 641, totalVm: 15341, rss: 775, nrPtes: 8, swapents: 0, oomScoreAdj: -1000, name: 'sshd' },
      { pid: 13183, uid: 106, tgid: 13183, totalVm: 60448, rss: 34475, nrPtes: 118, swapents: 0, oomScoreAdj: 0, name: 'nsd' },
    ]);
    expect(reportOf(logs, 2)!.tasks[1]!.pid).toBe(13190);
    // sshd's row is one row for both reports; each nsd has its own
    expect(Object.keys(logs.rows!)).toHaveLength(3);
    // a report and its rows go when the ring buffer and syslog both let go of it
    for (const e of [...logs.kmsg, ...logs.syslog]) release(logs, e);
    expect(logs.reports).toEqual({});
    expect(logs.rows).toEqual({});
  });

  it('share a row only when its pid, numbers and name all match, also in a game loaded from its JSON', () => {
    const logs = emptyLogs(-1);
    klogOom(logs, 0, 1000, report(13183));
    // the same pid with other numbers (sshd grew), and with another name (the pid was reused)
    const grown = report(13190);
    grown.tasks[3] = 776;
    klogOom(logs, 0, 2000, grown);
    const renamed = report(13191);
    renamed.names[0] = 'sshd2';
    klogOom(logs, 0, 3000, renamed);
    expect(Object.values(logs.rows!).map((r) => `${r.name}:${r.v[0]}:${r.v[3]}`)).toEqual([
      'sshd:641:775', 'nsd:13183:34475', 'sshd:641:776', 'nsd:13190:34475', 'sshd2:641:775', 'nsd:13191:34475',
    ]);
    // a loaded game has new objects: the rows are found by what they hold, not by where they were
    const loaded = JSON.parse(JSON.stringify(logs)) as typeof logs;
    klogOom(loaded, 0, 4000, report(13183));
    expect(Object.keys(loaded.rows!)).toHaveLength(6);
    expect(loaded.rows![1]!.refs).toBe(2);
    expect(loaded.rows![2]!.refs).toBe(2);
    // a row that went is not found again: the same task later gets a new row
    for (const e of [...loaded.kmsg, ...loaded.syslog]) if (e.kind === 'oom' && (e.id === 1 || e.id === 4)) release(loaded, e);
    expect(loaded.rows![1]).toBeUndefined();
    klogOom(loaded, 0, 5000, report(13183));
    expect(Object.values(loaded.rows!).filter((r) => r.name === 'sshd' && r.v[3] === 775)).toHaveLength(1);
    expect(Object.keys(loaded.rows!).map(Number)).toContain(7);
  });
});
