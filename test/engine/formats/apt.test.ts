import {
  APT_LOCK_ERROR, formatAptCachePolicy, formatAptCacheSearch, formatAptGetInstall, formatAptList, parseAptArgs,
  parseAptCacheArgs, parseAptGetArgs, sizeToStr, timeToStr,
  type AptInstallResult,
} from '../../../engine/formats/apt';
import type { AptPackageView } from '../../../engine/formats/types';

const pkgs: AptPackageView[] = [
  { name: 'nsd', suite: 'trusty-updates', arch: 'amd64', installedVersion: '4.0.1-1', candidateVersion: '4.0.1-1ubuntu0.1', section: 'universe/net', summary: 'authoritative domain name server' },
  { name: 'bash', suite: 'trusty-updates', arch: 'amd64', installedVersion: '4.3-7ubuntu1.5', candidateVersion: '4.3-7ubuntu1.5', section: 'shells', summary: 'GNU Bourne Again SHell' },
  { name: 'htop', suite: 'trusty', arch: 'amd64', installedVersion: null, candidateVersion: '1.0.2-3', section: 'universe/utils', summary: 'interactive processes viewer' },
  { name: 'libevent-2.0-5', suite: 'trusty', arch: 'amd64', installedVersion: '2.0.21-stable-1ubuntu1', candidateVersion: '2.0.21-stable-1ubuntu1', section: 'libs', summary: 'Asynchronous event notification library' },
];

describe('apt size and time text', () => {
  it('formats sizes like SizeToStr (append B for bytes)', () => {
    expect(sizeToStr(999)).toBe('999 ');
    expect(sizeToStr(12288)).toBe('12.3 k');
    expect(sizeToStr(358212)).toBe('358 k');
    expect(sizeToStr(1234567)).toBe('1,235 k');
    expect(sizeToStr(123456789)).toBe('123 M');
  });
  it('formats durations like TimeToStr', () => {
    expect(timeToStr(0)).toBe('0s');
    expect(timeToStr(75)).toBe('1min 15s');
    expect(timeToStr(3700)).toBe('1h 1min 40s');
  });
});

