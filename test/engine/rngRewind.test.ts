/**
 * sfc32 run backwards (engine/rngRewind.ts): undoing a draw gives what the draw gave and the state
 * before it, for any state the generator can be in.
 */
import { Rng, seedRng } from '../../engine/rng';
import { RngRewind } from '../../engine/rngRewind';

describe('RngRewind', () => {
  it.each([1, 42, 0xffffffff, 123456789])('undoes 10 000 draws of seed %i, newest first', (seed) => {
    const start = seedRng(seed);
    const rng = new Rng(start);
    const drawn: number[] = [];
    for (let i = 0; i < 10_000; i++) drawn.push(rng.nextU32());
    const back = new RngRewind(rng.getState());
    for (let i = drawn.length - 1; i >= 0; i--) expect(back.prevU32()).toBe(drawn[i]);
    expect(back.getState()).toEqual(start);
  });

  it('undoes draws from states with every word at its extremes', () => {
    for (const st of [
      [0, 0, 0, 0],
      [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
      [0x80000000, 1, 0x7fffffff, 0xfffffffe],
    ] as [number, number, number, number][]) {
      const rng = new Rng(st);
      const a = rng.next();
      const b = rng.next();
      const back = new RngRewind(rng.getState());
      expect(back.prev()).toBe(b);
      expect(back.prev()).toBe(a);
      expect(back.getState()).toEqual(st);
    }
  });
});
