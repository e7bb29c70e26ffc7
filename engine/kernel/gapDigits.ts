/**
 * Whole numbers as text of base-32 digits, lowest first, a digit from the upper half of the
 * alphabet saying another follows. A bulk run's reload gaps (OomRun.gaps) are kept in this form,
 * and packed log columns are written in it (kernel/logpack.ts).
 */

export const GAP_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** a digit's value by character code (-1 for what is not a digit) */
export const DIGIT_VALUE = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < GAP_DIGITS.length; i++) t[GAP_DIGITS.charCodeAt(i)] = i;
  return t;
})();

/** a digit's char code by value */
const DIGIT_CHAR = Uint8Array.from(GAP_DIGITS, (ch) => ch.charCodeAt(0));

/** v's digits as a string; anything but a whole number >= 0 gets what the loop makes of it, as it always did */
export function gapDigits(v: number): string {
  let s = '';
  while (v >= 32) {
    s += GAP_DIGITS[32 + (v % 32)];
    v = Math.floor(v / 32);
  }
  return s + GAP_DIGITS[v];
}

/** the host's text decoder (every JavaScript host the game runs in has one): ASCII codes to a string in one native call */
declare const TextDecoder: (new () => { decode(codes: Uint8Array): string }) | undefined;
const ascii = typeof TextDecoder === 'function' ? new TextDecoder() : null;

/**
 * Digits collected in one growing byte buffer and made a string once. Appended to a string one by
 * one, or pushed to an array of numbers, a column of thousands or a week of reload gaps left
 * megabytes to the collector.
 */
export class DigitWriter {
  private codes = new Uint8Array(4096);
  private n = 0;

  /** a whole number v >= 0 */
  digits(v: number): void {
    let n = this.n;
    if (this.codes.length - n < 11) this.grow(n + 11);
    const c = this.codes;
    while (v >= 32) {
      c[n++] = DIGIT_CHAR[32 + (v % 32)]!;
      v = Math.floor(v / 32);
    }
    c[n++] = DIGIT_CHAR[v]!;
    this.n = n;
  }

  /** an integer, zigzagged (0, -1, 1, -2... as 0, 1, 2, 3...); |x| <= 2^51 for the digits to be exact */
  int(x: number): void {
    this.digits(x >= 0 ? 2 * x : -2 * x - 1);
  }

  /** what was written since the last take, as text; the writer starts over */
  take(): string {
    const n = this.n;
    this.n = 0;
    const codes = this.codes.subarray(0, n);
    // the decoder's call costs more than it saves on a short text
    if (ascii && n > 256) return ascii.decode(codes);
    const CHUNK = 4096;
    let out = '';
    for (let i = 0; i < n; i += CHUNK) out += String.fromCharCode.apply(null, codes.subarray(i, Math.min(n, i + CHUNK)) as unknown as number[]);
    return out;
  }

  /** forgets what was written since the last take */
  clear(): void {
    this.n = 0;
  }

  private grow(need: number): void {
    const bigger = new Uint8Array(Math.max(need, this.codes.length * 2));
    bigger.set(this.codes.subarray(0, this.n));
    this.codes = bigger;
  }
}
