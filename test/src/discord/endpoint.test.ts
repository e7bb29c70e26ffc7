import type * as http from 'node:http';
import { createInteractionServer, listen, type InteractionHandler } from '../../../src/discord/server';
import { makeKeys, post, postSigned, signBody, snowflake } from './helpers';

/** The interactions endpoint alone, with a handler that records what reaches it. */
describe('the interactions endpoint', () => {
  const keys = makeKeys();
  let server: http.Server;
  let port: number;
  let clock = Date.now();
  const reached: unknown[] = [];
  const handler: InteractionHandler = async (interaction, respond) => {
    reached.push(interaction);
    await respond({ json: { type: 4, data: { content: 'handled', allowed_mentions: { parse: [] } } } });
  };

  beforeAll(async () => {
    server = createInteractionServer({ publicKey: keys.publicKeyHex, handler, now: () => clock, log: () => undefined });
    port = await listen(server, 0, '127.0.0.1');
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    reached.length = 0;
    clock = Date.now();
  });

  const ping = () => ({ id: snowflake(), application_id: '123456789012345678', type: 1, token: 'tok', version: 1 });
  const command = () => ({ ...ping(), type: 2, data: { name: 'status', type: 1 } });

  it('answers a signed PING with PONG', async () => {
    const r = await postSigned(port, keys.privateKey, ping());
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual({ type: 1 });
    expect(reached).toEqual([]);
  });

  it('hands a signed command to the handler', async () => {
    const i = command();
    const r = await postSigned(port, keys.privateKey, i);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual({ type: 4, data: { content: 'handled', allowed_mentions: { parse: [] } } });
    expect(reached).toEqual([i]);
  });

  it('refuses a signature made with another key (401), and the handler never sees it', async () => {
    const other = makeKeys();
    const r = await postSigned(port, other.privateKey, command());
    expect(r.status).toBe(401);
    expect(reached).toEqual([]);
  });

  it('refuses a good signature over a body that was changed afterwards', async () => {
    const body = JSON.stringify(command());
    const ts = String(Math.floor(clock / 1000));
    const sig = signBody(keys.privateKey, ts, body);
    const forged = body.replace('"status"', '"quit"');
    const r = await post(port, forged, { 'x-signature-ed25519': sig, 'x-signature-timestamp': ts });
    expect(r.status).toBe(401);
    expect(reached).toEqual([]);
  });

  it('refuses a request without signature headers, or with one of them', async () => {
    const body = JSON.stringify(command());
    const ts = String(Math.floor(clock / 1000));
    expect((await post(port, body, {})).status).toBe(401);
    expect((await post(port, body, { 'x-signature-timestamp': ts })).status).toBe(401);
    expect((await post(port, body, { 'x-signature-ed25519': signBody(keys.privateKey, ts, body) })).status).toBe(401);
    expect((await post(port, body, { 'x-signature-ed25519': 'zz', 'x-signature-timestamp': ts })).status).toBe(401);
    expect(reached).toEqual([]);
  });

  it('refuses a correctly signed request whose timestamp is more than five minutes old (or ahead)', async () => {
    const nowS = Math.floor(clock / 1000);
    expect((await postSigned(port, keys.privateKey, command(), nowS - 301)).status).toBe(401);
    expect((await postSigned(port, keys.privateKey, command(), nowS + 301)).status).toBe(401);
    expect(reached).toEqual([]);
    expect((await postSigned(port, keys.privateKey, command(), nowS - 299)).status).toBe(200);
    expect(reached).toHaveLength(1);
  });

  it('refuses the same signed interaction sent a second time', async () => {
    const body = JSON.stringify(command());
    const ts = String(Math.floor(clock / 1000));
    const headers = { 'x-signature-ed25519': signBody(keys.privateKey, ts, body), 'x-signature-timestamp': ts };
    expect((await post(port, body, headers)).status).toBe(200);
    const again = await post(port, body, headers);
    expect(again.status).toBe(401);
    expect(again.text).toMatch(/replayed/);
    expect(reached).toHaveLength(1);
  });

  it('answers 413 to a body over 64 KB, before checking anything else', async () => {
    const big = JSON.stringify({ ...command(), pad: 'x'.repeat(64 * 1024) });
    const r = await postSigned(port, keys.privateKey, JSON.parse(big));
    expect(r.status).toBe(413);
    expect(reached).toEqual([]);
    // exactly at the limit is still read (and here refused only for its signature)
    const atLimit = Buffer.alloc(64 * 1024, 0x20);
    expect((await post(port, atLimit, { 'x-signature-ed25519': '0'.repeat(128), 'x-signature-timestamp': '1' })).status).toBe(401);
  });

  it('answers 400, never crashing, to signed bodies that are not JSON or not interactions', async () => {
    for (const body of ['{"type":', 'null', '[1,2]', '{"type":"2"}', '\u0000\u0001']) {
      const ts = String(Math.floor(clock / 1000));
      const r = await post(port, body, { 'x-signature-ed25519': signBody(keys.privateKey, ts, body), 'x-signature-timestamp': ts });
      expect(r.status).toBe(400);
    }
    expect(reached).toEqual([]);
    expect((await postSigned(port, keys.privateKey, ping())).status).toBe(200);
  });

  it('serves only POST /interactions', async () => {
    expect((await post(port, '{}', {}, '/other')).status).toBe(404);
  });
});
