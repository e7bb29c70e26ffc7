import { isoDate, shellPrintLines, tojson, tojsononeline } from '../../../../engine/machine/mongo/tojson';
import { JsObj, NumberLongV, ObjectIdV, TimestampV, jsString } from '../../../../engine/machine/mongo/values';

const o = (entries: Array<[string, unknown]>): JsObj => JsObj.of(entries as never);

describe('tojson as the 2.6 shell prints', () => {
  test('a short reply collapses to one line (utils.js: under 80 characters at the top level)', () => {
    expect(tojson(o([['ok', 1], ['info', 'unlock completed']]))).toBe('{ "ok" : 1, "info" : "unlock completed" }');
    expect(tojson(o([['ok', 0], ['errmsg', 'not locked']]))).toBe('{ "ok" : 0, "errmsg" : "not locked" }');
    expect(tojson(o([['inprog', []]]))).toBe('{ "inprog" : [ ] }');
  });

  test('the fsyncLock reply is tab-indented, one field a line', () => {
    const r = o([
      ['info', 'now locked against writes, use db.fsyncUnlock() to unlock'],
      ['seeAlso', 'http://dochub.mongodb.org/core/fsynccommand'],
      ['ok', 1],
    ]);
    expect(tojson(r)).toBe('{\n\t"info" : "now locked against writes, use db.fsyncUnlock() to unlock",\n\t"seeAlso" : "http://dochub.mongodb.org/core/fsynccommand",\n\t"ok" : 1\n}');
  });

  test('nested objects and arrays indent by tabs; an empty array is [ ]', () => {
    const r = o([
      ['set', 'rs0'],
      ['members', [o([['_id', 0], ['name', 'db-1:27017'], ['optime', new TimestampV(1431399600, 3)]])]],
      ['tags', []],
    ]);
    expect(tojson(r)).toBe(
      '{\n\t"set" : "rs0",\n\t"members" : [\n\t\t{\n\t\t\t"_id" : 0,\n\t\t\t"name" : "db-1:27017",\n\t\t\t"optime" : Timestamp(1431399600, 3)\n\t\t}\n\t],\n\t"tags" : [ ]\n}',
    );
  });

  test('a cursor document on one line (tojson(doc, "", true)) with the BSON types as constructors', () => {
    const doc = o([
      ['_id', new ObjectIdV('5551708a1c2b3d4e5f607182')],
      ['user', 'u17'],
      ['points', 12],
      ['at', new Date(Date.UTC(2015, 4, 12, 3, 0, 1, 234))],
      ['tags', ['a', 'b']],
      ['n', NumberLongV.of(5)],
    ]);
    expect(tojson(doc, '', true)).toBe('{ "_id" : ObjectId("5551708a1c2b3d4e5f607182"), "user" : "u17", "points" : 12, "at" : ISODate("2015-05-12T03:00:01.234Z"), "tags" : [ "a", "b" ], "n" : NumberLong(5) }');
  });

  test('ISODate leaves out milliseconds when there are none; NumberLong quotes past 2^53', () => {
    expect(isoDate(new Date(Date.UTC(2015, 4, 12, 3, 0, 0)))).toBe('ISODate("2015-05-12T03:00:00Z")');
    expect(tojson(new NumberLongV('9007199254740993'))).toBe('NumberLong("9007199254740993")');
    expect(tojson(NumberLongV.of(1431399600123))).toBe('NumberLong(1431399600123)');
  });

  test('strings escape quotes, backslashes and control characters; keys are not escaped', () => {
    expect(tojson('a"b\\c\n\u0001')).toBe('"a\\"b\\\\c\\n\\u0001"');
    expect(tojson(o([['a"b', 1]]))).toBe('{ "a"b" : 1 }');
  });

  test('an empty object prints as { } (the short-object collapse applies to nolint too); tojsononeline keeps its indent', () => {
    expect(tojson(new JsObj())).toBe('{ }');
    expect(tojson(new JsObj(), '', true)).toBe('{ }');
    expect(tojsononeline(o([['a', 1]]))).toBe('{  "a" : 1 }');
  });

  test('V8 ToString: objects are [object Object], dates in the UTC zone, arrays joined', () => {
    expect(jsString(o([['ok', 1]]))).toBe('[object Object]');
    expect(jsString(new Date(Date.UTC(2015, 4, 12, 3, 0, 0)))).toBe('Tue May 12 2015 03:00:00 GMT+0000 (UTC)');
    expect(jsString([1, 'a', null])).toBe('1,a,');
    expect(shellPrintLines(undefined)).toEqual([]);
    expect(shellPrintLines('text')).toEqual(['text']);
  });
});
