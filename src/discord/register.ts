import { commandDefinitions } from './commands';
import { ConfigError, loadConfig } from './config';

/**
 * `npm run discord:register`: puts the bot's slash commands in place with one bulk overwrite,
 * PUT /applications/{application}/commands (global commands; Discord replaces the whole set, so
 * running it again is harmless).
 */
export async function registerCommands(opts: { apiBase: string; applicationId: string; token: string }): Promise<{ ok: true; count: number } | { ok: false; message: string }> {
  const body = commandDefinitions();
  let res: Response;
  try {
    res = await fetch(`${opts.apiBase}/applications/${opts.applicationId}/commands`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bot ${opts.token}` },
      body: JSON.stringify(body),
    });
  } catch (e) {
    return { ok: false, message: `could not reach ${opts.apiBase}: ${e instanceof Error ? e.message : String(e)}` };
  }
  const text = await res.text();
  if (!res.ok) {
    const hint = res.status === 401 ? ' (is DISCORD_TOKEN the bot token of this application?)' : res.status === 403 || res.status === 404 ? ' (is DISCORD_APPLICATION_ID right?)' : '';
    return { ok: false, message: `Discord answered ${res.status}${hint}: ${text.slice(0, 300)}` };
  }
  let count = body.length;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (Array.isArray(parsed)) count = parsed.length;
  } catch {
    // the count sent stands
  }
  return { ok: true, count };
}

/** the command-line entry: exit status 0 when registered, 1 when Discord refused, 2 on bad configuration */
export async function registerMain(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let config;
  try {
    config = loadConfig(env, { token: true, publicKey: false });
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`grimoire discord:register: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const r = await registerCommands({ apiBase: config.apiBase, applicationId: config.applicationId, token: config.token! });
  if (!r.ok) {
    process.stderr.write(`grimoire discord:register: ${r.message}\n`);
    return 1;
  }
  process.stdout.write(`Registered ${r.count} commands for application ${config.applicationId}.\n`);
  return 0;
}

if (require.main === module) {
  registerMain().then((code) => process.exit(code));
}
