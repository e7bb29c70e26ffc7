import { formatLoadavg, formatOomScore, formatProcPidStatus, formatProcStat } from '../../../engine/formats/procPidStatus';
import { proc } from './fixtures';

describe('/proc/PID/status (3.16)', () => {
  const nsd = proc({
    pid: 1234, ppid: 1, uid: 108, user: 'nsd', comm: 'nsd', args: '/usr/sbin/nsd', vszKb: 493824, rssKb: 182112,
    anonRssKb: 180912, nrPtes: 234, oomScore: 88,
  });

  it('prints the task and memory sections with tabs and %8lu kB', () => {
    const lines = formatProcPidStatus(nsd, { gid: 116, vmExeKb: 728, vmLibKb: 3012, voluntaryCtxtSwitches: 9123, nonvoluntaryCtxtSwitches: 17 }).split('\n');
    expect(lines.slice(0, 23)).toEqual([
      'Name:\tnsd',
      'State:\tS (sleeping)',
      'Tgid:\t1234',
      'Ngid:\t0',
      'Pid:\t1234',
      'PPid:\t1',
      'TracerPid:\t0',
      'Uid:\t108\t108\t108\t108',
      'Gid:\t116\t116\t116\t116',
      'FDSize:\t64',
      'Groups:\t',
      'VmPeak:\t  493824 kB',
      'VmSize:\t  493824 kB',
      'VmLck:\t       0 kB',
      'VmPin:\t       0 kB',
      'VmHWM:\t  182112 kB',
      'VmRSS:\t  182112 kB',
      `VmData:\t  ${493824 - 136 - 728 - 3012} kB`,
      'VmStk:\t     136 kB',
      'VmExe:\t     728 kB',
      'VmLib:\t    3012 kB',
      // nr_ptes page-table pages of 4 KiB each
      'VmPTE:\t     936 kB',
      'VmSwap:\t       0 kB',
    ]);
    expect(lines.slice(23)).toEqual([
      'Threads:\t1',
      'SigQ:\t0/7862',
      'SigPnd:\t0000000000000000',
      'ShdPnd:\t0000000000000000',
      'SigBlk:\t0000000000000000',
      'SigIgn:\t0000000000000000',
      'SigCgt:\t0000000000000000',
      'CapInh:\t0000000000000000',
      'CapPrm:\t0000000000000000',
      'CapEff:\t0000000000000000',
      'CapBnd:\t0000001fffffffff',
      'Seccomp:\t0',
      'Cpus_allowed:\t3',
      'Cpus_allowed_list:\t0-1',
      `Mems_allowed:\t${'00000000,'.repeat(31)}00000001`,
      'Mems_allowed_list:\t0',
      'voluntary_ctxt_switches:\t9123',
      'nonvoluntary_ctxt_switches:\t17',
      '',
    ]);
  });

  it('has no memory lines for kernel threads and zombies', () => {
    const k = formatProcPidStatus(proc({ pid: 2, comm: 'kthreadd', kernelThread: true }));
    expect(k).not.toContain('VmSize');
    expect(k).toContain('CapEff:\t0000001fffffffff\n');
    const z = formatProcPidStatus(proc({ pid: 10, comm: 'nsd', state: 'Z' }));
    expect(z).toContain('State:\tZ (zombie)\n');
    expect(z).not.toContain('VmRSS');
  });

  it('prints oom_score as a bare number', () => {
    expect(formatOomScore(nsd)).toBe('88\n');
  });
});

describe('/proc/loadavg and /proc/stat (fs/proc/loadavg.c and stat.c of 3.16)', () => {
  it('prints three averages with two decimals, running/total and the last pid', () => {
    expect(formatLoadavg([0.07, 1.5, 12.34], 2, 143, 21088)).toBe('0.07 1.50 12.34 2/143 21088\n');
  });

  it('prints the cpu lines (two spaces after the aggregate "cpu"), then the counters', () => {
    const c = (user: number, system: number, idle: number) => ({ user, nice: 0, system, idle, iowait: 0, irq: 0, softirq: 0, steal: 0 });
    const text = formatProcStat({
      cpus: [c(300, 700, 9000), c(150, 350, 4500), c(150, 350, 4500)],
      intr: 250,
      ctxt: 400,
      btime: 1426956064,
      processes: 150,
      procsRunning: 2,
      procsBlocked: 0,
      softirqs: [0, 250, 0, 0, 0, 0, 0, 0, 0, 250],
    });
    expect(text).toBe(
      'cpu  300 0 700 9000 0 0 0 0 0 0\n' +
        'cpu0 150 0 350 4500 0 0 0 0 0 0\n' +
        'cpu1 150 0 350 4500 0 0 0 0 0 0\n' +
        'intr 250\n' +
        'ctxt 400\n' +
        'btime 1426956064\n' +
        'processes 150\n' +
        'procs_running 2\n' +
        'procs_blocked 0\n' +
        'softirq 500 0 250 0 0 0 0 0 0 0 250\n',
    );
  });
});
