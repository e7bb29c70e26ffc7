import { fromBase64 as hostFrom, portableFromBase64, portableToBase64, toBase64 as hostTo } from '../../../../engine/kernel/block/bytes';

// the engine uses the host's Buffer where there is one, its own code elsewhere: both are held to Buffer
describe.each([
  ['the host\'s codec', hostTo, hostFrom],
  ['the portable codec', portableToBase64, portableFromBase64],
] as const)('%s', (_name, toBase64, fromBase64) => {
  it('round trips like Buffer', () => {
    for (let n = 0; n < 40; n++) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
      expect(toBase64(b)).toBe(Buffer.from(b).toString('base64'));
      expect([...fromBase64(toBase64(b))]).toEqual([...b]);
    }
    const big = Uint8Array.from({ length: 20000 }, (_, i) => (i * 7919) & 255);
    expect(toBase64(big)).toBe(Buffer.from(big).toString('base64'));
    expect(Buffer.from(fromBase64(toBase64(big))).equals(Buffer.from(big))).toBe(true);
  });

  describe('blocks encoded or decoded lately', () => {
    const block = (seed: number): Uint8Array => Uint8Array.from({ length: 4096 }, (_, i) => (i * 131 + seed * 17 + (i >> 9)) & 255);

    it('encode and decode 4 KiB blocks like Buffer, again and again', () => {
      for (let seed = 0; seed < 600; seed++) {
        const b = block(seed);
        const text = toBase64(b);
        expect(text).toBe(Buffer.from(b).toString('base64'));
        expect(Buffer.from(fromBase64(text)).equals(Buffer.from(b))).toBe(true);
        // a string decoded before, and one read from elsewhere (a copy of the same text)
        expect(Buffer.from(fromBase64(Buffer.from(b).toString('base64'))).equals(Buffer.from(b))).toBe(true);
      }
    });

    it('hand out bytes of their own: changing what was decoded, or what was encoded, changes nothing after', () => {
      const b = block(1);
      const text = toBase64(b);
      b[0] ^= 0xff;
      const first = fromBase64(text);
      expect(first[0]).toBe(block(1)[0]);
      first.fill(9);
      expect(Buffer.from(fromBase64(text)).equals(Buffer.from(block(1)))).toBe(true);
    });

    it('decode into the array given, at its start', () => {
      const text = toBase64(block(2));
      const into = new Uint8Array(8192).fill(7);
      expect(fromBase64(text, into.subarray(4096))).toEqual(into.subarray(4096));
      expect(Buffer.from(into.subarray(4096)).equals(Buffer.from(block(2)))).toBe(true);
      expect(into[4095]).toBe(7);
      const again = new Uint8Array(4096);
      fromBase64(text, again);
      expect(Buffer.from(again).equals(Buffer.from(block(2)))).toBe(true);
    });
  });
});
