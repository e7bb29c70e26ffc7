import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FsSaveStore } from '../../../src/saves/index';
import { workerOf } from '../../../src/discord/route';
import { ENGINE_COMPAT } from '../../../src/session';
import { APP, GUILD, cast, codeOf, slash } from './bot.helpers';
import { makeKeys, postSigned, snowflake, startStub } from './helpers';
import { redisServerMissing, startRedis } from './redis.helpers';

/**
 * The bot process as `npm run discord` runs it, its games on two worker threads: while one
 * player's step computes for seconds (a month of the machine's life, fresh from the player's
 * arrival), the endpoint keeps answering, and a player whose game is on the other worker is
 * answered at once. Runs the compiled bot (dist/, built by `npm test`).
 */
const REPO = path.join(__dirname, '..', '..', '..');
const MAIN = path.join(REPO, 'dist', 'src', 'discord', 'main.js');

/** starts the compiled bot with `env`; resolves once it listens, with its port */
function startProcess(env: Record<string, string>, children: ChildProcess[]): Promise<{ child: ChildProcess; port: number; stderr: () => string }> {
  const child = spawn(process.execPath, [MAIN], { env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on port (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]), stderr: () => err });
    });
    child.once('exit', (code) => reject(new Error(`the bot exited (${code}) before listening: ${out}${err}`)));
  });
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

