import { cFixed, formatFloat, groupThousands, scanFormat, strtold, toFloat32, type CNumber } from '../../../engine/formats/printf';

/** The format applied to one value per conversion, as C's printf does it. */
function cprintf(fmt: string, ...values: (number | CNumber)[]): string {
  let i = 0;
  return scanFormat(fmt)
    .map((p) => (typeof p === 'string' ? p : formatFloat(values[i++], p)))
    .join('');
}
/** bash's printf: each argument read by strtold into a long double */
const bash = (fmt: string, ...args: string[]) => cprintf(fmt, ...args.map((a) => strtold(a).value));
/** awk's printf: doubles */
const awk = (fmt: string, ...args: number[]) => cprintf(fmt, ...args);

// Every expected string below is what bash 5.2 / mawk 1.3.4 on glibc 2.36 printed for the same
// format and arguments; glibc's printf rounding is the same in 2.19 (Ubuntu 14.04).
describe('the printf number formatter (glibc rounding of the exact binary value)', () => {
  it('rounds exact ties to even and everything else by its true binary value', () => {
    expect(bash('%.2f %.1f %.0f %.0f %e %g %g', '0.125', '0.25', '0.5', '2.5', '12345.678', '0.0001', '100000000')).toBe(
      '0.12 0.2 0 2 1.234568e+04 0.0001 1e+08',
    );
    expect(bash('%.2f %.2f %.1f %.0f %.0f %.0f', '2.675', '1.005', '0.35', '0.5', '1.5', '2.5')).toBe('2.67 1.00 0.3 0 2 2');
    expect(awk('%.2f %.1f', 0.125, 0.25)).toBe('0.12 0.2');
    expect(awk('%.1f %.1f %.1f %.1f', 0.05, 0.15, 0.25, 0.35)).toBe('0.1 0.1 0.2 0.3');
  });

  it("reads bash's arguments as long doubles, which round differently from awk's doubles", () => {
    expect(bash('%.3f %.20f %.3f', '0.0005', '2.675', '0.0015')).toBe('0.000 2.67499999999999999996 0.001');
    expect(awk('%.3f %.20f %.3f', 0.0005, 2.675, 0.0015)).toBe('0.001 2.67499999999999982236 0.002');
  });

  it("follows %g's choice of style, precision and trailing zeros, and %e's two-digit exponent", () => {
    expect(bash('%g %g %g %g %.3g %#g %#.3g %G %.0e %#.0e %#.0f %E', '123456', '1234567', '0.00001234', '100', '1234.5', '1', '999.5', '1e-10', '2.5', '3', '3', '12345.678')).toBe(
      '123456 1.23457e+06 1.234e-05 100 1.23e+03 1.00000 1.e+03 1E-10 2e+00 3.e+00 3. 1.234568E+04',
    );
    expect(awk('%5.2e|%-8g|%G', 0.000123456, 1e-5, 1e-5)).toBe('1.23e-04|1e-05   |1E-05');
    expect(awk('%g %#g %.3g %#.3g %e %.1e', 0.000099999996, 0.000099999996, 0.000099999996, 0.000099999996, 0.000099999996, 0.000099999996)).toBe(
      '0.0001 0.000100000 0.0001 0.000100 1.000000e-04 1.0e-04',
    );
    expect(awk('%g %#g %.6g %e', 999999.5, 999999.5, 999999.5, 999999.5)).toBe('1e+06 1.e+06 1e+06 9.999995e+05');
    expect(awk('%g %#g %#.3g', 99999.95, 99999.95, 99999.95)).toBe('99999.9 99999.9 1.00e+05');
    expect(awk('%.17g %.20f %.0f', 1e21, 0.1, 123456789012345678901234567890)).toBe('1e+21 0.10000000000000000555 123456789012345677877719597056');
  });

  it('lays out width, flags, signs, zero and infinity as glibc does', () => {
    expect(bash('[%8.3f] [%-8.2e] [%+g] [% f] [%08.2f] [%+08g] [%.3e] [%f] [%5.1f]', '3.14159', '1234.5', '5', '1', '-2.5', '-inf', '0', '-0', 'inf')).toBe(
      '[   3.142] [1.23e+03] [+5] [ 1.000000] [-0002.50] [    -inf] [0.000e+00] [-0.000000] [  inf]',
    );
  });
});

describe('strtold, as bash reads a floating argument', () => {
  it('reads decimal, hexadecimal, inf and nan, and says how far it got', () => {
    const read = (s: string) => {
      const r = strtold(s);
      return [bash('%f', s), r.end];
    };
    expect(read('010')).toEqual(['10.000000', 3]);
    expect(read('0x1f')).toEqual(['31.000000', 4]);
    expect(read('0x1.8p1')).toEqual(['3.000000', 7]);
    expect(read('1.5abc')).toEqual(['1.500000', 3]);
    expect(read(' 12')).toEqual(['12.000000', 3]);
    expect(read('+.5')).toEqual(['0.500000', 3]);
    expect(read('.5e1')).toEqual(['5.000000', 4]);
    expect(read('1e')).toEqual(['1.000000', 1]);
    expect(read('abc')).toEqual(['0.000000', 0]);
    expect(read('infinity')).toEqual(['inf', 8]);
    expect(read('NaN')).toEqual(['nan', 3]);
    expect(read('1e5000')).toEqual(['inf', 6]);
    expect(read('1e-5000')).toEqual(['0.000000', 7]);
  });
});

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
