/**
 * How Chapter 2 is judged, from the simulation: the latencies the publisher measured, the socket
 * options and routes in the kernel's TCP stack, the app's config as it read it at its start.
 */
import type { ObjectiveDef, ObjectiveVerdicts } from '../../objectives';
import { groupThousands } from '../../formats/printf';
import { getSock, tcpOf } from '../../kernel/tcp';
import type { FixKind } from './storyContract';
import { p99Us, RECENT } from './sim/traffic';
import type { Ch2World } from './sim/world';

export const OBJECTIVES: readonly ObjectiveDef[] = [
  { id: 'diagnosed', label: 'See where each publish spends its 40 ms', kind: 'milestone' },
  { id: 'fast', label: `p99 publish latency under 1 ms over ${groupThousands(String(RECENT))} publishes`, kind: 'condition' },
  { id: 'holds', label: 'The fix survives a restart of the app', kind: 'condition' },
];

/** the clues that show the mechanism itself (the others show only the symptom) */
export const DIAGNOSIS_CLUES = ['tcpdump_ack_gap', 'ss_notsent', 'strace_read_waits'] as const;

/** TCP_NODELAY on every live socket of the app's pool */
export function poolNodelay(w: Ch2World): boolean {
  const s = tcpOf(w.k);
  const socks = w.net.pool.map((pc) => (pc.sock >= 0 ? getSock(s, pc.sock) : undefined)).filter((x) => x !== undefined);
  return socks.length > 0 && socks.every((x) => x!.nodelay);
}

/** the fix in place, the lasting ones first */
export function currentFix(w: Ch2World): { kind: FixKind } {
  const cfg = w.app.config;
  if (cfg?.tcpNodelay) return { kind: 'nodelay_config' };
  if (cfg?.singleWrite) return { kind: 'single_write' };
  if (tcpOf(w.k).routeQuickack) return { kind: 'route_quickack' };
  if (cfg && poolNodelay(w)) return { kind: 'nodelay_live' };
  return { kind: 'none' };
}

const ms = (us: number): string => `${(us / 1000).toFixed(2)} ms`;

/** `openedAt`: when the player arrived; a restart of the app since then is what `holds` needs to have survived */
export function verdicts(w: Ch2World, clues: readonly string[], openedAt: number): ObjectiveVerdicts {
  const n = w.net;
  const seen = DIAGNOSIS_CLUES.some((c) => clues.includes(c));
  const count = n.recent.length;
  const p99 = p99Us(n);
  const fast = count >= RECENT && p99 < 1000;
  const fastDetail = count < RECENT ? `${count} of ${RECENT} publishes measured` : `p99 ${ms(p99)}`;
  // the app restarted since the player arrived, and its new process publishes fast: the fix is not in the old process alone
  const restarted = w.app.pid > 0 && w.app.startedAt > openedAt;
  const holdsNow = restarted && n.sinceStart >= RECENT && fast;
  return {
    diagnosed: seen ? { status: 'done' } : { status: 'pending', detail: 'the app only knows it waited' },
    fast: fast ? { status: 'done', detail: fastDetail } : { status: n.firstFastAt >= 0 ? 'failing' : 'pending', detail: fastDetail },
    holds: holdsNow
      ? { status: 'done', detail: `${n.sinceStart} publishes since the restart, p99 ${ms(p99)}` }
      : !restarted
        ? { status: 'pending', detail: 'the app has not been restarted since you arrived' }
        : n.sinceStart === 0
          ? { status: 'pending', detail: 'the app has published nothing since its restart' }
          : (n.slowSinceStart ?? 0) * 100 > RECENT || n.sinceStart >= RECENT
            ? { status: 'failing', detail: `${n.slowSinceStart ?? 0} of ${n.sinceStart} publishes since the restart took a millisecond or more` }
            : { status: 'holding', detail: `${n.sinceStart} of ${RECENT} publishes since the restart` },
  };
}
