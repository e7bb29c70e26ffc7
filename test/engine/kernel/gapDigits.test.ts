import { DIGIT_VALUE, DigitWriter, GAP_DIGITS, gapDigits } from '../../../engine/kernel/gapDigits';

/** the numbers back from their digits, as a reader of OomRun.gaps takes them */
function read(text: string): number[] {
  const out: number[] = [];
  let v = 0;
  let mul = 1;
  for (const ch of text) {
    const d = DIGIT_VALUE[ch.charCodeAt(0)]!;
    if (d >= 32) {
      v += (d - 32) * mul;
      mul *= 32;
      continue;
    }
    out.push(v + d * mul);
    v = 0;
    mul = 1;
  }
  return out;
}

describe('gap digits', () => {
  it('write each whole number in base 32, lowest digit first, a digit of the upper half saying more follow', () => {
    expect(gapDigits(0)).toBe('A');
    expect(gapDigits(31)).toBe('f');
    expect(gapDigits(32)).toBe('gB');
    // 6000 = 16 + 27 x 32 + 5 x 32^2
    expect(gapDigits(6_000)).toBe('w7F');
    expect(read(gapDigits(2 ** 52))).toEqual([2 ** 52]);
    expect(DIGIT_VALUE['_'.charCodeAt(0)]).toBe(63);
    expect(DIGIT_VALUE['+'.charCodeAt(0)]).toBe(-1);
    expect(GAP_DIGITS).toHaveLength(64);
  });

  it('are written by the buffer exactly as one by one, however long the text grows', () => {
    const w = new DigitWriter();
    // long enough for the buffer to grow twice, and for the text to be made by the host's decoder
    const xs = Array.from({ length: 5_000 }, (_, i) => (i * 7_919) % 100_003);
    for (const x of xs) w.digits(x);
    const text = w.take();
    expect(text).toBe(xs.map(gapDigits).join(''));
    expect(read(text)).toEqual(xs);
    // a short text after a long one: taking starts the writer over
    w.digits(5);
    expect(w.take()).toBe('F');
    expect(w.take()).toBe('');
  });

  it('zigzag integers, so a small difference either way is one digit', () => {
    const w = new DigitWriter();
    for (const x of [0, -1, 1, -2, 15, -16, 2 ** 51, -(2 ** 51)]) w.int(x);
    expect(read(w.take())).toEqual([0, 1, 2, 3, 30, 31, 2 ** 52, 2 ** 52 - 1]);
  });

  it('forget what was written when cleared', () => {
    const w = new DigitWriter();
    w.digits(1_000);
    w.clear();
    w.digits(1);
    expect(w.take()).toBe('B');
  });
});
