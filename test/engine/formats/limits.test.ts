import { formatProcLimits } from '../../../engine/formats/limits';

describe('/proc/PID/limits (Linux 3.16)', () => {
  it('prints every limit in fixed columns, unlimited for RLIM_INFINITY and no unit for the priorities', () => {
    const inf = { soft: null, hard: null };
    const text = formatProcLimits({ stack: { soft: 8_388_608, hard: null }, core: { soft: 0, hard: null }, nproc: { soft: 15_750, hard: 15_750 }, nofile: { soft: 1_024, hard: 4_096 }, nice: { soft: 0, hard: 0 }, cpu: inf });
    const lines = text.split('\n');
    expect(lines[0]).toBe('Limit                     Soft Limit           Hard Limit           Units     ');
    expect(lines[1]).toBe('Max cpu time              unlimited            unlimited            seconds   ');
    expect(lines[4]).toBe('Max stack size            8388608              unlimited            bytes     ');
    expect(lines[7]).toBe('Max processes             15750                15750                processes ');
    expect(lines[8]).toBe('Max open files            1024                 4096                 files     ');
    expect(lines[14]).toBe('Max nice priority         0                    0                    ');
    expect(lines).toHaveLength(18);
  });
});
