/**
 * MD5 (RFC 1321) and SHA-1 (FIPS 180-4) over a stream of bytes, in pure JS, so that md5sum and
 * sha1sum can hash a log read a chunk at a time. Both pad the same way into 64-byte blocks; they
 * differ in their word order and their compression function.
 */
export interface Hasher {
  update(bytes: Uint8Array): void;
  /** lowercase hex, as md5sum and sha1sum print it */
  hex(): string;
}

abstract class BlockHasher implements Hasher {
  private readonly buf = new Uint8Array(64);
  private fill = 0;
  private length = 0;

  constructor(private readonly bigEndian: boolean) {}

  protected abstract block(dv: DataView): void;
  protected abstract words(): number[];

  update(bytes: Uint8Array): void {
    this.length += bytes.length;
    let i = 0;
    while (i < bytes.length) {
      const n = Math.min(64 - this.fill, bytes.length - i);
      this.buf.set(bytes.subarray(i, i + n), this.fill);
      this.fill += n;
      i += n;
      if (this.fill === 64) {
        this.block(new DataView(this.buf.buffer));
        this.fill = 0;
      }
    }
  }

  hex(): string {
    const bits = this.length * 8;
    const tail = new Uint8Array(((this.fill + 8) >> 6 << 6) + 64 - this.fill);
    tail[0] = 0x80;
    const tv = new DataView(tail.buffer);
    const hi = Math.floor(bits / 2 ** 32);
    const lo = bits >>> 0;
    if (this.bigEndian) {
      tv.setUint32(tail.length - 8, hi);
      tv.setUint32(tail.length - 4, lo);
    } else {
      tv.setUint32(tail.length - 8, lo, true);
      tv.setUint32(tail.length - 4, hi, true);
    }
    const length = this.length;
    this.update(tail);
    this.length = length;
    const out = new Uint8Array(this.words().length * 4);
    const ov = new DataView(out.buffer);
    this.words().forEach((w, k) => ov.setUint32(k * 4, w, !this.bigEndian));
    return [...out].map((b) => b.toString(16).padStart(2, '0')).join('');
  }
}

const MD5_S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const MD5_K = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0);

export class Md5 extends BlockHasher {
  private h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];

  constructor() {
    super(false);
  }

  protected words(): number[] {
    return this.h;
  }

  protected block(dv: DataView): void {
    let [a, b, c, d] = this.h as [number, number, number, number];
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) % 16;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) % 16;
      }
      const sum = (a + f + MD5_K[i]! + dv.getUint32(g * 4, true)) >>> 0;
      const s = MD5_S[(i >> 4) * 4 + (i % 4)]!;
      a = d;
      d = c;
      c = b;
      b = (b + ((sum << s) | (sum >>> (32 - s)))) >>> 0;
    }
    this.h = [(this.h[0]! + a) >>> 0, (this.h[1]! + b) >>> 0, (this.h[2]! + c) >>> 0, (this.h[3]! + d) >>> 0];
  }
}

export class Sha1 extends BlockHasher {
  private h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  private readonly w = new Uint32Array(80);

  constructor() {
    super(true);
  }

  protected words(): number[] {
    return this.h;
  }

  protected block(dv: DataView): void {
    const w = this.w;
    for (let t = 0; t < 16; t++) w[t] = dv.getUint32(t * 4);
    for (let t = 16; t < 80; t++) {
      const x = w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!;
      w[t] = (x << 1) | (x >>> 31);
    }
    let [a, b, c, d, e] = this.h as [number, number, number, number, number];
    for (let t = 0; t < 80; t++) {
      let f: number;
      let k: number;
      if (t < 20) {
        f = (b & c) | (~b & d);
        k = 0x5a827999;
      } else if (t < 40) {
        f = b ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (t < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8f1bbcdc;
      } else {
        f = b ^ c ^ d;
        k = 0xca62c1d6;
      }
      const tmp = (((a << 5) | (a >>> 27)) + f + e + k + w[t]!) >>> 0;
      e = d;
      d = c;
      c = ((b << 30) | (b >>> 2)) >>> 0;
      b = a;
      a = tmp;
    }
    this.h = [(this.h[0]! + a) >>> 0, (this.h[1]! + b) >>> 0, (this.h[2]! + c) >>> 0, (this.h[3]! + d) >>> 0, (this.h[4]! + e) >>> 0];
  }
}

/** a string's bytes: UTF-8, or one byte per char for text that holds a real file's bytes */
export function bytesOf(text: string, latin1: boolean): Uint8Array {
  if (latin1) {
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
    return out;
  }
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let c = text.codePointAt(i)!;
    if (c > 0xffff) i++;
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}
