import { Md5, Sha1, bytesOf } from '../../engine/hashes';

const hex = (h: Md5 | Sha1, ...parts: string[]) => {
  for (const p of parts) h.update(bytesOf(p, false));
  return h.hex();
};

describe('MD5 and SHA-1 against their published test vectors', () => {
  test('RFC 1321 appendix A.5', () => {
    expect(hex(new Md5())).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(hex(new Md5(), 'abc')).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(hex(new Md5(), '12345678901234567890123456789012345678901234567890123456789012345678901234567890')).toBe('57edf4a22be3c955ac49da2e2107b67a');
  });

  test('FIPS 180 examples, fed in uneven pieces', () => {
    expect(hex(new Sha1())).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(hex(new Sha1(), 'a', 'bc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(hex(new Sha1(), 'abcdbcdecdefdefgefghfghighij', 'hijkijkljklmklmnlmnomnopnopq')).toBe('84983e441c3bd26ebaae4aa1f95129e5e54670f1');
  });

  test('text is hashed as its UTF-8 bytes', () => {
    expect([...bytesOf('\u2018é', false)]).toEqual([0xe2, 0x80, 0x98, 0xc3, 0xa9]);
    expect([...bytesOf('\u00ff', true)]).toEqual([0xff]);
  });
});
