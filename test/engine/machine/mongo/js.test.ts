import { JsNotSimulated, JsSyntaxError, parseJs } from '../../../../engine/machine/mongo/js';
import { Interp, NOT_CONSTRUCTOR, Scope } from '../../../../engine/machine/mongo/interp';
import { FnV, JsObj, JsThrow, jsString } from '../../../../engine/machine/mongo/values';

function syntax(src: string): string {
  try {
    parseJs(src);
  } catch (e) {
    if (e instanceof JsSyntaxError) return `${e.kind}: ${e.message}`;
    if (e instanceof JsNotSimulated) return `not simulated: ${e.message}`;
    throw e;
  }
  return 'ok';
}

function run(src: string, vars: Record<string, unknown> = {}): string {
  const scope = new Scope();
  for (const [k, v] of Object.entries(vars)) scope.vars.set(k, v as never);
  try {
    return jsString(new Interp(scope, () => NOT_CONSTRUCTOR).run(parseJs(src)));
  } catch (e) {
    if (e instanceof JsThrow) return e.text;
    throw e;
  }
}

describe('the shell parser (V8 3.12 syntax errors)', () => {
  test('what the shell is used with parses', () => {
    expect(syntax('db.adminCommand({fsync:1})')).toBe('ok');
    expect(syntax("printjson(db.getSiblingDB('events').events.find().limit(3).toArray());")).toBe('ok');
    expect(syntax('var x = {a: [1, 2.5, -3, "s", true, null], "b": {c: 1},}; printjson(x)')).toBe('ok');
    expect(syntax('db.fsyncLock(); db.fsyncUnlock()')).toBe('ok');
    expect(syntax('new Date(0)')).toBe('ok');
  });

  test('malformed input answers with V8 words', () => {
    expect(syntax('db.adminCommand({fsync:1}')).toBe('SyntaxError: Unexpected end of input');
    expect(syntax('db.adminCommand({fsync:1}))')).toBe('SyntaxError: Unexpected token )');
    expect(syntax('db.foo bar')).toBe('SyntaxError: Unexpected identifier');
    expect(syntax('print("a" "b")')).toBe('SyntaxError: Unexpected string');
    expect(syntax("print('unterminated)")).toBe('SyntaxError: Unexpected token ILLEGAL');
    expect(syntax('db.x(#)')).toBe('SyntaxError: Unexpected token ILLEGAL');
    expect(syntax('{fsync:1}.x')).toBe('not simulated: a block statement');
    expect(syntax('1 = 2')).toBe('ReferenceError: Invalid left-hand side in assignment');
    expect(syntax('x.(1)')).toBe('SyntaxError: Unexpected token (');
  });

  test('valid JavaScript this shell does not run is refused as such, not as a syntax error', () => {
    expect(syntax('for (var i = 0; i < 3; i++) print(i)')).toBe('not simulated: `for`');
    expect(syntax('function f(d) { printjson(d) }')).toBe('not simulated: `function`');
    expect(syntax('db.events.find().forEach(function(d) { if (d) printjson(d) })')).toBe('not simulated: `if`');
    expect(syntax('return 1')).toBe('not simulated: `return`');
  });

  test('function literals, for a cursor\'s forEach and map, parse with V8\'s errors when malformed', () => {
    expect(syntax('db.events.find().forEach(function(d) { printjson(d) })')).toBe('ok');
    expect(syntax('db.events.find().map(function (d) { return d._id; })')).toBe('ok');
    expect(syntax('var f = function named(a, b) { var c = a + b; return c }')).toBe('ok');
    expect(syntax('db.events.find().forEach(function(d) { printjson(d) )')).toBe('SyntaxError: Unexpected token )');
    expect(syntax('db.events.find().forEach(function(d) { printjson(d)')).toBe('SyntaxError: Unexpected end of input');
    expect(syntax('db.events.find().forEach(function(1) {})')).toBe('SyntaxError: Unexpected number');
  });
});

