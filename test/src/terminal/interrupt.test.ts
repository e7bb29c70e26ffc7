import { PassThrough } from 'node:stream';
import { NO_INTERRUPTS, ttyInterrupts } from '../../../src/terminal/interrupt';

/**
 * Ctrl-C while a line runs: the terminal is read without blocking, at most every 50 ms, while the
 * engine polls interrupted(). These tests give it a fake terminal (the bytes "typed" so far) and a
 * fake clock.
 */

class FakeTty {
  /** what the player has typed and nobody has read yet */
  pending: Buffer[] = [];
  opened: { path: string; flags: number }[] = [];
  closed: number[] = [];
  reads = 0;
  openError: NodeJS.ErrnoException | null = null;
  readError: NodeJS.ErrnoException | null = null;
  private nextFd = 40;

  type(text: string): void {
    this.pending.push(Buffer.from(text, 'utf8'));
  }

  readonly fs = {
    openSync: (path: unknown, flags: unknown): number => {
      if (this.openError) throw this.openError;
      this.opened.push({ path: String(path), flags: Number(flags) });
      return this.nextFd++;
    },
    readSync: (_fd: number, buffer: NodeJS.ArrayBufferView): number => {
      this.reads++;
      if (this.readError) throw this.readError;
      const chunk = this.pending.shift();
      if (!chunk) throw Object.assign(new Error('EAGAIN: resource temporarily unavailable, read'), { code: 'EAGAIN' });
      chunk.copy(buffer as Buffer);
      return chunk.length;
    },
    closeSync: (fd: number): void => {
      this.closed.push(fd);
    },
  } as unknown as Parameters<typeof ttyInterrupts>[0]['fs'];
}

function setup() {
  const tty = new FakeTty();
  let clock = 1000;
  const input = new PassThrough();
  input.pause();
  const source = ttyInterrupts({ input, fs: tty.fs, now: () => clock, path: '/dev/fake-tty' });
  return { tty, input, source, advance: (ms: number) => (clock += ms) };
}

describe('ttyInterrupts', () => {
  it('opens the terminal without blocking while a line runs, and closes it after', () => {
    const { tty, source } = setup();
    const check = source.begin();
    expect(tty.opened).toHaveLength(1);
    expect(tty.opened[0]!.path).toBe('/dev/fake-tty');
    const { O_NONBLOCK, O_RDONLY } = require('node:fs').constants as typeof import('node:fs').constants;
    expect(tty.opened[0]!.flags & O_NONBLOCK).toBe(O_NONBLOCK);
    expect(tty.opened[0]!.flags & 3).toBe(O_RDONLY);
    expect(check()).toBe(false);
    expect(source.end()).toBe(false);
    expect(tty.closed).toEqual([40]);
  });

  it('sees a Ctrl-C (byte 3) and stays interrupted until the line ends', () => {
    const { tty, source, advance } = setup();
    const check = source.begin();
    advance(60);
    expect(check()).toBe(false);
    tty.type('\x03');
    advance(60);
    expect(check()).toBe(true);
    const reads = tty.reads;
    advance(60);
    expect(check()).toBe(true);
    expect(tty.reads).toBe(reads); // no more reading once it has fired
    expect(source.end()).toBe(true);
    // the next line starts afresh
    const next = source.begin();
    advance(60);
    expect(next()).toBe(false);
    expect(source.end()).toBe(false);
  });

  it('reads the terminal at most once every 50 ms of wall time, however often it is asked', () => {
    const { tty, source, advance } = setup();
    const check = source.begin();
    for (let i = 0; i < 1000; i++) check();
    expect(tty.reads).toBe(0);
    advance(49);
    check();
    expect(tty.reads).toBe(0);
    advance(1);
    check();
    check();
    expect(tty.reads).toBe(1);
    tty.type('\x03');
    advance(10);
    expect(check()).toBe(false); // pressed, but not looked at yet
    advance(40);
    expect(check()).toBe(true);
    source.end();
  });

  it('gives keys typed ahead back to the input, in order, so readline still gets them', () => {
    const { tty, input, source, advance } = setup();
    input.write('already buffered ');
    const check = source.begin();
    tty.type('ls ');
    tty.type('-l\r');
    advance(50);
    expect(check()).toBe(false);
    tty.type('\x1b[A');
    advance(50);
    expect(check()).toBe(false);
    expect(source.end()).toBe(false);
    expect(input.read()?.toString()).toBe('already buffered ls -l\r\x1b[A');
  });

  it('drops what was typed ahead together with a Ctrl-C, as a terminal flushes its input on an interrupt', () => {
    const { tty, input, source, advance } = setup();
    const check = source.begin();
    tty.type('rm -rf /\x03');
    advance(50);
    expect(check()).toBe(true);
    source.end();
    expect(input.read()).toBeNull();
  });

  it('without a terminal (no /dev/tty) is never interrupted, and stops trying to open it', () => {
    const { tty, source, advance } = setup();
    tty.openError = Object.assign(new Error('ENXIO: no such device or address'), { code: 'ENXIO' });
    const check = source.begin();
    advance(100);
    expect(check()).toBe(false);
    expect(source.end()).toBe(false);
    source.begin();
    source.end();
    expect(tty.reads).toBe(0);
  });

  it('a terminal that goes away mid-line is closed and the line goes on', () => {
    const { tty, source, advance } = setup();
    const check = source.begin();
    tty.readError = Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
    advance(50);
    expect(check()).toBe(false);
    expect(tty.closed).toEqual([40]);
    advance(50);
    expect(check()).toBe(false);
    expect(source.end()).toBe(false);
  });

  it('NO_INTERRUPTS never fires', () => {
    expect(NO_INTERRUPTS.begin()()).toBe(false);
    expect(NO_INTERRUPTS.end()).toBe(false);
  });
});
