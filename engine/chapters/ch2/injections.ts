import type { ChapterInjection } from '../../chapter';
import type { Json } from '../../types';
import { burstArrives, p99Us } from './sim/traffic';
import type { Ch2World } from './sim/world';

/**
 * What a facilitator can make happen on chapter 2's box: a burst of the site's events lands in
 * the app's spool, and the app publishes the backlog through the loopback stack like any other
 * (40 ms each while Nagle and the delayed ACK meet, a fraction of a millisecond once fixed).
 */
const BURST_EVENTS = 500;

export const CH2_INJECTIONS: readonly ChapterInjection[] = [
  {
    id: 'publish-burst',
    label: `a burst of ${BURST_EVENTS} events for the app to publish at once: a backlog to drain`,
    apply: (world: Json, ctx) => {
      const w = world as unknown as Ch2World;
      const added = burstArrives(w, ctx.now(), BURST_EVENTS, ctx.streams.stream('inject'));
      const running = w.app.pid > 0 && w.app.config !== null;
      return (
        `${added} events reached the spool (backlog now ${w.net.spool.length}); ` +
        (running ? `p99 so far ${(p99Us(w.net) / 1000).toFixed(2)} ms.` : 'the app is not running, so they wait.')
      );
    },
  },
];
