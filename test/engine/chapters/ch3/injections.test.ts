/**
 * Chapter 3's facilitator hooks: the unscheduled import a facilitator can start, through the
 * primary's write schedule, and what the facilitator's view shows.
 */
import { createGame } from '../../../../engine/index';
import { withBurst } from '../../../../engine/chapters/ch3/injections';
import { blocksToPlainText } from '../../../../src/text/plain';

describe('chapter 3: the import burst', () => {
  test('the burst replaces the steps inside it and leaves the rest of the schedule, later imports included', () => {
    const schedule = [
      { fromMs: 0, opsPerSec: 0.01 },
      { fromMs: 1_000, opsPerSec: 2 },
      { fromMs: 2_000, opsPerSec: 0.01 },
      { fromMs: 5_000, opsPerSec: 2 },
    ];
    expect(withBurst(schedule, 500, 1_500, 3)).toEqual([
      { fromMs: 0, opsPerSec: 0.01 },
      { fromMs: 500, opsPerSec: 3 },
      // at 1,500 the scheduled import was under way: it carries on
      { fromMs: 1_500, opsPerSec: 2 },
      { fromMs: 2_000, opsPerSec: 0.01 },
      { fromMs: 5_000, opsPerSec: 2 },
    ]);
    expect(withBurst(schedule, 2_500, 3_000, 3)).toEqual([
      { fromMs: 0, opsPerSec: 0.01 },
      { fromMs: 1_000, opsPerSec: 2 },
      { fromMs: 2_000, opsPerSec: 0.01 },
      { fromMs: 2_500, opsPerSec: 3 },
      { fromMs: 3_000, opsPerSec: 0.01 },
      { fromMs: 5_000, opsPerSec: 2 },
    ]);
  });

  test('writes arrive by replication at the import rate: the secondary holds hundreds more events five minutes later', () => {
    const count = (g: ReturnType<typeof createGame>): number =>
      Number(blocksToPlainText(g.step('mongo events --quiet --eval "rs.slaveOk(); db.events.count()"')).trim().split('\n')[0]);
    const burst = createGame('3', 2);
    const quiet = createGame('3', 2);
    for (const g of [burst, quiet]) g.start();
    const view = burst.inspect();
    expect(view.injections.map((i) => i.id)).toEqual(['import-burst']);
    expect(view.diagnosis).toMatch(/fsyncLock/);
    expect(view.clues.notFound).toContain('race_reproduced');
    const r = burst.inject('import-burst');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.happened).toMatch(/^The primary writes 2 operations a second until \d\d:\d\d UTC; this secondary applies them as they come\.$/);
    const before = [count(burst), count(quiet)];
    for (const g of [burst, quiet]) g.step('sleep 5m');
    const gained = [count(burst) - before[0]!, count(quiet) - before[1]!];
    // 600 operations in five minutes, most of them inserts; the quiet rate writes a handful
    expect(gained[0]).toBeGreaterThan(200);
    expect(gained[1]).toBeLessThan(20);
  });
});
