/**
 * What this secondary's archive offers that the base system does not, as it stood in March 2015:
 * NSD 4.0.1 from trusty's universe (no newer NSD reached trusty or trusty-backports that spring),
 * the lts-utopic 3.16 kernel the box runs, and the fix an engineer really had that month: the
 * mainline 3.19 build from Ubuntu's kernel PPA, fetched with wget and installed with dpkg -i.
 * Every version carries the day it reached the archive (docs/sources.md says where each was read).
 */
import { pkg, TRUSTY, v } from '../../../machine/catalogue';
import type { NetworkView } from '../../../machine/network';
import type { KernelBuild } from '../../../machine/scenario';
import type { PkgEntry } from '../../../machine/world';

/** the mainline build's stamp: it is in the file names, the package version and uname -v */
const MAINLINE_STAMP = '201502091451';
const MAINLINE_DIR = 'http://kernel.ubuntu.com/~kernel-ppa/mainline/v3.19-vivid/';

export const KERNELS: readonly KernelBuild[] = [
  {
    release: '3.16.0-30-generic',
    version: '#40~14.04.1-Ubuntu SMP Thu Jan 15 17:43:14 UTC 2015',
    anonVmaReuse: false,
    image: 'linux-image-3.16.0-30-generic',
    pkgVersion: '3.16.0-30.40~14.04.1',
    builder: 'buildd@kissel',
    upstream: '3.16.7-ckt3',
  },
  {
    // Linux 3.19 (8 Feb 2015) is the first release with 7a3ef208 "mm: prevent endless growth of
    // anon_vma hierarchy"; Ubuntu's mainline builds are vanilla kernels with Ubuntu's config
    release: '3.19.0-031900-generic',
    version: `#${MAINLINE_STAMP} SMP Mon Feb 9 19:52:57 UTC 2015`,
    anonVmaReuse: true,
    image: 'linux-image-3.19.0-031900-generic',
    pkgVersion: `3.19.0-031900.${MAINLINE_STAMP}`,
    builder: 'kernel@gomeisa',
    upstream: '3.19.0',
    compiler: 'gcc version 4.9.2 (Ubuntu 4.9.2-10ubuntu5) ',
    mainline: true,
  },
];

const MB = 1024 * 1024;
/** when the PPA's files were written, a while after the compile uname -v records (inferred) */
const BUILT = Date.UTC(2015, 1, 9, 21, 4, 0);

/** What the box can fetch besides the Ubuntu archive: the kernel PPA's mainline 3.19 build. */
export const NETWORK: NetworkView = {
  hosts: [
    { name: 'kernel.ubuntu.com', ip: '91.189.94.216' },
  ],
  files: [
    {
      url: `${MAINLINE_DIR}linux-headers-3.19.0-031900_3.19.0-031900.${MAINLINE_STAMP}_all.deb`,
      bytes: 9_573_120,
      contentType: 'application/x-debian-package',
      date: '2015-02-09',
      modified: BUILT,
      deb: {
        name: 'linux-headers-3.19.0-031900',
        version: `3.19.0-031900.${MAINLINE_STAMP}`,
        arch: 'all',
        section: 'kernel',
        summary: 'Header files related to Linux kernel version 3.19.0',
        installedSizeKb: 68_934,
        depends: [],
      },
    },
    {
      url: `${MAINLINE_DIR}linux-headers-3.19.0-031900-generic_3.19.0-031900.${MAINLINE_STAMP}_amd64.deb`,
      bytes: 702_758,
      contentType: 'application/x-debian-package',
      date: '2015-02-09',
      modified: BUILT,
      deb: {
        name: 'linux-headers-3.19.0-031900-generic',
        version: `3.19.0-031900.${MAINLINE_STAMP}`,
        arch: 'amd64',
        section: 'kernel',
        summary: 'Linux kernel headers for version 3.19.0 on 64 bit x86 SMP',
        installedSizeKb: 7_826,
        depends: ['linux-headers-3.19.0-031900'],
      },
    },
    {
      url: `${MAINLINE_DIR}linux-image-3.19.0-031900-generic_3.19.0-031900.${MAINLINE_STAMP}_amd64.deb`,
      bytes: Math.round(47.3 * MB),
      contentType: 'application/x-debian-package',
      date: '2015-02-09',
      modified: BUILT,
      deb: {
        name: 'linux-image-3.19.0-031900-generic',
        version: `3.19.0-031900.${MAINLINE_STAMP}`,
        arch: 'amd64',
        section: 'kernel',
        summary: 'Linux kernel image for version 3.19.0 on 64 bit x86 SMP',
        installedSizeKb: 203_611,
        depends: [],
        kernel: `3.19.0-031900-generic`,
      },
    },
  ],
};

export function ch1Packages(): PkgEntry[] {
  return [
    pkg('nsd', 'net', 'authoritative domain name server', '4.0.1-1', [v('4.0.1-1', 'trusty', 331, 1014, ['libc6', 'libssl1.0.0'], TRUSTY)], 'amd64', 'universe'),
    pkg('linux-generic-lts-utopic', 'kernel', 'Complete Generic Linux kernel and headers', '3.16.0.30.23', [
      v('3.16.0.30.23', 'trusty-updates', 2, 10, ['linux-image-generic-lts-utopic (= 3.16.0.30.23)', 'linux-headers-generic-lts-utopic (= 3.16.0.30.23)'], '2015-02-19'),
    ]),
    pkg('linux-image-generic-lts-utopic', 'kernel', 'Generic Linux kernel image', '3.16.0.30.23', [
      v('3.16.0.30.23', 'trusty-updates', 2, 10, ['linux-image-3.16.0-30-generic', 'linux-image-extra-3.16.0-30-generic', 'linux-firmware'], '2015-02-19'),
    ]),
    pkg('linux-headers-generic-lts-utopic', 'kernel', 'Generic Linux kernel headers', '3.16.0.30.23', [
      v('3.16.0.30.23', 'trusty-updates', 2, 10, ['linux-headers-3.16.0-30-generic'], '2015-02-19'),
    ]),
    pkg('linux-image-3.16.0-30-generic', 'kernel', 'Linux kernel image for version 3.16.0 on 64 bit x86 SMP', '3.16.0-30.40~14.04.1', [
      v('3.16.0-30.40~14.04.1', 'trusty-updates', 15_120, 53_712, [], '2015-02-19'),
    ]),
    pkg('linux-image-extra-3.16.0-30-generic', 'kernel', 'Linux kernel extra modules for version 3.16.0 on 64 bit x86 SMP', '3.16.0-30.40~14.04.1', [
      v('3.16.0-30.40~14.04.1', 'trusty-updates', 37_005, 155_876, ['linux-image-3.16.0-30-generic'], '2015-02-19'),
    ]),
    pkg('linux-headers-3.16.0-30', 'kernel', 'Header files related to Linux kernel version 3.16.0', '3.16.0-30.40~14.04.1', [
      v('3.16.0-30.40~14.04.1', 'trusty-updates', 8_944, 65_400, [], '2015-02-19'),
    ], 'all'),
    pkg('linux-headers-3.16.0-30-generic', 'kernel', 'Linux kernel headers for version 3.16.0 on 64 bit x86 SMP', '3.16.0-30.40~14.04.1', [
      v('3.16.0-30.40~14.04.1', 'trusty-updates', 705, 7_650, ['linux-headers-3.16.0-30'], '2015-02-19'),
    ]),
    pkg('linux-firmware', 'misc', 'Firmware for Linux kernel drivers', '1.127.11', [v('1.127.11', 'trusty-updates', 23_870, 110_248, [], '2015-02-19')], 'all'),
  ];
}