describe('apt list and apt-cache', () => {
  it('lists upgradable packages', () => {
    expect(formatAptList(pkgs, { upgradable: true })).toBe(
      'Listing... Done\nnsd/trusty-updates 4.0.1-1ubuntu0.1 amd64 [upgradable from: 4.0.1-1]\n',
    );
  });
  it('lists installed packages by name with their status', () => {
    expect(formatAptList(pkgs, { installed: true, automatic: new Set(['libevent-2.0-5']) })).toBe(
      'Listing... Done\n' +
        'bash/trusty-updates,now 4.3-7ubuntu1.5 amd64 [installed]\n' +
        'libevent-2.0-5/trusty,now 2.0.21-stable-1ubuntu1 amd64 [installed,automatic]\n' +
        'nsd/trusty,now 4.0.1-1 amd64 [installed,upgradable to: 4.0.1-1ubuntu0.1]\n',
    );
    expect(formatAptList(pkgs, { pattern: 'h*' })).toBe('Listing... Done\nhtop/trusty 1.0.2-3 amd64\n');
  });
  it('prints apt-cache policy with pin priorities and the dpkg status line', () => {
    expect(formatAptCachePolicy(pkgs, ['nsd', 'htop', 'nonexistent'])).toBe(
      'nsd:\n' +
        '  Installed: 4.0.1-1\n' +
        '  Candidate: 4.0.1-1ubuntu0.1\n' +
        '  Version table:\n' +
        '     4.0.1-1ubuntu0.1 0\n' +
        '        500 http://archive.ubuntu.com/ubuntu/ trusty-updates/universe amd64 Packages\n' +
        ' *** 4.0.1-1 0\n' +
        '        500 http://archive.ubuntu.com/ubuntu/ trusty/universe amd64 Packages\n' +
        '        100 /var/lib/dpkg/status\n' +
        'htop:\n' +
        '  Installed: (none)\n' +
        '  Candidate: 1.0.2-3\n' +
        '  Version table:\n' +
        '     1.0.2-3 0\n' +
        '        500 http://archive.ubuntu.com/ubuntu/ trusty/universe amd64 Packages\n',
    );
  });
  it('lists every version apt knows, newest first, from the mirror sources.list names, with backports at 100', () => {
    const sources = { trusty: 'http://us-east-1.ec2.archive.ubuntu.com/ubuntu/', 'trusty-updates': 'http://us-east-1.ec2.archive.ubuntu.com/ubuntu/', 'trusty-backports': 'http://us-east-1.ec2.archive.ubuntu.com/ubuntu/', 'trusty-security': 'http://security.ubuntu.com/ubuntu/' };
    const views: AptPackageView[] = [
      {
        name: 'tzdata', suite: 'trusty-updates', arch: 'all', installedVersion: '2014i-0ubuntu0.14.04', candidateVersion: '2015a-0ubuntu0.14.04', section: 'libs', summary: 'time zone and daylight-saving time data', component: 'main',
        versions: [{ version: '2014i-0ubuntu0.14.04', suite: 'trusty-updates' }, { version: '2015a-0ubuntu0.14.04', suite: 'trusty-updates' }],
      },
      {
        name: 'openssl', suite: 'trusty-security', arch: 'amd64', installedVersion: '1.0.1f-1ubuntu2.8', candidateVersion: '1.0.1f-1ubuntu2.8', section: 'utils', summary: 'Secure Sockets Layer toolkit', component: 'main',
        versions: [{ version: '1.0.1f-1ubuntu2', suite: 'trusty' }, { version: '1.0.1f-1ubuntu2.8', suite: 'trusty-security' }],
      },
      {
        name: 'foo', suite: 'trusty', arch: 'amd64', installedVersion: null, candidateVersion: '1.0-1', section: 'net', summary: 'x', component: 'universe',
        versions: [{ version: '1.0-1', suite: 'trusty' }, { version: '1.1-1~ubuntu14.04.1', suite: 'trusty-backports' }],
      },
      {
        name: 'linux-image-3.19.0-031900-generic', suite: 'now', arch: 'amd64', installedVersion: '3.19.0-031900.201502091451', candidateVersion: '3.19.0-031900.201502091451', section: 'kernel', summary: 'Linux kernel image', component: 'main',
        versions: [{ version: '3.19.0-031900.201502091451', suite: 'now' }],
      },
    ];
    expect(formatAptCachePolicy(views, ['tzdata', 'openssl', 'foo', 'linux-image-3.19.0-031900-generic'], sources)).toBe(
      'tzdata:\n' +
        '  Installed: 2014i-0ubuntu0.14.04\n' +
        '  Candidate: 2015a-0ubuntu0.14.04\n' +
        '  Version table:\n' +
        '     2015a-0ubuntu0.14.04 0\n' +
        '        500 http://us-east-1.ec2.archive.ubuntu.com/ubuntu/ trusty-updates/main amd64 Packages\n' +
        ' *** 2014i-0ubuntu0.14.04 0\n' +
        '        500 http://us-east-1.ec2.archive.ubuntu.com/ubuntu/ trusty-updates/main amd64 Packages\n' +
        '        100 /var/lib/dpkg/status\n' +
        'openssl:\n' +
        '  Installed: 1.0.1f-1ubuntu2.8\n' +
        '  Candidate: 1.0.1f-1ubuntu2.8\n' +
        '  Version table:\n' +
        ' *** 1.0.1f-1ubuntu2.8 0\n' +
        '        500 http://security.ubuntu.com/ubuntu/ trusty-security/main amd64 Packages\n' +
        '        100 /var/lib/dpkg/status\n' +
        '     1.0.1f-1ubuntu2 0\n' +
        '        500 http://us-east-1.ec2.archive.ubuntu.com/ubuntu/ trusty/main amd64 Packages\n' +
        'foo:\n' +
        '  Installed: (none)\n' +
        '  Candidate: 1.0-1\n' +
        '  Version table:\n' +
        '     1.1-1~ubuntu14.04.1 0\n' +
        '        100 http://us-east-1.ec2.archive.ubuntu.com/ubuntu/ trusty-backports/universe amd64 Packages\n' +
        '     1.0-1 0\n' +
        '        500 http://us-east-1.ec2.archive.ubuntu.com/ubuntu/ trusty/universe amd64 Packages\n' +
        'linux-image-3.19.0-031900-generic:\n' +
        '  Installed: 3.19.0-031900.201502091451\n' +
        '  Candidate: 3.19.0-031900.201502091451\n' +
        '  Version table:\n' +
        ' *** 3.19.0-031900.201502091451 0\n' +
        '        100 /var/lib/dpkg/status\n',
    );
    expect(formatAptList(views, { installed: true, pattern: 'linux-image-*' })).toBe('Listing... Done\nlinux-image-3.19.0-031900-generic/now 3.19.0-031900.201502091451 amd64 [installed,local]\n');
  });

  it('searches names and summaries, every word required', () => {
    expect(formatAptCacheSearch(pkgs, ['name', 'server'])).toBe('nsd - authoritative domain name server\n');
    expect(formatAptCacheSearch(pkgs, ['BASH'])).toBe('bash - GNU Bourne Again SHell\n');
    expect(formatAptCacheSearch(pkgs, ['viewer'], true)).toBe('');
  });
});

