/**
 * What mongod says about the bytes at a record's data: BSONObj's size check (assertion 10334, with
 * BSONElement::toString of whatever the first element looks like), then the element walk.
 * Sources: mongodb/mongo src/mongo/bson/bson-inl.h (_assertInvalid, isValid), src/mongo/util/hex.cpp
 * (integerToHex), src/mongo/bson/bsonelement.cpp (toString) — docs/sources.md.
 */
import { deserialize, type Document } from 'bson';
import type { MongoAssertion } from './types';
import { f64, i32, i64 } from './bytes';

/** BSONObjMaxInternalSize: 16 MiB plus 16 KiB of room for commands */
export const BSON_MAX_INTERNAL_SIZE = 16 * 1024 * 1024 + 16 * 1024;

export class MongoAssertionError extends Error {
  readonly code: number;
  readonly assertion: MongoAssertion;
  constructor(code: number, message: string) {
    super(message);
    this.name = 'MongoAssertionError';
    this.code = code;
    this.assertion = { code, message };
  }
}

/** integerToHex: uppercase, no leading zeros, "0" for zero, the int's two's complement bits */
export function integerToHex(v: number): string {
  return v === 0 ? '0' : (v >>> 0).toString(16).toUpperCase();
}

/** a C string's bytes as text the way a terminal shows raw bytes: UTF-8, U+FFFD for what is not */
export function rawText(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    const need = c < 0x80 ? 0 : c >= 0xc2 && c < 0xe0 ? 1 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xf0 && c < 0xf5 ? 3 : -1;
    if (need < 0) {
      s += '\ufffd';
      i++;
      continue;
    }
    let cp = need === 0 ? c : c & (0x3f >> need);
    let ok = i + need < b.length;
    for (let k = 1; ok && k <= need; k++) {
      const d = b[i + k]!;
      if ((d & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (d & 0x3f);
    }
    if (!ok) {
      s += '\ufffd';
      i++;
      continue;
    }
    s += String.fromCodePoint(cp);
    i += need + 1;
  }
  return s;
}

class OutOfBytes extends Error {}

function need(b: Uint8Array, at: number, n: number): void {
  if (at < 0 || at + n > b.length) throw new OutOfBytes();
}

function cstr(b: Uint8Array, at: number): { text: Uint8Array; end: number } {
  let end = at;
  while (true) {
    need(b, end, 1);
    if (b[end] === 0) break;
    end++;
  }
  return { text: b.subarray(at, end), end: end + 1 };
}

/** StringBuilder's "%g" for doubles */
function gFormat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(x)));
  if (exp < -4 || exp >= 6) {
    const [m, e] = x.toExponential(5).split('e');
    const mant = m!.includes('.') ? m!.replace(/0+$/, '').replace(/\.$/, '') : m!;
    const n = Number(e);
    return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  const s = x.toPrecision(6);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

/** BSONElement::toString(includeFieldName, full=false); returns the text and where the element ends */
function elementToString(b: Uint8Array, at: number, withName: boolean): { text: string; end: number } {
  need(b, at, 1);
  const type = (b[at]! << 24) >> 24; // BSONType is a signed char
  if (type === 0) return { text: 'EOO', end: at + 1 };
  const name = cstr(b, at + 1);
  const prefix = withName ? `${rawText(name.text)}: ` : '';
  const v = name.end;
  const out = (text: string, end: number) => ({ text: prefix + text, end });
  switch (type) {
    case 1:
      need(b, v, 8);
      return out(gFormat(f64(b, v)), v + 8);
    case 2:
    case 13:
    case 14: {
      need(b, v, 4);
      const len = i32(b, v);
      if (len <= 0) throw new OutOfBytes();
      need(b, v + 4, len);
      const str = b.subarray(v + 4, v + 4 + len - 1);
      const shown = len - 1 > 160 ? `${rawText(str.subarray(0, 150))}..."` : `${rawText(str)}"`;
      return out(`"${shown}`, v + 4 + len);
    }
    case 3:
    case 4: {
      need(b, v, 4);
      const len = i32(b, v);
      if (len < 5) throw new OutOfBytes();
      need(b, v, len);
      const parts: string[] = [];
      let p = v + 4;
      while (p < v + len - 1) {
        const e = elementToString(b, p, type === 3);
        parts.push(e.text);
        p = e.end;
      }
      const body = parts.length === 0 ? (type === 3 ? '{}' : '[]') : type === 3 ? `{ ${parts.join(', ')} }` : `[ ${parts.join(', ')} ]`;
      return out(body, v + len);
    }
    case 5: {
      need(b, v, 5);
      const len = i32(b, v);
      if (len < 0) throw new OutOfBytes();
      need(b, v + 5, len);
      return out(`BinData(${b[v + 4]}, ${hex(b.subarray(v + 5, v + 5 + Math.min(len, 80))).toUpperCase()})`, v + 5 + len);
    }
    case 6:
      return out('undefined', v);
    case 7:
      need(b, v, 12);
      return out(`ObjectId('${hex(b.subarray(v, v + 12))}')`, v + 12);
    case 8:
      need(b, v, 1);
      return out(b[v] ? 'true' : 'false', v + 1);
    case 9:
      need(b, v, 8);
      return out(`new Date(${i64(b, v)})`, v + 8);
    case 10:
      return out('null', v);
    case 11: {
      const re = cstr(b, v);
      const opts = cstr(b, re.end);
      return out(`/${rawText(re.text)}/${rawText(opts.text)}`, opts.end);
    }
    case 16:
      need(b, v, 4);
      return out(String(i32(b, v)), v + 4);
    case 17:
      need(b, v, 8);
      return out(`Timestamp ${(i32(b, v + 4) >>> 0) * 1000}|${i32(b, v) >>> 0}`, v + 8);
    case 18:
      need(b, v, 8);
      return out(String(i64(b, v)), v + 8);
    case 127:
      return out('MaxKey', v);
    case -1:
      return out('MinKey', v);
    default:
      // toString does not need the value's size for a type it does not know
      return { text: `${prefix}?type=${type}`, end: v };
  }
}

/**
 * The 10334 assertion for the bytes at a record's data (`b` starts there and runs to what the
 * file holds), or null when the size is valid.
 */
export function invalidSize(b: Uint8Array): MongoAssertion | null {
  const os = b.length >= 4 ? i32(b, 0) : 0;
  if (os > 0 && os <= BSON_MAX_INTERNAL_SIZE) return null;
  let message =
    `BSONObj size: ${os} (0x${integerToHex(os)}) is invalid. ` +
    `Size must be between 0 and ${BSON_MAX_INTERNAL_SIZE}(${Math.floor(BSON_MAX_INTERNAL_SIZE / (1024 * 1024))}MB)`;
  try {
    message += ` First element: ${elementToString(b, 4, true).text}`;
  } catch (e) {
    if (!(e instanceof OutOfBytes)) throw e;
    // mongod swallows whatever printing the first element throws and leaves it out
  }
  return { code: 10334, message };
}

/** the document at a record's data, or the assertion mongod raises on those bytes */
export function decodeRecordData(b: Uint8Array): Document {
  const bad = invalidSize(b);
  if (bad) throw new MongoAssertionError(bad.code, bad.message);
  const size = i32(b, 0);
  const bytes = b.subarray(0, size);
  const badType = firstBadType(bytes);
  if (badType !== null) throw new MongoAssertionError(10320, `BSONElement: bad type ${badType}`);
  try {
    // 64-bit integers stay Long so the shell can print NumberLong(...); int32 and double become numbers
    return deserialize(bytes, { promoteLongs: false });
  } catch (e) {
    // mongod has no one message for a malformed element with a known type (a string length past
    // the end, say): this simulation's wording, code 0, carrying the parser's reason
    throw new MongoAssertionError(0, `invalid BSON object: ${(e as Error).message}`);
  }
}

/** BSONObj::valid (validate's full check): every element well formed and inside the object */
export function isValidObject(b: Uint8Array): boolean {
  const bad = invalidSize(b);
  if (bad) return false;
  const size = i32(b, 0);
  if (size < 5 || size > b.length || b[size - 1] !== 0) return false;
  try {
    deserialize(b.subarray(0, size), { validation: { utf8: false } });
    return true;
  } catch {
    return false;
  }
}

const KNOWN = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 127, -1]);

/** the first top-level element whose type byte mongod does not know, walking as BSONObjIterator does */
function firstBadType(b: Uint8Array): number | null {
  let p = 4;
  try {
    while (p < b.length - 1) {
      const type = (b[p]! << 24) >> 24;
      if (type === 0) return null;
      if (!KNOWN.has(type)) return type;
      p = elementToString(b, p, true).end;
    }
  } catch {
    return null; // a truncated element: left to the parser's own error
  }
  return null;
}
