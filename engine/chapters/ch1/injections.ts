import type { ChapterInjection } from '../../chapter';
import type { Json } from '../../types';
import { mb } from './clues';
import * as sim from './sim/index';

/**
 * What a facilitator can make happen on chapter 1's box during an exercise. Both go through NSD's
 * own reload path (what `sudo nsd-control reload` asks xfrd for), so every fork, slab object and
 * OOM kill that follows is the simulation's, and a machine already fixed simply holds.
 */

const BURST_RELOADS = 50;
/** pushing to the next OOM kill gives up after this many reloads (a fixed machine never gets there) */
const OOM_PUSH_LIMIT = 600;


interface Reloads {
  done: number;
  stoppedBecause: string | null;
}

/** reloads a few seconds apart, as a script calling nsd-control would, until `enough` says so */
function reload(w: sim.Ch1World, ctx: Parameters<ChapterInjection['apply']>[1], limit: number, enough: () => boolean): Reloads {
  const rng = ctx.streams.stream('inject');
  let done = 0;
  while (done < limit && !enough()) {
    ctx.advance(rng.int(1500, 4000));
    const out = sim.nsdControl(w, ['reload'], 'root');
    if (out.code !== 0) return { done, stoppedBecause: 'NSD is not running (nsd-control cannot reach xfrd)' };
    done++;
  }
  return { done, stoppedBecause: null };
}

function before(w: sim.Ch1World): { kills: number; sunreclaim: number } {
  return { kills: w.stats.oomKillCount, sunreclaim: sim.meminfo(w).SUnreclaim };
}

function told(w: sim.Ch1World, was: { kills: number; sunreclaim: number }, r: Reloads): string {
  const now = before(w);
  const kills = now.kills - was.kills;
  const parts = [
    `${r.done} reload${r.done === 1 ? '' : 's'}`,
    `SUnreclaim ${mb(was.sunreclaim)} -> ${mb(now.sunreclaim)}`,
    `${kills} OOM kill${kills === 1 ? '' : 's'}`,
  ];
  return parts.join(', ') + (r.stoppedBecause ? `; stopped: ${r.stoppedBecause}` : '') + '.';
}

export const CH1_INJECTIONS: readonly ChapterInjection[] = [
  {
    id: 'reload-burst',
    label: `a burst of ${BURST_RELOADS} zone reloads a few seconds apart: more forks, faster slab growth`,
    apply: (world: Json, ctx) => {
      const w = world as unknown as sim.Ch1World;
      const was = before(w);
      return told(w, was, reload(w, ctx, BURST_RELOADS, () => false));
    },
  },
  {
    id: 'next-oom-kill',
    label: `reloads until the OOM killer picks its next victim (at most ${OOM_PUSH_LIMIT}; a fixed machine never gets there)`,
    apply: (world: Json, ctx) => {
      const w = world as unknown as sim.Ch1World;
      const was = before(w);
      const r = reload(w, ctx, OOM_PUSH_LIMIT, () => w.stats.oomKillCount > was.kills);
      const reached = w.stats.oomKillCount > was.kills;
      return (reached ? 'The OOM killer struck: ' : `No OOM kill after ${r.done} reloads: `) + told(w, was, r);
    },
  },
];
