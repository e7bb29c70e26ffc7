/**
 * Base64 for blocks kept in JSON state (the engine has no Buffer), and the all-zero test that keeps
 * stores sparse: a block of zeros is never stored, since an absent block reads as zeros. Written
 * for speed (a busy page cache encodes and decodes a page per write): char codes in typed arrays,
 * strings made in large chunks.
 */
import { BLOCK_BYTES } from './types';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const INDEX = new Uint8Array(128);
for (let i = 0; i < ALPHABET.length; i++) INDEX[ALPHABET.charCodeAt(i)] = i;
const PAD = 61; // '='
const CHUNK = 8192;
/** the host's text decoder (every JavaScript host the game runs in has one): a string from ASCII codes in one native call */
declare const TextDecoder: (new () => { decode(codes: Uint8Array): string }) | undefined;
const ascii = typeof TextDecoder === 'function' ? new TextDecoder() : null;

function fromCodes(codes: Uint8Array): string {
  if (ascii) return ascii.decode(codes);
  let out = '';
  for (let i = 0; i < codes.length; i += CHUNK) out += String.fromCharCode.apply(null, codes.subarray(i, i + CHUNK) as unknown as number[]);
  return out;
}

/** the two characters of every 12 bits, as one 16-bit store in the machine's byte order */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const PAIRS = new Uint16Array(4096);
for (let v = 0; v < 4096; v++) {
  const hi = CODES[v >> 6];
  const lo = CODES[v & 63];
  PAIRS[v] = LITTLE_ENDIAN ? hi | (lo << 8) : (hi << 8) | lo;
}

/**
 * The bytes of the blocks encoded or decoded last, by their base64: a page written a few bytes at
 * a time is decoded, changed and encoded again on every write, and read back from the store it
 * was written to; a copy of what is remembered is much cheaper than decoding again.
 */
const BLOCK_BASE64 = Math.ceil(BLOCK_BYTES / 3) * 4;
const RECENT_MAX = 256;
const recent = new Map<string, Uint8Array>();

function remember(s: string, bytes: Uint8Array): void {
  if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value as string);
  recent.set(s, bytes);
}

/**
 * The host's own base64 (node's Buffer), where there is one: the same text, tens of times faster
 * than the code below. Feature-detected as the text decoder is; the engine imports nothing of node.
 */
interface HostBuffer {
  from(bytes: ArrayBufferLike, offset: number, length: number): { toString(encoding: 'base64'): string };
  from(text: string, encoding: 'base64'): Uint8Array;
}
const hostBuffer = (globalThis as unknown as { Buffer?: HostBuffer }).Buffer;
const native = typeof hostBuffer?.from === 'function' ? hostBuffer : null;

export function toBase64(b: Uint8Array): string {
  if (native) return native.from(b.buffer, b.byteOffset, b.length).toString('base64');
  return portableToBase64(b);
}

export function fromBase64(s: string, into?: Uint8Array): Uint8Array {
  if (native) {
    const bytes = native.from(s, 'base64');
    if (!into) return new Uint8Array(bytes);
    into.set(bytes.length > into.length ? bytes.subarray(0, into.length) : bytes);
    return into;
  }
  return portableFromBase64(s, into);
}

/** base64 in plain JavaScript, for hosts without a Buffer (exported so tests hold it to the host's) */
export function portableToBase64(b: Uint8Array): string {
  const n = b.length;
  const out = new Uint8Array(Math.ceil(n / 3) * 4);
  const out16 = new Uint16Array(out.buffer);
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
    out16[o >> 1] = PAIRS[v >> 12];
    out16[(o >> 1) + 1] = PAIRS[v & 4095];
    o += 4;
  }
  const rest = n - i;
  if (rest > 0) {
    const v = (b[i] << 16) | (rest === 2 ? b[i + 1] << 8 : 0);
    out[o++] = CODES[v >> 18];
    out[o++] = CODES[(v >> 12) & 63];
    out[o++] = rest === 2 ? CODES[(v >> 6) & 63] : PAD;
    out[o++] = PAD;
  }
  const text = fromCodes(out);
  if (text.length === BLOCK_BASE64) remember(text, b.slice());
  return text;
}

export function portableFromBase64(s: string, into?: Uint8Array): Uint8Array {
  const L = s.length;
  if (L === BLOCK_BASE64) {
    const known = recent.get(s);
    if (known) {
      if (!into) return known.slice();
      into.set(known);
      return into;
    }
  }
  const pad = L > 0 && s.charCodeAt(L - 1) === PAD ? (s.charCodeAt(L - 2) === PAD ? 2 : 1) : 0;
  const len = (L / 4) * 3 - pad;
  const out = into ?? new Uint8Array(len);
  let o = 0;
  const full = L - (pad > 0 ? 4 : 0);
  for (let i = 0; i < full; i += 4) {
    const v = (INDEX[s.charCodeAt(i)] << 18) | (INDEX[s.charCodeAt(i + 1)] << 12) | (INDEX[s.charCodeAt(i + 2)] << 6) | INDEX[s.charCodeAt(i + 3)];
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 255;
    out[o++] = v & 255;
  }
  if (pad > 0) {
    const i = full;
    const c = s.charCodeAt(i + 2);
    const v = (INDEX[s.charCodeAt(i)] << 18) | (INDEX[s.charCodeAt(i + 1)] << 12) | (c === PAD ? 0 : INDEX[c] << 6);
    out[o++] = v >> 16;
    if (pad === 1) out[o++] = (v >> 8) & 255;
  }
  if (L === BLOCK_BASE64 && len === BLOCK_BYTES) remember(s, out.slice(0, len));
  return out;
}

export function allZero(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}
