import {
  formatVmstatFirst, formatVmstatForks, formatVmstatHeader, formatVmstatNext, formatVmstatSlabLine, formatVmstatStats,
  parseVmstatArgs, VMSTAT_SLAB_HEADER, type VmstatOptions, type VmstatSample,
} from '../../../engine/formats/vmstat';
import type { CpuTicks } from '../../../engine/formats/types';
import { cache, meminfo } from './fixtures';

/** vmstat of procps-ng 3.3.9 (vmstat.c at v3.3.9): the expected text is worked out by hand from its printf formats. */
function opts(argv: string[]): VmstatOptions {
  const p = parseVmstatArgs(argv);
  if (!p.ok) throw new Error(p.stderr);
  return p.options;
}

const ticks = (c: Partial<CpuTicks>): CpuTicks => ({ user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0, ...c });

function sample(cpu: Partial<CpuTicks>, over: { intr?: number; ctxt?: number; free?: number } = {}): VmstatSample {
  return {
    stat: {
      cpus: [ticks(cpu)],
      intr: over.intr ?? 50000,
      ctxt: over.ctxt ?? 120000,
      btime: 1426956064,
      processes: 117755,
      // vmstat itself is one of the three running
      procsRunning: 3,
      procsBlocked: 1,
      softirqs: [],
    },
    mem: meminfo(over.free === undefined ? {} : { MemFree: over.free }),
    pgpgin: 0,
    pgpgout: 0,
    pswpin: 0,
    pswpout: 0,
  };
}

// 10000 ticks since boot: 3% user, 7% system, 89% idle, 1% iowait
const first = sample({ user: 300, system: 700, idle: 8900, iowait: 100 });
// five seconds later: 200 user, 300 system, 500 idle ticks more; 1000 interrupts, 2503 switches
const later = sample({ user: 500, system: 1000, idle: 9400, iowait: 100 }, { intr: 51000, ctxt: 122503, free: 50000 });

describe('vmstat (procps-ng 3.3.9)', () => {
  it('prints the two header lines', () => {
    expect(formatVmstatHeader(opts([]))).toBe(
      'procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----\n' +
        ' r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st\n',
    );
    expect(formatVmstatHeader(opts(['-w', '-a']))).toBe(
      'procs ---------------memory-------------- ---swap-- -----io---- -system-- ------cpu-----\n' +
        ' r  b     swpd     free    inact   active   si   so    bi    bo   in   cs us sy id wa st\n',
    );
  });

  it('averages the first line over every tick since boot, rounding half up, leaving itself out of r', () => {
    expect(formatVmstatFirst(opts([]), first)).toBe(' 2  1      0  61232   1204  20536    0    0     0     0  500 1200  3  7 89  1  0\n');
  });

  it('takes each later line over the delay', () => {
    expect(formatVmstatNext(opts(['5']), first, later, 5)).toBe(' 2  1      0  50000   1204  20536    0    0     0     0  200  501 20 30 50  0  0\n');
  });

  it('shows inactive and active with -a, wide columns with -w, and other units with -S', () => {
    expect(formatVmstatFirst(opts(['-a']), first)).toBe(' 2  1      0  61232  10000 390000    0    0     0     0  500 1200  3  7 89  1  0\n');
    expect(formatVmstatFirst(opts(['-w']), first)).toBe(' 2  1        0    61232     1204    20536    0    0     0     0  500 1200  3  7 89  1  0\n');
    // KiB / 1048576 * 1024, truncated: 61232 -> 59, 1204 -> 1, 20536 -> 20
    expect(formatVmstatFirst(opts(['-S', 'M']), first)).toBe(' 2  1      0     59      1     20    0    0     0     0  500 1200  3  7 89  1  0\n');
    // powers of 1000: 61232 -> 62
    expect(formatVmstatFirst(opts(['-S', 'm']), first).slice(0, 20)).toBe(' 2  1      0     62 ');
  });

  it('prints the counters with -s, "swap cache" holding Cached as 3.3.9 does', () => {
    expect(formatVmstatStats(opts(['-s']), first)).toBe(
      [
        '      2048036 K total memory',
        '      1986804 K used memory',
        '       390000 K active memory',
        '        10000 K inactive memory',
        '        61232 K free memory',
        '         1204 K buffer memory',
        '        20536 K swap cache',
        '            0 K total swap',
        '            0 K used swap',
        '            0 K free swap',
        '          300 non-nice user cpu ticks',
        '            0 nice user cpu ticks',
        '          700 system cpu ticks',
        '         8900 idle cpu ticks',
        '          100 IO-wait cpu ticks',
        '            0 IRQ cpu ticks',
        '            0 softirq cpu ticks',
        '            0 stolen cpu ticks',
        '            0 pages paged in',
        '            0 pages paged out',
        '            0 pages swapped in',
        '            0 pages swapped out',
        '        50000 interrupts',
        '       120000 CPU context switches',
        '   1426956064 boot time',
        '       117755 forks',
      ].join('\n') + '\n',
    );
    expect(formatVmstatForks(first)).toBe('       117755 forks\n');
  });

  it('lists slab caches with -m, objects per slab in the column called Pages', () => {
    expect(VMSTAT_SLAB_HEADER).toBe('Cache                       Num  Total   Size  Pages\n');
    expect(formatVmstatSlabLine(cache({ name: 'anon_vma', activeObjs: 1500, numObjs: 1530, objSize: 80, objPerSlab: 51 }))).toBe(
      'anon_vma                   1500   1530     80     51\n',
    );
  });

  it('parses DELAY and COUNT, and refuses what 3.3.9 refuses', () => {
    expect(opts(['5', '3'])).toMatchObject({ delaySeconds: 5, count: 3 });
    expect(opts(['5'])).toMatchObject({ delaySeconds: 5 });
    expect(opts(['5']).count).toBeUndefined();
    const bad = (argv: string[]) => {
      const p = parseVmstatArgs(argv);
      return p.ok ? null : [p.stderr.split('\n')[0], p.code];
    };
    expect(bad(['0'])).toEqual(['vmstat: delay must be positive integer', 1]);
    expect(bad(['x'])).toEqual(["vmstat: failed to parse argument: 'x'", 1]);
    expect(bad(['5000000000'])).toEqual(['vmstat: too large delay value', 1]);
    expect(bad(['-S', 'x'])).toEqual(['vmstat: -S requires k, K, m or M (default is KiB)', 1]);
    expect(bad(['-z'])).toEqual(["vmstat: invalid option -- 'z'", 1]);
    expect(bad(['-s', '-m'])).toEqual(['', 1]);
    expect(bad(['1', '2', '3'])).toEqual(['', 1]);
    const v = parseVmstatArgs(['-V']);
    expect(!v.ok && v.stdout).toBe('vmstat from procps-ng 3.3.9\n');
    const h = parseVmstatArgs(['--help']);
    expect(!h.ok && h.stdout.startsWith('\nUsage:\n vmstat [options] [delay [count]]\n\nOptions:\n -a, --active           active/inactive memory\n')).toBe(true);
  });
});
