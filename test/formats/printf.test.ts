import { cFixed, groupThousands, toFloat32 } from '../../engine/formats/printf';

describe('cFixed (glibc printf %.Nf)', () => {
  it('rounds exact binary ties to even, unlike toFixed', () => {
    expect(cFixed(0.125, 2)).toBe('0.12');
    expect(cFixed(0.375, 2)).toBe('0.38');
    expect(cFixed(2.5, 0)).toBe('2');
    expect(cFixed(3.5, 0)).toBe('4');
  });
  it('rounds non-ties to nearest on the exact binary value', () => {
    // 0.1 + 0.2 is a little above 0.3
    expect(cFixed(88 / 1024, 2)).toBe('0.09');
    expect(cFixed(1.005, 2)).toBe('1.00');
    expect(cFixed(99.95, 1)).toBe('100.0');
  });
  it('pads the fraction and keeps the sign of negative values', () => {
    expect(cFixed(7, 2)).toBe('7.00');
    expect(cFixed(-1.25, 1)).toBe('-1.2');
    expect(cFixed(0.004, 2)).toBe('0.00');
  });
});

describe('number helpers', () => {
  it('groups thousands the en_US way', () => {
    expect(groupThousands('1234567')).toBe('1,234,567');
    expect(groupThousands('999')).toBe('999');
    expect(groupThousands('1234.5')).toBe('1,234.5');
  });
  it('casts through single precision like C (float)', () => {
    expect(toFloat32(0.1)).not.toBe(0.1);
    expect(toFloat32(0.5)).toBe(0.5);
  });
});
