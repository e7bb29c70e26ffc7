import { RedisBackend } from '../../../src/discord/backends';
import { RedisLink } from '../../../src/discord/redisLink';
import { SessionManager, keyId, type SessionKey } from '../../../src/discord/sessions';
import { APP, GUILD, cast as castInteraction, codeOf, slash, startBot } from './bot.helpers';
import { makeKeys } from './helpers';
import { redisServerMissing, startRedis } from './redis.helpers';

const missing = redisServerMissing();
if (missing) {
  // eslint-disable-next-line no-console
  console.warn(missing);
}
const describeRedis = missing ? describe.skip : describe;

const DAY = 24 * 3600 * 1000;

describeRedis('sessions shared through a real redis-server', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  const links: RedisLink[] = [];
  let ns = 0;

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const l of links) await l.close().catch(() => undefined);
    await redis.stop();
  });

  /** one bot instance: its own connection and its own memory, the shared server */
  async function instance(namespace: string, opts: { idleMs?: number; lockMs?: number } = {}): Promise<SessionManager> {
    const link = await RedisLink.connect(redis.url);
    links.push(link);
    const backend = new RedisBackend(link, { now: () => new Date(), idleMs: opts.idleMs ?? 30 * DAY, lockMs: opts.lockMs, namespace });
    return new SessionManager({ backend, seed: () => 42 });
  }

  const key: SessionKey = { application: '1', scope: '2', user: '3' };
  const history = (m: SessionManager) => m.withSession(key, async (s) => (await s.current()).session?.history() ?? null);
  const cast = (m: SessionManager, line: string) => m.withSession(key, async (s) => (await s.current()).session!.handle(line));

  it('keeps saves in the slot format, with a backup, and moves another game aside', async () => {
    const a = await instance(`t${ns++}`);
    const store = a.storeFor(key);
    await a.withSession(key, async (s) => {
      const { session } = await s.play('1');
      await session.handle('echo one');
      await session.handle('echo two');
    });
    const read = await store.read('autosave');
    expect(read.status).toBe('ok');
    expect(read.status === 'ok' && read.save.history).toEqual(['echo one', 'echo two']);
    expect(read.status === 'ok' && read.file).toBe('autosave.json');
    // the bytes are a slot file: a JSON header line, then the compressed body
    const link = await RedisLink.connect(redis.url);
    links.push(link);
    const raw = (await link.send('HGET', `t0:{${keyId(key)}}:slots`, 'autosave')) as Buffer;
    expect(JSON.parse(raw.subarray(0, raw.indexOf(0x0a)).toString('utf8'))).toMatchObject({ format: 'grimoire-save', slot: 'autosave' });
    const bak = await link.send('HGET', `t0:{${keyId(key)}}:baks`, 'autosave');
    expect(Buffer.isBuffer(bak)).toBe(true);

    // chapter 2 over it: the chapter 1 game is moved to a dated slot, not overwritten
    const played = await a.withSession(key, async (s) => s.play('2'));
    expect(played.blocks.map((b) => (b.kind === 'system' ? b.text : '')).join('\n')).toMatch(/Slot "autosave" held another game \(chapter 1.*moved to slot "autosave-\d{8}-\d{6}"/);
    const list = await store.list();
    expect(list.map((s) => s.chapter).sort()).toEqual(['1', '2']);
    expect((await store.latest())!.chapter).toBe('2');

    // a value this grimoire cannot read is reported, never replaced
    await link.send('HSET', `t0:{${keyId(key)}}:slots`, 'junk', 'not a save');
    const junk = await store.read('junk');
    expect(junk.status).toBe('damaged');
    if (read.status !== 'ok') throw new Error('no save');
    const content = { meta: read.save.meta, history: read.save.history, payload: read.save.payload };
    await expect(store.write('junk', content)).rejects.toThrow(/never replaces or moves a save it cannot read/);
    const diverted = await store.write('junk', content, { ifUnusable: 'divert' });
    expect(diverted.save.slot).toMatch(/^junk-\d{8}-\d{6}$/);
    expect(diverted.diverted!.from).toBe('junk');
    await store.remove(diverted.save.slot);
    expect((await store.scan()).damaged.map((d) => d.slot)).toEqual(['junk']);
    await store.remove('junk');
    expect((await store.read('junk')).status).toBe('missing');
  });

  it('an instance notices that another one moved the game on, and reads it again', async () => {
    const namespace = `t${ns++}`;
    const a = await instance(namespace);
    const b = await instance(namespace);
    await a.withSession(key, async (s) => {
      await s.play('1');
    });
    await cast(a, 'echo a1');
    await cast(b, 'echo b1');
    // a still holds its copy in memory from before b's step: it must not act on it
    await cast(a, 'echo a2');
    await cast(b, 'echo b2');
    expect(await history(a)).toEqual(['echo a1', 'echo b1', 'echo a2', 'echo b2']);
    expect(await history(b)).toEqual(['echo a1', 'echo b1', 'echo a2', 'echo b2']);
  });

  it('steps sent to two instances at once run one at a time: each exactly once', async () => {
    const namespace = `t${ns++}`;
    const a = await instance(namespace);
    const b = await instance(namespace);
    await a.withSession(key, async (s) => {
      await s.play('1');
    });
    const lines = Array.from({ length: 30 }, (_, i) => `echo step-${i}`);
    await Promise.all(lines.map((l, i) => cast(i % 2 === 0 ? a : b, l)));
    const h = (await history(a))!;
    expect([...h].sort()).toEqual([...lines].sort());
    // each instance keeps its own arrival order
    const order = (parity: number) => h.filter((l) => Number(l.split('-')[1]) % 2 === parity);
    expect(order(0)).toEqual(lines.filter((_, i) => i % 2 === 0));
    expect(order(1)).toEqual(lines.filter((_, i) => i % 2 === 1));
  });

  it("a dead instance's lock frees itself, and the next step goes on", async () => {
    const namespace = `t${ns++}`;
    const a = await instance(namespace, { lockMs: 400 });
    await a.withSession(key, async (s) => {
      await s.play('1');
    });
    // an instance that took the lock and died: nobody releases or renews it
    const link = await RedisLink.connect(redis.url);
    links.push(link);
    expect(String(await link.send('SET', `${namespace}:{${keyId(key)}}:lock`, 'dead-instance', 'NX', 'PX', 400))).toBe('OK');
    const started = Date.now();
    await cast(a, 'echo after');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(await history(a)).toEqual(['echo after']);
  });

  it('a session idle for its lifetime is removed by Redis, keys and all', async () => {
    const namespace = `t${ns++}`;
    const idleMs = 3000;
    const a = await instance(namespace, { idleMs });
    await a.withSession(key, async (s) => {
      await s.play('1');
    });
    const link = await RedisLink.connect(redis.url);
    links.push(link);
    const keys = async () => ((await link.send('KEYS', `${namespace}:*`)) as Buffer[]).map((k) => k.toString()).sort();
    // the save was just written: its lifetime starts now (the version's started with the step, and may be gone on a slow machine)
    const slots = `${namespace}:{1.2.3}:slots`;
    expect(await keys()).toContain(slots);
    for (const k of await keys()) {
      const ttl = Number(await link.send('PTTL', k));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(idleMs);
    }
    const until = Date.now() + idleMs + 5000;
    while ((await keys()).length > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await keys()).toEqual([]);
    // the copy in memory is stale now: the version check drops it, and there is no game
    expect(await history(a)).toBeNull();
  });

  it('two bot instances behind one address: a player\'s steps alternate between them and the game stays whole', async () => {
    const namespace = `t${ns++}`;
    const keys = makeKeys();
    const one = await startBot({ keys, sessions: await instance(namespace) });
    const two = await startBot({ keys, sessions: await instance(namespace) });
    try {
      const player = '700000000000000001';
      expect((await one.send(slash(player, 'play', [{ name: 'chapter', type: 4, value: 1 }]))).body!.type).toBe(4);
      const lines = ['echo first', 'echo second', 'echo third', 'echo fourth'];
      for (const [n, line] of lines.entries()) {
        const r = await (n % 2 === 0 ? two : one).send(castInteraction(player, line));
        expect(codeOf(r.body!.data!.content).split('\n')[1]).toBe(line.slice(5));
      }
      const k = { application: APP, scope: GUILD, user: player };
      const h = await one.sessions.withSession(k, async (s) => (await s.current()).session!.history());
      expect(h).toEqual(lines);
    } finally {
      await one.close();
      await two.close();
    }
  });
});
