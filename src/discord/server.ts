import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { InteractionResponseType, InteractionType, type APIInteraction } from 'discord-api-types/v10';
import { MAX_BODY_BYTES, readBody } from './httpBody';
import { importPublicKey, ReplayGuard, verifyRequest } from './verify';

/** What goes back on the HTTP response: an interaction response as JSON (files go through the webhook, see app.ts). */
export interface HttpReply {
  json: unknown;
}

/**
 * Answers one verified interaction. `respond` writes the HTTP response and may be called once;
 * the handler may go on working after it (a deferred reply is finished through the webhook).
 */
export type InteractionHandler = (interaction: APIInteraction, respond: (reply: HttpReply) => Promise<void>) => Promise<void>;

export interface EndpointOptions {
  publicKey: string;
  handler: InteractionHandler;
  /** wall clock in ms; tests move it */
  now?: () => number;
  /** problems that are the bot's, not the player's (default: standard error) */
  log?: (message: string) => void;
  maxBodyBytes?: number;
}

export const INTERACTIONS_PATH = '/interactions';

function plain(res: http.ServerResponse, status: number, text: string, extra: http.OutgoingHttpHeaders = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...extra });
  res.end(text + '\n');
}

function isInteraction(v: unknown): v is APIInteraction {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return typeof o.type === 'number' && typeof o.id === 'string' && typeof o.token === 'string' && typeof o.application_id === 'string';
}

/**
 * The interactions endpoint: POST /interactions, the way Discord's docs describe an app that
 * receives interactions over HTTP. Order matters: the body is read raw with a size limit (413),
 * the signature and timestamp are checked on those bytes (401) before anything is parsed, the
 * same interaction sent twice is refused (401), and only then is JSON read (400 when it is not
 * an interaction). PING gets PONG; everything else goes to the handler.
 */
export function createInteractionServer(opts: EndpointOptions): http.Server {
  const now = opts.now ?? Date.now;
  const log = opts.log ?? ((m: string) => process.stderr.write(`grimoire discord: ${m}\n`));
  const replays = new ReplayGuard();
  const limit = opts.maxBodyBytes ?? MAX_BODY_BYTES;

  // imported once, not for every request
  const publicKey = importPublicKey(opts.publicKey);
  const serve = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = (req.url ?? '').split('?')[0];
    if (url !== INTERACTIONS_PATH) {
      req.resume();
      return plain(res, 404, 'not found');
    }
    if (req.method !== 'POST') {
      req.resume();
      return plain(res, 405, 'method not allowed', { allow: 'POST' });
    }
    const read = await readBody(req, limit);
    if (!read.ok) {
      if (read.reason === 'too-large') plain(res, 413, `request body over ${limit} bytes`, { connection: 'close' });
      return;
    }
    const header = (name: string): string | undefined => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const verdict = await verifyRequest(read.body, { signature: header('x-signature-ed25519'), timestamp: header('x-signature-timestamp') }, await publicKey, Math.floor(now() / 1000));
    if (!verdict.ok) return plain(res, 401, `invalid request signature (${verdict.why})`);

    let parsed: unknown;
    try {
      parsed = JSON.parse(read.body.toString('utf8'));
    } catch {
      return plain(res, 400, 'body is not JSON');
    }
    if (!isInteraction(parsed)) return plain(res, 400, 'body is not an interaction');
    if (!replays.firstSighting(parsed.id, now())) return plain(res, 401, 'invalid request signature (replayed interaction)');

    if (parsed.type === InteractionType.Ping) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: InteractionResponseType.Pong }));
      return;
    }

    let responded = false;
    const respond = async (reply: HttpReply): Promise<void> => {
      if (responded) throw new Error('interaction answered twice');
      responded = true;
      const body = Buffer.from(JSON.stringify(reply.json));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      await new Promise<void>((resolve) => res.end(body, () => resolve()));
    };
    try {
      await opts.handler(parsed, respond);
      if (!responded) {
        log(`interaction ${parsed.id} (type ${parsed.type}) got no answer`);
        plain(res, 500, 'no answer');
      }
    } catch (e) {
      log(`interaction ${parsed.id} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      if (!responded) plain(res, 500, 'internal error');
    }
  };

  return http.createServer((req, res) => {
    serve(req, res).catch((e: unknown) => {
      log(`request failed: ${e instanceof Error ? e.message : String(e)}`);
      plain(res, 500, 'internal error');
    });
  });
}

/** Listens on `port` (0: any free one) on `host`; resolves with the port. */
export function listen(server: http.Server, port: number, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.removeListener('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
