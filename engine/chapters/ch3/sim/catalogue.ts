/**
 * What db-2's archive and MongoDB's own apt repository offer: the trusty kernel it runs and the
 * mongodb-org 2.6.9 packages (repo.mongodb.org/apt/ubuntu trusty/mongodb-org/2.6, released
 * 2015-04-08; 2.6.10 came on 2015-05-18, after this night). The AWS CLI came from pip, not a
 * package.
 */
import { pkg, v } from '../../../machine/catalogue';
import type { KernelBuild } from '../../../machine/scenario';
import type { PkgEntry } from '../../../machine/world';

export const KERNELS: readonly KernelBuild[] = [
  {
    release: '3.13.0-46-generic',
    version: '#77-Ubuntu SMP Mon Mar 2 18:23:39 UTC 2015',
    anonVmaReuse: false,
    image: 'linux-image-3.13.0-46-generic',
    pkgVersion: '3.13.0-46.77',
    builder: 'buildd@phianna',
    upstream: '3.13.11-ckt15',
  },
];

const MONGO_DAY = '2015-04-08';

export function ch3Packages(): PkgEntry[] {
  const m = (name: string, summary: string, size: number, inst: number) =>
    pkg(name, 'database', summary, '2.6.9', [v('2.6.9', 'trusty/mongodb-org/2.6', size, inst, [], MONGO_DAY)]);
  return [
    pkg('linux-image-3.13.0-46-generic', 'kernel', 'Linux kernel image for version 3.13.0 on 64 bit x86 SMP', '3.13.0-46.77', [v('3.13.0-46.77', 'trusty-updates', 15_000, 52_000)]),
    m('mongodb-org', 'MongoDB open source document-oriented database system (metapackage)', 4, 12),
    m('mongodb-org-server', 'MongoDB database server', 4_720, 12_960),
    m('mongodb-org-shell', 'MongoDB shell client', 2_330, 6_480),
    m('mongodb-org-tools', 'MongoDB tools', 12_480, 33_970),
    m('mongodb-org-mongos', 'MongoDB sharded cluster query router', 2_800, 7_690),
  ];
}
