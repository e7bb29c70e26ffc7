/**
 * The durable writer on its own: every byte is written however short each write is, a full disk
 * fails loudly and leaves the target as it was, no temporary file is left behind, and no message
 * names one.
 */
// the module object itself (not an import namespace), so a test can replace fs.write on it
import fs = require('node:fs');
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { isTempFileOf, realFs, writeFileDurable, type DurableFs } from '../../../src/saves/durable';
import { cleanupTempDirs, mockDisk, tempDir } from './helpers';

afterAll(cleanupTempDirs);
afterEach(() => jest.restoreAllMocks());

const enospc = (): NodeJS.ErrnoException => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });

/** The real calls, with write() replaced. */
function withWrite(write: DurableFs['write']): DurableFs & { calls: string[] } {
  const calls: string[] = [];
  const log =
    <A extends unknown[], R>(name: string, f: (...a: A) => Promise<R>) =>
    (...a: A): Promise<R> => {
      calls.push(name);
      return f(...a);
    };
  return {
    calls,
    open: log('open', realFs.open),
    write: log('write', write),
    fsync: log('fsync', realFs.fsync),
    close: log('close', realFs.close),
    rename: log('rename', realFs.rename),
    unlink: log('unlink', realFs.unlink),
    fsyncDir: log('fsyncDir', realFs.fsyncDir),
  };
}

const payload = (n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => 'abcdefghijklmnopqrstuvwxyz0123456789\n'[i % 37]!).join(''));

