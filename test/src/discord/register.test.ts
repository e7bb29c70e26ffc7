import { listChapters } from '../../../engine/index';
import { commandDefinitions } from '../../../src/discord/commands';
import { registerCommands, registerMain } from '../../../src/discord/register';
import { startStub } from './helpers';

describe('npm run discord:register', () => {
  it('PUTs every command to the application, authorised as the bot, against a stub of the API', async () => {
    const stub = await startStub((r) => ({ status: 200, json: r.json }));
    try {
      const r = await registerCommands({ apiBase: stub.base, applicationId: '123456789012345678', token: 'secret-token' });
      expect(r).toEqual({ ok: true, count: 12 });
      expect(stub.requests).toHaveLength(1);
      const req = stub.requests[0]!;
      expect(req.method).toBe('PUT');
      expect(req.url).toBe('/api/v10/applications/123456789012345678/commands');
      expect(req.headers.authorization).toBe('Bot secret-token');
      const sent = req.json as { name: string; options?: { name: string; required?: boolean; choices?: { value: number }[] }[] }[];
      expect(sent.map((c) => c.name)).toEqual(['play', 'cast', 'hint', 'status', 'journal', 'talk', 'saves', 'quit', 'export', 'transcript', 'import', 'party']);
      const party = sent[11] as unknown as { contexts: number[]; options: { name: string; type: number }[] };
      expect(party.contexts).toEqual([0]);
      expect(party.options.map((o) => `${o.name}:${o.type}`)).toEqual(['start:1', 'cast:1', 'status:1', 'hint:1', 'pause:1', 'resume:1', 'end:1']);
      expect(sent[0]!.options![0]).toMatchObject({ name: 'chapter', type: 4, required: true });
      // every chapter the grimoire lists, the book's own and those found at build time (generated/chapters.json)
      expect(sent[0]!.options![0]!.choices!.map((c) => c.value)).toEqual(listChapters().map((c) => c.number));
      expect(sent[0]!.options![0]!.choices!.map((c) => c.value).slice(0, 2)).toEqual([1, 2]);
      expect(sent[1]!.options![0]).toMatchObject({ name: 'spell', type: 3, required: true, max_length: 1000 });
      expect(sent[5]!.options![0]).toMatchObject({ name: 'who', type: 3, required: false });
      expect(sent[10]!.options![0]).toMatchObject({ name: 'file', type: 11, required: true });
      expect(sent).toEqual(commandDefinitions());
      for (const c of sent) expect((c as unknown as { description: string }).description.length).toBeLessThanOrEqual(100);
    } finally {
      await stub.close();
    }
  });

  it('says what Discord answered when it refuses', async () => {
    const stub = await startStub(() => ({ status: 401, json: { message: '401: Unauthorized', code: 0 } }));
    try {
      const r = await registerCommands({ apiBase: stub.base, applicationId: '123456789012345678', token: 'wrong' });
      expect(r).toEqual({ ok: false, message: 'Discord answered 401 (is DISCORD_TOKEN the bot token of this application?): {"message":"401: Unauthorized","code":0}' });
    } finally {
      await stub.close();
    }
  });

  it('the command-line entry reads the environment, and refuses to run without a token', async () => {
    const stub = await startStub((r) => ({ status: 200, json: r.json }));
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await registerMain({ DISCORD_APPLICATION_ID: '123456789012345678', DISCORD_TOKEN: 't', DISCORD_API_BASE: stub.base })).toBe(0);
      expect(out).toHaveBeenCalledWith('Registered 12 commands for application 123456789012345678.\n');
      expect(await registerMain({ DISCORD_APPLICATION_ID: '123456789012345678', DISCORD_API_BASE: stub.base })).toBe(2);
      expect(String(err.mock.calls[0]![0])).toMatch(/^grimoire discord:register: DISCORD_TOKEN is not set/);
      expect(stub.requests).toHaveLength(1);
    } finally {
      out.mockRestore();
      err.mockRestore();
      await stub.close();
    }
  });
});
