/**
 * What this secondary's archive offers that the base system does not: NSD (with the 4.1 that
 * fixes the reload model in trusty-backports), and the kernels, from the 3.16 it runs to the
 * builds that carry the anon_vma fix.
 */
import { pkg, v } from '../../../machine/catalogue';
import type { KernelBuild } from '../../../machine/scenario';
import type { PkgEntry } from '../../../machine/world';

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
    release: '3.16.0-77-generic',
    version: '#99~14.04.1-Ubuntu SMP Tue Mar 3 11:47:09 UTC 2015',
    anonVmaReuse: true,
    image: 'linux-image-3.16.0-77-generic',
    pkgVersion: '3.16.0-77.99~14.04.1',
    builder: 'buildd@lgw01-17',
    upstream: '3.16.7-ckt29',
  },
  {
    release: '3.19.0-80-generic',
    version: '#88~14.04.1-Ubuntu SMP Wed Mar 4 09:12:33 UTC 2015',
    anonVmaReuse: true,
    image: 'linux-image-3.19.0-80-generic',
    pkgVersion: '3.19.0-80.88~14.04.1',
    builder: 'buildd@lcy01-34',
    upstream: '3.19.8-ckt22',
  },
];


export function ch1Packages(): PkgEntry[] {
  return [
    pkg('nsd', 'net', 'authoritative domain name server', '4.0.1-1', [
      v('4.0.1-1', 'trusty', 331, 1014, ['libc6', 'libssl1.0.0']),
      v('4.1.7-1~ubuntu14.04.1', 'trusty-backports', 357, 1121, ['libc6', 'libevent-2.0-5', 'libssl1.0.0']),
    ], 'amd64', 'universe'),
    pkg('libevent-2.0-5', 'libs', 'Asynchronous event notification library', null, [v('2.0.21-stable-1ubuntu1.14.04.1', 'trusty-updates', 107, 389)], 'amd64', 'universe'),
    pkg('linux-generic-lts-utopic', 'kernel', 'Complete Generic Linux kernel and headers', '3.16.0.30.23', [
      v('3.16.0.30.23', 'trusty-updates', 2, 10, ['linux-image-generic-lts-utopic (= 3.16.0.30.23)', 'linux-headers-generic-lts-utopic (= 3.16.0.30.23)']),
      v('3.16.0.77.68', 'trusty-updates', 2, 10, ['linux-image-generic-lts-utopic (= 3.16.0.77.68)', 'linux-headers-generic-lts-utopic (= 3.16.0.77.68)']),
    ]),
    pkg('linux-image-generic-lts-utopic', 'kernel', 'Generic Linux kernel image', '3.16.0.30.23', [
      v('3.16.0.30.23', 'trusty-updates', 2, 10, ['linux-image-3.16.0-30-generic', 'linux-image-extra-3.16.0-30-generic', 'linux-firmware']),
      v('3.16.0.77.68', 'trusty-updates', 2, 10, ['linux-image-3.16.0-77-generic', 'linux-image-extra-3.16.0-77-generic', 'linux-firmware']),
    ]),
    pkg('linux-headers-generic-lts-utopic', 'kernel', 'Generic Linux kernel headers', '3.16.0.30.23', [
      v('3.16.0.30.23', 'trusty-updates', 2, 10, ['linux-headers-3.16.0-30-generic']),
      v('3.16.0.77.68', 'trusty-updates', 2, 10, ['linux-headers-3.16.0-77-generic']),
    ]),
    pkg('linux-image-3.16.0-30-generic', 'kernel', 'Linux kernel image for version 3.16.0 on 64 bit x86 SMP', '3.16.0-30.40~14.04.1', [
      v('3.16.0-30.40~14.04.1', 'trusty-updates', 15_120, 53_712),
    ]),
    pkg('linux-image-extra-3.16.0-30-generic', 'kernel', 'Linux kernel extra modules for version 3.16.0 on 64 bit x86 SMP', '3.16.0-30.40~14.04.1', [
      v('3.16.0-30.40~14.04.1', 'trusty-updates', 37_005, 155_876),
    ]),
    pkg('linux-headers-3.16.0-30', 'kernel', 'Header files related to Linux kernel version 3.16.0', '3.16.0-30.40~14.04.1', [
      v('3.16.0-30.40~14.04.1', 'trusty-updates', 8_944, 65_400),
    ], 'all'),
    pkg('linux-headers-3.16.0-30-generic', 'kernel', 'Linux kernel headers for version 3.16.0 on 64 bit x86 SMP', '3.16.0-30.40~14.04.1', [
      v('3.16.0-30.40~14.04.1', 'trusty-updates', 705, 7_650, ['linux-headers-3.16.0-30']),
    ]),
    pkg('linux-image-3.16.0-77-generic', 'kernel', 'Linux kernel image for version 3.16.0 on 64 bit x86 SMP', null, [
      v('3.16.0-77.99~14.04.1', 'trusty-updates', 15_391, 54_208),
    ]),
    pkg('linux-image-extra-3.16.0-77-generic', 'kernel', 'Linux kernel extra modules for version 3.16.0 on 64 bit x86 SMP', null, [
      v('3.16.0-77.99~14.04.1', 'trusty-updates', 37_320, 156_632, ['linux-image-3.16.0-77-generic']),
    ]),
    pkg('linux-headers-3.16.0-77', 'kernel', 'Header files related to Linux kernel version 3.16.0', null, [
      v('3.16.0-77.99~14.04.1', 'trusty-updates', 8_990, 65_588),
    ], 'all'),
    pkg('linux-headers-3.16.0-77-generic', 'kernel', 'Linux kernel headers for version 3.16.0 on 64 bit x86 SMP', null, [
      v('3.16.0-77.99~14.04.1', 'trusty-updates', 712, 7_684, ['linux-headers-3.16.0-77']),
    ]),
    pkg('linux-generic-lts-vivid', 'kernel', 'Complete Generic Linux kernel and headers', null, [
      v('3.19.0.80.63', 'trusty-updates', 2, 10, ['linux-image-generic-lts-vivid (= 3.19.0.80.63)', 'linux-headers-generic-lts-vivid (= 3.19.0.80.63)']),
    ]),
    pkg('linux-image-generic-lts-vivid', 'kernel', 'Generic Linux kernel image', null, [
      v('3.19.0.80.63', 'trusty-updates', 2, 10, ['linux-image-3.19.0-80-generic', 'linux-image-extra-3.19.0-80-generic', 'linux-firmware']),
    ]),
    pkg('linux-headers-generic-lts-vivid', 'kernel', 'Generic Linux kernel headers', null, [
      v('3.19.0.80.63', 'trusty-updates', 2, 10, ['linux-headers-3.19.0-80-generic']),
    ]),
    pkg('linux-image-3.19.0-80-generic', 'kernel', 'Linux kernel image for version 3.19.0 on 64 bit x86 SMP', null, [
      v('3.19.0-80.88~14.04.1', 'trusty-updates', 15_772, 55_470),
    ]),
    pkg('linux-image-extra-3.19.0-80-generic', 'kernel', 'Linux kernel extra modules for version 3.19.0 on 64 bit x86 SMP', null, [
      v('3.19.0-80.88~14.04.1', 'trusty-updates', 38_640, 161_200, ['linux-image-3.19.0-80-generic']),
    ]),
    pkg('linux-headers-3.19.0-80', 'kernel', 'Header files related to Linux kernel version 3.19.0', null, [
      v('3.19.0-80.88~14.04.1', 'trusty-updates', 9_210, 66_912),
    ], 'all'),
    pkg('linux-headers-3.19.0-80-generic', 'kernel', 'Linux kernel headers for version 3.19.0 on 64 bit x86 SMP', null, [
      v('3.19.0-80.88~14.04.1', 'trusty-updates', 728, 7_810, ['linux-headers-3.19.0-80']),
    ]),
    pkg('linux-firmware', 'misc', 'Firmware for Linux kernel drivers', '1.127.11', [v('1.127.11', 'trusty-updates', 23_870, 110_248)], 'all'),
  ];
}
