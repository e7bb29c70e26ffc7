import { mkdtempSync, readdirSync, rmSync, statSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SaveData, SaveInput } from '../../../src/saves/store';

export const REPO = path.resolve(__dirname, '..', '..', '..');

interface SampleModule {
  makeSave(tag: string, version: number, opts?: { padBytes?: number; savedAt?: string; chapter?: string; history?: string[]; seed?: number }): SaveInput & { savedAt: string };
  filler(tag: string, version: number, size: number): string;
}
// plain JS shared with the child processes
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const sample = require('../../fixtures/save-sample.js') as SampleModule;

export function sampleData(slot: string, tag: string, version: number, opts: { padBytes?: number; savedAt?: string; history?: string[]; seed?: number } = {}): SaveData {
  return { slot, ...sample.makeSave(tag, version, opts) };
}

const made: string[] = [];
export function tempDir(prefix = 'grimoire-saves-'): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}
export function cleanupTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Every file under dir, relative, sorted (for "nothing was written anywhere else"). */
export function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const n of readdirSync(d).sort()) {
      const full = path.join(d, n);
      const r = rel ? `${rel}/${n}` : n;
      out.push(r);
      if (statSync(full).isDirectory()) walk(full, r);
    }
  };
  walk(dir, '');
  return out;
}

/**
 * The crash tests run the compiled store in child processes. `npm test` builds dist/ first
 * (pretest); running jest alone needs `npm run build` (or a fresh dist) beforehand.
 */
export function requireFreshDist(): string {
  const compiled = path.join(REPO, 'dist', 'src', 'saves', 'fsStore.js');
  if (!existsSync(compiled)) {
    throw new Error(`${compiled} is missing: the crash tests run the compiled store. Run \`npm run build\` (npm test does it first).`);
  }
  const srcDir = path.join(REPO, 'src', 'saves');
  const newestSource = Math.max(...readdirSync(srcDir).map((n) => statSync(path.join(srcDir, n)).mtimeMs));
  const built = Math.min(
    ...readdirSync(path.dirname(compiled))
      .filter((n) => n.endsWith('.js'))
      .map((n) => statSync(path.join(path.dirname(compiled), n)).mtimeMs),
  );
  if (built < newestSource) {
    throw new Error(`dist/src/saves is older than src/saves: the crash tests would run stale code. Run \`npm run build\` (npm test does it first).`);
  }
  return compiled;
}

/** A small seeded PRNG, so a failing run can be repeated. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

type WriteCallback = (err: NodeJS.ErrnoException | null, written?: number, buffer?: unknown) => void;

/**
 * Makes the real fs.write (on the module object, which every writer calls through) behave like a
 * nearly full disk: each call writes at most `perCall(length)` bytes, and once `room` bytes have
 * been written the next call fails with ENOSPC. Handles both forms of fs.write (a buffer with
 * offset, length and position; a string with position and encoding), as every writer uses one.
 * Undo with jest.restoreAllMocks().
 */
export function mockDisk(fsModule: typeof import('node:fs'), opts: { perCall?: (length: number) => number; room?: number }): void {
  const real = fsModule.write.bind(fsModule) as (...a: unknown[]) => void;
  let taken = 0;
  const limit = (length: number): number => {
    const room = (opts.room ?? Infinity) - taken;
    return Math.max(0, Math.min(length, opts.perCall ? opts.perCall(length) : length, room));
  };
  jest.spyOn(fsModule, 'write').mockImplementation(((fd: number, data: unknown, ...rest: unknown[]) => {
    const cb = rest.pop() as WriteCallback;
    let buf: Uint8Array;
    let offset: number;
    let length: number;
    let position: number | null;
    if (typeof data === 'string') {
      const [pos, encoding] = rest as [number | null | undefined, BufferEncoding | undefined];
      buf = Buffer.from(data, encoding ?? 'utf8');
      offset = 0;
      length = buf.length;
      position = typeof pos === 'number' ? pos : null;
    } else {
      buf = data as Uint8Array;
      const [off, len, pos] = rest as [number | undefined, number | undefined, number | null | undefined];
      offset = off ?? 0;
      length = len ?? buf.byteLength - offset;
      position = typeof pos === 'number' ? pos : null;
    }
    const n = limit(length);
    if (n === 0 && length > 0) {
      process.nextTick(() => cb(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' })));
      return;
    }
    taken += n;
    real(fd, buf, offset, n, position, cb);
  }) as unknown as typeof fsModule.write);
}

/**
 * Changes the envelope inside a slot file (format 2: header line + brotli body) and seals it again
 * the way a correct writer would: new body SHA-256, new header checksum. What `change` sees is the
 * whole envelope, as in a format 1 file.
 */
export function resealSlotFile(file: string, change: (env: { payload: { state: Record<string, unknown> } } & Record<string, unknown>) => void): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { readFileSync, writeFileSync } = require('node:fs') as typeof import('node:fs');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { brotliCompressSync, brotliDecompressSync } = require('node:zlib') as typeof import('node:zlib');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { checksumOf } = require('../../../src/saves/canonical') as typeof import('../../../src/saves/canonical');
  const bytes = readFileSync(file);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { isSlotFile } = require('../../../src/saves/slotFile') as typeof import('../../../src/saves/slotFile');
  if (!isSlotFile(bytes)) {
    // an export (one JSON document)
    const env = JSON.parse(bytes.toString('utf8')) as { payload: { state: Record<string, unknown> } } & Record<string, unknown>;
    change(env);
    const { checksum: _old, ...sealedDoc } = env;
    writeFileSync(file, JSON.stringify({ ...sealedDoc, checksum: checksumOf(sealedDoc) }, null, 2));
    return;
  }
  const nl = bytes.indexOf(0x0a);
  const { checksum: _c, body: _b, ...header } = JSON.parse(bytes.subarray(0, nl).toString('utf8')) as Record<string, unknown>;
  const inside = JSON.parse(brotliDecompressSync(bytes.subarray(nl + 1)).toString('utf8')) as { history: unknown; payload: unknown };
  const env = { ...header, history: inside.history, payload: inside.payload } as { payload: { state: Record<string, unknown> } } & Record<string, unknown>;
  change(env);
  const { history, payload, ...rest } = env;
  const body = brotliCompressSync(Buffer.from(JSON.stringify({ history, payload })));
  const sealed = { ...rest, body: { encoding: 'br', bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') } };
  writeFileSync(file, Buffer.concat([Buffer.from(`${JSON.stringify({ ...sealed, checksum: checksumOf(sealed) })}\n`), body]));
}
