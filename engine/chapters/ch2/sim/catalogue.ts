/**
 * What this web box's archive offers beyond the base system, as it stood in November 2015: the
 * trusty kernel it runs (3.13.0-61, installed in August and not replaced since), trusty's Ruby
 * 1.9.3 for the publisher, and the tools an engineer reaches for when a socket misbehaves. nsqd is
 * no package: it came from NSQ's upstream binary tarball (see NSQD below). Every version carries
 * the day it was on the archive by; docs/sources.md ("Chapter 2 machine") says where each was read.
 */
import { pkg, TRUSTY, v } from '../../../machine/catalogue';
import type { KernelBuild } from '../../../machine/scenario';
import type { PkgEntry } from '../../../machine/world';

export const KERNELS: readonly KernelBuild[] = [
  {
    release: '3.13.0-61-generic',
    version: '#100-Ubuntu SMP Wed Jul 29 11:21:34 UTC 2015',
    anonVmaReuse: false,
    image: 'linux-image-3.13.0-61-generic',
    pkgVersion: '3.13.0-61.100',
    builder: 'buildd@lgw01-50',
    upstream: '3.13.11-ckt22',
  },
];

/** USN-2700-1, 2015-07-30: linux 3.13.0-61.100 in trusty-security and trusty-updates */
const KERNEL_DAY = '2015-07-30';

/**
 * NSQ 0.3.6 (2015-09-24), as its release tarball nsq-0.3.6.linux-amd64.go1.5.1.tar.gz unpacks into
 * /usr/local/bin. `nsqd --version` prints version.String("nsqd") of internal/version/binary.go.
 */
export const NSQD = {
  version: '0.3.6',
  go: 'go1.5.1',
  tarball: 'nsq-0.3.6.linux-amd64.go1.5.1.tar.gz',
  released: Date.UTC(2015, 8, 24),
  versionLine: 'nsqd v0.3.6 (built w/go1.5.1)',
  /**
   * the binaries the tarball's bin/ holds (the Makefile's APPS), with their sizes: static Go 1.5
   * binaries of a few MB each (estimates: the release files were not measured)
   */
  binaries: [
    ['nsq_pubsub', 6_384_112],
    ['nsq_stat', 5_710_224],
    ['nsq_tail', 5_902_672],
    ['nsq_to_file', 6_001_048],
    ['nsq_to_http', 6_121_880],
    ['nsq_to_nsq', 6_093_184],
    ['nsqadmin', 9_846_312],
    ['nsqd', 9_127_744],
    ['nsqlookupd', 7_884_560],
    ['to_nsq', 5_791_360],
  ],
} as const;

/** trusty's Ruby (ruby1.9.1 1.9.3.484-2ubuntu1.x): what `ruby -v` and `gem -v` print */
export const RUBY = {
  versionLine: 'ruby 1.9.3p484 (2013-11-22 revision 43786) [x86_64-linux]',
  gemVersion: '1.8.23',
} as const;

export function ch2Packages(): PkgEntry[] {
  return [
    pkg('linux-image-3.13.0-61-generic', 'kernel', 'Linux kernel image for version 3.13.0 on 64 bit x86 SMP', '3.13.0-61.100', [
      v('3.13.0-61.100', 'trusty-updates', 15_130, 52_520, [], KERNEL_DAY),
    ]),
    pkg('linux-image-extra-3.13.0-61-generic', 'kernel', 'Linux kernel extra modules for version 3.13.0 on 64 bit x86 SMP', '3.13.0-61.100', [
      v('3.13.0-61.100', 'trusty-updates', 36_380, 149_940, ['linux-image-3.13.0-61-generic'], KERNEL_DAY),
    ]),
    // ruby-defaults: /usr/bin/ruby, the name the publisher's upstart job runs
    pkg('ruby', 'ruby', 'Interpreter of object-oriented scripting language Ruby (default version)', '1:1.9.3.4', [v('1:1.9.3.4', 'trusty', 5, 31, ['ruby1.9.1'], TRUSTY)], 'all'),
    pkg('ruby1.9.1', 'ruby', 'Interpreter of object-oriented scripting language Ruby', '1.9.3.484-2ubuntu1.2', [
      v('1.9.3.484-2ubuntu1', 'trusty', 36, 152, ['libruby1.9.1 (= 1.9.3.484-2ubuntu1)'], TRUSTY),
      v('1.9.3.484-2ubuntu1.2', 'trusty-security', 36, 152, ['libruby1.9.1 (= 1.9.3.484-2ubuntu1.2)'], '2014-11-04'),
    ]),
    pkg('libruby1.9.1', 'libs', 'Libraries necessary to run Ruby 1.9.1', '1.9.3.484-2ubuntu1.2', [
      v('1.9.3.484-2ubuntu1', 'trusty', 2_645, 9_700, ['libyaml-0-2', 'libssl1.0.0 (>= 1.0.0)'], TRUSTY),
      v('1.9.3.484-2ubuntu1.2', 'trusty-security', 2_645, 9_700, ['libyaml-0-2', 'libssl1.0.0 (>= 1.0.0)'], '2014-11-04'),
    ]),
    pkg('libyaml-0-2', 'libs', 'Fast YAML 1.1 parser and emitter library', '0.1.4-3ubuntu3', [v('0.1.4-3ubuntu3', 'trusty', 48, 137, [], TRUSTY)]),
    pkg('curl', 'web', 'command line tool for transferring data with URL syntax', '7.35.0-1ubuntu2.5', [
      v('7.35.0-1ubuntu2', 'trusty', 123, 293, ['libcurl3 (= 7.35.0-1ubuntu2)'], TRUSTY),
      v('7.35.0-1ubuntu2.5', 'trusty-security', 123, 293, ['libcurl3 (= 7.35.0-1ubuntu2.5)'], '2015-04-30'),
    ]),
    pkg('libcurl3', 'libs', 'easy-to-use client-side URL transfer library (OpenSSL flavour)', '7.35.0-1ubuntu2.5', [
      v('7.35.0-1ubuntu2', 'trusty', 173, 467, [], TRUSTY),
      v('7.35.0-1ubuntu2.5', 'trusty-security', 173, 467, [], '2015-04-30'),
    ]),
    pkg('tcpdump', 'net', 'command-line network traffic analyzer', '4.5.1-2ubuntu1.2', [
      v('4.5.1-2ubuntu1', 'trusty', 355, 1_133, ['libpcap0.8 (>= 1.5.1)'], TRUSTY),
      v('4.5.1-2ubuntu1.2', 'trusty-security', 355, 1_133, ['libpcap0.8 (>= 1.5.1)'], '2015-04-27'),
    ]),
    pkg('libpcap0.8', 'libs', 'system interface for user-level packet capture', '1.5.3-2', [v('1.5.3-2', 'trusty', 110, 311, [], TRUSTY)]),
    pkg('strace', 'utils', 'A system call tracer', '4.8-1ubuntu5', [v('4.8-1ubuntu5', 'trusty', 111, 469, [], TRUSTY)]),
    pkg('iproute2', 'net', 'networking and traffic control tools', '3.12.0-2', [v('3.12.0-2', 'trusty', 393, 1_390, [], TRUSTY)]),
    pkg('net-tools', 'net', 'The NET-3 networking toolkit', '1.60-25ubuntu2.1', [
      v('1.60-25ubuntu2', 'trusty', 175, 926, [], TRUSTY),
      v('1.60-25ubuntu2.1', 'trusty-updates', 175, 926, [], '2014-10-14'),
    ]),
  ];
}
