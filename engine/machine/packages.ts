/**
 * What apt knows on this box: the installed packages, the versions the archive offers, pinning,
 * and the handful of postinst effects that matter here (a service restarts on upgrade; a new kernel
 * waits for the next boot). Results are data; another module prints apt-get's transcript.
 */
import type { AptPackageView } from '../formats/types';
import { basePackages } from './catalogue';
import { compareDebVersions } from './debversion';
import { scenarioOf, type KernelBuild } from './scenario';
import type { MachineWorld, PkgEntry, PkgState, PkgVersion } from './world';


/**
 * The archive each suite is fetched from, as /etc/apt/sources.list names it, with the trailing
 * slash apt adds when it prints a source. The first line naming a suite wins, as in apt.
 */
export function suiteSources(w: MachineWorld): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of (w.files.files['/etc/apt/sources.list']?.content ?? '').split('\n')) {
    const f = line.replace(/#.*$/, '').trim().split(/\s+/);
    if (f[0] !== 'deb' || !f[1] || !f[2]) continue;
    const uri = f[1].endsWith('/') ? f[1] : `${f[1]}/`;
    out[f[2]] ??= uri;
  }
  return out;
}

function suiteUrl(w: MachineWorld, suite: string): string {
  return suiteSources(w)[suite] ?? suiteSources(w)['trusty'] ?? 'http://archive.ubuntu.com/ubuntu/';
}

function component(e: PkgEntry): string {
  return e.component ?? 'main';
}

interface PinRule {
  pkg: string;
  suite: string;
  priority: number;
}

function pinRules(w: MachineWorld): PinRule[] {
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

function suitePriority(w: MachineWorld, e: PkgEntry, suite: string, target?: string, rules = pinRules(w)): number {
  // installed from a file with dpkg -i: only /var/lib/dpkg/status knows it
  if (suite === 'now') return 100;
  if (target && (suite === target || suite.startsWith(`${target}`))) return 990;
  for (const r of rules) if ((r.pkg === e.name || r.pkg === '*') && r.suite === suite) return r.priority;
  return suite === 'trusty-backports' ? 100 : 500;
}

/** apt's candidate: highest pin priority, then highest version; never a downgrade below 1000. */
function candidateOf(w: MachineWorld, e: PkgEntry, target?: string): PkgVersion {
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

export function aptPackagesView(w: MachineWorld): AptPackageView[] {
  return w.pkgs.list.map((e) => {
    const c = candidateOf(w, e);
    return {
      name: e.name,
      suite: c.suite,
      arch: e.arch,
      installedVersion: e.installed,
      candidateVersion: c.version,
      section: e.section,
      summary: e.summary,
      component: component(e),
      versions: e.versions.map((x) => ({ version: x.version, suite: x.suite })),
    };
  });
}

interface AptFetch {
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

export function depName(dep: string): { name: string; op: string | null; version: string | null } {
  const m = /^([a-z0-9.+-]+)(?:\s*\((=|>=|<=|>>|<<)\s*([^)]+)\))?$/.exec(dep.trim());
  if (!m) return { name: dep.trim(), op: null, version: null };
  return { name: m[1]!, op: m[2] ?? null, version: m[3]?.trim() ?? null };
}

export function satisfies(installed: string | null, op: string | null, version: string | null): boolean {
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
export function planInstall(w: MachineWorld, names: string[], target?: string): AptPlan {
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

/** The chosen packages with what each depends on first: dpkg unpacks and sets them up in this order. */
function dependenciesFirst(chosen: Map<string, PkgVersion>): Array<[string, PkgVersion]> {
  const out: Array<[string, PkgVersion]> = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string): void => {
    if (state.has(name)) return;
    state.set(name, 'visiting');
    const ver = chosen.get(name)!;
    for (const d of ver.depends) {
      const dn = depName(d).name;
      if (chosen.has(dn)) visit(dn);
    }
    state.set(name, 'done');
    out.push([name, ver]);
  };
  for (const name of chosen.keys()) visit(name);
  return out;
}

function finishPlan(w: MachineWorld, plan: AptPlan, chosen: Map<string, PkgVersion>): void {
  for (const [name, ver] of dependenciesFirst(chosen)) {
    const e = w.pkgs.list.find((x) => x.name === name)!;
    if (e.installed) plan.upgrade.push({ name, from: e.installed, to: ver.version });
    else plan.install.push({ name, version: ver.version });
    plan.fetches.push({ url: suiteUrl(w, ver.suite), suite: ver.suite, component: component(e), name, arch: e.arch, version: ver.version, sizeKb: ver.sizeKb });
    plan.downloadKb += ver.sizeKb;
    const before = e.installed ? e.versions.find((x) => x.version === e.installed)?.installedSizeKb ?? 0 : 0;
    plan.diskDeltaKb += ver.installedSizeKb - before;
  }
}

/** apt-get upgrade (holds back upgrades that need packages not yet installed) or dist-upgrade. */
export function planUpgrade(w: MachineWorld, dist: boolean): AptPlan {
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

/** A kernel build the scenario's archive offers, by `uname -r`. */
export function kernelByRelease(w: MachineWorld, release: string): KernelBuild | undefined {
  return scenarioOf(w).kernels.find((k) => k.release === release);
}

/** The kernel's banner: the first line of its log (where Ubuntu's builds add their signature) and /proc/version. */
export function linuxBanner(b: KernelBuild): string {
  return `Linux version ${b.release} (${b.builder}) (${b.compiler ?? 'gcc version 4.8.2 (Ubuntu 4.8.2-19ubuntu1) '}) ${b.version}`;
}

/** /proc/version of the kernel that is running */
export function runningKernelBanner(w: MachineWorld): string {
  const b = kernelByRelease(w, w.k.release);
  return b ? linuxBanner(b) : `Linux version ${w.k.release} (buildd@lgw01-21) (gcc version 4.8.2 (Ubuntu 4.8.2-19ubuntu1) ) ${w.k.version}`;
}

/** The packages a new box knows: the scenario's own, then the base system's. */
export function seedPackages(w: MachineWorld): PkgState {
  return { list: [...scenarioOf(w).packages(), ...basePackages()], updated: false, rebootRequired: false };
}

/** The newest kernel image installed: what grub boots by default. */
export function newestInstalledKernel(w: MachineWorld): KernelBuild {
  const kernels = scenarioOf(w).kernels;
  let best: KernelBuild = kernels[0]!;
  for (const k of kernels) {
    const e = w.pkgs.list.find((x) => x.name === k.image);
    if (!e?.installed) continue;
    if (!w.pkgs.list.find((x) => x.name === best.image)?.installed || compareDebVersions(k.pkgVersion, best.pkgVersion) > 0) best = k;
  }
  return best;
}

/** The kernel releases whose images are installed, newest first: update-grub lists them so. */
export function installedKernelReleases(w: MachineWorld): string[] {
  return scenarioOf(w)
    .kernels.filter((k) => w.pkgs.list.find((e) => e.name === k.image)?.installed)
    .sort((a, b) => compareDebVersions(b.pkgVersion, a.pkgVersion))
    .map((k) => k.release);
}

export function markInstalled(w: MachineWorld, name: string, version: string): void {
  const e = w.pkgs.list.find((x) => x.name === name);
  if (e) e.installed = version;
}
