/**
 * A metadata commit writes the record and clears only what the previous record took beyond it:
 * the blocks past the record stay zeros (absent) without touching the whole inode table.
 */
import { emptyStore } from '../../../../engine/kernel/block';
import { mkfs } from '../../../../engine/kernel/block/fs';
import { readImage, writeImage } from '../../../../engine/kernel/block/meta';
import { BLOCK_BYTES, type FsImage } from '../../../../engine/kernel/block/types';

const metaKeys = (s: { blocks: Record<string, string> }, img: FsImage) => Object.keys(s.blocks).map(Number).filter((n) => n > 0 && n < img.metaBlocks).sort((a, b) => a - b);

test('a record that shrinks leaves no stale blocks behind it; one that grows takes the blocks it needs', () => {
  const store = emptyStore(1 << 30);
  mkfs(store, 'data', 0);
  const img = readImage(store)!;
  expect(metaKeys(store, img)).toEqual([1]);
  const big: FsImage = { ...img, inodes: { ...img.inodes } };
  for (let i = 100; i < 400; i++) big.inodes[String(i)] = { ...img.inodes['2']!, ino: i, entries: { ['file-with-a-long-name-' + i]: i } };
  writeImage(store, big);
  const grown = metaKeys(store, big);
  expect(grown.length).toBeGreaterThan(3);
  expect(grown).toEqual(Array.from({ length: grown.length }, (_, i) => i + 1));
  writeImage(store, img);
  expect(metaKeys(store, img)).toEqual([1]);
  expect(readImage(store)).toEqual(img);
});

test('over blocks that are not a record of ours, the whole table is cleared', () => {
  const store = emptyStore(1 << 30);
  mkfs(store, 'data', 0);
  const img = readImage(store)!;
  const junk = new Uint8Array(BLOCK_BYTES).fill(7);
  const fresh = emptyStore(1 << 30);
  for (const n of [0, 5, img.metaBlocks - 1]) fresh.blocks[String(n)] = Buffer.from(junk).toString('base64');
  writeImage(fresh, img);
  expect(metaKeys(fresh, img)).toEqual([1]);
  expect(readImage(fresh)).toEqual(img);
});
