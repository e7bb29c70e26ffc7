import { BASH_TIME_FORMAT, formatTimes, POSIX_TIME_FORMAT } from '../../../engine/shell/timeFormat';

describe("bash 4.3's time output (print_formatted_time, mkfmt)", () => {
  it('the default format: a blank line, then real, user and sys as MmS.FFFs', () => {
    expect(formatTimes(BASH_TIME_FORMAT, { realMs: 5, userMs: 0, sysMs: 0 })).toEqual({ text: '\nreal\t0m0.005s\nuser\t0m0.000s\nsys\t0m0.000s\n' });
    // seconds are not zero-padded after the minutes
    expect(formatTimes(BASH_TIME_FORMAT, { realMs: 65_003.9, userMs: 1_250, sysMs: 40 })).toEqual({ text: '\nreal\t1m5.003s\nuser\t0m1.250s\nsys\t0m0.040s\n' });
  });

  it('-p: POSIX seconds with two places', () => {
    expect(formatTimes(POSIX_TIME_FORMAT, { realMs: 1_509, userMs: 0, sysMs: 0 })).toEqual({ text: 'real 1.50\nuser 0.00\nsys 0.00\n' });
    expect(formatTimes(POSIX_TIME_FORMAT, { realMs: 125_000, userMs: 0, sysMs: 0 })).toEqual({ text: 'real 125.00\nuser 0.00\nsys 0.00\n' });
  });

  it('TIMEFORMAT: precision 0 to 3 (9 is 3), E for R, %P capped at 100.00, %%, a lone % at the end; empty prints nothing', () => {
    expect(formatTimes('%0R|%1lE|%9R|%P%%|%', { realMs: 2_000, userMs: 500, sysMs: 250 })).toEqual({ text: '2|0m2.0s|2.000|37.50%|%\n' });
    expect(formatTimes('%P', { realMs: 1_000, userMs: 1_500, sysMs: 900 })).toEqual({ text: '100.00\n' });
    expect(formatTimes('', { realMs: 2_000, userMs: 0, sysMs: 0 })).toEqual({ text: '' });
  });

  it('an unknown format character: internal_error and nothing printed', () => {
    expect(formatTimes('%R %x', { realMs: 2_000, userMs: 0, sysMs: 0 })).toEqual({ error: 'bad format character in time format: x' });
  });
});
