import { RngStreams } from '../../../../../engine/rng';
import * as sim from '../../../../../engine/chapters/ch1/sim';
import { drawParams } from '../../../../../engine/chapters/ch1/sim/params';
import { NETWORK } from '../../../../../engine/chapters/ch1/sim/catalogue';
import type { Ch1World } from '../../../../../engine/chapters/ch1/sim';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface Game {
  w: Ch1World;
  streams: RngStreams;
}

const arrivals = new Map<number, string>();

/** the scenario as the player finds it (built once per seed, then copied) */
export function arrival(seed: number): Game {
  let saved = arrivals.get(seed);
  if (!saved) {
    const streams = new RngStreams(seed);
    const w = sim.createCh1World(streams);
    saved = JSON.stringify({ w, streams: streams.getState() });
    arrivals.set(seed, saved);
  }
  const { w, streams } = JSON.parse(saved) as { w: Ch1World; streams: ReturnType<RngStreams['getState']> };
  return { w, streams: new RngStreams(seed, streams) };
}

/** a freshly booted box whose NSD has only just started */
export function fresh(seed: number, powerOn = Date.UTC(2015, 2, 2, 3, 0, 0)): Game {
  const streams = new RngStreams(seed);
  const p = drawParams(streams.stream('params'));
  return { w: sim.bootedWorld(p, streams, powerOn), streams };
}

/** what the engine's shell would do with the commands cron hands it */
export function hooks(w: Ch1World): sim.AdvanceHooks {
  return {
    runCommand(command: string, user: string) {
      const m = /(?:service\s+nsd|\/etc\/init\.d\/nsd)\s+(restart|start|stop|reload)/.exec(command);
      if (m) return sim.serviceNsd(w, m[1]!, user);
      if (/nsd-control\s+reload/.test(command)) return sim.nsdControl(w, ['reload'], user);
      return { stdout: '', stderr: '', code: 0 };
    },
  };
}

export function run(g: Game, ms: number, opts: sim.AdvanceOptions = {}): void {
  sim.advance(g.w, g.streams, g.w.now + ms, hooks(g.w), opts);
}

export function nsdPids(w: Ch1World): number[] {
  return sim.processes(w).filter((p) => p.comm === 'nsd').map((p) => p.pid);
}

export function mainOf(w: Ch1World) {
  const run = w.nsd.running;
  return run ? w.k.procs.find((p) => p.pid === run.mainPid) : undefined;
}

/** hourly SUnreclaim samples (kB) taken in [from, to) */
export function samples(w: Ch1World, from: number, to: number): number[] {
  return w.stats.sunreclaim.filter(([t]) => t >= from && t < to).map(([, kb]) => kb);
}

export function oomNames(w: Ch1World): string[] {
  return sim
    .kernelLog(w)
    .filter((e) => e.kind === 'oom')
    .map((e) => (e.kind === 'oom' ? e.report.killed.comm : ''));
}

/** `sudo dpkg -i` of the three mainline 3.19 files from the kernel PPA, headers first */
export function installMainline(g: Game): ReturnType<typeof sim.dpkgInstall> {
  const files = NETWORK.files.map((f) => ({ arg: f.url.slice(f.url.lastIndexOf('/') + 1), deb: f.deb! }));
  return sim.dpkgInstall(g.w, g.streams, files);
}
