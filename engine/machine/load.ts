/**
 * The load average and the CPU time the box has spent, kept the way Linux 3.16 keeps them.
 *
 * Every LOAD_FREQ the kernel samples how many tasks are runnable or uninterruptible and folds
 * that count into three fixed-point averages (kernel/sched/proc.c, calc_load). Between two
 * changes of the run queue the count is constant, so the books jump over the samples in between
 * with calc_load_n(), the closed form the kernel itself uses to catch up after a tickless idle:
 * nothing is kept per sample and a week-long sleep costs as little as a second.
 *
 * The run queue here is what the simulation says runs: processes the machine reports running
 * (kswapd reclaiming, a cron job's shell), plus kernel work a scenario declares with kernelWork()
 * (a task on a CPU inside the kernel, copying or tearing down page tables and reverse maps).
 * That same kernel work is the system time of /proc/stat; the processes' own CPU rates are its
 * user time; what is left of each CPU's time is idle.
 */
import { memSnapshot } from '../kernel/memory';
import type { CpuTicks } from '../formats/types';
import type { ProcStatView } from '../formats/procPidStatus';
import type { LoadState, MachineWorld } from './world';

export type { LoadState };

export const FSHIFT = 11;
export const FIXED_1 = 1 << FSHIFT;
const EXP = [1884, 2014, 2037] as const;
/** LOAD_FREQ = 5*HZ+1 jiffies; Ubuntu's generic kernels run at HZ=250 */
export const LOAD_FREQ_MS = ((5 * 250 + 1) * 1000) / 250;

export function newLoadState(boot: number): LoadState {
  return { boot, at: boot, nextSample: boot + LOAD_FREQ_MS, avenrun: [0, 0, 0], active: 0, workFrom: 0, workTo: 0, userMs: 0, systemMs: 0, userRate: 0 };
}

/** fixed_power_int(): x^n in fixed point, rounding at each step as the kernel does */
export function fixedPowerInt(x: number, n: number): number {
  let result = FIXED_1;
  const half = 1 << (FSHIFT - 1);
  while (n > 0) {
    if (n & 1) result = Math.floor((result * x + half) / FIXED_1);
    n = Math.floor(n / 2);
    if (n === 0) break;
    x = Math.floor((x * x + half) / FIXED_1);
  }
  return result;
}

/** calc_load() of Linux 3.16: load*exp + active*(1-exp), rounded */
export function calcLoad(load: number, exp: number, active: number): number {
  return Math.floor((load * exp + active * (FIXED_1 - exp) + (1 << (FSHIFT - 1))) / FIXED_1);
}

/** exp^n for the three EXPs and the sample counts quiet stretches have: a pure function, remembered */
const POWERS = new Map<number, number>();
function powerOf(exp: number, n: number): number {
  const key = n * 4096 + exp;
  let v = POWERS.get(key);
  if (v === undefined) {
    v = fixedPowerInt(exp, n);
    if (POWERS.size < 100_000) POWERS.set(key, v);
  }
  return v;
}

/** exp^n for the sample counts between two reloads (a few): a table per EXP, no lookup by key */
const SMALL_N = 256;
const SMALL_POWERS: ReadonlyArray<readonly number[]> = EXP.map((e) => Array.from({ length: SMALL_N }, (_, n) => fixedPowerInt(e, n)));

function powerOfExp(i: number, n: number): number {
  return n < SMALL_N ? SMALL_POWERS[i]![n]! : powerOf(EXP[i]!, n);
}

/** calc_load_n(): n samples of the same run queue at once */
export function calcLoadN(load: number, exp: number, active: number, n: number): number {
  return calcLoad(load, n === 1 ? exp : powerOf(exp, n), active);
}

