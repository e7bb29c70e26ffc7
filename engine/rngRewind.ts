/**
 * sfc32 (engine/rng.ts) run backwards. Every step of sfc32 can be undone, so a stream's present
 * state also says what it drew before: a save can work out again what a stream decided instead of
 * keeping the outcomes.
 */

/** 9⁻¹ mod 2³²: the step multiplies b by 9 */
const INV9 = 0x38e38e39;

export class RngRewind {
  // signed 32-bit words and `| 0` steps, as Rng keeps them: the same bits as unsigned arithmetic,
  // but every value a small integer, so a walk back over a month of draws (hundreds of thousands,
  // mostly before the optimizer takes the loop over) allocates nothing per step
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(state: readonly number[]) {
    this.a = state[0]! | 0;
    this.b = state[1]! | 0;
    this.c = state[2]! | 0;
    this.d = state[3]! | 0;
  }

  /** Undoes the latest draw: returns what Rng.nextU32() gave then, and leaves the state as it was before it. */
  prevU32(): number {
    return this.undo() >>> 0;
  }

  /** what Rng.next() gave for the latest draw, undone */
  prev(): number {
    return (this.undo() >>> 0) / 4294967296;
  }

  getState(): [number, number, number, number] {
    return [this.a >>> 0, this.b >>> 0, this.c >>> 0, this.d >>> 0];
  }

  /** one step back; the draw it undoes, signed */
  private undo(): number {
    const d = (this.d - 1) | 0;
    const c = Math.imul(this.b, INV9);
    // a' = b ^ (b >>> 9): the high bits are b's own, each next 9 follow from the ones above
    const x = this.a;
    const b = x ^ (x >>> 9) ^ (x >>> 18) ^ (x >>> 27);
    const t = (this.c - ((c << 21) | (c >>> 11))) | 0;
    this.a = (t - b - d) | 0;
    this.b = b;
    this.c = c;
    this.d = d;
    return t;
  }
}
