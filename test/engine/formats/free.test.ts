import { formatFree, freeNumbers, parseFreeArgs, scaleSize, type FreeOptions } from '../../../engine/formats/free';
import { meminfo } from './fixtures';

const base: FreeOptions = { exponent: 0, human: false, si: false, lohi: false, old: false, total: false, repeat: false, intervalSeconds: 1 };
const m = meminfo();

/**
 * free of procps-ng 3.3.9 (free.c at v3.3.9), the one Ubuntu 14.04 ships. The fixture has
 * MemTotal 2048036, MemFree 61232, Shmem 360, Buffers 1204, Cached 20536, no swap.
 */
describe('free (procps-ng 3.3.9 layout)', () => {
  it('takes used as total - free and cached as the Cached field alone', () => {
    const n = freeNumbers(m);
    expect(n.used).toBe(2048036 - 61232);
    expect(n.cached).toBe(20536);
    expect(n.shared).toBe(360);
  });

  it('prints the 3.3.9 header, %-7s labels, " %10s" columns and the -/+ buffers/cache line', () => {
    expect(formatFree(m, base)).toBe(
      '             total       used       free     shared    buffers     cached\n' +
        'Mem:       2048036    1986804      61232        360       1204      20536\n' +
        '-/+ buffers/cache:    1965064      82972\n' +
        'Swap:            0          0          0\n',
    );
  });

  it('prints the same in KiB with -k', () => {
    expect(formatFree(m, { ...base, exponent: 2 })).toBe(formatFree(m, base));
  });

  it('prints bytes with -b', () => {
    expect(formatFree(m, { ...base, exponent: 1 })).toBe(
      '             total       used       free     shared    buffers     cached\n' +
        'Mem:    2097188864 2034487296   62701568     368640    1232896   21028864\n' +
        '-/+ buffers/cache: 2012225536   84963328\n' +
        'Swap:            0          0          0\n',
    );
  });

  it('prints truncated MiB with -m and GiB with -g', () => {
    expect(formatFree(m, { ...base, exponent: 3 })).toBe(
      '             total       used       free     shared    buffers     cached\n' +
        'Mem:          2000       1940         59          0          1         20\n' +
        '-/+ buffers/cache:       1919         81\n' +
        'Swap:            0          0          0\n',
    );
    expect(formatFree(m, { ...base, exponent: 4 })).toBe(
      '             total       used       free     shared    buffers     cached\n' +
        'Mem:             1          1          0          0          0          0\n' +
        '-/+ buffers/cache:          1          0\n' +
        'Swap:            0          0          0\n',
    );
  });

  it('prints human sizes with -h', () => {
    expect(formatFree(m, { ...base, human: true })).toBe(
      '             total       used       free     shared    buffers     cached\n' +
        'Mem:          2.0G       1.9G        59M       360K       1.2M        20M\n' +
        '-/+ buffers/cache:       1.9G        81M\n' +
        'Swap:           0B         0B         0B\n',
    );
  });

  it('adds Low/High after Mem with -l, a Total line with -t, and drops -/+ with -o', () => {
    expect(formatFree(m, { ...base, lohi: true, total: true })).toBe(
      '             total       used       free     shared    buffers     cached\n' +
        'Mem:       2048036    1986804      61232        360       1204      20536\n' +
        'Low:       2048036    1986804      61232\n' +
        'High:            0          0          0\n' +
        '-/+ buffers/cache:    1965064      82972\n' +
        'Swap:            0          0          0\n' +
        'Total:     2048036    1986804      61232\n',
    );
    expect(formatFree(m, { ...base, old: true })).toBe(
      '             total       used       free     shared    buffers     cached\n' +
        'Mem:       2048036    1986804      61232        360       1204      20536\n' +
        'Swap:            0          0          0\n',
    );
  });

  it('scales like scale_size(): truncating units, and one decimal only when it fits in four characters', () => {
    const h = { exponent: 0, human: true, si: false };
    expect(scaleSize(2048036, h)).toBe('2.0G');
    expect(scaleSize(61232, h)).toBe('59M');
    expect(scaleSize(0, h)).toBe('0B');
    expect(scaleSize(360, { ...h, si: true })).toBe('368K');
    expect(scaleSize(1948664, { exponent: 3, human: false, si: false })).toBe('1902');
    expect(scaleSize(2048036, { exponent: 5, human: false, si: false })).toBe('0');
  });

  it('parses its options; -c alone repeats every second', () => {
    const p = parseFreeArgs(['-m', '-t', '-o']);
    expect(p.ok && p.options).toEqual({ ...base, exponent: 3, total: true, old: true });
    const g = parseFreeArgs(['-h', '--si', '-c', '2', '-s', '1.5']);
    expect(g.ok && g.options).toEqual({ ...base, human: true, si: true, repeat: true, count: 2, intervalSeconds: 1.5 });
    const c = parseFreeArgs(['-c', '3']);
    expect(c.ok && c.options).toEqual({ ...base, repeat: true, count: 3, intervalSeconds: 1 });
  });

  it('has no -w or --wide: 3.3.9 answers them with getopt errors and its usage', () => {
    const w = parseFreeArgs(['-w']);
    expect(!w.ok && w.code).toBe(1);
    expect(!w.ok && w.stderr.startsWith("free: invalid option -- 'w'\n\nUsage:\n free [options]\n")).toBe(true);
    const wide = parseFreeArgs(['--wide']);
    expect(!wide.ok && wide.stderr.startsWith("free: unrecognized option '--wide'\n")).toBe(true);
  });

  it('reports bad counts and seconds in 3.3.9 words', () => {
    const c0 = parseFreeArgs(['-c', '0']);
    expect(!c0.ok && c0.stderr).toBe("free: failed to parse count argument: '0': Numerical result out of range\n");
    const cx = parseFreeArgs(['-c', 'x']);
    expect(!cx.ok && cx.stderr).toBe("free: failed to parse count argument: 'x'\n");
    const big = parseFreeArgs(['-c', '99999999999999999999']);
    expect(!big.ok && big.stderr).toBe("free: failed to parse count argument: '99999999999999999999': Numerical result out of range\n");
    const s = parseFreeArgs(['-s', 'x']);
    expect(!s.ok && s.stderr).toBe("free: seconds argument `x' failed\n");
    const s0 = parseFreeArgs(['-s', '0']);
    expect(!s0.ok && s0.stderr).toBe("free: seconds argument `0' is not positive number\n");
  });

  it('prints its 3.3.9 help (with -o, without -w) and version', () => {
    const h = parseFreeArgs(['--help']);
    expect(!h.ok && h.code).toBe(0);
    expect(!h.ok && h.stdout).toBe(
      '\nUsage:\n free [options]\n\nOptions:\n' +
        ' -b, --bytes         show output in bytes\n' +
        ' -k, --kilo          show output in kilobytes\n' +
        ' -m, --mega          show output in megabytes\n' +
        ' -g, --giga          show output in gigabytes\n' +
        '     --tera          show output in terabytes\n' +
        ' -h, --human         show human-readable output\n' +
        '     --si            use powers of 1000 not 1024\n' +
        ' -l, --lohi          show detailed low and high memory statistics\n' +
        ' -o, --old           use old format (without -/+buffers/cache line)\n' +
        ' -t, --total         show total for RAM + swap\n' +
        ' -s N, --seconds N   repeat printing every N seconds\n' +
        ' -c N, --count N     repeat printing N times, then exit\n' +
        '\n' +
        '     --help     display this help and exit\n' +
        ' -V, --version  output version information and exit\n' +
        '\nFor more details see free(1).\n',
    );
    const v = parseFreeArgs(['-V']);
    expect(!v.ok && v.stdout).toBe('free from procps-ng 3.3.9\n');
  });
});
