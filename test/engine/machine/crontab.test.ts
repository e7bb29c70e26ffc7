import { cronDNameOk, jobNext, jobPeriodMinutes, parseCrontab, parseField } from '../../../engine/machine/crontab';

const at = (iso: string): number => Date.parse(iso);

describe('cron', () => {
  it('parses stars, steps, ranges, lists and names', () => {
    expect(parseField('*/15', 0, 59)).toEqual([0, 15, 30, 45]);
    expect(parseField('1-5', 0, 6)).toEqual([1, 2, 3, 4, 5]);
    expect(parseField('0,30', 0, 59)).toEqual([0, 30]);
    expect(parseField('10-20/5', 0, 59)).toEqual([10, 15, 20]);
    expect(parseField('jan,mar', 1, 12, ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'], 1)).toEqual([1, 3]);
    expect(parseField('61', 0, 59)).toBeNull();
    expect(parseField('*/0', 0, 59)).toBeNull();
  });

  it('reads system tables with a user field and keeps the command as cron logs it', () => {
    const t = parseCrontab('SHELL=/bin/sh\n# comment\n17 *\t* * *\troot    cd / && run-parts --report /etc/cron.hourly\n@reboot root /usr/local/bin/warm\n', '/etc/crontab', '', true);
    expect(t.error).toBeUndefined();
    expect(t.jobs).toHaveLength(2);
    expect(t.jobs[0]!.user).toBe('root');
    expect(t.jobs[0]!.command).toBe('   cd / && run-parts --report /etc/cron.hourly');
    expect(t.jobs[1]!.reboot).toBe(true);
  });

  it('ignores a whole file whose last line has no newline', () => {
    const t = parseCrontab('0 */6 * * * root service nsd restart', '/etc/cron.d/nsd', 'nsd', true);
    expect(t.jobs).toHaveLength(0);
    expect(t.error).toBe('Missing newline before EOF, this crontab file will be ignored');
  });

  it('only reads cron.d files with run-parts names', () => {
    expect(cronDNameOk('nsd-restart')).toBe(true);
    expect(cronDNameOk('nsd.cron')).toBe(false);
    expect(cronDNameOk('.placeholder')).toBe(false);
  });

  it('finds the next run, with day-of-month OR day-of-week when both are restricted', () => {
    const hourly = parseCrontab('17 * * * * root x\n', 'f', '', true).jobs[0]!;
    expect(jobNext(hourly, at('2015-03-12T03:17:00Z'))).toBe(at('2015-03-12T04:17:00Z'));
    expect(jobNext(hourly, at('2015-03-12T03:16:59Z'))).toBe(at('2015-03-12T03:17:00Z'));
    const every6 = parseCrontab('0 */6 * * * root service nsd restart\n', 'f', '', true).jobs[0]!;
    expect(jobNext(every6, at('2015-03-12T07:00:00Z'))).toBe(at('2015-03-12T12:00:00Z'));
    expect(jobPeriodMinutes(every6)).toBe(360);
    // the 13th or any Friday
    const either = parseCrontab('0 0 13 * 5 root x\n', 'f', '', true).jobs[0]!;
    expect(jobNext(either, at('2015-03-10T00:00:00Z'))).toBe(at('2015-03-13T00:00:00Z'));
    expect(jobNext(either, at('2015-03-13T00:00:00Z'))).toBe(at('2015-03-20T00:00:00Z'));
    const weekly = parseCrontab('47 6 * * 7 root x\n', 'f', '', true).jobs[0]!;
    expect(new Date(jobNext(weekly, at('2015-03-12T00:00:00Z'))).getUTCDay()).toBe(0);
  });
});
