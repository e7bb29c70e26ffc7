/**
 * tojson as the 2.6 shell's utils.js and types.js write it: tab-indented objects that collapse to
 * one line when the whole text is under 80 characters at the top level, `[ ]` for an empty
 * array, keys quoted but never escaped, and the BSON types printed as the constructors that make
 * them (ObjectId("..."), ISODate("...Z"), NumberLong(...), Timestamp(t, i)).
 */
import { dateString, HostObj, JsObj, NumberIntV, NumberLongV, numberLongText, numberString, ObjectIdV, TimestampV, FnV, type JsVal } from './values';

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** types.js Date.prototype.tojson with Date.printAsUTC = true: milliseconds only when there are some */
export function isoDate(d: Date): string {
  if (Number.isNaN(d.getTime())) return 'ISODate("NaN-NaN-NaNTNaN:NaN:NaNZ")';
  let sec = pad(d.getUTCSeconds(), 2);
  if (d.getUTCMilliseconds()) sec += '.' + pad(d.getUTCMilliseconds(), 3);
  return `ISODate("${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${sec}Z")`;
}

/** the string case of utils.js tojson: quotes, backslashes and control characters escaped */
export function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    switch (ch) {
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\f':
        out += '\\f';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      default: {
        const code = ch.charCodeAt(0);
        out += code < 0x20 ? (code < 0x10 ? '\\u000' : '\\u00') + code.toString(16) : ch;
      }
    }
  }
  return out + '"';
}

export function tojson(x: JsVal, indent?: string, nolint?: boolean): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (!indent) indent = '';
  if (typeof x === 'string') return quote(x);
  if (typeof x === 'number') return numberString(x);
  if (typeof x === 'boolean') return String(x);
  if (x instanceof FnV) return `function ${x.name}() { [native code] }`;
  let s = tojsonObject(x, indent, nolint);
  // utils.js: a short top-level object is printed on one line, every run of whitespace made one space
  if ((nolint === undefined || nolint === true) && s.length < 80 && indent.length === 0) s = s.replace(/[\s\r\n ]+/gm, ' ');
  return s;
}

export function tojsononeline(x: JsVal): string {
  return tojson(x, ' ', true);
}

function tojsonObject(x: Exclude<JsVal, null | undefined | string | number | boolean | FnV>, indent: string, nolint?: boolean): string {
  if (Array.isArray(x)) return arrayTojson(x, indent, nolint);
  if (x instanceof ObjectIdV) return `ObjectId("${x.hex}")`;
  if (x instanceof Date) return isoDate(x);
  if (x instanceof NumberLongV) return numberLongText(x);
  if (x instanceof NumberIntV) return `NumberInt(${x.v})`;
  if (x instanceof TimestampV) return `Timestamp(${x.t}, ${x.i})`;
  if (x instanceof HostObj) {
    if (x.tojson) return x.tojson(indent, nolint);
    const o = new JsObj();
    for (const k of x.keys?.() ?? []) o.set(k, x.get(k));
    return plainObject(o, indent, nolint);
  }
  return plainObject(x, indent, nolint);
}

function plainObject(x: JsObj, indent: string, nolint?: boolean): string {
  const lineEnding = nolint ? ' ' : '\n';
  const tabSpace = nolint ? '' : '\t';
  let s = '{' + lineEnding;
  indent += tabSpace;
  const total = x.m.size;
  if (total === 0) s += indent + lineEnding;
  let num = 1;
  for (const [k, val] of x.m) {
    s += indent + '"' + k + '" : ' + tojson(val, indent, nolint);
    if (num !== total) {
      s += ',';
      num++;
    }
    s += lineEnding;
  }
  indent = indent.substring(1);
  return s + indent + '}';
}

/** types.js Array.tojson */
function arrayTojson(a: JsVal[], indent: string, nolint?: boolean): string {
  const lineEnding = nolint ? ' ' : '\n';
  if (nolint) indent = '';
  if (a.length === 0) return '[ ]';
  let s = '[' + lineEnding;
  indent += '\t';
  for (let i = 0; i < a.length; i++) {
    s += indent + tojson(a[i], indent, nolint);
    if (i < a.length - 1) s += ',' + lineEnding;
  }
  indent = indent.substring(1);
  s += lineEnding + indent + ']';
  return s;
}

/** what the interactive shell prints for a statement's value (utils.js shellPrintHelper); [] for nothing */
export function shellPrintLines(x: JsVal): string[] {
  if (x === undefined) return [];
  if (x === null) return ['null'];
  if (x instanceof HostObj && x.shellPrint) return x.shellPrint();
  if (typeof x !== 'object' || x instanceof FnV) return [x instanceof FnV ? tojson(x) : String(x)];
  return [tojson(x)];
}

export { dateString };
