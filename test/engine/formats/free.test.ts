import { formatFree, freeNumbers, parseFreeArgs, scaleSize, type FreeOptions } from '../../../engine/formats/free';
import { meminfo } from './fixtures';

const base: FreeOptions = { exponent: 0, human: false, si: false, lohi: false, total: false, wide: false };
const m = meminfo();

describe('free (procps-ng 3.3.10 layout)', () => {
  it('counts SReclaimable as cache and everything else the kernel holds as used', () => {
    const n = freeNumbers(m);
    expect(n.cache).toBe(20536 + 16400);
    expect(n.used).toBe(2048036 - 61232 - (1204 + 20536 + 16400));
    expect(n.shared).toBe(360);
    expect(n.available).toBe(52344);
  });

  it('prints the header and %11s columns after a %-7s label', () => {
    expect(formatFree(m, base)).toBe(
      '              total        used        free      shared  buff/cache   available\n' +
        'Mem:        2048036     1948664       61232         360       38140       52344\n' +
        'Swap:             0           0           0\n',
    );
  });

  it('splits buffers and cache with -w', () => {
    const lines = formatFree(m, { ...base, wide: true }).split('\n');
    expect(lines[0]).toBe('              total        used        free      shared     buffers       cache   available');
    expect(lines[1]).toBe('Mem:        2048036     1948664       61232         360        1204       36936       52344');
  });

  it('adds Low/High with -l and a Total line with -t', () => {
    const lines = formatFree(m, { ...base, lohi: true, total: true }).split('\n');
    expect(lines[2]).toBe('Low:        2048036     1986804       61232');
    expect(lines[3]).toBe('High:             0           0           0');
    expect(lines[5]).toBe('Total:      2048036     1948664       61232');
  });

  it('scales like scale_size(): truncating units, and one decimal only when it fits in four characters', () => {
    const h = { exponent: 0, human: true, si: false };
    expect(scaleSize(2048036, h)).toBe('2.0G');
    expect(scaleSize(1948664, h)).toBe('1.9G');
    expect(scaleSize(61232, h)).toBe('59M');
    expect(scaleSize(360, h)).toBe('360K');
    expect(scaleSize(0, h)).toBe('0B');
    expect(scaleSize(360, { ...h, si: true })).toBe('368K');
    expect(scaleSize(1948664, { exponent: 3, human: false, si: false })).toBe('1902');
    expect(scaleSize(1, { exponent: 1, human: false, si: false })).toBe('1024');
    expect(scaleSize(2048036, { exponent: 4, human: false, si: false })).toBe('1');
  });

  it('parses its options', () => {
    const p = parseFreeArgs(['-m', '-t', '-w']);
    expect(p.ok && p.options).toEqual({ ...base, exponent: 3, total: true, wide: true });
    const g = parseFreeArgs(['-h', '--si', '-c', '2', '-s', '1']);
    expect(g.ok && g.options).toEqual({ ...base, human: true, si: true, count: 2, intervalSeconds: 1 });
  });

  it('reports bad options with the usage text on stderr', () => {
    const z = parseFreeArgs(['-z']);
    expect(z.ok).toBe(false);
    if (!z.ok) {
      expect(z.code).toBe(1);
      expect(z.stderr.split('\n').slice(0, 6)).toEqual([
        "free: invalid option -- 'z'",
        '',
        'Usage:',
        ' free [options]',
        '',
        'Options:',
      ]);
      expect(z.stderr.endsWith('\nFor more details see free(1).\n')).toBe(true);
    }
    const long = parseFreeArgs(['--bogus']);
    expect(!long.ok && long.stderr.startsWith("free: unrecognized option '--bogus'\n")).toBe(true);
    const c0 = parseFreeArgs(['-c', '0']);
    expect(!c0.ok && c0.stderr).toBe("free: failed to parse count argument: '0': Numerical result out of range\n");
    const s = parseFreeArgs(['-s', 'x']);
    expect(!s.ok && s.stderr).toBe("free: seconds argument `x' failed\n");
  });

  it('prints help on stdout and the version', () => {
    const h = parseFreeArgs(['--help']);
    expect(!h.ok && h.code === 0 && h.stdout.includes(' -w, --wide          wide output\n')).toBe(true);
    const v = parseFreeArgs(['-V']);
    expect(!v.ok && v.stdout).toBe('free from procps-ng 3.3.10\n');
  });
});
