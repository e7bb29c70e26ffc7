import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { SessionAccess } from '../../../src/discord/sessions';
import { APP, GUILD, button, cast, codeOf, modal, slash, startBot } from './bot.helpers';
import { snowflake } from './helpers';

/** Playing through the real endpoint: signed interactions in, Discord responses out, saves on disk. */
describe('playing the grimoire on Discord', () => {
  let bot: Awaited<ReturnType<typeof startBot>>;
  const ALICE = '500000000000000001';
  const BOB = '500000000000000002';
  const dir = (user: string, scope = GUILD) => path.join(bot.root, `${APP}.${scope}.${user}`);
  const game = <T>(user: string, f: (s: NonNullable<Awaited<ReturnType<SessionAccess['current']>>['session']>) => T): Promise<T> =>
    bot.sessions.withSession({ application: APP, scope: GUILD, user }, async (s) => f((await s.current()).session!));
  /** the game's own prompt, as the terminal shows it */
  let prompt = '';

  beforeAll(async () => {
    bot = await startBot();
  });
  afterAll(() => bot.close());

  it('/cast before any game says how to start one', async () => {
    const r = await bot.send(cast(ALICE, 'uptime'));
    expect(r.status).toBe(200);
    expect(r.body!.type).toBe(4);
    expect(r.body!.data!.content).toBe('No game in progress: /play chapter:1 opens the grimoire.');
    expect(r.body!.data!.flags).toBe(64);
    expect(r.body!.data!.allowed_mentions).toEqual({ parse: [] });
  });

  it('/play chapter:1 opens a new game, saved before the answer, private, with a Cast button', async () => {
    const r = await bot.send(slash(ALICE, 'play', [{ name: 'chapter', type: 4, value: 1 }]));
    expect(r.status).toBe(200);
    const data = r.body!.data!;
    expect(r.body!.type).toBe(4);
    expect(data.flags).toBe(64);
    expect(data.allowed_mentions).toEqual({ parse: [] });
    expect(data.embeds[0].title).toMatch(/^Chapter 1: /);
    expect(data.embeds.some((e: { color: number; description?: string }) => e.description && e.description.length > 40)).toBe(true);
    expect(data.components).toEqual([{ type: 1, components: [{ type: 2, style: 1, label: 'Cast', custom_id: `g1:cast:${GUILD}.${ALICE}` }] }]);
    expect(existsSync(path.join(dir(ALICE), 'autosave.json'))).toBe(true);
    prompt = await game(ALICE, (g) => g.prompt());
    expect(prompt).toMatch(/^ops@[a-z0-9-]+:~\$ $/);
  });

  it('/cast runs the spell: the prompt, the line and its output in a code block', async () => {
    const r = await bot.send(cast(ALICE, 'echo hello from the grimoire'));
    const code = codeOf(r.body!.data!.content);
    expect(code).toBe(`${prompt}echo hello from the grimoire\nhello from the grimoire`);
  });

  it('the Cast button opens a modal whose id names the session, and submitting it casts', async () => {
    const r = await bot.send(button(ALICE, `g1:cast:${GUILD}.${ALICE}`));
    expect(r.body!.type).toBe(9);
    expect(r.body!.data!.custom_id).toBe(`g1:spell:${GUILD}.${ALICE}`);
    expect(r.body!.data!.components[0]).toMatchObject({ type: 18, label: 'Spell', component: { type: 4, custom_id: 'spell', style: 1, max_length: 1000 } });
    const m = await bot.send(modal(ALICE, `g1:spell:${GUILD}.${ALICE}`, 'echo from the modal'));
    expect(codeOf(m.body!.data!.content)).toBe(`${prompt}echo from the modal\nfrom the modal`);
    // an older client's form (the text input in an action row) is read the same way
    const old = modal(ALICE, `g1:spell:${GUILD}.${ALICE}`, 'echo older');
    old.data.components = [{ type: 1, components: [{ type: 4, custom_id: 'spell', value: 'echo older' }] }] as never;
    expect(codeOf((await bot.send(old)).body!.data!.content)).toBe(`${prompt}echo older\nolder`);
  });

  it("another player's buttons and modal are refused, privately, and the game is untouched", async () => {
    const before = (await bot.sessions.withSession({ application: APP, scope: GUILD, user: ALICE }, async (s) => (await s.current()).session!.history().length));
    for (const i of [button(BOB, `g1:cast:${GUILD}.${ALICE}`), button(BOB, `g1:choose:${GUILD}.${ALICE}:1`), modal(BOB, `g1:spell:${GUILD}.${ALICE}`, 'echo pwned'), modal(ALICE, `g1:spell:${'999999999999999999'}.${ALICE}`, 'echo other guild')]) {
      const r = await bot.send(i);
      expect(r.body!.type).toBe(4);
      expect(r.body!.data!.flags).toBe(64);
      expect(r.body!.data!.content).toBe("That is another player's game. /play chapter:1 opens your own.");
    }
    const after = await bot.sessions.withSession({ application: APP, scope: GUILD, user: ALICE }, async (s) => (await s.current()).session!.history());
    expect(after.length).toBe(before);
    expect(after).not.toContain('echo pwned');
    expect(existsSync(dir(BOB))).toBe(false);
  });

  it('a custom_id the bot did not make is refused', async () => {
    for (const id of ['g1:cast:dm', 'g1:rm:1.2', `g1:spell:${GUILD}.${ALICE}:../../x`, 'x'.repeat(200)]) {
      const r = await bot.send(button(ALICE, id));
      expect(r.body!.data!.content).toBe('That button is not one the grimoire made.');
    }
  });

  it('/status answers with the objectives as a checklist embed', async () => {
    const r = await bot.send(slash(ALICE, 'status'));
    const embed = r.body!.data!.embeds.find((e: { title?: string }) => e.title?.startsWith('Objectives at '));
    expect(embed).toBeDefined();
    const lines: string[] = embed.description.split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l).toMatch(/^(✅|🟡|❌|⬜) \S/);
  });

  it('/talk shows the replies as buttons, and a click answers with that reply', async () => {
    const r = await bot.send(slash(ALICE, 'talk'));
    const rows = r.body!.data!.components as { components: { custom_id: string; label: string }[] }[];
    const choices = rows.flatMap((row) => row.components).filter((c) => c.custom_id.startsWith('g1:choose:'));
    expect(choices.length).toBeGreaterThan(0);
    expect(choices[0]!.custom_id).toBe(`g1:choose:${GUILD}.${ALICE}:1`);
    expect(choices[0]!.label).toMatch(/^1\. /);
    const answered = await bot.send(button(ALICE, choices[0]!.custom_id));
    expect(answered.body!.type).toBe(4);
    const history = await bot.sessions.withSession({ application: APP, scope: GUILD, user: ALICE }, async (s) => (await s.current()).session!.history());
    expect(history.slice(-2)).toEqual(['talk', '1']);
  });

  it('/hint and /journal answer in embeds', async () => {
    const h = await bot.send(slash(ALICE, 'hint'));
    expect(h.body!.data!.embeds.some((e: { title?: string }) => /^Hint 1\/\d+$/.test(e.title ?? ''))).toBe(true);
    const j = await bot.send(slash(ALICE, 'journal'));
    expect(j.status).toBe(200);
    expect(j.body!.data!.embeds.length + (j.body!.data!.content ? 1 : 0)).toBeGreaterThan(0);
  });

  it("spell text cannot ping or format: mentions, backticks and masked links come out inert", async () => {
    const spell = "echo '@everyone <@123456789012345678> ``` [click](https://evil.example) @here'";
    const r = await bot.send(cast(ALICE, spell));
    const content: string = r.body!.data!.content;
    expect(r.body!.data!.allowed_mentions).toEqual({ parse: [] });
    // one code block: the fences are the only triple backticks
    expect(content.startsWith('```\n')).toBe(true);
    expect(content.endsWith('\n```')).toBe(true);
    expect(content.slice(4, -4)).not.toContain('```');
    expect(content.slice(4, -4).replace(/\u200b/g, '')).toBe(`${prompt}${spell}\n@everyone <@123456789012345678> \`\`\` [click](https://evil.example) @here`);
  });

  it('lines that would touch the bot\'s own disk are refused before the game sees them', async () => {
    for (const spell of ['export /tmp/game.json', 'export --force x', 'import /etc/passwd', 'transcript notes.md', 'download /var/log/syslog']) {
      const r = await bot.send(cast(ALICE, spell));
      expect(r.body!.data!.content).toMatch(/reads or writes files on the player's own disk, which here would be the bot's: on Discord, \/export sends your game as a file, \/import takes one and \/transcript sends the transcript\./);
    }
    const ok = await bot.send(cast(ALICE, 'export LANG=C'));
    expect(codeOf(ok.body!.data!.content)).toBe(`${prompt}export LANG=C`);
  });

  it('over-long and missing spells are refused without a step', async () => {
    expect((await bot.send(cast(ALICE, 'x'.repeat(1001)))).body!.data!.content).toBe('A spell is at most 1000 characters; this one has 1001.');
    expect((await bot.send(cast(ALICE, ' \n '))).body!.data!.content).toBe('Which spell? /cast spell:free -m');
    expect((await bot.send(slash(ALICE, 'cast', [{ name: 'spell', type: 3, value: 42 }]))).body!.data!.content).toBe('Which spell? /cast spell:free -m');
  });

  it('unknown commands, chapters and interaction kinds get an answer, never a crash', async () => {
    expect((await bot.send(slash(ALICE, 'rm-rf'))).body!.data!.content).toBe('The grimoire does not know that command.');
    expect((await bot.send(slash(ALICE, 'play', [{ name: 'chapter', type: 4, value: 99 }]))).body!.data!.content).toMatch(/^There is no such chapter/);
    expect((await bot.send(slash(ALICE, 'play', [{ name: 'chapter', type: 4, value: '1; rm' }]))).body!.data!.content).toMatch(/^There is no such chapter/);
    expect((await bot.send({ ...slash(ALICE, 'status'), type: 42 })).body!.data!.content).toBe('The grimoire does not know this kind of interaction.');
    const noUser = slash(ALICE, 'status') as Record<string, unknown>;
    delete noUser.member;
    expect((await bot.send(noUser)).body!.data!.content).toBe('This interaction is not for this bot.');
    expect((await bot.send({ ...slash(ALICE, 'status'), application_id: '999999999999999999' })).body!.data!.content).toBe('This interaction is not for this bot.');
    expect(bot.logs.filter((l) => /failed/.test(l))).toEqual([]);
  });

  it('never fails on a signed body of the wrong shape: every one is answered (or refused as not an interaction)', async () => {
    const good = slash(ALICE, 'status') as Record<string, any>;
    const bodies: unknown[] = [
      { ...good, data: undefined },
      { ...good, data: 'status' },
      { ...good, data: { name: 42 } },
      { ...good, data: { name: 'cast', options: 'free -m' } },
      { ...good, data: { name: 'cast', options: [null, 7, { name: 'spell' }] } },
      { ...good, data: { name: 'party', options: [{ type: 1 }] } },
      { ...good, data: { name: 'party', options: [{ type: 1, name: 'cast', options: 5 }] } },
      { ...good, data: { name: 'import', options: [{ name: 'file', type: 11, value: '1' }], resolved: { attachments: 'x' } } },
      { ...good, data: { name: 'constructor' } },
      { ...good, data: { name: '__proto__' } },
      { ...good, member: { user: null } },
      { ...good, member: { user: { id: 12345 } } },
      { ...good, member: 'someone' },
      { ...good, guild_id: { id: 1 } },
      { ...good, type: 3, data: null },
      { ...good, type: 3, data: { custom_id: ['g1:cast:1.2'] } },
      { ...good, type: 5, data: { custom_id: `g1:spell:${GUILD}.${ALICE}`, components: 'x' } },
      { ...good, type: 5, data: { custom_id: `g1:spell:${GUILD}.${ALICE}`, components: [null, { component: null }, { components: [null] }] } },
      { ...good, type: 4 },
    ];
    for (const b of bodies) {
      // each its own interaction (the same id twice is refused as a replay)
      const r = await bot.send({ ...(b as object), id: snowflake() });
      expect([200, 400]).toContain(r.status);
      if (r.status === 200) expect(r.body!.data?.flags ?? 64).toBe(64);
    }
    expect(bot.logs.filter((l) => /failed|no answer/.test(l))).toEqual([]);
    expect((await bot.send(cast(ALICE, 'echo still fine'))).status).toBe(200);
  });

  it('/quit closes the book; /play resumes the same game from its save', async () => {
    const before = await bot.sessions.withSession({ application: APP, scope: GUILD, user: ALICE }, async (s) => (await s.current()).session!.history());
    const q = await bot.send(slash(ALICE, 'quit'));
    expect(q.body!.data!.embeds[0].description).toMatch(/You close the book/);
    expect(bot.sessions.hotCount()).toBe(0);
    const p = await bot.send(slash(ALICE, 'play', [{ name: 'chapter', type: 4, value: 1 }]));
    expect(p.body!.data!.embeds[0].description).toMatch(/^Your game of chapter 1 goes on/);
    const after = await bot.sessions.withSession({ application: APP, scope: GUILD, user: ALICE }, async (s) => (await s.current()).session!.history());
    // quit is the session's, not the machine's: the game's lines are as they were
    expect(after).toEqual(before);
  });

  it('a game in a DM is another session than the one in the guild', async () => {
    const r = await bot.send(cast(ALICE, 'uptime', null));
    expect(r.body!.data!.content).toBe('No game in progress: /play chapter:1 opens the grimoire.');
    expect(existsSync(dir(ALICE, 'dm'))).toBe(false);
  });
});
