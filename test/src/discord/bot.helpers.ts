import { mkdtempSync, rmSync } from 'node:fs';
import type * as http from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createBot } from '../../../src/discord/app';
import { createInteractionServer, listen, type InteractionHandler } from '../../../src/discord/server';
import { SessionManager } from '../../../src/discord/sessions';
import { makeKeys, postSigned, snowflake, startStub } from './helpers';

export const APP = '111111111111111111';
export const GUILD = '222222222222222222';

/** A whole bot on loopback: real endpoint, real sessions in a temporary folder, Discord's API a local stub. */
export async function startBot(opts: { deferAfterMs?: number; now?: () => Date; sessions?: SessionManager; keys?: ReturnType<typeof makeKeys>; facilitatorRole?: string; attachmentOrigins?: string[]; stubAnswer?: Parameters<typeof startStub>[0] } = {}) {
  const keys = opts.keys ?? makeKeys();
  const root = mkdtempSync(path.join(tmpdir(), 'grimoire-discord-'));
  const stub = await startStub(opts.stubAnswer);
  const sessions = opts.sessions ?? new SessionManager({ root, seed: () => 42, now: opts.now });
  const handedOver: unknown[] = [];
  const logs: string[] = [];
  const bot = createBot({ applicationId: APP, apiBase: stub.base, sessions, deferAfterMs: opts.deferAfterMs ?? 60_000, facilitatorRole: opts.facilitatorRole, attachmentOrigins: opts.attachmentOrigins, log: (m) => logs.push(m) });
  const handler: InteractionHandler = (i, respond) => {
    handedOver.push(i);
    return bot(i, respond);
  };
  const server: http.Server = createInteractionServer({ publicKey: keys.publicKeyHex, handler, log: (m) => logs.push(m) });
  const port = await listen(server, 0, '127.0.0.1');
  const send = async (interaction: unknown) => {
    const r = await postSigned(port, keys.privateKey, interaction);
    return { status: r.status, body: r.status === 200 && (r.headers['content-type'] ?? '').startsWith('application/json') ? (JSON.parse(r.text) as { type: number; data?: Record<string, any> }) : null, raw: r };
  };
  return {
    keys,
    root,
    stub,
    sessions,
    handedOver,
    logs,
    port,
    send,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await stub.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

function base(user: string, guild: string | null) {
  const who = { id: user, username: `player${user.slice(-3)}`, discriminator: '0', global_name: null, avatar: null };
  return {
    id: snowflake(),
    application_id: APP,
    token: `tok-${snowflake()}`,
    version: 1,
    ...(guild ? { guild_id: guild, channel_id: '333333333333333333', member: { user: who, roles: [], joined_at: '2026-01-01T00:00:00Z', deaf: false, mute: false, permissions: '0' } } : { channel_id: '444444444444444444', user: who }),
  };
}

export function slash(user: string, name: string, options: { name: string; type: number; value: unknown }[] = [], guild: string | null = GUILD) {
  return { ...base(user, guild), type: 2, data: { id: snowflake(), name, type: 1, ...(options.length > 0 ? { options } : {}) } };
}

export const cast = (user: string, spell: string, guild: string | null = GUILD) => slash(user, 'cast', [{ name: 'spell', type: 3, value: spell }], guild);

export function button(user: string, customId: string, guild: string | null = GUILD) {
  return { ...base(user, guild), type: 3, message: { id: snowflake() }, data: { custom_id: customId, component_type: 2 } };
}

export function modal(user: string, customId: string, spell: string, guild: string | null = GUILD) {
  return { ...base(user, guild), type: 5, data: { custom_id: customId, components: [{ type: 18, id: 1, component: { type: 4, id: 2, custom_id: 'spell', value: spell } }] } };
}

/** the code-block text of a message, fences removed */
export function codeOf(content: string): string {
  const m = /^```\n([\s\S]*?)\n```/.exec(content);
  if (!m) throw new Error(`no code block in ${JSON.stringify(content)}`);
  return m[1]!;
}
