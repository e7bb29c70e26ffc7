import { webcrypto } from 'node:crypto';
import { verifyKey } from 'discord-interactions';

/** Discord signs `timestamp + body`; a request whose timestamp is further than this from now is refused as a replay. */
export const MAX_SKEW_SECONDS = 5 * 60;

export type VerifyResult = { ok: true } | { ok: false; why: string };

/**
 * Checks a request as Discord's docs require before anything in it is trusted: both headers
 * present, the timestamp within five minutes of now, and the Ed25519 signature valid for
 * timestamp + raw body under the application's public key.
 */
export async function verifyRequest(
  rawBody: Buffer,
  headers: { signature: string | undefined; timestamp: string | undefined },
  publicKey: string | webcrypto.CryptoKey,
  nowSeconds: number,
): Promise<VerifyResult> {
  const { signature, timestamp } = headers;
  if (!signature || !timestamp) return { ok: false, why: 'missing signature headers' };
  if (!/^[0-9a-fA-F]{128}$/.test(signature)) return { ok: false, why: 'malformed signature' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, why: 'malformed timestamp' };
  const valid = await verifyKey(rawBody, signature, timestamp, publicKey);
  if (!valid) return { ok: false, why: 'bad signature' };
  // checked after the signature, so the timestamp itself is known to be Discord's
  if (Math.abs(nowSeconds - Number(timestamp)) > MAX_SKEW_SECONDS) return { ok: false, why: 'stale timestamp' };
  return { ok: true };
}

/**
 * The application's public key (hex) imported once, for verifyRequest: verifyKey given the hex
 * imports it again for every request. A key that does not import is returned as the hex, so each
 * request fails verification exactly as it would have.
 */
export async function importPublicKey(hex: string): Promise<string | webcrypto.CryptoKey> {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return hex;
  try {
    return await webcrypto.subtle.importKey('raw', Buffer.from(hex, 'hex'), { name: 'Ed25519' }, false, ['verify']);
  } catch {
    return hex;
  }
}

/**
 * Interaction ids seen recently: the same signed request sent again within the five minutes a
 * timestamp is good for is refused too. Entries older than the window are dropped as new ones come.
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly windowMs = 2 * MAX_SKEW_SECONDS * 1000) {}

  /** true the first time an id is seen within the window */
  firstSighting(id: string, nowMs: number): boolean {
    for (const [key, at] of this.seen) {
      if (nowMs - at <= this.windowMs) break; // insertion order is time order
      this.seen.delete(key);
    }
    if (this.seen.has(id)) return false;
    this.seen.set(id, nowMs);
    return true;
  }
}
