/**
 * Reading only plain files, and never more than the limit: a FIFO does not block, a device is not
 * read, a file whose size the file system misstates is cut off at the limit.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readFileLimited, readHead } from '../../../src/saves/readLimited';
import { describeFsError } from '../../../src/saves/fsErrors';
import { cleanupTempDirs, tempDir } from './helpers';

afterAll(cleanupTempDirs);

/** The reason a read was refused, in the words a player sees. */
async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return describeFsError(e);
  }
  throw new Error('the read was not refused');
}

const timed = async <T>(p: Promise<T>, ms = 3000): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still reading after ${ms} ms`)), ms).unref())]);

describe('readFileLimited', () => {
  it('reads a plain file; a missing one is null', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'a'), 'hello');
    expect((await readFileLimited(path.join(dir, 'a'), 100))?.toString()).toBe('hello');
    expect(await readFileLimited(path.join(dir, 'nope'), 100)).toBeNull();
  });

  it('refuses a FIFO at once instead of waiting for a writer forever', async () => {
    const dir = tempDir();
    const fifo = path.join(dir, 'slot.json');
    execFileSync('mkfifo', [fifo]);
    expect(await timed(refusal(readFileLimited(fifo, 1024)))).toBe('it is a named pipe (FIFO), not a plain file');
    expect(await timed(refusal(readHead(fifo, 64)))).toBe('it is a named pipe (FIFO), not a plain file');
  });

  it('refuses a device, even one that says its size is 0 (/dev/zero would fill memory)', async () => {
    expect(await timed(refusal(readFileLimited('/dev/zero', 64 * 1024 * 1024, { followLinks: true })))).toBe('it is a device, not a plain file');
    expect(await timed(refusal(readFileLimited('/dev/null', 1024, { followLinks: true })))).toBe('it is a device, not a plain file');
  });

  it('refuses a folder', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'd.json'));
    expect(await refusal(readFileLimited(path.join(dir, 'd.json'), 1024))).toBe('it is a folder, not a plain file');
  });

  it('refuses a symbolic link unless told to follow it, and then only to a plain file', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'real.json'), '{}');
    symlinkSync(path.join(dir, 'real.json'), path.join(dir, 'link.json'));
    symlinkSync('/dev/zero', path.join(dir, 'zero.json'));
    symlinkSync(path.join(dir, 'gone'), path.join(dir, 'dangling.json'));
    expect(await refusal(readFileLimited(path.join(dir, 'link.json'), 1024))).toBe('it is a symbolic link, not a plain file');
    expect(await refusal(readFileLimited(path.join(dir, 'dangling.json'), 1024))).toBe('it is a symbolic link, not a plain file');
    expect((await readFileLimited(path.join(dir, 'link.json'), 1024, { followLinks: true }))?.toString()).toBe('{}');
    expect(await timed(refusal(readFileLimited(path.join(dir, 'zero.json'), 1024, { followLinks: true })))).toBe('it is a device, not a plain file');
  });

  it('refuses a file over the limit by its size', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'big'), Buffer.alloc(2048));
    expect(await refusal(readFileLimited(path.join(dir, 'big'), 1024))).toBe('it is 2 KiB, larger than any save (the game reads at most 1 KiB)');
    expect((await readFileLimited(path.join(dir, 'big'), 2048))?.length).toBe(2048);
  });

  it('stops at the limit whatever fstat said: a plain file that claims 0 bytes but holds more', async () => {
    // /proc files are plain files whose stat size is 0
    const proc = '/proc/self/maps';
    if (!existsSync(proc)) return;
    expect(await refusal(readFileLimited(proc, 16, { followLinks: true }))).toBe('it is more than 16 bytes, larger than any save (the game reads at most 16 bytes)');
  });
});
