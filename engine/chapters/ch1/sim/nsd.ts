/**
 * NSD's process model, after server.c of 4.0.x and 4.1.x. In 4.0 a reload forks a child that
 * loads the zones, forks the new serve children and takes over as main while the old main exits:
 * every generation is the child of the last, which is what the pre-3.19 kernel cannot clean up
 * after. From 4.1.0 the parent stays main and the forked child is the one that exits.
 */
import { ensureFits } from '../../../kernel/alloc';
import { GFP_HIGHUSER_MOVABLE, GFP_KERNEL, GFP_THREADINFO } from '../../../kernel/oom';
import { overcommitAllows, quickHeadroom } from '../../../kernel/memory';
import { abortFork, addProc, commitFork, exitProc, findProc, forkProc, newMm, type ImageSpec } from '../../../kernel/procs';
import type { Proc } from '../../../kernel/types';
import { noteMachineDeath } from '../../../machine/syslogd';
import { nsdLog, setClock, tick, type StepCtx } from './step';
import { ROLE, type Ch1World, type NsdRun } from './world';

/** the upstream version inside a Debian version: '4.1.7-1~ubuntu14.04.1' → '4.1.7' */
export function upstreamVersion(pkg: string): string {
  return pkg.replace(/^\d+:/, '').replace(/-[^-]*$/, '');
}

/** Before 4.1.0 the reload process becomes the new main. */
export function childBecomesMain(version: string): boolean {
  const [maj, min] = version.split('.').map((x) => parseInt(x, 10));
  return (maj ?? 0) < 4 || ((maj ?? 0) === 4 && (min ?? 0) < 1);
}

const NSD_ARGS = '/usr/sbin/nsd -P /run/nsd/nsd.pid';
const PIDFILE = '/run/nsd/nsd.pid';
/** NSD keeps re-forking dead children; within one instant we stop after this many tries */
const RESTART_CAP = 8;

function nsdImage(w: Ch1World): ImageSpec {
  const p = w.p;
  return {
    comm: 'nsd',
    args: NSD_ARGS,
    vszKb: p.nsdVszKb,
    anonKb: p.nsdSharedKb,
    fileKb: p.mainFileKb + p.udbKb,
    ptes: p.nsdPtes,
    vmas: p.nsdVmas,
    anonVmas: p.anonVmas,
    commitKb: p.nsdVszKb - 40_000,
    maxVmaKb: p.nsdMaxVmaKb,
  };
}

/** Kernel time to copy a process with this chain depth: anon_vma_clone walks every chain entry. */
export function forkLatencyMs(w: Ch1World, depth: number): number {
  return 0.25 + (w.p.anonVmas * depth * w.p.forkNsPerAvc) / 1e6;
}

function ptesFor(kb: number): number {
  return Math.ceil(kb / 2000) + 9;
}

/** What each kind of nsd process touches of its own once it runs. */
function settleRoleMemory(w: Ch1World, p: Proc, role: string, slot: number): void {
  const prm = w.p;
  const mm = p.mm!;
  p.role = role;
  p.slot = slot;
  p.uid = prm.nsdUid;
  p.user = 'nsd';
  p.admin = false;
  switch (role) {
    case ROLE.main:
      mm.privKb = prm.mainPrivKb;
      mm.fileKb = prm.mainFileKb + prm.udbKb;
      p.cpuRate = 0.04;
      break;
    case ROLE.reload:
      // it has only touched the parts of nsd.db the transferred changes live in
      mm.privKb = prm.reloadPrivKb;
      mm.fileKb = (prm.mainFileKb >> 1) + Math.floor(prm.udbKb / 10);
      p.cpuRate = 0.04;
      break;
    case ROLE.child:
      mm.privKb = prm.childPrivKb;
      mm.fileKb = prm.childFileKb;
      p.cpuRate = 1.6;
      break;
    case ROLE.xfrd:
      mm.shareKb = prm.xfrdShareKb;
      mm.privKb = prm.xfrdPrivKb;
      mm.fileKb = 1_900;
      p.cpuRate = 0.35;
      break;
    default:
      mm.privKb = 180;
      mm.fileKb = 400;
      p.cpuRate = 0;
  }
  mm.ptes = ptesFor(mm.shareKb + mm.privKb + mm.fileKb);
}

