import { zoneTuning } from '../../../engine/kernel/zones';
import { kernel } from './helpers';

/** __setup_per_zone_wmarks() shares min_free_kbytes (in pages) out over the zones, each share rounded down */
function minPages(k: ReturnType<typeof kernel>): number {
  return zoneTuning(k).reduce((n, z) => n + z.min, 0);
}

describe('the zones boot sets up', () => {
  it('follow vm.min_free_kbytes when it changes, and come back when it is set back', () => {
    const k = kernel();
    const before = zoneTuning(k).map((z) => ({ ...z }));
    expect(minPages(k)).toBeLessThanOrEqual(8_045 >> 2);
    expect(minPages(k)).toBeGreaterThan((8_045 >> 2) - 3);
    k.sysctl.minFreeKbytes = 67_584;
    expect(minPages(k)).toBeLessThanOrEqual(67_584 >> 2);
    expect(minPages(k)).toBeGreaterThan((67_584 >> 2) - 3);
    k.sysctl.minFreeKbytes = 8_045;
    expect(zoneTuning(k).map((z) => ({ ...z }))).toEqual(before);
  });

  it('follow the machine: a 2 GB box has no Normal zone, a 4 GB one has', () => {
    expect(zoneTuning(kernel(4_046_212)).map((z) => z.name)).toEqual(['DMA', 'DMA32', 'Normal']);
    expect(zoneTuning(kernel(2_048_016)).map((z) => z.name)).toEqual(['DMA', 'DMA32']);
    expect(zoneTuning(kernel(4_046_212)).map((z) => z.name)).toEqual(['DMA', 'DMA32', 'Normal']);
  });

  it('are shared by every caller, so no caller can change them for the others', () => {
    const k = kernel();
    const zones = zoneTuning(k);
    expect(() => {
      (zones[0] as { min: number }).min = 1;
    }).toThrow(TypeError);
    expect(() => {
      zones[0]!.protection[1] = 0;
    }).toThrow(TypeError);
    expect(zoneTuning(k)[0]!.min).not.toBe(1);
  });
});