describe('function literals', () => {
  test('parameters, return, a closure over the outer variables, assignment reaching the global', () => {
    expect(run('var add = function (a, b) { return a + b }; add(2, 3)')).toBe('5');
    expect(run('var f = function () { 1 }; typeof f()')).toBe('undefined');
    expect(run('var n = 10; var f = function (x) { n = n + x; return n }; f(1); f(2); n')).toBe('13');
    expect(run('var f = function (x) { var n = x; return n }; f(4); typeof n')).toBe('undefined');
    expect(run('var f = function (a) { return a }; typeof f()')).toBe('undefined');
  });

  test('endless recursion is V8\'s RangeError, not a crash', () => {
    expect(run('var f = function () { return f() }; f()')).toBe('RangeError: Maximum call stack size exceeded');
  });
});

describe('the interpreter (V8 3.12 run-time errors)', () => {
  test('values and operators', () => {
    expect(run('1 + 2 * 3')).toBe('7');
    expect(run('"a" + 1')).toBe('a1');
    expect(run('var x = 5; x = x - 1; x')).toBe('4');
    expect(run('typeof nope')).toBe('undefined');
    expect(run('[1,2].length')).toBe('2');
  });

  test('errors name what V8 names', () => {
    expect(run('foo()')).toBe('ReferenceError: foo is not defined');
    expect(run('x.y.z', { x: new JsObj() })).toBe("TypeError: Cannot read property 'z' of undefined");
    expect(run('x.y.z()', { x: new JsObj() })).toBe("TypeError: Cannot call method 'z' of undefined");
    expect(run('x.nope()', { x: new JsObj() })).toBe("TypeError: Object [object Object] has no method 'nope'");
    expect(run('x.a()', { x: JsObj.of([['a', 1]]) })).toBe("TypeError: Property 'a' of object [object Object] is not a function");
    expect(run('f(2)', { f: new FnV('f', (_s, a) => (a[0] as number) * 2) })).toBe('4');
  });
});

describe("ES5's array and string methods, as a one-liner uses them", () => {
  const members = [JsObj.of([['name', 'db-1:27017'], ['self', false]]), JsObj.of([['name', 'db-2:27017'], ['self', true]])];

  test('forEach, map and filter call the function with each element, its index and the array', () => {
    expect(run('var out = []; m.forEach(function (x, i) { out.push(i + "=" + x.name) }); out.join(" ")', { m: members })).toBe('0=db-1:27017 1=db-2:27017');
    expect(run('m.map(function (x) { return x.name.toUpperCase() }).join()', { m: members })).toBe('DB-1:27017,DB-2:27017');
    expect(run('m.filter(function (x) { return x.self })[0].name', { m: members })).toBe('db-2:27017');
    expect(run('m.forEach(function (x) { return 1 })', { m: members })).toBe('undefined');
  });

  test('indexOf, slice, concat, push and reverse', () => {
    expect(run('[1, 2, 3].indexOf(3)')).toBe('2');
    expect(run('[1, 2, 3].indexOf(7)')).toBe('-1');
    expect(run('[1, 2, 3, 4].slice(1, -1).join()')).toBe('2,3');
    expect(run('[1].concat([2, 3], 4).join()')).toBe('1,2,3,4');
    expect(run('var a = [1]; a.push(2, 3); a.reverse().join()')).toBe('3,2,1');
  });

  test('string methods', () => {
    expect(run('"db-2:27017".split(":")[1]')).toBe('27017');
    expect(run('"  rs0 ".trim().toUpperCase()')).toBe('RS0');
    expect(run('"SECONDARY".toLowerCase().substring(0, 3)')).toBe('sec');
    expect(run('"abcabc".indexOf("c", 3)')).toBe('5');
    expect(run('"oints".slice(-4)')).toBe('ints');
  });

  test("what is not a function is V8's TypeError, and an unknown method is still no method", () => {
    expect(run('m.forEach(5)', { m: members })).toBe('TypeError: 5 is not a function');
    expect(run('m.map()', { m: members })).toBe('TypeError: undefined is not a function');
    expect(run('[1].nope()')).toBe("TypeError: Object 1 has no method 'nope'");
  });
});