describe('writeFileDurable', () => {
  it('writes the file, and its folder holds nothing else afterwards', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.json');
    await writeFileDurable(file, 'one\n');
    await writeFileDurable(file, 'two\n');
    expect(readFileSync(file, 'utf8')).toBe('two\n');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('new files get the mode asked for (less the umask)', async () => {
    const dir = tempDir();
    await writeFileDurable(path.join(dir, 'private.json'), 'x', { mode: 0o600 });
    expect(statSync(path.join(dir, 'private.json')).mode & 0o777).toBe(0o600);
  });

  it('keeps writing after a short write until every byte is on disk', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'big.json');
    const data = payload(3 * 1024 * 1024 + 17);
    // a disk that takes at most 100 000 bytes per write() call
    const io = withWrite((fd, buf, off, len, pos) => realFs.write(fd, buf, off, Math.min(len, 100_000), pos));
    await writeFileDurable(file, data, { fs: io });
    expect(readFileSync(file).equals(data)).toBe(true);
    expect(io.calls.filter((c) => c === 'write').length).toBeGreaterThan(30);
    expect(io.calls.slice(-4)).toEqual(['fsync', 'close', 'rename', 'fsyncDir']);
    expect(readdirSync(dir)).toEqual(['big.json']);
  });

  it('short writes from the real fs module (how write-file-atomic 7 lost data) are continued too', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'full.json');
    const data = payload(2 * 1024 * 1024);
    // the kernel writes only half of what each call asks
    mockDisk(fs, { perCall: (length) => Math.max(1, Math.floor(length / 2)) });
    await writeFileDurable(file, data);
    jest.restoreAllMocks();
    expect(readFileSync(file).length).toBe(data.length);
    expect(readFileSync(file).equals(data)).toBe(true);
  });

  it('a full disk through the real fs module fails loudly and leaves the old file (write-file-atomic 7 renamed a cut-off file over it)', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'save.json');
    writeFileSync(file, 'the old save\n');
    mockDisk(fs, { room: 1024 * 1024 });
    await expect(writeFileDurable(file, payload(3 * 1024 * 1024), { display: 'save.json' })).rejects.toThrow('could not write save.json: the disk is full');
    jest.restoreAllMocks();
    expect(readFileSync(file, 'utf8')).toBe('the old save\n');
    expect(readdirSync(dir)).toEqual(['save.json']);
  });

  it('a full disk fails loudly, in words, and leaves the old file and no temp file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'save.json');
    writeFileSync(file, 'the old save\n');
    let taken = 0;
    // the disk has room for 1 MiB more
    const io = withWrite(async (fd, buf, off, len, pos) => {
      if (taken >= 1024 * 1024) throw enospc();
      const n = Math.min(len, 1024 * 1024 - taken, 65536);
      taken += n;
      return realFs.write(fd, buf, off, n, pos);
    });
    const err = await writeFileDurable(file, payload(3 * 1024 * 1024), { fs: io, display: 'saves/save.json' }).then(
      () => null,
      (e: Error) => e,
    );
    expect(err).not.toBeNull();
    expect(err!.message).toBe('could not write saves/save.json: the disk is full');
    expect(err!.message).not.toMatch(/ENOSPC|\.json\.\d/);
    expect(readFileSync(file, 'utf8')).toBe('the old save\n');
    expect(readdirSync(dir)).toEqual(['save.json']);
    expect(io.calls).not.toContain('rename');
  });

  it('a write that takes nothing (0 bytes, no error) is a failure, not a loop', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'x.json');
    const io = withWrite(async () => 0);
    await expect(writeFileDurable(file, 'hello', { fs: io, display: 'x.json' })).rejects.toThrow(
      'could not write x.json: the disk stopped taking data after 0 of 5 bytes (is it full?)',
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a failed fsync or rename removes the temp file and leaves the target', async () => {
    for (const step of ['fsync', 'rename', 'close'] as const) {
      const dir = tempDir();
      const file = path.join(dir, 't.json');
      writeFileSync(file, 'before');
      const io: DurableFs = { ...realFs, [step]: async () => Promise.reject(Object.assign(new Error(`EIO: i/o error, ${step}`), { code: 'EIO' })) };
      if (step === 'close') {
        // close for real (so the descriptor does not leak), then report the failure
        io.close = async (fd) => {
          await realFs.close(fd);
          throw Object.assign(new Error('EIO: i/o error, close'), { code: 'EIO' });
        };
      }
      await expect(writeFileDurable(file, 'after', { fs: io, display: 't.json' })).rejects.toThrow('could not write t.json: the disk reported an input/output error');
      expect(readFileSync(file, 'utf8')).toBe('before');
      expect(readdirSync(dir)).toEqual(['t.json']);
    }
  });

  it('a folder that cannot be flushed after the rename is reported, not ignored', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'd.json');
    const io: DurableFs = { ...realFs, fsyncDir: async () => Promise.reject(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' })) };
    await expect(writeFileDurable(file, 'data', { fs: io, display: 'd.json' })).rejects.toThrow(/could not write d\.json: it was written, but the folder could not be flushed/);
  });

  it('never opens over an existing file: the temp file is created new (O_EXCL), another name is tried', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'e.json');
    const flags: string[] = [];
    let first = true;
    const io: DurableFs = {
      ...realFs,
      open: async (p, f, mode) => {
        flags.push(f);
        if (first) {
          first = false;
          throw Object.assign(new Error('EEXIST'), { code: 'EEXIST' });
        }
        return realFs.open(p, f, mode);
      },
    };
    await writeFileDurable(file, 'ok', { fs: io });
    expect(flags).toEqual(['wx', 'wx']);
    expect(readFileSync(file, 'utf8')).toBe('ok');
  });

  it('a missing folder or no permission is said in words', async () => {
    const dir = tempDir();
    await expect(writeFileDurable(path.join(dir, 'nope', 'f.json'), 'x', { display: 'nope/f.json' })).rejects.toThrow(
      'could not write nope/f.json: the file or its folder does not exist',
    );
  });

  it('temp files are <file>.<digits>, which the store sweeps', async () => {
    const dir = tempDir();
    const file = path.join(dir, 's.json');
    const seen: string[] = [];
    const io: DurableFs = { ...realFs, open: async (p, f, m) => (seen.push(p), realFs.open(p, f, m)) };
    await writeFileDurable(file, 'x', { fs: io });
    expect(seen).toHaveLength(1);
    expect(isTempFileOf(path.basename(seen[0]!), 's.json')).toBe(true);
  });
});
