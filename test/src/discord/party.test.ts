import { APP, GUILD, button, codeOf, modal, slash, startBot } from './bot.helpers';

/** /party: one shared machine in a channel, everyone there casting into it, a facilitator steering. */
describe('party play', () => {
  let bot: Awaited<ReturnType<typeof startBot>>;
  const HOST = '800000000000000001';
  const GUEST = '800000000000000002';
  const TRAINER = '800000000000000003';
  const CHANNEL = '333333333333333333';
  const OTHER_CHANNEL = '333333333333333334';
  const ROLE = '900000000000000009';

  beforeAll(async () => {
    bot = await startBot({ facilitatorRole: ROLE });
  });
  afterAll(() => bot.close());

  /** a /party subcommand from `user` in `channel`, with the member's roles */
  function party(user: string, sub: string, options: { name: string; type: number; value: unknown }[] = [], channel = CHANNEL, roles: string[] = [], nick?: string) {
    const i = slash(user, 'party', [{ name: sub, type: 1, options } as never]) as Record<string, any>;
    i.channel_id = channel;
    i.member.roles = roles;
    if (nick) i.member.nick = nick;
    return i;
  }
  const partyKey = { application: APP, scope: GUILD, user: `p${CHANNEL}` };
  const history = () => bot.sessions.withSession(partyKey, async (s) => (await s.current()).session?.history() ?? null);

  it('refuses party commands before a party is started, and outside a server', async () => {
    const r = await bot.send(party(GUEST, 'cast', [{ name: 'spell', type: 3, value: 'uptime' }]));
    expect(r.body!.data!.content).toBe('There is no party in this channel: /party start chapter:1 starts one.');
    expect(r.body!.data!.flags).toBe(64);
    const dm = slash(GUEST, 'party', [{ name: 'status', type: 1 } as never], null);
    expect((await bot.send(dm)).body!.data!.content).toBe('A party plays in a server channel: /party start there.');
  });

  it('/party start opens a game for the channel, in public, with a Cast button for everyone there', async () => {
    const r = await bot.send(party(HOST, 'start', [{ name: 'chapter', type: 4, value: 1 }], CHANNEL, [], 'Host @everyone'));
    expect(r.body!.type).toBe(4);
    const data = r.body!.data!;
    expect(data.flags).toBeUndefined();
    expect(data.allowed_mentions).toEqual({ parse: [] });
    expect(data.content).toBe(`**Host @\u200beveryone** starts the party:`);
    expect(data.embeds[0].description).toMatch(/^A party opens chapter 1 in this channel/);
    expect(data.components[0].components[0].custom_id).toBe(`g1:cast:${GUILD}.p${CHANNEL}`);
  });

  it('everyone in the channel casts into the one game, each line signed with its caster', async () => {
    const a = await bot.send(party(GUEST, 'cast', [{ name: 'spell', type: 3, value: 'echo from guest' }], CHANNEL, [], 'Guest'));
    expect(a.body!.data!.flags).toBeUndefined();
    expect(a.body!.data!.content.split('\n')[0]).toBe('**Guest** casts:');
    expect(codeOf(a.body!.data!.content.split('\n').slice(1).join('\n')).split('\n')[1]).toBe('from guest');
    // the Cast button and its modal work for anyone in the channel
    const m = await bot.send({ ...button(HOST, `g1:cast:${GUILD}.p${CHANNEL}`), channel_id: CHANNEL });
    expect(m.body!.type).toBe(9);
    expect(m.body!.data!.custom_id).toBe(`g1:spell:${GUILD}.p${CHANNEL}`);
    const viaModal = await bot.send({ ...modal(HOST, `g1:spell:${GUILD}.p${CHANNEL}`, 'echo from host'), channel_id: CHANNEL });
    expect(viaModal.body!.data!.content).toMatch(/^\*\*player001\*\* casts:\n```/);
    expect(await history()).toEqual(['echo from guest', 'echo from host']);
  });

  it("the party's buttons are refused in another channel, and the game is untouched", async () => {
    const r = await bot.send({ ...modal(GUEST, `g1:spell:${GUILD}.p${CHANNEL}`, 'echo elsewhere'), channel_id: OTHER_CHANNEL });
    expect(r.body!.data!.content).toBe('That party plays in another channel.');
    expect(r.body!.data!.flags).toBe(64);
    expect(await history()).toEqual(['echo from guest', 'echo from host']);
  });

  it('only a facilitator (the starter, or the facilitator role) can reveal a hint, pause, resume or end', async () => {
    for (const sub of ['hint', 'pause', 'resume', 'end']) {
      const r = await bot.send(party(GUEST, sub));
      expect(r.body!.data!.content).toBe('Only a facilitator of this party can do that (whoever started it, or the facilitator role).');
    }
    const hint = await bot.send(party(TRAINER, 'hint', [], CHANNEL, [ROLE], 'Trainer'));
    expect(hint.body!.data!.content).toBe('**Trainer** reveals a hint:');
    expect(hint.body!.data!.embeds.some((e: { title?: string }) => /^Hint 1\/\d+$/.test(e.title ?? ''))).toBe(true);
  });

  it('a paused party takes no spells until it is resumed', async () => {
    const p = await bot.send(party(HOST, 'pause', [], CHANNEL, [], 'Host'));
    expect(p.body!.data!.embeds[0].description).toBe('Host pauses the party: no spells until /party resume.');
    const refused = await bot.send(party(GUEST, 'cast', [{ name: 'spell', type: 3, value: 'echo while paused' }]));
    expect(refused.body!.data!.content).toBe('The party is paused; a facilitator can /party resume it.');
    const viaModal = await bot.send({ ...modal(GUEST, `g1:spell:${GUILD}.p${CHANNEL}`, 'echo modal while paused'), channel_id: CHANNEL });
    expect(viaModal.body!.data!.content).toBe('The party is paused; a facilitator can /party resume it.');
    await bot.send(party(HOST, 'resume'));
    await bot.send(party(GUEST, 'cast', [{ name: 'spell', type: 3, value: 'echo resumed' }]));
    expect((await history())!.filter((l) => l.startsWith('echo'))).toEqual(['echo from guest', 'echo from host', 'echo resumed']);
  });

  it('only a facilitator can open another chapter over a running party', async () => {
    const r = await bot.send(party(GUEST, 'start', [{ name: 'chapter', type: 4, value: 2 }]));
    expect(r.body!.data!.content).toBe('A party is playing chapter 1 in this channel; only a facilitator can open another chapter here.');
    const again = await bot.send(party(GUEST, 'start', [{ name: 'chapter', type: 4, value: 1 }]));
    expect(again.body!.data!.embeds[0].description).toMatch(/^The party's game of chapter 1 goes on/);
  });

  it('/party end posts how it went to the channel and removes the party', async () => {
    const ended = party(HOST, 'end', [], CHANNEL, [], 'Host');
    const r = await bot.send(ended);
    expect(r.body!.data!.flags).toBeUndefined();
    const embeds = r.body!.data!.embeds as { title?: string; description?: string }[];
    expect(embeds[0]!.description).toMatch(/^Host ends the party\. Chapter 1 not solved: \d+ spells, 1 hint, .+ of the machine's time\.$/);
    expect(embeds.some((e) => e.title?.startsWith('Objectives at '))).toBe(true);
    // the debrief follows in the channel, with the party's transcript attached
    const posted = () => bot.stub.requests.find((q) => q.method === 'POST' && q.url === `/api/v10/webhooks/${APP}/${ended.token}`);
    const until = Date.now() + 30_000;
    while (!posted() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    const debriefPost = posted()!;
    const form = await new Response(debriefPost.body, { headers: { 'content-type': String(debriefPost.headers['content-type']) } }).formData();
    const payload = JSON.parse(await (form.get('payload_json') as Blob).text()) as Record<string, any>;
    expect(payload.flags).toBeUndefined();
    expect(payload.allowed_mentions).toEqual({ parse: [] });
    expect(payload.attachments).toEqual([{ id: 0, filename: 'party-transcript-ch1.md' }]);
    expect(payload.embeds[0].title).toBe('Debrief (not solved)');
    const lines = (payload.embeds[0].description as string).split('\n');
    expect(lines[0]).toMatch(/^\*\*What was wrong\.\*\* ./);
    expect(lines.slice(2)).toEqual([
      expect.stringMatching(/^\*\*Clues found:\*\* \d+ of \d+\.$/),
      expect.stringMatching(/^\*\*Wrong fixes tried:\*\* .+\.$/),
      expect.stringMatching(/^\*\*Hints:\*\* 1 of \d+\.$/),
      '',
      'The whole party, line by line, is in party-transcript-ch1.md.',
    ]);
    const transcript = await (form.get('files[0]') as File).text();
    expect(transcript).toContain('$ echo from guest\nfrom guest\n');
    expect(await history()).toBeNull();
    const after = await bot.send(party(GUEST, 'cast', [{ name: 'spell', type: 3, value: 'uptime' }]));
    expect(after.body!.data!.content).toBe('There is no party in this channel: /party start chapter:1 starts one.');
  });
});
