import type { IncomingMessage } from 'node:http';

/** Discord's interactions are small; anything larger than this is refused with 413 unread. */
export const MAX_BODY_BYTES = 64 * 1024;
/** past the limit the rest of a body is read and dropped up to this much, so the client sees the 413; then the socket is cut */
const DRAIN_BYTES = 1024 * 1024;

export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too-large' | 'aborted' };

/**
 * The raw body, or 'too-large' as soon as it passes `limit` (a Content-Length over it is refused
 * before a byte is read). The bytes are kept raw: the signature is over exactly these bytes.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    let refused = Number.isFinite(declared) && declared > limit;
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (r: BodyResult): void => {
      if (done) return;
      done = true;
      resolve(r);
    };
    if (refused) finish({ ok: false, reason: 'too-large' });
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (refused) {
        if (size > limit + DRAIN_BYTES) req.destroy();
        return;
      }
      if (size > limit) {
        refused = true;
        chunks.length = 0;
        finish({ ok: false, reason: 'too-large' });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => finish({ ok: true, body: Buffer.concat(chunks) }));
    req.on('error', () => finish({ ok: false, reason: 'aborted' }));
    req.on('close', () => finish({ ok: false, reason: 'aborted' }));
  });
}
