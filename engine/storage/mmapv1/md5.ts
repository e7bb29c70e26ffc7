import { Md5 } from '../../hashes';

/** MD5 (RFC 1321) of a journal section, as the 16 bytes its footer carries. */
export function md5(data: Uint8Array): Uint8Array {
  const h = new Md5();
  h.update(data);
  const hex = h.hex();
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
