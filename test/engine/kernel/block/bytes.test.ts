import { fromBase64, toBase64 } from '../../../../engine/kernel/block/bytes';
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
