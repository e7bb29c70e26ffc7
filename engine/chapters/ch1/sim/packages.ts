/**
 * What apt knows on this box: the installed packages, the versions the archive offers, pinning,
 * and the handful of postinst effects that matter here (nsd restarts on upgrade; a new kernel
 * waits for the next boot). Results are data; another module prints apt-get's transcript.
 */
import type { AptPackageView } from '../../../formats/types';
import { compareDebVersions } from './debversion';
import type { Ch1World, PkgEntry, PkgState, PkgVersion } from './world';

export interface KernelBuild {
  release: string;
  /** uname -v */
  version: string;
  /** carries the anon_vma degree fix (upstream 7a3ef208 or its backport) */
  fix: boolean;
  image: string;
  pkgVersion: string;
  /** for the boot banner */
  builder: string;
  upstream: string;
}

export const KERNELS: readonly KernelBuild[] = [
  {
    release: '3.16.0-30-generic',
    version: '#40~14.04.1-Ubuntu SMP Thu Jan 15 17:43:14 UTC 2015',
    fix: false,
    image: 'linux-image-3.16.0-30-generic',
    pkgVersion: '3.16.0-30.40~14.04.1',
    builder: 'buildd@kissel',
    upstream: '3.16.7-ckt3',
  },
  {
    release: '3.16.0-77-generic',
    version: '#99~14.04.1-Ubuntu SMP Tue Mar 3 11:47:09 UTC 2015',
    fix: true,
    image: 'linux-image-3.16.0-77-generic',
    pkgVersion: '3.16.0-77.99~14.04.1',
    builder: 'buildd@lgw01-17',
    upstream: '3.16.7-ckt29',
  },
  {
    release: '3.19.0-80-generic',
    version: '#88~14.04.1-Ubuntu SMP Wed Mar 4 09:12:33 UTC 2015',
    fix: true,
    image: 'linux-image-3.19.0-80-generic',
    pkgVersion: '3.19.0-80.88~14.04.1',
    builder: 'buildd@lcy01-34',
    upstream: '3.19.8-ckt22',
  },
];

export function kernelByRelease(release: string): KernelBuild | undefined {
  return KERNELS.find((k) => k.release === release);
}

const ARCHIVE = 'http://us-east-1.ec2.archive.ubuntu.com/ubuntu';
const SECURITY = 'http://security.ubuntu.com/ubuntu';

function v(version: string, suite: string, sizeKb: number, installedSizeKb: number, depends: string[] = []): PkgVersion {
  return { version, suite, sizeKb, installedSizeKb, depends };
}

function pkg(name: string, section: string, summary: string, installed: string | null, versions: PkgVersion[], arch = 'amd64'): PkgEntry {
  return { name, section, summary, arch, installed, versions };
}

