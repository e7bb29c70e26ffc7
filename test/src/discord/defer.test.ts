import { APP, GUILD, cast, codeOf, slash, startBot } from './bot.helpers';
import type { StubRequest } from './helpers';

/**
 * Discord's three seconds: a quick step is answered in the HTTP response; a slow one gets a
 * deferred answer (type 5) and is delivered through the interaction webhook, here a local stub.
 */
const ALICE = '600000000000000001';
const play = (user = ALICE) => slash(user, 'play', [{ name: 'chapter', type: 4, value: 1 }]);

/** the multipart parts of a stub request, through the platform's own parser */
async function partsOf(r: StubRequest): Promise<FormData> {
  return new Response(r.body, { headers: { 'content-type': String(r.headers['content-type']) } }).formData();
}

describe('answering in time', () => {
  it('a step slower than the limit is deferred by the timer, then the original is edited through the webhook', async () => {
    // /play builds a world and saves it: far longer than 5 ms, and the save lets the timer fire
    const bot = await startBot({ deferAfterMs: 5 });
    try {
      const i = play();
      const r = await bot.send(i);
      expect(r.body).toEqual({ type: 5, data: { flags: 64 } });
      await bot.stub.waitFor(1);
      const edit = bot.stub.requests[0]!;
      expect(edit.method).toBe('PATCH');
      expect(edit.url).toBe(`/api/v10/webhooks/${APP}/${i.token}/messages/@original`);
      const data = edit.json as Record<string, any>;
      expect(data.embeds[0].title).toMatch(/^Chapter 1: /);
      expect(data.allowed_mentions).toEqual({ parse: [] });
      expect(data.components[0].components[0].custom_id).toBe(`g1:cast:${GUILD}.${ALICE}`);
    } finally {
      await bot.close();
    }
  });

  it('a quick step is answered directly; output over one message goes on in follow-ups', async () => {
    const bot = await startBot({ deferAfterMs: 60_000 });
    try {
      await bot.send(play());
      const i = cast(ALICE, 'seq 700');
      const r = await bot.send(i);
      expect(r.body!.type).toBe(4);
      const first = codeOf(r.body!.data!.content);
      expect(first.split('\n')[0]).toMatch(/\$ seq 700$/);
      await bot.stub.waitFor(1);
      const follow = bot.stub.requests[0]!;
      expect(follow.method).toBe('POST');
      expect(follow.url).toBe(`/api/v10/webhooks/${APP}/${i.token}`);
      const data = follow.json as Record<string, any>;
      expect(data.flags).toBe(64);
      expect(data.allowed_mentions).toEqual({ parse: [] });
      const all = [first, codeOf(data.content)].join('\n').split('\n').slice(1);
      expect(all).toEqual(Array.from({ length: 700 }, (_, n) => String(n + 1)));
      // the Cast button sits under the last message
      expect(r.body!.data!.components).toEqual([]);
      expect(data.components[0].components[0].label).toBe('Cast');
    } finally {
      await bot.close();
    }
  });

  it('deferred: the original is edited with the first part, the rest are follow-ups, in order', async () => {
    const bot = await startBot({ deferAfterMs: 0 });
    try {
      await bot.send(play());
      await bot.stub.waitFor(1);
      const i = cast(ALICE, 'seq 1200');
      const r = await bot.send(i);
      expect(r.body).toEqual({ type: 5, data: { flags: 64 } });
      await bot.stub.waitFor(4);
      const mine = bot.stub.requests.slice(1);
      expect(mine.map((q) => `${q.method} ${q.url}`)).toEqual([
        `PATCH /api/v10/webhooks/${APP}/${i.token}/messages/@original`,
        `POST /api/v10/webhooks/${APP}/${i.token}`,
        `POST /api/v10/webhooks/${APP}/${i.token}`,
      ]);
      const lines = mine.map((q) => codeOf((q.json as { content: string }).content)).join('\n').split('\n').slice(1);
      expect(lines).toEqual(Array.from({ length: 1200 }, (_, n) => String(n + 1)));
    } finally {
      await bot.close();
    }
  });

  it('output too long for messages is attached as a file, sent through the webhook (a quick step is deferred for it)', async () => {
    const bot = await startBot({ deferAfterMs: 60_000 });
    try {
      await bot.send(play());
      const i = cast(ALICE, 'seq 5000');
      const r = await bot.send(i);
      expect(r.body).toEqual({ type: 5, data: { flags: 64 } });
      await bot.stub.waitFor(1);
      const edit = bot.stub.requests[0]!;
      expect(`${edit.method} ${edit.url}`).toBe(`PATCH /api/v10/webhooks/${APP}/${i.token}/messages/@original`);
      expect(edit.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
      const form = await partsOf(edit);
      const payload = JSON.parse(await (form.get('payload_json') as Blob).text()) as Record<string, any>;
      expect(payload.attachments).toEqual([{ id: 0, filename: 'output.txt' }]);
      expect(payload.allowed_mentions).toEqual({ parse: [] });
      expect(payload.content).toMatch(/all of it is in output\.txt\.$/);
      const file = form.get('files[0]') as File;
      expect(file.name).toBe('output.txt');
      const text = await file.text();
      expect(text.split('\n').slice(1, -1)).toEqual(Array.from({ length: 5000 }, (_, n) => String(n + 1)));
    } finally {
      await bot.close();
    }
  });

  it('an expired interaction token (Discord answers the webhook 404) is logged, never a crash, and the game goes on', async () => {
    const bot = await startBot({ deferAfterMs: 5, stubAnswer: () => ({ status: 404, json: { message: 'Unknown Webhook', code: 10015 } }) });
    try {
      const i = play();
      expect((await bot.send(i)).body).toEqual({ type: 5, data: { flags: 64 } });
      await bot.stub.waitFor(1);
      const until = Date.now() + 20_000;
      while (bot.logs.length === 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(bot.logs).toEqual(['PATCH webhook answered 404: {"message":"Unknown Webhook","code":10015}']);
      // the token is not in what is logged; the game was saved before the answer, and plays on
      expect(bot.logs.join('\n')).not.toContain(i.token);
      const next = cast(ALICE, 'echo still here');
      await bot.send(next);
      const history = await bot.sessions.withSession({ application: APP, scope: GUILD, user: ALICE }, async (s) => (await s.current()).session!.history());
      expect(history).toEqual(['echo still here']);
    } finally {
      await bot.close();
    }
  });

  it('100 interactions for one player sent at once: each runs exactly once, in the order they reached the bot, and each gets its own answer', async () => {
    const bot = await startBot({ deferAfterMs: 1500 });
    try {
      await bot.send(play());
      const before = bot.handedOver.length;
      const spells = Array.from({ length: 100 }, (_, n) => `echo spell-${n}`);
      const sent = spells.map((s) => cast(ALICE, s));
      const answers = await Promise.all(sent.map((i) => bot.send(i)));
      expect(answers.every((a) => a.status === 200)).toBe(true);
      const deferred = answers.filter((a) => a.body!.type === 5).length;
      // every deferred answer's edit has arrived (generous: the machine is shared, and each of the 100 steps is a durable write)
      const edited = (token: string) => bot.stub.requests.some((q) => q.url.includes(`/${token}/messages/@original`));
      const until = Date.now() + 240_000;
      while (!answers.every((a, n) => a.body!.type !== 5 || edited(sent[n]!.token))) {
        if (Date.now() > until) throw new Error('deferred answers were not all delivered');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(deferred).toBeGreaterThan(0);
      // what each player saw answers what they cast, whichever way it came
      for (const [n, a] of answers.entries()) {
        const token = sent[n]!.token;
        const content =
          a.body!.type === 4 ? (a.body!.data!.content as string) : ((bot.stub.requests.find((q) => q.url.includes(`/${token}/messages/@original`))!.json as { content: string }).content);
        expect(codeOf(content).split('\n')).toEqual([expect.stringMatching(new RegExp(`\\$ echo spell-${n}$`)), `spell-${n}`]);
      }
      const arrival = (bot.handedOver.slice(before) as { data: { options: { value: string }[] } }[]).map((i) => i.data.options[0]!.value);
      expect([...arrival].sort()).toEqual([...spells].sort());
      const history = await bot.sessions.withSession({ application: APP, scope: GUILD, user: ALICE }, async (s) => (await s.current()).session!.history());
      expect(history).toEqual(arrival);
      // and the save on disk holds all of them too
      const saved = await bot.sessions.storeFor({ application: APP, scope: GUILD, user: ALICE }).read('autosave');
      expect(saved.status).toBe('ok');
      expect(saved.status === 'ok' && saved.save.history).toEqual(arrival);
    } finally {
      await bot.close();
    }
  });
});