type ForkResult = { ok: true; child: Proc } | { ok: false; why: 'ENOMEM' | 'EAGAIN' | 'killed' | 'panic' };

function errnoText(why: 'ENOMEM' | 'EAGAIN'): string {
  return why === 'ENOMEM' ? 'Cannot allocate memory' : 'Resource temporarily unavailable';
}

/** fork() of an nsd process: overcommit check, then the copy, then the child's first page faults. */
function forkNsd(ctx: StepCtx, parent: Proc, role: string, slot: number): ForkResult {
  const { w, k } = ctx;
  const pm = parent.mm!;
  const snap = quickHeadroom(k, ctx.t);
  const reserve = parent.admin ? 0 : 8192;
  ctx.decisions?.margins.push(snap.guessFreeKb - reserve - pm.maxVmaKb);
  if (!overcommitAllows(k, snap, pm.maxVmaKb, parent.admin, snap.committedAsKb + pm.commitKb)) {
    ctx.decisions?.events.push(`enomem:${parent.role}`);
    return { ok: false, why: 'ENOMEM' };
  }
  const child = forkProc(k, parent, ctx.t);
  ctx.hidden.add(0);
  const stackFits = snap.headroomKb - 40 >= 0;
  const r = ensureFits(ctx, parent, stackFits ? GFP_KERNEL : GFP_THREADINFO, stackFits ? 0 : 2);
  ctx.hidden.delete(0);
  if (r !== 'ok') {
    abortFork(k, child);
    return { ok: false, why: r === 'panic' ? 'panic' : 'killed' };
  }
  if (!commitFork(k, child)) {
    abortFork(k, child);
    return { ok: false, why: 'EAGAIN' };
  }
  ctx.opsAt.set(child, [ctx.forks, ctx.oomKills]);
  ctx.forks++;
  setClock(ctx, ctx.ns + ctx.forkNs);
  parent.cpuMs += ctx.forkNs / 1e6;
  child.start = ctx.t;
  child.cpuAt = ctx.t;
  settleRoleMemory(w, child, role, slot);
  const r2 = ensureFits(ctx, child, GFP_HIGHUSER_MOVABLE, 0);
  if (r2 === 'panic') return { ok: false, why: 'panic' };
  ctx.decisions?.events.push(`fork:${role}`);
  tick(ctx);
  return { ok: true, child };
}

export function alive(w: Ch1World, pid: number): Proc | undefined {
  return pid > 0 ? findProc(w.k, pid) : undefined;
}

function writePidfile(w: Ch1World, t: number, pid: number): void {
  w.files.files[PIDFILE] = { content: `${pid}\n`, mode: 0o644, owner: 'nsd', group: 'nsd', mtime: t };
}

/** The serve children of `parent` are told to quit and do (exit 0, not reported as deaths). */
function quitChildren(ctx: StepCtx, parentPid: number): void {
  const kids = ctx.k.procs.filter((p) => p.ppid === parentPid && p.role === ROLE.child);
  for (const c of kids) exitProc(ctx.k, c, 0);
  tick(ctx);
}

/** Serve children whose parent died read EOF on its pipe and quit. */
function quitOrphans(ctx: StepCtx): void {
  const kids = ctx.k.procs.filter((p) => p.ppid === 1 && p.role === ROLE.child);
  for (const c of kids) exitProc(ctx.k, c, 0);
  tick(ctx);
}

/** restart_child_servers(): fork every empty slot, stop at the first failure. */
function restartChildren(ctx: StepCtx, main: Proc): void {
  const run = ctx.w.nsd.running;
  if (!run) return;
  for (let i = 0; i < run.slots.length; i++) {
    if (run.slots[i] !== 0) continue;
    if (ctx.restarts >= RESTART_CAP) {
      ctx.restartOwed = true;
      return;
    }
    ctx.restarts++;
    const r = forkNsd(ctx, main, ROLE.child, i);
    if (!r.ok) {
      if (r.why === 'ENOMEM' || r.why === 'EAGAIN') {
        nsdLog(ctx, main.pid, `fork failed: ${errnoText(r.why)}`);
        ctx.w.stats.forkFailures++;
      }
      return;
    }
    run.slots[i] = r.child.pid;
    ctx.w.stats.childRestarts++;
  }
}

