import { formatDmesg, parseDmesgArgs, type DmesgOptions } from '../../../engine/formats/dmesg';
import type { KernelLogRecord } from '../../../engine/formats/types';

const BOOT = Date.UTC(2015, 2, 11, 23, 7, 1);
const records: KernelLogRecord[] = [
  { sinceBootMs: 0, level: 5, text: 'Initializing cgroup subsys cpuset' },
  { sinceBootMs: 1234.5678, level: 6, text: 'NET: Registered protocol family 10' },
  { sinceBootMs: 187500123.456, level: 3, text: 'Out of memory: Kill process 1234 (nsd) score 88 or sacrifice child' },
];

function dmesg(argv: string[], root = true) {
  const p = parseDmesgArgs(argv);
  if (!p.ok) return p;
  return formatDmesg(records, p.options, { bootTime: BOOT, isRoot: root });
}

describe('dmesg (util-linux 2.20.1)', () => {
  it('prints each record behind its [%5lu.%06lu] stamp', () => {
    expect(dmesg([]).stdout).toBe(
      '[    0.000000] Initializing cgroup subsys cpuset\n' +
        '[    1.234567] NET: Registered protocol family 10\n' +
        '[187500.123456] Out of memory: Kill process 1234 (nsd) score 88 or sacrifice child\n',
    );
  });
  it('swaps in ctime() stamps with -T', () => {
    expect(dmesg(['-T']).stdout.split('\n')[2]).toBe(
      '[Sat Mar 14 03:12:01 2015] Out of memory: Kill process 1234 (nsd) score 88 or sacrifice child',
    );
  });
  it('filters levels, decodes and prints raw', () => {
    expect(dmesg(['-l', 'err']).stdout).toBe('[187500.123456] Out of memory: Kill process 1234 (nsd) score 88 or sacrifice child\n');
    expect(dmesg(['--level=err,info', '-t']).stdout).toBe('NET: Registered protocol family 10\nOut of memory: Kill process 1234 (nsd) score 88 or sacrifice child\n');
    expect(dmesg(['-x']).stdout.split('\n')[0]).toBe('kern  :notice: [    0.000000] Initializing cgroup subsys cpuset');
    expect(dmesg(['-r']).stdout.split('\n')[1]).toBe('<6>[    1.234567] NET: Registered protocol family 10');
  });
  it('clears only for root', () => {
    expect(dmesg(['-c'])).toMatchObject({ clearAfter: true, code: 0 });
    expect(dmesg(['-C'])).toEqual({ stdout: '', stderr: '', code: 0, clearAfter: true });
    expect(dmesg(['-c'], false)).toEqual({ stdout: '', stderr: 'dmesg: klogctl failed: Operation not permitted\n', code: 1, clearAfter: false });
  });
  it('reports bad levels and options', () => {
    expect(dmesg(['-l', 'loud'])).toMatchObject({ stderr: "dmesg: unknown level 'loud'\n", code: 1 });
    const bad = dmesg(['-z']) as { stderr: string; code: number };
    expect(bad.code).toBe(1);
    expect(bad.stderr.startsWith("dmesg: invalid option -- 'z'\n\nUsage:\n dmesg [options]\n")).toBe(true);
    const help = parseDmesgArgs(['--help']) as { ok: false; stdout: string; code: number };
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(' -T, --ctime                 show human readable timestamp');
  });
  it('keeps option defaults', () => {
    const p = parseDmesgArgs([]);
    const expected: DmesgOptions = {
      readClear: false, clear: false, ctime: false, notime: false, raw: false, decode: false,
      levels: null, facilities: null, userspace: false,
    };
    expect(p.ok && p.options).toEqual(expected);
  });
});
