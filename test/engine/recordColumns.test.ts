/**
 * Lists of JSON records by column (engine/recordColumns.ts): back exactly, key order, nesting,
 * floats and records of several shapes included; and smaller than the list itself.
 */
import { packRecords, unpackRecords } from '../../engine/recordColumns';
import type { Json } from '../../engine/types';

const through = (list: Json[]): Json[] => unpackRecords(JSON.parse(JSON.stringify(packRecords(list))) as Json);

describe('packRecords / unpackRecords', () => {
  it('gives back records of several shapes in their order, nested objects and key order included', () => {
    const list: Json[] = [];
    for (let i = 0; i < 200; i++) {
      const t = 1426468031040.25 + i * 1953.5;
      list.push(
        i % 3 === 0
          ? { t, tag: 'sudo', pid: 0, e: { kind: 'sudo', user: 'ops', tty: 'pts/0', command: '/usr/sbin/nsd-control reload' } }
          : { t, tag: 'CRON', pid: 1000 + i, e: { kind: 'session', user: 'root', opened: i % 2 === 0 } },
      );
    }
    list.push({ e: { kind: 'odd' }, pid: -0.5, t: 0.1 + 0.2, tag: 'x', extra: [1, null, 'a'] });
    expect(JSON.stringify(through(list))).toBe(JSON.stringify(list));
    expect(JSON.stringify(packRecords(list)).length).toBeLessThan(JSON.stringify(list).length / 2);
  });

  it('keeps numbers no grid holds exactly', () => {
    const list: Json[] = [{ a: 1e-300, b: Number.MAX_SAFE_INTEGER }, { a: 2 ** 60, b: -1 }, { a: 1 / 3, b: 0 }];
    expect(JSON.stringify(through(list))).toBe(JSON.stringify(list));
  });

  it('leaves a list that is not all objects alone', () => {
    expect(packRecords([{ a: 1 }, 2, [3]])).toBeNull();
    expect(through([])).toEqual([]);
  });
});
