/**
 * The values the simulated mongo shell (2.6, V8 3.12) computes with: JavaScript's primitives,
 * plain objects (insertion-ordered, as V8 keeps non-numeric keys), arrays, the BSON types the
 * shell adds (ObjectId, ISODate, NumberLong, NumberInt, Timestamp), and host objects (db, a
 * collection, a cursor, rs) whose methods reach the server. Nothing here is saved: a shell
 * lives for one spell.
 */

/** a plain JavaScript object */
export class JsObj {
  readonly m = new Map<string, JsVal>();
  static of(entries: ReadonlyArray<readonly [string, JsVal]>): JsObj {
    const o = new JsObj();
    for (const [k, v] of entries) o.m.set(k, v);
    return o;
  }
  get(k: string): JsVal {
    return this.m.get(k);
  }
  set(k: string, v: JsVal): this {
    this.m.set(k, v);
    return this;
  }
}

export class ObjectIdV {
  constructor(readonly hex: string) {}
}

/** NumberLong: a 64-bit integer, kept as its decimal text so nothing is lost beyond 2^53 */
export class NumberLongV {
  constructor(readonly dec: string) {}
  static of(n: number | bigint): NumberLongV {
    return new NumberLongV(BigInt.asIntN(64, BigInt(typeof n === 'number' ? Math.trunc(n) : n)).toString());
  }
  toNumber(): number {
    return Number(this.dec);
  }
}

export class NumberIntV {
  constructor(readonly v: number) {}
}

/** a replication optime: seconds and an increment within the second */
export class TimestampV {
  constructor(
    readonly t: number,
    readonly i: number,
  ) {}
}

/** a function the shell offers (print, db.serverStatus): native code, called with its receiver */
export class FnV {
  constructor(
    readonly name: string,
    readonly call: (self: JsVal, args: JsVal[]) => JsVal,
  ) {}
}

/**
 * An object of the shell's own classes (DB, DBCollection, DBQuery, rs): properties are looked up
 * through get(); toString() is what V8 prints for it; tojson/shellPrint when the class has them.
 */
export abstract class HostObj {
  abstract get(name: string): JsVal;
  abstract toString(): string;
  /** what tojson prints for it; the plain object form when absent */
  tojson?(indent: string, nolint: boolean | undefined): string;
  /** what the interactive shell prints when it is a statement's value */
  shellPrint?(): string[];
  /** assignment to a property (db.x = 1): host objects ignore it unless they say otherwise */
  set?(name: string, v: JsVal): void;
  /** the keys tojson walks when the class has no tojson */
  keys?(): string[];
}

export type JsVal = undefined | null | boolean | number | string | JsVal[] | JsObj | ObjectIdV | Date | NumberLongV | NumberIntV | TimestampV | FnV | HostObj;

/** An exception thrown inside the shell's JavaScript: what V8 prints for it, and where it was thrown. */
export class JsThrow extends Error {
  constructor(
    /** the exception's text as V8 converts it to a string ("ReferenceError: x is not defined") */
    readonly text: string,
    /** the shell's own file and line that threw it, printed after " at " (2.6's v8ExceptionToSTLString) */
    readonly where?: string,
  ) {
    super(text);
  }
}

/** typeof as JavaScript answers it */
export function typeOf(v: JsVal): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'object';
  if (typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return typeof v;
  if (v instanceof FnV) return 'function';
  return 'object';
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** V8's Date.prototype.toString on a box whose zone is UTC */
export function dateString(d: Date): string {
  if (Number.isNaN(d.getTime())) return 'Invalid Date';
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate(), 2)} ${d.getUTCFullYear()} ${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)} GMT+0000 (UTC)`;
}

/** V8's ToString of a value (what print() and --eval's result line show) */
export function jsString(v: JsVal): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberString(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map((x) => (x === undefined || x === null ? '' : jsString(x))).join(',');
  if (v instanceof Date) return dateString(v);
  if (v instanceof ObjectIdV) return `ObjectId("${v.hex}")`;
  if (v instanceof NumberLongV) return numberLongText(v);
  if (v instanceof NumberIntV) return `NumberInt(${v.v})`;
  if (v instanceof TimestampV) return `Timestamp(${v.t}, ${v.i})`;
  if (v instanceof FnV) return `function ${v.name}() { [native code] }`;
  if (v instanceof HostObj) return v.toString();
  return '[object Object]';
}

/** JavaScript's Number.prototype.toString (V8 and Node agree) */
export function numberString(n: number): string {
  return Object.is(n, -0) ? '0' : String(n);
}

/** 2.6's NumberLong prints its value bare while a double holds it exactly, quoted beyond */
export function numberLongText(v: NumberLongV): string {
  const b = BigInt(v.dec);
  const exact = b >= -9007199254740992n && b <= 9007199254740992n;
  return exact ? `NumberLong(${v.dec})` : `NumberLong("${v.dec}")`;
}

export function truthy(v: JsVal): boolean {
  if (v === undefined || v === null || v === false || v === '' || v === 0) return false;
  if (typeof v === 'number' && Number.isNaN(v)) return false;
  return true;
}
