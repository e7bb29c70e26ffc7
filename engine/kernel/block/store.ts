/** Reading and writing whole blocks of a BlockStore (what the device holds, never the page cache). */
import { allZero, fromBase64, toBase64 } from './bytes';
import { forEachPiece } from './pieces';
import { BLOCK_BYTES, type BlockStore } from './types';

/** one block as the device holds it: zeros when it was never written */
export function readBlock(store: BlockStore, n: number): Uint8Array {
  const b = store.blocks[String(n)];
  return b === undefined ? new Uint8Array(BLOCK_BYTES) : fromBase64(b);
}

/** the block's base64 as stored, or undefined for zeros */
export function blockData(store: BlockStore, n: number): string | undefined {
  return store.blocks[String(n)];
}

/** writes one whole block; zeros are not kept */
export function writeBlock(store: BlockStore, n: number, bytes: Uint8Array): void {
  writeBlockData(store, n, allZero(bytes) ? undefined : toBase64(bytes));
}

/** writes one block given as base64 (undefined: zeros) */
export function writeBlockData(store: BlockStore, n: number, data: string | undefined): void {
  if (n < 0 || (n + 1) * BLOCK_BYTES > store.sizeBytes) throw new RangeError(`block ${n} is past the end of the device`);
  if (data === undefined || data === ZERO_BLOCK_B64) delete store.blocks[String(n)];
  else store.blocks[String(n)] = data;
}

/** bytes [offset, offset+len) of the store */
export function readStore(store: BlockStore, offset: number, len: number): Uint8Array {
  const end = Math.min(offset + len, store.sizeBytes);
  const out = new Uint8Array(Math.max(0, end - offset));
  forEachPiece(offset, end, (n, within, at, take) => {
    const b = store.blocks[String(n)];
    if (b !== undefined) out.set(fromBase64(b).subarray(within, within + take), at);
  });
  return out;
}

export const ZERO_BLOCK_B64 = toBase64(new Uint8Array(BLOCK_BYTES));

/** an empty store of sizeBytes (rounded down to whole blocks) */
export function emptyStore(sizeBytes: number): BlockStore {
  return { sizeBytes: Math.floor(sizeBytes / BLOCK_BYTES) * BLOCK_BYTES, blocks: {} };
}
