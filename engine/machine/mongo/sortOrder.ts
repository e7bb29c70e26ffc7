/**
 * The order a sort puts values in: BSON's canonical type order first (null before numbers before
 * strings before objects, arrays, ObjectIds, booleans, dates, timestamps), then the values within
 * a type. An array sorts by its least element ascending and its greatest descending, as a
 * multikey sort does.
 */
import { JsObj, NumberIntV, NumberLongV, ObjectIdV, TimestampV, type JsVal } from './values';
import { tojson } from './tojson';

function rank(v: JsVal): number {
  if (v === undefined || v === null) return 1;
  if (typeof v === 'number' || v instanceof NumberIntV || v instanceof NumberLongV) return 2;
  if (typeof v === 'string') return 3;
  if (v instanceof JsObj) return 4;
  if (Array.isArray(v)) return 5;
  if (v instanceof ObjectIdV) return 7;
  if (typeof v === 'boolean') return 8;
  if (v instanceof Date) return 9;
  if (v instanceof TimestampV) return 10;
  return 11;
}

function num(v: JsVal): number {
  if (typeof v === 'number') return v;
  if (v instanceof NumberIntV) return v.v;
  if (v instanceof NumberLongV) return v.toNumber();
  return NaN;
}

export function compareValues(a: JsVal, b: JsVal): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 2:
      return Math.sign(num(a) - num(b)) || 0;
    case 3:
    case 7: {
      const x = a instanceof ObjectIdV ? a.hex : (a as string);
      const y = b instanceof ObjectIdV ? b.hex : (b as string);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 8:
      return Number(a) - Number(b);
    case 9:
      return Math.sign((a as Date).getTime() - (b as Date).getTime());
    case 10:
      return (a as TimestampV).t - (b as TimestampV).t || (a as TimestampV).i - (b as TimestampV).i;
    default: {
      const x = tojson(a);
      const y = tojson(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
  }
}

/** the value a document sorts by on `field` (dotted paths reach into subdocuments) for the direction */
function sortKey(doc: JsObj, field: string, dir: number): JsVal {
  let v: JsVal = doc;
  for (const part of field.split('.')) v = v instanceof JsObj ? v.get(part) : undefined;
  if (Array.isArray(v) && v.length > 0) return [...v].sort(compareValues)[dir < 0 ? v.length - 1 : 0];
  return v;
}

/** a stable sort of the documents by the spec's fields in order, each ascending (1) or descending (-1) */
export function sortDocs(docs: JsObj[], spec: ReadonlyArray<readonly [string, number]>): JsObj[] {
  return docs
    .map((d, i) => ({ d, i }))
    .sort((x, y) => {
      for (const [field, dir] of spec) {
        const c = compareValues(sortKey(x.d, field, dir), sortKey(y.d, field, dir));
        if (c !== 0) return dir < 0 ? -c : c;
      }
      return x.i - y.i;
    })
    .map((x) => x.d);
}

/**
 * A find's projection (top-level fields): {f: 1, ...} keeps those fields and _id unless `_id: 0`;
 * {f: 0, ...} drops them. Null when it mixes the two (2.6 refuses the query).
 */
export function projector(spec: JsObj): ((doc: JsObj) => JsObj) | null {
  const entries = [...spec.m].map(([k, v]) => [k, v !== 0 && v !== false && !(v instanceof NumberIntV && v.v === 0)] as const);
  const others = entries.filter(([k]) => k !== '_id');
  const including = others.some(([, on]) => on);
  if (including && others.some(([, on]) => !on)) return null;
  const idOff = entries.some(([k, on]) => k === '_id' && !on);
  if (others.length === 0 || !including) {
    const drop = new Set(entries.filter(([, on]) => !on).map(([k]) => k));
    return (doc) => JsObj.of([...doc.m].filter(([k]) => !drop.has(k)));
  }
  const keep = new Set(others.map(([k]) => k));
  if (!idOff) keep.add('_id');
  return (doc) => JsObj.of([...doc.m].filter(([k]) => keep.has(k)));
}