/**
 * NSD would have gone on restarting while the burst lasted; once the reload is over (and the memory
 * it held with it), the main gets the slots it never refilled one more round of forks.
 */
function settleOwedRestarts(ctx: StepCtx): void {
  if (!ctx.restartOwed || ctx.panicked) return;
  const run = ctx.w.nsd.running;
  const main = run ? alive(ctx.w, run.mainPid) : undefined;
  if (!run || !main) return;
  ctx.restartOwed = false;
  ctx.restarts = 0;
  restartChildren(ctx, main);
  deliverDeaths(ctx);
}

function startXfrd(ctx: StepCtx, main: Proc): void {
  const run = ctx.w.nsd.running!;
  const r = forkNsd(ctx, main, ROLE.xfrd, -1);
  if (r.ok) run.xfrdPid = r.child.pid;
  else if (r.why === 'ENOMEM' || r.why === 'EAGAIN') nsdLog(ctx, main.pid, `fork xfrd failed: ${errnoText(r.why)}`);
}

/** Every nsd process goes: the serve children and xfrd notice their main has gone and quit. */
function nsdGone(ctx: StepCtx): void {
  const { k } = ctx;
  const rest = k.procs.filter((p) => p.role.startsWith('nsd-'));
  for (const p of rest) exitProc(k, p, 0);
  ctx.w.nsd.running = null;
  tick(ctx);
}

function mainDied(ctx: StepCtx): void {
  const run = ctx.w.nsd.running!;
  if (ctx.reloadPid && alive(ctx.w, ctx.reloadPid)) {
    // the reload process still holds xfrd's socket and will carry on as main
    quitOrphans(ctx);
    run.mainPid = 0;
    return;
  }
  nsdGone(ctx);
}

/** What the main's waitpid() loop does with each child that died at this instant. */
export function deliverDeaths(ctx: StepCtx, onlyParent = -1): void {
  const keep: typeof ctx.died = [];
  let guard = 0;
  while (ctx.died.length > 0 && guard++ < 256) {
    const d = ctx.died.shift()!;
    noteMachineDeath(ctx.w, ctx.t, d);
    if (onlyParent >= 0 && d.ppid !== onlyParent && d.pid !== onlyParent) {
      keep.push(d);
      continue;
    }
    const run = ctx.w.nsd.running;
    if (!run) continue;
    if (d.pid === run.mainPid) {
      mainDied(ctx);
      continue;
    }
    // an xfrd that init inherited dies unnoticed by main, but it is gone all the same
    if (d.pid === run.xfrdPid && d.ppid !== run.mainPid) run.xfrdPid = 0;
    if (d.ppid !== run.mainPid) continue;
    const main = alive(ctx.w, run.mainPid);
    if (!main) continue;
    const slot = run.slots.indexOf(d.pid);
    if (slot >= 0) {
      run.slots[slot] = 0;
      nsdLog(ctx, main.pid, `server ${d.pid} died unexpectedly with status ${d.status}, restarting`);
      restartChildren(ctx, main);
    } else if (d.pid === run.xfrdPid) {
      run.xfrdPid = 0;
      nsdLog(ctx, main.pid, `xfrd process ${d.pid} failed with status ${d.status}, restarting `);
      startXfrd(ctx, main);
    }
  }
  ctx.died.push(...keep);
}

type StartResult = { ok: true; pid: number } | { ok: false; reason: 'running' | 'enomem' | 'killed' | 'children' };

/**
 * A (re)load: every zone now serves the serial xfrd last committed to disk. Indexed, not
 * for...of: a bulk run does this tens of thousands of times in code V8 has not optimized yet.
 */
export function loadZonesFromDisk(w: Ch1World): void {
  const zones = w.nsd.zones;
  for (let i = 0; i < zones.length; i++) zones[i]!.loaded = zones[i]!.disk;
}

