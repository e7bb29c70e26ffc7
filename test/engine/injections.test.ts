/**
 * A facilitator's injections and view through the engine's public handle: each injection changes
 * the world through the simulation, a save taken afterwards restores the same world, and inspect()
 * tells what the player cannot see.
 */
import { createGame, restoreGame } from '../../engine/index';
import { blocksToPlainText } from '../../src/text/plain';

const sunreclaimKb = (text: string): number => Number(/SUnreclaim:\s+(\d+) kB/.exec(text)![1]);

describe('chapter 1 injections', () => {
  test('a reload burst runs NSD\'s reloads on a box at the edge: the OOM kills land in the kernel log; the view lists it', () => {
    const g = createGame('1', 42);
    g.start();
    const view = g.inspect();
    expect(view.injections.map((i) => i.id)).toEqual(['reload-burst', 'next-oom-kill']);
    expect(view.clues.found).toEqual([]);
    expect(view.clues.notFound).toContain('anon_vma_top');
    expect(view.diagnosis).toMatch(/anon_vma/);
    expect(view.fixInEffect).toBe(false);
    const killsLogged = () => Number(blocksToPlainText(g.step("sudo grep -c 'Killed process' /var/log/kern.log")).trim().split('\n')[0]);
    const killsBefore = killsLogged();
    const before = g.inspect().elapsedMs;
    const r = g.inject('reload-burst');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const m = /^50 reloads, SUnreclaim [\d,]+ MB -> [\d,]+ MB, (\d+) OOM kills?\.$/.exec(r.happened);
    expect(m).not.toBeNull();
    const kills = Number(m![1]);
    expect(kills).toBeGreaterThan(0);
    // the story hears of them as of any OOM kill
    expect(blocksToPlainText(r.blocks)).toMatch(/OOM kill/);
    // 50 reloads 1.5 to 4 s apart, each taking its own moment
    expect(g.inspect().elapsedMs - before).toBeGreaterThanOrEqual(50 * 1500);
    expect(killsLogged() - killsBefore).toBeGreaterThanOrEqual(kills);
    // injections are not the player's: only the two greps count as spells
    expect(g.inspect().spells).toBe(2);
  });

  test('an unknown injection is refused with the ones there are, and nothing changes', () => {
    const g = createGame('1', 7);
    g.start();
    const t = g.inspect().elapsedMs;
    expect(g.inject('meteor')).toEqual({ ok: false, message: "chapter 1 has no injection 'meteor' (it has: reload-burst, next-oom-kill)" });
    expect(g.inspect().elapsedMs).toBe(t);
  });

  test('a game saved after an injection restores to the same world', () => {
    const g = createGame('1', 3);
    g.start();
    expect(g.inject('reload-burst').ok).toBe(true);
    const h = restoreGame(JSON.parse(JSON.stringify(g.snapshot())));
    expect(blocksToPlainText(h.step('cat /proc/meminfo'))).toEqual(blocksToPlainText(g.step('cat /proc/meminfo')));
  });
});

describe('an injection and the rollback', () => {
  test('a line that throws after an injection puts back the game that had the injection, not the line', () => {
    const a = createGame('1', 5);
    const b = createGame('1', 5);
    for (const g of [a, b]) {
      g.start();
      g.step('free -m');
      expect(g.inject('reload-burst').ok).toBe(true);
    }
    const judge = (a as unknown as { rt: { binding: { judge: { verdicts: () => unknown } } } }).rt.binding.judge;
    judge.verdicts = () => {
      throw new Error('the judge fell over');
    };
    expect(a.step('sleep 1h')).toEqual([{ kind: 'error', text: 'grimoire: that spell fizzled (the judge fell over); nothing changed.' }]);
    expect(JSON.stringify(a.snapshot())).toBe(JSON.stringify(b.snapshot()));
  });
});

describe('chapter 2 injections', () => {
  test('a publish burst puts a backlog in the spool that the app drains', () => {
    const g = createGame('2', 42);
    g.start();
    expect(g.inspect().injections.map((i) => i.id)).toEqual(['publish-burst']);
    const r = g.inject('publish-burst');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const m = /^500 events reached the spool \(backlog now (\d+)\); p99 so far \d+\.\d\d ms\.$/.exec(r.happened);
    expect(m).not.toBeNull();
    const backlog = Number(m![1]);
    expect(backlog).toBeGreaterThanOrEqual(499);
    const spool = () => (g.snapshot().state as { world: { net: { spool: unknown[] } } }).world.net.spool.length;
    g.step('sleep 5');
    // at about 25 publishes a second (one 40 ms stall each), five seconds drain part of it
    expect(spool()).toBeLessThan(backlog);
  });
});
