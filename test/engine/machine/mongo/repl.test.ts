import { applicable, isTooStale, lagMs, oldestOp, oplogWindowMs, opsWritten, opTimeMs, opTimestamp, type PrimaryModel, type SecondarySync } from '../../../../engine/machine/mongo/repl';

const T0 = Date.UTC(2015, 4, 11, 20, 0, 0);

function primary(): PrimaryModel {
  // 10 ops/s until 01:00, then a 50 ops/s import; an oplog of 36,000 entries (1 h at 10/s)
  return {
    host: 'p:27017',
    setName: 's',
    memberId: 0,
    startedAt: T0 - 86_400_000,
    electedAt: T0 - 86_400_000,
    schedule: [
      { fromMs: T0, opsPerSec: 10 },
      { fromMs: T0 + 5 * 3_600_000, opsPerSec: 50 },
    ],
    oplogBytes: 36_000 * 500,
    opBytes: 500,
  };
}

const sync = (applied: number): SecondarySync => ({ applied, me: 's2:27017', memberId: 1, state: 'SECONDARY', stale: false, lastHeartbeat: T0, applyPerSec: 5_000, bufferOps: 0 });

describe('the replica set model', () => {
  test('operations written and their times follow the rate schedule', () => {
    const p = primary();
    expect(opsWritten(p, T0 + 60_000)).toBe(600);
    expect(opTimeMs(p, 0)).toBe(T0 + 100);
    expect(opTimeMs(p, 599)).toBe(T0 + 60_000);
    // the import: 5 h at 10/s, then 50/s
    expect(opsWritten(p, T0 + 5 * 3_600_000 + 1_000)).toBe(180_000 + 50);
    expect(opTimeMs(p, 180_000)).toBe(T0 + 5 * 3_600_000 + 20);
  });

  test('optimes number the operations within their second from 1', () => {
    const p = primary();
    expect(opTimestamp(p, 0)).toEqual({ t: T0 / 1000, i: 1 });
    expect(opTimestamp(p, 8)).toEqual({ t: T0 / 1000, i: 9 });
    expect(opTimestamp(p, 9)).toEqual({ t: T0 / 1000 + 1, i: 1 });
  });

  test('lag is the primary optime minus the applied one; it grows while nothing is applied', () => {
    const p = primary();
    const s = sync(opsWritten(p, T0 + 60_000));
    expect(lagMs(p, s, T0 + 60_000)).toBe(0);
    expect(lagMs(p, s, T0 + 120_000)).toBe(60_000);
  });

  test('the oplog window shrinks when the write rate climbs', () => {
    const p = primary();
    expect(oplogWindowMs(p, T0 + 4 * 3_600_000)).toBeCloseTo(3_600_000 - 100, -1);
    // an hour into the 50/s import the oplog spans 36,000 ops = 12 minutes
    expect(oplogWindowMs(p, T0 + 6 * 3_600_000)).toBeCloseTo(720_000 - 20, -1);
  });

  test('a secondary whose next operation rolled off the oplog is too stale', () => {
    const p = primary();
    const at = T0 + 3 * 3_600_000;
    const oldest = oldestOp(p, at);
    expect(isTooStale(p, sync(oldest), at)).toBe(false);
    expect(isTooStale(p, sync(oldest - 1), at)).toBe(true);
    // the bgsync buffer holds some more before it is stale
    expect(isTooStale(p, { ...sync(oldest - 1), bufferOps: 10 }, at)).toBe(false);
  });

  test('the applier takes what is pending up to its rate', () => {
    const p = primary();
    const s = { ...sync(0), applyPerSec: 100 };
    expect(applicable(p, s, T0, T0 + 100)).toBe(1);
    expect(applicable(p, s, T0 + 59_000, T0 + 60_000)).toBe(101);
  });
});