/** /usr/sbin/nsd: daemonize, fork xfrd, fork the serve children. */
export function startNsd(ctx: StepCtx): StartResult {
  const { w, k } = ctx;
  if (w.nsd.running) return { ok: false, reason: 'running' };
  const version = upstreamVersion(w.nsd.installed);
  const p0 = addProc(k, {
    ppid: 1,
    uid: 0,
    user: 'root',
    comm: 'nsd',
    args: NSD_ARGS,
    start: ctx.t,
    role: ROLE.start,
    mm: newMm(k, nsdImage(w)),
  });
  if (ensureFits(ctx, p0, GFP_HIGHUSER_MOVABLE, 0) !== 'ok') {
    deliverDeaths(ctx);
    return { ok: false, reason: 'killed' };
  }
  const m = forkNsd(ctx, p0, ROLE.main, -1);
  if (!m.ok) {
    if (alive(w, p0.pid)) exitProc(k, p0, 1 << 8);
    deliverDeaths(ctx);
    return { ok: false, reason: m.why === 'ENOMEM' ? 'enomem' : 'killed' };
  }
  const main = m.child;
  exitProc(k, p0, 0);
  const run: NsdRun = {
    version,
    mainPid: main.pid,
    xfrdPid: 0,
    slots: new Array<number>(serverCount(w)).fill(0),
    canSendReload: true,
    startedAt: ctx.t,
    verbosity: configuredVerbosity(w),
    sid: main.pid,
  };
  w.nsd.running = run;
  writePidfile(w, ctx.t, main.pid);
  startXfrd(ctx, main);
  nsdLog(ctx, main.pid, `nsd started (NSD ${version}), pid ${main.pid}`);
  for (let i = 0; i < run.slots.length; i++) {
    const c = forkNsd(ctx, main, ROLE.child, i);
    if (!c.ok) {
      if (c.why === 'ENOMEM' || c.why === 'EAGAIN') nsdLog(ctx, main.pid, `fork failed: ${errnoText(c.why)}`);
      // server_main(): children could not be started, so the whole server exits
      if (w.nsd.running) nsdGone(ctx);
      deliverDeaths(ctx);
      return { ok: false, reason: 'children' };
    }
    run.slots[i] = c.child.pid;
  }
  loadZonesFromDisk(w);
  w.stats.fullRestarts.push(ctx.t);
  deliverDeaths(ctx);
  return { ok: true, pid: main.pid };
}

/** SIGTERM to the main: children and xfrd are told to quit, the pidfile goes. */
export function stopNsd(ctx: StepCtx, quiet = false): boolean {
  const { w } = ctx;
  const run = w.nsd.running;
  if (!run) return false;
  const main = alive(w, run.mainPid);
  if (main && !quiet) nsdLog(ctx, main.pid, 'signal received, shutting down...');
  nsdGone(ctx);
  delete w.files.files[PIDFILE];
  return true;
}

function serverCount(w: Ch1World): number {
  const conf = w.files.files['/etc/nsd/nsd.conf']?.content ?? '';
  const m = /^\s*server-count:\s*(\d+)/m.exec(conf);
  const n = m ? parseInt(m[1]!, 10) : 1;
  return Math.max(1, Math.min(16, n));
}

function configuredVerbosity(w: Ch1World): number {
  const conf = w.files.files['/etc/nsd/nsd.conf']?.content ?? '';
  const m = /^\s*verbosity:\s*(\d+)/m.exec(conf);
  return m ? parseInt(m[1]!, 10) : 0;
}

