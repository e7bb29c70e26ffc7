import {
  ctime, kernelTimestamp, psBsdTime, psCpuTime, psElapsed, psStart, psStime, strftime, syslogTimestamp,
} from '../../../engine/formats/time';

const T = Date.UTC(2015, 2, 14, 3, 12, 1);
const EARLY = Date.UTC(2015, 2, 4, 9, 5, 7);

describe('time text', () => {
  it('ctime pads the day with a space', () => {
    expect(ctime(T)).toBe('Sat Mar 14 03:12:01 2015');
    expect(ctime(EARLY)).toBe('Wed Mar  4 09:05:07 2015');
  });
  it('syslog stamps are "Mon dd HH:MM:SS" with a space-padded day', () => {
    expect(syslogTimestamp(T)).toBe('Mar 14 03:12:01');
    expect(syslogTimestamp(EARLY)).toBe('Mar  4 09:05:07');
  });
  it('printk stamps are [%5lu.%06lu]', () => {
    expect(kernelTimestamp(0)).toBe('[    0.000000]');
    expect(kernelTimestamp(12345678.901)).toBe('[12345.678901]');
    expect(kernelTimestamp(123456789.5)).toBe('[123456.789500]');
  });
  it('strftime covers the common conversions', () => {
    expect(strftime('%a %b %e %H:%M:%S %Z %Y', EARLY)).toBe('Wed Mar  4 09:05:07 UTC 2015');
    expect(strftime('%a %b %d %H:%M:%S %Z %Y', EARLY)).toBe('Wed Mar 04 09:05:07 UTC 2015');
    expect(strftime('%F %T %s %j %u %p %I %%', T)).toBe('2015-03-14 03:12:01 1426302721 073 6 AM 03 %');
    expect(strftime('%-d/%_m/%y', EARLY)).toBe('4/ 3/15');
    expect(strftime('%z %:z', T)).toBe('+0000 +00:00');
  });
  it('ps time columns', () => {
    expect(psCpuTime(61)).toBe('00:01:01');
    expect(psCpuTime(2 * 86400 + 3723)).toBe('2-01:02:03');
    expect(psBsdTime(61)).toBe('  1:01');
    expect(psBsdTime(6000)).toBe('100:00');
    expect(psElapsed(59)).toBe('00:59');
    expect(psElapsed(3600)).toBe('01:00:00');
    expect(psElapsed(86400 + 61)).toBe('1-00:01:01');
  });
  it('STIME is HH:MM today, MonDD earlier this year, the year before that', () => {
    expect(psStime(Date.UTC(2015, 2, 14, 0, 5), T)).toBe('00:05');
    expect(psStime(EARLY, T)).toBe('Mar04');
    expect(psStime(Date.UTC(2014, 11, 31, 23), T)).toBe('2014');
  });
  it('STARTED is HH:MM:SS within a day, else "  Mon DD"', () => {
    expect(psStart(T - 3600e3, T)).toBe('02:12:01');
    expect(psStart(EARLY, T)).toBe('  Mar 04');
  });
});