const upgrade: AptInstallResult = {
  isRoot: true,
  alreadyNewest: [],
  changes: [
    { name: 'nsd', arch: 'amd64', component: 'universe', suite: 'trusty-backports', oldVersion: '4.0.1-1', newVersion: '4.1.7-1~ubuntu14.04.1', debBytes: 358212 },
  ],
  extras: [],
  suggested: [],
  recommended: [],
  notUpgraded: 12,
  installedSizeDelta: 12288,
  fetchSeconds: 0,
  fetchBytesPerSecond: 1234567,
  assumeYes: false,
  dpkgFiles: 56193,
  triggers: [{ name: 'man-db', version: '2.6.7.1-1ubuntu1' }],
};

describe('apt-get install', () => {
  it('prints the whole upgrade transcript', () => {
    expect(formatAptGetInstall(upgrade)).toEqual({
      stdout:
        'Reading package lists... Done\n' +
        'Building dependency tree       \n' +
        'Reading state information... Done\n' +
        'The following packages will be upgraded:\n' +
        '  nsd\n' +
        '1 upgraded, 0 newly installed, 0 to remove and 12 not upgraded.\n' +
        'Need to get 358 kB of archives.\n' +
        'After this operation, 12.3 kB of additional disk space will be used.\n' +
        'Get:1 http://archive.ubuntu.com/ubuntu/ trusty-backports/universe nsd amd64 4.1.7-1~ubuntu14.04.1 [358 kB]\n' +
        'Fetched 358 kB in 0s (1,235 kB/s)\n' +
        '(Reading database ... 56193 files and directories currently installed.)\n' +
        'Preparing to unpack .../nsd_4.1.7-1~ubuntu14.04.1_amd64.deb ...\n' +
        'Unpacking nsd (4.1.7-1~ubuntu14.04.1) over (4.0.1-1) ...\n' +
        'Processing triggers for man-db (2.6.7.1-1ubuntu1) ...\n' +
        'Setting up nsd (4.1.7-1~ubuntu14.04.1) ...\n',
      stderr: '',
      code: 0,
    });
  });

  it('announces new packages and stops at the prompt without -y', () => {
    const r: AptInstallResult = {
      ...upgrade,
      changes: [
        { name: 'libevent-2.0-5', arch: 'amd64', component: 'main', suite: 'trusty', oldVersion: null, newVersion: '2.0.21-stable-1ubuntu1', debBytes: 114000 },
        { name: 'htop', arch: 'amd64', component: 'universe', suite: 'trusty', oldVersion: null, newVersion: '1.0.2-3', debBytes: 68000 },
      ],
      extras: ['libevent-2.0-5'],
      installedSizeDelta: 560000,
    };
    const out = formatAptGetInstall(r);
    expect(out.code).toBe(1);
    expect(out.stdout).toContain(
      'The following extra packages will be installed:\n  libevent-2.0-5\n' +
        'The following NEW packages will be installed:\n  htop libevent-2.0-5\n' +
        '0 upgraded, 2 newly installed, 0 to remove and 12 not upgraded.\n' +
        'Need to get 182 kB of archives.\n' +
        'After this operation, 560 kB of additional disk space will be used.\n' +
        'Do you want to continue? [Y/n] Abort.\n',
    );
    const yes = formatAptGetInstall({ ...r, assumeYes: true }).stdout;
    expect(yes).toContain(
      'Selecting previously unselected package libevent-2.0-5.\n' +
        '(Reading database ... 56193 files and directories currently installed.)\n' +
        'Preparing to unpack .../libevent-2.0-5_2.0.21-stable-1ubuntu1_amd64.deb ...\n' +
        'Unpacking libevent-2.0-5 (2.0.21-stable-1ubuntu1) ...\n' +
        'Selecting previously unselected package htop.\n' +
        'Preparing to unpack .../htop_1.0.2-3_amd64.deb ...\n' +
        'Unpacking htop (1.0.2-3) ...\n',
    );
  });

  it('runs the kernel postinst hooks down to update-grub', () => {
    const out = formatAptGetInstall({
      ...upgrade,
      assumeYes: true,
      changes: [{ name: 'linux-image-3.16.0-31-generic', arch: 'amd64', component: 'main', suite: 'trusty-updates', oldVersion: null, newVersion: '3.16.0-31.43~14.04.1', debBytes: 15000000 }],
      kernels: ['3.16.0-31-generic', '3.16.0-30-generic'],
    }).stdout;
    expect(out.endsWith(
      'Setting up linux-image-3.16.0-31-generic (3.16.0-31.43~14.04.1) ...\n' +
        'Running depmod.\n' +
        'update-initramfs: deferring update (hook will be called later)\n' +
        'Examining /etc/kernel/postinst.d.\n' +
        'run-parts: executing /etc/kernel/postinst.d/apt-auto-removal 3.16.0-31-generic /boot/vmlinuz-3.16.0-31-generic\n' +
        'run-parts: executing /etc/kernel/postinst.d/initramfs-tools 3.16.0-31-generic /boot/vmlinuz-3.16.0-31-generic\n' +
        'update-initramfs: Generating /boot/initrd.img-3.16.0-31-generic\n' +
        'run-parts: executing /etc/kernel/postinst.d/update-notifier 3.16.0-31-generic /boot/vmlinuz-3.16.0-31-generic\n' +
        'run-parts: executing /etc/kernel/postinst.d/zz-update-grub 3.16.0-31-generic /boot/vmlinuz-3.16.0-31-generic\n' +
        'Generating grub configuration file ...\n' +
        'Found linux image: /boot/vmlinuz-3.16.0-31-generic\n' +
        'Found initrd image: /boot/initrd.img-3.16.0-31-generic\n' +
        'Found linux image: /boot/vmlinuz-3.16.0-30-generic\n' +
        'Found initrd image: /boot/initrd.img-3.16.0-30-generic\n' +
        'done\n',
    )).toBe(true);
    expect(out).toContain('Need to get 15.0 MB of archives.\n');
  });

  it('fails like apt for unknown packages, current packages and non-root users', () => {
    expect(formatAptGetInstall({ ...upgrade, notFound: 'nsd4' })).toEqual({
      stdout: 'Reading package lists... Done\nBuilding dependency tree       \nReading state information... Done\n',
      stderr: 'E: Unable to locate package nsd4\n',
      code: 100,
    });
    expect(formatAptGetInstall({ ...upgrade, changes: [], alreadyNewest: ['bash'] }).stdout.split('\n').slice(3)).toEqual([
      'bash is already the newest version.',
      '0 upgraded, 0 newly installed, 0 to remove and 12 not upgraded.',
      '',
    ]);
    expect(formatAptGetInstall({ ...upgrade, isRoot: false })).toEqual({ stdout: '', stderr: APT_LOCK_ERROR, code: 100 });
    expect(APT_LOCK_ERROR).toBe(
      'E: Could not open lock file /var/lib/dpkg/lock - open (13: Permission denied)\n' +
        'E: Unable to lock the administration directory (/var/lib/dpkg/), are you root?\n',
    );
  });
});

describe('apt command lines', () => {
  it('finds the operation, its operands and flags anywhere', () => {
    expect(parseAptGetArgs(['install', '-y', 'nsd'])).toEqual({
      ok: true,
      options: { command: 'install', operands: ['nsd'], assumeYes: true, installed: false, upgradable: false, namesOnly: false, simulate: false },
    });
    const list = parseAptArgs(['list', '--upgradable']);
    expect(list.ok && list.options.upgradable).toBe(true);
    const search = parseAptCacheArgs(['search', '--names-only', 'nsd']);
    expect(search.ok && search.options).toMatchObject({ command: 'search', operands: ['nsd'], namesOnly: true });
  });
  it('reports unknown operations and options as apt does', () => {
    expect(parseAptGetArgs(['instal', 'nsd'])).toEqual({ ok: false, stdout: '', stderr: 'E: Invalid operation instal\n', code: 100 });
    expect(parseAptGetArgs(['install', '-z'])).toEqual({ ok: false, stdout: '', stderr: "E: Command line option 'z' [from -z] is not known.\n", code: 100 });
    expect(parseAptGetArgs(['--bogus'])).toEqual({ ok: false, stdout: '', stderr: 'E: Command line option --bogus is not understood\n', code: 100 });
  });
});
