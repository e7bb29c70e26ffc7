import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startPool, type WorkerPool } from '../../../src/discord/pool';
import { routeOf, workerOf } from '../../../src/discord/route';
import type { HttpReply } from '../../../src/discord/server';
import { APP, GUILD, button, cast, slash } from './bot.helpers';
import { startStub } from './helpers';

/**
 * The main thread's side of the worker pool, against stand-in workers that speak its protocol: a
 * worker busy in a step cannot defer for itself, so the main thread does, and turns the late
 * answer into the edit of the deferred one; a worker that dies has its interactions answered
 * and is replaced.
 */
const STAND_IN = `
const { parentPort } = require('node:worker_threads');
const send = (m) => parentPort.postMessage(m);
parentPort.on('message', (m) => {
  if (m.type === 'close') { send({ type: 'closed' }); return; }
  if (m.type === 'answered') { send({ type: 'done', seq: m.seq }); return; }
  if (m.type !== 'interaction') return;
  const o = (m.interaction.data.options || [])[0] || {};
  const spell = o.options ? o.options[0].value : o.value;
  if (spell === 'die') process.exit(3);
  // a step that computes without a pause: no timer of this thread runs meanwhile
  if (spell === 'slow') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);
  if (spell === 'form') {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);
    send({ type: 'respond', seq: m.seq, reply: { json: { type: 9, data: { custom_id: 'x', title: 'Cast a spell', components: [] } } } });
    return;
  }
  send({ type: 'respond', seq: m.seq, reply: { json: { type: 4, data: { content: 'done: ' + spell, allowed_mentions: { parse: [] }, flags: 64 } } } });
});
send({ type: 'ready' });
`;

describe('the worker pool', () => {
  let dir: string;
  let stub: Awaited<ReturnType<typeof startStub>>;
  let pool: WorkerPool;
  const logs: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'grimoire-pool-'));
    writeFileSync(path.join(dir, 'stand-in.js'), STAND_IN);
    stub = await startStub();
    pool = await startPool({
      workers: 2,
      spec: { applicationId: APP, apiBase: stub.base, storeDir: dir, redisUrl: null, facilitatorRole: null },
      fallbackDeferMs: 200,
      log: (m) => logs.push(m),
      workerFile: path.join(dir, 'stand-in.js'),
    });
  });
  afterAll(async () => {
    await pool.close();
    await stub.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (i: unknown): Promise<HttpReply[]> => {
    const replies: HttpReply[] = [];
    await pool.handler(i as never, async (r) => void replies.push(r));
    return replies;
  };

  it('passes a quick answer through as it is', async () => {
    expect(await run(cast('680000000000000001', 'quick'))).toEqual([{ json: { type: 4, data: { content: 'done: quick', allowed_mentions: { parse: [] }, flags: 64 } } }]);
  });

  it('defers for a worker stuck in a step, then edits the deferred answer with what the worker said', async () => {
    const i = cast('680000000000000001', 'slow');
    expect(await run(i)).toEqual([{ json: { type: 5, data: { flags: 64 } } }]);
    const edit = stub.requests.find((q) => q.url === `/api/v10/webhooks/${APP}/${i.token}/messages/@original`)!;
    expect(edit.method).toBe('PATCH');
    // an edit keeps the deferred answer's flags: it sends none of its own
    expect(edit.json).toEqual({ content: 'done: slow', allowed_mentions: { parse: [] } });
  });

  it('a form that comes too late to open says so in the deferred answer', async () => {
    const i = cast('680000000000000001', 'form');
    expect(await run(i)).toEqual([{ json: { type: 5, data: { flags: 64 } } }]);
    const edit = stub.requests.find((q) => q.url === `/api/v10/webhooks/${APP}/${i.token}/messages/@original`)!;
    expect(edit.json).toEqual({ content: 'The bot was busy with another game just then; press Cast again.', allowed_mentions: { parse: [] } });
  });

  it("a party's deferral is public", async () => {
    const i = slash('680000000000000001', 'party');
    const replies = await run({ ...i, data: { ...i.data, options: [{ name: 'cast', type: 1, options: [{ name: 'spell', type: 3, value: 'slow' }] }] } });
    expect(replies).toEqual([{ json: { type: 5, data: {} } }]);
  });

  it('answers the interactions of a worker that died, and starts another in its place', async () => {
    const i = cast('680000000000000001', 'die');
    const replies = await run(i);
    expect(replies).toEqual([{ json: { type: 4, data: { content: "Something went wrong on the bot's side; the game is as it was after your last answered step.", allowed_mentions: { parse: [] }, flags: 64 } } }]);
    expect(logs.some((l) => /^worker \d exited \(3\)/.test(l))).toBe(true);
    // the same game's worker is back
    const until = Date.now() + 20_000;
    let again: HttpReply[] = [];
    while (Date.now() < until) {
      again = await run(cast('680000000000000001', 'after'));
      if (again.length > 0 && (again[0]!.json as { type: number }).type === 4) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(again).toEqual([{ json: { type: 4, data: { content: 'done: after', allowed_mentions: { parse: [] }, flags: 64 } } }]);
  });
});

describe('routing an interaction to its game', () => {
  const USER = '680000000000000002';
  const CHANNEL = '333333333333333333';
  it("sends a player's commands and buttons to their own game, and a party's to the channel's", () => {
    expect(routeOf(cast(USER, 'free -m'))).toEqual({ game: `${APP}.${GUILD}.${USER}`, public: false });
    expect(routeOf(cast(USER, 'free -m', null))).toEqual({ game: `${APP}.dm.${USER}`, public: false });
    expect(routeOf(slash(USER, 'party'))).toEqual({ game: `${APP}.${GUILD}.p${CHANNEL}`, public: true });
    expect(routeOf(button(USER, `g1:choose:${GUILD}.p${CHANNEL}:2`))).toEqual({ game: `${APP}.${GUILD}.p${CHANNEL}`, public: true });
    // the Cast button opens a form, answered at once and privately
    expect(routeOf(button(USER, `g1:cast:${GUILD}.p${CHANNEL}`))).toEqual({ game: `${APP}.${GUILD}.p${CHANNEL}`, public: false });
    // someone else's button goes to the clicker's own game's worker, which refuses it
    expect(routeOf(button(USER, `g1:choose:${GUILD}.680000000000000009:1`))).toEqual({ game: `${APP}.${GUILD}.${USER}`, public: false });
    expect(routeOf(button(USER, 'forged'))).toEqual({ game: `${APP}.${GUILD}.${USER}`, public: false });
  });

  it('routes what names no game anywhere, without failing', () => {
    for (const junk of [null, 42, 'x', [], {}, { application_id: APP }, { application_id: APP, user: { id: 'not-an-id' } }]) expect(routeOf(junk)).toEqual({ game: '', public: false });
    expect(workerOf('', 2)).toBeLessThan(2);
    // the same game, the same worker, everywhere
    expect(workerOf(`${APP}.${GUILD}.${USER}`, 3)).toBe(workerOf(`${APP}.${GUILD}.${USER}`, 3));
  });
});
