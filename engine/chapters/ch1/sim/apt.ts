/**
 * apt-get update / install / upgrade against the package database: what would change, then the
 * change itself with the maintainer scripts that matter (nsd restarts with its new version, a
 * new kernel is added to grub and waits for the next boot).
 */
import type { Rng } from '../../../rng';
import { withStep } from './act';
import { file } from './files';
import { KERNELS, markInstalled, newestInstalledKernel, planInstall, planUpgrade, type AptPlan } from './packages';
import { startNsd, stopNsd } from './nsd';
import type { Ch1World } from './world';

export interface AptResult {
  ok: boolean;
  plan: AptPlan;
  /** what the maintainer scripts printed, in order */
  scriptOutput: string[];
  /** roughly how long the run took (downloads, unpacking, scripts) */
  durationMs: number;
  /** 'E: ...' when apt refused to act (for instance without root) */
  error?: string;
}

export interface AptUpdateLine {
  kind: 'Hit' | 'Get' | 'Ign';
  url: string;
  suite: string;
  what: string;
  sizeKb?: number;
}

/** apt-get update: the index fetch lines, in the order apt prints them */
export function aptUpdate(w: Ch1World, user: string): { ok: boolean; lines: AptUpdateLine[]; error?: string } {
  if (user !== 'root') return { ok: false, lines: [], error: 'E: Could not open lock file /var/lib/apt/lists/lock - open (13: Permission denied)' };
  const archive = 'http://us-east-1.ec2.archive.ubuntu.com';
  const sec = 'http://security.ubuntu.com';
  const lines: AptUpdateLine[] = [
    { kind: 'Ign', url: archive, suite: 'trusty', what: 'InRelease' },
    { kind: 'Get', url: archive, suite: 'trusty-updates', what: 'InRelease', sizeKb: 64 },
    { kind: 'Get', url: archive, suite: 'trusty-backports', what: 'InRelease', sizeKb: 64 },
    { kind: 'Hit', url: archive, suite: 'trusty', what: 'Release.gpg' },
    { kind: 'Get', url: sec, suite: 'trusty-security', what: 'InRelease', sizeKb: 64 },
    { kind: 'Get', url: archive, suite: 'trusty-updates/main', what: 'amd64 Packages', sizeKb: 770 },
    { kind: 'Get', url: archive, suite: 'trusty-updates/universe', what: 'amd64 Packages', sizeKb: 322 },
    { kind: 'Get', url: archive, suite: 'trusty-backports/universe', what: 'amd64 Packages', sizeKb: 37 },
    { kind: 'Get', url: sec, suite: 'trusty-security/main', what: 'amd64 Packages', sizeKb: 418 },
    { kind: 'Hit', url: archive, suite: 'trusty', what: 'Release' },
    { kind: 'Hit', url: archive, suite: 'trusty/main', what: 'amd64 Packages' },
    { kind: 'Hit', url: archive, suite: 'trusty/universe', what: 'amd64 Packages' },
  ];
  w.pkgs.updated = true;
  return { ok: true, lines };
}

function grubLines(w: Ch1World): string[] {
  const out = ['Generating grub configuration file ...'];
  const installed = KERNELS.filter((k) => w.pkgs.list.find((e) => e.name === k.image)?.installed).reverse();
  for (const k of installed) {
    out.push(`Found linux image: /boot/vmlinuz-${k.release}`, `Found initrd image: /boot/initrd.img-${k.release}`);
  }
  out.push('done');
  return out;
}

function apply(w: Ch1World, rng: Rng, plan: AptPlan): AptResult {
  const scriptOutput: string[] = [];
  const changed = [...plan.upgrade.map((u) => ({ name: u.name, version: u.to })), ...plan.install];
  const nsdChange = changed.find((c) => c.name === 'nsd');
  const kernelChange = changed.some((c) => c.name.startsWith('linux-image-3'));
  withStep(w, (ctx) => {
    if (nsdChange && w.nsd.running) {
      // prerm stops the old daemon before dpkg unpacks the new one
      stopNsd(ctx);
      scriptOutput.push(` * Stopping domain name service nsd`.padEnd(73, ' ') + '[ OK ]');
    }
    for (const c of changed) markInstalled(w, c.name, c.version);
    if (nsdChange) {
      w.nsd.installed = nsdChange.version;
      const r = startNsd(ctx);
      scriptOutput.push(` * Starting domain name service nsd`.padEnd(73, ' ') + (r.ok ? '[ OK ]' : '[fail]'));
    }
  });
  if (kernelChange) {
    const newest = newestInstalledKernel(w);
    scriptOutput.push(`update-initramfs: Generating /boot/initrd.img-${newest.release}`, ...grubLines(w));
    w.pkgs.rebootRequired = true;
    w.files.files['/var/run/reboot-required'] = file('*** System restart required ***\n', w.now);
    const pkgs = changed.filter((c) => c.name.startsWith('linux-image-')).map((c) => c.name);
    w.files.files['/var/run/reboot-required.pkgs'] = file(pkgs.join('\n') + '\n', w.now);
  }
  const durationMs = Math.round(plan.downloadKb / 6.5) + changed.length * 900 + (kernelChange ? 38_000 + rng.int(0, 9_000) : 0) + (nsdChange ? 1_500 : 0);
  return { ok: true, plan, scriptOutput, durationMs };
}

/** apt-get install NAME[=VERSION|/SUITE]... [-t SUITE] */
export function aptInstall(w: Ch1World, rng: Rng, names: string[], user: string, targetRelease?: string): AptResult {
  const plan = planInstall(w, names, targetRelease);
  if (user !== 'root') {
    return { ok: false, plan, scriptOutput: [], durationMs: 0, error: 'E: Could not open lock file /var/lib/dpkg/lock - open (13: Permission denied)' };
  }
  if (plan.errors.length > 0) return { ok: false, plan, scriptOutput: [], durationMs: 0 };
  if (plan.upgrade.length + plan.install.length === 0) return { ok: true, plan, scriptOutput: [], durationMs: 0 };
  return apply(w, rng, plan);
}

/** apt-get upgrade, or dist-upgrade when `dist` */
export function aptUpgrade(w: Ch1World, rng: Rng, dist: boolean, user: string): AptResult {
  const plan = planUpgrade(w, dist);
  if (user !== 'root') {
    return { ok: false, plan, scriptOutput: [], durationMs: 0, error: 'E: Could not open lock file /var/lib/dpkg/lock - open (13: Permission denied)' };
  }
  if (plan.upgrade.length + plan.install.length === 0) return { ok: true, plan, scriptOutput: [], durationMs: 0 };
  return apply(w, rng, plan);
}