export function seedPackages(): PkgState {
  const list: PkgEntry[] = [
    pkg('nsd', 'net', 'authoritative domain name server', '4.0.1-1', [
      v('4.0.1-1', 'trusty', 331, 1014, ['libc6', 'libssl1.0.0']),
      v('4.1.7-1~ubuntu14.04.1', 'trusty-backports', 357, 1121, ['libc6', 'libevent-2.0-5', 'libssl1.0.0']),
    ]),
    pkg('libevent-2.0-5', 'libs', 'Asynchronous event notification library', null, [v('2.0.21-stable-1ubuntu1.14.04.1', 'trusty-updates', 107, 389)]),
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
    pkg('openssl', 'utils', 'Secure Sockets Layer toolkit - cryptographic utility', '1.0.1f-1ubuntu2.8', [
      v('1.0.1f-1ubuntu2.8', 'trusty-updates', 489, 934),
      v('1.0.1f-1ubuntu2.11', 'trusty-security', 489, 934, ['libssl1.0.0 (>= 1.0.1f-1ubuntu2.11)']),
    ]),
    pkg('libssl1.0.0', 'libs', 'Secure Sockets Layer toolkit - shared libraries', '1.0.1f-1ubuntu2.8', [
      v('1.0.1f-1ubuntu2.8', 'trusty-updates', 827, 2_851),
      v('1.0.1f-1ubuntu2.11', 'trusty-security', 827, 2_851),
    ]),
    pkg('tzdata', 'libs', 'time zone and daylight-saving time data', '2014i-0ubuntu0.14.04', [
      v('2014i-0ubuntu0.14.04', 'trusty-updates', 168, 1_345),
      v('2015a-0ubuntu0.14.04', 'trusty-updates', 170, 1_349),
    ], 'all'),
    pkg('bash', 'shells', 'GNU Bourne Again SHell', '4.3-7ubuntu1.4', [
      v('4.3-7ubuntu1.4', 'trusty-security', 579, 1_568),
      v('4.3-7ubuntu1.5', 'trusty-security', 579, 1_568),
    ]),
    pkg('collectd', 'utils', 'statistics collection and monitoring daemon', '5.4.0-3ubuntu2', [v('5.4.0-3ubuntu2', 'trusty', 20, 84)], 'all'),
    pkg('cron', 'admin', 'process scheduling daemon', '3.0pl1-124ubuntu2', [v('3.0pl1-124ubuntu2', 'trusty', 68, 248)]),
    pkg('openssh-server', 'net', 'secure shell (SSH) server, for secure access from remote machines', '1:6.6p1-2ubuntu2', [v('1:6.6p1-2ubuntu2', 'trusty-updates', 319, 850)]),
    pkg('rsyslog', 'admin', 'reliable system and kernel logging daemon', '7.4.4-1ubuntu2.5', [v('7.4.4-1ubuntu2.5', 'trusty-updates', 397, 1_209)]),
    pkg('ntp', 'net', 'Network Time Protocol daemon and utility programs', '1:4.2.6.p5+dfsg-3ubuntu2.14.04.2', [v('1:4.2.6.p5+dfsg-3ubuntu2.14.04.2', 'trusty-updates', 433, 1_480)]),
    pkg('dnsutils', 'net', 'Clients provided with BIND', '1:9.9.5.dfsg-3ubuntu0.2', [v('1:9.9.5.dfsg-3ubuntu0.2', 'trusty-updates', 100, 490)]),
    pkg('procps', 'admin', '/proc file system utilities', '1:3.3.9-1ubuntu2.2', [v('1:3.3.9-1ubuntu2.2', 'trusty-updates', 206, 689)]),
    pkg('mlocate', 'utils', 'quickly find files on the filesystem based on their name', '0.26-1ubuntu1', [v('0.26-1ubuntu1', 'trusty', 52, 256)]),
    pkg('htop', 'utils', 'interactive processes viewer', null, [v('1.0.2-3', 'trusty', 68, 216)]),
    pkg('sysstat', 'admin', 'system performance tools for Linux', null, [v('10.2.0-1', 'trusty', 272, 1_024)]),
    pkg('strace', 'utils', 'A system call tracer', null, [v('4.8-1ubuntu5', 'trusty', 111, 469)]),
  ];
  return { list, updated: false, rebootRequired: false };
}

function suiteUrl(suite: string): string {
  return suite === 'trusty-security' ? SECURITY : ARCHIVE;
}

function component(e: PkgEntry): string {
  return ['nsd', 'htop', 'collectd', 'libevent-2.0-5'].includes(e.name) ? 'universe' : 'main';
}

interface PinRule {
  pkg: string;
  suite: string;
  priority: number;
}

function pinRules(w: Ch1World): PinRule[] {
  const rules: PinRule[] = [];
  for (const [path, f] of Object.entries(w.files.files)) {
    if (path !== '/etc/apt/preferences' && !path.startsWith('/etc/apt/preferences.d/')) continue;
    for (const block of f.content.split(/\n\s*\n/)) {
      const pk = /^Package:\s*(.+)$/m.exec(block)?.[1]?.trim();
      const pin = /^Pin:\s*release\s+(?:a|n)=([^\s,]+)/m.exec(block)?.[1];
      const prio = /^Pin-Priority:\s*(-?\d+)/m.exec(block)?.[1];
      if (pk && pin && prio) for (const name of pk.split(/\s+/)) rules.push({ pkg: name, suite: pin, priority: parseInt(prio, 10) });
    }
  }
  return rules;
}

function suitePriority(w: Ch1World, e: PkgEntry, suite: string, target?: string, rules = pinRules(w)): number {
  if (target && (suite === target || suite.startsWith(`${target}`))) return 990;
  for (const r of rules) if ((r.pkg === e.name || r.pkg === '*') && r.suite === suite) return r.priority;
  return suite === 'trusty-backports' ? 100 : 500;
}

