import {
  formatAptCachePolicy,
  formatAptCacheSearch,
  formatAptGetInstall,
  formatAptList,
  parseAptArgs,
  parseAptCacheArgs,
  parseAptGetArgs,
  type AptChange,
  type AptInstallResult,
} from '../../formats/apt';
import { defineCommand } from '../../shell/commands/define';
import type { CommandContext, CommandResult, CommandSpec } from '../../shell/types';
import * as sim from '../index';
import type { MachineContext } from './context';

/** apt, apt-get and apt-cache: the package database lives in the simulation, the words in the formatters. */

const res = (stdout: string, stderr = '', code = 0): CommandResult => ({ stdout, stderr, code });
const READING = 'Reading package lists... Done\nBuilding dependency tree       \nReading state information... Done\n';

function upgradableCount(c: MachineContext): number {
  return sim.aptPackages(c.world()).filter((p) => p.installedVersion !== null && p.installedVersion !== p.candidateVersion).length;
}

/** The simulation's plan and what dpkg did, in the shape apt-get's transcript is printed from. */
function toInstallResult(c: MachineContext, r: sim.AptResult, requested: string[] | 'upgrade', user: string): AptInstallResult {
  const plan = r.plan;
  const from = new Map(plan.upgrade.map((u) => [u.name, u.from]));
  const changes: AptChange[] = plan.fetches.map((f) => ({
    name: f.name,
    arch: f.arch,
    component: f.component,
    suite: f.suite,
    oldVersion: from.get(f.name) ?? null,
    newVersion: f.version,
    debBytes: f.sizeKb * 1024,
    mirror: f.url,
  }));
  const changed = new Set(changes.map((ch) => ch.name));
  // an upgrade asks for nothing by name, and apt lists no package of it as extra
  const requestedNames = requested === 'upgrade' ? changes.map((ch) => ch.name) : requested.map((n) => n.split(/[=/]/)[0]!);
  const kernels = sim.installedKernelReleases(c.world());
  const downloadSeconds = Math.max(1, Math.round(plan.downloadKb / 6500));
  return {
    isRoot: user === 'root',
    alreadyNewest: requestedNames.filter((n) => !changed.has(n)),
    changes,
    extras: changes.map((ch) => ch.name).filter((n) => !requestedNames.includes(n)),
    suggested: [],
    recommended: [],
    notUpgraded: Math.max(0, upgradableCount(c)),
    installedSizeDelta: plan.diskDeltaKb * 1024,
    fetchSeconds: downloadSeconds,
    fetchBytesPerSecond: Math.round((plan.downloadKb * 1024) / downloadSeconds),
    // the game has no keyboard prompt to answer, so it answers yes on the player's behalf
    assumeYes: true,
    dpkgFiles: 56193,
    // a daemon's package brings a man page and an init job: man-db and ureadahead notice
    triggers: Object.keys(r.restarted).length > 0 ? [{ name: 'man-db', version: '2.6.7.1-1ubuntu1' }, { name: 'ureadahead', version: '0.100.0-16' }] : [],
    ...(Object.keys(r.restarted).length > 0 ? { postinst: r.restarted } : {}),
    kernels,
  };
}

function runInstall(c: MachineContext, ctx: CommandContext, names: string[], target: string | undefined): CommandResult {
  const w = c.world();
  if (ctx.user !== 'root') return formatAptGetInstall({ ...emptyResult(), isRoot: false });
  if (names.length === 0) return res(READING + '0 upgraded, 0 newly installed, 0 to remove and ' + upgradableCount(c) + ' not upgraded.\n');
  const r = sim.aptInstall(w, c.streams, names, ctx.user, target);
  const missing = r.plan.errors.map((e) => /Unable to locate package (\S+)/.exec(e)?.[1]).find(Boolean);
  if (missing) return formatAptGetInstall({ ...emptyResult(), notFound: missing });
  if (r.plan.errors.length > 0) return res(READING, r.plan.errors.map((e) => `${e}\n`).join(''), 100);
  c.advance(r.durationMs);
  return formatAptGetInstall(toInstallResult(c, r, names, ctx.user));
}

function runUpgrade(c: MachineContext, ctx: CommandContext, dist: boolean): CommandResult {
  if (ctx.user !== 'root') return formatAptGetInstall({ ...emptyResult(), isRoot: false });
  const r = sim.aptUpgrade(c.world(), c.streams, dist, ctx.user);
  c.advance(r.durationMs);
  const out = formatAptGetInstall(toInstallResult(c, r, 'upgrade', ctx.user));
  // apt 1.0 (apt-private/private-upgrade.cc) works out the upgrade before it lists anything
  const kept = r.plan.keptBack.length > 0 && !dist ? `The following packages have been kept back:\n  ${r.plan.keptBack.join(' ')}\n` : '';
  return { ...out, stdout: out.stdout.replace(READING, READING + 'Calculating upgrade... Done\n' + kept) };
}

function emptyResult(): AptInstallResult {
  return {
    isRoot: true,
    alreadyNewest: [],
    changes: [],
    extras: [],
    suggested: [],
    recommended: [],
    notUpgraded: 0,
    installedSizeDelta: 0,
    fetchSeconds: 0,
    fetchBytesPerSecond: 0,
    assumeYes: true,
    dpkgFiles: 56193,
    triggers: [],
  };
}