describe('games on worker threads', () => {
  const keys = makeKeys();
  let root: string;
  let stub: Awaited<ReturnType<typeof startStub>>;
  const children: ChildProcess[] = [];
  let bot: Awaited<ReturnType<typeof startProcess>>;
  let port = 0;

  beforeAll(async () => {
    if (!existsSync(path.join(path.dirname(MAIN), 'worker.js'))) throw new Error(`${MAIN} and worker.js are needed: run \`npm run build\` (npm test does it first).`);
    root = mkdtempSync(path.join(tmpdir(), 'grimoire-workers-'));
    stub = await startStub();
    bot = await startProcess({ DISCORD_PUBLIC_KEY: keys.publicKeyHex, DISCORD_APPLICATION_ID: APP, DISCORD_API_BASE: stub.base, GRIMOIRE_STORE: root, DISCORD_WORKERS: '2' }, children);
    port = bot.port;
  });
  afterAll(async () => {
    for (const c of children) await stop(c);
    await stub.close();
    rmSync(root, { recursive: true, force: true });
  });

  const send = async (i: unknown) => {
    const r = await postSigned(port, keys.privateKey, i);
    return { status: r.status, body: JSON.parse(r.text) as { type: number; data?: Record<string, any> }, at: Date.now() };
  };
  /** what the player finally sees: the direct answer, or the edit of the deferred one */
  const shown = async (i: { token: string }, a: { body: { type: number; data?: Record<string, any> } }): Promise<{ content: string; at: number }> => {
    if (a.body.type === 4) return { content: a.body.data!.content as string, at: 0 };
    const edited = () => stub.requests.find((q) => q.url === `/api/v10/webhooks/${APP}/${i.token}/messages/@original`);
    const until = Date.now() + 120_000;
    while (!edited() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    return { content: (edited()!.json as { content: string }).content, at: arrivals.get(i.token) ?? Date.now() };
  };
  const arrivals = new Map<string, number>();

  it('a long step holds up only its own worker: PINGs and the other worker\'s players are answered meanwhile', async () => {
    const game = (user: string) => `${APP}.${GUILD}.${user}`;
    // two players whose games are on different workers
    const players: string[] = [];
    for (let n = 1; players.length < 2; n++) {
      const u = String(670000000000000000n + BigInt(n));
      if (players.length === 0 || workerOf(game(u), 2) !== workerOf(game(players[0]!), 2)) players.push(u);
    }
    const [slow, quick] = players as [string, string];
    for (const u of players) {
      const i = slash(u, 'play', [{ name: 'chapter', type: 4, value: 1 }]);
      await shown(i, await send(i));
    }
    stub.requests.length = 0;
    // when each deferred answer's edit reaches "Discord"
    const watch = setInterval(() => {
      for (const q of stub.requests) {
        const m = /\/webhooks\/\d+\/([^/]+)\/messages\/@original$/.exec(q.url);
        if (m && !arrivals.has(m[1]!)) arrivals.set(m[1]!, Date.now());
      }
    }, 5);
    try {
      const long = cast(slow, 'sleep 30d');
      const longAnswer = send(long);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const pingAnswer = await send({ id: snowflake(), application_id: APP, token: `t-${snowflake()}`, version: 1, type: 1 });
      expect(pingAnswer.body).toEqual({ type: 1 });
      const q = cast(quick, 'echo meanwhile');
      const quickAnswer = await send(q);
      expect(quickAnswer.body.type).toBe(4);
      expect(codeOf(quickAnswer.body.data!.content).split('\n')[1]).toBe('meanwhile');

      const a = await longAnswer;
      expect(a.status).toBe(200);
      const final = await shown(long, a);
      expect(codeOf(final.content).split('\n')[0]).toMatch(/\$ sleep 30d$/);
      // the quick player had their answer before the slow one's step was done
      expect(quickAnswer.at).toBeLessThanOrEqual(a.body.type === 4 ? a.at : final.at);
      // a deferred answer came from the main thread while the worker computed, or from the worker: either way within Discord's three seconds of the request
      if (a.body.type === 5) expect(a.body.data).toEqual({ flags: 64 });
    } finally {
      clearInterval(watch);
    }
    // both games are saved with their steps
    const history = async (u: string) => {
      const r = await new FsSaveStore({ dir: path.join(root, game(u)), engine: ENGINE_COMPAT }).read('autosave');
      return r.status === 'ok' ? r.save.history : null;
    };
    expect(await history(slow)).toEqual(['sleep 30d']);
    expect(await history(quick)).toEqual(['echo meanwhile']);
    expect(bot.stderr()).toBe('');
  }, 240_000);
});

const missing = redisServerMissing();
(missing ? describe.skip : describe)('two bot processes, each with worker threads, sharing a real redis-server', () => {
  const keys = makeKeys();
  const children: ChildProcess[] = [];
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let stub: Awaited<ReturnType<typeof startStub>>;
  beforeAll(async () => {
    redis = await startRedis();
    stub = await startStub();
  });
  afterAll(async () => {
    for (const c of children) await stop(c);
    await stub.close();
    await redis.stop();
  });

  it("a player's steps alternate between the processes, and the game holds each of them once, in order", async () => {
    const env = { DISCORD_PUBLIC_KEY: keys.publicKeyHex, DISCORD_APPLICATION_ID: APP, DISCORD_API_BASE: stub.base, GRIMOIRE_STORE: redis.url, DISCORD_WORKERS: '2' };
    const [one, two] = await Promise.all([startProcess(env, children), startProcess(env, children)]);
    const player = '690000000000000001';
    const send = async (port: number, i: { token: string }) => {
      const r = await postSigned(port, keys.privateKey, i);
      const body = JSON.parse(r.text) as { type: number; data?: Record<string, any> };
      if (body.type === 4) return body.data!.content as string;
      const edited = () => stub.requests.find((q) => q.url === `/api/v10/webhooks/${APP}/${i.token}/messages/@original`);
      const until = Date.now() + 120_000;
      while (!edited() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
      return (edited()!.json as { content?: string }).content ?? '';
    };
    await send(one!.port, slash(player, 'play', [{ name: 'chapter', type: 4, value: 1 }]));
    const lines = ['echo first', 'echo second', 'echo third', 'echo fourth'];
    for (const [n, line] of lines.entries()) {
      const shownText = await send((n % 2 === 0 ? two : one)!.port, cast(player, line));
      expect(codeOf(shownText).split('\n')[1]).toBe(line.slice(5));
    }
    // the last process asked reads the game back from Redis: every step, once, in order
    const history = await send(two!.port, cast(player, 'history'));
    expect(codeOf(history).split('\n').slice(1)).toEqual([...lines, 'history'].map((l, k) => `${String(k + 1).padStart(5)}  ${l}`));
    expect(await stop(one!.child)).toBe(0);
    expect(await stop(two!.child)).toBe(0);
    expect(one!.stderr() + two!.stderr()).toBe('');
  }, 240_000);
});
