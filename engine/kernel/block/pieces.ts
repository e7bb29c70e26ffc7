import { BLOCK_BYTES } from './types';

/**
 * Walks the byte range [offset, end) one block-sized piece at a time: `index` is the block (or
 * page) the piece lies in, `within` where in it the piece starts, `at` how far into the range it
 * is, `take` its length. Every read and write that crosses page boundaries is this loop.
 */
export function forEachPiece(offset: number, end: number, fn: (index: number, within: number, at: number, take: number) => void, size = BLOCK_BYTES): void {
  for (let pos = offset; pos < end; ) {
    const index = Math.floor(pos / size);
    const within = pos - index * size;
    const take = Math.min(size - within, end - pos);
    fn(index, within, pos - offset, take);
    pos += take;
  }
}
