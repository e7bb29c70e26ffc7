import { decodeSaveFile } from '../../../src/saves/slotFile';
import { APP, GUILD, cast, slash, startBot } from './bot.helpers';
import { startStub, type StubRequest } from './helpers';

/** /export and /import: files go out and come in as attachments, never by a path on the bot's disk. */
describe('files as attachments', () => {
  const ALICE = '650000000000000001';
  const BOB = '650000000000000002';
  let files: Awaited<ReturnType<typeof startStub>>;
  let bot: Awaited<ReturnType<typeof startBot>>;
  let exported: Buffer;

  beforeAll(async () => {
    // Discord's file server, played by a stub: serves whatever the test put at a path
    const served = new Map<string, Buffer>();
    files = await startStub((r) => (served.has(r.url) ? { status: 200, raw: served.get(r.url)! } : { status: 404, json: {} }));
    (files as unknown as { served: Map<string, Buffer> }).served = served;
    bot = await startBot({ attachmentOrigins: [files.origin] });
  });
  afterAll(async () => {
    await bot.close();
    await files.close();
  });
  const serve = (path: string, data: Buffer) => (files as unknown as { served: Map<string, Buffer> }).served.set(path, data);

  async function multipart(r: StubRequest): Promise<FormData> {
    return new Response(r.body, { headers: { 'content-type': String(r.headers['content-type']) } }).formData();
  }

  function importing(user: string, attachment: { url: string; filename: string; size: number }) {
    const i = slash(user, 'import', [{ name: 'file', type: 11, value: '1111' }]) as Record<string, any>;
    i.data.resolved = { attachments: { '1111': { id: '1111', ...attachment, proxy_url: attachment.url } } };
    return i;
  }

  it('/export attaches the game in progress as an export file', async () => {
    await bot.send(slash(ALICE, 'play', [{ name: 'chapter', type: 4, value: 1 }]));
    await bot.send(cast(ALICE, 'echo handed over'));
    const i = slash(ALICE, 'export');
    const r = await bot.send(i);
    expect(r.body).toEqual({ type: 5, data: { flags: 64 } });
    await bot.stub.waitFor(1);
    const edit = bot.stub.requests[0]!;
    expect(`${edit.method} ${edit.url}`).toBe(`PATCH /api/v10/webhooks/${APP}/${i.token}/messages/@original`);
    const form = await multipart(edit);
    const payload = JSON.parse(await (form.get('payload_json') as Blob).text()) as Record<string, any>;
    expect(payload.content).toMatch(/^Your game of chapter 1 \(.+ in\) as a file: whoever gets it can \/import it\.$/);
    expect(payload.attachments).toEqual([{ id: 0, filename: 'grimoire-ch1-export.json' }]);
    exported = Buffer.from(await (form.get('files[0]') as File).arrayBuffer());
    const d = decodeSaveFile(exported, 'x.json', { accept: ['grimoire-export'] });
    expect(d.ok && d.save.history).toEqual(['echo handed over']);
  });

  it('/transcript attaches the Markdown transcript of the sitting, the spells and what they printed', async () => {
    const before = bot.stub.requests.length;
    const i = slash(ALICE, 'transcript');
    expect((await bot.send(i)).body).toEqual({ type: 5, data: { flags: 64 } });
    await bot.stub.waitFor(before + 1);
    const edit = bot.stub.requests[before]!;
    expect(`${edit.method} ${edit.url}`).toBe(`PATCH /api/v10/webhooks/${APP}/${i.token}/messages/@original`);
    const form = await multipart(edit);
    const payload = JSON.parse(await (form.get('payload_json') as Blob).text()) as Record<string, any>;
    expect(payload.content).toBe('The transcript of this sitting (every spell and what it showed since the bot last opened your game), as Markdown.');
    expect(payload.allowed_mentions).toEqual({ parse: [] });
    const file = form.get('files[0]') as File;
    expect(file.name).toMatch(/^transcript-ch1-\d+\.md$/);
    expect(file.type).toBe('text/markdown; charset=utf-8');
    const text = await file.text();
    expect(text.split('\n')[0]).toBe('<!-- grimoire transcript: written by the grimoire, which may replace this file -->');
    expect(text).toContain('$ echo handed over\nhanded over\n');
    // a transcript is not a step: the game's history is as it was
    const history = await bot.sessions.withSession({ application: APP, scope: GUILD, user: ALICE }, async (s) => (await s.current()).session!.history());
    expect(history).toEqual(['echo handed over']);
  });

  it("/import continues an attached export in another player's game", async () => {
    serve('/attachments/1/2/export.json', exported);
    await bot.send(slash(BOB, 'play', [{ name: 'chapter', type: 4, value: 1 }]));
    await bot.send(cast(BOB, 'echo bob was here'));
    const before = bot.stub.requests.length;
    const i = importing(BOB, { url: `${files.origin}/attachments/1/2/export.json`, filename: 'export.json', size: exported.length });
    expect((await bot.send(i)).body).toEqual({ type: 5, data: { flags: 64 } });
    await bot.stub.waitFor(before + 1);
    const data = bot.stub.requests[before]!.json as Record<string, any>;
    expect(data.embeds[0].description).toMatch(/^Imported export\.json: chapter 1, .+, .+ in\./);
    // Bob's own new game was not overwritten but moved aside, and he was told where
    expect(data.embeds[0].description).toMatch(/moved to slot "autosave-\d{8}-\d{6}"/);
    const history = await bot.sessions.withSession({ application: APP, scope: GUILD, user: BOB }, async (s) => (await s.current()).session!.history());
    expect(history).toEqual(['echo handed over']);
  });

  it('refuses attachments that are not saves, too large, or not on Discord\'s file servers, and changes nothing', async () => {
    serve('/attachments/1/3/passwd', Buffer.from('root:x:0:0:root:/root:/bin/bash\n'));
    const cases: [ReturnType<typeof importing>, RegExp][] = [
      [importing(BOB, { url: `${files.origin}/attachments/1/3/passwd`, filename: 'passwd', size: 32 }), /^passwd is not a grimoire save.*Nothing was imported\.$/],
      [importing(BOB, { url: `${files.origin}/attachments/1/3/huge.json`, filename: 'huge.json', size: 9 * 1024 * 1024 }), /^huge\.json is 9 MiB; an import takes at most 8 MiB\. Nothing was imported\.$/],
      [importing(BOB, { url: 'http://169.254.169.254/latest/meta-data', filename: 'x.json', size: 10 }), /^x\.json is not on Discord's file servers, so it was not fetched\. Nothing was imported\.$/],
      [importing(BOB, { url: `${files.origin}/attachments/1/3/gone.json`, filename: 'gone.json', size: 10 }), /^gone\.json could not be fetched \(HTTP 404\)\. Nothing was imported\.$/],
    ];
    for (const [i, expected] of cases) {
      const before = bot.stub.requests.length;
      await bot.send(i);
      await bot.stub.waitFor(before + 1);
      expect((bot.stub.requests[before]!.json as { content: string }).content.replace(/\\/g, '')).toMatch(expected);
    }
    const history = await bot.sessions.withSession({ application: APP, scope: GUILD, user: BOB }, async (s) => (await s.current()).session!.history());
    expect(history).toEqual(['echo handed over']);
    expect(files.requests.map((r) => r.url)).not.toContain('/attachments/1/3/huge.json');
  });
});