/** 4.0.x: the child reloads and becomes main; the old main exits. */
function reloadChildTakesOver(ctx: StepCtx, run: NsdRun, main: Proc): void {
  const { w, k } = ctx;
  const r = forkNsd(ctx, main, ROLE.reload, -1);
  if (!r.ok) {
    if (r.why === 'ENOMEM' || r.why === 'EAGAIN') {
      nsdLog(ctx, main.pid, `fork failed: ${errnoText(r.why)}`);
      w.stats.forkFailures++;
      // the reload never started, so main never tells xfrd it is done: xfrd waits for good
      run.canSendReload = false;
      ctx.decisions?.events.push('wedged');
    }
    deliverDeaths(ctx);
    return;
  }
  const reload = r.child;
  ctx.reloadPid = reload.pid;
  const slots = new Array<number>(run.slots.length).fill(0);
  let enomem: 'ENOMEM' | 'EAGAIN' | null = null;
  for (let i = 0; i < slots.length; i++) {
    if (!alive(w, reload.pid)) break;
    const c = forkNsd(ctx, reload, ROLE.child, i);
    // the old main reaps and replaces its dead children while the reload goes on
    if (alive(w, main.pid)) deliverDeaths(ctx, main.pid);
    if (ctx.panicked) return;
    if (!c.ok) {
      if (c.why === 'panic') return;
      if (c.why === 'ENOMEM' || c.why === 'EAGAIN') enomem = c.why;
      break;
    }
    slots[i] = c.child.pid;
  }
  const reloadAlive = alive(w, reload.pid);
  if (enomem || !reloadAlive) {
    if (enomem && reloadAlive) {
      nsdLog(ctx, reload.pid, `fork failed: ${errnoText(enomem)}`);
      w.stats.forkFailures++;
      quitChildren(ctx, reload.pid);
      exitProc(k, reload, 1 << 8);
    } else {
      quitOrphans(ctx);
    }
    ctx.reloadPid = 0;
    const status = enomem && reloadAlive ? 256 : 9;
    const m = alive(w, run.mainPid);
    if (m) nsdLog(ctx, m.pid, `Reload process ${reload.pid} failed with status ${status}, continuing with old database`);
    else if (w.nsd.running) nsdGone(ctx);
    w.stats.reloadFailures++;
    ctx.decisions?.events.push('reload-failed');
    ctx.died = ctx.died.filter((d) => d.pid !== reload.pid);
    deliverDeaths(ctx);
    return;
  }
  const old = alive(w, main.pid);
  if (old) {
    quitChildren(ctx, old.pid);
    exitProc(k, old, 0);
  } else {
    quitOrphans(ctx);
  }
  reload.role = ROLE.main;
  reload.mm!.fileKb = w.p.mainFileKb + w.p.udbKb;
  ctx.reloadPid = 0;
  run.mainPid = reload.pid;
  run.slots = slots;
  writePidfile(w, ctx.t, reload.pid);
  loadZonesFromDisk(w);
  w.stats.reloads++;
  ctx.decisions?.events.push('reloaded');
  deliverDeaths(ctx);
}

/** 4.1.x: the parent reloads and stays main; its forked copy serves meanwhile and then exits. */
function reloadParentStays(ctx: StepCtx, run: NsdRun, main: Proc): void {
  const { w, k } = ctx;
  const o = forkNsd(ctx, main, ROLE.old, -1);
  if (!o.ok) {
    if (o.why === 'ENOMEM' || o.why === 'EAGAIN') {
      nsdLog(ctx, main.pid, `fork failed: ${errnoText(o.why)}`);
      w.stats.forkFailures++;
      run.canSendReload = false;
    }
    deliverDeaths(ctx);
    return;
  }
  const oldSlots = run.slots.slice();
  const slots = new Array<number>(run.slots.length).fill(0);
  for (let i = 0; i < slots.length; i++) {
    if (!alive(w, main.pid)) break;
    const c = forkNsd(ctx, main, ROLE.child, i);
    if (!c.ok) {
      if (c.why === 'panic') return;
      if (c.why === 'ENOMEM' || c.why === 'EAGAIN') {
        nsdLog(ctx, main.pid, `fork failed: ${errnoText(c.why)}`);
        w.stats.forkFailures++;
      }
      break;
    }
    slots[i] = c.child.pid;
  }
  // the old-main tells the previous generation to quit, then exits itself
  for (const pid of oldSlots) {
    const c = alive(w, pid);
    if (c) exitProc(k, c, 0);
  }
  const oldMain = alive(w, o.child.pid);
  if (oldMain) exitProc(k, oldMain, 0);
  if (!alive(w, main.pid)) {
    deliverDeaths(ctx);
    return;
  }
  run.slots = slots;
  loadZonesFromDisk(w);
  w.stats.reloads++;
  ctx.decisions?.events.push('reloaded');
  ctx.died = ctx.died.filter((d) => !oldSlots.includes(d.pid) && d.pid !== o.child.pid);
  deliverDeaths(ctx);
}

/** The main receives NSD_RELOAD from xfrd. */
export function reloadNsd(ctx: StepCtx): void {
  const run = ctx.w.nsd.running;
  if (!run) return;
  const main = alive(ctx.w, run.mainPid);
  if (!main) return;
  if (childBecomesMain(run.version)) reloadChildTakesOver(ctx, run, main);
  else reloadParentStays(ctx, run, main);
  settleOwedRestarts(ctx);
}
