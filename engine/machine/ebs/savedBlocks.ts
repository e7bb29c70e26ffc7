/**
 * The cloud's block contents as a save holds them. Live, every volume and every snapshot keeps its
 * blocks as base64 by block number, so a restored volume and the snapshot it came from hold the
 * same blocks twice, and a block of a mongod data file is mostly zeros (preallocated extents, the
 * journal's padding) spelled out as 'AAAA'. A save keeps each distinct block once, in a table,
 * with only its runs of non-zero bytes; every store keeps the table's index of each block.
 *
 * A table entry is `offset:base64` segments joined by ',' (offset in base 36, the bytes from it
 * up to the next run of zeros long enough to be worth leaving out), or '~' and the live string
 * itself for a string that is not the canonical base64 of a block (never seen; kept exactly).
 */
import { fromBase64, toBase64 } from '../../kernel/block/bytes';
import { BLOCK_BYTES } from '../../kernel/block/types';
import type { Json } from '../../types';

type Obj = { [key: string]: Json };

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** where the table goes in the saved cloud; its presence says the blocks are by reference */
export const BLOCK_TABLE = 'blockTable';
/** a snapshot's '' (a block its parent has and the volume no longer does) by reference */
const GONE = -1;
/** zeros shorter than this stay inside a segment: a new segment costs about as much as they do */
const MIN_ZERO_RUN = 8;

/**
 * Entries made for the blocks saved lately, by the live block: a game is saved after every line,
 * and between two saves only the blocks written since are new.
 */
const ENCODED_MAX = 2048;
const encoded = new Map<string, string>();

function encodeBlock(data: string): string {
  let entry = encoded.get(data);
  if (entry === undefined) {
    entry = encodeFresh(data);
    if (encoded.size >= ENCODED_MAX) encoded.delete(encoded.keys().next().value as string);
    encoded.set(data, entry);
  }
  return entry;
}

function encodeFresh(data: string): string {
  const b = fromBase64(data);
  if (b.length !== BLOCK_BYTES || toBase64(b) !== data) return '~' + data;
  const segs: string[] = [];
  let i = 0;
  while (i < b.length) {
    while (i < b.length && b[i] === 0) i++;
    if (i >= b.length) break;
    const start = i;
    let end = i;
    // the segment runs to the first run of zeros long enough to leave out
    for (let j = i; j < b.length; ) {
      if (b[j] !== 0) {
        end = ++j;
        continue;
      }
      let k = j;
      while (k < b.length && b[k] === 0) k++;
      if (k - j >= MIN_ZERO_RUN || k === b.length) break;
      j = k;
    }
    segs.push(`${start.toString(36)}:${toBase64(b.subarray(start, end))}`);
    i = end;
  }
  return segs.join(',');
}

function decodeBlock(entry: string): string {
  if (entry.startsWith('~')) return entry.slice(1);
  const b = new Uint8Array(BLOCK_BYTES);
  if (entry !== '')
    for (const seg of entry.split(',')) {
      const colon = seg.indexOf(':');
      const at = parseInt(seg.slice(0, colon), 36);
      const bytes = fromBase64(seg.slice(colon + 1));
      if (!(at >= 0) || at + bytes.length > BLOCK_BYTES) throw new RangeError(`a saved block's segment runs past the block (at ${at})`);
      b.set(bytes, at);
    }
  return toBase64(b);
}

/**
 * The cloud as saved: a copy sharing nothing with `cloud`, every volume's and snapshot's blocks
 * replaced by indexes into one table of distinct blocks. A cloud without volumes is copied as it is.
 */
export function packCloudBlocks(cloud: Json): Json {
  if (!isObj(cloud) || BLOCK_TABLE in cloud) return copy(cloud);
  const table: string[] = [];
  const index = new Map<string, number>();
  const ref = (data: string): number => {
    if (data === '') return GONE;
    let n = index.get(data);
    if (n === undefined) {
      n = table.length;
      index.set(data, n);
      table.push(encodeBlock(data));
    }
    return n;
  };
  const out = copy(withBlocks(cloud, (blocks) => {
    const refs: Obj = {};
    for (const [n, data] of Object.entries(blocks)) refs[n] = typeof data === 'string' ? ref(data) : data;
    return refs;
  })) as Obj;
  out[BLOCK_TABLE] = table;
  return out;
}

/** The live cloud from packCloudBlocks' form (a cloud saved before, with blocks in place, is copied as it is). */
export function unpackCloudBlocks(saved: Json): Json {
  if (!isObj(saved) || !Array.isArray(saved[BLOCK_TABLE])) return copy(saved);
  const table = saved[BLOCK_TABLE] as Json[];
  const decoded: Array<string | undefined> = [];
  const data = (n: Json): string => {
    if (n === GONE) return '';
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n >= table.length || typeof table[n] !== 'string') {
      throw new RangeError(`a saved block refers to ${JSON.stringify(n)}, not to one of the ${table.length} blocks saved`);
    }
    return (decoded[n] ??= decodeBlock(table[n] as string));
  };
  const { [BLOCK_TABLE]: _table, ...rest } = saved;
  // the small refs copied with the rest, then put in place of themselves (the blocks' strings need no copy)
  return withBlocks(copy(rest) as Obj, (refs) => {
    const blocks: Obj = {};
    for (const [n, r] of Object.entries(refs)) blocks[n] = data(r);
    return blocks;
  });
}

const copy = (v: Json): Json => JSON.parse(JSON.stringify(v)) as Json;

/** the cloud with every volume's and snapshot's blocks replaced by what `f` makes of them, keys in their places */
function withBlocks(cloud: Obj, f: (blocks: Obj) => Obj): Obj {
  const each = (list: Json | undefined, g: (x: Obj) => Obj): Json | undefined => (Array.isArray(list) ? list.map((x) => (isObj(x) ? g(x) : x)) : list);
  const out: Obj = { ...cloud };
  const volumes = each(cloud.volumes, (v) => (isObj(v.store) && isObj(v.store.blocks) ? { ...v, store: { ...v.store, blocks: f(v.store.blocks) } } : v));
  const snapshots = each(cloud.snapshots, (s) => (isObj(s.blocks) ? { ...s, blocks: f(s.blocks) } : s));
  if (volumes !== undefined) out.volumes = volumes;
  if (snapshots !== undefined) out.snapshots = snapshots;
  return out;
}
