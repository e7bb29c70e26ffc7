import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { verifyKey } from 'discord-interactions';
import { createBot } from '../src/discord/app';
import { startPool } from '../src/discord/pool';
import { createInteractionServer, listen } from '../src/discord/server';
import { SessionManager } from '../src/discord/sessions';

/**
 * A server for the Discord bench, run in a worker thread so that it has a thread of its own
 * beside the load it is measured under. 'bare' is the least an interactions endpoint can do:
 * read the body, verify its signature, answer PONG; 'bot' is the grimoire's bot with its file
 * store. The worker posts the port it listens on, then the bot's log lines as they come.
 */
export interface ServerSpec {
  kind: 'bare' | 'bot';
  publicKeyHex: string;
  applicationId: string;
  /** the bot's save folder */
  root?: string;
  /** Discord's API for deferred answers (a local stub) */
  apiBase?: string;
  /** the bot's worker threads, as DISCORD_WORKERS (0: the games on this thread) */
  workers?: number;
}

function bare(publicKey: string): http.Server {
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const signature = String(req.headers['x-signature-ed25519'] ?? '');
      const timestamp = String(req.headers['x-signature-timestamp'] ?? '');
      verifyKey(body, signature, timestamp, publicKey).then((ok) => {
        if (!ok) {
          res.writeHead(401).end();
          return;
        }
        const out = Buffer.from(JSON.stringify({ type: (JSON.parse(body.toString('utf8')) as { type: number }).type === 1 ? 1 : 4 }));
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': out.length }).end(out);
      }, () => res.writeHead(500).end());
    });
  });
}

async function start(spec: ServerSpec): Promise<number> {
  if (spec.kind === 'bare') {
    const server = bare(spec.publicKeyHex);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }
  const log = (m: string): void => parentPort!.postMessage({ log: m });
  if (spec.workers) {
    const pool = await startPool({ workers: spec.workers, spec: { applicationId: spec.applicationId, apiBase: spec.apiBase!, storeDir: spec.root!, redisUrl: null, facilitatorRole: null }, log });
    return listen(createInteractionServer({ publicKey: spec.publicKeyHex, handler: pool.handler, log }), 0, '127.0.0.1');
  }
  const sessions = new SessionManager({ root: spec.root! });
  const bot = createBot({ applicationId: spec.applicationId, apiBase: spec.apiBase!, sessions, log });
  return listen(createInteractionServer({ publicKey: spec.publicKeyHex, handler: bot, log }), 0, '127.0.0.1');
}

if (parentPort) {
  start(workerData as ServerSpec).then(
    (port) => parentPort!.postMessage({ port }),
    (e: unknown) => parentPort!.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
  );
}
