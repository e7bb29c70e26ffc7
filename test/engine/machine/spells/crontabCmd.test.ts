import { crontabErrors } from '../../../../engine/machine/spells/crontabCmd';

describe("crontab's checks (vixie cron 3.0pl1, Debian)", () => {
  it('names the file, the line (counted from 0 after the header) and the field', () => {
    expect(crontabErrors('61 * * * * x\n', '-')).toEqual(['"-":0: bad minute']);
    expect(crontabErrors('# ok\n0 24 * * * x\n0 0 32 * * x\n0 0 * 13 * x\n0 0 * * 8 x\n0 0 * * *\n@often x\n', 'jobs')).toEqual([
      '"jobs":1: bad hour',
      '"jobs":2: bad day-of-month',
      '"jobs":3: bad month',
      '"jobs":4: bad day-of-week',
      '"jobs":5: bad command',
      '"jobs":6: bad time specifier',
    ]);
    expect(crontabErrors('MAILTO=ops\n*/5 * * * * uptime\n@reboot echo up\n0 6 * jan,mar mon-fri x\n', 'ok')).toEqual([]);
  });
});
