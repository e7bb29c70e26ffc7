/**
 * EC2 resource ids as they were in 2015: a prefix and 8 hex digits (`vol-1a2b3c4d`). The longer
 * 17-digit ids came in 2016. Drawn from the game's 'ebs' stream, never twice the same.
 */
import type { Rng } from '../../rng';

export const ID_PATTERNS = {
  vol: /^vol-[0-9a-f]{8}$/,
  snap: /^snap-[0-9a-f]{8}$/,
  i: /^i-[0-9a-f]{8}$/,
} as const;

export function newId(rng: Rng, prefix: 'vol' | 'snap' | 'i', taken: ReadonlySet<string> = new Set()): string {
  for (;;) {
    const id = `${prefix}-${rng.nextU32().toString(16).padStart(8, '0')}`;
    if (!taken.has(id)) return id;
  }
}

/** a 12-digit AWS account number */
export function newAccountId(rng: Rng): string {
  let s = String(rng.int(1, 9));
  for (let i = 0; i < 11; i++) s += String(rng.int(0, 9));
  return s;
}
