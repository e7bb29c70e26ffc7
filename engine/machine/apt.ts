/**
 * apt-get update / install / upgrade against the package database: what would change, then the
 * change itself with the maintainer scripts that matter (a service restarts with its new version,
 * a new kernel is added to grub and waits for the next boot).
 */
import type { RngStreams } from '../rng';
import { withStep } from './act';
import { file } from './files';
import { markInstalled, newestInstalledKernel, planInstall, planUpgrade, type AptPlan } from './packages';
import { scenarioOf } from './scenario';
import type { MachineWorld } from './world';

export interface AptResult {
  ok: boolean;
  plan: AptPlan;
  /** what the maintainer scripts printed, in order */
  scriptOutput: string[];
  /** what each restarted service's init script printed, by package */
  restarted: Record<string, string[]>;
  /** roughly how long the run took (downloads, unpacking, scripts) */
  durationMs: number;
  /** 'E: ...' when apt refused to act (for instance without root) */
  error?: string;
}

interface AptUpdateLine {
  kind: 'Hit' | 'Get' | 'Ign';
  url: string;
  suite: string;
  what: string;
  sizeKb?: number;
}

/** apt-get update: the index fetch lines, in the order apt prints them */
export function aptUpdate(w: MachineWorld, user: string): { ok: boolean; lines: AptUpdateLine[]; error?: string } {
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

function grubLines(w: MachineWorld): string[] {
  const out = ['Generating grub configuration file ...'];
  const installed = scenarioOf(w).kernels.filter((k) => w.pkgs.list.find((e) => e.name === k.image)?.installed).reverse();
  for (const k of installed) {
    out.push(`Found linux image: /boot/vmlinuz-${k.release}`, `Found initrd image: /boot/initrd.img-${k.release}`);
  }
  out.push('done');
  return out;
}

function apply(w: MachineWorld, streams: RngStreams, plan: AptPlan): AptResult {
  const scriptOutput: string[] = [];
  const changed = [...plan.upgrade.map((u) => ({ name: u.name, version: u.to })), ...plan.install];
  const kernelChange = changed.some((c) => c.name.startsWith('linux-image-3'));
  const restarts = scenarioOf(w).services.flatMap((svc) => {
    const pkg = svc.package;
    const change = pkg && changed.find((c) => c.name === pkg.name);
    return pkg && change ? [{ pkg, version: change.version }] : [];
  });
  const restarted: Record<string, string[]> = {};
  withStep(w, (ctx) => {
    // prerm stops the old daemon before dpkg unpacks the new one
    for (const r of restarts) scriptOutput.push(...(restarted[r.pkg.name] = r.pkg.prerm(ctx)));
    for (const c of changed) markInstalled(w, c.name, c.version);
    for (const r of restarts) {
      const lines = r.pkg.postinst(ctx, r.version);
      scriptOutput.push(...lines);
      restarted[r.pkg.name]!.push(...lines);
    }
  });
  if (kernelChange) {
    const newest = newestInstalledKernel(w);
    scriptOutput.push(`update-initramfs: Generating /boot/initrd.img-${newest.release}`, ...grubLines(w));
    kernelInstalled(w, changed.filter((c) => c.name.startsWith('linux-image-')).map((c) => c.name));
  }
  const durationMs = Math.round(plan.downloadKb / 6.5) + changed.length * 900 + (kernelChange ? 38_000 + streams.stream('dpkg').int(0, 9_000) : 0) + restarts.length * 1_500;
  return { ok: true, plan, scriptOutput, restarted, durationMs };
}

/** A kernel image's postinst ran (through apt or dpkg -i): update-notifier asks for a reboot. */
export function kernelInstalled(w: MachineWorld, images: string[]): void {
  w.pkgs.rebootRequired = true;
  w.files.files['/var/run/reboot-required'] = file('*** System restart required ***\n', w.now);
  w.files.files['/var/run/reboot-required.pkgs'] = file(images.join('\n') + '\n', w.now);
}

/** apt-get install NAME[=VERSION|/SUITE]... [-t SUITE] */
export function aptInstall(w: MachineWorld, streams: RngStreams, names: string[], user: string, targetRelease?: string): AptResult {
  const plan = planInstall(w, names, targetRelease);
  if (user !== 'root') {
    return { ok: false, plan, scriptOutput: [], restarted: {}, durationMs: 0, error: 'E: Could not open lock file /var/lib/dpkg/lock - open (13: Permission denied)' };
  }
  if (plan.errors.length > 0) return { ok: false, plan, scriptOutput: [], restarted: {}, durationMs: 0 };
  if (plan.upgrade.length + plan.install.length === 0) return { ok: true, plan, scriptOutput: [], restarted: {}, durationMs: 0 };
  return apply(w, streams, plan);
}

/** apt-get upgrade, or dist-upgrade when `dist` */
export function aptUpgrade(w: MachineWorld, streams: RngStreams, dist: boolean, user: string): AptResult {
  const plan = planUpgrade(w, dist);
  if (user !== 'root') {
    return { ok: false, plan, scriptOutput: [], restarted: {}, durationMs: 0, error: 'E: Could not open lock file /var/lib/dpkg/lock - open (13: Permission denied)' };
  }
  if (plan.upgrade.length + plan.install.length === 0) return { ok: true, plan, scriptOutput: [], restarted: {}, durationMs: 0 };
  return apply(w, streams, plan);
}
