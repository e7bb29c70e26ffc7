import * as path from 'node:path';
import { ConfigError, DEFAULT_API_BASE, loadConfig } from '../../../src/discord/config';

const KEY = 'ab'.repeat(32);
const APP = '123456789012345678';

function problemOf(env: Record<string, string>, needs?: Parameters<typeof loadConfig>[1]): string {
  try {
    loadConfig(env, needs, '/srv/bot');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('no ConfigError');
}

describe('Discord configuration from the environment', () => {
  it('takes the defaults: port 8787, Discord v10, saves/discord under the working folder', () => {
    const c = loadConfig({ DISCORD_PUBLIC_KEY: KEY.toUpperCase(), DISCORD_APPLICATION_ID: APP }, undefined, '/srv/bot');
    expect(c).toEqual({ publicKey: KEY, applicationId: APP, token: null, port: 8787, apiBase: DEFAULT_API_BASE, storeDir: path.join('/srv/bot', 'saves', 'discord'), redisUrl: null, facilitatorRole: null, workers: 2 });
    expect(DEFAULT_API_BASE).toBe('https://discord.com/api/v10');
  });

  it('reads every variable', () => {
    const c = loadConfig({ DISCORD_PUBLIC_KEY: KEY, DISCORD_APPLICATION_ID: APP, DISCORD_TOKEN: 't0k', PORT: '9000', DISCORD_API_BASE: 'http://127.0.0.1:5/api/v10/', GRIMOIRE_STORE: 'data', DISCORD_WORKERS: '0' }, undefined, '/srv/bot');
    expect(c).toEqual({ publicKey: KEY, applicationId: APP, token: 't0k', port: 9000, apiBase: 'http://127.0.0.1:5/api/v10', storeDir: '/srv/bot/data', redisUrl: null, facilitatorRole: null, workers: 0 });
    expect(loadConfig({ DISCORD_PUBLIC_KEY: KEY, DISCORD_APPLICATION_ID: APP, GRIMOIRE_STORE: 'redis://10.0.0.5:6379/2' }).redisUrl).toBe('redis://10.0.0.5:6379/2');
  });

  it('names each bad variable', () => {
    expect(problemOf({ DISCORD_APPLICATION_ID: APP })).toMatch(/^DISCORD_PUBLIC_KEY is not set/);
    expect(problemOf({ DISCORD_PUBLIC_KEY: 'abc', DISCORD_APPLICATION_ID: APP })).toMatch(/^DISCORD_PUBLIC_KEY must be 64 hex digits/);
    expect(problemOf({ DISCORD_PUBLIC_KEY: KEY })).toMatch(/^DISCORD_APPLICATION_ID is not set/);
    expect(problemOf({ DISCORD_PUBLIC_KEY: KEY, DISCORD_APPLICATION_ID: '12ab' })).toMatch(/^DISCORD_APPLICATION_ID must be a Discord id/);
    expect(problemOf({ DISCORD_PUBLIC_KEY: KEY, DISCORD_APPLICATION_ID: APP, PORT: '70000' })).toBe("PORT must be a port number from 0 to 65535, not '70000'.");
    expect(problemOf({ DISCORD_PUBLIC_KEY: KEY, DISCORD_APPLICATION_ID: APP, PORT: 'http' })).toMatch(/^PORT must be/);
    expect(problemOf({ DISCORD_PUBLIC_KEY: KEY, DISCORD_APPLICATION_ID: APP, DISCORD_API_BASE: 'discord.com' })).toMatch(/^DISCORD_API_BASE must be an http\(s\) URL/);
    expect(problemOf({ DISCORD_PUBLIC_KEY: KEY, DISCORD_APPLICATION_ID: APP, GRIMOIRE_STORE: 'redis://[bad' })).toBe("GRIMOIRE_STORE is not a valid Redis URL: 'redis://[bad' (e.g. redis://127.0.0.1:6379).");
    expect(problemOf({ DISCORD_PUBLIC_KEY: KEY, DISCORD_APPLICATION_ID: APP, GRIMOIRE_STORE: 'postgres://db/x' })).toBe("GRIMOIRE_STORE must be a folder or a redis:// URL, not 'postgres://db/x'.");
    expect(problemOf({ DISCORD_APPLICATION_ID: APP }, { token: true, publicKey: false })).toMatch(/^DISCORD_TOKEN is not set/);
    expect(problemOf({ DISCORD_PUBLIC_KEY: KEY, DISCORD_APPLICATION_ID: APP, DISCORD_FACILITATOR_ROLE: 'trainers' })).toMatch(/^DISCORD_FACILITATOR_ROLE must be a role id/);
    expect(loadConfig({ DISCORD_PUBLIC_KEY: KEY, DISCORD_APPLICATION_ID: APP, DISCORD_FACILITATOR_ROLE: '900000000000000009' }).facilitatorRole).toBe('900000000000000009');
    for (const bad of ['-1', 'two', '65', '1.5']) expect(problemOf({ DISCORD_PUBLIC_KEY: KEY, DISCORD_APPLICATION_ID: APP, DISCORD_WORKERS: bad })).toBe(`DISCORD_WORKERS must be a number of worker threads from 0 to 64, not '${bad}'.`);
  });

  it('lists every problem at once, one a line', () => {
    const lines = problemOf({ PORT: '-1' }).split('\n');
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['DISCORD_PUBLIC_KEY', 'DISCORD_APPLICATION_ID', 'PORT']);
  });

  it('registering needs no public key', () => {
    expect(loadConfig({ DISCORD_APPLICATION_ID: APP, DISCORD_TOKEN: 't' }, { token: true, publicKey: false }).token).toBe('t');
  });
});
