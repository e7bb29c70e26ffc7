import { formatOomScore, formatProcPidStatus } from '../../../engine/formats/procPidStatus';
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