/** apt's candidate: highest pin priority, then highest version; never a downgrade below 1000. */
export function candidateOf(w: Ch1World, e: PkgEntry, target?: string): PkgVersion {
  const rules = pinRules(w);
  let best: PkgVersion = e.versions[0]!;
  let bestPrio = -Infinity;
  for (const ver of e.versions) {
    const prio = suitePriority(w, e, ver.suite, target, rules);
    if (prio > bestPrio || (prio === bestPrio && compareDebVersions(ver.version, best.version) > 0)) {
      best = ver;
      bestPrio = prio;
    }
  }
  if (e.installed && compareDebVersions(best.version, e.installed) < 0 && bestPrio < 1000) {
    return e.versions.find((x) => x.version === e.installed) ?? best;
  }
  return best;
}

export function aptPackagesView(w: Ch1World): AptPackageView[] {
  return w.pkgs.list.map((e) => {
    const c = candidateOf(w, e);
    return { name: e.name, suite: c.suite, arch: e.arch, installedVersion: e.installed, candidateVersion: c.version, section: e.section, summary: e.summary };
  });
}

/** Every version apt-cache policy lists for a package, with its priority. */
export function aptPolicy(w: Ch1World, name: string): null | { installed: string | null; candidate: string; table: Array<{ version: string; priority: number; suite: string; url: string; installed: boolean }> } {
  const e = w.pkgs.list.find((x) => x.name === name);
  if (!e) return null;
  return {
    installed: e.installed,
    candidate: candidateOf(w, e).version,
    table: e.versions
      .slice()
      .sort((a, b) => compareDebVersions(b.version, a.version))
      .map((ver) => ({
        version: ver.version,
        priority: suitePriority(w, e, ver.suite),
        suite: `${ver.suite}/${component(e)}`,
        url: suiteUrl(ver.suite),
        installed: ver.version === e.installed,
      })),
  };
}

export interface AptFetch {
  url: string;
  suite: string;
  component: string;
  name: string;
  arch: string;
  version: string;
  sizeKb: number;
}

export interface AptPlan {
  errors: string[];
  notes: string[];
  upgrade: Array<{ name: string; from: string; to: string }>;
  install: Array<{ name: string; version: string }>;
  keptBack: string[];
  fetches: AptFetch[];
  downloadKb: number;
  diskDeltaKb: number;
}

function depName(dep: string): { name: string; op: string | null; version: string | null } {
  const m = /^([a-z0-9.+-]+)(?:\s*\((=|>=|<=|>>|<<)\s*([^)]+)\))?$/.exec(dep.trim());
  if (!m) return { name: dep.trim(), op: null, version: null };
  return { name: m[1]!, op: m[2] ?? null, version: m[3]?.trim() ?? null };
}

function satisfies(installed: string | null, op: string | null, version: string | null): boolean {
  if (!installed) return false;
  if (!op || !version) return true;
  const c = compareDebVersions(installed, version);
  if (op === '=') return c === 0;
  if (op === '>=') return c >= 0;
  if (op === '<=') return c <= 0;
  if (op === '>>') return c > 0;
  return c < 0;
}