/** Saves from before these books kept a load of floats aimed at a target: start them from it. */
function books(w: MachineWorld): LoadState {
  const L = w.load as LoadState | { at: number; l1: number; l5: number; l15: number };
  if ('avenrun' in L) return L;
  const old = L;
  const fresh = newLoadState(w.k.bootTime);
  fresh.at = Math.max(old.at, w.k.bootTime);
  fresh.nextSample = fresh.at + LOAD_FREQ_MS;
  fresh.avenrun = [old.l1, old.l5, old.l15].map((v) => Math.round(v * FIXED_1)) as [number, number, number];
  w.load = fresh;
  return fresh;
}

/** Write the books up to t: samples at their moments, CPU time by the second. */
function runTo(L: LoadState, t: number): void {
  while (L.at < t) {
    const inWork = L.at >= L.workFrom && L.at < L.workTo;
    let end = t;
    if (inWork) end = Math.min(end, L.workTo);
    else if (L.workFrom > L.at) end = Math.min(end, L.workFrom);
    const n = L.active + (inWork ? 1 : 0);
    const samples = L.nextSample < end ? Math.ceil((end - L.nextSample) / LOAD_FREQ_MS) : 0;
    if (samples > 0) {
      const av = L.avenrun;
      av[0] = calcLoad(av[0], powerOfExp(0, samples), n * FIXED_1);
      av[1] = calcLoad(av[1], powerOfExp(1, samples), n * FIXED_1);
      av[2] = calcLoad(av[2], powerOfExp(2, samples), n * FIXED_1);
      L.nextSample += samples * LOAD_FREQ_MS;
    }
    const dt = end - L.at;
    L.userMs += (L.userRate * dt) / 1000;
    if (inWork) L.systemMs += dt;
    L.at = end;
  }
}

/** kswapd is awake while free memory is below twice min_free_kbytes */
export function kswapdRuns(w: MachineWorld, t: number): boolean {
  return memSnapshot(w.k, t).freeKb < w.k.sysctl.minFreeKbytes * 2;
}

/** nr_running and nr_uninterruptible as the simulation has them at t, declared kernel work aside */
export function runQueueAt(w: MachineWorld, t: number): { running: number; blocked: number } {
  if (!w.machine.up) return { running: 0, blocked: 0 };
  let running = 0;
  let blocked = 0;
  for (let ix = 0, xs = w.k.procs; ix < xs.length; ix++) {
    const p = xs[ix]!;
    if (p.pid <= 0) continue;
    if (p.state === 'R') running++;
    else if (p.state === 'D') blocked++;
  }
  if (kswapdRuns(w, t)) running++;
  // a cron job's shell is working until the job ends
  return { running: running + w.cron.running.length, blocked };
}

function runQueue(w: MachineWorld, t: number): number {
  const q = runQueueAt(w, t);
  return q.running + q.blocked;
}

function userRate(w: MachineWorld): number {
  if (!w.machine.up) return 0;
  let r = 0;
  for (let ix = 0, xs = w.k.procs; ix < xs.length; ix++) {
    const p = xs[ix]!;
    if (p.pid > 0) r += p.cpuRate;
  }
  return r;
}

function current(w: MachineWorld, t: number): LoadState {
  let L = books(w);
  if (L.boot !== w.k.bootTime) {
    L = newLoadState(w.k.bootTime);
    w.load = L;
  }
  return L;
}

/** The books as they stand at t, without writing them (t before the books' end reads them as they are). */
export function loadBooksAt(w: MachineWorld, t: number): LoadState {
  const L = current(w, t);
  const copy: LoadState = { ...L, avenrun: [...L.avenrun] };
  runTo(copy, t);
  return copy;
}

/** /proc/loadavg's numbers: avenrun + FIXED_1/200, then its integer part and hundredths */
export function loadAt(w: MachineWorld, t: number): [number, number, number] {
  return loadBooksAt(w, t).avenrun.map((a) => {
    const v = a + FIXED_1 / 200;
    return Math.floor(v / FIXED_1) + Math.floor(((v % FIXED_1) * 100) / FIXED_1) / 100;
  }) as [number, number, number];
}

