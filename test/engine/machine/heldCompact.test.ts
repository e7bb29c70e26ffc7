import { emptyLogs } from '../../../engine/kernel/logs';
import { COMPACT_FIELDS, type LogState } from '../../../engine/kernel/types';
import { compactEntries, compactWriter, COMPACT_MAX_LINES, holdCompact, pushCompact, releaseCompact, rotateAt, settleCompact } from '../../../engine/machine/syslog';
import { Rng, seedRng } from '../../../engine/rng';

/**
 * While the clock advances, a busy daemon's compact lines are held and written into the ring
 * together; the ring must come out as pushing each line on its own leaves it, whatever the
 * number of lines, where the ring stood, and when it is read or turned over in between.
 */
type Op = { kind: 'push'; t: number; pid: number; a: number; b: number } | { kind: 'read' } | { kind: 'rotate'; t: number } | { kind: 'syslog'; up: boolean };

function script(seed: number, n: number): Op[] {
  const rng = new Rng(seedRng(seed));
  const ops: Op[] = [];
  let t = 1_420_070_400_000;
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    if (r < 0.0005) ops.push({ kind: 'rotate', t });
    else if (r < 0.001) ops.push({ kind: 'read' });
    else if (r < 0.0012) ops.push({ kind: 'syslog', up: rng.next() < 0.7 });
    else {
      t += 120 + Math.floor(rng.next() * 14_000);
      ops.push({ kind: 'push', t, pid: 812 + (i % 3), a: Math.floor(rng.next() * 5), b: i });
    }
  }
  return ops;
}

function play(ops: Op[], held: boolean, seen: Array<ReturnType<typeof compactEntries>>): LogState {
  const logs = emptyLogs(0);
  if (held) holdCompact(logs);
  const write = held ? compactWriter(logs) : (t: number, pid: number, a: number, b: number) => pushCompact(logs, t, pid, a, b);
  for (const op of ops) {
    if (op.kind === 'push') write(op.t, op.pid, op.a, op.b);
    else if (op.kind === 'syslog') logs.syslogUp = op.up;
    else if (op.kind === 'rotate') rotateAt(logs, op.t);
    else {
      settleCompact(logs);
      seen.push(compactEntries(logs.compact, logs.compactT0));
    }
  }
  if (held) releaseCompact(logs);
  return logs;
}

describe('held compact lines', () => {
  it.each([
    ['a few lines into an empty ring', 1, 300],
    ['more than the ring keeps, several cuts', 2, 30_000],
    ['weeks of lines with reads, rotations and syslog stopping between', 3, 120_000],
  ])('leave the ring as pushing them one by one does: %s', (_what, seed, n) => {
    const ops = script(seed, n);
    const seenOne: Array<ReturnType<typeof compactEntries>> = [];
    const seenHeld: Array<ReturnType<typeof compactEntries>> = [];
    const one = play(ops, false, seenOne);
    const held = play(ops, true, seenHeld);
    expect(held).toEqual(one);
    expect(seenHeld).toEqual(seenOne);
    expect(one.compact.length / COMPACT_FIELDS).toBeLessThanOrEqual(COMPACT_MAX_LINES + COMPACT_MAX_LINES / 8);
  });

  it('settles a ring that already holds lines, keeping the newest and their times', () => {
    const logs = emptyLogs(0);
    for (let i = 0; i < 4_300; i++) pushCompact(logs, 1_000 + i * 10, 812, 0, i);
    holdCompact(logs);
    holdCompact(logs);
    const write = compactWriter(logs);
    for (let i = 4_300; i < 4_700; i++) write(1_000 + i * 10, 812, 0, i);
    // the inner release writes the lines; the outer one still holds
    releaseCompact(logs);
    const entries = compactEntries(logs.compact, logs.compactT0);
    expect(entries[entries.length - 1]).toEqual([1_000 + 4_699 * 10, 812, 0, 4_699]);
    // the push past 4,500 lines cut the ring back to 4,000, and 199 more came after it
    expect(entries).toHaveLength(COMPACT_MAX_LINES + 199);
    expect(entries[0]![0]).toBe(1_000 + (4_700 - entries.length) * 10);
    write(99_999, 812, 1, 1);
    expect(compactEntries(logs.compact, logs.compactT0)).toHaveLength(COMPACT_MAX_LINES + 199);
    releaseCompact(logs);
    expect(compactEntries(logs.compact, logs.compactT0)).toHaveLength(COMPACT_MAX_LINES + 200);
  });
});
