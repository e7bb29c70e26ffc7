import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real Ed25519 key pair, as a Discord application has: the public key as the portal shows it (64 hex digits). */
export function makeKeys(): { publicKeyHex: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  // an Ed25519 SPKI is a fixed 12-byte prefix and the 32-byte key
  return { publicKeyHex: spki.subarray(spki.length - 32).toString('hex'), privateKey };
}

/** Signs as Discord does: Ed25519 over timestamp + raw body, hex. */
export function signBody(privateKey: KeyObject, timestamp: string, body: string | Buffer): string {
  return sign(null, Buffer.concat([Buffer.from(timestamp), Buffer.isBuffer(body) ? body : Buffer.from(body)]), privateKey).toString('hex');
}

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** POSTs bytes to the endpoint over loopback with the given headers. */
export function post(port: number, body: string | Buffer, headers: Record<string, string>, path = '/interactions'): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

let nextId = 1n;
/** a fresh snowflake-looking id */
export function snowflake(): string {
  return (100000000000000000n + nextId++).toString();
}

/** A signed POST of an interaction object; `at` is the Unix time in seconds to stamp it with. */
export function postSigned(port: number, privateKey: KeyObject, interaction: unknown, at = Math.floor(Date.now() / 1000)): Promise<RawAnswer> {
  const body = JSON.stringify(interaction);
  const timestamp = String(at);
  return post(port, body, { 'x-signature-ed25519': signBody(privateKey, timestamp, body), 'x-signature-timestamp': timestamp });
}

export interface StubRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  json: unknown;
}

/** A tiny HTTP server standing in for Discord's API: records every request and answers with `answer`. */
export async function startStub(answer: (r: StubRequest) => { status: number; json?: unknown; raw?: Buffer } = () => ({ status: 200, json: {} })): Promise<{ base: string; origin: string; requests: StubRequest[]; close: () => Promise<void>; waitFor: (n: number, ms?: number) => Promise<void> }> {
  const requests: StubRequest[] = [];
  const waiters: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let json: unknown = null;
      if ((req.headers['content-type'] ?? '').startsWith('application/json')) json = JSON.parse(body.toString('utf8'));
      const r: StubRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, json };
      requests.push(r);
      const a = answer(r);
      if (a.raw) {
        res.writeHead(a.status, { 'content-type': 'application/octet-stream' });
        res.end(a.raw);
      } else {
        res.writeHead(a.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(a.json ?? {}));
      }
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const waitFor = async (n: number, ms = 20_000): Promise<void> => {
    const until = Date.now() + ms;
    while (requests.length < n) {
      if (Date.now() > until) throw new Error(`stub got ${requests.length} requests, expected ${n}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  };
  return { base: `http://127.0.0.1:${port}/api/v10`, origin: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => {
    server.close(() => resolve());
    // fetch keeps connections alive; a closed stub must not hold the test process open
    server.closeAllConnections();
  }), waitFor };
}
