import { formatDpkgList, type DpkgRow } from '../../../engine/formats/dpkgList';

const db: DpkgRow[] = [
  { name: 'nsd', version: '4.0.1-1', arch: 'amd64', summary: 'authoritative domain name server', state: 'ii' },
  { name: 'cron', version: '3.0pl1-124ubuntu2', arch: 'amd64', summary: 'process scheduling daemon', state: 'ii' },
  { name: 'linux-image-3.16.0-30-generic', version: '3.16.0-30.40~14.04.1', arch: 'amd64', summary: 'Linux kernel image for version 3.16.0 on 64 bit x86 SMP', state: 'ii' },
];

describe('dpkg -l (dpkg 1.17.5, not a terminal)', () => {
  it('sizes each column to its longest entry (at least 14/12/12/33) and sorts by name', () => {
    expect(formatDpkgList(db, []).stdout).toBe(
      [
        'Desired=Unknown/Install/Remove/Purge/Hold',
        '| Status=Not/Inst/Conf-files/Unpacked/halF-conf/Half-inst/trig-aWait/Trig-pend',
        '|/ Err?=(none)/Reinst-required (Status,Err: uppercase=bad)',
        '||/ Name                          Version              Architecture Description',
        '+++-=============================-====================-============-=======================================================',
        'ii  cron                          3.0pl1-124ubuntu2    amd64        process scheduling daemon',
        'ii  linux-image-3.16.0-30-generic 3.16.0-30.40~14.04.1 amd64        Linux kernel image for version 3.16.0 on 64 bit x86 SMP',
        'ii  nsd                           4.0.1-1              amd64        authoritative domain name server',
        '',
      ].join('\n'),
    );
  });

  it('matches glob patterns and says which matched nothing, exit 1', () => {
    const r = formatDpkgList(db, ['linux-*', 'bind9']);
    expect(r.stdout.split('\n').slice(5)).toEqual(['ii  linux-image-3.16.0-30-generic 3.16.0-30.40~14.04.1 amd64        Linux kernel image for version 3.16.0 on 64 bit x86 SMP', '']);
    expect(r.stderr).toBe('dpkg-query: no packages found matching bind9\n');
    expect(r.code).toBe(1);
    expect(formatDpkgList(db, ['nothing'])).toEqual({ stdout: '', stderr: 'dpkg-query: no packages found matching nothing\n', code: 1 });
  });
});
