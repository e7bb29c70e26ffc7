import { checkJsonPrefix, lineColumn } from '../../../src/saves/jsonPrefix';

describe('checkJsonPrefix', () => {
  it.each(['{}', '[]', '1', '-0.5e+3', '"x"', 'true', 'null', ' {"a": [1, {"b": "c\\u00e9"}], "d": false} \n'])('%j is complete', (t) => {
    expect(checkJsonPrefix(t)).toEqual({ kind: 'complete' });
    expect(() => JSON.parse(t)).not.toThrow();
  });

  it('every proper prefix of a document is incomplete', () => {
    const doc = JSON.stringify({ a: [1, -2.5e-3, true, false, null, 'q"\\\u00e9\n'], b: { c: '' }, d: 10 }, null, 1);
    for (let i = 1; i < doc.length; i++) {
      expect({ i, v: checkJsonPrefix(doc.slice(0, i)).kind }).toEqual({ i, v: 'incomplete' });
    }
  });

  it.each([
    ['x', 0],
    ['{"a" 1}', 5],
    ['{"a": 1}}', 8],
    ['[1, 2,]', 6],
    ['{"a": tru}', 9],
    ['{"a": 01}', 6],
    ['{"a": "\\x"}', 8],
    ['{"a": "\u0001"}', 7],
    ["{'a': 1}", 1],
  ])('%j is invalid at %i', (t, at) => {
    expect(checkJsonPrefix(t)).toEqual({ kind: 'invalid', at });
    expect(() => JSON.parse(t)).toThrow();
  });

  it('lineColumn is 1-based', () => {
    expect(lineColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});