function runUpdate(c: MachineContext, ctx: CommandContext): CommandResult {
  const r = sim.aptUpdate(c.world(), ctx.user);
  if (!r.ok) return res('', `${r.error}\nE: Unable to lock directory /var/lib/apt/lists/\n`, 100);
  let out = '';
  let n = 0;
  for (const l of r.lines) {
    if (l.kind === 'Get') {
      n += 1;
      out += `Get:${n} ${l.url} ${l.suite} ${l.what}${l.sizeKb ? ` [${l.sizeKb} kB]` : ''}\n`;
    } else out += `${l.kind} ${l.url} ${l.suite} ${l.what}\n`;
  }
  const kb = r.lines.reduce((a, l) => a + (l.sizeKb ?? 0), 0);
  c.advance(4_000 + kb * 2);
  return res(`${out}Fetched ${(kb / 1024).toFixed(1)} MB in 4s (${Math.round(kb / 4)} kB/s)\nReading package lists... Done\n`);
}

/** -t SUITE / --target-release=SUITE */
function targetOf(argv: string[]): { target?: string; rest: string[] } {
  const rest: string[] = [];
  let target: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-t' || a === '--target-release') target = argv[++i];
    else if (a.startsWith('--target-release=')) target = a.split('=')[1];
    else rest.push(a);
  }
  return { ...(target ? { target } : {}), rest };
}

export function aptSpells(c: MachineContext): CommandSpec[] {
  return [
    defineCommand({
      name: 'apt-get',
      summary: 'install and upgrade packages',
      category: 'packages',
      synopsis: ['sudo apt-get update', 'sudo apt-get install PACKAGE...', 'sudo apt-get upgrade | dist-upgrade'],
      description: [
        'Installs packages from the Ubuntu archive (and trusty-backports). A new kernel package only takes effect at the next reboot; upgrading a daemon restarts it.',
        'Where real apt-get would ask "Do you want to continue?", the grimoire answers yes for you.',
      ],
      examples: [['apt list --upgradable', 'what could be upgraded'], ['sudo apt-get install htop', 'install a package, or upgrade it to the newest version apt can see']],
      completions: ['update', 'install', 'upgrade', 'dist-upgrade', '-y'],
      run: (ctx) => {
        const { target, rest } = targetOf(ctx.argv.slice(1));
        const p = parseAptGetArgs(rest);
        if (!p.ok) return res(p.stdout, p.stderr, p.code);
        const o = p.options;
        switch (o.command) {
          case 'update':
            return runUpdate(c, ctx);
          case 'install':
            return runInstall(c, ctx, o.operands, target);
          case 'upgrade':
            return runUpgrade(c, ctx, false);
          case 'dist-upgrade':
            return runUpgrade(c, ctx, true);
          case '':
            return res('apt 1.0.1ubuntu2 for amd64 compiled on Jan 13 2015 18:24:02\nUsage: apt-get [options] command\n       apt-get [options] install|remove pkg1 [pkg2 ...]\n\nMost used commands:\n   update - Retrieve new lists of packages\n   upgrade - Perform an upgrade\n   install - Install new packages (pkg is libc6 not libc6.deb)\n   dist-upgrade - Distribution upgrade, see apt-get(8)\n', '', 0);
          default:
            return res('', `E: the grimoire's apt-get does not do '${o.command}' on this machine\n`, 100);
        }
      },
    }),
    defineCommand({
      name: 'apt',
      summary: 'list packages (apt list --upgradable) and install them',
      category: 'packages',
      synopsis: ['apt list --upgradable', 'apt list --installed [PATTERN]', 'sudo apt install PACKAGE'],
      description: ['The friendlier front end to apt-get and apt-cache. `apt list --upgradable` shows every installed package with a newer version available.'],
      completions: ['list', '--upgradable', '--installed', 'install', 'search', 'update', 'upgrade'],
      run: (ctx) => {
        const p = parseAptArgs(ctx.argv.slice(1));
        if (!p.ok) return res(p.stdout, p.stderr, p.code);
        const o = p.options;
        const pkgs = sim.aptPackages(c.world());
        switch (o.command) {
          case 'list':
            return res(formatAptList(pkgs, { installed: o.installed, upgradable: o.upgradable, ...(o.operands[0] ? { pattern: o.operands[0] } : {}) }));
          case 'search':
            return res(formatAptCacheSearch(pkgs, o.operands));
          case 'install':
            return runInstall(c, ctx, o.operands, undefined);
          case 'update':
            return runUpdate(c, ctx);
          case 'upgrade':
            return runUpgrade(c, ctx, false);
          case 'full-upgrade':
            return runUpgrade(c, ctx, true);
          default:
            return res('', `E: the grimoire's apt does not do '${o.command || '(nothing)'}' here; try apt list --upgradable\n`, 100);
        }
      },
    }),
    defineCommand({
      name: 'apt-cache',
      summary: 'search packages and see which versions are available',
      category: 'packages',
      synopsis: ['apt-cache search WORD', 'apt-cache policy PACKAGE'],
      description: ['Reads the package lists without changing anything. `policy` shows the installed version, the candidate apt would install, and where each version comes from.'],
      completions: ['search', 'policy', 'show'],
      run: (ctx) => {
        const p = parseAptCacheArgs(ctx.argv.slice(1));
        if (!p.ok) return res(p.stdout, p.stderr, p.code);
        const o = p.options;
        const pkgs = sim.aptPackages(c.world());
        if (o.command === 'search') return res(formatAptCacheSearch(pkgs, o.operands, o.namesOnly));
        if (o.command === 'policy') return res(formatAptCachePolicy(pkgs, o.operands, sim.suiteSources(c.world()), sim.compareDebVersions));
        return res('', `E: the grimoire's apt-cache knows search and policy\n`, 100);
      },
    }),
  ];
}
