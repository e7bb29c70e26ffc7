/**
 * Reading a JSON Lines file that another process appends to: each poll reads what was added since
 * the last one and hands back the complete lines; a line still being written waits for its end.
 * Only a plain file is read (opened without blocking, then checked with fstat), never a FIFO, a
 * device or a folder.
 */
import * as fs from 'node:fs';
import { kindOf, PlainFileError } from '../saves/fsErrors';

/** what one poll may read: a run's records arrive a line at a time, never megabytes at once */
const MAX_READ = 16 * 1024 * 1024;

export class LineFollower {
  private offset = 0;
  private partial: Buffer = Buffer.alloc(0);

  constructor(readonly file: string) {}

  /** the lines completed since the last poll; throws PlainFileError when the file is not a plain file, or is gone */
  poll(): string[] {
    let fd: number;
    try {
      fd = fs.openSync(this.file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new PlainFileError('it is gone', 'ENOENT');
      throw e;
    }
    try {
      const st = fs.fstatSync(fd);
      if (!st.isFile()) throw new PlainFileError(`it is ${kindOf(st)}, not a plain file`, 'ENOTFILE');
      // a file only ever appended to never shrinks: a shorter one was replaced, and is read again from its start
      if (st.size < this.offset) {
        this.offset = 0;
        this.partial = Buffer.alloc(0);
      }
      const want = Math.min(MAX_READ, st.size - this.offset);
      if (want <= 0) return [];
      const buf = Buffer.allocUnsafe(want);
      let got = 0;
      while (got < want) {
        const n = fs.readSync(fd, buf, got, want - got, this.offset + got);
        if (n === 0) break;
        got += n;
      }
      this.offset += got;
      const data = Buffer.concat([this.partial, buf.subarray(0, got)]);
      const end = data.lastIndexOf(0x0a);
      if (end < 0) {
        this.partial = data;
        return [];
      }
      this.partial = Buffer.from(data.subarray(end + 1));
      return data.subarray(0, end).toString('utf8').split('\n');
    } finally {
      fs.closeSync(fd);
    }
  }

  /** bytes of a line not finished yet (a write in flight, or a torn last line) */
  get pending(): number {
    return this.partial.length;
  }
}
