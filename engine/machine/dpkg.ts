/**
 * dpkg -i: packages from archive files the player fetched, not from apt's lists. Each archive is
 * unpacked in command-line order; configuration waits for what a package depends on, so a
 * dependency is set up before the package that needs it, and a package whose dependency is
 * neither installed nor among the archives is left unconfigured (and not recorded as installed).
 * A kernel image joins grub's menu and waits for the next boot, as it does through apt.
 */
import type { DpkgArchiveError, DpkgRun, DpkgUnpack } from '../formats/dpkg';
import type { RngStreams } from '../rng';
import { kernelInstalled } from './apt';
import { pkg, v } from './catalogue';
import { depName, installedKernelReleases, satisfies } from './packages';
import type { DebPackage } from './network';
import type { MachineWorld } from './world';

/** What the spell found at each path named on the command line. */
export type ArchiveFile = { arg: string; deb: DebPackage } | DpkgArchiveError;

/** files and directories in dpkg's database before anything the game installs */
const DPKG_FILES = 56_193;

export interface DpkgResult {
  run: DpkgRun;
  durationMs: number;
}

function record(w: MachineWorld, deb: DebPackage): void {
  const day = new Date(w.now).toISOString().slice(0, 10);
  const local = v(deb.version, 'now', 0, deb.installedSizeKb, deb.depends, day);
  const e = w.pkgs.list.find((x) => x.name === deb.name);
  if (!e) {
    w.pkgs.list.push(pkg(deb.name, deb.section, deb.summary, deb.version, [local], deb.arch));
    return;
  }
  if (!e.versions.some((x) => x.version === deb.version)) e.versions.push(local);
  e.installed = deb.version;
}

export function dpkgInstall(w: MachineWorld, streams: RngStreams, files: ArchiveFile[]): DpkgResult {
  const archives: Array<DpkgUnpack | DpkgArchiveError> = [];
  const debs: DebPackage[] = [];
  for (const f of files) {
    if ('error' in f) {
      archives.push(f);
      continue;
    }
    const old = w.pkgs.list.find((x) => x.name === f.deb.name)?.installed ?? null;
    archives.push({ arg: f.arg, name: f.deb.name, version: f.deb.version, oldVersion: old });
    // the same package named twice is unpacked twice and configured once
    const i = debs.findIndex((d) => d.name === f.deb.name);
    if (i >= 0) debs.splice(i, 1);
    debs.push(f.deb);
  }
  const pending = [...debs];
  const configured: DebPackage[] = [];
  const installedVersion = (name: string): string | null =>
    configured.find((d) => d.name === name)?.version ?? (pending.some((d) => d.name === name) ? null : (w.pkgs.list.find((x) => x.name === name)?.installed ?? null));
  const missingOf = (d: DebPackage): string[] =>
    d.depends.filter((dep) => {
      const dn = depName(dep);
      return !satisfies(installedVersion(dn.name), dn.op, dn.version);
    });
  // configure whatever has its dependencies; repeat until nothing more can be set up
  for (let progress = true; progress; ) {
    progress = false;
    for (const d of [...pending]) {
      if (missingOf(d).length > 0) continue;
      pending.splice(pending.indexOf(d), 1);
      configured.push(d);
      record(w, d);
      progress = true;
    }
  }
  const unconfigured = pending.map((d) => ({ name: d.name, missing: missingOf(d) }));
  const images = configured.filter((d) => d.kernel).map((d) => d.name);
  if (images.length) kernelInstalled(w, images);
  const bytes = debs.reduce((a, d) => a + d.installedSizeKb, 0);
  const durationMs = 600 * archives.length + Math.round(bytes / 40) + (images.length ? 38_000 + streams.stream('dpkg').int(0, 9_000) : 0);
  return {
    run: {
      archives,
      configured: configured.map((d) => ({ name: d.name, version: d.version, ...(d.kernel ? { kernel: d.kernel } : {}) })),
      unconfigured,
      dpkgFiles: DPKG_FILES,
      kernels: installedKernelReleases(w),
    },
    durationMs,
  };
}
