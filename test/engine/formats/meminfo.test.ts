import { formatMeminfo } from '../../../engine/formats/meminfo';
import { meminfo } from './fixtures';

describe('/proc/meminfo', () => {
  const text = formatMeminfo(meminfo());
  const lines = text.split('\n');

  it('pads name and colon to 16 columns and the value to %8lu kB', () => {
    expect(lines[0]).toBe('MemTotal:        2048036 kB');
    expect(lines[1]).toBe('MemFree:           61232 kB');
    expect(lines[2]).toBe('MemAvailable:      52344 kB');
    expect(lines[8]).toBe('Active(anon):     380000 kB');
    expect(lines[9]).toBe('Inactive(anon):      560 kB');
  });
  it('lets wide values push past the column', () => {
    expect(text).toContain('\nVmallocTotal:   34359738367 kB\n');
  });
  it('keeps the 3.16 order with MemAvailable third and Slab before SReclaimable/SUnreclaim', () => {
    const names = lines.filter(Boolean).map((l) => l.split(':')[0]);
    expect(names.slice(0, 4)).toEqual(['MemTotal', 'MemFree', 'MemAvailable', 'Buffers']);
    expect(names.indexOf('Slab') + 1).toBe(names.indexOf('SReclaimable'));
    expect(names.indexOf('SReclaimable') + 1).toBe(names.indexOf('SUnreclaim'));
    expect(names[names.length - 1]).toBe('DirectMap2M');
    expect(names).toHaveLength(43);
  });
  it('uses the special widths of HardwareCorrupted and the HugePages counts', () => {
    expect(text).toContain('\nHardwareCorrupted:     0 kB\n');
    expect(text).toContain('\nHugePages_Total:       0\n');
    expect(text).toContain('\nHugePages_Free:        0\n');
    expect(text).toContain('\nHugepagesize:       2048 kB\n');
  });
  it('ends with a newline', () => {
    expect(text.endsWith('DirectMap2M:     2066432 kB\n')).toBe(true);
  });
});
