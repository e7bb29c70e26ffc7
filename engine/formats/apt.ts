/**
 * apt 1.0.1 and dpkg 1.17.5 as Ubuntu 14.04 ships them: `apt list`, `apt-cache policy`,
 * `apt-cache search` and the `apt-get install` transcript, with apt's own size and time
 * formatting (SizeToStr, TimeToStr).
 */
import type { AptPackageView } from './types';
import { cFixed, groupThousands } from './printf';
import { RegexTooComplex, compileNode, compilePosix, linearFromSource, literalNode, type Regex } from '../shell/regex';

const DEFAULT_MIRROR = 'http://archive.ubuntu.com/ubuntu/';
/** The release suite the box was installed from. */
const RELEASE_SUITE = 'trusty';

export const APT_LOCK_ERROR =
  'E: Could not open lock file /var/lib/dpkg/lock - open (13: Permission denied)\n' +
  'E: Unable to lock the administration directory (/var/lib/dpkg/), are you root?\n';

const READING =
  'Reading package lists... Done\n' +
  'Building dependency tree       \n' +
  'Reading state information... Done\n';

/** apt's SizeToStr(): at most four significant digits, SI prefixes, grouped thousands. */
export function sizeToStr(bytes: number): string {
  const ext = ['', 'k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
  let size = Math.abs(bytes);
  for (let i = 0; i < ext.length; i++) {
    if (size < 100 && i !== 0) return `${groupThousands(cFixed(size, 1))} ${ext[i]}`;
    if (size < 10000) return `${groupThousands(cFixed(size, 0))} ${ext[i]}`;
    size /= 1000.0;
  }
  return `${groupThousands(cFixed(size, 0))} Y`;
}

/** apt's TimeToStr(): "0s", "12s", "3min 4s", "1h 2min 3s", "1d 2h 3min 4s". */
export function timeToStr(seconds: number): string {
  const s = Math.floor(seconds);
  if (s > 60 * 60 * 24) return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h ${Math.floor((s % 3600) / 60)}min ${s % 60}s`;
  if (s > 60 * 60) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}min ${s % 60}s`;
  if (s > 60) return `${Math.floor(s / 60)}min ${s % 60}s`;
  return `${s}s`;
}

function component(section: string): string {
  const slash = section.indexOf('/');
  return slash === -1 ? 'main' : section.slice(0, slash);
}

/** Where the installed version came from: the release itself when an update is pending. */
function installedSuite(p: AptPackageView): string {
  return p.installedVersion === p.candidateVersion ? p.suite : RELEASE_SUITE;
}

/* ---------- apt list ---------- */

interface AptListOptions {
  installed?: boolean;
  upgradable?: boolean;
  /** shell-style pattern on package names, as `apt list PATTERN` takes */
  pattern?: string;
  /** packages apt marked as automatically installed */
  automatic?: ReadonlySet<string>;
}

/** `apt list PATTERN`: * and ? on the name, matched in linear time (re2js) whatever the pattern */
function globToRegExp(glob: string): { test(name: string): boolean } {
  const body = glob.replace(/[.+^${}()|[\]\\/]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return linearFromSource(`^${body}$`) ?? { test: (name) => name === glob };
}

function listLine(p: AptPackageView, automatic: ReadonlySet<string>): string | null {
  const installed = p.installedVersion;
  // installed from a file with dpkg -i: no archive offers it
  if (installed !== null && p.suite === 'now') return `${p.name}/now ${installed} ${p.arch} [installed,local]`;
  if (installed !== null && installed !== p.candidateVersion) {
    return `${p.name}/${installedSuite(p)},now ${installed} ${p.arch} [installed,upgradable to: ${p.candidateVersion}]`;
  }
  if (installed !== null) {
    return `${p.name}/${p.suite},now ${installed} ${p.arch} [${automatic.has(p.name) ? 'installed,automatic' : 'installed'}]`;
  }
  return `${p.name}/${p.suite} ${p.candidateVersion} ${p.arch}`;
}

export function formatAptList(pkgs: readonly AptPackageView[], o: AptListOptions = {}): string {
  const automatic = o.automatic ?? new Set<string>();
  const re = o.pattern ? globToRegExp(o.pattern) : null;
  const lines: string[] = [];
  for (const p of [...pkgs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (re && !re.test(p.name)) continue;
    const upgradable = p.installedVersion !== null && p.installedVersion !== p.candidateVersion;
    if (o.upgradable) {
      if (upgradable) lines.push(`${p.name}/${p.suite} ${p.candidateVersion} ${p.arch} [upgradable from: ${p.installedVersion}]`);
      continue;
    }
    if (o.installed && p.installedVersion === null) continue;
    const l = listLine(p, automatic);
    if (l) lines.push(l);
  }
  return `Listing... Done\n${lines.map((l) => `${l}\n`).join('')}`;
}

/* ---------- apt-cache ---------- */

/** apt's default priority of a suite's index: backports are NotAutomatic, so 100 */
const suitePin = (suite: string): number => (suite.endsWith('-backports') ? 100 : 500);

/**
 * apt-cache policy NAME... as apt 1.0 prints it: every version apt knows, newest first, each with
 * the index it comes from (the archive sources.list names for its suite, the box's architecture's
 * Packages file, the package's component) and, for the installed one, dpkg's status file. The
 * number after a version is its own pin, 0 when none is set. Unknown names print nothing.
 */
export function formatAptCachePolicy(
  pkgs: readonly AptPackageView[],
  names: readonly string[],
  sources: Readonly<Record<string, string>> = {},
  compare: (a: string, b: string) => number = (a, b) => (a < b ? -1 : a > b ? 1 : 0),
): string {
  const mirror = (suite: string): string => sources[suite] ?? sources[RELEASE_SUITE] ?? DEFAULT_MIRROR;
  let out = '';
  for (const name of names) {
    const p = pkgs.find((x) => x.name === name);
    if (!p) continue;
    out += `${p.name}:\n`;
    out += `  Installed: ${p.installedVersion ?? '(none)'}\n`;
    out += `  Candidate: ${p.candidateVersion}\n`;
    out += '  Version table:\n';
    const comp = p.component ?? component(p.section);
    const known = p.versions ?? [{ version: p.candidateVersion, suite: p.suite }, ...(p.installedVersion !== null && p.installedVersion !== p.candidateVersion ? [{ version: p.installedVersion, suite: RELEASE_SUITE }] : [])];
    const byVersion = new Map<string, string[]>();
    for (const k of known) byVersion.set(k.version, [...(byVersion.get(k.version) ?? []), k.suite]);
    for (const version of [...byVersion.keys()].sort((a, b) => compare(b, a))) {
      out += `${version === p.installedVersion ? ' *** ' : '     '}${version} 0\n`;
      for (const suite of byVersion.get(version)!) {
        if (suite !== 'now') out += `        ${suitePin(suite)} ${mirror(suite)} ${suite}/${comp} amd64 Packages\n`;
      }
      if (version === p.installedVersion) out += '        100 /var/lib/dpkg/status\n';
    }
  }
  return out;
}

/** apt-cache search: every word must match name or summary (case-insensitive regexps). */
export function formatAptCacheSearch(pkgs: readonly AptPackageView[], words: readonly string[], namesOnly = false): string {
  // apt compiles each word as a POSIX extended expression, ignoring case
  const res: Regex[] = words.map((w) => {
    try {
      return compilePosix(w, { extended: true, ignoreCase: true });
    } catch {
      return compileNode(literalNode(w), { ignoreCase: true });
    }
  });
  const matches = (re: Regex, text: string): boolean => {
    try {
      return re.test(text);
    } catch (e) {
      if (e instanceof RegexTooComplex) return false;
      throw e;
    }
  };
  return [...pkgs]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .filter((p) => res.every((re) => matches(re, p.name) || (!namesOnly && matches(re, p.summary))))
    .map((p) => `${p.name} - ${p.summary}\n`)
    .join('');
}

/* ---------- apt-get install ---------- */

export interface AptChange {
  name: string;
  arch: string;
  /** archive component: main, universe, ... */
  component: string;
  /** the suite the new version comes from, e.g. 'trusty-updates' */
  suite: string;
  /** null for a new package */
  oldVersion: string | null;
  newVersion: string;
  /** size of the .deb */
  debBytes: number;
  /** the archive it is fetched from, as sources.list names it */
  mirror?: string;
}

/** Everything apt decided and dpkg did, for the transcript. */
export interface AptInstallResult {
  /** false when the user is not root: apt stops at the dpkg lock */
  isRoot: boolean;
  /** a name apt could not find: it stops there */
  notFound?: string;
  /** requested packages that are already current */
  alreadyNewest: string[];
  /** in download order */
  changes: AptChange[];
  /** names pulled in as dependencies (also present in changes) */
  extras: string[];
  suggested: string[];
  recommended: string[];
  /** other upgradable packages left alone */
  notUpgraded: number;
  /** change in installed size, bytes (negative = freed) */
  installedSizeDelta: number;
  /** seconds the download took, and the rate apt reports */
  fetchSeconds: number;
  fetchBytesPerSecond: number;
  /** -y was given */
  assumeYes: boolean;
  /** dpkg's database size before unpacking */
  dpkgFiles: number;
  /** triggers run after unpacking, e.g. man-db (2.6.7.1-1ubuntu1) */
  triggers: Array<{ name: string; version: string }>;
  /** extra lines a package's postinst prints after "Setting up" (e.g. init script output) */
  postinst?: Readonly<Record<string, readonly string[]>>;
  /** kernel releases installed afterwards, newest first, for update-grub's "Found" lines */
  kernels?: readonly string[];
  mirror?: string;
}

/** apt's ShowList(): two-space indent, names wrapped before 80 columns. */
function wrapList(names: readonly string[]): string {
  const lines: string[] = [];
  let cur = ' ';
  for (const n of names) {
    if (cur.length + 1 + n.length > 79 && cur.trim() !== '') {
      lines.push(cur);
      cur = ' ';
    }
    cur += ` ${n}`;
  }
  lines.push(cur);
  return lines.map((l) => `${l}\n`).join('');
}

function debFile(c: AptChange): string {
  return `${c.name}_${c.newVersion.replace(/:/g, '%3a')}_${c.arch}.deb`;
}

export function kernelPostinst(release: string, kernels: readonly string[]): string[] {
  const hook = (h: string) => `run-parts: executing /etc/kernel/postinst.d/${h} ${release} /boot/vmlinuz-${release}`;
  return [
    'Running depmod.',
    'update-initramfs: deferring update (hook will be called later)',
    'Examining /etc/kernel/postinst.d.',
    hook('apt-auto-removal'),
    hook('initramfs-tools'),
    `update-initramfs: Generating /boot/initrd.img-${release}`,
    hook('update-notifier'),
    hook('zz-update-grub'),
    'Generating grub configuration file ...',
    ...kernels.flatMap((k) => [`Found linux image: /boot/vmlinuz-${k}`, `Found initrd image: /boot/initrd.img-${k}`]),
    'done',
  ];
}

/** The whole `apt-get install` transcript: stdout, stderr and apt-get's exit status. */
export function formatAptGetInstall(r: AptInstallResult): { stdout: string; stderr: string; code: number } {
  if (!r.isRoot) return { stdout: '', stderr: APT_LOCK_ERROR, code: 100 };
  let out = READING;
  if (r.notFound !== undefined) return { stdout: out, stderr: `E: Unable to locate package ${r.notFound}\n`, code: 100 };
  for (const n of r.alreadyNewest) out += `${n} is already the newest version.\n`;
  const upgrades = r.changes.filter((c) => c.oldVersion !== null);
  const installs = r.changes.filter((c) => c.oldVersion === null);
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  if (r.extras.length) out += `The following extra packages will be installed:\n${wrapList([...r.extras].sort(byName))}`;
  if (r.suggested.length) out += `Suggested packages:\n${wrapList(r.suggested)}`;
  if (r.recommended.length) out += `Recommended packages:\n${wrapList(r.recommended)}`;
  if (installs.length) out += `The following NEW packages will be installed:\n${wrapList(installs.map((c) => c.name).sort(byName))}`;
  if (upgrades.length) out += `The following packages will be upgraded:\n${wrapList(upgrades.map((c) => c.name).sort(byName))}`;
  out += `${upgrades.length} upgraded, ${installs.length} newly installed, 0 to remove and ${r.notUpgraded} not upgraded.\n`;
  if (!r.changes.length) return { stdout: out, stderr: '', code: 0 };

  const total = r.changes.reduce((a, c) => a + c.debBytes, 0);
  out += `Need to get ${sizeToStr(total)}B of archives.\n`;
  out +=
    r.installedSizeDelta >= 0
      ? `After this operation, ${sizeToStr(r.installedSizeDelta)}B of additional disk space will be used.\n`
      : `After this operation, ${sizeToStr(-r.installedSizeDelta)}B disk space will be freed.\n`;
  if (r.extras.length && !r.assumeYes) {
    // with no answer on stdin YnPrompt() fails and apt-get gives up
    return { stdout: `${out}Do you want to continue? [Y/n] Abort.\n`, stderr: '', code: 1 };
  }
  const mirror = r.mirror ?? DEFAULT_MIRROR;
  r.changes.forEach((c, i) => {
    out += `Get:${i + 1} ${c.mirror ?? mirror} ${c.suite}/${c.component} ${c.name} ${c.arch} ${c.newVersion} [${sizeToStr(c.debBytes)}B]\n`;
  });
  out += `Fetched ${sizeToStr(total)}B in ${timeToStr(r.fetchSeconds)} (${sizeToStr(r.fetchBytesPerSecond)}B/s)\n`;

  r.changes.forEach((c, i) => {
    if (c.oldVersion === null) out += `Selecting previously unselected package ${c.name}.\n`;
    if (i === 0) out += `(Reading database ... ${r.dpkgFiles} files and directories currently installed.)\n`;
    out += `Preparing to unpack .../${debFile(c)} ...\n`;
    out += c.oldVersion === null ? `Unpacking ${c.name} (${c.newVersion}) ...\n` : `Unpacking ${c.name} (${c.newVersion}) over (${c.oldVersion}) ...\n`;
  });
  for (const t of r.triggers) out += `Processing triggers for ${t.name} (${t.version}) ...\n`;
  for (const c of r.changes) {
    out += `Setting up ${c.name} (${c.newVersion}) ...\n`;
    const kernel = /^linux-image-(\d.*)$/.exec(c.name);
    const extra = r.postinst?.[c.name] ?? (kernel && !c.name.startsWith('linux-image-extra') ? kernelPostinst(kernel[1], r.kernels ?? [kernel[1]]) : []);
    for (const l of extra) out += `${l}\n`;
  }
  return { stdout: out, stderr: '', code: 0 };
}

/* ---------- command lines ---------- */

interface AptCommand {
  /** the operation: install, list, policy, search, ... */
  command: string;
  /** the words after it: package names, patterns */
  operands: string[];
  assumeYes: boolean;
  installed: boolean;
  upgradable: boolean;
  namesOnly: boolean;
  simulate: boolean;
}

const APT_GET_COMMANDS = ['update', 'upgrade', 'install', 'remove', 'purge', 'autoremove', 'dist-upgrade', 'dselect-upgrade', 'build-dep', 'clean', 'autoclean', 'check', 'source', 'download', 'changelog', 'markauto', 'unmarkauto'];
const APT_CACHE_COMMANDS = ['gencaches', 'showpkg', 'showsrc', 'stats', 'dump', 'dumpavail', 'unmet', 'search', 'show', 'depends', 'rdepends', 'pkgnames', 'dotty', 'xvcg', 'policy', 'madison'];
const APT_COMMANDS = ['list', 'search', 'show', 'install', 'remove', 'purge', 'edit-sources', 'update', 'upgrade', 'full-upgrade'];

/**
 * apt's CommandLine parser, shared by apt, apt-get and apt-cache: options anywhere, the first
 * word is the operation. Errors read as apt prints them and exit with 100.
 */
function parseAptCommandLine(argv: readonly string[], commands: readonly string[]): { ok: true; options: AptCommand } | { ok: false; stdout: string; stderr: string; code: number } {
  const o: AptCommand = { command: '', operands: [], assumeYes: false, installed: false, upgradable: false, namesOnly: false, simulate: false };
  const longs: Record<string, keyof AptCommand | null> = {
    yes: 'assumeYes', 'assume-yes': 'assumeYes', installed: 'installed', upgradable: 'upgradable', upgradeable: 'upgradable',
    'names-only': 'namesOnly', simulate: 'simulate', 'just-print': 'simulate', 'dry-run': 'simulate', 'no-act': 'simulate',
    quiet: null, 'no-install-recommends': null, 'install-suggests': null, 'fix-broken': null, 'all-versions': null,
    'only-upgrade': null, reinstall: null, 'force-yes': null, 'show-upgraded': null, 'no-upgrade': null, full: null,
  };
  const shorts: Record<string, keyof AptCommand | null> = { y: 'assumeYes', s: 'simulate', q: null, f: null, m: null, u: null, a: null, n: 'namesOnly' };
  for (const a of argv) {
    if (a.startsWith('--')) {
      const name = a.slice(2).split('=')[0];
      if (!(name in longs)) return { ok: false, stdout: '', stderr: `E: Command line option ${a} is not understood\n`, code: 100 };
      const key = longs[name];
      if (key) (o[key] as boolean) = true;
    } else if (a.startsWith('-') && a.length > 1) {
      for (const c of a.slice(1)) {
        if (!(c in shorts)) return { ok: false, stdout: '', stderr: `E: Command line option '${c}' [from ${a}] is not known.\n`, code: 100 };
        const key = shorts[c];
        if (key) (o[key] as boolean) = true;
      }
    } else if (!o.command) {
      if (!commands.includes(a)) return { ok: false, stdout: '', stderr: `E: Invalid operation ${a}\n`, code: 100 };
      o.command = a;
    } else o.operands.push(a);
  }
  return { ok: true, options: o };
}

export function parseAptGetArgs(argv: readonly string[]) {
  return parseAptCommandLine(argv, APT_GET_COMMANDS);
}
export function parseAptCacheArgs(argv: readonly string[]) {
  return parseAptCommandLine(argv, APT_CACHE_COMMANDS);
}
export function parseAptArgs(argv: readonly string[]) {
  return parseAptCommandLine(argv, APT_COMMANDS);
}