/** What apt-get install would do, without doing it. */
export function planInstall(w: Ch1World, names: string[], target?: string): AptPlan {
  const plan: AptPlan = { errors: [], notes: [], upgrade: [], install: [], keptBack: [], fetches: [], downloadKb: 0, diskDeltaKb: 0 };
  const chosen = new Map<string, PkgVersion>();
  const visit = (name: string, wanted: PkgVersion | null, top: boolean): void => {
    const e = w.pkgs.list.find((x) => x.name === name);
    if (!e) {
      if (top) plan.errors.push(`E: Unable to locate package ${name}`);
      return;
    }
    const ver = wanted ?? candidateOf(w, e, target);
    if (chosen.has(name)) return;
    if (e.installed && compareDebVersions(e.installed, ver.version) >= 0) {
      if (top) plan.notes.push(`${name} is already the newest version.`);
      return;
    }
    chosen.set(name, ver);
    for (const d of ver.depends) {
      const dn = depName(d);
      const de = w.pkgs.list.find((x) => x.name === dn.name);
      if (!de || satisfies(de.installed, dn.op, dn.version)) continue;
      const exact = dn.op === '=' && dn.version ? de.versions.find((x) => x.version === dn.version) ?? null : null;
      visit(dn.name, exact, false);
    }
  };
  for (const raw of names) {
    const [name, suffix] = raw.split(/[=/]/);
    const e = w.pkgs.list.find((x) => x.name === name);
    if (!e) {
      plan.errors.push(`E: Unable to locate package ${name}`);
      continue;
    }
    let wanted: PkgVersion | null = null;
    if (suffix && raw.includes('=')) {
      wanted = e.versions.find((x) => x.version === suffix) ?? null;
      if (!wanted) {
        plan.errors.push(`E: Version '${suffix}' for '${name}' was not found`);
        continue;
      }
    } else if (suffix && raw.includes('/')) {
      wanted = e.versions.filter((x) => x.suite === suffix).sort((a, b) => compareDebVersions(b.version, a.version))[0] ?? null;
      if (!wanted) {
        plan.errors.push(`E: Release '${suffix}' for '${name}' was not found`);
        continue;
      }
    }
    visit(name!, wanted, true);
  }
  finishPlan(w, plan, chosen);
  return plan;
}

function finishPlan(w: Ch1World, plan: AptPlan, chosen: Map<string, PkgVersion>): void {
  for (const [name, ver] of chosen) {
    const e = w.pkgs.list.find((x) => x.name === name)!;
    if (e.installed) plan.upgrade.push({ name, from: e.installed, to: ver.version });
    else plan.install.push({ name, version: ver.version });
    plan.fetches.push({ url: suiteUrl(ver.suite), suite: ver.suite, component: component(e), name, arch: e.arch, version: ver.version, sizeKb: ver.sizeKb });
    plan.downloadKb += ver.sizeKb;
    const before = e.installed ? e.versions.find((x) => x.version === e.installed)?.installedSizeKb ?? 0 : 0;
    plan.diskDeltaKb += ver.installedSizeKb - before;
  }
}

/** apt-get upgrade (holds back upgrades that need packages not yet installed) or dist-upgrade. */
export function planUpgrade(w: Ch1World, dist: boolean): AptPlan {
  const up = w.pkgs.list.filter((e) => e.installed && compareDebVersions(candidateOf(w, e).version, e.installed) > 0);
  if (dist) {
    const plan = planInstall(w, up.map((e) => `${e.name}=${candidateOf(w, e).version}`));
    plan.notes = [];
    return plan;
  }
  const plan: AptPlan = { errors: [], notes: [], upgrade: [], install: [], keptBack: [], fetches: [], downloadKb: 0, diskDeltaKb: 0 };
  const kept = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const e of up) {
      if (kept.has(e.name)) continue;
      for (const d of candidateOf(w, e).depends) {
        const dn = depName(d);
        const de = w.pkgs.list.find((x) => x.name === dn.name);
        if (!de || satisfies(de.installed, dn.op, dn.version)) continue;
        const movable = !!de.installed && up.includes(de) && !kept.has(de.name) && satisfies(candidateOf(w, de).version, dn.op, dn.version);
        if (!movable) {
          kept.add(e.name);
          changed = true;
          break;
        }
      }
    }
  }
  const chosen = new Map<string, PkgVersion>();
  for (const e of up) if (!kept.has(e.name)) chosen.set(e.name, candidateOf(w, e));
  finishPlan(w, plan, chosen);
  plan.keptBack = Array.from(kept).sort();
  return plan;
}

/** The newest kernel image installed: what grub boots by default. */
export function newestInstalledKernel(w: Ch1World): KernelBuild {
  let best: KernelBuild = KERNELS[0]!;
  for (const k of KERNELS) {
    const e = w.pkgs.list.find((x) => x.name === k.image);
    if (!e?.installed) continue;
    if (!w.pkgs.list.find((x) => x.name === best.image)?.installed || compareDebVersions(k.pkgVersion, best.pkgVersion) > 0) best = k;
  }
  return best;
}

export function markInstalled(w: Ch1World, name: string, version: string): void {
  const e = w.pkgs.list.find((x) => x.name === name);
  if (e) e.installed = version;
}
