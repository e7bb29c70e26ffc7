import * as path from 'node:path';

/**
 * The Discord front end's settings, all from environment variables (README "Discord"). Each bad
 * value is refused with a message naming the variable, so a misconfigured bot stops at start-up
 * instead of answering Discord with 401s or 500s.
 */
export interface DiscordConfig {
  /** the application's Ed25519 public key, 32 bytes as 64 hex digits */
  publicKey: string;
  applicationId: string;
  /** the bot token; only `discord:register` needs it */
  token: string | null;
  port: number;
  /** without a trailing slash */
  apiBase: string;
  /** where sessions are saved: a folder for the file store (one instance)... */
  storeDir: string;
  /** ...or a Redis server that several instances share (GRIMOIRE_STORE=redis://...) */
  redisUrl: string | null;
  /** members with this role facilitate every party */
  facilitatorRole: string | null;
  /** worker threads that play the games (pool.ts); 0 plays them on the main thread */
  workers: number;
}

export const DEFAULT_PORT = 8787;
export const DEFAULT_API_BASE = 'https://discord.com/api/v10';
export const DEFAULT_WORKERS = 2;
export const MAX_WORKERS = 64;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const SNOWFLAKE = /^\d{17,20}$/;

interface ConfigNeeds {
  /** discord:register needs the token; the endpoint needs the public key */
  token?: boolean;
  publicKey?: boolean;
}

function defaultStoreDir(cwd: string): string {
  return path.join(cwd, 'saves', 'discord');
}

/** Reads and checks the settings; throws a ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv, needs: ConfigNeeds = { publicKey: true }, cwd = process.cwd()): DiscordConfig {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };

  const publicKey = get('DISCORD_PUBLIC_KEY');
  if (needs.publicKey !== false) {
    if (!publicKey) problems.push('DISCORD_PUBLIC_KEY is not set: copy the "Public Key" from the General Information page of your application in the Discord developer portal.');
    else if (!/^[0-9a-fA-F]{64}$/.test(publicKey)) problems.push(`DISCORD_PUBLIC_KEY must be 64 hex digits (an Ed25519 public key); it has ${publicKey.length} characters${/[^0-9a-fA-F]/.test(publicKey) ? ', not all of them hex digits' : ''}.`);
  }

  const applicationId = get('DISCORD_APPLICATION_ID');
  if (!applicationId) problems.push('DISCORD_APPLICATION_ID is not set: copy the "Application ID" from the developer portal.');
  else if (!SNOWFLAKE.test(applicationId)) problems.push('DISCORD_APPLICATION_ID must be a Discord id (17 to 20 digits).');

  const token = get('DISCORD_TOKEN') ?? null;
  if (needs.token && !token) problems.push('DISCORD_TOKEN is not set: registering commands needs the bot token (the "Bot" page of the developer portal, "Reset Token").');

  let port = DEFAULT_PORT;
  const rawPort = get('PORT');
  if (rawPort !== undefined) {
    const n = /^\d{1,5}$/.test(rawPort) ? Number(rawPort) : NaN;
    if (!(n >= 0 && n <= 65535)) problems.push(`PORT must be a port number from 0 to 65535, not '${rawPort}'.`);
    else port = n;
  }

  let apiBase = DEFAULT_API_BASE;
  const rawBase = get('DISCORD_API_BASE');
  if (rawBase !== undefined) {
    let url: URL | null = null;
    try {
      url = new URL(rawBase);
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) problems.push(`DISCORD_API_BASE must be an http(s) URL such as ${DEFAULT_API_BASE}, not '${rawBase}'.`);
    else apiBase = rawBase.replace(/\/+$/, '');
  }

  let storeDir = defaultStoreDir(cwd);
  let redisUrl: string | null = null;
  const rawStore = get('GRIMOIRE_STORE');
  if (rawStore !== undefined) {
    if (/^rediss?:\/\//i.test(rawStore)) {
      try {
        new URL(rawStore);
        redisUrl = rawStore;
      } catch {
        problems.push(`GRIMOIRE_STORE is not a valid Redis URL: '${rawStore}' (e.g. redis://127.0.0.1:6379).`);
      }
    } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(rawStore)) problems.push(`GRIMOIRE_STORE must be a folder or a redis:// URL, not '${rawStore}'.`);
    else storeDir = path.resolve(cwd, rawStore);
  }

  const facilitatorRole = get('DISCORD_FACILITATOR_ROLE') ?? null;
  if (facilitatorRole !== null && !SNOWFLAKE.test(facilitatorRole)) problems.push('DISCORD_FACILITATOR_ROLE must be a role id (17 to 20 digits; Developer Mode, then right-click the role, Copy Role ID).');

  let workers = DEFAULT_WORKERS;
  const rawWorkers = get('DISCORD_WORKERS');
  if (rawWorkers !== undefined) {
    if (!/^\d{1,2}$/.test(rawWorkers) || Number(rawWorkers) > MAX_WORKERS) problems.push(`DISCORD_WORKERS must be a number of worker threads from 0 to ${MAX_WORKERS}, not '${rawWorkers}'.`);
    else workers = Number(rawWorkers);
  }

  if (problems.length > 0) throw new ConfigError(problems.join('\n'));
  return { publicKey: (publicKey ?? '').toLowerCase(), applicationId: applicationId!, token, port, apiBase, storeDir, redisUrl, facilitatorRole, workers };
}
