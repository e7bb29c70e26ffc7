import { formatInitctlList, formatLsbRelease, parseLsbArgs } from '../../../engine/formats/initctl';

describe('initctl list (upstart 1.12.1)', () => {
  it('prints goal/state, the main process of a running job, and instances in parentheses', () => {
    expect(
      formatInitctlList([
        { name: 'rc', pid: null },
        { name: 'cron', pid: 637 },
        { name: 'network-interface', instance: 'eth0', pid: 0 },
      ]),
    ).toBe('rc stop/waiting\ncron start/running, process 637\nnetwork-interface (eth0) start/running\n');
  });
});

describe('lsb_release (lsb-release 4.1)', () => {
  const fields = { DISTRIB_ID: 'Ubuntu', DISTRIB_RELEASE: '14.04', DISTRIB_CODENAME: 'trusty', DISTRIB_DESCRIPTION: 'Ubuntu 14.04.2 LTS' };
  const run = (argv: string[]) => {
    const p = parseLsbArgs(argv);
    if (!p.ok) throw new Error(p.stderr);
    return formatLsbRelease(fields, p.options);
  };
  it('-a: a tab after each label, and the modules line on stderr', () => {
    expect(run(['-a'])).toEqual({ stdout: 'Distributor ID:\tUbuntu\nDescription:\tUbuntu 14.04.2 LTS\nRelease:\t14.04\nCodename:\ttrusty\n', stderr: 'No LSB modules are available.\n' });
  });
  it('-s prints values only; -d alone the description', () => {
    expect(run(['-cs'])).toEqual({ stdout: 'trusty\n', stderr: '' });
    expect(run(['-d'])).toEqual({ stdout: 'Description:\tUbuntu 14.04.2 LTS\n', stderr: '' });
  });
});
