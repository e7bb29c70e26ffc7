/**
 * The packages of an Ubuntu 14.04 server that every chapter's box has, as the archive offered
 * them in March 2015. A scenario adds its own (its daemons, its kernels) in front of these.
 * Each version carries the day it was on the archive by; docs/sources.md says where each was read.
 * Where no update could be confirmed for the months before the game, the box has the version
 * trusty itself shipped with.
 */
import type { PkgEntry, PkgVersion } from './world';

/** the day trusty (14.04 LTS) was released: every version in the release pocket existed by then */
export const TRUSTY = '2014-04-17';

export function v(version: string, suite: string, sizeKb: number, installedSizeKb: number, depends: string[] = [], date?: string): PkgVersion {
  return { version, suite, sizeKb, installedSizeKb, depends, ...(date ? { date } : {}) };
}

export function pkg(name: string, section: string, summary: string, installed: string | null, versions: PkgVersion[], arch = 'amd64', component?: 'universe'): PkgEntry {
  const e: PkgEntry = { name, section, summary, arch, installed, versions };
  if (component) e.component = component;
  return e;
}

export function basePackages(): PkgEntry[] {
  return [
    pkg('openssl', 'utils', 'Secure Sockets Layer toolkit - cryptographic utility', '1.0.1f-1ubuntu2.8', [
      v('1.0.1f-1ubuntu2', 'trusty', 489, 934, [], TRUSTY),
      v('1.0.1f-1ubuntu2.8', 'trusty-security', 489, 934, ['libssl1.0.0 (>= 1.0.1f-1ubuntu2.8)'], '2015-01-12'),
    ]),
    pkg('libssl1.0.0', 'libs', 'Secure Sockets Layer toolkit - shared libraries', '1.0.1f-1ubuntu2.8', [
      v('1.0.1f-1ubuntu2', 'trusty', 827, 2_851, [], TRUSTY),
      v('1.0.1f-1ubuntu2.8', 'trusty-security', 827, 2_851, [], '2015-01-12'),
    ]),
    pkg('tzdata', 'libs', 'time zone and daylight-saving time data', '2014i-0ubuntu0.14.04', [
      v('2014i-0ubuntu0.14.04', 'trusty-updates', 168, 1_345, [], '2014-11-03'),
      v('2015a-0ubuntu0.14.04', 'trusty-updates', 170, 1_349, [], '2015-02-09'),
    ], 'all'),
    pkg('bash', 'shells', 'GNU Bourne Again SHell', '4.3-7ubuntu1.4', [
      v('4.3-7ubuntu1', 'trusty', 579, 1_568, [], TRUSTY),
      v('4.3-7ubuntu1.4', 'trusty-security', 579, 1_568, [], '2014-09-27'),
    ]),
    pkg('collectd', 'utils', 'statistics collection and monitoring daemon', '5.4.0-3ubuntu2', [v('5.4.0-3ubuntu2', 'trusty', 20, 84, [], TRUSTY)], 'all', 'universe'),
    pkg('cron', 'admin', 'process scheduling daemon', '3.0pl1-124ubuntu2', [v('3.0pl1-124ubuntu2', 'trusty', 68, 248, [], TRUSTY)]),
    pkg('openssh-server', 'net', 'secure shell (SSH) server, for secure access from remote machines', '1:6.6p1-2ubuntu2', [v('1:6.6p1-2ubuntu2', 'trusty', 319, 850, [], TRUSTY)]),
    pkg('rsyslog', 'admin', 'reliable system and kernel logging daemon', '7.4.4-1ubuntu2', [v('7.4.4-1ubuntu2', 'trusty', 397, 1_209, [], TRUSTY)]),
    pkg('ntp', 'net', 'Network Time Protocol daemon and utility programs', '1:4.2.6.p5+dfsg-3ubuntu2', [v('1:4.2.6.p5+dfsg-3ubuntu2', 'trusty', 433, 1_480, [], TRUSTY)]),
    pkg('dnsutils', 'net', 'Clients provided with BIND', '1:9.9.5.dfsg-3ubuntu0.2', [
      v('1:9.9.5.dfsg-3', 'trusty', 100, 490, [], TRUSTY),
      v('1:9.9.5.dfsg-3ubuntu0.2', 'trusty-security', 100, 490, [], '2015-02-18'),
    ]),
    pkg('procps', 'admin', '/proc file system utilities', '1:3.3.9-1ubuntu2', [v('1:3.3.9-1ubuntu2', 'trusty', 206, 689, [], TRUSTY)]),
    pkg('mlocate', 'utils', 'quickly find files on the filesystem based on their name', '0.26-1ubuntu1', [v('0.26-1ubuntu1', 'trusty', 52, 256, [], TRUSTY)]),
    pkg('htop', 'utils', 'interactive processes viewer', null, [v('1.0.2-3', 'trusty', 68, 216, [], TRUSTY)], 'amd64', 'universe'),
    pkg('sysstat', 'admin', 'system performance tools for Linux', null, [v('10.2.0-1', 'trusty', 272, 1_024, [], TRUSTY)]),
    pkg('strace', 'utils', 'A system call tracer', null, [v('4.8-1ubuntu5', 'trusty', 111, 469, [], TRUSTY)]),
  ];
}
