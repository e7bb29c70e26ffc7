/**
 * A new box: its state before power-on, then booted. A chapter's world builder calls this with
 * its host, its files and its scenario, and adds the state of its own software on top.
 */
import { emptyAv } from '../kernel/anonvma';
import { emptyLogs } from '../kernel/logs';
import type { KernelState } from '../kernel/types';
import type { RngStreams } from '../rng';
import type { FileStore } from '../vfs/store';
import { bootMachine } from './boot';
import { newLoadState, updateLoad } from './load';
import { seedPackages } from './packages';
import type { HostParams, MachineWorld } from './world';

/** what a box is made of before it first boots */
export interface MachineSpec {
  scenario: string;
  p: HostParams;
  files: FileStore;
  /** the root filesystem: its size, and what the system's own files take on it (1K blocks) */
  diskTotalKb: number;
  diskUsedKb: number;
  hardware: string;
}

/** a kernel with nothing in it yet: boot replaces it with the real one */
function unbootedKernel(t: number): KernelState {
  const pool = { baseKb: 0, since: t, growKbPerH: 0, maxKb: 0, floorKb: 0, clipKb: 0, clipAt: -1 };
  return {
    release: '',
    version: '',
    anonVmaReuse: false,
    bootTime: t,
    lastPid: 0,
    born: 0,
    procs: [],
    av: emptyAv(),
    mem: {
      totalKb: 0,
      kernelOtherKb: 0,
      cache: { ...pool },
      recl: { ...pool },
      shmemKb: 0,
      buffersPct: 0,
      swaps: [],
      swapHeldKb: 0,
      swapHeldAt: 0,
      fill: {},
      totalRamPages: 0,
      directMap4kKb: 0,
      vmallocUsedKb: 0,
    },
    sysctl: { overcommitMemory: 0, overcommitRatio: 50, minFreeKbytes: 0, swappiness: 60, pidMax: 32768, panic: 0, panicOnOom: 0, dropCaches: 0 },
    cpus: 1,
  };
}

/** The machine part of a world, powered off at `powerOn`; `extra` is the scenario's own state. */
export function unbootedWorld<X extends object>(spec: MachineSpec, powerOn: number, extra: X): MachineWorld & X {
  const w = {
    scenario: spec.scenario,
    now: powerOn,
    p: spec.p,
    k: unbootedKernel(powerOn),
    logs: emptyLogs(-1),
    cron: { nextAt: -1, seen: {}, running: [], cronPid: 0 },
    pkgs: { list: [], updated: false, rebootRequired: false },
    machine: { up: false, bootAt: -1, nextMemTotalKb: spec.p.memTotalKb, nextTotalRamPages: spec.p.totalRamPages, panicRebootAt: -1, diskTotalKb: spec.diskTotalKb, diskSystemKb: spec.diskUsedKb },
    files: spec.files,
    stats: { reboots: [], panics: [], sessionLost: [] },
    load: newLoadState(powerOn),
    hardware: spec.hardware,
    rsyslogPid: 0,
    sessionPid: 0,
    sessionNo: 0,
    // the scenario's own state, which may extend the machine's (its stats keep more than the machine's)
    ...extra,
  } as MachineWorld & X;
  w.pkgs = seedPackages(w);
  return w;
}

/** Powers the box on: returns the time sshd answers (the world's clock is there too). */
export function powerOn(w: MachineWorld, streams: RngStreams, at: number): number {
  const ready = bootMachine(w, streams, at);
  w.now = ready;
  updateLoad(w, ready);
  return ready;
}
