/**
 * A list of JSON records as columns, and back exactly (key order and every float included). Long
 * lists of small records (auth.log's messages, wtmp's logins) repeat the same keys in every record;
 * by column, with numbers as differences from the same field of the record of the same shape
 * before, a save is a fraction of the size. Records of several shapes (a login beside a sudo) are
 * each kept with the others of their shape.
 */
import type { Json } from './types';

type Obj = { [key: string]: Json };
/** a record's shape: its keys in order, each a leaf kind ('n' number, 's' string, 'v' anything else) or a nested shape */
type Shape = Array<[string, string | Shape]>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** the same text for records of the same shape, cheaper to make than the shape itself */
function shapeKey(o: Obj): string {
  let key = '';
  for (const k in o) {
    const v = o[k];
    // each key after its length: no key's text can be taken for another shape's
    key += `${k.length}.${k}` + (isObj(v) ? `{${shapeKey(v)}}` : typeof v === 'number' ? 'n' : typeof v === 'string' ? 's' : 'v');
  }
  return key;
}

function shapeOf(o: Obj): Shape {
  return Object.entries(o).map(([k, v]) => [k, isObj(v) ? shapeOf(v) : typeof v === 'number' ? 'n' : typeof v === 'string' ? 's' : 'v']);
}

function leaves(o: Obj, out: Json[]): void {
  for (const v of Object.values(o)) {
    if (isObj(v)) leaves(v, out);
    else out.push(v);
  }
}

function build(shape: Shape, next: () => Json): Obj {
  const o: Obj = {};
  for (const [k, kind] of shape) o[k] = typeof kind === 'string' ? next() : build(kind, next);
  return o;
}

/** 2^12: whole ms and the binary fraction float arithmetic leaves on them, at today's epoch */
const SCALE = 4096;

/** numbers as exact differences in units of 1/SCALE, or of 1, or as they are */
function numbers(xs: readonly number[]): Json {
  for (const scale of [1, SCALE]) {
    const d: number[] = new Array(xs.length);
    let prev = 0;
    let ok = true;
    for (let i = 0; i < xs.length && ok; i++) {
      const s = xs[i]! * scale;
      ok = Number.isSafeInteger(s) && s / scale === xs[i] && !Object.is(xs[i], -0);
      d[i] = s - prev;
      prev = s;
    }
    if (ok) return scale === 1 ? d : { scale, d };
  }
  return { raw: xs as number[] };
}

function unnumbers(col: Json): number[] {
  if (Array.isArray(col)) return sums(col as number[], 1);
  const c = col as Obj;
  return Array.isArray(c.raw) ? (c.raw as number[]) : sums(c.d as number[], c.scale as number);
}

function sums(d: readonly number[], scale: number): number[] {
  let acc = 0;
  return d.map((x) => ((acc += x), scale === 1 ? acc : acc / scale));
}

/** strings, each distinct one once */
function strings(xs: readonly string[]): Json {
  const words: string[] = [];
  const index = new Map<string, number>();
  const at = xs.map((x) => {
    let i = index.get(x);
    if (i === undefined) {
      i = words.push(x) - 1;
      index.set(x, i);
    }
    return i;
  });
  return { words, at };
}

function unstrings(col: Obj): string[] {
  const words = col.words as string[];
  return (col.at as number[]).map((i) => words[i]!);
}

/** The records by shape and column; null when the list is not all plain objects. */
export function packRecords(list: readonly Json[]): Json | null {
  if (!list.every(isObj)) return null;
  const shapes: Shape[] = [];
  const shapeIndex = new Map<string, number>();
  const which: number[] = new Array(list.length);
  const rows: Json[][][] = [];
  list.forEach((o, i) => {
    const key = shapeKey(o as Obj);
    let s = shapeIndex.get(key);
    if (s === undefined) {
      s = shapes.push(shapeOf(o as Obj)) - 1;
      shapeIndex.set(key, s);
      rows.push([]);
    }
    which[i] = s;
    const vals: Json[] = [];
    leaves(o as Obj, vals);
    rows[s]!.push(vals);
  });
  const cols = shapes.map((shape, s) => {
    const kinds: string[] = [];
    const walk = (sh: Shape): void => sh.forEach(([, k]) => (typeof k === 'string' ? kinds.push(k) : walk(k)));
    walk(shape);
    return kinds.map((kind, c) => {
      const col = rows[s]!.map((r) => r[c]!);
      // what is neither a number nor a string is copied: the packed list shares nothing with the records
      return kind === 'n' ? numbers(col as number[]) : kind === 's' ? strings(col as string[]) : col.map((v) => (typeof v === 'object' && v !== null ? (JSON.parse(JSON.stringify(v)) as Json) : v));
    });
  });
  return { shapes: shapes as unknown as Json, which: numbers(which), cols };
}

export function unpackRecords(p: Json): Obj[] {
  const q = p as Obj;
  const shapes = q.shapes as unknown as Shape[];
  const which = unnumbers(q.which!);
  const cols = (q.cols as Json[][]).map((sc, s) => {
    const kinds: string[] = [];
    const walk = (sh: Shape): void => sh.forEach(([, k]) => (typeof k === 'string' ? kinds.push(k) : walk(k)));
    walk(shapes[s]!);
    return sc.map((col, c) => (kinds[c] === 'n' ? unnumbers(col) : kinds[c] === 's' ? unstrings(col as Obj) : (col as Json[])));
  });
  const row = shapes.map(() => 0);
  return which.map((s) => {
    const r = row[s]!++;
    let c = 0;
    return build(shapes[s]!, () => cols[s]![c++]![r]!);
  });
}