/** Bring the books up to t and take the run queue as it is from now on. */
export function updateLoad(w: MachineWorld, t: number): void {
  const L = current(w, t);
  runTo(L, t);
  L.active = runQueue(w, t);
  L.userRate = userRate(w);
}

/**
 * A task spends [from, to) on a CPU inside the kernel (a scenario's fork of a deep process chain,
 * an exit tearing one down): one more task in the run queue meanwhile, and system time.
 */
export function kernelWork(w: MachineWorld, from: number, to: number): void {
  workOn(current(w, from), from, to);
}

/**
 * The books kernel work goes into, for a stretch in which the machine neither boots nor halts
 * (a bulk run of reloads hands each of its tens of thousands to workOn).
 */
export function loadBooks(w: MachineWorld): LoadState {
  return current(w, w.now);
}

/** kernelWork() on books had from loadBooks() */
export function workOn(L: LoadState, from: number, to: number): void {
  runTo(L, Math.max(L.at, from));
  const start = Math.max(from, L.at);
  if (!(to > start)) return;
  if (L.workTo > start) L.workTo = Math.max(L.workTo, to);
  else {
    L.workFrom = start;
    L.workTo = to;
  }
}

/** USER_HZ: /proc/stat counts in hundredths of a second */
const TICK_MS = 10;

/** /proc/stat's cpu columns since boot for one CPU, or (cpu = -1) the sum of all of them as the kernel adds them up */
export function cpuTicks(w: MachineWorld, t: number, cpu = -1): CpuTicks {
  const L = loadBooksAt(w, t);
  const cpus = Math.max(1, w.k.cpus);
  if (cpu < 0) {
    const sum: CpuTicks = { user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0 };
    for (let i = 0; i < cpus; i++) {
      const c = cpuTicks(w, t, i);
      for (const k of Object.keys(sum) as Array<keyof CpuTicks>) sum[k] += c[k];
    }
    return sum;
  }
  // the time is spread over the CPUs; the first takes what does not divide evenly
  const share = (ms: number) => (cpu === 0 ? ms - Math.floor(ms / cpus) * (cpus - 1) : Math.floor(ms / cpus));
  const upMs = Math.max(0, (w.machine.up ? t : L.at) - L.boot);
  const user = Math.floor(share(L.userMs) / TICK_MS);
  const system = Math.floor(share(L.systemMs) / TICK_MS);
  const idle = Math.max(0, Math.floor(upMs / TICK_MS) - user - system);
  return { user, nice: 0, system, idle, iowait: 0, irq: 0, softirq: 0, steal: 0 };
}

/** the scheduler tick fires at HZ on a busy CPU; a tickless idle CPU takes none */
const HZ = 250;

/**
 * /proc/stat at t. Only the scheduler tick of busy CPUs is simulated as a source of interrupts,
 * context switches and softirqs (TIMER and RCU run off the tick); devices raise none here.
 */
/** `readers`: tasks running to read it (cat), which nr_running counts too */
export function procStatAt(w: MachineWorld, t: number, readers = 0): ProcStatView {
  const L = loadBooksAt(w, t);
  const ticks = Math.floor(((L.userMs + L.systemMs) * HZ) / 1000);
  const q = runQueueAt(w, t);
  const cpus = [cpuTicks(w, t)];
  for (let i = 0; i < Math.max(1, w.k.cpus); i++) cpus.push(cpuTicks(w, t, i));
  const forks = w.k.born;
  return {
    cpus,
    intr: ticks,
    ctxt: ticks + forks,
    btime: Math.floor(w.k.bootTime / 1000),
    processes: forks,
    procsRunning: q.running + readers,
    procsBlocked: q.blocked,
    softirqs: [0, ticks, 0, 0, 0, 0, 0, 0, 0, ticks],
  };
}
