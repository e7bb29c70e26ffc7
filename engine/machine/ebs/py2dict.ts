/**
 * The order in which Python 2.7 iterates a dict of string keys. aws-cli 1.7 ran on the box's
 * Python 2.7.6, and botocore 0.107 parses a response into plain dicts, so `--output json` prints
 * the keys in CPython 2.7's table order: the string hash (Objects/stringobject.c, no -R
 * randomization), open addressing with perturbation (Objects/dictobject.c: lookdict_string,
 * PERTURB_SHIFT 5), a table of 8 slots grown to the next power of two above 4 × used once it is
 * two thirds full. Insertion order only matters where keys collide, so callers insert the keys
 * in the order botocore does (the model's member order, ResponseMetadata last).
 */

const MASK64 = (1n << 64n) - 1n;

/** CPython 2.7's string_hash on a 64-bit build, as an unsigned 64-bit value */
export function py2StringHash(s: string): bigint {
  if (s.length === 0) return 0n;
  let x = (BigInt(s.charCodeAt(0)) << 7n) & MASK64;
  for (let i = 0; i < s.length; i++) x = ((1000003n * x) & MASK64) ^ BigInt(s.charCodeAt(i));
  x ^= BigInt(s.length);
  // -1 is reserved for errors in C: a hash of -1 becomes -2
  if (x === MASK64) x = MASK64 - 1n;
  return x;
}

function slotFor(table: Array<string | null>, key: string, hash: bigint): number {
  const mask = BigInt(table.length - 1);
  let i = hash & mask;
  const at = (j: bigint): number => Number(j & mask);
  if (table[at(i)] === null || table[at(i)] === key) return at(i);
  let perturb = hash;
  for (;;) {
    i = ((i << 2n) + i + perturb + 1n) & MASK64;
    const j = at(i);
    if (table[j] === null || table[j] === key) return j;
    perturb >>= 5n;
  }
}

/** the keys, inserted in this order into a fresh dict, in the order Python 2.7 iterates them */
export function py2DictOrder(keys: readonly string[]): string[] {
  let table: Array<string | null> = new Array<string | null>(8).fill(null);
  let used = 0;
  for (const k of keys) {
    const j = slotFor(table, k, py2StringHash(k));
    if (table[j] === k) continue;
    table[j] = k;
    used++;
    if (used * 3 >= table.length * 2) {
      let size = 8;
      while (size <= 4 * used) size <<= 1;
      const old = table;
      table = new Array<string | null>(size).fill(null);
      for (const e of old) if (e !== null) table[slotFor(table, e, py2StringHash(e))] = e;
    }
  }
  return table.filter((e): e is string => e !== null);
}

/**
 * A parsed response object with its keys in Python 2.7's order. `transient` keys (botocore's
 * ResponseMetadata, which the CLI's formatter deletes before printing) take part in the table's
 * growth but are not in the result.
 */
export function pyDict<V>(entries: ReadonlyArray<readonly [string, V]>, transient: readonly string[] = []): Record<string, V> {
  const values = new Map(entries);
  const out: Record<string, V> = {};
  for (const k of py2DictOrder([...entries.map(([k]) => k), ...transient])) if (values.has(k)) out[k] = values.get(k)!;
  return out;
}
