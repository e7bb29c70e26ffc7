/** The metadata record's bytes: UTF-8 as Buffer writes it, ASCII or not, and read back as written. */
import { emptyStore } from '../../../../engine/kernel/block';
import { readImage, utf8, writeImage } from '../../../../engine/kernel/block/meta';
import type { FsImage } from '../../../../engine/kernel/block/types';

describe('utf8', () => {
  it.each(['', 'plain {"ino":2}', 'café', 'naïve ✓', 'db/𝄞.0', 'mixed \u007f\u0080 edge'])('encodes %j as Buffer does', (s) => {
    expect(Buffer.from(utf8(s)).equals(Buffer.from(s, 'utf8'))).toBe(true);
  });
});

describe('writeImage and readImage', () => {
  function image(name: string): FsImage {
    return {
      label: 'mongo-data', uuid: '0b4f3c2a-1d2e-4f60-8a7b-9c0d1e2f3a4b', blockCount: 4096, metaBlocks: 64, inodeCount: 1024, nextIno: 13, createdAt: 0,
      inodes: {
        '2': { ino: 2, kind: 'd', perm: 0o755, uid: 0, gid: 0, size: 4096, mtime: 0, ctime: 0, extents: [], entries: { [name]: 12 }, nlink: 3 },
        '12': { ino: 12, kind: 'f', perm: 0o644, uid: 0, gid: 0, size: 8192, mtime: 5, ctime: 5, extents: [[64, 2]], nlink: 1 },
      },
    };
  }

  it.each(['events.0', 'événements.0'])('gives back the image with a file named %j', (name) => {
    const store = emptyStore(4096 * 4096);
    writeImage(store, image(name));
    expect(readImage(store)).toEqual(image(name));
  });
});
