import { compareValues, projector, sortDocs } from '../../../../engine/machine/mongo/sortOrder';
import { JsObj, NumberIntV, NumberLongV, ObjectIdV } from '../../../../engine/machine/mongo/values';

const doc = (entries: Array<[string, unknown]>): JsObj => JsObj.of(entries as Array<[string, never]>);

describe('the order a sort puts values in', () => {
  test('BSON type order first: null, numbers, strings, objects, arrays, ObjectIds, booleans, dates', () => {
    const values = [new Date(0), true, new ObjectIdV('0'.repeat(24)), [1], doc([]), 'a', 5, null];
    const sorted = [...values].sort(compareValues);
    expect(sorted).toEqual([null, 5, 'a', doc([]), [1], values[2], true, values[0]]);
  });

  test('numbers of every kind compare by value; strings, ObjectIds and dates by their own order', () => {
    expect(compareValues(new NumberIntV(3), 2.5)).toBeGreaterThan(0);
    expect(compareValues(new NumberLongV('10'), new NumberIntV(10))).toBe(0);
    expect(compareValues('ana.k', 'bo')).toBeLessThan(0);
    expect(compareValues(new ObjectIdV('5551c66a8b812d35413581d5'), new ObjectIdV('5551c85e8b812d35413581da'))).toBeLessThan(0);
    expect(compareValues(new Date(2), new Date(1))).toBeGreaterThan(0);
  });

  test('several fields, each in its direction, ties kept in their order; a missing field sorts as null', () => {
    const a = doc([['n', 1], ['p', 5]]);
    const b = doc([['n', 2], ['p', 5]]);
    const c = doc([['n', 3], ['p', 9]]);
    const d = doc([['n', 4]]);
    expect(sortDocs([a, b, c, d], [['p', -1], ['n', 1]])).toEqual([c, a, b, d]);
    expect(sortDocs([c, a, d], [['p', 1]])).toEqual([d, a, c]);
  });

  test('an array sorts by its least element ascending and its greatest descending', () => {
    const x = doc([['t', [5, 1]]]);
    const y = doc([['t', [3]]]);
    expect(sortDocs([y, x], [['t', 1]])).toEqual([x, y]);
    expect(sortDocs([y, x], [['t', -1]])).toEqual([x, y]);
  });
});

describe('a projection', () => {
  const d = doc([['_id', 1], ['user', 'bo'], ['points', 7], ['at', 2]]);
  test('inclusion keeps the fields and _id unless it is turned off; exclusion drops the fields', () => {
    expect([...projector(doc([['points', 1]]))!(d).m.keys()]).toEqual(['_id', 'points']);
    expect([...projector(doc([['points', 1], ['_id', 0]]))!(d).m.keys()]).toEqual(['points']);
    expect([...projector(doc([['user', 0], ['at', false]]))!(d).m.keys()]).toEqual(['_id', 'points']);
    expect([...projector(doc([['_id', 0]]))!(d).m.keys()]).toEqual(['user', 'points', 'at']);
  });
  test('mixing inclusion and exclusion is refused', () => {
    expect(projector(doc([['user', 1], ['at', 0]]))).toBeNull();
  });
});
