import { verdicts } from '../../../../../engine/chapters/ch1/judge';
import { sampleHour } from '../../../../../engine/chapters/ch1/sim/stats';
import { arrival, DAY, HOUR } from './helpers';

/**
 * The judge's books keep outages and OOM kills for eight days: its verdicts look back a week at
 * most (a clean week since the fix) and a day ("in the last 24h"), so what is older is dropped
 * at the hourly sample, and a long game's save does not carry a month of them.
 */
describe("chapter 1's stats: how far back they are kept", () => {
  it('drops outages, summaries and kills older than eight days at the hourly sample, keeps the rest', () => {
    const g = arrival(1234);
    const s = g.w.stats;
    const now = g.w.now;
    const old = now - 9 * DAY;
    const kept = now - 7 * DAY;
    s.outages.unshift({ from: old, to: old + 60_000 }, { from: kept, to: kept + 60_000 });
    s.series.unshift({ from: old, to: old + HOUR, count: 50, totalMs: 90_000 }, { from: kept, to: kept + HOUR, count: 50, totalMs: 90_000 });
    s.oomHourly.unshift(Math.floor(old / HOUR) * HOUR, 3, Math.floor(kept / HOUR) * HOUR, 2);
    // the verdicts that read outages and kills (the SUnreclaim one reads the sample sampleHour adds)
    const read = () => {
      const v = verdicts(g.w, []);
      return { fix: v.fix, dns: v.dns, no_oom: v.no_oom };
    };
    const before = read();
    sampleHour(g.w, now);
    expect(s.outages[0]).toEqual({ from: kept, to: kept + 60_000 });
    expect(s.series[0]).toEqual({ from: kept, to: kept + HOUR, count: 50, totalMs: 90_000 });
    expect(s.oomHourly.slice(0, 2)).toEqual([Math.floor(kept / HOUR) * HOUR, 2]);
    // nothing the verdicts read went with them
    expect(read()).toEqual(before);
  });
});
